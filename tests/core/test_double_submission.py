"""Submitting a form twice (double click, browser resubmit, retry) saves it once: the second
submission of the same one-time token is answered with the first one's result."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse

from carebridge.casework.models import CaseNote, Event
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent, SubmissionReceipt
from carebridge.people.models import Person
from tests.core import form_data


@pytest.fixture
def sw(county):
    return county.workers[Role.SOCIAL_WORKER]


def _detail(person) -> str:
    return reverse("people:detail", args=[person.person_id])


def _creates() -> int:
    return AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).count()


# Audit "create" entries one submission writes: adding a person also allocates them to the
# worker who added them.
CREATES = {"add-person": 2, "case-note": 1, "record-contact": 1}


# Each form: its URL, a valid body, the records it makes, and the message a repeat gets.
FORMS = {
    "add-person": (
        lambda c: reverse("people:create"),
        lambda: form_data.new_person(family_name="Twiceclicked"),
        lambda: Person.objects.filter(family_name="Twiceclicked"),
        "This person was already added: you submitted the form twice.",
    ),
    "case-note": (
        lambda c: reverse("casework:add-note", args=[c.person_a.person_id]),
        form_data.case_note,
        lambda: CaseNote.objects.all(),
        "This case note was already saved: you submitted it twice.",
    ),
    "record-contact": (
        lambda c: reverse("frontdoor:record-contact", args=[c.person_a.person_id]),
        form_data.contact,
        lambda: Event.objects.all(),
        "This contact was already recorded: you submitted it twice.",
    ),
}


def _result_url(kind, county, records) -> str:
    if kind == "add-person":
        return _detail(records.get())
    return _detail(county.person_a)


@pytest.mark.parametrize("kind", FORMS)
def test_same_form_twice_saves_once(client, county, sw, kind):
    url_of, body_of, records_of, message = FORMS[kind]
    client.force_login(sw)
    url, body = url_of(county), body_of()
    creates = _creates()

    first = client.post(url, body)
    assert first.status_code == 302
    second = client.post(url, body)
    assert second.status_code == 302

    records = records_of()
    assert records.count() == 1
    assert first["Location"] == second["Location"] == _result_url(kind, county, records)
    assert _creates() == creates + CREATES[kind]
    assert SubmissionReceipt.objects.filter(token=body["submission_token"]).count() == 1
    # The repeat is told what happened.
    third = client.post(url, body, follow=True)
    assert message in third.content.decode()
    assert records_of().count() == 1


@pytest.mark.parametrize("kind", FORMS)
def test_different_submissions_are_not_confused(client, county, sw, kind):
    url_of, body_of, records_of, _ = FORMS[kind]
    client.force_login(sw)
    url = url_of(county)
    if kind == "add-person":
        client.post(url, form_data.new_person(family_name="Twiceclicked"))
        client.post(url, form_data.new_person(family_name="Twiceclicked", given_name="Ollie"))
    else:
        client.post(url, body_of())
        client.post(url, body_of())
    assert records_of().count() == 2


@pytest.mark.parametrize("kind", FORMS)
def test_a_refused_submission_can_be_corrected_and_sent_with_the_same_token(
    client, county, sw, kind
):
    url_of, body_of, records_of, _ = FORMS[kind]
    client.force_login(sw)
    url, body = url_of(county), body_of()
    broken = {**body, "date_of_birth-month": "13", "occurred_on-month": "13"}
    broken["contact_date-month"] = "13"
    assert client.post(url, broken).status_code == 400
    assert not records_of().exists()
    assert client.post(url, body).status_code == 302
    assert records_of().count() == 1


@pytest.mark.parametrize("kind", FORMS)
def test_two_clients_racing_with_the_same_token_save_once(make_client, county, sw, kind):
    """Two requests in flight together: both pass the "already submitted?" check before
    either has saved. The unique token in the database lets only one commit; the other is
    rolled back entirely (no record, no audit entry) and answered with the first's result."""
    url_of, body_of, records_of, _ = FORMS[kind]
    first_tab, second_tab = make_client(), make_client()
    first_tab.force_login(sw)
    second_tab.force_login(sw)
    url, body = url_of(county), body_of()
    creates = _creates()

    first = first_tab.post(url, body)
    # The second request checked before the first had saved: it saw no earlier result.
    view_module = {
        "add-person": "carebridge.people.views",
        "case-note": "carebridge.casework.views",
        "record-contact": "carebridge.frontdoor.views",
    }[kind]
    with mock.patch(f"{view_module}.previous_result", return_value=None):
        second = second_tab.post(url, body)

    records = records_of()
    assert records.count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == _result_url(kind, county, records)
    assert _creates() == creates + CREATES[kind]
    if kind == "add-person":
        assert Person.objects.filter(given_name="Olive").count() == 1  # nothing half-written
