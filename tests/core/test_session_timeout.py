"""Work typed before a session time-out is not lost (ADR 0005): the late POST is kept, the
worker signs in again and gets the form back filled in — once, and only the worker who typed it.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from carebridge.casework.models import CaseNote
from carebridge.core.access import Role
from carebridge.core.middleware import LAST_WORKER_COOKIE, PRESERVED_WORK_KEY
from carebridge.people.models import Person
from tests.conftest import PASSWORD
from tests.core import form_data

SIGN_IN = reverse("core:sign-in")
KEPT_ON_SIGN_IN = "What you typed has been kept"
KEPT_NOTE = "We kept what you typed before you were signed out"
KEPT_PERSON = "You were signed out before this was saved. We kept what you typed"

SUBJECT = "Home visit kitchen unsafe"
TEXT = "Cooker left on twice this week; daughter to fit a timer switch"


def sign_in(client, worker, next_url: str = ""):
    data = {"username": worker.username, "password": PASSWORD, "next": next_url}
    url = f"{SIGN_IN}?next={next_url}" if next_url else SIGN_IN
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def token_on(html: str) -> str:
    return re.search(r'name="submission_token" value="([^"]+)"', html).group(1)


def expire_by_flushing(client):
    """The server forgets the session (as when it times out); the browser keeps its cookies."""
    client.session.flush()


def expire_by_logout_keeping_last_worker(client):
    last_worker = client.cookies[LAST_WORKER_COOKIE].value
    client.logout()
    client.cookies[LAST_WORKER_COOKIE] = last_worker


@pytest.fixture
def sw(county):
    return county.workers[Role.SOCIAL_WORKER]


@pytest.fixture
def note_url(county):
    return reverse("casework:add-note", args=[county.person_a.person_id])


def _typed_note(client, note_url) -> dict[str, str]:
    page = client.get(note_url)
    assert page.status_code == 200
    return form_data.case_note(
        subject=SUBJECT, text=TEXT, submission_token=token_on(page.content.decode())
    )


def _assert_sent_to_sign_in_with_work_kept(response, path):
    assert response.status_code == 302
    split = urlsplit(response["Location"])
    assert split.path == SIGN_IN
    assert parse_qs(split.query) == {"next": [path], "timed_out": ["1"]}


def _assert_note_form_filled(html: str, typed: dict[str, str]):
    assert KEPT_NOTE in html
    assert f'value="{SUBJECT}"' in html
    assert TEXT in html
    assert f'value="{typed["submission_token"]}"' in html  # the same submission, still once-only
    assert f'value="{typed["occurred_on-year"]}"' in html


@pytest.mark.parametrize("expire", [expire_by_flushing, expire_by_logout_keeping_last_worker])
def test_case_note_typed_before_time_out_is_given_back(client, county, sw, note_url, expire):
    sign_in(client, sw)
    typed = _typed_note(client, note_url)
    expire(client)

    late = client.post(note_url, typed)
    _assert_sent_to_sign_in_with_work_kept(late, note_url)
    assert not CaseNote.objects.exists()

    page = client.get(late["Location"])
    assert page.status_code == 200
    assert KEPT_ON_SIGN_IN in page.content.decode()

    back = sign_in(client, sw, next_url=note_url)
    assert back["Location"] == note_url
    form = client.get(note_url)
    assert form.status_code == 200
    _assert_note_form_filled(form.content.decode(), typed)
    assert not CaseNote.objects.exists()  # given back to check, not saved behind their back

    # Once only: reloading shows an empty form.
    again = client.get(note_url).content.decode()
    assert SUBJECT not in again and TEXT not in again and KEPT_NOTE not in again

    # Saving what was given back saves it, once.
    assert client.post(note_url, typed).status_code == 302
    assert client.post(note_url, typed).status_code == 302
    note = CaseNote.objects.get()
    assert (note.subject, note.text, note.author) == (SUBJECT, TEXT, sw)


def test_real_idle_time_out_keeps_the_work(client, county, sw, note_url):
    start = timezone.now()
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(start, tick=False):
        sign_in(client, sw)
        typed = _typed_note(client, note_url)
    # Activity keeps the session alive: still signed in just before the idle limit...
    with time_machine.travel(start + idle - dt.timedelta(seconds=5), tick=False):
        assert client.get(reverse("core:keep-alive")).status_code == 204
    typed_later = start + 2 * idle - dt.timedelta(seconds=10)
    with time_machine.travel(typed_later, tick=False):
        assert client.get(reverse("core:keep-alive")).status_code == 204
    # ...and signed out once the limit passes with no request.
    with time_machine.travel(typed_later + idle + dt.timedelta(seconds=1), tick=False):
        late = client.post(note_url, typed)
        _assert_sent_to_sign_in_with_work_kept(late, note_url)
        assert KEPT_ON_SIGN_IN in client.get(late["Location"]).content.decode()
        sign_in(client, sw, next_url=note_url)
        _assert_note_form_filled(client.get(note_url).content.decode(), typed)
    assert not CaseNote.objects.exists()


def test_work_kept_through_a_long_pause_before_signing_in_again(client, county, sw, note_url):
    """The worker is called away: they sign in again hours later and the work is still there,
    and the session they sign in to times out after the usual idle time, not the longer one."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, sw)
        typed = _typed_note(client, note_url)
    late_at = start + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    with time_machine.travel(late_at, tick=False):
        _assert_sent_to_sign_in_with_work_kept(client.post(note_url, typed), note_url)
    with time_machine.travel(late_at + dt.timedelta(hours=3), tick=False):
        sign_in(client, sw, next_url=note_url)
        _assert_note_form_filled(client.get(note_url).content.decode(), typed)
        assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert not CaseNote.objects.exists()


def test_session_really_ends_after_the_idle_time(client, county, sw):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, sw)
    with time_machine.travel(
        start + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1), tick=False
    ):
        response = client.get(reverse("casework:caseload"))
        assert response.status_code == 302 and response["Location"].startswith(SIGN_IN)


def test_add_person_typed_before_time_out_is_given_back(client, county, sw):
    url = reverse("people:create")
    sign_in(client, sw)
    page = client.get(url)
    typed = form_data.new_person(
        given_name="Winifred",
        family_name="Oakhampton",
        submission_token=token_on(page.content.decode()),
    )
    people = Person.objects.count()
    expire_by_flushing(client)

    late = client.post(url, typed)
    _assert_sent_to_sign_in_with_work_kept(late, url)
    assert KEPT_ON_SIGN_IN in client.get(late["Location"]).content.decode()
    sign_in(client, sw, next_url=url)
    html = client.get(url).content.decode()
    assert KEPT_PERSON in html
    assert 'value="Winifred"' in html and 'value="Oakhampton"' in html
    assert 'value="1941"' in html and 'value="NR1 2DH"' in html
    assert Person.objects.count() == people

    assert "Winifred" not in client.get(url).content.decode()  # once only
    assert client.post(url, typed).status_code == 302
    assert Person.objects.filter(family_name="Oakhampton").count() == 1


def test_another_worker_on_the_same_browser_does_not_get_the_work(client, county, sw, note_url):
    sign_in(client, sw)
    typed = _typed_note(client, note_url)
    expire_by_flushing(client)
    _assert_sent_to_sign_in_with_work_kept(client.post(note_url, typed), note_url)

    colleague = county.workers[Role.AMHP]  # same team: may open the same page
    sign_in(client, colleague, next_url=note_url)
    html = client.get(note_url).content.decode()
    assert SUBJECT not in html and TEXT not in html and KEPT_NOTE not in html
    assert not CaseNote.objects.exists()

    # Not kept for later either: the first worker coming back does not get it now.
    client.post(reverse("core:sign-out"))
    sign_in(client, sw, next_url=note_url)
    assert SUBJECT not in client.get(note_url).content.decode()


def test_work_is_only_given_back_on_the_page_it_was_typed_on(client, county, sw, note_url):
    sign_in(client, sw)
    typed = _typed_note(client, note_url)
    expire_by_flushing(client)
    client.post(note_url, typed)
    sign_in(client, sw)
    contact_url = reverse("frontdoor:record-contact", args=[county.person_a.person_id])
    assert SUBJECT not in client.get(contact_url).content.decode()
    assert PRESERVED_WORK_KEY in client.session  # still waiting for its own page
    _assert_note_form_filled(client.get(note_url).content.decode(), typed)


def test_without_knowing_who_typed_it_nothing_is_given_back(client, county, sw, note_url):
    sign_in(client, sw)
    typed = _typed_note(client, note_url)
    client.logout()  # all cookies gone: the browser cannot say who last used it
    _assert_sent_to_sign_in_with_work_kept(client.post(note_url, typed), note_url)
    sign_in(client, sw, next_url=note_url)
    assert SUBJECT not in client.get(note_url).content.decode()


def test_sign_in_page_without_kept_work(client, db):
    html = client.get(SIGN_IN, {"timed_out": "1"}).content.decode()
    assert "You were signed out after" in html
    assert KEPT_ON_SIGN_IN not in html and "Sign in again to carry on" in html


def test_kept_work_is_not_stored_in_the_old_session(client, county, sw, note_url):
    """The typed text lives in the new anonymous session only (server side), not a cookie."""
    sign_in(client, sw)
    typed = _typed_note(client, note_url)
    expire_by_flushing(client)
    client.post(note_url, typed)
    assert all(SUBJECT not in morsel.value for morsel in client.cookies.values())
    stored = [s.get_decoded().get(PRESERVED_WORK_KEY) for s in Session.objects.all()]
    kept = [k for k in stored if k]
    assert len(kept) == 1 and kept[0]["data"]["subject"] == [SUBJECT]
    assert kept[0]["owner"] == sw.pk
    assert "csrfmiddlewaretoken" not in kept[0]["data"]
