"""Refreshing the performance figures from the page, in the background.

At county scale a refresh (the year in progress with its breakdowns, and the readiness of the
return due) takes most of a minute: close to the web server's timeout if run in the request.
So :func:`start` records a :class:`RefreshRun` and computes in a thread of its own, and the
page says it is running and, later, how it ended. One runs at a time: a second press (or a
second analyst) while one runs is told so and starts nothing (the database allows one running
row). A run that has not finished after ``STALE_AFTER`` (the process was stopped) is marked
failed, so it cannot block the button for ever.

``settings.PERFORMANCE_REFRESH_IN_BACKGROUND`` false runs it within the request (tests).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from . import cld_export, performance
from .models import RefreshRun

logger = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(minutes=30)
DID_NOT_FINISH = "It did not finish (the server was restarted or stopped while it ran)."
UNEXPECTED = "An unexpected error stopped it; it has been logged for the system administrator."


class AlreadyRunning(Exception):
    def __init__(self, run: RefreshRun) -> None:
        super().__init__(f"a refresh started at {run.started_at:%H:%M} is still running")
        self.run = run


def latest() -> RefreshRun | None:
    return RefreshRun.objects.select_related("requested_by").order_by("-started_at", "-pk").first()


def _mark_stale(now: dt.datetime) -> None:
    RefreshRun.objects.filter(status=RefreshRun.RUNNING, started_at__lt=now - STALE_AFTER).update(
        status=RefreshRun.FAILED, finished_at=now, message=DID_NOT_FINISH
    )


def start(worker, today: dt.date | None = None, *, background: bool | None = None) -> RefreshRun:
    """Start refreshing the year in progress and the readiness (as ``worker``); the run, still
    running when in the background. Raises :class:`AlreadyRunning` if one is running."""
    today = today or timezone.localdate()
    if background is None:
        background = settings.PERFORMANCE_REFRESH_IN_BACKGROUND
    now = timezone.now()
    _mark_stale(now)
    try:
        with transaction.atomic():
            run = RefreshRun.objects.create(
                year=str(performance.financial_year(today)),
                requested_by=worker,
                started_at=now,
            )
    except IntegrityError:
        running = RefreshRun.objects.filter(status=RefreshRun.RUNNING).first()
        if running is None:  # it finished in between: the caller may press again
            raise
        raise AlreadyRunning(running) from None
    if background:
        thread = threading.Thread(
            target=_run_in_thread, args=(run.pk, today), name=f"refresh-{run.pk}", daemon=True
        )
        thread.start()
        run.thread = thread  # for tests to wait on
        return run
    _run(run.pk, today)
    run.refresh_from_db()
    return run


def _run_in_thread(run_pk: int, today: dt.date) -> None:
    try:
        _run(run_pk, today)
    finally:
        connection.close()  # the thread's own connection


def _run(run_pk: int, today: dt.date) -> None:
    run = RefreshRun.objects.select_related("requested_by").get(pk=run_pk)
    started = time.perf_counter()
    status, message = RefreshRun.DONE, ""
    try:
        performance.refresh(
            [performance.financial_year(today)],
            run.requested_by,
            today=today,
            run_by=run.requested_by.username,
        )
    except cld_export.ExportError as e:
        status, message = RefreshRun.FAILED, f"The figures cannot be computed: {e}."
    except Exception:
        logger.exception("performance refresh %s failed", run_pk)
        status, message = RefreshRun.FAILED, UNEXPECTED
    RefreshRun.objects.filter(pk=run_pk).update(
        status=status,
        finished_at=timezone.now(),
        seconds=round(time.perf_counter() - started, 1),
        message=message,
    )
