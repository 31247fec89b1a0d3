"""When reviews are due: Care Act s27 and CSSG 13.32; Direct Payments Regulations 2014 reg 7."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carebridge.rules.dates import add_months
from carebridge.rules.reviews import (
    ANNUAL_REVIEW,
    DIRECT_PAYMENT_FIRST_REVIEW,
    DIRECT_PAYMENT_REVIEW,
    FIRST_REVIEW,
    UNPLANNED_REVIEW,
    is_overdue,
    next_review_due,
    reviews_due,
)

D = dt.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2025, 8, 31), 6, D(2026, 2, 28)),
        (D(2023, 8, 31), 6, D(2024, 2, 29)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2028, 2, 29), 48, D(2032, 2, 29)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2025, 3, 31), 1, D(2025, 4, 30)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),
        (D(2025, 7, 1), 6, D(2026, 1, 1)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 10), -13, D(2024, 12, 10)),
        (D(2026, 5, 5), 0, D(2026, 5, 5)),
    ],
)
def test_add_months_clamps_at_month_end(start, months, expected):
    assert add_months(start, months) == expected


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)), st.integers(-240, 240))
def test_add_months_properties(start, months):
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == start.day or (end.day < start.day and (end + dt.timedelta(days=1)).day == 1)


def test_first_review_window_is_six_to_eight_weeks():
    [r] = reviews_due(D(2026, 1, 5), [])
    assert r.kind == FIRST_REVIEW
    assert r.earliest == D(2026, 2, 16)
    assert r.due == D(2026, 3, 2)
    assert "13.32" in r.citation and "s27" in r.citation
    assert "5 January 2026" in r.reason


def test_annual_review_twelve_months_after_the_last_review():
    [r] = reviews_due(D(2026, 1, 5), [D(2026, 9, 15), D(2026, 2, 20)])
    assert r.kind == ANNUAL_REVIEW
    assert r.due == D(2027, 9, 15)
    assert r.earliest is None
    assert "15 September 2026" in r.reason


def test_reviews_before_the_plan_was_signed_off_belong_to_an_earlier_plan():
    [r] = reviews_due(D(2026, 1, 5), [D(2025, 6, 1)])
    assert r.kind == FIRST_REVIEW


def test_annual_review_from_a_leap_day():
    [r] = reviews_due(D(2028, 1, 2), [D(2028, 2, 29)])
    assert r.due == D(2029, 2, 28)


def test_direct_payment_first_review_within_six_months():
    owed = reviews_due(D(2025, 8, 1), [], first_direct_payment_on=D(2025, 8, 31))
    dp = next(r for r in owed if r.kind == DIRECT_PAYMENT_FIRST_REVIEW)
    assert dp.due == D(2026, 2, 28)
    assert "reg 7(1)(a)" in dp.citation
    assert "Direct Payments" in dp.citation
    assert [r.kind for r in owed] == [FIRST_REVIEW, DIRECT_PAYMENT_FIRST_REVIEW]


def test_direct_payment_reviews_then_every_twelve_months():
    owed = reviews_due(
        D(2025, 1, 6),
        [D(2025, 2, 20)],
        first_direct_payment_on=D(2025, 1, 10),
        direct_payment_reviews_completed=[D(2025, 7, 1)],
    )
    dp = next(r for r in owed if r.kind == DIRECT_PAYMENT_REVIEW)
    assert dp.due == D(2026, 7, 1)
    plan = next(r for r in owed if r.kind == ANNUAL_REVIEW)
    assert plan.due == D(2026, 2, 20)  # a direct payment review is not a plan review


def test_plan_review_after_the_first_payment_counts_as_a_direct_payment_review():
    owed = reviews_due(D(2025, 1, 6), [D(2025, 3, 3)], first_direct_payment_on=D(2025, 1, 10))
    dp = next(r for r in owed if r.kind.startswith("direct_payment"))
    assert dp.kind == DIRECT_PAYMENT_REVIEW
    assert dp.due == D(2026, 3, 3)
    assert "care and support plan review" in dp.reason


def test_plan_review_before_the_first_payment_does_not_count_for_the_direct_payment():
    owed = reviews_due(D(2025, 1, 6), [D(2025, 3, 3)], first_direct_payment_on=D(2025, 4, 1))
    dp = next(r for r in owed if r.kind.startswith("direct_payment"))
    assert dp.kind == DIRECT_PAYMENT_FIRST_REVIEW
    assert dp.due == D(2025, 10, 1)


def test_requested_review_is_due_at_once_until_a_review_is_done():
    owed = reviews_due(D(2025, 1, 6), [D(2025, 3, 3)], unplanned_requested_on=D(2025, 6, 2))
    assert owed[0].kind == UNPLANNED_REVIEW
    assert owed[0].due == D(2025, 6, 2)
    assert owed[0].citation == "Care Act 2014, s27(1)(b)"
    assert "reasonably practicable" in owed[0].reason
    done = reviews_due(
        D(2025, 1, 6), [D(2025, 3, 3), D(2025, 6, 20)], unplanned_requested_on=D(2025, 6, 2)
    )
    assert [r.kind for r in done] == [ANNUAL_REVIEW]
    assert done[0].due == D(2026, 6, 20)


def test_next_review_due_is_the_earliest():
    r = next_review_due(
        D(2025, 1, 6), [D(2025, 3, 3)], first_direct_payment_on=D(2024, 12, 1)
    )  # DP first review due 1 Jun 2025 but the plan review on 3 Mar 2025 counts for it
    assert r.kind == ANNUAL_REVIEW  # on the same day as the DP review: the plan review first
    assert r.due == D(2026, 3, 3)
    r = next_review_due(D(2025, 1, 6), [], first_direct_payment_on=D(2024, 8, 31))
    assert r.kind == DIRECT_PAYMENT_FIRST_REVIEW and r.due == D(2025, 2, 28)


def test_overdue_from_the_day_after_the_due_date():
    r = next_review_due(D(2026, 1, 5), [])
    assert not is_overdue(r, r.due - dt.timedelta(days=1))
    assert not is_overdue(r, r.due)
    assert is_overdue(r, r.due + dt.timedelta(days=1))


dates = st.dates(min_value=D(2015, 4, 1), max_value=D(2035, 12, 31))


@given(
    dates,
    st.lists(dates, max_size=4),
    st.none() | dates,
    st.lists(dates, max_size=3),
    st.none() | dates,
)
def test_reviews_due_is_never_empty_and_sorted(approved, reviews, first_dp, dp_reviews, asked):
    owed = reviews_due(approved, reviews, first_dp, dp_reviews, asked)
    assert owed
    assert [r.due for r in owed] == sorted(r.due for r in owed)
    assert next_review_due(approved, reviews, first_dp, dp_reviews, asked) == owed[0]
    assert sum(r.kind in (FIRST_REVIEW, ANNUAL_REVIEW) for r in owed) == 1
    for r in owed:
        assert r.reason and r.citation
        assert r.earliest is None or r.earliest <= r.due
