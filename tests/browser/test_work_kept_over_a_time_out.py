"""A social worker's session times out while they type a case note: nothing is lost. They are
asked to sign in again, and get back the form as they left it, ready to check and save
(ADR 0005, core.middleware.PreserveWorkOnTimeoutMiddleware)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session

from .steps import (
    given_i_am_signed_in_as,
    then_i_see,
    then_i_see_the_heading,
    then_the_page_is_accessible,
    then_the_timeline_shows,
    when_i_choose,
    when_i_open,
    when_i_press,
    when_i_sign_in_with_the_form_as,
    when_i_type,
)

pytestmark = pytest.mark.browser

SUBJECT = "Call with Anna's daughter"
NOTE = (
    "Her daughter says Anna has missed two meals this week and the cooker is still unsafe.\n"
    "Agreed to visit on Friday with the occupational therapist."
)


def when_my_session_expires_on_the_server(page) -> None:
    """What happens after SESSION_IDLE_MINUTES without a request: the session is gone."""
    session_key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    deleted, _ = Session.objects.filter(session_key=session_key).delete()
    assert deleted == 1


def test_a_case_note_typed_before_a_time_out_is_kept_and_saved(page, caseload_county, axe_path):
    given_i_am_signed_in_as(page, "social_worker")
    when_i_open(page, "ALLOCATED, Anna")
    when_i_open(page, "Add a case note")
    then_i_see_the_heading(page, "Add a case note: Anna Allocated")
    when_i_choose(page, "Type of contact", "Telephone call")
    when_i_type(page, "Subject", SUBJECT)
    when_i_type(page, "Note", NOTE)

    when_my_session_expires_on_the_server(page)
    when_i_press(page, "Save case note")

    then_i_see_the_heading(page, "Sign in to carebridge")
    then_i_see(page, "What you typed has been kept")
    then_the_page_is_accessible(page, axe_path, "the sign-in page after a time-out")
    when_i_sign_in_with_the_form_as(page, "social_worker")

    then_i_see_the_heading(page, "Add a case note: Anna Allocated")
    then_i_see(page, "We kept what you typed before you were signed out")
    assert page.get_by_label("Type of contact", exact=True).input_value() == "phone_call"
    assert page.get_by_label("Subject", exact=True).input_value() == SUBJECT
    assert page.get_by_label("Note", exact=True).input_value() == NOTE
    then_the_page_is_accessible(page, axe_path, "the case note form given back")
    when_i_press(page, "Save case note")

    then_i_see_the_heading(page, "Anna Allocated")
    then_i_see(page, "Case note added")
    then_the_timeline_shows(page, f"Case note: {SUBJECT}", "Agreed to visit on Friday")
