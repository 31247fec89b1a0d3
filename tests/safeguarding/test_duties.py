"""The three safeguarding duties on exact histories: a decision within the council's standard
in working days (bank holidays skipped), an enquiry concluded within its standard, and the
adult asked about the outcomes they want (Making Safeguarding Personal). Met, met late, due,
overdue; the council's own standard applied from when it is in force."""

from __future__ import annotations

import datetime as dt

import pytest

from carebridge.duties import engine, standards
from carebridge.duties.definitions import DUTIES
from carebridge.duties.models import DutyState, LocalStandard
from carebridge.duties.spec import Basis, Period, State
from carebridge.rules import safeguarding as sg
from carebridge.safeguarding import services
from carebridge.safeguarding.models import S42Decision
from tests.factories import PersonFactory

from . import factories as f

pytestmark = pytest.mark.django_db
D = dt.date
DECISION, CONCLUDED, ASKED = (
    "safeguarding-decision",
    "safeguarding-enquiry-concluded",
    "safeguarding-outcomes-asked",
)


def state(duty, person, as_of):
    rows = list(engine.evaluate(as_of, [duty], [person.pk]))
    assert len(rows) <= 1
    return rows[0] if rows else None


def decided(concern, worker, on):
    S42Decision.objects.create(
        concern=concern,
        needs_care_and_support=True,
        needs_care_and_support_reason="r",
        abuse_or_neglect=False,
        abuse_or_neglect_reason="r",
        unable_to_protect=False,
        unable_to_protect_reason="r",
        result=sg.OTHER_ROUTE,
        route="advice",
        reason="r",
        decided_on=on,
        decided_by=worker,
    )


def test_the_definitions_say_where_they_come_from():
    assert DUTIES[DECISION].basis is Basis.LOCAL and DUTIES[DECISION].period == Period(
        working_days=2
    )
    assert DUTIES[CONCLUDED].basis is Basis.LOCAL and DUTIES[CONCLUDED].period == Period(months=3)
    assert DUTIES[ASKED].basis is Basis.GUIDANCE
    assert standards.settable(DUTIES[DECISION]) and standards.settable(DUTIES[CONCLUDED])
    assert not standards.settable(DUTIES[ASKED])


class TestDecision:
    # Friday 22 May 2026; Monday 25 May is the spring bank holiday: 2 working days run to
    # Wednesday 27 May.
    received = D(2026, 5, 22)

    def test_due_in_working_days_then_overdue(self, county, lead):
        p = PersonFactory()
        f.concern_row(p, lead, received_on=self.received)
        assert state(DECISION, p, D(2026, 5, 21)) is None
        r = state(DECISION, p, D(2026, 5, 27))
        assert (r.state, r.clock_start, r.due) == (State.DUE, self.received, D(2026, 5, 27))
        assert state(DECISION, p, D(2026, 5, 28)).state == State.OVERDUE

    def test_met_on_time_and_met_late(self, county, lead):
        on_time, late = PersonFactory(), PersonFactory()
        decided(f.concern_row(on_time, lead, received_on=self.received), lead, D(2026, 5, 27))
        decided(f.concern_row(late, lead, received_on=self.received), lead, D(2026, 5, 28))
        assert state(DECISION, on_time, D(2026, 6, 30)).state == State.MET
        r = state(DECISION, late, D(2026, 6, 30))
        assert (r.state, r.met_on) == (State.MET_LATE, D(2026, 5, 28))
        # Judged as of the due date, before it was decided, it was still due.
        assert state(DECISION, late, D(2026, 5, 27)).state == State.DUE

    def test_the_councils_own_standard_from_when_it_is_in_force(self, county, lead):
        LocalStandard.objects.create(
            duty_id=DECISION, effective_from=D(2026, 6, 1), working_days=1, note="Cabinet"
        )
        before, after = PersonFactory(), PersonFactory()
        f.concern_row(before, lead, received_on=self.received)
        f.concern_row(after, lead, received_on=D(2026, 6, 5))  # a Friday
        assert state(DECISION, before, D(2026, 5, 26)).due == D(2026, 5, 27)
        assert state(DECISION, after, D(2026, 6, 5)).due == D(2026, 6, 8)

    def test_the_overviews_due_dates_are_the_engines(self, county, lead):
        """The safeguarding overview shows due dates beside the records without running the
        engine (``standards.TimeAllowed``): they must be the engine's, default or council
        standard, in working days or months (31 January + 1 month is 28 February)."""
        LocalStandard.objects.create(
            duty_id=DECISION, effective_from=D(2026, 1, 1), months=1, note="Cabinet"
        )
        allowed = standards.TimeAllowed([DECISION])
        for received in (D(2025, 12, 24), self.received, D(2026, 1, 31)):
            p = PersonFactory()
            f.concern_row(p, lead, received_on=received)
            assert allowed.due(DECISION, received) == state(DECISION, p, received).due

    def test_the_person_is_refreshed_when_a_concern_is_raised_and_decided(
        self, county, sw, lead, django_capture_on_commit_callbacks
    ):
        person = county.person_a
        with django_capture_on_commit_callbacks(execute=True):
            concern = f.raise_concern(sw, person)
        assert DutyState.objects.get(person=person, duty_id=DECISION).state == State.DUE
        with django_capture_on_commit_callbacks(execute=True):
            f.decide(lead, concern)
        assert DutyState.objects.get(person=person, duty_id=DECISION).state == State.MET
        assert DutyState.objects.filter(person=person, duty_id=CONCLUDED).exists()


class TestEnquiryConcluded:
    def test_three_months_clamped_to_the_end_of_a_shorter_month(self, county, lead):
        p = PersonFactory()
        concern = f.concern_row(p, lead, received_on=D(2026, 1, 30))
        f.enquiry_row(concern, lead, started_on=D(2026, 1, 31))
        r = state(CONCLUDED, p, D(2026, 4, 30))
        assert (r.state, r.due) == (State.DUE, D(2026, 4, 30))
        assert state(CONCLUDED, p, D(2026, 5, 1)).state == State.OVERDUE

    def test_concluded_late(self, county, lead):
        p = PersonFactory()
        concern = f.concern_row(p, lead, received_on=D(2026, 1, 30))
        f.enquiry_row(
            concern,
            lead,
            started_on=D(2026, 1, 31),
            concluded_on=D(2026, 5, 5),
            risk_outcome=sg.RISK_REDUCED,
            msp_asked=sg.MSP_DONT_KNOW,
        )
        r = state(CONCLUDED, p, D(2026, 6, 1))
        assert (r.state, r.met_on) == (State.MET_LATE, D(2026, 5, 5))
        assert state(CONCLUDED, p, D(2026, 5, 4)).state == State.OVERDUE


class TestOutcomesAsked:
    started = D(2026, 6, 1)  # a Monday: 5 working days run to Monday 8 June

    def test_asked_when_the_concern_was_raised_counts(self, county, lead):
        p = PersonFactory()
        concern = f.concern_row(p, lead, received_on=D(2026, 5, 29))
        f.enquiry_row(
            concern,
            lead,
            started_on=self.started,
            msp_asked=sg.MSP_EXPRESSED,
            outcomes_asked_on=D(2026, 5, 29),
            desired_outcomes="Feel safe",
        )
        r = state(ASKED, p, D(2026, 6, 2))
        assert (r.state, r.met_on) == (State.MET, D(2026, 5, 29))

    def test_not_asked_is_overdue_after_five_working_days(self, county, lead):
        p = PersonFactory()
        concern = f.concern_row(p, lead, received_on=D(2026, 5, 29))
        enquiry = f.enquiry_row(concern, lead, started_on=self.started)
        r = state(ASKED, p, D(2026, 6, 8))
        assert (r.state, r.due) == (State.DUE, D(2026, 6, 8))
        assert state(ASKED, p, D(2026, 6, 9)).state == State.OVERDUE
        # Recorded "No, they were not asked": still not met.
        services.record_outcomes_asked(
            lead,
            enquiry,
            version=1,
            msp_asked=sg.MSP_NOT_ASKED,
            outcomes_asked_on=None,
            desired_outcomes="",
        )
        assert state(ASKED, p, D(2026, 6, 9)).state == State.OVERDUE

    def test_asked_late(self, county, lead):
        p = PersonFactory()
        concern = f.concern_row(p, lead, received_on=D(2026, 5, 29))
        f.enquiry_row(
            concern,
            lead,
            started_on=self.started,
            msp_asked=sg.MSP_NONE_EXPRESSED,
            outcomes_asked_on=D(2026, 6, 12),
        )
        assert state(ASKED, p, D(2026, 6, 30)).state == State.MET_LATE
