"""The resource allocation system: an indicative weekly personal budget from eligible needs."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carebridge.rules.eligibility import ADULT_LIMBS, ADULT_OUTCOMES, InvalidNeeds
from carebridge.rules.ras import (
    DEFAULT_SCHEME,
    InvalidScheme,
    RasScheme,
    indicative_budget,
    scheme_from_dict,
    scheme_to_dict,
)


def scheme(**changes):
    fields = {
        "version": DEFAULT_SCHEME.version,
        "outcome_points": dict(DEFAULT_SCHEME.outcome_points),
        "limb_points": dict(DEFAULT_SCHEME.limb_points),
        "bands": DEFAULT_SCHEME.bands,
        **changes,
    }
    return RasScheme(**fields)


def test_default_scheme_is_valid_and_complete():
    DEFAULT_SCHEME.validate()
    assert set(DEFAULT_SCHEME.outcome_points) == set(ADULT_OUTCOMES)
    assert set(DEFAULT_SCHEME.limb_points) == set(ADULT_LIMBS)
    assert DEFAULT_SCHEME.bands[0] == (0, Decimal("0.00"))


def test_worked_example():
    result = indicative_budget(
        DEFAULT_SCHEME,
        {
            "toilet_needs": ["takes_significantly_longer"],
            "nutrition": ["without_assistance", "pain_distress_anxiety", "without_assistance"],
            "relationships": [],
        },
    )
    # nutrition 10 + 5 + 3 = 18; toilet needs 10 + 2 = 12; relationships achieved
    assert result.breakdown == (("nutrition", 18), ("toilet_needs", 12))
    assert result.points == 30
    assert result.band_min_points == 30
    assert result.weekly_amount == Decimal("380.00")
    assert result.annual_amount == Decimal("19760.00")
    assert isinstance(result.weekly_amount, Decimal) and isinstance(result.annual_amount, Decimal)


@pytest.mark.parametrize(
    ("points", "weekly"),
    [(0, "0.00"), (9, "0.00"), (10, "120.00"), (54, "520.00"), (55, "700.00"), (240, "900.00")],
)
def test_band_edges(points, weekly):
    flat = scheme(
        outcome_points=dict.fromkeys(ADULT_OUTCOMES, 0) | {"nutrition": points},
        limb_points=dict.fromkeys(ADULT_LIMBS, 0),
    )
    result = indicative_budget(flat, {"nutrition": ["without_assistance"]})
    assert result.points == points
    assert result.weekly_amount == Decimal(weekly)


def test_annual_amount_is_weekly_times_52_to_the_penny():
    odd = scheme(bands=((0, Decimal("0.00")), (1, Decimal("123.45"))))
    result = indicative_budget(odd, {"nutrition": ["without_assistance"]})
    assert result.annual_amount == Decimal("6419.40")
    assert str(result.annual_amount) == "6419.40"


def test_no_needs_scores_nothing():
    result = indicative_budget(DEFAULT_SCHEME, {})
    assert (result.points, result.weekly_amount, result.breakdown) == (0, Decimal("0.00"), ())


def test_unknown_outcome_or_limb_is_an_error():
    with pytest.raises(InvalidNeeds, match="recreational_activities"):
        indicative_budget(DEFAULT_SCHEME, {"recreational_activities": ["without_assistance"]})
    with pytest.raises(InvalidNeeds, match="prompting"):
        indicative_budget(DEFAULT_SCHEME, {"nutrition": ["prompting"]})


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"outcome_points": {**DEFAULT_SCHEME.outcome_points, "cooking": 5}}, "cooking"),
        ({"limb_points": {**DEFAULT_SCHEME.limb_points, "prompting": 1}}, "prompting"),
        ({"outcome_points": dict.fromkeys(list(ADULT_OUTCOMES)[:9], 10)}, "caring_for_child"),
        ({"limb_points": {**DEFAULT_SCHEME.limb_points, "without_assistance": -1}}, "0 or more"),
        ({"outcome_points": {**DEFAULT_SCHEME.outcome_points, "nutrition": True}}, "nutrition"),
        ({"outcome_points": {**DEFAULT_SCHEME.outcome_points, "nutrition": 2.5}}, "whole number"),
        ({"bands": ()}, "empty"),
        ({"bands": ((5, Decimal("10.00")),)}, "start at 0"),
        ({"bands": ((0, Decimal("0")), (20, Decimal("5")), (10, Decimal("9")))}, "ascending"),
        ({"bands": ((0, Decimal("0")), (10, Decimal("5")), (10, Decimal("9")))}, "ascending"),
        ({"bands": ((0, Decimal("50")), (10, Decimal("40")))}, "go down"),
        ({"bands": ((0, Decimal("-1")),)}, "£0 or more"),
        ({"bands": ((0, 120.0),)}, "Decimal"),
        ({"bands": ((0, Decimal("1.005")),)}, "whole pence"),
        ({"version": 0}, "version"),
    ],
)
def test_validate_rejects_bad_schemes(changes, words):
    with pytest.raises(InvalidScheme, match=words):
        scheme(**changes).validate()


def test_indicative_budget_refuses_a_bad_scheme():
    with pytest.raises(InvalidScheme):
        indicative_budget(scheme(bands=()), {})


def test_scheme_round_trips_through_json():
    stored = json.dumps(scheme_to_dict(DEFAULT_SCHEME))
    assert '"120.00"' in stored
    assert scheme_from_dict(json.loads(stored)) == DEFAULT_SCHEME


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda d: d.pop("bands"), "missing key 'bands'"),
        (lambda d: d.update(extra=1), "unknown key 'extra'"),
        (lambda d: d["bands"][1].update(weekly_amount=120.5), "string"),
        (lambda d: d["bands"][1].update(weekly_amount="lots"), "not an amount"),
        (lambda d: d["bands"][1].pop("min_points"), "band 2"),
        (lambda d: d.update(bands={}), "list"),
        (lambda d: d.update(limb_points=[]), "limb_points"),
        (lambda d: d["outcome_points"].pop("nutrition"), "nutrition"),
    ],
)
def test_scheme_from_dict_errors(mutate, words):
    data = scheme_to_dict(DEFAULT_SCHEME)
    mutate(data)
    with pytest.raises(InvalidScheme, match=words):
        scheme_from_dict(data)
    with pytest.raises(InvalidScheme):
        scheme_from_dict([])


def test_whole_pound_amounts_are_accepted_from_storage():
    data = scheme_to_dict(DEFAULT_SCHEME)
    data["bands"][1]["weekly_amount"] = 120
    assert scheme_from_dict(data).bands[1] == (10, Decimal("120"))


outcomes = st.dictionaries(
    st.sampled_from(list(ADULT_OUTCOMES)), st.frozensets(st.sampled_from(list(ADULT_LIMBS)))
)


@given(outcomes, st.data())
def test_more_needs_never_lower_the_budget(base, data):
    extra = data.draw(outcomes)
    more = {k: base.get(k, frozenset()) | extra.get(k, frozenset()) for k in {*base, *extra}}
    small, big = indicative_budget(DEFAULT_SCHEME, base), indicative_budget(DEFAULT_SCHEME, more)
    assert big.points >= small.points
    assert big.weekly_amount >= small.weekly_amount
    assert sum(p for _, p in small.breakdown) == small.points
