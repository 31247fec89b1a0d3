"""The dashboard's figures are the CLI report's: on a seeded synthetic county (every duty in
every state), each count the page shows, by duty and by team, equals the rows of
``carebridge duties report`` for today counted the same way; the monthly trends equal the
engine as of each month end."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from carebridge.core.access import Role
from carebridge.demo.seed import seed_county
from carebridge.duties import engine, report
from carebridge.duties.definitions import DUTIES
from carebridge.duties.figures import FIGURES, from_states, percent
from carebridge.duties.models import DutySnapshot
from carebridge.organisations.models import Team, Worker

from .dashboard_pages import as_numbers, figures_table, report_counts, trend_table

PEOPLE = 240


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """A small county seeded up to today (its duty states and 12 month ends recorded), rolled
    back after the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield seed_county(people=PEOPLE, seed=31, until=timezone.localdate())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def manager(client, seeded, db):
    worker = Worker.objects.filter(role=Role.TEAM_MANAGER).order_by("pk").first()
    client.force_login(worker)
    return client


def today_rows() -> list[dict]:
    return list(report.rows(timezone.localdate(), None))


def test_every_figure_by_duty_equals_the_report(manager):
    today = timezone.localdate()
    rows = today_rows()
    by_duty = report_counts(rows, today, lambda r: r["duty"])
    table = figures_table(manager.get("/compliance/").content.decode())
    assert set(table) == {*DUTIES, "total"}
    states = Counter(r["state"] for r in rows)
    assert {"met", "met_late", "due", "overdue", "not_applicable"} <= set(states)  # rich enough
    for duty in DUTIES:
        shown = {f: table[duty][f] for f in FIGURES}
        assert shown == as_numbers(by_duty.get(duty, Counter())), duty
    assert {f: table["total"][f] for f in FIGURES} == as_numbers(sum(by_duty.values(), Counter()))
    assert sum(table["total"][f] for f in FIGURES) == len(rows)


def test_every_figure_by_team_equals_the_report(manager):
    today = timezone.localdate()
    rows = today_rows()
    names = dict(Team.objects.values_list("pk", "name"))
    by_team = report_counts(rows, today, lambda r: r["team"] or "none")
    table = figures_table(manager.get("/compliance/?by=team").content.decode())
    shown = {
        ("none" if k == "none" else names[int(k)]): v for k, v in table.items() if k != "total"
    }
    assert set(shown) == set(by_team)
    for team, counts in by_team.items():
        assert {f: shown[team][f] for f in FIGURES} == as_numbers(counts), team
    # One duty, by team, too.
    duty = "annual-review"
    one = report_counts(
        [r for r in rows if r["duty"] == duty], today, lambda r: r["team"] or "none"
    )
    table = figures_table(manager.get(f"/compliance/?by=team&duty={duty}").content.decode())
    for key, cells in table.items():
        if key != "total":
            team = "none" if key == "none" else names[int(key)]
            assert {f: cells[f] for f in FIGURES} == as_numbers(one[team]), team


def test_the_seed_recorded_twelve_month_ends_equal_to_the_engine(seeded, manager):
    ends = sorted(DutySnapshot.objects.values_list("month_end", flat=True).distinct())
    assert len(ends) == 12 and ends[-1] <= timezone.localdate()
    assert all((e + dt.timedelta(days=1)).day == 1 for e in ends)
    end = ends[-3]
    engine_counts = Counter(r.state.value for r in engine.evaluate(end, ["annual-review"]))
    recorded = Counter()
    for state, people in DutySnapshot.objects.filter(
        month_end=end, duty_id="annual-review"
    ).values_list("state", "people"):
        recorded[state] += people
    assert recorded == engine_counts
    # The trends page shows the same month's figures and rate.
    html = manager.get("/compliance/trends/?duty=annual-review").content.decode()
    counts = from_states(dict(engine_counts), recurring=True)
    assert trend_table(html, "annual-review")[end.isoformat()] == {
        "met": 0,
        "met_late": 0,
        "due": counts.due,
        "overdue": counts.overdue,
        "excluded": counts.excluded,
        "rate": percent(counts.rate),
    }
    assert counts.overdue and counts.due  # a figure worth comparing
