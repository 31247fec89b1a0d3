"""Due dates are computed in SQL; they must equal the Python rules (rules.dates.add_months,
calendar days, rules.working_days) on SQLite and PostgreSQL, at every month end, leap day and
bank holiday."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import DateField, Value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebridge.core import calendar
from carebridge.core.models import CalendarDay
from carebridge.duties.sql import AddDays, AddMonths, AddWorkingDays
from carebridge.organisations.models import Organisation
from carebridge.rules.dates import add_months
from carebridge.rules.working_days import add_working_days

pytestmark = pytest.mark.django_db

dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31))


def _sql(expression):
    # Any table with a row will do: evaluate the expression once.
    return Organisation.objects.annotate(_v=expression).values_list("_v", flat=True).first()


@pytest.fixture
def one_row(db):
    Organisation.objects.get_or_create(name="Date arithmetic", kind="council")


def _as_date(value):
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=dates, months=st.sampled_from([0, 1, 2, 6, 11, 12, 24]))
def test_add_months_matches_the_rule(one_row, day, months):
    got = _sql(AddMonths(Value(day, output_field=DateField()), months))
    assert _as_date(got) == add_months(day, months)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=dates, days=st.integers(min_value=0, max_value=400))
def test_add_days_matches_the_calendar(one_row, day, days):
    got = _sql(AddDays(Value(day, output_field=DateField()), days))
    assert _as_date(got) == day + dt.timedelta(days=days)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=st.dates(dt.date(1990, 1, 1), dt.date(2079, 9, 30)), n=st.integers(0, 45))
def test_add_working_days_matches_the_rule(one_row, day, n):
    calendar.ensure()
    got = _sql(AddWorkingDays(Value(day, output_field=DateField()), n))
    assert _as_date(got) == add_working_days(day, n)


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (dt.date(2026, 11, 21), 2, dt.date(2026, 11, 24)),  # a Saturday concern
        (dt.date(2026, 12, 23), 2, dt.date(2026, 12, 29)),  # over Christmas
        (dt.date(2022, 9, 16), 1, dt.date(2022, 9, 20)),  # over the State Funeral
    ],
)
def test_working_days_over_weekends_and_bank_holidays(one_row, day, n, expected):
    got = _sql(AddWorkingDays(Value(day, output_field=DateField()), n))
    assert _as_date(got) == expected


def test_the_calendar_is_filled_by_the_migration_and_mended_when_short(one_row):
    assert CalendarDay.objects.count() == calendar.DAYS
    CalendarDay.objects.filter(day__year=2026).delete()
    calendar.ensure()
    assert CalendarDay.objects.count() == calendar.DAYS
    assert calendar.sync() == 0
    CalendarDay.objects.filter(day=dt.date(2026, 11, 23)).update(working=False)
    assert calendar.sync() == 1
    assert CalendarDay.objects.get(day=dt.date(2026, 11, 23)).working


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2025, 8, 31), 6, dt.date(2026, 2, 28)),
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),
        (dt.date(2026, 3, 31), 6, dt.date(2026, 9, 30)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
    ],
)
def test_month_ends(one_row, day, months, expected):
    assert _as_date(_sql(AddMonths(Value(day, output_field=DateField()), months))) == expected


def test_a_shift_must_be_a_literal_int():
    with pytest.raises(TypeError):
        AddMonths(Value(dt.date(2026, 1, 1)), "12")
    with pytest.raises(TypeError):
        AddDays(Value(dt.date(2026, 1, 1)), True)
