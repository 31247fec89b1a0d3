"""A social worker's day, in a real browser: sign in, find a person on the caseload, read the
timeline, record a contact; find someone in another team, be refused, break glass with a
reason. Then the other team's manager sees that access and its reason in the report and the
audit log. Every page on the way is checked with axe for WCAG 2.2 AA."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .steps import (
    and_i_take_a_screenshot,
    given_i_am_signed_in_as,
    then_i_see,
    then_i_see_the_heading,
    then_the_design_system_styles_are_loaded,
    then_the_error_link_takes_me_to,
    then_the_error_summary_says,
    then_the_page_is_accessible,
    then_the_results_include,
    then_the_timeline_shows,
    when_i_follow_the_menu_to,
    when_i_open,
    when_i_press,
    when_i_record_a_contact,
    when_i_search_for,
    when_i_sign_out,
    when_i_type,
)

pytestmark = pytest.mark.browser

BREAK_GLASS_REASON = "Duty call: Brian's neighbour reports he has not been seen for three days."


def test_social_worker_finds_records_and_breaks_glass_and_the_manager_sees_it(
    page, caseload_county, axe_path
):
    county = caseload_county
    anna, brian = county.person_a, county.person_b
    social_worker = county.workers["social_worker"]

    # Sign in through the real form, landing on the caseload.
    page.goto("/")
    then_i_see_the_heading(page, "Sign in to carebridge")
    then_the_page_is_accessible(page, axe_path, "the sign-in page")
    given_i_am_signed_in_as(page, "social_worker")
    then_i_see_the_heading(page, "My caseload")
    then_i_see(page, "ALLOCATED, Anna")
    then_the_page_is_accessible(page, axe_path, "the caseload")

    # Find Anna despite a typo in her name, and by her NHS number.
    when_i_search_for(page, name="Alocated")
    then_the_results_include(page, "ALLOCATED, Anna", held_by="Your caseload")
    then_the_page_is_accessible(page, axe_path, "search results")
    when_i_search_for(page, nhs_number=anna.nhs_number_formatted)
    then_the_results_include(page, "ALLOCATED, Anna", held_by="Your caseload")
    expect(page.get_by_test_id("search-results").get_by_role("row")).to_have_count(2)  # + header

    # Open her record and read the timeline.
    when_i_open(page, "ALLOCATED, Anna")
    then_i_see_the_heading(page, "Anna Allocated")
    then_the_timeline_shows(
        page,
        "Case note: Home visit with Anna",
        "Anna showed me her kitchen; the cooker is unsafe.",
        "Assessment",
        "Long term assessment",
        "Care Act needs assessment booked with Anna and her daughter.",
        "Request",
        "Daughter phoned: Anna is struggling with meals since her discharge.",
        f"Allocated to {social_worker}, North CMHT",
    )
    then_the_design_system_styles_are_loaded(page)
    then_the_page_is_accessible(page, axe_path, "the person's page")
    and_i_take_a_screenshot(page, "person-page")

    # Record a contact: first with nothing chosen, to see the errors, then properly.
    when_i_open(page, "Record a contact")
    then_i_see_the_heading(page, "Record a contact: Anna Allocated")
    when_i_press(page, "Save contact")
    then_the_error_summary_says(
        page,
        "Select who made contact",
        "Select how the contact was made",
        "Select the route of access",
        "Enter what the request is about",
    )
    then_the_error_link_takes_me_to(
        page, "Enter what the request is about", "What is the request about?"
    )
    then_the_page_is_accessible(page, axe_path, "the record-a-contact form with errors")
    when_i_record_a_contact(
        page,
        on=timezone.localdate(),
        who="GP or primary care",
        how="Telephone",
        route="Discharge from Hospital",
        about="GP asks for a carer's assessment for Anna's daughter after the fall.",
    )
    then_i_see_the_heading(page, "Anna Allocated")
    then_i_see(page, "Contact recorded")
    then_the_timeline_shows(
        page,
        "Discharge from Hospital · GP or primary care",
        "GP asks for a carer's assessment for Anna's daughter after the fall.",
    )

    # Someone in another team: found by search, refused, offered break-glass.
    when_i_search_for(page, name="Brian Elsewhere")
    then_the_results_include(page, "ELSEWHERE, Brian", held_by="Another team")
    when_i_open(page, "ELSEWHERE, Brian")
    then_i_see_the_heading(page, "You do not have access to this record")
    then_i_see(page, "Brian Elsewhere is not allocated to you or to your team.")
    then_the_page_is_accessible(page, axe_path, "the break-glass page")
    when_i_press(page, "Open the record (break glass)")
    then_the_error_summary_says(page, "Explain why you need to see this record")
    then_the_error_link_takes_me_to(
        page, "Explain why you need to see this record", "Why do you need to see this record?"
    )
    then_the_page_is_accessible(page, axe_path, "the break-glass page with an error")
    and_i_take_a_screenshot(page, "break-glass")
    when_i_type(page, "Why do you need to see this record?", BREAK_GLASS_REASON)
    when_i_press(page, "Open the record (break glass)")
    then_i_see_the_heading(page, "Brian Elsewhere")
    then_i_see(page, "You opened this record by breaking glass")
    then_the_page_is_accessible(page, axe_path, "a record opened by breaking glass")
    when_i_sign_out(page)

    # Team B's manager sees the access, and the reason, in the report and in the audit log.
    given_i_am_signed_in_as(page, "manager_b")
    when_i_follow_the_menu_to(page, "Break-glass access")
    expect(page).to_have_url(re.compile(r"/break-glass/$"))
    then_i_see_the_heading(page, "Break-glass access")
    report = page.get_by_test_id("break-glass-report")
    row = report.get_by_role("row").filter(has_text="Brian Elsewhere")
    assert row.count() == 1
    then_i_see(page, str(social_worker), BREAK_GLASS_REASON)
    assert str(social_worker) in row.inner_text()
    assert BREAK_GLASS_REASON in row.inner_text()
    then_the_page_is_accessible(page, axe_path, "the break-glass report")

    when_i_open(page, "Brian Elsewhere")
    then_i_see_the_heading(page, "Audit log: Brian Elsewhere")
    log = page.get_by_test_id("audit-log")
    refused = log.get_by_role("row").filter(has_text="Access refused")
    assert refused.count() >= 1
    assert str(social_worker) in refused.first.inner_text()
    assert re.search(r"no relationship", refused.first.inner_text())
    glass = log.get_by_role("row").filter(has_text="Broke glass")
    assert glass.count() == 1
    assert BREAK_GLASS_REASON in glass.inner_text()
    assert brian.person_id in page.locator("main").inner_text()
    then_the_page_is_accessible(page, axe_path, "the audit log")
