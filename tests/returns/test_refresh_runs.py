"""Refreshing the performance figures from the page: in a background thread, one at a time,
with how it ended shown on the page; a run left running by a stopped server does not block the
button for ever; a double press starts nothing more."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carebridge.core.models import AuditEvent
from carebridge.returns import cld_export, performance, refresh_runs
from carebridge.returns.models import PerformanceFigures, RefreshRun

from .test_performance import performance_county  # noqa: F401 - a fixture


def _analyst(county):
    return county.workers["performance_analyst"]


def test_the_refresh_runs_in_the_background_and_records_how_it_ended(
    transactional_db,
    django_db_blocker,
    performance_county,  # noqa: F811
):
    """Committed data (the thread reads on a connection of its own), flushed after the test
    (tests/conftest.py)."""
    analyst = _analyst(performance_county)
    run = refresh_runs.start(analyst, background=True)
    assert run.status == RefreshRun.RUNNING  # the request returns before the work is done
    run.thread.join(timeout=60)
    run.refresh_from_db()
    assert run.status == RefreshRun.DONE and run.finished_at and run.seconds is not None
    assert PerformanceFigures.objects.filter(year=run.year, breakdown="overall").exists()
    event = AuditEvent.objects.filter(object_type="returns.performance").latest("pk")
    assert event.actor == analyst and event.changes["run_by"] == analyst.username


@pytest.mark.django_db
def test_a_second_press_while_one_runs_starts_nothing(performance_county, client):  # noqa: F811
    analyst = _analyst(performance_county)
    running = RefreshRun.objects.create(
        year="2026-27", requested_by=analyst, started_at=timezone.now()
    )
    with pytest.raises(refresh_runs.AlreadyRunning):
        refresh_runs.start(analyst)
    client.force_login(analyst)
    response = client.post("/performance/refresh/", follow=True)
    html = response.content.decode()
    assert "already being computed again" in html
    assert 'data-testid="refresh-status"' in html and "Computing" in html
    assert "Refresh figures</button>" not in html  # no button while it runs
    assert list(RefreshRun.objects.values_list("pk", flat=True)) == [running.pk]
    assert not PerformanceFigures.objects.exists()


@pytest.mark.django_db
def test_a_run_left_running_by_a_stopped_server_is_marked_failed(performance_county):  # noqa: F811
    analyst = _analyst(performance_county)
    stale = RefreshRun.objects.create(
        year="2026-27",
        requested_by=analyst,
        started_at=timezone.now() - refresh_runs.STALE_AFTER - dt.timedelta(minutes=1),
    )
    run = refresh_runs.start(analyst)
    stale.refresh_from_db()
    assert stale.status == RefreshRun.FAILED and stale.message == refresh_runs.DID_NOT_FINISH
    assert run.status == RefreshRun.DONE


@pytest.mark.django_db
def test_a_failed_refresh_says_why_on_the_page_and_changes_nothing(
    performance_county,  # noqa: F811
    client,
    monkeypatch,
):
    analyst = _analyst(performance_county)
    performance.refresh([performance.Year(2025)], today=dt.date(2026, 5, 1))
    before = list(PerformanceFigures.objects.values_list("pk", flat=True))

    def no_code(*args, **kwargs):
        raise cld_export.ExportError("no council has a CASSR code")

    monkeypatch.setattr(performance, "refresh", no_code)
    client.force_login(analyst)
    html = client.post("/performance/refresh/", follow=True).content.decode()
    assert "The figures cannot be computed: no council has a CASSR code." in html
    assert "did not complete" in html  # the status beside the button
    assert RefreshRun.objects.get().status == RefreshRun.FAILED
    assert list(PerformanceFigures.objects.values_list("pk", flat=True)) == before


@pytest.mark.django_db
def test_an_unexpected_error_is_logged_not_shown(performance_county, monkeypatch, caplog):  # noqa: F811
    def broken(*args, **kwargs):
        raise RuntimeError("disk full at /var/lib/secret")

    monkeypatch.setattr(performance, "refresh", broken)
    run = refresh_runs.start(_analyst(performance_county))
    assert run.status == RefreshRun.FAILED and run.message == refresh_runs.UNEXPECTED
    assert "secret" not in run.message and "performance refresh" in caplog.text
