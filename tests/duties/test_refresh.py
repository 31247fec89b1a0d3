"""A person's duty states are brought up to date in the request that changes their record, so
a caseload is never stale; bulk loads refresh once at the end."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from carebridge.casework.models import Event
from carebridge.core.access import Role
from carebridge.duties import services
from carebridge.duties.models import DutyState
from carebridge.rules import cld
from tests.core import form_data
from tests.factories import EventFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_recording_a_contact_starts_the_assessment_clock_in_the_same_request(
    client, county, django_capture_on_commit_callbacks
):
    worker = county.workers[Role.SOCIAL_WORKER]
    client.force_login(worker)
    url = reverse("frontdoor:record-contact", args=[county.person_a.person_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data.contact())
    assert response.status_code == 302
    state = DutyState.objects.get(person=county.person_a, duty_id="assessment-after-request")
    event = Event.objects.get(person=county.person_a)
    today = timezone.localdate()
    assert (state.state, state.clock_start, state.clock_ref) == ("due", today, event.reference)
    assert state.due == today + dt.timedelta(days=28)
    assert (state.worker_id, state.team_id) == (worker.pk, county.team_a.pk)
    assert state.organisation_id == county.team_a.organisation_id


def test_a_change_replaces_the_persons_states_and_no_one_elses(django_capture_on_commit_callbacks):
    a, b = PersonFactory(), PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        EventFactory(person=a, event_type=cld.REQUEST, end_date=None, outcome="")
        EventFactory(person=b, event_type=cld.REQUEST, end_date=None, outcome="")
    assert DutyState.objects.filter(person__in=[a, b]).count() == 2
    request = Event.objects.get(person=a)
    with django_capture_on_commit_callbacks(execute=True):
        request.end_date = request.start_date
        request.outcome = "NFA: Support declined"
        request.save()
    assert DutyState.objects.get(person=a).state == "exempt"
    assert DutyState.objects.get(person=b).state in ("due", "overdue")


def test_deferred_collects_people_instead_of_refreshing(django_capture_on_commit_callbacks):
    p = PersonFactory()
    with services.deferred() as held, django_capture_on_commit_callbacks(execute=True):
        EventFactory(person=p, event_type=cld.REQUEST, end_date=None, outcome="")
    assert p.pk in held
    assert not DutyState.objects.filter(person=p).exists()
    assert services.refresh_people(held) == 1
    assert DutyState.objects.filter(person=p).count() == 1


def test_refresh_all_matches_the_engine_as_of_today():
    from carebridge.duties import engine

    for _ in range(3):
        EventFactory(person=PersonFactory(), event_type=cld.REQUEST, end_date=None, outcome="")
    n = services.refresh_all()
    assert n == DutyState.objects.count() == len(list(engine.evaluate(timezone.localdate())))


def test_deleting_a_record_refreshes_too(django_capture_on_commit_callbacks):
    p = PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        event = EventFactory(person=p, event_type=cld.REQUEST, end_date=None, outcome="")
    assert DutyState.objects.filter(person=p).exists()
    with django_capture_on_commit_callbacks(execute=True):
        event.delete()
    assert not DutyState.objects.filter(person=p).exists()


def test_a_failed_refresh_never_fails_the_write(django_capture_on_commit_callbacks, caplog):
    from unittest import mock

    p = PersonFactory()
    with (
        mock.patch.object(services, "refresh_people", side_effect=RuntimeError("database gone")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        event = EventFactory(person=p, event_type=cld.REQUEST, end_date=None, outcome="")
    assert Event.objects.filter(pk=event.pk).exists()  # the record is kept
    assert "database gone" in caplog.text  # and the failure is logged for the nightly repair


def test_recording_an_offer_to_a_carer_meets_their_duty_in_the_same_request(
    client, county, django_capture_on_commit_callbacks
):
    from tests.people.factories import CarerRelationshipFactory

    worker = county.workers[Role.SOCIAL_WORKER]
    client.force_login(worker)
    anna = county.person_a
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        rel = CarerRelationshipFactory(cared_for=anna, started_on=today - dt.timedelta(days=60))
        # Anna's home care starting puts her carer on the duty (the event is Anna's).
        EventFactory(
            person=anna,
            event_type=cld.SERVICE,
            start_date=today - dt.timedelta(days=40),
            end_date=None,
            outcome="",
            service_type="Long term support: Community",
        )
    state = DutyState.objects.get(person=rel.carer, duty_id="carer-assessment-offered")
    assert (state.state, state.clock_start) == ("overdue", today - dt.timedelta(days=40))
    url = reverse("people:carer-offer", args=[anna.person_id, rel.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data.carer_offer(worker, method="in_person"))
    assert response.status_code == 302
    state = DutyState.objects.get(person=rel.carer, duty_id="carer-assessment-offered")
    assert (state.state, state.met_on, state.met_ref) == (
        "met_late",
        today,
        "(in person, no response yet)",
    )
    assert not DutyState.objects.filter(person=anna, duty_id="carer-assessment-offered").exists()


def test_the_death_of_the_person_cared_for_refreshes_their_carers(
    django_capture_on_commit_callbacks,
):
    from tests.people.factories import CarerRelationshipFactory

    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        rel = CarerRelationshipFactory(started_on=today - dt.timedelta(days=5))
        EventFactory(
            person=rel.cared_for,
            event_type=cld.SERVICE,
            start_date=today - dt.timedelta(days=5),
            end_date=None,
            outcome="",
            service_type="Long term support: Community",
        )
    assert DutyState.objects.get(person=rel.carer).state == "due"
    with django_capture_on_commit_callbacks(execute=True):
        rel.cared_for.date_of_death = today
        rel.cared_for.save()
    assert DutyState.objects.get(person=rel.carer).state == "not_applicable"
