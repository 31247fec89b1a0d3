"""The council moves its standard for starting assessments to 20 working days: the system
administrator sets it in a real browser (after typing a date in the past, which is refused),
and a team manager then reads it beside the compliance figures and on the standards page.
Every page is checked with axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carebridge.duties.models import LocalStandard
from tests.duties.histories import DUTY, with_duties_in_every_figure

from .steps import (
    given_i_am_signed_in_as,
    then_i_see,
    then_i_see_the_heading,
    then_the_error_link_takes_me_to,
    then_the_error_summary_says,
    then_the_page_is_accessible,
    when_i_choose,
    when_i_fill_in_the_date,
    when_i_follow_the_menu_to,
    when_i_press,
    when_i_sign_out,
    when_i_type,
)

pytestmark = pytest.mark.browser

DECISION = "Cabinet, 12 November 2026, item 7: assessments start within 20 working days"


def test_the_administrator_sets_a_standard_and_a_manager_reads_it(page, county, axe_path):
    with_duties_in_every_figure(county)
    today = timezone.localdate()

    given_i_am_signed_in_as(page, "system_administrator")
    when_i_follow_the_menu_to(page, "Local standards")
    then_i_see_the_heading(page, "Local standards for statutory duties")
    summary = page.get_by_test_id("standards-summary")
    expect(summary.locator('tr[data-duty="direct-payment-review"]')).to_contain_text(
        "cannot be changed here"
    )
    then_the_page_is_accessible(page, axe_path, "local standards")

    page.get_by_role("link", name="Set a new standard for this duty").first.click()
    expect(page.get_by_label("Duty", exact=True)).to_have_value(DUTY)
    when_i_fill_in_the_date(
        page, "Date the standard comes into force", today - dt.timedelta(days=1)
    )
    when_i_type(page, "Time allowed", "20")
    page.get_by_role("group", name="Counted in").get_by_label("Working days").check()
    when_i_type(page, "Council decision", DECISION)
    when_i_press(page, "Set the standard")

    message = (
        f"The date the standard comes into force must be today ({today.day} {today:%B %Y}) "
        "or later: a standard cannot change how past dates were judged"
    )
    then_the_error_summary_says(page, message)
    then_the_page_is_accessible(page, axe_path, "local standards with an error")
    then_the_error_link_takes_me_to(page, message, "Day")
    expect(page.get_by_label("Council decision")).to_have_value(DECISION)  # nothing lost
    assert not LocalStandard.objects.exists()

    when_i_fill_in_the_date(page, "Date the standard comes into force", today)
    when_i_choose(page, "Duty", "Assessment after a request for support (assessment-after-request)")
    when_i_press(page, "Set the standard")
    then_i_see(page, "20 working days for clocks starting from")
    row = summary.locator(f'tr[data-duty="{DUTY}"]')
    expect(row).to_contain_text("20 working days")
    expect(page.get_by_test_id(f"versions-{DUTY}")).to_contain_text(DECISION)
    assert LocalStandard.objects.get().working_days == 20
    when_i_sign_out(page)

    given_i_am_signed_in_as(page, "team_manager")
    when_i_follow_the_menu_to(page, "Compliance")
    figures = page.get_by_test_id("compliance-figures")
    expect(figures.locator(f'tr[data-row="{DUTY}"]')).to_contain_text(
        "time allowed: 20 working days (council standard)"
    )
    page.get_by_role("link", name="Local standards: the time allowed for each duty").click()
    then_i_see_the_heading(page, "Local standards for statutory duties")
    expect(page.get_by_test_id(f"versions-{DUTY}")).to_contain_text("In force")
    expect(page.get_by_role("button", name="Set the standard")).to_have_count(0)
    then_the_page_is_accessible(page, axe_path, "local standards for a manager")
