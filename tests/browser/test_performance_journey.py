"""A performance analyst checks the statutory returns in a real browser: the ASCOF measures
with their charts and comparisons, the readiness of the CLD return with the rows to correct,
a SALT table downloaded, and the figures refreshed; a social worker has no way in. Every page
is checked with axe."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from carebridge.core.models import AuditEvent
from carebridge.returns import performance
from tests.returns.test_performance import TODAY, YEAR, performance_county  # noqa: F401

from .steps import (
    given_i_am_signed_in_as,
    then_i_see,
    then_i_see_the_heading,
    then_the_page_is_accessible,
    when_i_follow_the_menu_to,
    when_i_press,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def stored(performance_county):  # noqa: F811
    performance.refresh([performance.Year(2024), YEAR], today=TODAY)
    return performance_county


def when_i_open_the_performance_page(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Performance pages").get_by_role("link", name=name).click()


def test_an_analyst_checks_the_return_downloads_a_table_and_refreshes(page, stored, axe_path):
    given_i_am_signed_in_as(page, "performance_analyst")
    when_i_follow_the_menu_to(page, "Performance")
    then_i_see_the_heading(page, "ASCOF measures for 2025-26")
    row = page.get_by_test_id("ascof-measures").locator('tr[data-measure="3D2a"]')
    expect(row.locator('[data-figure="value"]')).to_have_text("50.0%")
    expect(page.get_by_role("img", name=re.compile(r"^ASCOF 3D2a"))).to_be_visible()
    expect(page.get_by_test_id("by-organisation")).to_contain_text("Teams hosted by the NHS trust")
    then_the_page_is_accessible(page, axe_path, "performance overview")

    when_i_open_the_performance_page(page, "Readiness of the CLD return")
    then_i_see_the_heading(page, "Readiness of the CLD return")
    expect(page.get_by_test_id("readiness-verdict")).to_contain_text("Not ready: 2 failures")
    expect(page.get_by_test_id("failures-by-field")).to_contain_text("NHS_Number")
    expect(page.get_by_test_id("failing-rows")).to_contain_text(stored.person_b.person_id)
    then_the_page_is_accessible(page, axe_path, "readiness of the CLD return")

    when_i_open_the_performance_page(page, "SALT tables")
    then_i_see_the_heading(page, "SALT-equivalent tables for 2025-26")
    then_the_page_is_accessible(page, axe_path, "SALT tables")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download LTS001b (CSV)").click()
    rows = list(csv.DictReader(Path(download.value.path()).read_text().splitlines()))
    assert rows and {r["table"] for r in rows} == {"LTS001b"}
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, object_type="returns.performance"
    ).exists()

    when_i_press(page, "Refresh figures")
    then_i_see(page, "computed again")
    then_i_see_the_heading(page, re.compile(r"^ASCOF measures for \d{4}-\d{2}$"))
    assert AuditEvent.objects.filter(
        object_type="returns.performance", actor__username="performance_analyst"
    ).exists()


def test_a_social_worker_has_no_performance_page(page, stored):
    given_i_am_signed_in_as(page, "social_worker")
    expect(page.get_by_role("navigation", name="Menu")).not_to_contain_text("Performance")
    response = page.goto("/performance/")
    assert response is not None and response.status == 403
