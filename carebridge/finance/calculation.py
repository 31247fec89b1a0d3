"""The charging engine (:mod:`carebridge.rules.charging`) as financial assessments use it.

Every weekly charge comes from the engine, with its workings. For the kinds of assessment that
collect no figures (a person who declines to disclose, a light-touch assessment) the engine input
is the case as known, with no income or capital: the engine's workings then say why the charge
is what it is. The one result the engine cannot reach without figures, a light-touch assessment
of a person whose capital is clearly above the upper capital limit, is written here in the
engine's shape, with the year's limit and its source from the engine's rates.

Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from carebridge.rules import charging
from carebridge.rules.charging import engine
from carebridge.rules.money import money as money_text

from .models import FinancialAssessment

FA = FinancialAssessment
InvalidCase = charging.InvalidCase
MIN_AGE = engine.MIN_AGE
MAX_AGE = engine.MAX_AGE

INCOME_TYPE_CHOICES: list[tuple[str, str]] = [
    (t.key, t.label) for t in charging.INCOME_TYPES.values()
]
PREMIUM_CHOICES: list[tuple[str, str]] = [
    (engine.DISABILITY, "Disability premium"),
    (engine.ENHANCED_DISABILITY, "Enhanced disability premium"),
    (engine.CARER, "Carer premium"),
]
FREE_SERVICE_CHOICES: list[tuple[str, str]] = [
    (engine.REABLEMENT, "Reablement, in its first 6 weeks"),
    (engine.INTERMEDIATE_CARE, "Intermediate care, in its first 6 weeks"),
    (engine.EQUIPMENT, "Community equipment or a minor adaptation (up to £1,000)"),
]
# Optional circumstances the engine reads (its contract's extensions), as yes/no questions.
CIRCUMSTANCES: list[tuple[str, str]] = [
    ("night_care_arranged", "The council arranges care at night"),
    (
        "home_occupied_by_partner_or_relative",
        "A partner or qualifying relative still lives in the main home",
    ),
    ("temporary_resident", "A temporary resident of a care home"),
    (
        "private_pension_half_to_spouse",
        "Half of an occupational or private pension is passed to a spouse or civil partner at home",
    ),
]
PENNY = Decimal("0.01")

SOURCE_LIGHT_TOUCH = (
    "SI 2014/2672 reg 10: a light-touch financial assessment, with the person's consent, where "
    "the evidence shows their resources are clearly above the upper capital limit [S35]"
)


def usable(year: str) -> bool:
    """Whether a financial year's core rates are published (the engine refuses it otherwise)."""
    try:
        charging.rates_for(year).check_core()
    except (charging.RatesUnavailable, charging.InvalidRates):
        return False
    return True


def year_choices() -> list[tuple[str, str]]:
    out = []
    for year in reversed(charging.financial_years()):
        start = int(year[:4])
        label = f"{year} (April {start} to March {start + 1})"
        if not usable(year):
            label += ": rates not yet published"
        out.append((year, label))
    return out


def default_year(today: dt.date) -> str:
    """The financial year of today, or the latest whose rates are published."""
    year = charging.financial_year_of(today)
    if usable(year):
        return year
    published = [y for y in charging.financial_years() if usable(y) and y <= year]
    return published[-1] if published else year


def year_start(year: str) -> dt.date:
    return dt.date(int(year[:4]), 4, 1)


def money(value: Decimal) -> float:
    """An amount for the engine's JSON input (whole pence; the engine reads floats exactly)."""
    return float(Decimal(value).quantize(PENNY))


def _placeholder(case_input: dict, **overrides: Any) -> dict[str, Any]:
    """An engine input with no income or capital, for the kinds that collect none."""
    age = case_input.get("age")
    base: dict[str, Any] = {
        "financial_year": case_input["financial_year"],
        "setting": case_input.get("setting", FA.Setting.NON_RESIDENTIAL),
        "age": age if isinstance(age, int) and MIN_AGE <= age <= MAX_AGE else MIN_AGE,
        "couple": False,
        "dependent_children": 0,
        "premiums": [],
        "capital": {"savings": 0, "other": 0, "main_home": 0},
        "weekly_income": [],
        "weekly_housing_costs": 0,
        "weekly_disability_related_expenditure": 0,
        "weekly_care_cost": case_input.get("weekly_care_cost"),
        "s117": bool(case_input.get("s117")),
        "free_service": None,
        "first_permanent_admission_week": None,
    }
    base.update(overrides)
    return base


def engine_input(kind: str, basis: str, case_input: dict, *, s117: bool) -> dict[str, Any]:
    """The engine's input for an assessment of this kind. ``s117``: s117 aftercare applies
    whatever was typed (the plan or the person says so), so the engine must not charge."""
    data = dict(case_input)
    if s117:
        data["s117"] = True
    if kind == FA.Kind.DECLINED:
        return _placeholder(data, declined_to_disclose=True)
    if kind == FA.Kind.LIGHT_TOUCH:
        if basis == FA.LightTouchBasis.FREE_SERVICE:
            return _placeholder(data, free_service=data.get("free_service"))
        return _placeholder(data)
    return data


def calculate(kind: str, basis: str, case_input: dict, *, s117: bool) -> tuple[dict, dict]:
    """(the engine input used, the result as ``Assessment.as_dict()``). Raises InvalidCase."""
    data = engine_input(kind, basis, case_input, s117=s117)
    if (
        kind == FA.Kind.LIGHT_TOUCH
        and basis == FA.LightTouchBasis.ABOVE_UPPER_LIMIT
        and not data.get("s117")
    ):
        return data, _above_upper_limit(charging.parse(data))
    return data, charging.assess(charging.parse(data), charging.DEFAULT_POLICY).as_dict()


def _above_upper_limit(case) -> dict[str, Any]:
    """A light-touch assessment of capital clearly above the upper limit: the full cost."""
    rates = charging.rates_for(case.financial_year)
    limit = rates.figure("upper_capital_limit")
    cost = case.weekly_care_cost
    steps = [
        ("Weekly cost of care", cost, engine.SOURCE_COST, engine.COST),
        (
            f"Light-touch assessment: capital clearly above the upper capital limit of "
            f"{money_text(limit.value)}, so the person pays the full cost",
            cost,
            f"{SOURCE_LIGHT_TOUCH}; {limit.source}; {engine.SOURCE_FULL_COST}",
            engine.DECISION,
        ),
        ("Weekly charge", cost, engine.SOURCE_CHARGE, engine.CHARGE),
        ("Council pays", Decimal(0), engine.SOURCE_COUNCIL, engine.COUNCIL),
    ]
    unconfirmed = [] if limit.confirmed else [limit.describe(case.financial_year)]
    return {
        "financial_year": case.financial_year,
        "setting": case.setting,
        "weekly_charge": money(cost),
        "council_pays": 0.0,
        "full_cost": True,
        "free_reason": None,
        "weekly_care_cost": money(cost),
        "assessed_contribution": None,
        "policy": charging.DEFAULT_POLICY.name,
        "steps": [{"step": t, "amount": money(a), "source": s, "kind": k} for t, a, s, k in steps],
        "unconfirmed": unconfirmed,
        "references": {},
    }


# --- engine messages against the form's fields ------------------------------------------------

_INCOME_KEY = re.compile(r"^weekly_income\[(\d+)\](?:\.(\w+))?$")
_KEY_PREFIX = re.compile(r'^"[\w.\[\]]+":\s*')


def field_for(key: str, income_rows: list[int]) -> str:
    """The form field an engine key names (``capital.savings`` -> ``capital_savings``;
    ``weekly_income[1].amount`` -> the row the second income line was typed in)."""
    if not key:
        return "__all__"
    m = _INCOME_KEY.match(key)
    if m:
        i = int(m.group(1))
        row = income_rows[i] if i < len(income_rows) else 0
        return f"income-{row}-{m.group(2) if m.group(2) in ('type', 'amount') else 'type'}"
    if key == "weekly_income":
        return "income-0-type"
    if key.startswith("premiums"):
        return "premiums"
    if key == "capital":
        return "capital_savings"
    if key.startswith("capital."):
        return "capital_" + key.removeprefix("capital.")
    if key in dict(CIRCUMSTANCES):
        return "circumstances"
    return key


def message_for(error: InvalidCase) -> str:
    """The engine's message, readable on a page: without the JSON key it starts with."""
    text = _KEY_PREFIX.sub("", str(error)).strip()
    return text[:1].upper() + text[1:] if text else "The figures cannot be used"
