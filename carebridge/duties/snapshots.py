"""Monthly snapshots of duty compliance (``DutySnapshot``), for the dashboard's trends.

Each month end is judged by the engine as of that day (:func:`carebridge.duties.engine.evaluate`)
and its rows are counted by (duty, organisation, team, worker, state): who held the case on that
day, as the engine says. Recording a month again replaces its counts in one transaction, so a
re-run (after back-dated records, or a changed local standard) is safe at any time.

``carebridge duties snapshot [--month YYYY-MM | --months N] [--user USERNAME]`` (:func:`run`)
records one month end, or the last N month ends that have passed (default: the last one), and
is audited; the demo seed calls :func:`record_recent` for the year before its last day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import getpass
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from . import engine
from .models import DutySnapshot

MAX_MONTHS = 120


class SnapshotError(ValueError):
    """Input the snapshot cannot run with (exit status 2)."""


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month_ends(through: dt.date, count: int) -> list[dt.date]:
    """The last ``count`` month ends on or before ``through``, oldest first."""
    year, month = through.year, through.month
    if month_end(year, month) > through:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    out = []
    for _ in range(count):
        out.append(month_end(year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def count_month(as_of: dt.date) -> Counter:
    """(duty, organisation, team, worker, state) -> people, as the engine judges ``as_of``."""
    cells: Counter = Counter()
    for r in engine.evaluate(as_of):
        cells[(r.duty, r.organisation_id, r.team_id, r.worker_id, r.state.value)] += 1
    return cells


def record_month(as_of: dt.date, *, then: Callable[[int], object] | None = None) -> int:
    """Judge one month end and replace its counts (atomically); the number of (duty, person)
    rows counted. ``then(rows counted)`` runs in the same transaction (the command's audit
    event, so no month is replaced unaudited)."""
    cells = count_month(as_of)
    now = timezone.now()
    rows = [
        DutySnapshot(
            month_end=as_of,
            duty_id=duty,
            organisation_id=organisation,
            team_id=team,
            worker_id=worker,
            state=state,
            people=n,
            recorded_at=now,
        )
        for (duty, organisation, team, worker, state), n in cells.items()
    ]
    with transaction.atomic():
        DutySnapshot.objects.filter(month_end=as_of).delete()
        DutySnapshot.objects.bulk_create(rows, batch_size=2000)
        if then is not None:
            then(sum(cells.values()))
    return sum(cells.values())


def record(ends: Iterable[dt.date]) -> dict[dt.date, int]:
    """Record each month end; month end -> (duty, person) rows counted."""
    return {end: record_month(end) for end in ends}


def record_recent(through: dt.date, months: int = 12) -> int:
    """The seed's call: the last ``months`` month ends up to its last day of history. Returns
    how many snapshot rows were written (the seed's own audit event covers them)."""
    record(month_ends(through, months))
    return DutySnapshot.objects.filter(month_end__lte=through).count()


# --- the command line -------------------------------------------------------------------------


def parse_month(text: str, today: dt.date) -> dt.date:
    match = re.fullmatch(r"(\d{4})-(\d{2})", text or "")
    if not match:
        raise SnapshotError(f"--month must be a month like 2026-03, not {text!r}")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or year < 1900:
        raise SnapshotError(f"--month {text} is not a real month")
    end = month_end(year, month)
    if end >= today:
        raise SnapshotError(
            f"--month {text} has not ended yet: its last day, {end:%d %B %Y}, must be before "
            f"today ({today:%d %B %Y})"
        )
    return end


def parse_months(text: str) -> int:
    if not re.fullmatch(r"\d{1,4}", text or "") or not 1 <= int(text) <= MAX_MONTHS:
        raise SnapshotError(f"--months must be a whole number from 1 to {MAX_MONTHS}, not {text!r}")
    return int(text)


def plan(month: str | None, months: str | None, today: dt.date) -> list[dt.date]:
    """The month ends a command asks for (checked); the last month that has ended by default."""
    if month is not None and months is not None:
        raise SnapshotError("give --month or --months, not both")
    if month is not None:
        return [parse_month(month, today)]
    count = parse_months(months) if months is not None else 1
    # Month ends before today: today's month (even on its last day) has not ended.
    return month_ends(today - dt.timedelta(days=1), count)


def run(month: str | None, months: str | None, username: str | None) -> int:
    """Check everything, then record and audit; 2 on bad input (a message on stderr)."""
    from carebridge.core import audit, context
    from carebridge.core.access import Capability, can
    from carebridge.organisations.models import Worker

    today = timezone.localdate()
    try:
        ends = plan(month, months, today)
        worker = None
        if username:
            worker = Worker.objects.filter(username=username, is_active=True).first()
            if worker is None:
                raise SnapshotError(f"No active worker {username!r}")
            if not can(worker, Capability.VIEW_COMPLIANCE):
                raise SnapshotError(f"{username}'s role does not include duty compliance")
    except SnapshotError as e:
        print(f"carebridge duties snapshot: {e}", file=sys.stderr)
        return 2
    os_user = getpass.getuser()
    run_by = username or f"operating-system user {os_user}"

    def audited(end: dt.date) -> Callable[[int], object]:
        return lambda n: audit.record(
            worker,
            audit.Action.CREATE,
            object_type="duties.snapshot",
            object_id=end.isoformat(),
            summary=f"Duty snapshot for {end:%d %B %Y} recorded: {n:,} duty rows counted",
            changes={"month_end": end.isoformat(), "rows_counted": n, "run_by": run_by},
        )

    with context.acting(context.ActionContext(source="cli", user_agent=f"cli:{os_user}")):
        for end in ends:
            n = record_month(end, then=audited(end))
            print(f"{end.isoformat()}: {n:,} duty rows counted", flush=True)
    return 0
