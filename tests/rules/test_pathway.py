"""The next statutory step: which comes first, when it is due, and what it cites."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from carebridge.rules import pathway
from carebridge.rules.pathway import CaseFacts, next_step

D = dt.date(2026, 3, 1)
dates = st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
kinds = st.sampled_from(
    ["", "first_review", "annual_review", "direct_payment_review", "unplanned_review"]
)
facts = st.builds(
    CaseFacts,
    request_awaiting_assessment_since=dates,
    draft_assessment_started=dates,
    eligible_without_plan_since=dates,
    plan_in_progress_since=dates,
    plan_returned=st.booleans(),
    plan_submitted_on=dates,
    next_review_due=dates,
    next_review_kind=kinds,
)


def test_nothing_to_do():
    step = next_step(CaseFacts())
    assert step.key == pathway.NONE and step.due is None and not step.is_overdue(D)


def test_a_request_waits_for_an_assessment_by_the_local_standard():
    step = next_step(CaseFacts(request_awaiting_assessment_since=D))
    assert step.key == pathway.START_ASSESSMENT
    assert step.due == D + dt.timedelta(days=pathway.LOCAL_DAYS_REQUEST_TO_ASSESSMENT)
    assert "local standard" in step.basis and "s9" in step.basis


def test_a_review_uses_the_statutory_date_and_cites_it():
    step = next_step(CaseFacts(next_review_due=D, next_review_kind="direct_payment_review"))
    assert step.key == pathway.REVIEW and step.due == D
    assert "s27" in step.basis and "reg 7" in step.basis
    assert step.is_overdue(D + dt.timedelta(days=1)) and not step.is_overdue(D)


def test_a_returned_plan_says_so():
    step = next_step(CaseFacts(plan_in_progress_since=D, plan_returned=True))
    assert step.key == pathway.FINISH_PLAN and "returned" in step.label.lower()


@given(facts)
def test_work_in_progress_comes_before_the_next_review(f):
    step = next_step(f)
    in_progress = [
        f.plan_submitted_on,
        f.plan_in_progress_since,
        f.eligible_without_plan_since,
        f.draft_assessment_started,
        f.request_awaiting_assessment_since,
    ]
    if any(d is not None for d in in_progress):
        assert step.key != pathway.REVIEW
    elif f.next_review_due is not None:
        assert step.key == pathway.REVIEW and step.due == f.next_review_due
    else:
        assert step.key == pathway.NONE


@given(facts)
def test_every_step_with_a_date_has_a_basis(f):
    step = next_step(f)
    assert (step.due is None) == (step.key == pathway.NONE)
    if step.due is not None:
        assert step.basis
