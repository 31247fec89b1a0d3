"""rules.safeguarding: the s42 decision (a Section 42 enquiry exactly when all three criteria
are met), advocacy (s68), what concluding an enquiry needs, and the code lists."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carebridge.rules import safeguarding as sg

TODAY = dt.date(2026, 6, 15)
RECEIVED = dt.date(2026, 6, 10)
REASONS = {k: "Because" for k in sg.CRITERION_KEYS}
answer = st.sampled_from([True, False, None])


def _decide(answers, result, *, route="", reason="Why", decided_on=TODAY, reasons=REASONS):
    return sg.decision_errors(
        answers, reasons, result=result, route=route, reason=reason, decided_on=decided_on,
        received_on=RECEIVED, today=TODAY,
    )  # fmt: skip


@given(
    a=answer,
    b=answer,
    c=answer,
    result=st.sampled_from([sg.S42_ENQUIRY, sg.OTHER_ENQUIRY, sg.OTHER_ROUTE]),
)
def test_a_section_42_enquiry_exactly_when_all_three_criteria_are_met(a, b, c, result):
    answers = dict(zip(sg.CRITERION_KEYS, (a, b, c), strict=True))
    errors = _decide(answers, result, route="advice" if result == sg.OTHER_ROUTE else "")
    if None in (a, b, c):
        assert set(errors) & set(sg.CRITERION_KEYS)
        return
    met = a and b and c
    assert (not errors) == ((result == sg.S42_ENQUIRY) == met)
    if errors:
        assert "s42" in errors["result"]


def test_the_messages_say_what_is_wrong():
    yes = dict.fromkeys(sg.CRITERION_KEYS, True)
    assert (
        "needs all three" in _decide({**yes, "abuse_or_neglect": False}, sg.S42_ENQUIRY)["result"]
    )
    assert "must make enquiries" in _decide(yes, sg.OTHER_ENQUIRY)["result"]
    errors = _decide({}, "")
    assert errors["needs_care_and_support"] == (
        "Select whether the adult has needs for care and support"
    )
    assert errors["result"] == "Select what the council will do"
    errors = _decide(yes, sg.S42_ENQUIRY, reasons={**REASONS, "unable_to_protect": "  "})
    assert errors == {"unable_to_protect_reason": "Give the reason for your answer to (c)"}


def test_another_route_names_the_route_and_the_reason():
    no = {**dict.fromkeys(sg.CRITERION_KEYS, True), "unable_to_protect": False}
    errors = _decide(no, sg.OTHER_ROUTE, route="", reason=" ")
    assert set(errors) == {"route", "reason"}
    assert not _decide(no, sg.OTHER_ROUTE, route="signpost")
    assert set(_decide(no, sg.OTHER_ENQUIRY, reason="")) == {"reason"}


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (None, "Enter the date of the decision"),
        (TODAY + dt.timedelta(days=1), "today or in the past"),
        (RECEIVED - dt.timedelta(days=1), "on or after the concern was received (10 June 2026)"),
    ],
)
def test_the_decision_date(day, message):
    errors = _decide(dict.fromkeys(sg.CRITERION_KEYS, True), sg.S42_ENQUIRY, decided_on=day)
    assert message in errors["decided_on"]


@pytest.mark.parametrize(
    ("difficulty", "person", "needed"),
    [(True, "", True), (True, "  ", True), (True, "Her daughter", False), (False, "", False),
     (None, "", False)],
)  # fmt: skip
def test_an_advocate_is_needed_with_substantial_difficulty_and_nobody_appropriate(
    difficulty, person, needed
):
    assert sg.advocate_needed(difficulty, person) is needed


def test_an_advocate_is_referred_only_where_there_is_difficulty():
    assert "advocate_referred_on" in sg.advocacy_errors(False, "", TODAY, today=TODAY)
    assert sg.advocacy_errors(True, "", TODAY, today=TODAY) == {}
    assert (
        "today or earlier"
        in sg.advocacy_errors(True, "", TODAY + dt.timedelta(days=1), today=TODAY)[
            "advocate_referred_on"
        ]
    )


def _close(**over):
    fields = {
        "concluded_on": TODAY, "started_on": RECEIVED, "today": TODAY,
        "risk_outcome": sg.RISK_REDUCED, "msp_asked": sg.MSP_EXPRESSED,
        "msp_achieved": sg.ACHIEVED_PARTIALLY, "substantial_difficulty": False,
        "appropriate_person": "", "advocate_referred_on": None, "plan_open": False,
        "plan_after": "", "plan_review_due": None,
    }  # fmt: skip
    fields.update(over)
    return sg.closure_errors(**fields)


def test_a_complete_enquiry_can_close():
    assert _close() == {}
    assert _close(msp_asked=sg.MSP_NONE_EXPRESSED, msp_achieved="") == {}
    assert _close(plan_open=True, plan_after=sg.PLAN_CLOSE) == {}
    assert (
        _close(
            plan_open=True,
            plan_after=sg.PLAN_CONTINUE,
            plan_review_due=TODAY + dt.timedelta(days=1),
        )
        == {}
    )


@pytest.mark.parametrize(
    ("over", "field", "words"),
    [
        ({"risk_outcome": ""}, "risk_outcome", "Select the risk outcome"),
        ({"msp_asked": ""}, "msp_asked", "Making Safeguarding Personal"),
        ({"msp_asked": sg.MSP_NOT_RECORDED}, "msp_asked", "Making Safeguarding Personal"),
        ({"msp_achieved": ""}, "msp_achieved", "how far the outcomes"),
        ({"msp_asked": sg.MSP_NOT_ASKED}, "msp_achieved", "leave this empty"),
        ({"substantial_difficulty": None}, "substantial_difficulty", "s68"),
        ({"substantial_difficulty": True}, "advocate_referred_on", "independent advocate"),
        ({"plan_open": True}, "plan_after", "safeguarding plan"),
        ({"plan_open": True, "plan_after": sg.PLAN_CONTINUE}, "plan_review_due", "Enter"),
        ({"plan_open": True, "plan_after": sg.PLAN_CONTINUE, "plan_review_due": TODAY},
         "plan_review_due", "after the enquiry concludes"),
        ({"concluded_on": None}, "concluded_on", "Enter the date"),
        ({"concluded_on": RECEIVED - dt.timedelta(days=1)}, "concluded_on", "before it started"),
        ({"concluded_on": TODAY + dt.timedelta(days=1)}, "concluded_on", "today or in the past"),
    ],
)  # fmt: skip
def test_closing_needs_each_outcome(over, field, words):
    errors = _close(**over)
    assert words in errors[field]


@pytest.mark.parametrize(
    "codes",
    [sg.TYPE_OF_RISK, sg.LOCATION_OF_RISK, sg.SOURCE_OF_RISK, sg.RISK_OUTCOME, sg.MSP_ASKED,
     sg.MSP_ACHIEVED, sg.CONCERN_SOURCES, sg.SOURCE_RELATIONSHIPS, sg.ROUTES, sg.RESULTS],
)  # fmt: skip
def test_each_code_list_has_distinct_codes_and_labels(codes):
    assert len({c for c, _ in codes}) == len(codes) == len({t for _, t in codes})
    assert all(c and len(c) <= 30 for c, _ in codes)


def test_the_sac_lists_hold_the_categories_it_counts():
    assert dict(sg.SOURCE_OF_RISK)[sg.SERVICE_PROVIDER] == "Service Provider"
    assert len(sg.TYPE_OF_RISK) == 11 and len(sg.LOCATION_OF_RISK) == 9
    assert {sg.RISK_REMOVED, sg.RISK_REDUCED, sg.RISK_REMAINS} == sg.RISK_IDENTIFIED
    assert sg.MSP_NOT_RECORDED not in dict(sg.MSP_ASKED_RECORDABLE)
