"""The review duties follow rules.reviews: its periods, and which reviews count for which duty
(a plan review also reviews a direct payment; a direct payment review is not a plan review;
any review after sign-off discharges the first review)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from carebridge.duties import engine
from carebridge.duties.spec import State
from carebridge.planning.models import DirectPaymentAgreement, Review
from carebridge.rules import cld, reviews
from carebridge.rules.dates import add_months
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _row(duty, person, as_of):
    rows = list(engine.evaluate(as_of, [duty], [person.pk]))
    assert len(rows) == 1, rows
    return rows[0]


def _review(plan, kind, on):
    event = EventFactory(
        person=plan.person,
        event_type=cld.REVIEW,
        start_date=on,
        end_date=on,
        review_reason="Planned",
        outcome="Continuation of support or services",
        route_of_access="",
    )
    return Review.objects.create(
        person=plan.person,
        plan=plan,
        kind=kind,
        status=Review.Status.COMPLETED,
        completed_on=on,
        event=event,
    )


def test_first_review_is_due_8_weeks_after_sign_off(approved_plan):
    row = _row("first-review", approved_plan.person, approved_plan.approved_on)
    weeks = reviews.FIRST_REVIEW_LATEST_WEEKS
    assert row.due == approved_plan.approved_on + dt.timedelta(weeks=weeks)
    assert row.definition.citation == reviews.PLAN_REVIEW_CITATION


def test_a_plan_review_also_reviews_the_direct_payment(approved_plan):
    first_payment = approved_plan.approved_on
    DirectPaymentAgreement.objects.create(
        plan=approved_plan,
        weekly_amount=Decimal("100.00"),
        start_date=first_payment,
        first_payment_on=first_payment,
    )
    person = approved_plan.person
    row = _row("direct-payment-review", person, first_payment)
    assert row.due == add_months(first_payment, reviews.DIRECT_PAYMENT_FIRST_REVIEW_MONTHS)
    reviewed = first_payment + dt.timedelta(days=90)
    _review(approved_plan, Review.Kind.ANNUAL, reviewed)
    row = _row("direct-payment-review", person, reviewed)
    assert (row.last_met_on, row.last_state) == (reviewed, State.MET)
    assert row.due == add_months(reviewed, reviews.DIRECT_PAYMENT_REVIEW_INTERVAL_MONTHS)


def test_a_direct_payment_review_is_not_a_plan_review(approved_plan):
    person = approved_plan.person
    start = _row("annual-review", person, approved_plan.approved_on).clock_start
    later = approved_plan.approved_on + dt.timedelta(days=120)
    _review(approved_plan, Review.Kind.DP_FIRST, later)
    row = _row("annual-review", person, later)
    assert (row.clock_start, row.last_met_on) == (start, None)
    _review(approved_plan, Review.Kind.ANNUAL, later + dt.timedelta(days=1))
    row = _row("annual-review", person, later + dt.timedelta(days=1))
    assert row.last_met_on == later + dt.timedelta(days=1)
    assert row.due == add_months(later + dt.timedelta(days=1), reviews.PLAN_REVIEW_INTERVAL_MONTHS)


def test_a_direct_payment_refreshes_the_plans_persons_duties(
    approved_plan, django_capture_on_commit_callbacks
):
    """A direct payment agreement belongs to a plan, not a person: the plan's person's duty
    states are refreshed when it is saved."""
    from carebridge.duties.models import DutyState

    with django_capture_on_commit_callbacks(execute=True):
        DirectPaymentAgreement.objects.create(
            plan=approved_plan,
            weekly_amount=Decimal("100.00"),
            start_date=approved_plan.approved_on,
            first_payment_on=approved_plan.approved_on,
        )
    state = DutyState.objects.get(person=approved_plan.person, duty_id="direct-payment-review")
    assert state.clock_start == approved_plan.approved_on
