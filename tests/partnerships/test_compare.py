"""Continuity and the hosted vs council-run comparison: exact figures on a small county."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.duties.models import DutySnapshot
from carebridge.organisations.models import Organisation
from carebridge.partnerships import comparison, continuity
from carebridge.partnerships.models import TeamHosting
from carebridge.partnerships.views_compare import compare_rows
from carebridge.rules import cld
from tests.factories import (
    AllocationFactory,
    EventFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    WorkerFactory,
)

pytestmark = pytest.mark.django_db

START, END = dt.date(2025, 1, 1), dt.date(2025, 6, 30)
MOVE = dt.date(2025, 4, 1)
DASH = "\N{EN DASH}"


def aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def snap(month_end, duty, team, state, people):
    DutySnapshot.objects.create(
        month_end=month_end,
        duty_id=duty,
        team=team,
        state=state,
        people=people,
        recorded_at=timezone.now(),
    )


@pytest.fixture
def county():
    council = OrganisationFactory(kind=Organisation.COUNCIL, name="Council")
    trust = OrganisationFactory(kind=Organisation.NHS_TRUST, name="Trust")
    moved = TeamFactory(organisation=council, name="Moved team")  # trust until March 2025
    TeamHosting.objects.create(team=moved, managed_by=trust, ends_on=MOVE - dt.timedelta(days=1))
    TeamHosting.objects.create(team=moved, managed_by=council, starts_on=MOVE)
    council_team = TeamFactory(organisation=council, name="Council team")
    hosted = TeamFactory(organisation=trust, name="Hosted team")
    w1, w2 = WorkerFactory(team=moved), WorkerFactory(team=moved)
    p1, p2 = PersonFactory(), PersonFactory()
    AllocationFactory(person=p1, team=moved, worker=w1, started_at=aware(dt.date(2025, 1, 1)))
    AllocationFactory(
        person=p2,
        team=moved,
        worker=w1,
        started_at=aware(dt.date(2025, 1, 1)),
        ended_at=aware(dt.date(2025, 3, 1)),
    )
    AllocationFactory(person=p2, team=moved, worker=w2, started_at=aware(dt.date(2025, 3, 1)))
    # Requests: p1's while the team was hosted (10 days to assessment), p2's after (20 days).
    for person, asked, done in ((p1, dt.date(2025, 2, 3), 10), (p2, dt.date(2025, 5, 5), 20)):
        EventFactory(person=person, start_date=asked, end_date=asked, outcome="")
        EventFactory(
            person=person,
            event_type=cld.ASSESSMENT,
            start_date=asked + dt.timedelta(days=1),
            end_date=asked + dt.timedelta(days=done),
        )
    aar = "assessment-after-request"
    snap(dt.date(2025, 1, 31), aar, moved, "met", 3)  # hosted then
    snap(dt.date(2025, 1, 31), aar, moved, "overdue", 1)
    snap(dt.date(2025, 5, 31), aar, moved, "met", 1)  # council by then
    snap(dt.date(2025, 5, 31), aar, moved, "met_late", 1)
    snap(dt.date(2025, 1, 31), aar, council_team, "met", 1)
    snap(dt.date(2025, 2, 28), "annual-review", hosted, "due", 3)
    snap(dt.date(2025, 2, 28), "annual-review", hosted, "overdue", 1)
    snap(dt.date(2024, 12, 31), aar, hosted, "overdue", 9)  # before the period: left out
    return SimpleNamespace(
        council=council, trust=trust, moved=moved, hosted=hosted, council_team=council_team
    )


def shown(result, key):
    m = next(m for m in result.measures if m.key == key)
    return {col: f.shown for col, f in m.figures.items()}


def test_hosted_vs_council_exact_figures(county):
    r = comparison.hosted_vs_council(START, END)
    # The moved team's January counts as hosted, its May as council-run.
    assert shown(r, "duty-assessment-after-request") == {"hosted": "75.0%", "council": "66.7%"}
    assert shown(r, "review-timeliness") == {"hosted": "75.0%", "council": DASH}
    assert shown(r, "duties-overall") == {"hosted": "75.0%", "council": "66.7%"}
    assert shown(r, "days-to-assessed") == {"hosted": "10 days", "council": "20 days"}
    assert shown(r, "days-to-eligibility") == {"hosted": DASH, "council": DASH}
    # Both people held by the moved team at the end of June, when the council ran it.
    assert shown(r, "handoffs-mean") == {"hosted": DASH, "council": "0.50"}
    assert shown(r, "handoffs-none") == {"hosted": DASH, "council": "50.0%"}
    assert shown(r, "caseload-mean") == {"hosted": DASH, "council": "1.0"}
    assert shown(r, "caseload-median") == {"hosted": DASH, "council": "1"}


def test_before_and_after(county):
    r = comparison.teams_before_and_after([county.moved.pk], MOVE, 3)
    before, after = r.columns
    assert (before.start, before.end) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert (after.start, after.end) == (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    assert shown(r, "duty-assessment-after-request") == {"before": "75.0%", "after": "50.0%"}
    assert shown(r, "days-to-assessed") == {"before": "10 days", "after": "20 days"}
    assert shown(r, "caseload-mean") == {"before": "1.0", "after": "1.0"}


def test_a_past_period_reads_the_same_after_a_team_moves_today(county):
    before = compare_rows(comparison.hosted_vs_council(START, END))
    table_before = continuity.table(START, END, "organisation")
    today = timezone.localdate()
    TeamHosting.objects.filter(team=county.moved, ends_on__isnull=True).update(
        ends_on=today - dt.timedelta(days=1)
    )
    TeamHosting.objects.create(team=county.moved, managed_by=county.trust, starts_on=today)
    county.moved.organisation = county.trust
    county.moved.save()
    assert compare_rows(comparison.hosted_vs_council(START, END)) == before
    assert continuity.table(START, END, "organisation") == table_before


def test_continuity_by_team_and_organisation(county):
    t = continuity.table(START, END, "team")
    row = next(r for r in t.rows if r.label == "Moved team")
    assert (row.period.people, row.period.handoffs, row.period.none) == (2, 1, 1)
    assert (row.journey.people, row.journey.handoffs) == (2, 0)
    o = continuity.table(START, END, "organisation")
    assert [r.label for r in o.rows] == ["Council"]  # the host on 30 June 2025
    o_march = continuity.table(START, dt.date(2025, 3, 31), "organisation")
    assert [r.label for r in o_march.rows] == ["Trust"]


@pytest.fixture
def analyst(client):
    client.force_login(WorkerFactory(role=Role.PERFORMANCE_ANALYST))
    return client


def _dates(start, end):
    return {
        "start-day": start.day,
        "start-month": start.month,
        "start-year": start.year,
        "end-day": end.day,
        "end-month": end.month,
        "end-year": end.year,
    }


def test_pages_and_csv(county, analyst, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        page = analyst.get(reverse("partnerships:compare"), _dates(START, END))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hosted by an NHS body" in html and 'data-testid="chart-duties-overall"' in html
    with django_assert_max_num_queries(30):
        page = analyst.get(
            reverse("partnerships:continuity"), _dates(START, END) | {"by": "organisation"}
        )
    assert page.status_code == 200 and "Council" in page.content.decode()

    csv = analyst.get(reverse("partnerships:compare-csv"), _dates(START, END))
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("group,measure,label,column")
    assert any(
        line.startswith("Time from request,days-to-assessed,")
        and ",Run by the council," in line
        and ",20," in line
        for line in lines
    )
    assert AuditEvent.objects.filter(object_type="partnerships.comparison").count() == 1
    csv = analyst.get(reverse("partnerships:continuity-csv"), _dates(START, END))
    assert "Moved team,2025-01-01,2025-06-30,2,1,0.50,0.5,50.0,0.0" in csv.content.decode()
    assert AuditEvent.objects.filter(object_type="partnerships.continuity").count() == 1


def test_before_and_after_page(county, analyst):
    page = analyst.get(
        reverse("partnerships:compare"),
        {"teams": str(county.moved.pk), "split": "2025-04-01", "months": "3"},
    )
    assert page.status_code == 200
    assert "Before and after" in page.content.decode()
    bad = analyst.get(reverse("partnerships:compare"), {"teams": "x", "split": "2025-02-30"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Teams must be a list of team numbers" in text
    assert "must be a real date" in text


@pytest.mark.parametrize("name", ["partnerships:compare", "partnerships:continuity"])
def test_impossible_dates(analyst, name):
    page = analyst.get(
        reverse(name),
        {"start-day": "31", "start-month": "2", "start-year": "2025"}
        | {"end-day": "1", "end-month": "1", "end-year": "2025"},
    )
    assert page.status_code == 400
    assert "There is a problem" in page.content.decode()
    page = analyst.get(reverse(name), _dates(END, START))
    assert page.status_code == 400
    assert "must be the same as or after its start" in page.content.decode()


def test_refused_without_the_capability(client):
    client.force_login(WorkerFactory(role=Role.SOCIAL_WORKER))
    page = client.get(reverse("partnerships:compare"))
    assert page.status_code == 403


def test_eligibility_plan_and_costs(county):
    from decimal import Decimal

    from carebridge.assessments.models import Assessment, EligibilityDetermination
    from carebridge.casework.models import Allocation
    from carebridge.planning.models import CarePlan, PlannedService

    p1 = Allocation.objects.filter(person__events__start_date=dt.date(2025, 2, 3)).first().person
    p2 = Allocation.objects.exclude(person=p1).first().person
    w = WorkerFactory()
    a = Assessment.objects.create(
        person=p1, kind="adult", started_on=dt.date(2025, 2, 4), assessor=w, status="completed"
    )
    EligibilityDetermination.objects.create(
        assessment=a,
        person=p1,
        kind="adult",
        eligible=True,
        regulation="SI 2015/313 reg 2",
        determined_on=dt.date(2025, 2, 18),
        determined_by=w,
    )
    plan = CarePlan.objects.create(
        person=p1,
        assessment=a,
        status=CarePlan.Status.APPROVED,
        approved_on=dt.date(2025, 3, 5),
        created_by=w,
    )
    PlannedService.objects.create(
        plan=plan,
        description="Home care",
        service_type="Long term support: Community",
        service_component="Home care",
        delivery_mechanism="Council managed budget",
        unit_cost=Decimal("20.00"),
        cost_frequency="Hourly",
        planned_units_per_week=Decimal("10"),
    )
    EventFactory(
        person=p2,
        event_type=cld.SERVICE,
        start_date=dt.date(2025, 1, 10),
        end_date=None,
        outcome="",
        unit_cost=Decimal("50.00"),
        cost_frequency="Weekly",
        planned_units_per_week=Decimal("1"),
    )
    r = comparison.hosted_vs_council(START, END)
    assert shown(r, "days-to-eligibility") == {"hosted": "15 days", "council": DASH}
    assert shown(r, "days-to-plan") == {"hosted": "30 days", "council": DASH}
    # Both held at the end of June by the moved team, then run by the council.
    assert shown(r, "weekly-budget") == {"hosted": DASH, "council": "£200.00"}
    assert shown(r, "weekly-services") == {"hosted": DASH, "council": "£50.00"}
    # p1's journey, request to plan, had no hand-off.
    row = next(x for x in continuity.table(START, END).rows if x.label == "Moved team")
    assert row.journey.handoffs == 0
