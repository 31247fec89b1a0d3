"""Browser tests: a real Chromium (Debian's, not Playwright's download) driven by Playwright's
sync API against pytest-django's ``live_server``.

Static files: ``live_server`` wraps the app in ``django.contrib.staticfiles``' handler, which
serves ``/assets/`` through the static file finders (from ``node_modules/govuk-frontend`` and the
apps' ``static/`` folders) whatever ``DEBUG`` is, so the tests work from a fresh clone as soon as
``npm ci`` has run (``make install``); ``collectstatic`` is not needed for them.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from tests.factories import CaseNoteFactory, EventFactory

CHROMIUM = Path(os.environ.get("CAREBRIDGE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these chromium's outbound connections are refused here and it can hang.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_CANDIDATES = (
    settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js",
    Path(settings.STATIC_ROOT) / "vendor" / "axe-core" / "axe.min.js",
)


def pytest_collection_modifyitems(session, config, items):
    """Run browser tests after every other test in the process (and so on each xdist worker).

    A live sync Playwright keeps an asyncio loop marked as running in the main thread until the
    session ends; tests that ran after it and called ``asyncio.run`` or ``async_to_sync`` would
    fail for no reason of their own. Browser tests last keeps them out of each other's way.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def _flushable_database(transactional_db, django_db_blocker):
    """Browser tests use the live server, so a transactional database (see the flush hook in
    tests/conftest.py)."""


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not (CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK)):
        message = (
            f"Chromium not found at {CHROMIUM}: run scripts/install-browser "
            "(or set CAREBRIDGE_CHROMIUM to a Chromium binary)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{message}. CI is set, so browser tests must run.")
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def axe_path() -> Path:
    for path in AXE_CANDIDATES:
        if path.exists():
            return path
    pytest.fail("axe-core not found: run `npm ci` (make install)")


@pytest.fixture(scope="session")
def browser(chromium_path):
    """One Chromium for the whole session (one per xdist worker)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop "running" in this thread while it is alive, which
    # trips Django's guard against ORM calls from async code. The test code is synchronous (the
    # loop only ever runs inside Playwright calls), so the guard is a false alarm here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _new_context(browser, live_server, **options):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, **options
    )
    context.set_default_timeout(10_000)
    return context


def _watched_page(context):
    """A page that notes broken assets (/assets/ answering 4xx/5xx) and JavaScript errors; the
    test fails at teardown if there were any."""
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if "/assets/" in r.url and r.status >= 400
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"JavaScript error: {e}"))
    return page, problems


@pytest.fixture
def page(browser, live_server):
    context = _new_context(browser, live_server)
    page, problems = _watched_page(context)
    yield page
    context.close()
    assert not problems, "problems in the browser:\n" + "\n".join(problems)


@pytest.fixture
def no_js_page(browser, live_server):
    """A browser with JavaScript switched off: every page must still work (progressive
    enhancement)."""
    context = _new_context(browser, live_server, java_script_enabled=False)
    page, problems = _watched_page(context)
    yield page
    context.close()
    assert not problems, "problems in the browser:\n" + "\n".join(problems)


@pytest.fixture
def caseload_county(county):
    """The shared county, with a timeline for Anna Allocated: a completed request, an assessment
    still in progress, and a case note by her social worker."""
    anna = county.person_a
    social_worker = county.workers["social_worker"]
    EventFactory(
        person=anna,
        event_type="Request",
        start_date=dt.date(2025, 1, 6),
        end_date=dt.date(2025, 1, 7),
        route_of_access="Community / Other route",
        description="Daughter phoned: Anna is struggling with meals since her discharge.",
        worker=social_worker,
        team=county.team_a,
    )
    EventFactory(
        person=anna,
        event_type="Assessment",
        start_date=dt.date(2025, 1, 20),
        end_date=None,
        outcome="",
        route_of_access="",
        assessment_type="Long term assessment",
        description="Care Act needs assessment booked with Anna and her daughter.",
        worker=social_worker,
        team=county.team_a,
    )
    CaseNoteFactory(
        person=anna,
        author=social_worker,
        kind="home_visit",
        occurred_at=timezone.now() - dt.timedelta(days=3),
        subject="Home visit with Anna",
        text="Anna showed me her kitchen; the cooker is unsafe.",
    )
    return county
