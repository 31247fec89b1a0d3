"""The performance page's stored figures (ADR 0019): breakdowns of the ASCOF measures by
organisation and area on hand-built rows and on a small county, small-number suppression,
the readiness of the return, the periods, and ``carebridge returns refresh``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from carebridge.casework.models import Allocation
from carebridge.core.models import AuditEvent
from carebridge.returns import performance
from carebridge.returns.models import PerformanceFigures, ReturnReadiness
from carebridge.rules import cld
from carebridge.rules.postcode import district
from carebridge.rules.returns import Cohort, Year, ascof_measures
from carebridge.rules.returns.breakdown import split, too_small
from tests.factories import EventFactory, PersonFactory

from .builders import DP, LTS_COMMUNITY, row

YEAR = Year(2025)
TODAY = dt.date(2026, 11, 1)  # 2025-26 has ended; the return due is to 30 September 2026


# --- pure: periods, areas, splitting, small numbers ----------------------------------------------


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (dt.date(2026, 11, 1), dt.date(2025, 10, 1), dt.date(2026, 9, 30)),
        (dt.date(2026, 10, 1), dt.date(2025, 10, 1), dt.date(2026, 9, 30)),
        (dt.date(2026, 9, 30), dt.date(2025, 7, 1), dt.date(2026, 6, 30)),
        (dt.date(2026, 1, 5), dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    ],
)
def test_the_return_due_is_the_12_months_to_the_last_quarter_end_before_today(today, start, end):
    assert performance.return_period(today) == (start, end)


def test_recent_years_end_with_the_year_in_progress():
    assert [str(y) for y in performance.recent_years(dt.date(2026, 3, 31), 3)] == [
        "2023-24",
        "2024-25",
        "2025-26",
    ]
    assert [str(y) for y in performance.recent_years(dt.date(2026, 4, 1), 1)] == ["2026-27"]


@pytest.mark.parametrize(
    ("text", "area"),
    [("NR1 2DH", "NR1"), ("sw1a1aa", "SW1A"), ("M1 1AE", "M1"), ("", None), ("NR1", None)],
)
def test_area_is_the_postcode_district(text, area):
    assert district(text) == area


def test_a_figure_under_five_people_is_withheld_in_a_breakdown():
    assert too_small({"numerator": 1, "denominator": 4, "value": "25.0"})
    assert not too_small({"numerator": 0, "denominator": 5, "value": "0.0"})
    # A count with no denominator (2B/2C without a population) is judged by itself.
    assert too_small({"numerator": 3, "denominator": None, "value": None})
    assert not too_small({"numerator": 7, "denominator": None, "value": None})


def test_split_keeps_each_person_whole_and_the_parts_add_up():
    # 3D2a: people in long-term community support on 31 March 2026, direct payment or not.
    rows = [
        row("A", mech=DP),
        row("B", mech="CASSR commissioned support"),
        row("C", mech=DP),
        # C's earlier, ended service stays with C (one person, one group).
        row("C", start="2024-05-01", end="2025-01-31", outcome="NFA: Other"),
        row("D", mech=DP),
    ]
    cohort = Cohort.build(rows, YEAR)
    groups = {"A": "north", "B": "north", "C": "south", "D": "south"}
    parts = split(cohort, lambda la_id: groups[la_id])
    assert sorted(parts) == ["north", "south"]
    assert [len(parts[g].by_person) for g in ("north", "south")] == [2, 2]
    assert len(parts["south"].by_person[next(iter(parts["south"].by_person))]) in (1, 2)
    whole = ascof_measures(cohort, YEAR)["3D2a"]
    north = ascof_measures(parts["north"], YEAR)["3D2a"]
    south = ascof_measures(parts["south"], YEAR)["3D2a"]
    # Council: A, C, D of 4 = 75.0; north: A of A, B = 50.0; south: C, D of 2 = 100.0.
    assert (whole.numerator, whole.denominator, whole.value) == (3, 4, Decimal("75.0"))
    assert (north.numerator, north.denominator, north.value) == (1, 2, Decimal("50.0"))
    assert (south.numerator, south.denominator, south.value) == (2, 2, Decimal("100.0"))


# --- on a small county --------------------------------------------------------------------------


def _service(person, mechanism: str) -> None:
    EventFactory(
        person=person,
        event_type=cld.SERVICE,
        service_type=LTS_COMMUNITY,
        service_component="Home support or domiciliary care",
        delivery_mechanism=mechanism,
        unit_cost=Decimal("24.50"),
        cost_frequency="Hourly",
        planned_units_per_week=Decimal(10),
        start_date=dt.date(2025, 6, 1),
        end_date=None,
        outcome="",
        route_of_access="",
    )


@pytest.fixture
def performance_county(county):
    """Four people in long-term community support through 2025-26: Anna (trust-hosted team A,
    NR1, direct payment), Tom (team A, NR1, commissioned), Brian (council team B, IP4, direct
    payment, no NHS number: his row fails the return), and Ursula (held by no team, no
    postcode, which fails too; commissioned)."""
    Allocation.objects.update(started_at=timezone.make_aware(dt.datetime(2024, 1, 1)))
    c = county
    for person, postcode, mechanism in (
        (c.person_a, "NR1 2DH", DP),
        (c.person_a_team, "NR1 3AB", "CASSR commissioned support"),
        (c.person_b, "IP4 1AA", DP),
    ):
        person.postcode = postcode
        person.save()
        _service(person, mechanism)
    type(c.person_b).objects.filter(pk=c.person_b.pk).update(nhs_number="")
    c.unheld = PersonFactory(given_name="Ursula", family_name="Unheld", postcode="")
    _service(c.unheld, "CASSR commissioned support")
    return c


def _figure(f: PerformanceFigures, code: str = "3D2a") -> tuple:
    m = f.ascof[code]
    total = m["figures"][m["headline"]]
    return total["numerator"], total["denominator"], total["value"]


def test_a_year_is_stored_for_the_council_by_organisation_and_by_area(performance_county):
    figures = {(f.breakdown, f.group): f for f in performance.compute_year(YEAR, TODAY, "999")}
    council = figures[("overall", "")]
    # 3D2a: Anna and Brian have direct payments, of the 4 in community support = 50.0.
    assert _figure(council) == (2, 4, "50.0")
    assert council.salt and council.people == 4 and council.rows == 4
    assert council.as_of == YEAR.end and council.complete
    # By organisation: the team holding the case at the year end.
    assert _figure(figures[("organisation", "nhs_trust")]) == (1, 2, "50.0")  # Anna, Tom
    assert _figure(figures[("organisation", "council")]) == (1, 1, "100.0")  # Brian
    assert _figure(figures[("organisation", "none")]) == (0, 1, "0.0")  # Ursula
    assert figures[("organisation", "none")].label == "Not allocated"
    # By area: the postcode district; no postcode is Unknown.
    assert _figure(figures[("area", "NR1")]) == (1, 2, "50.0")
    assert _figure(figures[("area", "IP4")]) == (1, 1, "100.0")
    assert _figure(figures[("area", "unknown")]) == (0, 1, "0.0")
    assert figures[("area", "unknown")].label == "Unknown"
    # The parts add up to the council, and only the council has SALT tables.
    for breakdown in ("organisation", "area"):
        parts = [f for (b, _g), f in figures.items() if b == breakdown]
        assert sum(f.people for f in parts) == council.people
        assert sum(_figure(f)[0] for f in parts) == 2
        assert all(not f.salt for f in parts)


def test_a_closed_case_counts_under_the_team_that_held_it_last(performance_county):
    c = performance_county
    Allocation.objects.filter(person=c.person_b).update(
        ended_at=timezone.make_aware(dt.datetime(2025, 12, 1))
    )
    figures = {(f.breakdown, f.group): f for f in performance.compute_year(YEAR, TODAY, "999")}
    assert _figure(figures[("organisation", "council")]) == (1, 1, "100.0")


def test_the_figures_are_those_of_the_returns_cli(performance_county):
    from carebridge.returns import measures

    stored = performance.compute_year(YEAR, TODAY, "999")[0]
    cli = measures.compute(YEAR, la_code="999")
    assert stored.ascof == {
        c: {**m.as_dict(), "groups": list(m.figures)} for c, m in cli.ascof.items()
    }
    assert stored.salt == {c: t.as_dict() for c, t in cli.salt.items()}


def test_readiness_counts_failures_by_field_rule_and_team(performance_county):
    c = performance_county
    start, end = performance.return_period(TODAY)
    r = performance.readiness(start, end, "999")
    assert (r.period_start, r.period_end, r.rows) == (dt.date(2025, 10, 1), end, 4)
    assert r.summary["failures_by_field"] == {"NHS_Number": 1, "Postcode": 1}
    assert r.summary["by_rule"]["mandatory-blank"]["count"] == 2
    teams = {t["team"]: t for t in r.by_team}
    assert teams[c.team_b.pk]["rows_failing"] == 1 and teams[c.team_b.pk]["people_failing"] == 1
    assert teams[c.team_a.pk]["rows"] == 2 and teams[c.team_a.pk]["failures"] == 0
    assert teams[None]["label"] == "Not allocated" and teams[None]["rows"] == 1
    assert teams[None]["rows_failing"] == 1
    assert sorted((f["person_id"], f["team"], f["fields"]) for f in r.failing) == sorted(
        [
            (c.person_b.person_id, c.team_b.pk, ["NHS_Number"]),
            (c.unheld.person_id, None, ["Postcode"]),
        ]
    )


def test_refresh_replaces_the_years_and_readiness_in_one_audited_step(performance_county):
    performance.refresh([YEAR], today=TODAY)
    first = set(PerformanceFigures.objects.values_list("pk", flat=True))
    done = performance.refresh([YEAR], today=TODAY, run_by="test")
    assert done.years == {"2025-26": 4}
    assert not first & set(PerformanceFigures.objects.values_list("pk", flat=True))
    assert PerformanceFigures.objects.filter(breakdown="overall").count() == 1
    assert ReturnReadiness.objects.count() == 1
    event = AuditEvent.objects.filter(object_type="returns.performance").latest("pk")
    assert event.action == AuditEvent.Action.CREATE
    assert event.changes["years"] == {"2025-26": 4}
    assert event.changes["readiness"]["failures"] == 2


def test_refresh_without_a_council_code_writes_nothing(performance_county):
    from carebridge.returns.cld_export import ExportError

    performance_county.council.cassr_code = ""
    performance_county.council.save()
    with pytest.raises(ExportError):
        performance.refresh([YEAR], today=TODAY)
    assert not PerformanceFigures.objects.exists() and not ReturnReadiness.objects.exists()
    assert not AuditEvent.objects.filter(object_type="returns.performance").exists()


# --- the command line ---------------------------------------------------------------------------


def test_cli_refresh_stores_and_audits(performance_county, capsys):
    assert performance.run("1", "performance_analyst") == 0
    out = capsys.readouterr().out
    assert f"{performance.financial_year(timezone.localdate())}:" in out
    assert "CLD return" in out
    event = AuditEvent.objects.get(object_type="returns.performance")
    assert event.actor.username == "performance_analyst"
    assert event.changes["run_by"] == "performance_analyst"


@pytest.mark.parametrize(
    ("years", "user", "message"),
    [
        ("0", None, "--years must be a whole number from 1 to 10"),
        ("three", None, "--years must be a whole number"),
        ("1", "nobody", "no active worker 'nobody'"),
        ("1", "social_worker", "role does not include statutory returns"),
    ],
)
def test_cli_refresh_refuses_bad_input_and_writes_nothing(
    performance_county, capsys, years, user, message
):
    assert performance.run(years, user) == 2
    captured = capsys.readouterr()
    assert message in captured.err and not captured.out
    assert not PerformanceFigures.objects.exists()
    assert not AuditEvent.objects.filter(object_type="returns.performance").exists()


def test_the_demo_seed_stores_the_recent_years_under_its_own_audit_event(performance_county):
    stored = performance.record_on_seeding(TODAY)
    years = set(PerformanceFigures.objects.values_list("year", flat=True))
    assert years == {"2024-25", "2025-26", "2026-27"}
    assert stored == PerformanceFigures.objects.count() and ReturnReadiness.objects.count() == 1
    assert not AuditEvent.objects.filter(object_type="returns.performance").exists()
