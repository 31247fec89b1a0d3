"""The two s117 duties: the joint plan agreed by discharge (a local standard, settable) and a
joint review at least every 12 months (recurring)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from carebridge.duties import engine, standards
from carebridge.duties.definitions import DUTIES
from carebridge.duties.models import DutyState
from carebridge.duties.spec import Basis, State
from carebridge.mentalhealth import aftercare_services as services
from carebridge.rules.dates import add_months

from .conftest import agree
from .factories import EpisodeFactory, discharged_s3

PLAN, REVIEW = "s117-plan-at-discharge", "s117-joint-review"


def _row(duty, person, as_of):
    rows = [r for r in engine.evaluate(as_of, [duty], [person.pk])]
    return rows[0] if rows else None


def test_the_definitions():
    plan, review = DUTIES[PLAN], DUTIES[REVIEW]
    assert plan.basis is Basis.LOCAL and standards.settable(plan)
    assert review.basis is Basis.LOCAL and review.recurring and not standards.settable(review)
    assert "chapter 33" in plan.citation and "s117" in review.citation


def test_a_plan_agreed_before_discharge_meets_the_duty(sw, person, county):
    left = timezone.localdate() - dt.timedelta(days=40)
    episode = EpisodeFactory(person=person, detention=discharged_s3(person, left_on=left))
    assert _row(PLAN, person, left).state == State.DUE
    assert _row(PLAN, person, left + dt.timedelta(days=1)).state == State.OVERDUE
    agree(sw, episode, agreed_on=left - dt.timedelta(days=3))
    row = _row(PLAN, person, timezone.localdate())
    assert row.state == State.MET and row.met_on == left - dt.timedelta(days=3)


def test_a_plan_agreed_after_discharge_is_late(sw, person):
    left = timezone.localdate() - dt.timedelta(days=40)
    episode = EpisodeFactory(person=person, detention=discharged_s3(person, left_on=left))
    agree(sw, episode, agreed_on=left + dt.timedelta(days=10))
    assert _row(PLAN, person, timezone.localdate()).state == State.MET_LATE


def test_the_joint_review_recurs_every_12_months(sw, person):
    left = add_months(timezone.localdate(), -13)
    episode = EpisodeFactory(person=person, detention=discharged_s3(person, left_on=left))
    row = _row(REVIEW, person, timezone.localdate())
    assert row.state == State.OVERDUE and row.due == add_months(left, 12)
    held = timezone.localdate() - dt.timedelta(days=5)
    services.record_review(
        sw, episode, held_on=held, council_attendees="Sam", icb_attendees="Dr Shah",
        outcome="continue",
    )  # fmt: skip
    row = _row(REVIEW, person, timezone.localdate())
    assert row.state == State.DUE and row.due == add_months(held, 12)
    assert row.last_met_on == held


def test_no_review_is_owed_once_aftercare_has_ended(tm, person):
    from .test_services import _end

    left = add_months(timezone.localdate(), -13)
    episode = EpisodeFactory(person=person, detention=discharged_s3(person, left_on=left))
    _end(tm, episode)
    assert _row(REVIEW, person, timezone.localdate()) is None


def test_the_persons_duty_states_follow_the_records(
    sw, person, detention, county, icb, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        episode = services.record_eligibility(
            sw, detention, council=county.council, icb=icb,
            residence_basis="address_before_detention", residence_address="4 Mill Lane",
        )  # fmt: skip
    states = dict(DutyState.objects.filter(person=person).values_list("duty_id", "state"))
    assert states[PLAN] == State.OVERDUE
    with django_capture_on_commit_callbacks(execute=True):
        agree(sw, episode, agreed_on=episode.eligible_from)
    assert DutyState.objects.get(person=person, duty_id=PLAN).state == State.MET
