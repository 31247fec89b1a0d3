"""A team manager checks the council's statutory duties in a real browser: the compliance
dashboard (its overdue figure is the CLI report's), the figures by team, the people behind her
team's overdue figure with why each is overdue and what would put it right, a person's page and
back, the list as a CSV file, and the monthly trends. Every page is checked with axe."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from carebridge.core.models import AuditEvent
from carebridge.duties import report, snapshots
from tests.duties.histories import DUTY, with_duties_in_every_figure

from .steps import (
    given_i_am_signed_in_as,
    then_i_see,
    then_i_see_the_heading,
    then_the_page_is_accessible,
    when_i_follow_the_menu_to,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def duties_county(county):
    with_duties_in_every_figure(county)
    snapshots.record(snapshots.month_ends(timezone.localdate() - dt.timedelta(days=1), 3))
    return county


def the_figure(page: Page, row: str, figure: str):
    return page.get_by_test_id("compliance-figures").locator(
        f'tr[data-row="{row}"] td[data-figure="{figure}"]'
    )


def when_i_show_the_figures(page: Page, by: str) -> None:
    page.get_by_role("navigation", name="Show the figures").get_by_role("link", name=by).click()


def test_a_team_manager_follows_an_overdue_figure_to_the_people_behind_it(
    page, duties_county, axe_path
):
    county = duties_county
    today = timezone.localdate()
    # What the CLI report says is overdue today for this duty.
    overdue = [r for r in report.rows(today, [DUTY]) if r["state"] == "overdue"]
    assert len(overdue) == 2  # Anna's and Rita's requests

    given_i_am_signed_in_as(page, "team_manager")
    when_i_follow_the_menu_to(page, "Compliance")
    then_i_see_the_heading(page, "Statutory duties compliance")
    expect(the_figure(page, DUTY, "overdue")).to_have_text(f"{len(overdue)} overdue: " + (
        "Assessment after a request for support"
    ))  # fmt: skip
    expect(the_figure(page, DUTY, "rate")).to_have_text("25.0%")
    then_i_see(page, "Compliance rate: for a duty that runs once per clock")
    then_the_page_is_accessible(page, axe_path, "compliance dashboard")

    when_i_show_the_figures(page, "By team")
    expect(page).to_have_url(re.compile(r"by=team"))
    team_a = str(county.team_a.pk)
    held_by_team_a = [r for r in overdue if r["team"] == county.team_a.name]
    expect(the_figure(page, team_a, "overdue")).to_contain_text(str(len(held_by_team_a)))
    then_i_see(page, "Hosted by the NHS trust", "Council-run")
    then_the_page_is_accessible(page, axe_path, "compliance by team")

    # Into North CMHT's overdue figure: Anna is listed; Rita's restricted record is counted only.
    the_figure(page, team_a, "overdue").get_by_role("link").click()
    then_i_see_the_heading(page, re.compile(r"^Overdue today: All duties, North CMHT"))
    people = page.get_by_test_id("people-behind")
    anna = people.get_by_role("row").filter(has_text="ALLOCATED, Anna")
    expect(anna).to_have_count(1)
    expect(anna).to_contain_text("Overdue")
    expect(anna).to_contain_text("no assessment yet (overdue)")
    expect(anna).to_contain_text("To put it right: start the assessment")
    expect(page.get_by_test_id("not-listed")).to_contain_text(
        "1 further person is counted but not listed because you cannot open their record"
    )
    expect(page.locator("main")).not_to_contain_text("Private")
    then_the_page_is_accessible(page, axe_path, "people behind an overdue figure")
    list_url = page.url

    anna.get_by_role("link", name="ALLOCATED, Anna").click()
    then_i_see_the_heading(page, re.compile("Anna Allocated"))
    expect(page.get_by_test_id("duties")).to_contain_text("Overdue")
    page.go_back()
    expect(page).to_have_url(list_url)
    expect(page.get_by_test_id("people-behind")).to_contain_text("ALLOCATED, Anna")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download this list (CSV)").click()
    path = Path(download.value.path())
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    assert [(r["person_id"], r["name"], r["figure"]) for r in rows] == [
        (county.person_a.person_id, "ALLOCATED, Anna", "overdue")
    ]
    assert rows[0]["action"].startswith("Start the assessment")
    exports = AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, actor__username="team_manager"
    )
    assert exports.get().changes["person_ids"] == [county.person_a.person_id]

    # The monthly trends: charts with their figures in tables.
    page.goto("/compliance/")
    page.get_by_role("link", name="Monthly trends").click()
    then_i_see_the_heading(page, "Monthly trends")
    chart = page.get_by_role("img", name=re.compile(r"^Compliance rate")).first
    expect(chart).to_be_visible()
    page.get_by_text("The figures as a table").first.click()
    expect(page.get_by_test_id(f"trend-{DUTY}")).to_be_visible()
    then_the_page_is_accessible(page, axe_path, "monthly trends")
