"""Small, exact case histories, and each duty's state as of several dates: before due, due,
overdue, met, met late, exempt and not applicable. The engine runs the same SQL on SQLite and
PostgreSQL; CI runs these on both."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carebridge.duties import engine
from carebridge.duties.models import LocalStandard
from carebridge.duties.spec import State
from carebridge.rules import cld
from tests.factories import (
    AllocationFactory,
    EventFactory,
    PersonFactory,
    TeamFactory,
    WorkerFactory,
)

pytestmark = pytest.mark.django_db

D = dt.date


def state(duty: str, person, as_of: dt.date):
    rows = list(engine.evaluate(as_of, [duty], [person.pk]))
    assert len(rows) <= 1
    return rows[0] if rows else None


def request(person, on, **kw):
    kw.setdefault("end_date", None)
    kw.setdefault("outcome", "")
    return EventFactory(person=person, event_type=cld.REQUEST, start_date=on, **kw)


def assessment(person, on, **kw):
    kw.setdefault("end_date", None)
    kw.setdefault("outcome", "")
    kw.setdefault("assessment_type", "Long term assessment")
    return EventFactory(
        person=person, event_type=cld.ASSESSMENT, start_date=on, route_of_access="", **kw
    )


class TestAssessmentAfterRequest:
    duty = "assessment-after-request"

    def test_due_then_overdue_then_met_late(self):
        p = PersonFactory()
        req = request(p, D(2026, 1, 5))
        assert state(self.duty, p, D(2026, 1, 4)) is None  # no clock yet
        r = state(self.duty, p, D(2026, 1, 10))
        assert (r.state, r.clock_start, r.due, r.met_on) == (
            State.DUE,
            D(2026, 1, 5),
            D(2026, 2, 2),
            None,
        )
        assert r.clock_ref == req.reference
        assert state(self.duty, p, D(2026, 2, 2)).state == State.DUE  # due on the day itself
        assert state(self.duty, p, D(2026, 2, 3)).state == State.OVERDUE
        a = assessment(p, D(2026, 2, 10))
        # The assessment is dated after 3 February: as of then the duty was still overdue.
        assert state(self.duty, p, D(2026, 2, 3)).state == State.OVERDUE
        r = state(self.duty, p, D(2026, 2, 11))
        assert (r.state, r.met_on, r.met_ref) == (State.MET_LATE, D(2026, 2, 10), a.reference)
        assert "8 days late" in r.explanation and req.reference in r.explanation

    def test_met_on_time(self):
        p = PersonFactory()
        request(p, D(2026, 1, 5))
        assessment(p, D(2026, 1, 20))
        r = state(self.duty, p, D(2026, 6, 1))
        assert (r.state, r.met_on) == (State.MET, D(2026, 1, 20))
        assert "on time" in r.explanation

    def test_an_assessment_before_the_request_does_not_meet_it(self):
        p = PersonFactory()
        assessment(p, D(2025, 12, 1))
        request(p, D(2026, 1, 5))
        assert state(self.duty, p, D(2026, 3, 1)).state == State.OVERDUE

    def test_cancelled_and_financial_assessments_do_not_count(self):
        p = PersonFactory()
        request(p, D(2026, 1, 5))
        assessment(p, D(2026, 1, 6), cancelled=True)
        assessment(p, D(2026, 1, 7), assessment_type="Financial Assessment")
        assert state(self.duty, p, D(2026, 3, 1)).state == State.OVERDUE

    def test_declined_is_exempt_from_when_the_request_closed(self):
        p = PersonFactory()
        request(p, D(2026, 1, 5), end_date=D(2026, 1, 7), outcome="NFA: Support declined")
        assert state(self.duty, p, D(2026, 1, 6)).state == State.DUE
        r = state(self.duty, p, D(2026, 1, 8))
        assert r.state == State.EXEMPT and "s11(1)" in r.reason

    def test_closed_with_information_and_advice_needs_no_assessment(self):
        p = PersonFactory()
        request(
            p,
            D(2026, 1, 5),
            end_date=D(2026, 1, 5),
            outcome="NFA: Information and advice or signposting",
        )
        assert state(self.duty, p, D(2026, 3, 1)).state == State.NOT_APPLICABLE

    def test_the_latest_request_is_the_running_clock(self):
        p = PersonFactory()
        request(p, D(2025, 6, 1), end_date=D(2025, 6, 1), outcome="NFA: Other")
        request(p, D(2026, 1, 5))
        r = state(self.duty, p, D(2026, 1, 6))
        assert (r.state, r.clock_start) == (State.DUE, D(2026, 1, 5))
        assert state(self.duty, p, D(2025, 7, 1)).state == State.NOT_APPLICABLE

    def test_death_before_the_due_date_ends_the_duty(self):
        p = PersonFactory(date_of_death=D(2026, 1, 20))
        request(p, D(2026, 1, 5))
        assert state(self.duty, p, D(2026, 1, 10)).state == State.DUE
        r = state(self.duty, p, D(2026, 3, 1))
        assert r.state == State.NOT_APPLICABLE and "died" in r.reason

    def test_a_past_date_is_judged_by_the_standard_then_in_force(self):
        LocalStandard.objects.create(
            duty_id=self.duty, effective_from=D(2026, 1, 1), days=14, note="Tighter target"
        )
        before, after = PersonFactory(), PersonFactory()
        request(before, D(2025, 12, 20))
        request(after, D(2026, 1, 5))
        assert state(self.duty, before, D(2026, 1, 10)).due == D(2026, 1, 17)  # 28 days
        assert state(self.duty, after, D(2026, 1, 10)).due == D(2026, 1, 19)  # 14 days

    def test_the_worker_and_team_holding_the_case_on_the_date(self):
        p = PersonFactory()
        request(p, D(2026, 1, 5))
        team = TeamFactory()
        first, second = WorkerFactory(team=team), WorkerFactory(team=team)
        tz = timezone.get_current_timezone()
        handover = dt.datetime(2026, 1, 15, 10, 0, tzinfo=tz)
        AllocationFactory(
            person=p,
            team=team,
            worker=first,
            started_at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=tz),
            ended_at=handover,
        )
        AllocationFactory(person=p, team=team, worker=second, started_at=handover)
        r = state(self.duty, p, D(2026, 1, 10))
        assert (r.worker_id, r.team_id, r.organisation_id) == (
            first.pk,
            team.pk,
            team.organisation_id,
        )
        assert state(self.duty, p, D(2026, 1, 15)).worker_id == second.pk  # by the day's end
        assert state(self.duty, p, D(2026, 1, 4)) is None


def lts(person, on, **kw):
    kw.setdefault("end_date", None)
    return EventFactory(
        person=person,
        event_type=cld.SERVICE,
        start_date=on,
        service_type="Long term support: Community",
        service_component="Home care",
        outcome="",
        route_of_access="",
        **kw,
    )


def review(person, on):
    return EventFactory(
        person=person,
        event_type=cld.REVIEW,
        start_date=on,
        end_date=on,
        review_reason="Planned",
        outcome="Continuation of support or services",
        route_of_access="",
    )


class TestAnnualReview:
    duty = "annual-review"

    def test_twelve_months_from_when_support_began_then_from_each_review(self):
        p = PersonFactory()
        lts(p, D(2025, 1, 10))
        r = state(self.duty, p, D(2025, 6, 1))
        assert (r.state, r.clock_start, r.due, r.last_state) == (
            State.DUE,
            D(2025, 1, 10),
            D(2026, 1, 10),
            None,
        )
        assert state(self.duty, p, D(2026, 1, 11)).state == State.OVERDUE
        rev = review(p, D(2026, 2, 1))
        r = state(self.duty, p, D(2026, 2, 2))
        assert (r.state, r.clock_start, r.due) == (State.DUE, D(2026, 2, 1), D(2027, 2, 1))
        assert (r.last_met_on, r.last_state, r.clock_ref) == (
            D(2026, 2, 1),
            State.MET_LATE,
            rev.reference,
        )
        review(p, D(2026, 12, 1))
        r = state(self.duty, p, D(2026, 12, 2))
        assert (r.due, r.last_state) == (D(2027, 12, 1), State.MET)

    def test_twelve_months_after_29_february_is_28_february(self):
        p = PersonFactory()
        lts(p, D(2024, 2, 29))
        assert state(self.duty, p, D(2024, 3, 1)).due == D(2025, 2, 28)

    def test_no_long_term_support_on_the_date_no_duty(self):
        p = PersonFactory()
        lts(p, D(2024, 1, 1), end_date=D(2024, 6, 1))
        assert state(self.duty, p, D(2024, 3, 1)) is not None
        assert state(self.duty, p, D(2024, 7, 1)) is None

    def test_a_review_before_support_began_does_not_count(self):
        p = PersonFactory()
        review(p, D(2024, 12, 1))
        lts(p, D(2025, 1, 10))
        r = state(self.duty, p, D(2025, 2, 1))
        assert (r.clock_start, r.last_met_on) == (D(2025, 1, 10), None)


class TestAccommodationStatusCurrent:
    duty = "accommodation-status-current"

    def test_a_record_older_than_12_months_is_overdue(self):
        from carebridge.people.models import AccommodationStatusRecord

        p = PersonFactory()
        lts(p, D(2025, 3, 1))
        r = state(self.duty, p, D(2025, 3, 2))
        assert r.state == State.OVERDUE  # none recorded
        assert "no accommodation status recorded yet" in r.explanation
        AccommodationStatusRecord.objects.create(
            person=p,
            status="Owner occupier or shared ownership scheme",
            valid_from=D(2025, 1, 31),
        )
        r = state(self.duty, p, D(2025, 3, 2))  # recorded before support began: still counts
        assert (r.state, r.due) == (State.DUE, D(2026, 1, 31))
        r = state(self.duty, p, D(2026, 2, 1))
        assert r.state == State.OVERDUE
        assert "no accommodation status recorded since (overdue)" in r.explanation


def test_one_persons_kept_statement_gives_what_the_full_query_gives():
    """Refreshing one person runs each duty's compiled statement again with their key; it must
    give exactly the rows of the set-based query over many people."""
    people = [PersonFactory() for _ in range(3)]
    for i, p in enumerate(people):
        request(p, D(2026, 1, 5 + i))
        lts(p, D(2025, 1, 10 + i))
        review(p, D(2025, 12, 1 + i))
    as_of = D(2026, 2, 3)
    together = {
        (r.duty, r.person_pk): r for r in engine.evaluate(as_of, person_pks=[p.pk for p in people])
    }
    alone = {}
    for p in people:
        alone |= {(r.duty, r.person_pk): r for r in engine.evaluate(as_of, person_pks=[p.pk])}
    assert together == alone
    assert len(together) == 3 * 3  # request, annual review and accommodation for each


class TestWorkingDays:
    """A period in working days (issue 7's safeguarding decisions use them): the due date
    skips weekends and bank holidays, on both databases."""

    def test_due_after_the_christmas_bank_holidays(self, monkeypatch):
        import dataclasses

        from carebridge.duties.definitions import DUTIES
        from carebridge.duties.spec import Period

        duty = DUTIES["assessment-after-request"]
        monkeypatch.setitem(
            DUTIES, duty.id, dataclasses.replace(duty, period=Period(working_days=2))
        )
        p, q = PersonFactory(), PersonFactory()
        request(p, D(2026, 12, 23))  # Wednesday: 24th, then 29th (25th and 28th are holidays)
        request(q, D(2026, 11, 21))  # Saturday: Monday, Tuesday
        rows = {r.person_pk: r for r in engine.evaluate(D(2026, 12, 29), [duty.id], [p.pk, q.pk])}
        assert (rows[p.pk].due, rows[p.pk].state) == (D(2026, 12, 29), State.DUE)
        assert (rows[q.pk].due, rows[q.pk].state) == (D(2026, 11, 24), State.OVERDUE)
