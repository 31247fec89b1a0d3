"""Recording s117 aftercare through the services: only after a qualifying detention and leaving
hospital; the end refused on a CTO or without both bodies; Worcestershire; the split; two people
editing at once; nothing half-written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carebridge.core.models import AuditEvent
from carebridge.mentalhealth import aftercare_services as services
from carebridge.mentalhealth.models import AftercareEpisode, AftercareFunding, AftercareReview
from carebridge.organisations.models import Organisation
from carebridge.rules import aftercare as rules

from .conftest import agree
from .factories import LegalStatusFactory, at, discharged_s3


def _record(sw, detention, county, icb, **overrides):
    fields = {
        "council": county.council,
        "icb": icb,
        "residence_basis": "address_before_detention",
        "residence_address": "4 Mill Lane",
        **overrides,
    }
    return services.record_eligibility(sw, detention, **fields)


def test_recording_eligibility_starts_aftercare_when_the_person_left_hospital(
    sw, detention, county, icb
):
    episode = _record(sw, detention, county, icb, disputed=True, dispute_notes="Anyshire says no")
    assert episode.eligible_from == detention.left_hospital_on
    assert episode.responsible_council == county.council and episode.responsible_icb == icb
    assert episode.is_open and episode.disputed
    entry = AuditEvent.objects.filter(object_type="mentalhealth.aftercareepisode").get()
    assert "Recorded s117 aftercare" in entry.summary and entry.person_id == detention.person_id


@pytest.mark.parametrize("section", ["s2", "s4", "s136", "s35"])
def test_a_detention_that_does_not_qualify_is_refused(sw, person, county, icb, section):
    detention = discharged_s3(person, section=section)
    with pytest.raises(ValidationError, match="does not lead to s117"):
        _record(sw, detention, county, icb)
    assert not AftercareEpisode.objects.exists()


def test_still_detained_or_still_in_hospital_is_refused(sw, person, county, icb):
    detained = LegalStatusFactory(person=person)
    with pytest.raises(ValidationError, match="still detained"):
        _record(sw, detained, county, icb)
    in_hospital = LegalStatusFactory(
        person=person, ended_at=timezone.now(), end_reason="discharged_rc"
    )
    with pytest.raises(ValidationError, match="has not left hospital"):
        _record(sw, in_hospital, county, icb)
    assert not AftercareEpisode.objects.exists()


def test_moving_onto_a_cto_starts_aftercare(sw, person, county, icb):
    start = timezone.localdate() - dt.timedelta(days=20)
    s3 = LegalStatusFactory(
        person=person, started_at=at(start - dt.timedelta(days=50)), ended_at=at(start),
        end_reason="replaced",
    )  # fmt: skip
    LegalStatusFactory(person=person, section="s17a", started_at=at(start), follows=s3)
    episode = _record(sw, s3, county, icb)
    assert episode.eligible_from == start


def test_bad_input_says_what_is_wrong_and_saves_nothing(sw, detention, county, icb):
    with pytest.raises(ValidationError) as e:
        _record(
            sw, detention, county, county.council, residence_basis="guess", residence_address="",
            disputed=True,
        )  # fmt: skip
    errors = e.value.message_dict
    assert errors["icb"] == ["Select the integrated care board responsible for aftercare"]
    assert "residence_basis" in errors and "dispute_notes" in errors
    assert not AftercareEpisode.objects.exists()
    assert not AuditEvent.objects.filter(object_type="mentalhealth.aftercareepisode").exists()


def test_twice_for_the_same_detention_is_refused(sw, detention, county, icb, episode):
    with pytest.raises(ValidationError, match="already recorded"):
        _record(sw, detention, county, icb)


def test_a_finance_officer_cannot_record_aftercare(officer, detention, county, icb):
    with pytest.raises(PermissionDenied):
        _record(officer, detention, county, icb)


# --- Worcestershire -----------------------------------------------------------------------------


def test_a_new_qualifying_detention_ends_the_old_aftercare(sw, person, episode, county, icb):
    other = Organisation.objects.create(kind=Organisation.COUNCIL, name="Anyshire Council")
    new_start = timezone.localdate() - dt.timedelta(days=10)
    new = LegalStatusFactory(person=person, section="s37", started_at=at(new_start), created_by=sw)
    episode.refresh_from_db()
    assert episode.ended_on == new_start
    assert episode.end_reason == rules.END_SUPERSEDED
    assert episode.get_end_reason_display() == "Superseded by new detention (Worcestershire)"
    assert episode.ended_by_detention == new
    # The basis for a new one: once they leave hospital, responsibility is fixed afresh.
    new.ended_at = at(timezone.localdate() - dt.timedelta(days=2))
    new.end_reason = "discharged_tribunal"
    new.left_hospital_on = timezone.localdate() - dt.timedelta(days=2)
    new.save()
    second = _record(sw, new, county, icb, council=other)
    assert second.responsible_council == other and second.is_open
    assert AftercareEpisode.objects.filter(person=person, ended_on__isnull=True).count() == 1


def test_a_non_qualifying_detention_does_not_end_aftercare(person, episode):
    LegalStatusFactory(person=person, section="s2", started_at=timezone.now())
    episode.refresh_from_db()
    assert episode.is_open


def test_recording_a_newer_detention_supersedes_the_open_episode(sw, person, episode, county, icb):
    # Recorded without the signal (say, imported): recording eligibility ends the old one.
    left = timezone.localdate() - dt.timedelta(days=1)
    newer = discharged_s3(person, left_on=left, days=5)
    AftercareEpisode.objects.filter(pk=episode.pk).update(ended_on=None, end_reason="")
    second = _record(sw, newer, county, icb)
    episode.refresh_from_db()
    assert episode.end_reason == rules.END_SUPERSEDED and second.is_open


# --- the joint plan -----------------------------------------------------------------------------


def test_the_joint_plan_is_agreed_then_changed_with_the_version(sw, episode):
    plan = agree(sw, episode)
    assert plan.version == 1 and plan.icb_representative == "Dr Priya Shah"
    changed = agree(sw, episode, version=1, needs="Also help with benefits")
    assert changed.version == 2 and changed.needs == "Also help with benefits"


def test_two_people_agreeing_at_once_keeps_the_first(sw, tm, episode):
    agree(sw, episode)
    agree(sw, episode, version=1, needs="First edit")
    with pytest.raises(services.AftercareConflict):
        agree(tm, episode, version=1, needs="Second edit from a stale page")
    assert episode.plan.__class__.objects.get(episode=episode).needs == "First edit"


def test_a_plan_needs_both_bodies(sw, episode):
    with pytest.raises(ValidationError) as e:
        agree(sw, episode, icb_representative="  ", needs="", council_worker=None)
    assert set(e.value.message_dict) == {"icb_representative", "needs", "council_worker"}


# --- funding split ------------------------------------------------------------------------------


def test_funding_a_service_with_a_split(sw, episode, approved_plan):
    service = approved_plan.services.get()
    funding = services.record_funding(
        sw, episode, planned_service=service, given_as="amounts",
        council_weekly=Decimal("157.60"), icb_weekly=Decimal("100.00"),
    )  # fmt: skip
    assert funding.council_percent + funding.icb_percent == 100
    assert funding.split.amounts(service.weekly_cost) == (Decimal("157.60"), Decimal("100.00"))


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"given_as": "percentages", "council_percent": Decimal(60), "icb_percent": Decimal(30)},
         "icb_percent"),
        ({"given_as": "amounts", "council_weekly": Decimal(1), "icb_weekly": Decimal(1)},
         "icb_weekly"),
        ({"given_as": "", "council_percent": Decimal(50), "icb_percent": Decimal(50)},
         "given_as"),
    ],
)  # fmt: skip
def test_a_split_that_does_not_add_up_is_refused(sw, episode, approved_plan, kwargs, key):
    with pytest.raises(ValidationError) as e:
        services.record_funding(sw, episode, planned_service=approved_plan.services.get(), **kwargs)
    assert key in e.value.message_dict
    assert not AftercareFunding.objects.exists()


def test_a_service_of_another_person_is_refused(sw, episode, county):
    from tests.planning.factories import CarePlanFactory, PlannedServiceFactory

    theirs = PlannedServiceFactory(plan=CarePlanFactory(person=county.person_b, created_by=sw))
    with pytest.raises(ValidationError, match="current care plan"):
        services.record_funding(
            sw, episode, planned_service=theirs, given_as="percentages",
            council_percent=Decimal(100), icb_percent=Decimal(0),
        )  # fmt: skip


def test_changing_a_split_with_a_stale_version_is_refused(sw, tm, episode, approved_plan):
    funding = services.record_funding(
        sw, episode, planned_service=approved_plan.services.get(), given_as="percentages",
        council_percent=Decimal(50), icb_percent=Decimal(50),
    )  # fmt: skip
    services.change_funding(
        sw, funding, version=1, given_as="percentages",
        council_percent=Decimal(100), icb_percent=Decimal(0),
    )  # fmt: skip
    with pytest.raises(services.AftercareConflict):
        services.change_funding(
            tm, funding, version=1, given_as="percentages",
            council_percent=Decimal(20), icb_percent=Decimal(80),
        )  # fmt: skip
    funding.refresh_from_db()
    assert funding.council_percent == 100


def test_a_plan_revision_keeps_the_funding(sw, episode, approved_plan, assessment):
    from carebridge.planning import services as planning

    services.record_funding(
        sw, episode, planned_service=approved_plan.services.get(), given_as="percentages",
        council_percent=Decimal(100), icb_percent=Decimal(0),
    )  # fmt: skip
    revision = planning.start_plan(sw, assessment)
    copy = revision.services.get()
    assert AftercareFunding.objects.get(planned_service=copy).council_percent == 100


# --- reviews and the end ------------------------------------------------------------------------


def test_a_joint_review_needs_both_bodies(sw, episode):
    with pytest.raises(ValidationError) as e:
        services.record_review(
            sw, episode, held_on=timezone.localdate(), council_attendees="Sam (SW)",
            icb_attendees=" ", outcome="continue",
        )  # fmt: skip
    assert "both bodies" in e.value.message_dict["icb_attendees"][0]
    review = services.record_review(
        sw, episode, held_on=timezone.localdate(), council_attendees="Sam (SW)",
        icb_attendees="Dr Shah", outcome=rules.PROPOSE_END,
    )  # fmt: skip
    assert AftercareReview.objects.get() == review


def _end(worker, episode, **overrides):
    fields = {
        "version": episode.version,
        "decided_on": timezone.localdate(),
        "council_decision_maker": "Terry Manager, team manager",
        "icb_decision_maker": "Dr Priya Shah, continuing care lead",
        "council_agrees": True,
        "icb_agrees": True,
        "reasons": "Settled for a year, working, no longer needs support",
    }
    return services.end_aftercare(worker, episode, **{**fields, **overrides})


def test_the_end_needs_both_bodies(tm, episode):
    with pytest.raises(ValidationError) as e:
        _end(tm, episode, icb_agrees=False)
    assert "the ICB has not agreed" in e.value.message_dict["icb_agrees"][0]
    episode.refresh_from_db()
    assert episode.is_open


def test_the_end_is_refused_on_a_cto(tm, person, episode):
    LegalStatusFactory(person=person, section="s17a", started_at=timezone.now())
    episode.refresh_from_db()
    with pytest.raises(ValidationError, match="community treatment order"):
        _end(tm, episode)
    episode.refresh_from_db()
    assert episode.is_open


def test_the_joint_end_is_recorded_and_only_by_a_manager(sw, tm, episode):
    with pytest.raises(PermissionDenied):
        _end(sw, episode)
    decision = _end(tm, episode)
    episode.refresh_from_db()
    assert episode.ended_on == decision.decided_on and episode.end_reason == "joint_decision"
    with pytest.raises(services.AftercareConflict):
        _end(tm, episode, version=1)
    with pytest.raises(ValidationError, match="ended"):
        services.record_review(
            sw, episode, held_on=timezone.localdate(), council_attendees="A",
            icb_attendees="B", outcome="continue",
        )  # fmt: skip
