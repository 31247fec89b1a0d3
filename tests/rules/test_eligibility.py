"""Eligibility under SI 2015/313: worked examples, the JSON contract, and properties of the test."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carebridge.rules import eligibility as e
from carebridge.rules.eligibility import (
    ADULT_LIMBS,
    ADULT_OUTCOMES,
    CARER_ACCEPTED_LIMBS,
    CARER_LIMBS,
    CARER_OUTCOMES,
    TAKES_SIGNIFICANTLY_LONGER,
    AdultNeeds,
    CarerNeeds,
    InvalidNeeds,
    determine,
    parse,
    to_dict,
)

ADULT_ORDER = list(ADULT_OUTCOMES)
CARER_ORDER = list(CARER_OUTCOMES)

adult_outcomes = st.dictionaries(
    st.sampled_from(ADULT_ORDER), st.frozensets(st.sampled_from(list(ADULT_LIMBS)))
)
carer_outcomes = st.dictionaries(
    st.sampled_from(CARER_ORDER), st.frozensets(st.sampled_from(sorted(CARER_ACCEPTED_LIMBS)))
)
adult_needs = st.builds(AdultNeeds, st.booleans(), adult_outcomes, st.booleans())
carer_needs = st.builds(CarerNeeds, st.booleans(), st.booleans(), carer_outcomes, st.booleans())
any_needs = adult_needs | carer_needs


def adult(outcomes, impairment=True, significant=True):
    return AdultNeeds(
        needs_arise_from_impairment_or_illness=impairment,
        outcomes={k: frozenset(v) for k, v in outcomes.items()},
        significant_impact_on_wellbeing=significant,
    )


def carer(outcomes, necessary=True, health=False, significant=True):
    return CarerNeeds(
        needs_arise_from_providing_necessary_care=necessary,
        health_at_risk_of_deterioration=health,
        outcomes={k: frozenset(v) for k, v in outcomes.items()},
        significant_impact_on_wellbeing=significant,
    )


def n_unable(needs, counting):
    return sum(1 for limbs in needs.outcomes.values() if limbs & counting)


# --- The vocabulary is the regulation's ------------------------------------------------------


def test_adult_outcomes_are_reg_2_2_in_order():
    assert ADULT_ORDER == [
        "nutrition",
        "personal_hygiene",
        "toilet_needs",
        "appropriately_clothed",
        "use_home_safely",
        "habitable_home",
        "relationships",
        "work_training_education_volunteering",
        "local_facilities_services",
        "caring_for_child",
    ]
    assert ADULT_OUTCOMES["nutrition"] == "Managing and maintaining nutrition"
    assert [e.ADULT_OUTCOME_PARAGRAPHS[k] for k in ADULT_ORDER] == [
        f"2(2)({c})" for c in "abcdefghij"
    ]


def test_carer_outcomes_are_reg_3_2_b_in_order():
    assert CARER_ORDER == [
        "caring_for_child",
        "caring_for_others",
        "habitable_home",
        "nutrition",
        "relationships",
        "work_training_education_volunteering",
        "local_facilities_services",
        "recreational_activities",
    ]
    assert CARER_OUTCOMES["recreational_activities"] == "Engaging in recreational activities"
    assert e.CARER_OUTCOME_PARAGRAPHS["recreational_activities"] == "3(2)(b)(viii)"


def test_limbs():
    assert list(ADULT_LIMBS) == [
        "without_assistance",
        "pain_distress_anxiety",
        "endangers_health_safety",
        "takes_significantly_longer",
    ]
    assert list(CARER_LIMBS) == list(ADULT_LIMBS)[:3]
    assert [lb.paragraph for lb in e.limbs_for("carer")] == ["3(3)(a)", "3(3)(b)", "3(3)(c)"]
    assert all(label for label in ADULT_LIMBS.values())


def test_explain_outcome():
    assert e.explain_outcome("toilet_needs", "adult") == "Managing toilet needs (reg 2(2)(c))"
    assert e.explain_outcome("nutrition", "carer").endswith("(reg 3(2)(b)(iv))")
    with pytest.raises(InvalidNeeds, match="toilet_needs"):
        e.explain_outcome("toilet_needs", "carer")
    with pytest.raises(InvalidNeeds, match="kind"):
        e.explain_outcome("nutrition", "child")


# --- Worked examples --------------------------------------------------------------------------


def test_adult_two_outcomes_is_eligible_with_reasons():
    d = determine(
        adult({"personal_hygiene": ["pain_distress_anxiety"], "nutrition": ["without_assistance"]})
    )
    assert d.eligible
    assert d.kind == "adult"
    assert d.outcomes_unable == ("nutrition", "personal_hygiene")
    assert d.reasons[0] == (
        "Needs arise from or are related to a physical or mental impairment or illness "
        "(reg 2(1)(a))."
    )
    assert d.reasons[1] == (
        "Unable to achieve 2 of the specified outcomes (reg 2(1)(b)): Managing and maintaining "
        "nutrition (without assistance); Maintaining personal hygiene (significant pain, distress "
        "or anxiety)."
    )
    assert "meet the eligibility criteria" in d.reasons[-1]
    assert d.regulation == (
        "The Care and Support (Eligibility Criteria) Regulations 2015 (SI 2015/313), regulation 2"
    )


def test_adult_one_outcome_is_not_eligible_and_says_why():
    d = determine(adult({"toilet_needs": ["takes_significantly_longer"], "nutrition": []}))
    assert not d.eligible
    assert d.outcomes_unable == ("toilet_needs",)
    assert "only 1" in d.reasons[1] and "reg 2(1)(b) is not met" in d.reasons[1]
    assert "Managing toilet needs (takes significantly longer)" in d.reasons[1]
    assert d.reasons[-1].endswith("reg 2(1)(b) is not met.")


def test_adult_fails_on_every_condition():
    d = determine(adult({}, impairment=False, significant=False))
    assert not d.eligible
    assert "reg 2(1)(a) is not met" in d.reasons[0]
    assert "Able to achieve all of the specified outcomes" in d.reasons[1]
    assert "reg 2(1)(c) is not met" in d.reasons[2]
    assert d.reasons[-1].endswith("reg 2(1)(a) and (b) and (c) are not met.")


def test_adult_several_limbs_listed_in_statutory_order():
    d = determine(
        adult(
            {
                "caring_for_child": ["takes_significantly_longer", "without_assistance"],
                "use_home_safely": ["endangers_health_safety"],
            }
        )
    )
    assert d.eligible
    assert d.outcomes_unable == ("use_home_safely", "caring_for_child")
    assert (
        "Carrying out any caring responsibilities the adult has for a child "
        "(without assistance and takes significantly longer)" in d.reasons[1]
    )


def test_carer_health_at_risk_alone_is_enough():
    d = determine(carer({}, health=True))
    assert d.eligible
    assert d.outcomes_unable == ()
    assert any("reg 3(2)(a)" in r and "is, or is at risk of" in r for r in d.reasons)
    assert d.regulation.endswith("regulation 3")


def test_carer_one_outcome_is_enough():
    d = determine(carer({"recreational_activities": ["pain_distress_anxiety"]}))
    assert d.eligible
    assert d.outcomes_unable == ("recreational_activities",)


def test_carer_takes_significantly_longer_never_counts_and_reasons_say_so():
    d = determine(carer({"recreational_activities": [TAKES_SIGNIFICANTLY_LONGER]}))
    assert not d.eligible
    assert d.outcomes_unable == ()
    note = next(r for r in d.reasons if "Takes significantly longer" in r)
    assert "Engaging in recreational activities" in note
    assert "does not count for carers" in note
    assert "reg 3(1)(b) is not met" in d.reasons[-1]


def test_carer_not_providing_necessary_care_is_not_eligible():
    d = determine(carer({"nutrition": ["without_assistance"]}, necessary=False, health=True))
    assert not d.eligible
    assert "reg 3(1)(a) is not met" in d.reasons[0]


def test_as_dict_shape_and_json():
    d = determine(carer({}, health=True, significant=False))
    out = d.as_dict()
    assert {"eligible", "outcomes_unable", "reasons", "regulation"} <= set(out)
    assert set(out) <= {"eligible", "outcomes_unable", "reasons", "regulation", "kind"}
    assert out["eligible"] is False
    assert isinstance(out["outcomes_unable"], list) and isinstance(out["reasons"], list)
    assert json.loads(json.dumps(out)) == out


def test_determine_rejects_unknown_vocabulary_built_directly():
    with pytest.raises(InvalidNeeds, match="recreational_activities"):
        determine(adult({"recreational_activities": ["without_assistance"]}))
    with pytest.raises(InvalidNeeds, match="prompting"):
        determine(adult({"nutrition": ["prompting"]}))
    with pytest.raises(TypeError):
        determine({"kind": "adult"})


def test_determine_accepts_plain_sets_and_lists_from_forms():
    needs = AdultNeeds(True, {"nutrition": {"without_assistance"}, "toilet_needs": ["x"][:0]}, True)
    assert determine(needs).outcomes_unable == ("nutrition",)


# --- Properties -------------------------------------------------------------------------------


@given(adult_needs)
def test_adult_matches_the_regulation(needs):
    d = determine(needs)
    expected = (
        needs.needs_arise_from_impairment_or_illness
        and n_unable(needs, frozenset(ADULT_LIMBS)) >= 2
        and needs.significant_impact_on_wellbeing
    )
    assert d.eligible is expected


@given(adult_needs)
def test_adult_never_eligible_with_fewer_than_two_outcomes(needs):
    if n_unable(needs, frozenset(ADULT_LIMBS)) < 2:
        assert not determine(needs).eligible


@given(adult_outcomes, st.booleans())
def test_adult_never_eligible_without_impairment_or_significant_impact(outcomes, other):
    assert not determine(AdultNeeds(False, outcomes, other)).eligible
    assert not determine(AdultNeeds(other, outcomes, False)).eligible


@given(carer_needs)
def test_carer_matches_the_regulation(needs):
    d = determine(needs)
    expected = (
        needs.needs_arise_from_providing_necessary_care
        and (needs.health_at_risk_of_deterioration or n_unable(needs, frozenset(CARER_LIMBS)) >= 1)
        and needs.significant_impact_on_wellbeing
    )
    assert d.eligible is expected


@given(carer_needs, st.data())
def test_carer_ignores_takes_significantly_longer(needs, data):
    toggled = {}
    for key, limbs in needs.outcomes.items():
        if data.draw(st.booleans()):
            limbs = limbs ^ {TAKES_SIGNIFICANTLY_LONGER}
        toggled[key] = frozenset(limbs)
    before = determine(needs)
    after = determine(
        CarerNeeds(
            needs.needs_arise_from_providing_necessary_care,
            needs.health_at_risk_of_deterioration,
            toggled,
            needs.significant_impact_on_wellbeing,
        )
    )
    assert after.eligible is before.eligible
    assert after.outcomes_unable == before.outcomes_unable


@given(carer_outcomes)
def test_carer_with_health_at_risk_is_eligible_whatever_the_outcomes(outcomes):
    assert determine(CarerNeeds(True, True, outcomes, True)).eligible
    assert determine(CarerNeeds(True, True, {}, True)).eligible


def _add_limbs(needs, data, limbs_pool, outcome_pool):
    extra = data.draw(st.dictionaries(st.sampled_from(outcome_pool), st.frozensets(limbs_pool)))
    merged = dict(needs.outcomes)
    for key, limbs in extra.items():
        merged[key] = merged.get(key, frozenset()) | limbs
    return merged


@given(adult_needs, st.data())
def test_adult_is_monotone(needs, data):
    more = _add_limbs(needs, data, st.sampled_from(list(ADULT_LIMBS)), ADULT_ORDER)
    bigger = AdultNeeds(
        needs.needs_arise_from_impairment_or_illness, more, needs.significant_impact_on_wellbeing
    )
    if determine(needs).eligible:
        assert determine(bigger).eligible
    assert set(determine(needs).outcomes_unable) <= set(determine(bigger).outcomes_unable)


@given(carer_needs, st.data())
def test_carer_is_monotone(needs, data):
    more = _add_limbs(needs, data, st.sampled_from(sorted(CARER_ACCEPTED_LIMBS)), CARER_ORDER)
    bigger = CarerNeeds(
        needs.needs_arise_from_providing_necessary_care,
        needs.health_at_risk_of_deterioration,
        more,
        needs.significant_impact_on_wellbeing,
    )
    if determine(needs).eligible:
        assert determine(bigger).eligible


@given(any_needs)
def test_outcomes_unable_in_statutory_order_and_complete(needs):
    d = determine(needs)
    order = ADULT_ORDER if needs.kind == "adult" else CARER_ORDER
    counting = frozenset(ADULT_LIMBS if needs.kind == "adult" else CARER_LIMBS)
    assert list(d.outcomes_unable) == [k for k in order if needs.outcomes.get(k, set()) & counting]


@given(any_needs)
def test_reasons_name_every_unable_outcome(needs):
    d = determine(needs)
    labels = ADULT_OUTCOMES if needs.kind == "adult" else CARER_OUTCOMES
    text = " ".join(d.reasons)
    for key in d.outcomes_unable:
        assert labels[key] in text
    assert all(r.endswith(".") for r in d.reasons)


@given(any_needs)
def test_parse_round_trips(needs):
    data = json.loads(json.dumps(to_dict(needs)))
    back = parse(data)
    assert back == needs
    assert determine(back) == determine(needs)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=300)
@given(any_needs, st.data())
def test_parse_raises_only_invalid_needs_on_corrupted_input(needs, data):
    payload = to_dict(needs)
    path = data.draw(st.sampled_from([*payload, "outcomes.*", "new"]))
    bad = data.draw(json_values)
    if path == "outcomes.*":
        key = data.draw(st.sampled_from([*ADULT_ORDER, *CARER_ORDER, "x"]))
        payload["outcomes"] = {**payload["outcomes"], key: bad}
    else:
        payload[path] = bad
    try:
        result = parse(payload)
    except InvalidNeeds as err:
        assert str(err)
    else:
        assert isinstance(result, AdultNeeds | CarerNeeds)


# --- Every error case of parse names the bad key ----------------------------------------------

ADULT_OK = {
    "kind": "adult",
    "needs_arise_from_impairment_or_illness": True,
    "outcomes": {"nutrition": ["without_assistance"]},
    "significant_impact_on_wellbeing": True,
}
CARER_OK = {
    "kind": "carer",
    "needs_arise_from_providing_necessary_care": True,
    "health_at_risk_of_deterioration": False,
    "outcomes": {"recreational_activities": ["takes_significantly_longer"]},
    "significant_impact_on_wellbeing": True,
}


def _without(d, key):
    return {k: v for k, v in d.items() if k != key}


@pytest.mark.parametrize(
    ("data", "key", "words"),
    [
        ([], "", ["JSON object", "array"]),
        ("adult", "", ["JSON object", "string"]),
        (_without(ADULT_OK, "kind"), "kind", ['"kind"', '"adult", "carer"']),
        ({**ADULT_OK, "kind": "child"}, "kind", ['"child"', '"adult", "carer"']),
        ({**ADULT_OK, "kind": ["adult"]}, "kind", ['"kind"']),
        ({**ADULT_OK, "notes": "x"}, "notes", ['"notes"', '"significant_impact_on_wellbeing"']),
        (
            {**ADULT_OK, "health_at_risk_of_deterioration": True},
            "health_at_risk_of_deterioration",
            ["Unknown key", '"adult"'],
        ),
        (_without(ADULT_OK, "outcomes"), "outcomes", ["Missing", '"outcomes"']),
        (
            _without(CARER_OK, "health_at_risk_of_deterioration"),
            "health_at_risk_of_deterioration",
            ["Missing", "true or false"],
        ),
        (
            {**ADULT_OK, "significant_impact_on_wellbeing": 1},
            "significant_impact_on_wellbeing",
            ["true or false", "1"],
        ),
        (
            {**ADULT_OK, "needs_arise_from_impairment_or_illness": "yes"},
            "needs_arise_from_impairment_or_illness",
            ["true or false", '"yes"'],
        ),
        (
            {**CARER_OK, "health_at_risk_of_deterioration": None},
            "health_at_risk_of_deterioration",
            ["true or false", "null"],
        ),
        ({**ADULT_OK, "outcomes": []}, "outcomes", ['"outcomes"', "object"]),
        (
            {**ADULT_OK, "outcomes": {"recreational_activities": []}},
            "outcomes.recreational_activities",
            ['"recreational_activities"', '"caring_for_child"', "for carers"],
        ),
        (
            {**CARER_OK, "outcomes": {"toilet_needs": ["without_assistance"]}},
            "outcomes.toilet_needs",
            ['"toilet_needs"', '"recreational_activities"'],
        ),
        (
            {**ADULT_OK, "outcomes": {"nutrition": "without_assistance"}},
            "outcomes.nutrition",
            ['"outcomes.nutrition"', "list of limbs", '"pain_distress_anxiety"'],
        ),
        (
            {**ADULT_OK, "outcomes": {"nutrition": ["prompting"]}},
            "outcomes.nutrition",
            ['"prompting"', '"outcomes.nutrition"', '"without_assistance"'],
        ),
        (
            {**ADULT_OK, "outcomes": {"nutrition": [True]}},
            "outcomes.nutrition",
            ["Unknown limb true", '"outcomes.nutrition"'],
        ),
        (
            {**CARER_OK, "outcomes": {"nutrition": ["takes_longer"]}},
            "outcomes.nutrition",
            ['"takes_longer"', "does not count for carers"],
        ),
    ],
)
def test_parse_errors_name_the_key(data, key, words):
    with pytest.raises(InvalidNeeds) as info:
        parse(data)
    assert info.value.key == key
    message = str(info.value)
    if key:
        assert key.split(".")[-1] in message
    for word in words:
        assert word in message


def test_parse_accepts_the_contract():
    a = parse(ADULT_OK)
    assert isinstance(a, AdultNeeds)
    assert a.outcomes == {"nutrition": frozenset({"without_assistance"})}
    c = parse(CARER_OK)
    assert isinstance(c, CarerNeeds)
    assert not determine(c).eligible  # "takes significantly longer" only


def test_parse_duplicate_limbs_and_empty_lists():
    data = {**ADULT_OK, "outcomes": {"nutrition": ["without_assistance"] * 3, "toilet_needs": []}}
    needs = parse(data)
    assert needs.outcomes["nutrition"] == frozenset({"without_assistance"})
    assert determine(needs).outcomes_unable == ("nutrition",)


def test_determine_json():
    out = e.determine_json(
        {**ADULT_OK, "outcomes": {"nutrition": ["without_assistance"], "toilet_needs": ["x"][:0]}}
    )
    assert out["eligible"] is False and out["outcomes_unable"] == ["nutrition"]
