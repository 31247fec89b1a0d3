"""The s117 rules: eligibility only after a qualifying detention and leaving hospital, no end on
a CTO or without both bodies, Worcestershire, and the council/ICB split."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carebridge.rules import aftercare as rules
from carebridge.rules import mental_health_act as mha

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
sections = st.sampled_from([s.code for s in mha.SECTIONS])


@settings(deadline=None)
@given(section=sections, ended=st.none() | days, left=st.none() | days, cto=st.none() | days)
def test_eligible_only_after_a_qualifying_detention_ended_and_left_hospital(
    section, ended, left, cto
):
    result = rules.eligibility(
        section=section, ended_on=ended, left_hospital_on=left, cto_started_on=cto
    )
    out_of_hospital = left if left is not None else cto
    expected = (
        section in mha.S117_QUALIFYING
        and ended is not None
        and out_of_hospital is not None
        and out_of_hospital >= ended
    )
    assert result.eligible is expected
    assert result.reason
    if expected:
        assert result.from_date == out_of_hospital
    else:
        assert result.from_date is None


@pytest.mark.parametrize("code", ["s2", "s4", "s136", "s5_2", "s35", "s38", "s7", "s17a"])
def test_non_qualifying_sections_never_lead_to_aftercare(code):
    day = dt.date(2026, 1, 5)
    result = rules.eligibility(section=code, ended_on=day, left_hospital_on=day)
    assert not result.eligible and "does not lead to s117" in result.reason


def test_the_qualifying_sections_are_the_acts():
    assert {"s3", "s37", "s37_41", "s45a", "s47", "s48"} == mha.S117_QUALIFYING


def test_leaving_later_than_the_detention_ended_starts_aftercare_then():
    r = rules.eligibility(
        section="s3", ended_on=dt.date(2026, 3, 1), left_hospital_on=dt.date(2026, 3, 20)
    )
    assert r.eligible and r.from_date == dt.date(2026, 3, 20)


def test_a_cto_patient_is_entitled_from_the_cto():
    r = rules.eligibility(
        section="s3", ended_on=dt.date(2026, 3, 1), left_hospital_on=None,
        cto_started_on=dt.date(2026, 3, 1),
    )  # fmt: skip
    assert r.eligible and "community treatment order" in r.reason


@settings(deadline=None)
@given(
    on_cto=st.booleans(),
    council=st.booleans(),
    icb=st.booleans(),
    start=days,
    offset=st.integers(-400, 400),
)
def test_aftercare_ends_only_by_both_bodies_and_never_on_a_cto(on_cto, council, icb, start, offset):
    decided = start + dt.timedelta(days=offset)
    today = start + dt.timedelta(days=200)
    errors = rules.end_refusal(
        on_cto=on_cto, council_agrees=council, icb_agrees=icb, decided_on=decided,
        eligible_from=start, today=today,
    )  # fmt: skip
    may_end = not on_cto and council and icb and start <= decided <= today
    assert (errors == {}) is may_end
    if on_cto:
        assert set(errors) == {"__all__"} and "community treatment order" in errors["__all__"]


@settings(deadline=None)
@given(st.lists(st.tuples(days, st.sampled_from(["A", "B", "C"])), min_size=1, max_size=6))
def test_the_latest_detention_fixes_the_responsible_council(detentions):
    rows = [rules.Detention(d, c) for d, c in detentions]
    latest = max(rows, key=lambda d: d.started_on)
    assert rules.responsible_council(rows) == latest.resident_in
    assert rules.responsible_council([]) is None


@settings(deadline=None)
@given(days, days)
def test_a_new_detention_supersedes_aftercare_that_started_before_it(start, new):
    assert rules.superseded_by(start, new) is (new >= start)


percent = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)


@settings(deadline=None)
@given(percent, percent)
def test_percentages_must_add_up_to_100(council, icb):
    if council + icb == 100:
        split = rules.split_from_percentages(council, icb)
        assert split.council_percent + split.icb_percent == 100
    else:
        with pytest.raises(rules.SplitError) as e:
            rules.split_from_percentages(council, icb)
        assert "add up to 100%" in e.value.errors["icb_percent"]


@settings(deadline=None)
@given(
    cost=st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False),
    share=st.decimals(min_value=0, max_value=1, places=4, allow_nan=False),
)
def test_amounts_adding_up_to_the_cost_give_a_split_whose_amounts_add_up(cost, share):
    council = (cost * share).quantize(Decimal("0.01"))
    icb = cost - council
    split = rules.split_from_amounts(cost, council, icb)
    assert split.council_percent + split.icb_percent == 100
    c, i = split.amounts(cost)
    assert c + i == cost
    assert abs(c - council) <= Decimal("0.01") * max(1, cost // 100)


def test_amounts_not_adding_up_are_refused_with_the_cost():
    with pytest.raises(rules.SplitError) as e:
        rules.split_from_amounts(Decimal("257.60"), Decimal("100.00"), Decimal("100.00"))
    assert "£257.60" in e.value.errors["icb_weekly"]


@pytest.mark.parametrize(
    ("council", "icb", "key", "words"),
    [
        (None, Decimal(50), "council_percent", "Enter the council's share"),
        (Decimal(101), Decimal(-1), "council_percent", "between 0% and 100%"),
        (Decimal("33.333"), Decimal("66.667"), "council_percent", "2 decimal places"),
    ],
)
def test_bad_percentages_say_what_is_wrong(council, icb, key, words):
    with pytest.raises(rules.SplitError) as e:
        rules.split_from_percentages(council, icb)
    assert words in e.value.errors[key]


@settings(deadline=None)
@given(days, st.lists(days, max_size=5))
def test_the_next_review_is_12_months_after_the_latest(start, reviews):
    due = rules.next_review_due(start, reviews)
    latest = max([start, *reviews])
    assert latest < due <= latest + dt.timedelta(days=366)
