"""Progressive enhancement: with JavaScript switched off a social worker can still sign in,
find a person and record a contact."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from .steps import (
    given_i_am_signed_in_as,
    then_i_see,
    then_i_see_the_heading,
    then_the_error_summary_says,
    then_the_results_include,
    then_the_timeline_shows,
    when_i_open,
    when_i_press,
    when_i_record_a_contact,
    when_i_search_for,
)

pytestmark = pytest.mark.browser


def test_sign_in_search_and_record_a_contact_without_javascript(no_js_page, caseload_county):
    page = no_js_page
    given_i_am_signed_in_as(page, "social_worker")
    # GOV.UK Frontend marks <body> when its JavaScript runs: here it must not have.
    expect(page.locator("body")).not_to_have_class(re.compile(r"govuk-frontend-supported"))

    when_i_search_for(page, name="Anna Alocated")
    then_the_results_include(page, "ALLOCATED, Anna", held_by="Your caseload")
    when_i_open(page, "ALLOCATED, Anna")
    then_i_see_the_heading(page, "Anna Allocated")

    when_i_open(page, "Record a contact")
    when_i_press(page, "Save contact")
    then_the_error_summary_says(page, "Enter what the request is about")
    when_i_record_a_contact(
        page,
        on=dt.date(2025, 2, 3),
        who="Self-referral",
        how="In person",
        route="Community / Other route",
        about="Anna came to the hub asking about help with shopping.",
    )
    then_i_see_the_heading(page, "Anna Allocated")
    then_i_see(page, "Contact recorded")
    then_the_timeline_shows(
        page, "3 February 2025", "Anna came to the hub asking about help with shopping."
    )
