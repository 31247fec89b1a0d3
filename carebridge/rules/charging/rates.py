"""Charging rates by financial year: data, one file a year, every figure beside its source.

``carebridge/rules/data/charging_rates_YYYY_YY.json`` holds one financial year (1 April to
31 March). Each figure is ``{"value": "23250.00", "status": "V", "source": "..."}``: money as a
string of pounds and pence read as ``Decimal`` (never float), whole numbers (weeks, ages) as JSON
integers, and ``null`` for a figure the reference did not find (status ``NF``). The status is the
reference notes' grading (charging-rates.md): ``V`` stated in the cited source; ``X`` cross-checked
third-party figure; ``C`` computed, not seen published; ``K`` a rule without a verified paragraph
or background knowledge; ``NF`` not found. Anything but ``V`` is unconfirmed, and an assessment
lists the unconfirmed figures it used.

A new year is a new file: nothing in the code names a year. A year whose core figures (capital
limits, tariff) are not all published is refused by ``engine.parse`` with the missing figures
named; a figure needed only by some cases (a premium, the PEA) is checked when it is needed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from carebridge.rules.money import money

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
FILE_PREFIX = "charging_rates_"

STATUSES: dict[str, str] = {
    "V": "stated in the cited source",
    "X": "cross-checked third-party figure, not seen in the circular",
    "C": "computed (uprated), not seen published",
    "K": "rule without a verified paragraph, or background knowledge",
    "NF": "not found",
}
CONFIRMED = "V"
NOT_FOUND = "NF"

# Every figure a year's file must have: name -> plain-English label. Money unless in WHOLE.
FIGURE_LABELS: dict[str, str] = {
    "upper_capital_limit": "upper capital limit",
    "lower_capital_limit": "lower capital limit",
    "tariff_capital_step": "tariff income capital step",
    "tariff_income_per_step": "tariff income for each step",
    "personal_expenses_allowance": "Personal Expenses Allowance",
    "savings_credit_disregard_single": "savings credit disregard (single)",
    "savings_credit_disregard_couple": "savings credit disregard (couple)",
    "deferred_payment_disposable_income_allowance": "deferred payment disposable income allowance",
    "mig_single_18_24": "Minimum Income Guarantee, single aged 18 to 24",
    "mig_single_25_to_pension_credit_age": (
        "Minimum Income Guarantee, single aged 25 to pension credit age"
    ),
    "mig_single_pension_credit_age": "Minimum Income Guarantee, single of pension credit age",
    "mig_lone_parent": "Minimum Income Guarantee, lone parent",
    "mig_couple_18_plus_each": "Minimum Income Guarantee, member of a couple aged 18 or over",
    "mig_couple_pension_credit_age_each": (
        "Minimum Income Guarantee, member of a couple of pension credit age"
    ),
    "mig_dependent_child": "Minimum Income Guarantee, each dependent child",
    "mig_disability_premium_single": "disability premium (single)",
    "mig_disability_premium_couple_each": "disability premium (member of a couple)",
    "mig_enhanced_disability_premium_single": "enhanced disability premium (single)",
    "mig_enhanced_disability_premium_couple_each": (
        "enhanced disability premium (member of a couple)"
    ),
    "mig_carer_premium": "carer premium",
    "care_benefit_higher_rate": "higher rate of AA / DLA care highest / PIP daily living enhanced",
    "care_benefit_lower_rate": "lower rate of AA / DLA care middle / PIP daily living standard",
    "war_widows_pension_disregard": "war widow's pension disregard",
    "minor_adaptation_limit": "minor adaptation limit",
    "reablement_free_weeks": "weeks of free intermediate care and reablement",
    "property_disregard_weeks": "weeks of property disregard on first permanent admission",
    "pension_credit_qualifying_age": "pension credit qualifying age",
}
WHOLE = frozenset(
    {"reablement_free_weeks", "property_disregard_weeks", "pension_credit_qualifying_age"}
)
CORE_FIGURES = (
    "upper_capital_limit",
    "lower_capital_limit",
    "tariff_capital_step",
    "tariff_income_per_step",
)
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
_MONEY = re.compile(r"^\d{1,9}\.\d\d$")
_CITATION = re.compile(r"\[([^\]]*)\]")


class InvalidRates(ValueError):
    """A rates file that cannot be used; ``str(error)`` says which figure and why."""


class RatesUnavailable(LookupError):
    """No rates for a financial year, or a figure in them is not published (status NF)."""

    def __init__(self, message: str, year: str, figures: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.year = year
        self.figures = figures


@dataclass(frozen=True, slots=True)
class Figure:
    name: str
    value: Decimal | int | None  # None only when status is NF
    status: str
    source: str

    @property
    def label(self) -> str:
        return FIGURE_LABELS[self.name]

    @property
    def confirmed(self) -> bool:
        return self.status == CONFIRMED

    def describe(self, year: str) -> str:
        """One line for the list of unconfirmed figures in an assessment."""
        value = _show_value(self.name, self.value)
        return f"{year} {self.label}: {value} ({self.status}: {STATUSES[self.status]})"


def _show_value(name: str, value: Decimal | int | None) -> str:
    if value is None:
        return "not published"
    if name in WHOLE:
        return str(value)
    return money(value)


@dataclass(frozen=True)
class Rates:
    """One financial year's figures. ``figure(name)`` raises :class:`RatesUnavailable` for a
    figure that is not published."""

    financial_year: str
    figures: Mapping[str, Figure]
    sources: Mapping[str, str]

    def figure(self, name: str) -> Figure:
        figure = self.figures[name]
        if figure.value is None:
            raise RatesUnavailable(
                f"the {self.financial_year} {figure.label} is not published "
                f"(not found: {figure.source}); add it to the {self.financial_year} rates file",
                self.financial_year,
                (name,),
            )
        return figure

    @cached_property
    def for_steps(self) -> dict[str, tuple[Decimal | int, str, str | None]]:
        """For each published figure: (value, its source as a step cites it, the line for the
        list of unconfirmed figures or None if confirmed). Built once per Rates."""
        out = {}
        for name, f in self.figures.items():
            if f.value is None:
                continue
            if f.status == CONFIRMED:
                out[name] = (f.value, f.source, None)
            else:
                source = f"{f.source} (unconfirmed, status {f.status})"
                out[name] = (f.value, source, f.describe(self.financial_year))
        return out

    def missing(self, names: Iterable[str]) -> tuple[str, ...]:
        """The figures among ``names`` that are not published."""
        return tuple(n for n in names if self.figures[n].value is None)

    def check_core(self) -> None:
        """Raise :class:`RatesUnavailable` unless every figure all assessments need is here."""
        missing = self.missing(CORE_FIGURES)
        if missing:
            labels = ", ".join(FIGURE_LABELS[n] for n in missing)
            raise RatesUnavailable(
                f"the {self.financial_year} charging rates are not yet published: {labels} not "
                f"found (see {file_name(self.financial_year)})",
                self.financial_year,
                missing,
            )

    def as_dict(self) -> dict[str, Any]:
        """The file's form (``rates_from_dict(r.as_dict()) == r``)."""
        return {
            "financial_year": self.financial_year,
            "sources": dict(self.sources),
            "figures": {
                name: {
                    "value": (
                        None if f.value is None else f.value if name in WHOLE else f"{f.value:.2f}"
                    ),
                    "status": f.status,
                    "source": f.source,
                }
                for name, f in self.figures.items()
            },
        }


def file_name(year: str) -> str:
    """``"2025-26"`` -> ``"charging_rates_2025_26.json"``."""
    return f"{FILE_PREFIX}{year.replace('-', '_')}.json"


def check_year(year: object) -> str:
    """Return ``year`` if it is written as a financial year such as ``"2025-26"``."""
    m = _YEAR.match(year) if isinstance(year, str) else None
    if m is None or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise ValueError(
            f"{json.dumps(year, default=repr)} is not a financial year: write it as "
            '"2025-26" (April 2025 to March 2026)'
        )
    return year  # type: ignore[return-value]


def financial_year_of(day: dt.date) -> str:
    """The English financial year (1 April to 31 March) that ``day`` falls in."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


@cache
def financial_years() -> tuple[str, ...]:
    """The financial years that have a rates file, oldest first (published or not)."""
    years = []
    for path in DATA_DIR.glob(f"{FILE_PREFIX}*.json"):
        year = path.stem[len(FILE_PREFIX) :].replace("_", "-")
        if _YEAR.match(year):
            years.append(year)
    return tuple(sorted(years))


@cache
def rates_for(year: str) -> Rates:
    """The rates for a financial year such as ``"2025-26"``. Raises :class:`RatesUnavailable`
    if there is no file for it and :class:`InvalidRates` if the file is wrong."""
    if year not in financial_years():
        known = ", ".join(f'"{y}"' for y in financial_years())
        raise RatesUnavailable(
            f"there are no charging rates for {json.dumps(year, default=repr)}: years with rates "
            f"are {known}",
            str(year),
        )
    return load_rates(DATA_DIR / file_name(year))


def load_rates(path: Path) -> Rates:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InvalidRates(f"{path.name}: cannot read the rates: {e}") from None
    rates = rates_from_dict(data, where=path.name)
    expected = path.stem[len(FILE_PREFIX) :].replace("_", "-")
    if path.stem.startswith(FILE_PREFIX) and rates.financial_year != expected:
        raise InvalidRates(
            f"{path.name}: holds financial_year {rates.financial_year!r}, not {expected!r}"
        )
    return rates


def rates_from_dict(data: object, where: str = "rates") -> Rates:
    """Read and check one year's rates in the file's form. Raises :class:`InvalidRates`."""
    if not isinstance(data, dict):
        raise InvalidRates(f"{where}: expected a JSON object")
    try:
        year = check_year(data.get("financial_year"))
    except ValueError as e:
        raise InvalidRates(f"{where}: financial_year: {e}") from None
    sources = data.get("sources", {})
    if not isinstance(sources, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in sources.items()
    ):
        raise InvalidRates(f"{where}: sources must map each code (S1, ...) to a description")
    raw = data.get("figures")
    if not isinstance(raw, dict):
        raise InvalidRates(f"{where}: figures must be an object of name -> figure")
    unknown = [k for k in raw if k not in FIGURE_LABELS]
    if unknown:
        raise InvalidRates(
            f"{where}: unknown figure {unknown[0]!r}; the figures are " + ", ".join(FIGURE_LABELS)
        )
    missing = [k for k in FIGURE_LABELS if k not in raw]
    if missing:
        raise InvalidRates(
            f"{where}: missing figure {missing[0]!r} (give value null and status NF if it is "
            "not published)"
        )
    figures = {name: _figure(name, raw[name], where, sources) for name in FIGURE_LABELS}
    lower, upper = figures["lower_capital_limit"].value, figures["upper_capital_limit"].value
    if lower is not None and upper is not None and not lower < upper:
        raise InvalidRates(f"{where}: the lower capital limit must be below the upper one")
    step = figures["tariff_capital_step"].value
    if step is not None and step <= 0:
        raise InvalidRates(f"{where}: tariff_capital_step must be more than £0")
    return Rates(year, figures, dict(sources))


def _figure(name: str, raw: object, where: str, sources: Mapping[str, str]) -> Figure:
    at = f"{where}: figure {name!r}"
    if not isinstance(raw, dict) or set(raw) != {"value", "status", "source"}:
        raise InvalidRates(f'{at} must be an object with exactly "value", "status" and "source"')
    value, status, source = raw["value"], raw["status"], raw["source"]
    if status not in STATUSES:
        raise InvalidRates(f"{at}: status must be one of {', '.join(STATUSES)}, not {status!r}")
    if not isinstance(source, str) or not source.strip():
        raise InvalidRates(f"{at}: every figure needs its source")
    for group in _CITATION.findall(source):
        for code in re.findall(r"\bS\d+\b", group):
            if code not in sources:
                raise InvalidRates(f"{at}: cites [{code}], which is not in this file's sources")
    if value is None:
        if status != NOT_FOUND:
            raise InvalidRates(f"{at}: value null is only for status NF (not found)")
        return Figure(name, None, status, source)
    if status == NOT_FOUND:
        raise InvalidRates(f"{at}: status NF (not found) must have value null")
    if name in WHOLE:
        if type(value) is not int or value < 0:
            raise InvalidRates(f"{at}: value must be a whole number, not {value!r}")
        return Figure(name, value, status, source)
    if not isinstance(value, str) or not _MONEY.match(value):
        raise InvalidRates(
            f'{at}: value must be a string of pounds and pence such as "23250.00", not {value!r}'
        )
    return Figure(name, Decimal(value), status, source)
