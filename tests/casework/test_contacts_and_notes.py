"""Recording a contact (a CLD Request event) and adding a case note: what is saved, clear
messages for bad input (HTTP 400), and nothing half-written when anything fails."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from carebridge.casework.models import CaseNote, Event
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent, SubmissionReceipt
from carebridge.rules import cld
from tests.core import form_data

TODAY = timezone.localdate
OUTCOME = "NFA: Information and advice or signposting"
BOTH_OR_NEITHER = "Give both the outcome and the date it was decided, or neither"


@pytest.fixture
def sw(county, client):
    worker = county.workers[Role.SOCIAL_WORKER]
    client.force_login(worker)
    return worker


@pytest.fixture
def contact_url(county):
    return reverse("frontdoor:record-contact", args=[county.person_a.person_id])


@pytest.fixture
def note_url(county):
    return reverse("casework:add-note", args=[county.person_a.person_id])


def _counts():
    return (
        Event.objects.count(),
        CaseNote.objects.count(),
        AuditEvent.objects.exclude(action=AuditEvent.Action.VIEW).count(),
        SubmissionReceipt.objects.count(),
    )


def _refused(client, url, body, *messages: str):
    """Post, expect a 400 page with each message, and nothing written."""
    before = _counts()
    response = client.post(url, body)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    for message in messages:
        assert message in html, message
    assert _counts() == before
    return html


# -- record a contact --------------------------------------------------------------------------


def test_contact_is_a_request_event_with_route_of_access(client, county, sw, contact_url):
    body = form_data.contact(route_of_access="Discharge from Hospital")
    response = client.post(contact_url, body)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[county.person_a.person_id])
    event = Event.objects.get()
    assert event.event_type == cld.REQUEST
    assert event.route_of_access == "Discharge from Hospital"
    assert (event.client_type, event.request_source, event.contact_method) == (
        cld.SERVICE_USER,
        body["request_source"],
        body["contact_method"],
    )
    assert (event.start_date, event.end_date, event.outcome) == (TODAY(), None, "")
    assert event.is_open
    assert (event.person, event.team, event.worker, event.created_by) == (
        county.person_a,
        county.team_a,
        sw,
        sw,
    )
    assert event.reference.startswith("EV") and len(event.reference) == 14
    audit = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, person=county.person_a)
    assert audit.changes["after"]["route_of_access"] == "Discharge from Hospital"
    assert audit.object_id == str(event.pk)
    page = client.get(response["Location"]).content.decode()
    assert f"Contact recorded ({event.reference})" in page


def test_contact_with_outcome_and_completion_is_completed(client, county, sw, contact_url):
    yesterday = TODAY() - dt.timedelta(days=1)
    body = form_data.contact(
        outcome=OUTCOME,
        **form_data.date_parts("contact_date", yesterday),
        **form_data.date_parts("completed_on", TODAY()),
    )
    assert client.post(contact_url, body).status_code == 302
    event = Event.objects.get()
    assert (event.start_date, event.end_date, event.outcome) == (yesterday, TODAY(), OUTCOME)
    assert not event.is_open


def test_outcome_without_completion_date_is_refused(client, county, sw, contact_url):
    html = _refused(client, contact_url, form_data.contact(outcome=OUTCOME), BOTH_OR_NEITHER)
    assert 'href="#completed_on-day"' in html  # the summary links to the date to fill in


def test_completion_date_without_outcome_is_refused(client, county, sw, contact_url):
    body = form_data.contact(**form_data.date_parts("completed_on", TODAY()))
    html = _refused(client, contact_url, body, BOTH_OR_NEITHER)
    assert 'href="#outcome"' in html


def test_future_contact_date_is_refused(client, county, sw, contact_url):
    tomorrow = TODAY() + dt.timedelta(days=1)
    body = form_data.contact(**form_data.date_parts("contact_date", tomorrow))
    html = _refused(client, contact_url, body, "The date must be today or in the past")
    assert 'href="#contact_date-day"' in html


def test_future_completion_date_is_refused(client, county, sw, contact_url):
    tomorrow = TODAY() + dt.timedelta(days=1)
    body = form_data.contact(outcome=OUTCOME, **form_data.date_parts("completed_on", tomorrow))
    html = _refused(client, contact_url, body, "The date must be today or in the past")
    assert 'href="#completed_on-day"' in html


def test_completion_before_contact_is_refused(client, county, sw, contact_url):
    body = form_data.contact(
        outcome=OUTCOME,
        **form_data.date_parts("contact_date", TODAY()),
        **form_data.date_parts("completed_on", TODAY() - dt.timedelta(days=2)),
    )
    _refused(client, contact_url, body, "The end date must be the same as or after the start")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("route_of_access", "", "Select the route of access"),
        ("route_of_access", "By carrier pigeon", "Select a valid choice"),
        ("description", "", "Enter what the request is about"),
        ("contact_date-month", "13", "Date must be a real date"),
        ("contact_date-day", "", "Date must include a day"),
    ],
)
def test_bad_contact_input_is_refused_clearly(
    client, county, sw, contact_url, field, value, message
):
    _refused(client, contact_url, form_data.contact(**{field: value}), message)


def test_nothing_half_written_when_the_audit_entry_fails(client, county, sw, contact_url):
    """The event and its audit entry are one transaction: no event without its audit entry."""
    before = _counts()
    with (
        mock.patch("carebridge.casework.services.audit.record", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        client.post(contact_url, form_data.contact())
    assert _counts() == before


# -- case notes --------------------------------------------------------------------------------


def test_case_note_today_is_saved_now(client, county, sw, note_url):
    response = client.post(note_url, form_data.case_note())
    assert response.status_code == 302
    note = CaseNote.objects.get()
    assert (note.person, note.author) == (county.person_a, sw)
    assert abs(note.occurred_at - timezone.now()) < dt.timedelta(minutes=1)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_id=str(note.pk), object_type="casework.casenote"
    ).exists()
    assert "Case note added" in client.get(response["Location"]).content.decode()


def test_case_note_for_an_earlier_day(client, county, sw, note_url):
    day = TODAY() - dt.timedelta(days=3)
    assert client.post(note_url, form_data.case_note(**form_data.date_parts("occurred_on", day)))
    note = CaseNote.objects.get()
    assert timezone.localtime(note.occurred_at).date() == day


def test_case_note_future_date_is_refused(client, county, sw, note_url):
    tomorrow = TODAY() + dt.timedelta(days=1)
    body = form_data.case_note(**form_data.date_parts("occurred_on", tomorrow))
    html = _refused(client, note_url, body, "The date of the contact must not be in the future")
    assert 'href="#occurred_on-day"' in html
    assert body["subject"] in html  # what was typed is kept on the page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("subject", "", "Enter subject"),
        ("text", "", "Enter note"),
        ("occurred_on-year", "", "Date must include a year"),
        ("occurred_on-day", "32", "Date must be a real date"),
    ],
)
def test_bad_case_note_input_is_refused_clearly(
    client, county, sw, note_url, field, value, message
):
    _refused(client, note_url, form_data.case_note(**{field: value}), message)


def test_case_note_is_not_half_written(client, county, sw, note_url):
    before = _counts()
    with (
        mock.patch("carebridge.casework.services.audit.record", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        client.post(note_url, form_data.case_note())
    assert _counts() == before
