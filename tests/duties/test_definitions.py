"""Every duty declaration is complete and cited, and the vocabulary refuses malformed ones."""

from __future__ import annotations

import pytest

from carebridge.duties.definitions import DUTIES
from carebridge.duties.spec import Basis, Duty, Exclusion, Period, Records, State

REQUIRED_BY_ISSUE_5 = {
    "assessment-after-request",
    "eligibility-recorded",
    "plan-after-eligibility",
    "personal-budget-in-plan",
    "first-review",
    "annual-review",
    "direct-payment-review",
    "advocacy-considered",
    "carer-assessment-offered",
    "financial-assessment-before-charge",
    "accommodation-status-current",
}


@pytest.mark.parametrize("duty", DUTIES.values(), ids=list(DUTIES))
def test_each_duty_says_where_it_comes_from_and_what_to_do(duty):
    assert duty.title and duty.wording and duty.action
    assert duty.citation, "every duty cites its statute, regulation or guidance"
    assert duty.url.startswith("https://")
    assert isinstance(duty.basis, Basis)
    assert duty.starts.label and duty.met_by.label


def test_the_ids_the_issue_names_are_there():
    assert set(DUTIES) >= REQUIRED_BY_ISSUE_5


def _records():
    return Records(queryset=lambda as_of: None, date="start_date", label="Request")


def _duty(**overrides):
    fields = {
        "id": "a-duty",
        "title": "A duty",
        "wording": "Words",
        "citation": "Care Act 2014 s1",
        "basis": Basis.LEGAL,
        "period": Period(days=1),
        "starts": _records(),
        "met_by": _records(),
        "action": "Act",
        **overrides,
    }
    return Duty(**fields)


@pytest.mark.parametrize("bad", ["Has Capitals", "has spaces", ""])
def test_a_duty_id_is_lower_case_with_hyphens(bad):
    with pytest.raises(ValueError, match="duty id"):
        _duty(id=bad)


def test_a_first_period_is_only_for_recurring_duties():
    with pytest.raises(ValueError, match="recurring"):
        _duty(first_period=Period(months=6))
    assert _duty(recurring=True, first_period=Period(months=6)).first_period == Period(months=6)


def test_a_period_is_in_one_unit_and_not_negative():
    with pytest.raises(ValueError, match="not a mixture"):
        Period(days=1, months=1)
    with pytest.raises(ValueError, match="not a mixture"):
        Period(days=2, working_days=2)
    with pytest.raises(ValueError, match="negative"):
        Period(days=-1)
    with pytest.raises(ValueError, match="negative"):
        Period(working_days=-1)
    assert str(Period(working_days=2)) == "2 working days"
    assert str(Period(months=1)) == "1 month"


def test_an_exclusion_only_makes_a_clock_not_applicable_or_exempt():
    with pytest.raises(ValueError, match="not applicable or exempt"):
        Exclusion(condition=lambda as_of: None, state=State.MET, reason="No")
