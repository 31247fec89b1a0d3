"""Working days in England: Monday to Friday, except bank holidays in England and Wales.

Duties that run in working days (a safeguarding decision "within 2 working days" of a concern,
a council's own standards) count them here. Sources:

* Bank holidays in England and Wales are those in the Banking and Financial Dealings Act 1971,
  s1 and Schedule 1 para 1, with the substitute days it provides, and the extra days appointed
  by royal proclamation under s1(3) (for example the State Funeral of Queen Elizabeth II on
  19 September 2022 and the Coronation on 8 May 2023). The published list for each year is at
  https://www.gov.uk/bank-holidays.
* The dates come from the ``holidays`` package (country GB, subdivision ENG), which follows
  those sources for past and future years; ``tests/rules/test_working_days.py`` pins the dates
  gov.uk publishes, so a package upgrade that disagrees fails the tests.

Counting: "within N working days of" a date means by the end of the N-th working day after it;
the day itself is not counted, whether or not it is a working day (a concern raised on a
Saturday, 2 working days: Monday is the first, Tuesday the second).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator

import holidays

CITATION = "Banking and Financial Dealings Act 1971, s1 and Schedule 1 (bank holidays)"
SATURDAY = 5


def bank_holidays(year: int) -> list[tuple[dt.date, str]]:
    """The bank holidays in England and Wales in a year, with their names, in date order, as
    gov.uk lists them: the days off (when Christmas Day falls on a Saturday, the bank holiday
    is the substitute Monday, not the Saturday)."""
    named = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return sorted((day, name) for day, name in named.items() if day.weekday() < SATURDAY)


@functools.lru_cache(maxsize=128)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(day for day, _name in bank_holidays(year))


def is_bank_holiday(day: dt.date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < SATURDAY and not is_bank_holiday(day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The N-th working day after ``start`` (``start`` itself is not counted)."""
    if n < 0:
        raise ValueError("a number of working days cannot be negative")
    day = start
    while n:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days after ``start``, up to and including ``end`` (0 if end <= start)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day)
    return count


def calendar(first: dt.date, last: dt.date) -> Iterator[tuple[dt.date, bool, int]]:
    """Each day from ``first`` to ``last``: (day, working?, how many working days from
    ``first`` up to and including it). In SQL, the N-th working day after D is the working day
    whose count is D's count + N (the calendar table the duties engine joins)."""
    count, day = 0, first
    while day <= last:
        working = is_working_day(day)
        count += working
        yield day, working, count
        day += dt.timedelta(days=1)
