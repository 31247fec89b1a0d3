"""The council ends its s75 agreement and brings the trust-hosted teams of the seeded county
back, in a real browser: the administrator drafts the transfer of the four community mental
health teams, checks the preview (every worker, open case, open duty, draft and access right),
confirms it, reads the reconciliation report showing every open case with a named worker and
team, downloads it, and opens the comparison of the teams before and after and of hosted
against council-run teams last year. The database shows an audit entry for each change, and
last year's hosted figures unchanged. Every page is checked with axe for WCAG 2.2 AA."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carebridge.casework.models import Allocation
from carebridge.core.models import AuditEvent
from carebridge.demo.county import DEMO_PASSWORD, TRUST_NAME
from carebridge.demo.seed import seed_county
from carebridge.organisations.models import Organisation, Team
from carebridge.partnerships import comparison
from carebridge.partnerships.models import Transfer

from .steps import (
    then_i_see,
    then_i_see_the_heading,
    then_the_error_summary_says,
    then_the_page_is_accessible,
    when_i_choose,
    when_i_fill_in_the_date,
    when_i_follow_the_menu_to,
    when_i_open,
    when_i_press,
    when_i_type,
)

pytestmark = pytest.mark.browser


def given_the_seeded_county():
    seed_county(people=300, seed=7)


def given_i_am_signed_in_to_the_demo_as(page, username: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("header")).to_contain_text("Sign out")


def test_the_trust_hosted_teams_come_back_to_the_council(page, axe_path):
    given_the_seeded_county()
    trust = Organisation.objects.get(name=TRUST_NAME)
    council = Organisation.objects.get(kind=Organisation.COUNCIL)
    hosted = list(Team.objects.filter(organisation=trust).order_by("name"))
    assert len(hosted) == 4
    today = timezone.localdate()
    last_year = (today - dt.timedelta(days=365), today - dt.timedelta(days=1))
    before = comparison.hosted_vs_council(*last_year).measures

    given_i_am_signed_in_to_the_demo_as(page, "admin.demo")
    page.goto("/")
    when_i_follow_the_menu_to(page, "Partnerships")
    then_the_page_is_accessible(page, axe_path, "the partnerships overview")
    when_i_open(page, "Transfers of teams and workers")
    then_i_see_the_heading(page, "Transfers and reallocations")
    then_the_page_is_accessible(page, axe_path, "the transfers list")
    when_i_press(page, "Move teams")
    then_i_see_the_heading(page, "Move teams to another organisation")
    when_i_press(page, "Continue to the preview")
    then_the_error_summary_says(page, "Select organisation the teams leave")
    then_the_page_is_accessible(page, axe_path, "the transfer form with errors")

    when_i_choose(page, "Organisation the teams leave", str(trust))
    when_i_choose(page, "Organisation the teams join", str(council))
    for team in hosted:
        page.get_by_label(f"{team.name} ({trust.name})", exact=True).check()
    when_i_fill_in_the_date(page, "Date the transfer takes effect", today)
    page.get_by_label("Give them to each team's manager on the day").check()
    when_i_type(
        page,
        "Why: the decision behind the transfer",
        "Cabinet decision 2026/41: the s75 agreement ends and mental health social work "
        "returns to the council.",
    )
    when_i_press(page, "Continue to the preview")
    then_i_see(page, "drafted: check the preview")
    then_i_see_the_heading(page, re.compile(r"Transfer TR-\d+"))
    t = Transfer.objects.get()
    open_cases = Allocation.objects.filter(team__in=hosted, ended_at__isnull=True).count()
    expect(page.locator("#preview-counts")).to_contain_text("4 teams")
    expect(page.locator("#preview-counts")).to_contain_text(f"{open_cases} open cases")
    then_the_page_is_accessible(page, axe_path, "the transfer preview")

    when_i_press(page, "Confirm and carry out the transfer")
    then_i_see(page, "carried out: every open case has a named worker and team")
    then_i_see(page, "Reconciliation passed", f"{open_cases} of {open_cases} open cases")
    expect(page.locator("#transfer-status")).to_have_text("Completed")
    then_the_page_is_accessible(page, axe_path, "the reconciliation report")

    with page.expect_download() as download:
        when_i_open(page, "Download every open case (CSV)")
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
    assert len(rows) == open_cases
    assert all(r["worker"] and r["team"] and r["held_as_planned"] == "yes" for r in rows)
    assert {r["organisation"] for r in rows} == {council.name}

    when_i_open(page, "Compare these teams before and after the transfer")
    then_i_see_the_heading(page, "Before and after")
    then_the_page_is_accessible(page, axe_path, "the before and after comparison")
    page.goto(
        f"/partnerships/compare/?start-day={last_year[0].day}&start-month={last_year[0].month}"
        f"&start-year={last_year[0].year}&end-day={last_year[1].day}"
        f"&end-month={last_year[1].month}&end-year={last_year[1].year}"
    )
    then_i_see_the_heading(page, "Hosted and council-run teams compared")
    then_the_page_is_accessible(page, axe_path, "hosted against council-run")

    t.refresh_from_db()
    assert t.status == Transfer.Status.COMPLETED and t.reconciliation["problems"] == []
    assert not Allocation.objects.filter(team__in=hosted, ended_at__isnull=True, worker=None)
    audit = AuditEvent.objects.filter(summary__contains=t.reference)
    assert audit.filter(object_type="organisations.team").count() == 4
    assert audit.filter(object_type="organisations.worker").count() == len(t.preview["workers"])
    assert comparison.hosted_vs_council(*last_year).measures == before
