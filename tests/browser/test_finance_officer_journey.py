"""A finance officer in a real browser: the figures of a financial assessment are already in the
draft; she checks the workings, completes it, gets the charging letter (a real PDF), and the
person's plan shows the contribution and the council's share. Every page is checked with axe."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carebridge.finance import services as finance_services
from carebridge.planning import services as planning_services
from tests.finance.factories import FinanceOfficerFactory, FinanceTeamFactory, simple_case
from tests.planning.conftest import add_home_care, complete_eligible_assessment, write_plan

from .steps import (
    given_i_am_signed_in_as,
    then_i_see,
    then_i_see_the_heading,
    then_the_page_is_accessible,
    when_i_open,
    when_i_press,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def assessed_county(county):
    sw, manager = county.workers["social_worker"], county.workers["team_manager"]
    person = county.person_a
    plan = planning_services.start_plan(sw, complete_eligible_assessment(sw, person))
    write_plan(sw, plan)
    add_home_care(sw, plan)
    plan.refresh_from_db()
    planning_services.submit_plan(sw, plan, version=plan.version)
    plan.refresh_from_db()
    planning_services.approve_plan(manager, plan, version=plan.version)
    officer = FinanceOfficerFactory(
        team=FinanceTeamFactory(organisation=county.council), username="fo_browser"
    )
    fa = finance_services.start_financial_assessment(
        officer, person, kind="full", financial_year="2025-26", setting="non_residential"
    )
    plan.refresh_from_db()
    case = simple_case(weekly_care_cost=float(plan.services.first().weekly_cost))
    finance_services.save_draft(
        officer,
        fa,
        version=fa.version,
        changes={
            "case_input": case,
            "evidence": "Pension statements and bank statement seen",
            "effective_from": timezone.localdate(),
        },
    )
    return county


def test_finance_officer_completes_a_financial_assessment(page, assessed_county, axe_path):
    given_i_am_signed_in_as(page, "fo_browser")
    page.goto(f"/people/{assessed_county.person_a.person_id}/")
    then_i_see_the_heading(page, "Anna Allocated")
    when_i_open(page, "Charges and financial assessments")
    then_i_see_the_heading(page, "Charges and financial assessments")
    then_the_page_is_accessible(page, axe_path, "charges and financial assessments")
    when_i_open(page, "Carry on with the draft financial assessment")
    then_the_page_is_accessible(page, axe_path, "the financial assessment form")
    when_i_press(page, "Calculate")
    then_i_see(page, "Minimum Income Guarantee")
    then_the_page_is_accessible(page, axe_path, "the workings")
    when_i_press(page, "Complete the financial assessment")
    then_i_see(page, "Charging letter (PDF)")
    then_the_page_is_accessible(page, axe_path, "the completed financial assessment")
    href = page.get_by_role("link", name="Charging letter (PDF)").first.get_attribute("href")
    letter = page.request.get(href)
    assert letter.status == 200 and letter.body().startswith(b"%PDF-")
    page.goto(f"/people/{assessed_county.person_a.person_id}/")
    when_i_open(page, "Care and support plan")
    expect(page.get_by_role("main")).not_to_contain_text("Not yet assessed")
