"""Working days in England (rules.working_days): bank holidays as gov.uk publishes them, and
counting N working days after a date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carebridge.rules import working_days as wd

D = dt.date

# https://www.gov.uk/bank-holidays, England and Wales (the days off, substitutes included).
GOV_UK = {
    2022: [D(2022, 1, 3), D(2022, 4, 15), D(2022, 4, 18), D(2022, 5, 2), D(2022, 6, 2),
           D(2022, 6, 3), D(2022, 8, 29), D(2022, 9, 19), D(2022, 12, 26), D(2022, 12, 27)],
    2023: [D(2023, 1, 2), D(2023, 4, 7), D(2023, 4, 10), D(2023, 5, 1), D(2023, 5, 8),
           D(2023, 5, 29), D(2023, 8, 28), D(2023, 12, 25), D(2023, 12, 26)],
    2024: [D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 1), D(2024, 5, 6), D(2024, 5, 27),
           D(2024, 8, 26), D(2024, 12, 25), D(2024, 12, 26)],
    2025: [D(2025, 1, 1), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 5), D(2025, 5, 26),
           D(2025, 8, 25), D(2025, 12, 25), D(2025, 12, 26)],
    2026: [D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25),
           D(2026, 8, 31), D(2026, 12, 25), D(2026, 12, 28)],
    2027: [D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3), D(2027, 5, 31),
           D(2027, 8, 30), D(2027, 12, 27), D(2027, 12, 28)],
}  # fmt: skip


@pytest.mark.parametrize("year", sorted(GOV_UK))
def test_bank_holidays_are_the_ones_gov_uk_publishes(year):
    assert [day for day, _name in wd.bank_holidays(year)] == GOV_UK[year]


def test_a_bank_holiday_and_a_weekend_are_not_working_days():
    assert not wd.is_working_day(D(2026, 8, 31))  # late summer bank holiday (Monday)
    assert not wd.is_working_day(D(2026, 11, 21))  # Saturday
    assert not wd.is_working_day(D(2026, 11, 22))  # Sunday
    assert wd.is_working_day(D(2026, 11, 23))


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2026, 11, 20), 2, D(2026, 11, 24)),  # Friday: Monday, Tuesday
        (D(2026, 11, 21), 2, D(2026, 11, 24)),  # Saturday: the day itself is not counted
        (D(2026, 11, 23), 2, D(2026, 11, 25)),  # Monday: Tuesday, Wednesday
        (D(2026, 12, 23), 2, D(2026, 12, 29)),  # over Christmas (25th, substitute 28th)
        (D(2026, 4, 2), 1, D(2026, 4, 7)),  # Maundy Thursday: over Easter
        (D(2022, 9, 16), 1, D(2022, 9, 20)),  # over the State Funeral (a proclaimed day)
        (D(2026, 11, 23), 0, D(2026, 11, 23)),
    ],
)
def test_adding_working_days(start, n, due):
    assert wd.add_working_days(start, n) == due
    assert wd.working_days_between(start, due) == n


def test_a_negative_number_of_working_days_is_refused():
    with pytest.raises(ValueError, match="negative"):
        wd.add_working_days(D(2026, 1, 1), -1)


@given(st.dates(D(2000, 1, 1), D(2060, 12, 31)), st.integers(0, 60))
def test_the_due_day_is_a_working_day_and_exactly_n_working_days_on(start, n):
    due = wd.add_working_days(start, n)
    assert due >= start
    if n:
        assert wd.is_working_day(due)
        assert wd.working_days_between(start, due) == n
        assert wd.working_days_between(start, due - dt.timedelta(days=1)) == n - 1


@given(st.dates(D(2000, 1, 1), D(2060, 12, 31)), st.integers(0, 400), st.integers(1, 30))
def test_the_calendar_table_gives_the_same_answer(first_offset_start, span, n):
    # The SQL form: the N-th working day after D is the working day whose running count is
    # D's count + N.
    first = first_offset_start
    rows = list(wd.calendar(first, first + dt.timedelta(days=span + 120)))
    count = {day: c for day, _w, c in rows}
    start = first + dt.timedelta(days=span // 2)
    target = count[start] + n
    due = next(day for day, working, c in rows if working and c == target)
    assert due == wd.add_working_days(start, n)
