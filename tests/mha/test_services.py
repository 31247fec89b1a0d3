"""The services: each outcome of an assessment (a detention starts the legal status in the same
transaction; a holding power or place of safety ends), who may do what, validation that saves
nothing, and two workers on one record (the second is refused, the first kept)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carebridge.casework.models import Event
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.mentalhealth import services
from carebridge.mentalhealth.models import LegalStatus, MHAAssessment
from carebridge.rules import amhp
from carebridge.rules.mental_health_act import EndReason

from .conftest import ago, assessed, details, request

pytestmark = pytest.mark.django_db


def _taken(person, by, amhp_worker):
    a = request(person, by)
    return services.take(amhp_worker, a, version=a.version)


@pytest.mark.parametrize(
    ("outcome", "section"),
    [(amhp.DETAINED_S2, "s2"), (amhp.DETAINED_S3, "s3"), (amhp.DETAINED_S4, "s4")],
)
def test_a_detention_starts_the_legal_status(sw, person, duty_amhp, hospital, outcome, section):
    a = assessed(person, sw, duty_amhp, outcome, hospital=hospital)
    status = LegalStatus.objects.get(person=person)
    assert a.legal_status == status and a.status == amhp.ASSESSED
    assert (status.section, status.hospital, status.place) == (section, hospital, "Willow Ward")
    assert status.started_at == a.assessed_at and status.is_current
    assert a.assessed_on == timezone.localtime(a.assessed_at).date()
    assert status.created_by == duty_amhp


@pytest.mark.parametrize(
    "outcome", [amhp.INFORMAL_ADMISSION, amhp.COMMUNITY_SUPPORT, amhp.NO_FURTHER_ACTION]
)
def test_other_outcomes_start_no_legal_status(sw, person, duty_amhp, outcome):
    a = assessed(person, sw, duty_amhp, outcome)
    assert a.outcome == outcome and a.legal_status is None
    assert not LegalStatus.objects.filter(person=person).exists()


def test_a_section_136_ends_in_a_section_2_that_follows_it(sw, person, duty_amhp, hospital):
    s136 = services.start_status(sw, person, section="s136", started_at=ago(hours=8))
    a = assessed(person, sw, duty_amhp, amhp.DETAINED_S2, hospital=hospital)
    s136.refresh_from_db()
    assert s136.end_reason == EndReason.REPLACED and s136.ended_at == a.assessed_at
    assert a.legal_status.follows == s136


def test_a_section_136_ends_when_the_person_is_not_detained(sw, person, duty_amhp):
    s136 = services.start_status(sw, person, section="s136", started_at=ago(hours=8))
    assessed(person, sw, duty_amhp, amhp.COMMUNITY_SUPPORT)
    s136.refresh_from_db()
    assert s136.end_reason == EndReason.NOT_DETAINED_AFTER_ASSESSMENT


def test_a_section_2_is_converted_to_section_3(sw, person, duty_amhp, hospital):
    s2 = assessed(person, sw, duty_amhp, amhp.DETAINED_S2, hospital=hospital).legal_status
    a = assessed(person, sw, duty_amhp, amhp.DETAINED_S3, hospital=None)
    s2.refresh_from_db()
    assert s2.end_reason == EndReason.REPLACED
    assert a.legal_status.follows == s2 and a.legal_status.section == "s3"


def test_the_hospital_is_needed_for_a_detention(sw, person, duty_amhp):
    a = _taken(person, sw, duty_amhp)
    with pytest.raises(ValidationError) as e:
        services.record_assessment(duty_amhp, a, version=a.version, details=details())
    assert "hospital" in e.value.message_dict
    assert not LegalStatus.objects.exists()


def test_a_second_detention_is_refused_and_nothing_is_saved(sw, person, duty_amhp, hospital):
    assessed(person, sw, duty_amhp, amhp.DETAINED_S3, hospital=hospital)
    a = _taken(person, sw, duty_amhp)
    before = MHAAssessment.objects.get(pk=a.pk).version
    with pytest.raises(ValidationError) as e:
        services.record_assessment(
            duty_amhp, a, version=a.version, details=details(amhp.DETAINED_S2, hospital=hospital)
        )
    assert "already detained under Section 3" in e.value.message_dict["outcome"][0]
    a.refresh_from_db()
    assert (a.status, a.version, a.outcome) == (amhp.ALLOCATED, before, "")
    assert LegalStatus.objects.filter(person=person).count() == 1


def test_validation_errors_name_the_fields_and_save_nothing(sw, person, duty_amhp, hospital):
    a = _taken(person, sw, duty_amhp)
    bad = details(
        amhp.DETAINED_S3,
        hospital=hospital,
        at=ago(days=3),  # before the request
        location="",
        doctor_1_s12=False,
        nr_contact=amhp.NR_INFORMED,
    )
    with pytest.raises(ValidationError) as e:
        services.record_assessment(duty_amhp, a, version=a.version, details=bad)
    assert set(e.value.message_dict) >= {"assessed_on", "location", "doctor_1_s12", "nr_contact"}
    assert "before the request" in e.value.message_dict["assessed_on"][0]
    a.refresh_from_db()
    assert a.status == amhp.ALLOCATED and not LegalStatus.objects.exists()


def test_a_future_assessment_is_refused(sw, person, duty_amhp, hospital):
    a = _taken(person, sw, duty_amhp)
    later = details(amhp.COMMUNITY_SUPPORT, at=ago(hours=-3))
    with pytest.raises(ValidationError, match="future"):
        services.record_assessment(duty_amhp, a, version=a.version, details=later)


def test_only_the_amhp_who_holds_it_records_it(county, sw, person, duty_amhp):
    a = _taken(person, sw, duty_amhp)
    other = county.workers[Role.AMHP]
    with pytest.raises(ValidationError, match="Only the AMHP who holds"):
        services.record_assessment(other, a, version=a.version, details=details())
    with pytest.raises(PermissionDenied):
        services.record_assessment(sw, a, version=a.version, details=details())


def test_requests_are_validated(sw, person):
    with pytest.raises(ValidationError) as e:
        services.request_assessment(
            sw, person, requested_at=None, requester_name=" ", requester_role="x",
            request_reason="",
        )  # fmt: skip
    assert "requested_on" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.request_assessment(
            sw, person, requested_at=ago(hours=1), requester_name="", requester_role="gp",
            request_reason="Why",
        )  # fmt: skip
    assert e.value.message_dict == {"requester_name": ["Enter who asked for the assessment"]}
    assert not MHAAssessment.objects.exists()


def test_a_request_after_the_person_died_is_refused(sw, person):
    person.date_of_death = dt.date.today() - dt.timedelta(days=10)
    person.save()
    with pytest.raises(ValidationError, match="after the person died"):
        request(person, sw, at=ago(hours=1))


def test_taking_and_allocating(county, sw, person, duty_amhp, amhp_manager):
    a = request(person, sw)
    other = county.workers[Role.AMHP]
    a = services.allocate(amhp_manager, a, version=a.version, to=other)
    assert (a.held_by, a.allocated_by, a.status) == (other, amhp_manager, amhp.ALLOCATED)
    with pytest.raises(ValidationError, match="already held by"):
        services.take(duty_amhp, a, version=a.version)
    with pytest.raises(ValidationError, match="Select an AMHP"):
        services.allocate(amhp_manager, a, version=a.version, to=sw)  # not an AMHP
    a = services.allocate(amhp_manager, a, version=a.version, to=duty_amhp)  # reallocated
    assert a.held_by == duty_amhp
    with pytest.raises(PermissionDenied):
        services.allocate(duty_amhp, a, version=a.version, to=other)  # AMHPs take, not allocate
    a = services.record_assessment(
        duty_amhp, a, version=a.version, details=details(amhp.NO_FURTHER_ACTION)
    )
    with pytest.raises(ValidationError, match="stays with its AMHP"):
        services.allocate(amhp_manager, a, version=a.version, to=other)


def test_two_amhps_take_the_same_request_the_second_is_told(sw, person, duty_amhp, county):
    a = request(person, sw)
    services.take(duty_amhp, a, version=a.version)
    with pytest.raises(services.Conflict) as e:
        services.take(county.workers[Role.AMHP], a, version=a.version)  # the page they had
    assert e.value.current.held_by == duty_amhp
    assert MHAAssessment.objects.get(pk=a.pk).held_by == duty_amhp


def test_the_report(sw, person, duty_amhp, hospital):
    a = assessed(person, sw, duty_amhp, amhp.DETAINED_S2, hospital=hospital)
    with pytest.raises(ValidationError) as e:
        services.save_report(
            duty_amhp, a, version=a.version, alternatives_considered="", report="", complete=True
        )
    assert set(e.value.message_dict) == {"alternatives_considered", "report"}
    a = services.save_report(
        duty_amhp, a, version=a.version, alternatives_considered="Crisis team", report="",
        complete=False,
    )  # fmt: skip
    assert a.status == amhp.ASSESSED and a.alternatives_considered == "Crisis team"
    stale = a.version - 1
    with pytest.raises(services.Conflict):
        services.save_report(
            duty_amhp, a, version=stale, alternatives_considered="x", report="y", complete=True
        )
    a = services.save_report(
        duty_amhp, a, version=a.version, alternatives_considered="Crisis team",
        report="Detained: the least restrictive option.", complete=True,
    )  # fmt: skip
    assert a.status == amhp.REPORT_COMPLETED and a.report_completed_on is not None
    with pytest.raises(ValidationError, match="already been completed"):
        services.save_report(
            duty_amhp, a, version=a.version, alternatives_considered="x", report="y", complete=True
        )


def test_every_step_is_audited_and_no_cld_event_is_written(sw, person, duty_amhp, hospital):
    before = Event.objects.count()
    a = assessed(person, sw, duty_amhp, amhp.DETAINED_S3, hospital=hospital)
    services.save_report(
        duty_amhp, a, version=a.version, alternatives_considered="a", report="b", complete=True
    )
    summaries = list(
        AuditEvent.objects.filter(person=person).order_by("pk").values_list("summary", flat=True)
    )
    assert any("Recorded a request for a Mental Health Act assessment" in s for s in summaries)
    assert any("Took the Mental Health Act assessment" in s for s in summaries)
    assert any("Recorded the legal status Section 3" in s for s in summaries)
    assert any("Detained under Section 3" in s for s in summaries)
    assert any("Completed the AMHP report" in s for s in summaries)
    assert Event.objects.count() == before
