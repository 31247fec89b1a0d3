"""Keeping the working-day calendar table (``CalendarDay``) in step with the rules.

The table covers ``FIRST`` to ``LAST``. :func:`ensure` fills it when it is empty or short (a new
database, or one flushed by a test) and is cheap when it is whole (one indexed count);
:func:`sync` rewrites any day whose working status the rules now give differently (a newly
proclaimed bank holiday after a ``holidays`` package upgrade), run by ``carebridge duties
refresh``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from carebridge.rules import working_days

from .models import CalendarDay

FIRST = dt.date(1990, 1, 1)
LAST = dt.date(2079, 12, 31)
DAYS = (LAST - FIRST).days + 1


def _rows() -> list[CalendarDay]:
    return [
        CalendarDay(day=day, working=working, working_count=count)
        for day, working, count in working_days.calendar(FIRST, LAST)
    ]


def ensure() -> None:
    """Make sure the calendar is all there (fills it if not)."""
    if CalendarDay.objects.count() == DAYS:
        return
    with transaction.atomic():
        CalendarDay.objects.all().delete()
        CalendarDay.objects.bulk_create(_rows(), batch_size=5000)


def sync() -> int:
    """Rewrite the calendar if any day differs from the rules; how many days changed."""
    want = {r.day: (r.working, r.working_count) for r in _rows()}
    have = {
        d: (w, c) for d, w, c in CalendarDay.objects.values_list("day", "working", "working_count")
    }
    changed = sum(1 for day, value in want.items() if have.get(day) != value)
    if changed or len(have) != len(want):
        with transaction.atomic():
            CalendarDay.objects.all().delete()
            CalendarDay.objects.bulk_create(_rows(), batch_size=5000)
    return changed + abs(len(have) - len(want))
