"""Charging for care and support: the financial assessment under Care Act 2014 s14 and s17.

Pure rules, no Django: ``parse`` reads a case in issue 4's JSON contract, ``assess`` works out
the weekly charge under a council's policy with the year's rates (data, one file a year), and the
``Assessment`` carries every step of the workings with its source. See ``engine`` for the
calculation and the contract, ``rates`` for the yearly figures, ``policy`` for council choices and
ADR 0010 for the design.

    from carebridge.rules.charging import assess, parse

    result = assess(parse(case_json))  # optionally assess(case, CouncilPolicy(...))
    result.weekly_charge, result.council_pays, result.as_dict()["steps"]
"""

from carebridge.rules.charging.engine import (
    ALL_KEYS,
    CONTRACT_KEYS,
    EXTENSION_KEYS,
    FREE_SERVICES,
    PREMIUMS,
    SETTINGS,
    Assessment,
    Capital,
    Case,
    Income,
    InvalidCase,
    Step,
    assess,
    assess_json,
    parse,
    to_dict,
)
from carebridge.rules.charging.income import INCOME_TYPES, IncomeType
from carebridge.rules.charging.policy import (
    DEFAULT_POLICY,
    POLICY_SOURCES,
    CouncilPolicy,
    InvalidPolicy,
    policy_from_dict,
)
from carebridge.rules.charging.rates import (
    Figure,
    InvalidRates,
    Rates,
    RatesUnavailable,
    financial_year_of,
    financial_years,
    rates_for,
    rates_from_dict,
)
from carebridge.rules.charging.sources import SOURCES

__all__ = [
    "ALL_KEYS",
    "CONTRACT_KEYS",
    "DEFAULT_POLICY",
    "EXTENSION_KEYS",
    "FREE_SERVICES",
    "INCOME_TYPES",
    "POLICY_SOURCES",
    "PREMIUMS",
    "SETTINGS",
    "SOURCES",
    "Assessment",
    "Capital",
    "Case",
    "CouncilPolicy",
    "Figure",
    "Income",
    "IncomeType",
    "InvalidCase",
    "InvalidPolicy",
    "InvalidRates",
    "Rates",
    "RatesUnavailable",
    "Step",
    "assess",
    "assess_json",
    "financial_year_of",
    "financial_years",
    "parse",
    "policy_from_dict",
    "rates_for",
    "rates_from_dict",
    "to_dict",
]
