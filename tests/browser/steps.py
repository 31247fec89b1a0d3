"""Steps for browser scenarios, written the way a worker would describe what they do.

Each step takes the Playwright ``page`` first. Steps find things as a person (or a screen reader)
would: by label, role and visible text rather than CSS classes, so a step that cannot find its
control is itself a sign that the page is hard to use.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# --- Signing in and out -------------------------------------------------------------------------


def given_i_am_signed_in_as(page: Page, username: str) -> None:
    """Sign in through the real sign-in form."""
    page.goto("/sign-in/")
    when_i_sign_in_with_the_form_as(page, username)


def when_i_sign_in_with_the_form_as(page: Page, username: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to carebridge")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/sign-in/"))
    expect(page.locator("header")).to_contain_text("Sign out")


def when_i_sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in/$"))
    then_i_see(page, "You have signed out")


# --- Finding and opening people -----------------------------------------------------------------


def when_i_search_for(page: Page, *, name: str = "", nhs_number: str = "") -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Find a person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a person")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("NHS number").fill(nhs_number)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name=re.compile(r"found$"))).to_be_visible()


def then_the_results_include(page: Page, result_name: str, held_by: str) -> None:
    row = page.get_by_test_id("search-results").get_by_role("row").filter(has_text=result_name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(held_by)


def when_i_open(page: Page, link_text: str) -> None:
    page.get_by_role("main").get_by_role("link", name=link_text).first.click()


def when_i_follow_the_menu_to(page: Page, item: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=item).click()


def when_i_press(page: Page, button: str) -> None:
    page.get_by_role("main").get_by_role("button", name=button).click()


# --- What the page shows ------------------------------------------------------------------------


def then_i_see(page: Page, *texts: str) -> None:
    for text in texts:
        expect(page.locator("body")).to_contain_text(text)


def then_i_see_the_heading(page: Page, text: str | re.Pattern) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def then_the_timeline_shows(page: Page, *texts: str) -> None:
    timeline = page.get_by_test_id("timeline")
    for text in texts:
        expect(timeline).to_contain_text(text)


def then_the_error_summary_says(page: Page, *messages: str) -> None:
    """The GOV.UK error summary lists each message, each linked to a field that exists on the
    page, and the same message is shown beside that field."""
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    for message in messages:
        link = summary.get_by_role("link", name=message)
        expect(link).to_have_count(1)
        target = (link.get_attribute("href") or "").removeprefix("#")
        assert target, f"error summary link {message!r} has no target"
        field = page.locator(f"[id='{target}']")
        expect(field, f"{message!r} links to #{target}, which is missing").to_have_count(1)
        expect(page.locator(".govuk-error-message").filter(has_text=message)).to_have_count(1)


def then_the_error_link_takes_me_to(page: Page, message: str, label: str) -> None:
    """Following an error in the summary puts the cursor in the field to correct."""
    page.get_by_role("alert").get_by_role("link", name=message).click()
    expect(page.get_by_label(label, exact=True)).to_be_focused()


def then_the_page_is_accessible(page: Page, axe_path: Path, name: str) -> None:
    """axe-core finds no WCAG 2.2 AA violations on the page as it is now.

    With CAREBRIDGE_BROWSER_SCREENSHOTS=1 each checked page is also saved to /tmp, to look at.
    """
    if os.environ.get("CAREBRIDGE_BROWSER_SCREENSHOTS"):
        and_i_take_a_screenshot(page, "page-" + re.sub(r"\W+", "-", name).strip("-"))
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_path))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    assert results["passes"], f"axe checked nothing on {name}"
    violations = results["violations"]
    if violations:
        shot = and_i_take_a_screenshot(page, "axe-" + re.sub(r"\W+", "-", name).strip("-"))
        raise AssertionError(
            f"axe found WCAG 2.2 AA problems on {name} ({page.url}; screenshot {shot}):\n"
            + describe_violations(violations)
        )


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:5]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def then_the_design_system_styles_are_loaded(page: Page) -> None:
    """GOV.UK Frontend's CSS and its GDS Transport font came from /assets/."""
    heading = page.get_by_role("heading", level=1)
    font = heading.evaluate("el => getComputedStyle(el).fontFamily")
    assert "GDS Transport" in font, f"GOV.UK Frontend CSS not applied (font-family: {font})"
    loaded = page.evaluate(
        "async () => { await document.fonts.ready;"
        " return document.fonts.check('bold 36px \"GDS Transport\"'); }"
    )
    assert loaded, "the GDS Transport font did not load from /assets/fonts/"


# --- Forms --------------------------------------------------------------------------------------


def when_i_fill_in_the_date(page: Page, legend: str, date: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(date.day))
    group.get_by_label("Month").fill(str(date.month))
    group.get_by_label("Year").fill(str(date.year))


def when_i_choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).select_option(label=option)


def when_i_type(page: Page, label: str, text: str) -> None:
    page.get_by_label(label, exact=True).fill(text)


def when_i_record_a_contact(
    page: Page, *, on: dt.date, who: str, how: str, route: str, about: str
) -> None:
    when_i_fill_in_the_date(page, "Date of contact", on)
    page.get_by_role("group", name="Who is the request about?").get_by_label(
        "The person, for their own care and support"
    ).check()
    when_i_choose(page, "Who made contact", who)
    when_i_choose(page, "How", how)
    when_i_choose(page, "Route of access (CLD)", route)
    when_i_type(page, "What is the request about?", about)
    when_i_press(page, "Save contact")


# --- Screenshots --------------------------------------------------------------------------------


def and_i_take_a_screenshot(page: Page, name: str) -> Path:
    """Saved as carebridge-<name>.png in the temporary folder (/tmp), to look at."""
    path = Path(tempfile.gettempdir()) / f"carebridge-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
