"""A concern from an NHS ward becomes a section 42 enquiry with the adult's outcomes asked, and
concludes with them met and the plan closed, in a real browser: the NHS partner raises it from
the person's record (told what is missing first), the safeguarding lead decides it from the
Safeguarding overview, records the outcomes the adult wants, advocacy and the safeguarding plan,
and concludes the enquiry. Then the commissioner sees the provider concerns with no names.
Every page is checked with axe for WCAG 2.2 AA."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from carebridge.rules import safeguarding as sg
from carebridge.safeguarding.models import Concern, Enquiry, SafeguardingPlan
from tests.planning.factories import ProviderFactory

from .steps import (
    given_i_am_signed_in_as,
    then_i_see,
    then_i_see_the_heading,
    then_the_error_summary_says,
    then_the_page_is_accessible,
    when_i_choose,
    when_i_follow_the_menu_to,
    when_i_open,
    when_i_press,
    when_i_sign_out,
    when_i_type,
)

pytestmark = pytest.mark.browser


def _answer(page, legend: str, option: str) -> None:
    page.get_by_role("group", name=legend).get_by_label(option, exact=True).check()


def test_a_ward_concern_becomes_an_s42_enquiry_with_outcomes_met(page, county, axe_path):
    person = county.person_a_team
    given_i_am_signed_in_as(page, "nhs_partner")
    page.goto(f"/people/{person.person_id}/")
    when_i_open(page, "Raise a safeguarding concern")
    then_i_see_the_heading(page, "Raise a safeguarding concern")
    then_the_page_is_accessible(page, axe_path, "the concern form")

    when_i_choose(page, "Who raised the concern", "NHS hospital ward or emergency department")
    page.get_by_label("Physical Abuse").check()
    page.get_by_label("Financial or Material Abuse").check()
    when_i_choose(page, "Where the abuse or neglect happened or may happen", "Own Home")
    _answer(page, "Who the source of risk is", "Other - Known to Individual")
    when_i_press(page, "Raise the concern")
    then_the_error_summary_says(page, "Enter what the concern is")
    then_the_page_is_accessible(page, axe_path, "the concern form with an error")
    when_i_type(
        page, "What the concern is", "Bruised arms on admission; says her son takes her pension."
    )
    when_i_press(page, "Raise the concern")
    then_i_see(page, "The safeguarding concern has been raised")
    concern = Concern.objects.get(person=person)
    expect(page.get_by_test_id("safeguarding")).to_contain_text("Awaiting decision")

    when_i_sign_out(page)
    given_i_am_signed_in_as(page, "safeguarding_lead")
    page.goto("/")
    when_i_follow_the_menu_to(page, "Safeguarding")
    then_i_see_the_heading(page, "Safeguarding")
    then_the_page_is_accessible(page, axe_path, "the safeguarding overview")
    when_i_open(page, concern.reference)
    then_the_page_is_accessible(page, axe_path, "the concern")
    when_i_open(page, "Record the section 42 decision")
    then_i_see_the_heading(page, "Record the section 42 decision")
    then_the_page_is_accessible(page, axe_path, "the decision form")
    for _key, text in sg.CRITERIA:
        _answer(page, text, "Yes")
        when_i_type(page, f"Reason for your answer to {text[:3]}", "From the ward's account.")
    _answer(page, "What the council will do", dict(sg.RESULTS)[sg.S42_ENQUIRY])
    when_i_press(page, "Record the decision")
    then_i_see(page, "The decision has been recorded")
    then_i_see_the_heading(page, "Section 42 enquiry Open")
    then_the_page_is_accessible(page, axe_path, "the enquiry")

    when_i_open(page, "Record the outcomes the adult wants")
    then_the_page_is_accessible(page, axe_path, "the outcomes form")
    _answer(
        page,
        "Was the adult (or their representative) asked what outcomes they want?",
        "Yes, they were asked and outcomes were expressed",
    )
    when_i_type(page, "The outcomes they want", "I want to feel safe and keep my money.")
    when_i_press(page, "Save the outcomes")
    when_i_open(page, "Record involvement and advocacy")
    _answer(
        page, "Would the adult have substantial difficulty being involved in the enquiry?", "No"
    )
    when_i_press(page, "Save advocacy")
    when_i_open(page, "Record the safeguarding plan")
    when_i_type(page, "The safeguarding plan", "Bank to redirect the pension; daily visits.")
    when_i_press(page, "Save the plan")
    then_i_see(page, "The safeguarding plan has been saved")

    when_i_open(page, "Conclude the enquiry")
    then_the_page_is_accessible(page, axe_path, "the conclusion form")
    _answer(page, "Risk outcome", "Risk identified: risk removed")
    _answer(page, "How far were the outcomes the adult wanted achieved?", "Fully achieved")
    _answer(page, "The safeguarding plan", dict(sg.PLAN_AFTER)[sg.PLAN_CLOSE])
    when_i_press(page, "Conclude the enquiry")
    then_i_see(page, "The enquiry has been concluded")
    expect(page.get_by_test_id("conclusion")).to_contain_text("Fully achieved")
    then_the_page_is_accessible(page, axe_path, "the concluded enquiry")
    enquiry = Enquiry.objects.get(concern=concern)
    assert enquiry.msp_achieved == sg.ACHIEVED_FULLY and enquiry.risk_outcome == sg.RISK_REMOVED
    assert SafeguardingPlan.objects.get(enquiry=enquiry).closed_on == enquiry.concluded_on


def test_the_commissioner_sees_provider_concerns_without_names(page, county, axe_path):
    from tests.safeguarding import factories as f

    home = ProviderFactory(name="Willowmere Care Home")
    f.raise_concern(
        county.workers["social_worker"],
        county.person_a,
        source_of_risk=sg.SERVICE_PROVIDER,
        source_provider=home,
        location_of_risk="care_home_residential",
    )
    given_i_am_signed_in_as(page, "commissioner")
    page.goto("/")
    when_i_follow_the_menu_to(page, "Providers")
    then_i_see_the_heading(page, "Safeguarding concerns by provider")
    then_the_page_is_accessible(page, axe_path, "the providers list")
    when_i_open(page, "Willowmere Care Home")
    then_i_see(page, "Care Home - Residential")
    expect(page.locator("body")).not_to_contain_text(county.person_a.family_name)
    then_the_page_is_accessible(page, axe_path, "a provider's concerns")
