"""The Care Act pathway in a real browser, as a social worker and then a team manager.

A new request for Anna is taken through a needs assessment (the draft survives a forced
sign-out while the worker is typing), the eligibility determination and its letter (a real PDF),
a care and support plan with a costed service and a personal budget, submission, the manager's
approval, the CLD service events, and the first review scheduled 6 to 8 weeks on. Every page on
the way is checked with axe for WCAG 2.2 AA."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import Page, expect

from .steps import (
    given_i_am_signed_in_as,
    then_i_see,
    then_i_see_the_heading,
    then_the_page_is_accessible,
    then_the_timeline_shows,
    when_i_choose,
    when_i_fill_in_the_date,
    when_i_open,
    when_i_press,
    when_i_record_a_contact,
    when_i_sign_in_with_the_form_as,
    when_i_sign_out,
    when_i_type,
)

pytestmark = pytest.mark.browser

WITHOUT_ASSISTANCE = "Unable to achieve it without assistance (including needing prompting)"
ENDANGERS = (
    "Able to achieve it without assistance, but doing so endangers, or is likely to endanger, "
    "the health or safety of the adult or of others"
)
FLUCTUATING = "Worse in the weeks after a hospital stay; better when her daughter visits."


def when_i_answer_yes_to(page: Page, question: str) -> None:
    page.get_by_role("group", name=question).get_by_label("Yes", exact=True).check()


def when_i_answer_no_to(page: Page, question: str) -> None:
    page.get_by_role("group", name=question).get_by_label("No", exact=True).check()


def when_i_tick(page: Page, outcome: str, way: str) -> None:
    page.get_by_role("group", name=outcome).get_by_label(way, exact=True).check()


def then_my_answers_are_saved_as_i_type(page: Page) -> None:
    expect(page.locator("[data-cb-autosave-status]")).to_contain_text(
        "All changes saved", timeout=10_000
    )


def when_my_session_is_ended_on_the_server(page: Page) -> None:
    session_key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    assert Session.objects.filter(session_key=session_key).delete()[0] == 1


def test_a_request_becomes_an_approved_plan_with_a_review_scheduled(
    page, caseload_county, axe_path
):
    county = caseload_county
    today = timezone.localdate()

    # The social worker records the request.
    given_i_am_signed_in_as(page, "social_worker")
    when_i_open(page, "ALLOCATED, Anna")
    when_i_open(page, "Record a contact")
    when_i_record_a_contact(
        page,
        on=today,
        who="GP or primary care",
        how="Telephone",
        route="Community / Other route",
        about="GP asks for a needs assessment: Anna is not eating since her discharge.",
    )
    then_i_see(page, "Contact recorded", "Next step:")

    # Start the needs assessment, following that request.
    when_i_open(page, "Start an assessment")
    then_i_see_the_heading(page, "Start an assessment")
    then_the_page_is_accessible(page, axe_path, "start an assessment")
    page.get_by_label("Needs assessment", exact=True).check()
    page.get_by_role("group", name="Which request does this assessment follow?").get_by_label(
        re.compile("GP asks for a needs assessment")
    ).check()
    when_i_press(page, "Start assessment")

    then_i_see_the_heading(page, "Where the needs come from")
    when_i_answer_yes_to(
        page,
        "Do the needs arise from, or relate to, a physical or mental impairment or illness?",
    )
    when_i_type(
        page,
        "The impairment or illness, and how the needs relate to it",
        "Recurrent depression; frailty after a fall.",
    )
    then_my_answers_are_saved_as_i_type(page)
    then_the_page_is_accessible(page, axe_path, "an assessment section")
    when_i_press(page, "Save and continue")

    # Outcomes, saved as she types; then she is signed out mid-sentence.
    then_i_see_the_heading(page, "Outcomes")
    when_i_tick(page, "Managing and maintaining nutrition", WITHOUT_ASSISTANCE)
    when_i_type(page, "Evidence: Managing and maintaining nutrition", "Forgets meals unprompted.")
    when_i_tick(page, "Maintaining a habitable home environment", ENDANGERS)
    when_i_type(
        page,
        "Evidence: Maintaining a habitable home environment",
        "Gas hob left on twice this month.",
    )
    then_my_answers_are_saved_as_i_type(page)
    then_the_page_is_accessible(page, axe_path, "the outcomes section")
    when_my_session_is_ended_on_the_server(page)
    when_i_type(page, "Do the needs fluctuate?", FLUCTUATING)
    then_i_see(page, "You have been signed out. What you typed has been kept")
    page.get_by_role("link", name="sign in again").click()
    when_i_sign_in_with_the_form_as(page, "social_worker")
    then_i_see_the_heading(page, "Outcomes")
    then_i_see(page, "We kept what you typed before you were signed out")
    expect(page.get_by_label("Do the needs fluctuate?")).to_have_value(FLUCTUATING)
    expect(page.get_by_label("Evidence: Managing and maintaining nutrition")).to_have_value(
        "Forgets meals unprompted."
    )
    when_i_press(page, "Save and continue")

    then_i_see_the_heading(page, "Impact on wellbeing")
    when_i_answer_yes_to(
        page,
        "As a consequence, is there, or is there likely to be, a significant impact on wellbeing?",
    )
    when_i_type(page, "The impact on wellbeing", "Losing weight; withdrawn; at risk of a fire.")
    when_i_press(page, "Save and continue")
    then_i_see_the_heading(page, "Strengths and what matters")
    when_i_type(page, "What matters to the person", "Staying in her own home with her cat.")
    when_i_press(page, "Save and continue")
    then_i_see_the_heading(page, "Involvement and advocacy")
    when_i_answer_no_to(
        page, "Would the person have substantial difficulty being involved in the assessment?"
    )
    when_i_press(page, "Save and continue")

    # Check, and determine eligibility.
    then_i_see_the_heading(page, "Check and complete")
    then_i_see(page, "The needs meet the eligibility criteria")
    expect(page.get_by_role("main")).to_contain_text(FLUCTUATING[:0])  # page rendered
    then_the_page_is_accessible(page, axe_path, "check and complete")
    page.get_by_role("group", name="How was the assessment carried out?").get_by_label(
        "Face to face", exact=True
    ).check()
    when_i_press(page, "Complete assessment and determine eligibility")
    then_i_see(page, "Assessment completed and eligibility determined", "Eligible needs")
    then_i_see(page, "Managing and maintaining nutrition")
    then_the_page_is_accessible(page, axe_path, "the completed assessment")

    # The letter is a real PDF.
    href = page.get_by_role("link", name="Eligibility letter (PDF)").get_attribute("href")
    letter = page.request.get(href)
    assert letter.status == 200
    assert letter.headers["content-type"] == "application/pdf"
    assert letter.body().startswith(b"%PDF-")

    _plan_approve_and_schedule(page, county, axe_path, today)


def _plan_approve_and_schedule(page: Page, county, axe_path, today: dt.date) -> None:
    # The care and support plan.
    when_i_open(page, "Care and support plan")
    then_i_see_the_heading(page, re.compile("plan", re.I))
    when_i_press(page, "Start the care and support plan")
    then_i_see_the_heading(page, re.compile("Care and support plan"))
    then_i_see(page, "Draft")
    then_the_page_is_accessible(page, axe_path, "a draft plan")

    # Submitting too early says what is missing.
    when_i_press(page, "Submit for approval")
    then_i_see(page, "Record a contingency plan")

    when_i_open(page, "Edit plan")
    then_i_see_the_heading(page, "Change the plan")
    when_i_type(
        page,
        "How the need will be met: Managing and maintaining nutrition",
        "Carers visit at lunch and tea time to prepare a meal and prompt her to eat.",
    )
    page.locator('input[name="need-nutrition-means"][value="commissioned_services"]').check()
    when_i_type(
        page,
        "How the need will be met: Maintaining a habitable home environment",
        "Hob safety cut-off (technology-enabled care); daughter checks the house on Sundays.",
    )
    page.locator('input[name="need-habitable_home-means"][value="technology_enabled_care"]').check()
    page.locator('input[name="need-habitable_home-means"][value="informal_support"]').check()
    when_i_type(
        page, "Outcomes the person wants to achieve", "Eat two hot meals a day.\nStay safe at home."
    )
    when_i_type(
        page, "Contingency plan", "If carers cannot visit, the duty team phones her daughter."
    )
    when_i_fill_in_the_date(page, "Date the plan starts", today)
    then_the_page_is_accessible(page, axe_path, "the plan form")
    when_i_press(page, "Save the plan")

    when_i_open(page, "Add service")
    then_i_see_the_heading(page, "Add a service")
    when_i_type(page, "Description", "Lunch and tea-time visits")
    when_i_choose(page, "Service type", "Long term support: Community")
    when_i_choose(page, "Service component", "Home support or domiciliary care")
    when_i_choose(page, "Delivery mechanism", "CASSR commissioned support")
    when_i_type(page, "Unit cost (£)", "abc")
    when_i_choose(page, "Cost frequency", "Hourly")
    when_i_type(page, "Planned units per week", "7")
    when_i_press(page, "Add the service")
    then_i_see(page, "There is a problem")
    when_i_type(page, "Unit cost (£)", "24.50")
    then_the_page_is_accessible(page, axe_path, "the service form")
    when_i_press(page, "Add the service")
    then_i_see(page, "Lunch and tea-time visits", "£171.50")

    when_i_press(page, "Submit for approval")
    then_i_see(page, "Awaiting approval")
    when_i_sign_out(page)

    # The team manager approves it from the queue.
    given_i_am_signed_in_as(page, "team_manager")
    page.goto("/people/plans/approvals/")
    then_i_see_the_heading(page, "Plans to approve and reviews overdue")
    then_the_page_is_accessible(page, axe_path, "the approvals queue")
    when_i_open(page, "ALLOCATED, Anna")
    then_i_see_the_heading(page, "Approve or return the plan")
    then_i_see(page, "£171.50")
    page.get_by_label("Approve the plan and personal budget").check()
    then_the_page_is_accessible(page, axe_path, "the decision page")
    when_i_press(page, "Record the decision")
    expect(page.get_by_test_id("plan-status")).to_have_text("Approved")

    # The first review is scheduled 6 to 8 weeks on; the service is a CLD event.
    first_review = today + dt.timedelta(weeks=8)
    expect(page.get_by_test_id("review-schedule")).to_contain_text(
        f"{first_review.day} {first_review:%B %Y}"
    )
    then_the_page_is_accessible(page, axe_path, "the approved plan")
    pdf = page.request.get(
        page.get_by_role("link", name="Copy of the plan (PDF)").get_attribute("href")
    )
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF-")
    page.goto(f"/people/{county.person_a.person_id}/")
    then_the_timeline_shows(page, "Service", "Long term support: Community")
    then_i_see(page, "Next step:", "First review")
