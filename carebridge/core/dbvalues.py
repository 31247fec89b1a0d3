"""Values as database drivers give them back from raw SQL and subqueries, made Python's.

Django converts a model field's values; a column of a hand-written statement or a subquery
annotation can come back raw: on SQLite a date is text, and a datetime is naive text in UTC.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def date_from_db(value) -> dt.date | None:
    """A date, or a datetime's date in the council's time zone (SQLite: text, datetimes in UTC
    without an offset)."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str):
        value = (
            dt.datetime.fromisoformat(value) if len(value) > 10 else dt.date.fromisoformat(value)
        )
        if not isinstance(value, dt.datetime):
            return value
    if timezone.is_naive(value):  # SQLite stores UTC without an offset
        value = timezone.make_aware(value, dt.UTC)
    return timezone.localdate(value)
