"""The financial assessment: what a person pays towards their care each week, with workings.

Law (reference notes charging-rates.md section 2 and care-act.md; ``[Sn]`` codes are their
sources, see ``sources.py``): Care Act 2014 s14 (power to charge) and s17 (financial
assessment); the Care and Support (Charging and Assessment of Resources) Regulations 2014,
SI 2014/2672; the statutory guidance chapter 8 and Annexes B (capital) and C (income). The
figures for each financial year are data (``rates.py``); the choices the guidance leaves to a
council are :class:`~carebridge.rules.charging.policy.CouncilPolicy` settings.

The calculation, in the order of the workings:

1. Never charged: section 117 Mental Health Act 1983 after-care (care-act.md s4, *Stennett*);
   an adult with Creutzfeldt-Jakob disease (reg 4); intermediate care and reablement for the
   first 6 weeks, and community equipment (aids, and minor adaptations up to £1,000) (reg 3).
2. A person who declines a financial assessment is treated as able to pay the full cost
   (reg 10 [S35]).
3. Capital: savings, other capital, the person's equal share of capital held jointly (reg 24)
   and, in a care home only, the main home unless a disregard applies (Sch 2: the 12 weeks after
   a first permanent admission; a partner or qualifying relative still living there [S2]; a
   temporary resident). Above the upper capital limit the person pays the full cost (reg 12,
   [S1]); above the lower limit, tariff income is £1 a week for each £250 or part of £250
   (reg 25 [S1, S41]; Knowsley rounds 11.20 steps up to 12 [S14]).
4. Income: each type counted or disregarded in full or in part (``income.py``).
5. Allowances. At home: housing costs [S29, S32], disability-related expenditure (Annex C para 40
   [S26]) and the Minimum Income Guarantee (reg 7: base amount for age and household, an amount
   for each dependent child, premiums). In a care home: the Personal Expenses Allowance (reg 6),
   and housing costs only for a temporary resident [S33].
6. The assessed contribution is income counted plus tariff income less allowances, never less
   than £0; the weekly charge is the lower of that and the weekly cost of care [S22]; the council
   pays the rest (Care Act s26).

Rounding (documented choice): every amount read is in whole pence (an input with a fraction of a
penny is refused, not rounded) and every rate is in whole pence, so sums and differences are
exact. The only divisions are halves (income paid jointly to a couple, Annex C para 5 [S25]; a
pension half passed to a spouse at home [S6]) and equal shares of joint capital (reg 24). There a
fraction of a penny is resolved in the adult's favour: income and capital shares are rounded
down, a disregard is rounded up. That is how SI 2014/2672 reg 11 ("Rounding of fractions") is
understood (background knowledge, its wording is not in the reference notes: check); it can never
charge more than rounding half up would. Tariff income rounds the number of £250 steps up, as
reg 25 requires. Amounts are serialised to the penny with ROUND_HALF_UP, which never changes a
whole-pence amount.

The JSON input contract (issue 4; extend it, don't change it), read by :func:`parse`::

    {"financial_year": "2025-26", "setting": "non_residential" | "residential", "age": 70,
     "couple": false, "dependent_children": 0, "premiums": ["disability"],
     "capital": {"savings": 1000.00, "other": 0, "main_home": 0},
     "weekly_income": [{"type": "state_pension", "amount": 221.20}],
     "weekly_housing_costs": 0, "weekly_disability_related_expenditure": 0,
     "weekly_care_cost": 250.00, "s117": false, "free_service": null,
     "first_permanent_admission_week": null}

Every key above is required. ``capital.main_home`` is the value of the person's interest in
their main or only home; ``first_permanent_admission_week`` is the week of a care home stay since
a first permanent admission (1 is the first week), or null; it and the home matter only in a care
home. ``weekly_income`` amounts are the person's own, weekly.

Optional extensions (defaults in brackets): ``night_care_arranged`` (false), ``partner_age``
(null), ``home_occupied_by_partner_or_relative`` (false), ``temporary_resident`` (false),
``private_pension_half_to_spouse`` (false), ``declined_to_disclose`` (false),
``creutzfeldt_jakob_disease`` (false), ``equipment_cost`` (null: the one-off cost of an aid or
adaptation), ``capital.joint`` (0) and ``capital.joint_owners`` (2), ``weekly_income[].joint``
(false: paid jointly to a couple, so half is the person's). ``free_service`` may also be
``"intermediate_care_first_6_weeks"``; the income types are listed in ``income.py`` (the issue's
sixteen and more), e.g. ``savings_credit`` and ``war_widows_pension``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from json.encoder import encode_basestring
from typing import Any, NamedTuple

from carebridge.rules.charging import income as inc
from carebridge.rules.charging.income import INCOME_TYPES
from carebridge.rules.charging.policy import DEFAULT_POLICY, CouncilPolicy, InvalidPolicy
from carebridge.rules.charging.rates import (
    FIGURE_LABELS,
    Rates,
    RatesUnavailable,
    check_year,
    rates_for,
)
from carebridge.rules.charging.sources import SOURCES, cited
from carebridge.rules.money import money

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = 100

NON_RESIDENTIAL = "non_residential"
RESIDENTIAL = "residential"
SETTINGS: tuple[str, ...] = (NON_RESIDENTIAL, RESIDENTIAL)

REABLEMENT = "reablement_first_6_weeks"
INTERMEDIATE_CARE = "intermediate_care_first_6_weeks"
EQUIPMENT = "equipment_minor_adaptation"
FREE_SERVICES: tuple[str, ...] = (REABLEMENT, INTERMEDIATE_CARE, EQUIPMENT)

DISABILITY = "disability"
ENHANCED_DISABILITY = "enhanced_disability"
CARER = "carer"
PREMIUMS: tuple[str, ...] = (DISABILITY, ENHANCED_DISABILITY, CARER)

MIN_AGE = 18  # the Care Act charges adults
MAX_AGE = 130

# Kinds of step. The signed amounts of "income", "disregard" and "allowance" steps add up to the
# "Income and tariff income less allowances" subtotal; the other kinds are not added.
COST, CAPITAL, INCOME, DISREGARD, ALLOWANCE, SUBTOTAL, NOTE, DECISION, CHARGE, COUNCIL = (
    "cost",
    "capital",
    "income",
    "disregard",
    "allowance",
    "subtotal",
    "note",
    "decision",
    "charge",
    "council",
)
SUMMED_KINDS = frozenset({INCOME, DISREGARD, ALLOWANCE})

# Why nothing is charged (Assessment.free_reason).
FREE_S117 = "s117_aftercare"
FREE_CJD = "creutzfeldt_jakob_disease"

SOURCE_S117 = (
    "Mental Health Act 1983 s117: after-care is never charged for (R v Manchester City Council, "
    "ex p Stennett [2002] UKHL 34; care-act.md s4)"
)
SOURCE_CJD = "SI 2014/2672 reg 4: adults with Creutzfeldt-Jakob disease are not charged [S9]"
SOURCE_DECLINED = (
    "SI 2014/2672 reg 10: a person who declines a financial assessment is treated as having "
    "resources above the upper capital limit [S35]"
)
SOURCE_CAPITAL = "SI 2014/2672 reg 18 (calculation of capital)"
SOURCE_JOINT = (
    "SI 2014/2672 reg 24: capital held jointly is treated as held in equal shares; a fraction of "
    "a penny is dropped in the adult's favour (reg 11)"
)
SOURCE_HOME_AT_HOME = (
    "SI 2014/2672 Sch 2: the main or only home is always disregarded when care is not in a care "
    "home (charging-rates.md section 2)"
)
SOURCE_HOME_COUNTED = (
    "SI 2014/2672 Sch 2: the home counts in a care home unless a disregard applies (statutory "
    "guidance Annex B) [S2]"
)
SOURCE_HOME_OCCUPIED = (
    "SI 2014/2672 Sch 2: disregarded while a partner or qualifying relative still lives there [S2]"
)
SOURCE_HOME_TEMPORARY = (
    "SI 2014/2672 Sch 2; statutory guidance Annex F: a temporary resident's home is disregarded "
    "(background knowledge: check)"
)
SOURCE_FULL_COST = (
    "SI 2014/2672 reg 12: above the upper capital limit the person pays the full cost, in a care "
    "home and outside one [S1]"
)
SOURCE_HOUSING = (
    "Housing costs allowed outside a care home: rent or mortgage net of Housing Benefit or the UC "
    "housing element, council tax net of support, ground rent, service charges [S29, S32]"
)
SOURCE_HOUSING_TEMPORARY = (
    "Housing costs are allowed in a care home only for a temporary resident [S33]"
)
SOURCE_DRE = (
    "SI 2014/2672 Sch 1 para 4; statutory guidance Annex C para 40: disability-related "
    "expenditure allowed [S26]"
)
SOURCE_DRE_RESIDENTIAL = (
    "Disability-related expenditure is allowed against disability benefits counted outside a "
    "care home (Annex C para 40 [S26]); in a care home the Personal Expenses Allowance applies"
)
SOURCE_MIG_TOTAL = "SI 2014/2672 reg 7(1): base amount + each child's amount + premiums [S9]"
SOURCE_HALF_PENSION = (
    "Half of an occupational or private pension passed to a spouse at home is disregarded in a "
    "care home [S6]; a fraction of a penny is resolved in the adult's favour (reg 11)"
)
SOURCE_JOINT_INCOME = (
    "Income paid jointly to a couple: the presumption is equal shares (statutory guidance Annex C "
    "para 5 [S25]); a fraction of a penny is dropped in the adult's favour (reg 11)"
)
SOURCE_ASSESSED = "Income counted and tariff income less allowances, never less than £0"
SOURCE_CHARGE = (
    "The charge is the assessed contribution but never more than the cost of the care "
    "(charge = min(assessed contribution, cost of care) [S22]; issue 4)"
)
SOURCE_COUNCIL = (
    "Care Act 2014 s26: personal budget = the person's contribution + the council's "
    "(care-act.md s2)"
)
SOURCE_COST = "The weekly cost of the care and support the council arranges (input)"


class InvalidCase(ValueError):
    """The input is not a valid case for a financial assessment; ``str(error)`` says what and
    where. ``key`` is the offending key as a path (``capital.savings``,
    ``weekly_income[2].type``), or "" when the whole input is wrong."""

    def __init__(self, message: str, key: str = "") -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True, slots=True)
class Capital:
    savings: Decimal
    other: Decimal
    main_home: Decimal  # the value of the person's interest in their main or only home
    joint: Decimal = ZERO  # capital held jointly with others (the whole of it)
    joint_owners: int = 2


@dataclass(frozen=True, slots=True)
class Income:
    type: str
    amount: Decimal  # weekly
    joint: bool = False  # paid jointly to a couple: half is the person's


@dataclass(frozen=True, slots=True)
class Case:
    """One person's circumstances for a financial assessment: the issue's input contract plus
    the optional extensions (see the module docstring). Build it with :func:`parse`."""

    financial_year: str
    setting: str
    age: int
    couple: bool
    dependent_children: int
    premiums: tuple[str, ...]
    capital: Capital
    weekly_income: tuple[Income, ...]
    weekly_housing_costs: Decimal
    weekly_disability_related_expenditure: Decimal
    weekly_care_cost: Decimal
    s117: bool
    free_service: str | None
    first_permanent_admission_week: int | None
    night_care_arranged: bool = False
    partner_age: int | None = None
    home_occupied_by_partner_or_relative: bool = False
    temporary_resident: bool = False
    private_pension_half_to_spouse: bool = False
    declined_to_disclose: bool = False
    creutzfeldt_jakob_disease: bool = False
    equipment_cost: Decimal | None = None


class Step(NamedTuple):
    """One line of the workings. ``amount`` is signed for income (+), disregards and
    allowances (-); see the kinds above."""

    step: str
    amount: Decimal
    source: str
    kind: str


@dataclass(frozen=True, slots=True)
class Assessment:
    """The result of :func:`assess`: the weekly charge, the council's share, and the workings."""

    financial_year: str
    setting: str
    weekly_care_cost: Decimal
    weekly_charge: Decimal
    council_pays: Decimal
    full_cost: bool  # pays the full cost because of capital (or declined to disclose)
    free_reason: str | None  # why nothing may be charged, or None
    assessed_contribution: Decimal | None  # before the cost-of-care limit; None if not assessed
    steps: tuple[Step, ...]
    unconfirmed: tuple[str, ...]  # rates used that are not confirmed (status X, C or K)
    policy: str = DEFAULT_POLICY.name

    @property
    def references(self) -> dict[str, str]:
        """The sources the workings cite, ``{"S14": "Knowsley Council, ..."}``."""
        return dict(_references(tuple(s[2] for s in self.steps)))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, amounts as numbers rounded to the penny (floats)."""
        return json.loads(self.as_json())

    def as_json(self, pretty: bool = False) -> str:
        """The assessment as JSON text with every amount written with two decimal places
        (``67.70``, not ``67.7``). ``pretty`` puts each key and each step on its own line."""
        nl, ind, ind2 = ("\n", "  ", "    ") if pretty else ("", "", "")
        sep = "," + nl
        # The hot loop of a batch: the text around each amount is built once for each
        # (text, source, kind) and cached, as texts repeat; one join makes the list.
        parts_for = _STEP_PARTS.get
        pieces = []
        add = pieces.extend
        between = sep + ind2
        for step in self.steps:
            text, amount, source, kind = step
            parts = parts_for((text, source, kind))
            if parts is None:
                parts = _step_parts(text, source, kind)
            money = str(amount)
            if money[-3:-2] != "." or money == "-0.00":
                money = _money(amount)
            add((between, parts[0], money, parts[1]))
        steps = "".join(pieces)[len(sep) :]
        sources = tuple([s[2] for s in self.steps])
        refs = _REFS_JSON.get(sources)
        if refs is None:
            refs = _references_json(sources)
        assessed = self.assessed_contribution
        return (
            f"{{{nl}{ind}"
            f'"financial_year": {_str(self.financial_year)}{sep}{ind}'
            f'"setting": {_str(self.setting)}{sep}{ind}'
            f'"weekly_charge": {_money(self.weekly_charge)}{sep}{ind}'
            f'"council_pays": {_money(self.council_pays)}{sep}{ind}'
            f'"full_cost": {"true" if self.full_cost else "false"}{sep}{ind}'
            f'"free_reason": {"null" if self.free_reason is None else _str(self.free_reason)}'
            f"{sep}{ind}"
            f'"weekly_care_cost": {_money(self.weekly_care_cost)}{sep}{ind}'
            f'"assessed_contribution": {"null" if assessed is None else _money(assessed)}'
            f"{sep}{ind}"
            f'"policy": {_str(self.policy)}{sep}{ind}'
            f'"steps": [{nl}{steps}{nl}{ind}]{sep}{ind}'
            f'"unconfirmed": [{", ".join([_str(u) for u in self.unconfirmed])}]{sep}{ind}'
            f'"references": {{{refs}}}{nl}}}'
        )


_str = encode_basestring  # a JSON string literal (non-ASCII kept as is)
_CACHE_LIMIT = 100_000
_STEP_PARTS: dict[tuple[str, str, str], tuple[str, str]] = {}
_REFS_JSON: dict[tuple[str, ...], str] = {}


def _codes(sources: tuple[str, ...]) -> tuple[str, ...]:
    """The source codes cited by ``sources``, in order of first citation."""
    seen: dict[str, None] = {}
    for source in sources:
        for code in cited(source):
            seen[code] = None
    return tuple(seen)


def _references(sources: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(c, SOURCES[c]) for c in _codes(sources)]


_REF_JSON: dict[str, str] = {code: f"{_str(code)}: {_str(text)}" for code, text in SOURCES.items()}
_REFS_BY_CODES: dict[tuple[str, ...], str] = {}


def _references_json(sources: tuple[str, ...]) -> str:
    # Cached by the steps' sources and, as they vary more, by the codes cited (fewer).
    codes = _codes(sources)
    text = _REFS_BY_CODES.get(codes)
    if text is None:
        text = _REFS_BY_CODES[codes] = ", ".join([_REF_JSON[c] for c in codes])
    if len(_REFS_JSON) > _CACHE_LIMIT:
        _REFS_JSON.clear()
    _REFS_JSON[sources] = text
    return text


def _money(amount: Decimal) -> str:
    """An amount to the penny, half up, as JSON: always two decimal places, never "-0.00"."""
    text = str(amount)
    if text[-3:-2] != "." or text == "-0.00":
        text = str(amount.quantize(PENNY, rounding=ROUND_HALF_UP))
        if text == "-0.00":
            text = "0.00"
    return text


def _step_parts(text: str, source: str, kind: str) -> tuple[str, str]:
    if len(_STEP_PARTS) > _CACHE_LIMIT:
        _STEP_PARTS.clear()
    parts = _STEP_PARTS[(text, source, kind)] = (
        f'{{"step": {_str(text)}, "amount": ',
        f', "source": {_str(source)}, "kind": "{kind}"}}',
    )
    return parts


def _half_down(amount: Decimal) -> Decimal:
    """Half of a whole-pence amount, a fraction of a penny dropped (reg 11, adult's favour)."""
    return Decimal(int(amount * HUNDRED) // 2).scaleb(-2)


def _share_down(amount: Decimal, owners: int) -> Decimal:
    return Decimal(int(amount * HUNDRED) // owners).scaleb(-2)


# --- The assessment ---------------------------------------------------------------------------


_new_step = tuple.__new__  # Step(...) without NamedTuple's Python-level __new__


class _Workings:
    __slots__ = ("lookup", "rates", "steps", "unconfirmed", "year")

    def __init__(self, rates: Rates) -> None:
        self.rates = rates
        self.lookup = rates.for_steps
        self.year = rates.financial_year
        self.steps: list[Step] = []
        self.unconfirmed: dict[str, None] = {}

    def figure(self, name: str) -> tuple[Any, str]:
        """(value, source) of a rate, noting it if it is unconfirmed."""
        found = self.lookup.get(name)
        if found is None:
            try:
                self.rates.figure(name)
            except RatesUnavailable as e:
                raise InvalidCase(
                    f'financial_year "{self.year}": {e}', key="financial_year"
                ) from None
            raise KeyError(name)  # pragma: no cover - a published figure is always in lookup
        value, source, unconfirmed = found
        if unconfirmed is not None:
            self.unconfirmed[unconfirmed] = None
        return value, source

    def add(self, text: str, amount: Decimal, source: str, kind: str) -> None:
        self.steps.append(_new_step(Step, (text, amount, source, kind)))


def _result(
    case: Case,
    w: _Workings,
    policy: CouncilPolicy,
    charge: Decimal,
    *,
    full_cost: bool = False,
    free_reason: str | None = None,
    assessed: Decimal | None = None,
) -> Assessment:
    cost = case.weekly_care_cost
    council = cost - charge
    w.add("Weekly charge", charge, SOURCE_CHARGE, CHARGE)
    w.add("Council pays", council, SOURCE_COUNCIL, COUNCIL)
    return Assessment(
        financial_year=case.financial_year,
        setting=case.setting,
        weekly_care_cost=cost,
        weekly_charge=charge,
        council_pays=council,
        full_cost=full_cost,
        free_reason=free_reason,
        assessed_contribution=assessed,
        steps=tuple(w.steps),
        unconfirmed=tuple(w.unconfirmed),
        policy=policy.name,
    )


def assess(
    case: Case, policy: CouncilPolicy = DEFAULT_POLICY, rates: Rates | None = None
) -> Assessment:
    """Assess the weekly charge for ``case`` under ``policy``.

    ``rates`` defaults to the published rates for ``case.financial_year``; pass a
    :class:`~carebridge.rules.charging.rates.Rates` to assess with other figures (tests of
    worked examples from years without a rates file). Raises :class:`InvalidCase` when a figure
    the case needs is not published, and ``InvalidPolicy`` for a policy below national limits.
    """
    if rates is None:
        rates = _rates(case.financial_year)
    w = _Workings(rates)
    cost = case.weekly_care_cost
    w.add("Weekly cost of care", cost, SOURCE_COST, COST)

    # 1. Never charged.
    if case.s117:
        w.add("Section 117 after-care: no charge may be made", ZERO, SOURCE_S117, DECISION)
        return _result(case, w, policy, ZERO, free_reason=FREE_S117)
    if case.creutzfeldt_jakob_disease:
        w.add("Creutzfeldt-Jakob disease: no charge may be made", ZERO, SOURCE_CJD, DECISION)
        return _result(case, w, policy, ZERO, free_reason=FREE_CJD)
    if case.free_service in (REABLEMENT, INTERMEDIATE_CARE):
        weeks, source = w.figure("reablement_free_weeks")
        what = "Reablement" if case.free_service == REABLEMENT else "Intermediate care"
        w.add(f"{what}, first {weeks} weeks: free", ZERO, source, DECISION)
        return _result(case, w, policy, ZERO, free_reason=case.free_service)
    if case.free_service == EQUIPMENT:
        limit, source = w.figure("minor_adaptation_limit")
        if case.equipment_cost is None or case.equipment_cost <= limit:
            text = f"Community equipment (aids and minor adaptations up to {money(limit)}): free"
            if case.equipment_cost is not None:
                text += f" (this one costs {money(case.equipment_cost)})"
            w.add(text, ZERO, source, DECISION)
            return _result(case, w, policy, ZERO, free_reason=EQUIPMENT)
        w.add(
            f"The adaptation costs {money(case.equipment_cost)}, more than {money(limit)}: not a "
            "minor adaptation, so it is charged for as assessed below",
            ZERO,
            source,
            NOTE,
        )

    # 2. Declined a financial assessment.
    if case.declined_to_disclose:
        w.add(
            "Declined a financial assessment: treated as able to pay the full cost",
            cost,
            SOURCE_DECLINED,
            DECISION,
        )
        return _result(case, w, policy, cost, full_cost=True)

    # 3. Capital.
    residential = case.setting == RESIDENTIAL
    tariff = _capital(case, policy, w, residential)
    if tariff is None:
        return _result(case, w, policy, cost, full_cost=True)

    # 4. Income.
    counted, disability_counted = _income(case, policy, w, residential)

    # 5. Allowances.
    if residential:
        allowances = _residential_allowances(case, w)
    else:
        allowances = _home_allowances(case, policy, w, disability_counted)

    # 6. The charge.
    net = counted + tariff - allowances
    w.add("Income and tariff income less allowances", net, SOURCE_ASSESSED, SUBTOTAL)
    assessed = net
    if net < 0:
        assessed = ZERO
        w.add(
            "Assessed contribution: nothing, as it is never less than £0",
            ZERO,
            SOURCE_ASSESSED,
            DECISION,
        )
    charge = assessed
    if charge > cost:
        charge = cost
        w.add(f"Limited to the weekly cost of care, {money(cost)}", charge, SOURCE_CHARGE, DECISION)
    waive = policy.waive_charges_below
    if ZERO < charge < waive:
        w.add(
            f"Not collected: less than the council's minimum charge of {money(waive)}",
            ZERO,
            f"Council policy ({policy.name}): waive_charges_below (e.g. Reading £1.25 [S5])",
            DECISION,
        )
        charge = ZERO
    return _result(case, w, policy, charge, assessed=assessed)


def _rates(year: str) -> Rates:
    try:
        return rates_for(year)
    except RatesUnavailable as e:
        raise InvalidCase(f'financial_year "{year}": {e}', key="financial_year") from None


def _capital(case: Case, policy: CouncilPolicy, w: _Workings, residential: bool) -> Decimal | None:
    """Tariff income, or None when the person pays the full cost."""
    c = case.capital
    total = c.savings + c.other
    if c.savings:
        w.add("Capital: savings", c.savings, SOURCE_CAPITAL, CAPITAL)
    if c.other:
        w.add("Capital: other", c.other, SOURCE_CAPITAL, CAPITAL)
    if c.joint:
        share = _share_down(c.joint, c.joint_owners)
        w.add(
            f"Capital held jointly: {money(c.joint)} shared by {c.joint_owners} owners",
            share,
            SOURCE_JOINT,
            CAPITAL,
        )
        total += share
    if c.main_home:
        value = money(c.main_home)
        if not residential:
            w.add(
                f"Main home ({value}): disregarded for care at home",
                ZERO,
                SOURCE_HOME_AT_HOME,
                CAPITAL,
            )
        elif case.temporary_resident:
            w.add(
                f"Main home ({value}): disregarded for a temporary resident",
                ZERO,
                SOURCE_HOME_TEMPORARY,
                CAPITAL,
            )
        elif case.home_occupied_by_partner_or_relative:
            w.add(
                f"Main home ({value}): disregarded, a partner or qualifying relative lives there",
                ZERO,
                SOURCE_HOME_OCCUPIED,
                CAPITAL,
            )
        else:
            week = case.first_permanent_admission_week
            weeks, source = w.figure("property_disregard_weeks")
            if week is not None and week <= weeks:
                w.add(
                    f"Main home ({value}): disregarded in week {week} of the first {weeks} "
                    "weeks after a first permanent admission",
                    ZERO,
                    source,
                    CAPITAL,
                )
            else:
                why = (
                    f"counted (week {week}: the {weeks}-week disregard has ended)"
                    if week is not None
                    else "counted"
                )
                w.add(f"Main home: {why}", c.main_home, SOURCE_HOME_COUNTED, CAPITAL)
                total += c.main_home
    w.add("Total capital", total, SOURCE_CAPITAL, CAPITAL)

    upper, upper_source = w.figure("upper_capital_limit")
    lower, lower_source = w.figure("lower_capital_limit")
    if not residential:
        upper, upper_source = _local_limit(
            policy, "non_residential_upper_capital_limit", upper, upper_source
        )
        lower, lower_source = _local_limit(
            policy, "non_residential_lower_capital_limit", lower, lower_source
        )
    if total > upper:
        w.add(
            f"Capital {money(total)} is more than the upper capital limit of {money(upper)}: "
            "the person pays the full cost",
            upper,
            f"{SOURCE_FULL_COST}; {upper_source}",
            DECISION,
        )
        return None
    if total <= lower:
        w.add(
            f"Tariff income: none, capital is not more than the lower capital limit of "
            f"{money(lower)}",
            ZERO,
            lower_source,
            INCOME,
        )
        return ZERO
    step, _ = w.figure("tariff_capital_step")
    per_step, tariff_source = w.figure("tariff_income_per_step")
    excess = total - lower
    step_pence = int(step * HUNDRED)
    steps = -(-int(excess * HUNDRED) // step_pence)  # each step or part of a step
    tariff = per_step * steps
    w.add(
        f"Tariff income: {money(excess)} above the lower capital limit of {money(lower)} is "
        f"{steps} x {money(step)} or part of {money(step)}, at {money(per_step)} a week each",
        tariff,
        tariff_source,
        INCOME,
    )
    return tariff


def _local_limit(
    policy: CouncilPolicy, name: str, national: Decimal, source: str
) -> tuple[Decimal, str]:
    local = getattr(policy, name)
    if local is None:
        return national, source
    if local < national:
        raise InvalidPolicy(
            f"{name} {money(local)} is below the national limit of {money(national)}: a council "
            "may set higher capital limits outside care homes, never lower [S1]"
        )
    return local, f"Council policy ({policy.name}): {name} [S1]"


def _income(
    case: Case, policy: CouncilPolicy, w: _Workings, residential: bool
) -> tuple[Decimal, Decimal]:
    """(income counted, of which AA / DLA care / PIP daily living counted)."""
    gross = ZERO
    totals: dict[str, Decimal] = {}
    for item in case.weekly_income:
        t = INCOME_TYPES[item.type]
        amount = item.amount
        if item.joint:
            amount = _half_down(amount)
            w.add(
                f"{t.label}: half of {money(item.amount)} paid jointly",
                amount,
                f"{t.source}; {SOURCE_JOINT_INCOME}",
                INCOME,
            )
        else:
            w.add(t.label, amount, t.source, INCOME)
        gross += amount
        totals[item.type] = totals.get(item.type, ZERO) + amount
    gross_at = len(w.steps)  # a subtotal goes here if anything is disregarded

    disregarded = ZERO
    disability = ZERO
    higher = ZERO
    higher_labels = []
    for key, amount in totals.items():
        t = INCOME_TYPES[key]
        treatment = t.treatment
        if treatment == inc.COUNTED:
            if t.disability_benefit:
                disability += amount
            continue
        if treatment == inc.DISREGARDED:
            d = amount
            text, source = f"Disregarded: {t.label}", t.source
        elif treatment == inc.CARE_HIGHER:
            disability += amount
            higher += amount
            higher_labels.append(t.label)
            continue
        elif treatment == inc.SAVINGS_CREDIT:
            if residential:
                name = (
                    "savings_credit_disregard_couple"
                    if case.couple
                    else "savings_credit_disregard_single"
                )
                limit, source = w.figure(name)
                d = min(amount, limit)
                text = f"Disregarded: savings credit up to {money(limit)}"
            elif policy.disregard_savings_credit_at_home:
                d = amount
                text = f"Disregarded: {t.label} (council policy)"
                source = (
                    f"Council policy ({policy.name}): disregard_savings_credit_at_home; {t.source}"
                )
            else:
                continue
        elif treatment == inc.CHILD_TAX_CREDIT:
            if not policy.disregard_child_tax_credit:
                continue
            d = amount
            text = f"Disregarded: {t.label} (council policy)"
            source = f"Council policy ({policy.name}): disregard_child_tax_credit; {t.source}"
        elif treatment == inc.WAR_WIDOWS_PENSION:
            limit, source = w.figure("war_widows_pension_disregard")
            d = min(amount, limit)
            text = f"Disregarded: first {money(limit)} of {t.label.lower()}"
        elif treatment == inc.PRIVATE_PENSION:
            if not (residential and case.private_pension_half_to_spouse):
                continue
            d = amount - _half_down(amount)  # the disregarded half rounds up
            text = "Disregarded: half of the pension, passed to a spouse at home"
            source = SOURCE_HALF_PENSION
        else:  # pragma: no cover - every treatment is handled above
            raise AssertionError(treatment)
        if d:
            w.add(text, -d, source, DISREGARD)
            disregarded += d

    if higher:
        labels = " and ".join(higher_labels)
        if residential:
            pass  # a care home provides night care: counted in full
        elif case.night_care_arranged:
            w.add(
                f"{labels}: counted in full, the council arranges night care",
                ZERO,
                inc.DISABILITY_BENEFIT_SOURCE,
                NOTE,
            )
        elif policy.disregard_night_care_element:
            hi, hi_source = w.figure("care_benefit_higher_rate")
            lo, lo_source = w.figure("care_benefit_lower_rate")
            d = min(higher, hi - lo)
            w.add(
                f"Disregarded: night care element of {labels} ({money(hi)} less {money(lo)}), "
                "no night care arranged",
                -d,
                f"Council policy ({policy.name}): disregard_night_care_element [S23, S14]; "
                f"{hi_source}; {lo_source}",
                DISREGARD,
            )
            disregarded += d
            disability -= d
        else:
            w.add(
                f"{labels}: counted in full (council policy: no night care disregard)",
                ZERO,
                f"Council policy ({policy.name}): disregard_night_care_element is off [S12]",
                NOTE,
            )
    if disregarded and len(case.weekly_income) > 1:
        w.steps.insert(
            gross_at, _new_step(Step, ("Gross weekly income", gross, inc.COUNTED_SOURCE, SUBTOTAL))
        )
        w.add("Total disregarded", -disregarded, inc.COUNTED_SOURCE, SUBTOTAL)
    counted = gross - disregarded
    w.add("Income counted", counted, inc.COUNTED_SOURCE, SUBTOTAL)
    return counted, disability


def _residential_allowances(case: Case, w: _Workings) -> Decimal:
    pea, source = w.figure("personal_expenses_allowance")
    w.add("Personal Expenses Allowance", -pea, f"SI 2014/2672 reg 6; {source}", ALLOWANCE)
    total = pea
    housing = case.weekly_housing_costs
    if housing:
        if case.temporary_resident:
            w.add(
                "Housing costs (temporary resident)", -housing, SOURCE_HOUSING_TEMPORARY, ALLOWANCE
            )
            total += housing
        else:
            w.add(
                f"Housing costs of {money(housing)} not allowed: permanent resident of a care home",
                ZERO,
                SOURCE_HOUSING_TEMPORARY,
                NOTE,
            )
    if case.weekly_disability_related_expenditure:
        w.add(
            "Disability-related expenditure of "
            f"{money(case.weekly_disability_related_expenditure)} not allowed in a care home",
            ZERO,
            SOURCE_DRE_RESIDENTIAL,
            NOTE,
        )
    return total


def _home_allowances(
    case: Case, policy: CouncilPolicy, w: _Workings, disability_counted: Decimal
) -> Decimal:
    total = ZERO
    housing = case.weekly_housing_costs
    if housing:
        w.add("Housing costs", -housing, SOURCE_HOUSING, ALLOWANCE)
        total += housing
    dre = case.weekly_disability_related_expenditure
    flat = policy.flat_rate_dre
    if flat is not None and disability_counted > 0:
        standard = min(flat, disability_counted)
        if standard > dre:
            text = (
                f"Disability-related expenditure: the council's standard allowance of {money(flat)}"
            )
            if standard < flat:
                text += f", limited to the {money(standard)} of disability benefits counted"
            if dre:
                text += f" (more than the {money(dre)} itemised)"
            w.add(
                text,
                -standard,
                f"Council policy ({policy.name}): flat_rate_dre [S5, S30, S31]; {SOURCE_DRE}",
                ALLOWANCE,
            )
            total += standard
            dre = ZERO
    if dre:
        w.add("Disability-related expenditure", -dre, SOURCE_DRE, ALLOWANCE)
        total += dre
    mig = _mig(case, policy, w)
    w.add("Minimum Income Guarantee", -mig, SOURCE_MIG_TOTAL, SUBTOTAL)
    return total + mig


def _mig(case: Case, policy: CouncilPolicy, w: _Workings) -> Decimal:
    pc_age, pc_source = w.figure("pension_credit_qualifying_age")
    pension_age = case.age >= pc_age
    if case.couple:
        if not pension_age and case.partner_age is not None and case.partner_age >= pc_age:
            pension_age = True
        base = "mig_couple_pension_credit_age_each" if pension_age else "mig_couple_18_plus_each"
    elif pension_age:
        base = "mig_single_pension_credit_age"
    elif case.dependent_children:
        base = "mig_lone_parent"
    elif case.age <= 24:
        base = "mig_single_18_24"
    else:
        base = "mig_single_25_to_pension_credit_age"
    amount, source = w.figure(base)
    label = FIGURE_LABELS[base]
    w.add(
        f"{label} (aged {case.age})",
        -amount,
        f"{source}; pension credit age: {pc_source}",
        ALLOWANCE,
    )
    total = amount
    if case.dependent_children:
        each, source = w.figure("mig_dependent_child")
        children = each * case.dependent_children
        w.add(
            f"Minimum Income Guarantee: {case.dependent_children} dependent "
            f"{'child' if case.dependent_children == 1 else 'children'} at {money(each)}",
            -children,
            source,
            ALLOWANCE,
        )
        total += children
    suffix = "couple_each" if case.couple else "single"
    for premium in case.premiums:
        name = {
            DISABILITY: f"mig_disability_premium_{suffix}",
            ENHANCED_DISABILITY: f"mig_enhanced_disability_premium_{suffix}",
            CARER: "mig_carer_premium",
        }[premium]
        amount, source = w.figure(name)
        w.add(f"Minimum Income Guarantee: {FIGURE_LABELS[name]}", -amount, source, ALLOWANCE)
        total += amount
    if policy.mig_weekly_uplift:
        w.add(
            "Minimum Income Guarantee: council uplift",
            -policy.mig_weekly_uplift,
            f"Council policy ({policy.name}): mig_weekly_uplift [S26, S28]",
            ALLOWANCE,
        )
        total += policy.mig_weekly_uplift
    return total


# --- The JSON contract ------------------------------------------------------------------------

CONTRACT_KEYS: tuple[str, ...] = (
    "financial_year",
    "setting",
    "age",
    "couple",
    "dependent_children",
    "premiums",
    "capital",
    "weekly_income",
    "weekly_housing_costs",
    "weekly_disability_related_expenditure",
    "weekly_care_cost",
    "s117",
    "free_service",
    "first_permanent_admission_week",
)
EXTENSION_KEYS: tuple[str, ...] = (
    "night_care_arranged",
    "partner_age",
    "home_occupied_by_partner_or_relative",
    "temporary_resident",
    "private_pension_half_to_spouse",
    "declined_to_disclose",
    "creutzfeldt_jakob_disease",
    "equipment_cost",
)
ALL_KEYS: tuple[str, ...] = CONTRACT_KEYS + EXTENSION_KEYS
_ALL_KEYS = frozenset(ALL_KEYS)
_BOOL_EXTENSIONS = (
    "night_care_arranged",
    "home_occupied_by_partner_or_relative",
    "temporary_resident",
    "private_pension_half_to_spouse",
    "declined_to_disclose",
    "creutzfeldt_jakob_disease",
)
CAPITAL_KEYS: tuple[str, ...] = ("savings", "other", "main_home")
CAPITAL_EXTENSION_KEYS: tuple[str, ...] = ("joint", "joint_owners")
_CAPITAL_ALL = frozenset(CAPITAL_KEYS + CAPITAL_EXTENSION_KEYS)
INCOME_KEYS: tuple[str, ...] = ("type", "amount")
_INCOME_ALL = frozenset(("type", "amount", "joint"))
_MAX_WEEKS = 52 * 200

_JSON_TYPES: dict[type, str] = {
    dict: "an object",
    list: "an array",
    tuple: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    Decimal: "a number",
    bool: "true/false",
    type(None): "null",
}


def _show(value: object) -> str:
    """A value as it appears in JSON, shortened."""
    if isinstance(value, Decimal):
        text = str(value)
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _what(value: object) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _list(values) -> str:
    return ", ".join(f'"{v}"' for v in values)


def _read_money(value: object, key: str) -> Decimal:
    t = type(value)
    if t is Decimal:
        amount = value
    elif t is int:
        amount = Decimal(value)
    elif t is float:
        amount = Decimal(repr(value))
    else:
        raise InvalidCase(
            f'"{key}" must be an amount in pounds (a number such as 12.50), not {_show(value)} '
            f"({_what(value)})",
            key=key,
        )
    try:
        pennies = amount.quantize(PENNY)  # raises for infinity and for too many digits
    except InvalidOperation:
        pennies = None
    if pennies is None or pennies != amount:  # NaN is never equal
        if not amount.is_finite():
            raise InvalidCase(f'"{key}" must be an amount in pounds, not {_show(value)}', key=key)
        if pennies is None:
            raise InvalidCase(f'"{key}" is too large: {_show(value)}', key=key)
        raise InvalidCase(
            f'"{key}" must be in pounds and pence: {_show(value)} has a fraction of a penny',
            key=key,
        )
    if pennies < ZERO:
        raise InvalidCase(f'"{key}" must not be negative, not {_show(value)}', key=key)
    return pennies


def _read_int(value: object, key: str, low: int, high: int, what: str) -> int:
    if type(value) is not int:
        raise InvalidCase(
            f'"{key}" must be a whole number ({what}), not {_show(value)} ({_what(value)})',
            key=key,
        )
    if not low <= value <= high:
        raise InvalidCase(f'"{key}" must be from {low} to {high} ({what}), not {value}', key=key)
    return value


def _read_bool(value: object, key: str) -> bool:
    if value is True or value is False:
        return value
    raise InvalidCase(
        f'"{key}" must be true or false, not {_show(value)} ({_what(value)})', key=key
    )


def parse(data: object) -> Case:
    """Read one case in the JSON contract (see the module docstring).

    Strict: every contract key is required and no unknown key is allowed (the extensions are
    optional); JSON true/false only for booleans and whole numbers for counts; amounts are
    numbers of pounds in whole pence, never negative. The financial year must have published
    rates. Raises :class:`InvalidCase` naming the offending key.
    """
    if type(data) is not dict:
        raise InvalidCase(f"Expected a JSON object describing one case, not {_what(data)}")
    keys = data.keys()
    if not keys <= _ALL_KEYS:
        for key in data:
            if key not in _ALL_KEYS:
                raise InvalidCase(
                    f"Unknown key {_show(key)}: the keys are {_list(CONTRACT_KEYS)} and, "
                    f"optionally, {_list(EXTENSION_KEYS)}",
                    key=str(key),
                )
    for key in CONTRACT_KEYS:
        if key not in data:
            raise InvalidCase(f"Missing key {_show(key)}", key=key)

    year = data["financial_year"]
    if type(year) is not str or year not in _USABLE_YEARS:
        _check_usable_year(year)

    setting = data["setting"]
    if type(setting) is not str or setting not in SETTINGS:
        raise InvalidCase(
            f'Unknown "setting" {_show(setting)}: it must be one of {_list(SETTINGS)}',
            key="setting",
        )
    age = _read_int(data["age"], "age", MIN_AGE, MAX_AGE, "age in years; adults only")
    couple = _read_bool(data["couple"], "couple")
    children = _read_int(
        data["dependent_children"], "dependent_children", 0, 30, "number of dependent children"
    )
    premiums = _premiums(data["premiums"])
    capital = _capital_in(data["capital"])
    weekly_income = _income_in(data["weekly_income"])
    housing = _read_money(data["weekly_housing_costs"], "weekly_housing_costs")
    dre = _read_money(
        data["weekly_disability_related_expenditure"], "weekly_disability_related_expenditure"
    )
    cost = _read_money(data["weekly_care_cost"], "weekly_care_cost")
    s117 = _read_bool(data["s117"], "s117")
    free = data["free_service"]
    if free is not None and (type(free) is not str or free not in FREE_SERVICES):
        raise InvalidCase(
            f'Unknown "free_service" {_show(free)}: it must be null or one of '
            f"{_list(FREE_SERVICES)}",
            key="free_service",
        )
    week = data["first_permanent_admission_week"]
    if week is not None:
        week = _read_int(
            week,
            "first_permanent_admission_week",
            1,
            _MAX_WEEKS,
            "the week of the stay since a first permanent admission, from 1; or null",
        )

    extra: dict[str, Any] = {}
    if len(keys) > len(CONTRACT_KEYS):
        for key in _BOOL_EXTENSIONS:
            if key in data:
                extra[key] = _read_bool(data[key], key)
        if data.get("partner_age") is not None:
            extra["partner_age"] = _read_int(
                data["partner_age"], "partner_age", MIN_AGE, MAX_AGE, "age in years; or null"
            )
        if data.get("equipment_cost") is not None:
            extra["equipment_cost"] = _read_money(data["equipment_cost"], "equipment_cost")
    return Case(
        financial_year=year,
        setting=setting,
        age=age,
        couple=couple,
        dependent_children=children,
        premiums=premiums,
        capital=capital,
        weekly_income=weekly_income,
        weekly_housing_costs=housing,
        weekly_disability_related_expenditure=dre,
        weekly_care_cost=cost,
        s117=s117,
        free_service=free,
        first_permanent_admission_week=week,
        **extra,
    )


_USABLE_YEARS: set[str] = set()  # years whose rates have been found complete enough to use


def _check_usable_year(year: object) -> None:
    try:
        check_year(year)
    except ValueError as e:
        raise InvalidCase(f'"financial_year": {e}', key="financial_year") from None
    try:
        rates_for(year).check_core()  # type: ignore[arg-type]
    except RatesUnavailable as e:
        raise InvalidCase(f'"financial_year": {e}', key="financial_year") from None
    _USABLE_YEARS.add(year)  # type: ignore[arg-type]


def _premiums(raw: object) -> tuple[str, ...]:
    if type(raw) is not list and type(raw) is not tuple:
        raise InvalidCase(
            f'"premiums" must be a list of premiums (empty if none), not {_show(raw)} '
            f"({_what(raw)}): the premiums are {_list(PREMIUMS)}",
            key="premiums",
        )
    seen: list[str] = []
    for i, p in enumerate(raw):
        if type(p) is not str or p not in PREMIUMS:
            raise InvalidCase(
                f'Unknown premium {_show(p)} in "premiums": the premiums are {_list(PREMIUMS)}',
                key=f"premiums[{i}]",
            )
        if p in seen:
            raise InvalidCase(f'Premium "{p}" is listed twice in "premiums"', key=f"premiums[{i}]")
        seen.append(p)
    return tuple(p for p in PREMIUMS if p in seen)


def _capital_in(raw: object) -> Capital:
    if type(raw) is not dict:
        raise InvalidCase(
            f'"capital" must be an object with {_list(CAPITAL_KEYS)}, not {_what(raw)}',
            key="capital",
        )
    for key in raw:
        if key not in _CAPITAL_ALL:
            raise InvalidCase(
                f'Unknown key {_show(key)} in "capital": the keys are {_list(CAPITAL_KEYS)} '
                f"and, optionally, {_list(CAPITAL_EXTENSION_KEYS)}",
                key=f"capital.{key}",
            )
    for key in CAPITAL_KEYS:
        if key not in raw:
            raise InvalidCase(f'Missing key "{key}" in "capital"', key=f"capital.{key}")
    savings = _read_money(raw["savings"], "capital.savings")
    other = _read_money(raw["other"], "capital.other")
    home = _read_money(raw["main_home"], "capital.main_home")
    joint = _read_money(raw["joint"], "capital.joint") if "joint" in raw else ZERO
    owners = (
        _read_int(raw["joint_owners"], "capital.joint_owners", 2, 100, "number of joint owners")
        if "joint_owners" in raw
        else 2
    )
    return Capital(savings, other, home, joint, owners)


def _income_in(raw: object) -> tuple[Income, ...]:
    if type(raw) is not list and type(raw) is not tuple:
        raise InvalidCase(
            f'"weekly_income" must be a list of {{"type", "amount"}} objects, not {_what(raw)}',
            key="weekly_income",
        )
    out = []
    for i, item in enumerate(raw):
        where = f"weekly_income[{i}]"
        if type(item) is not dict:
            raise InvalidCase(
                f'"{where}" must be an object {{"type": ..., "amount": ...}}, not {_what(item)}',
                key=where,
            )
        if len(item) != 2 or "type" not in item or "amount" not in item:
            for key in item:
                if key not in _INCOME_ALL:
                    raise InvalidCase(
                        f'Unknown key {_show(key)} in "{where}": the keys are "type", "amount" '
                        'and, optionally, "joint"',
                        key=f"{where}.{key}",
                    )
            for key in INCOME_KEYS:
                if key not in item:
                    raise InvalidCase(f'Missing key "{key}" in "{where}"', key=f"{where}.{key}")
        kind = item["type"]
        if type(kind) is not str or kind not in INCOME_TYPES:
            raise InvalidCase(
                f'Unknown income type {_show(kind)} in "{where}.type": the types are '
                f"{_list(INCOME_TYPES)}",
                key=f"{where}.type",
            )
        amount = _read_money(item["amount"], f"{where}.amount")
        joint = _read_bool(item["joint"], f"{where}.joint") if "joint" in item else False
        out.append(Income(kind, amount, joint))
    return tuple(out)


def _number(amount: Decimal) -> float | int:
    return float(amount)


def to_dict(case: Case) -> dict[str, Any]:
    """The JSON contract for a case (amounts as numbers): ``parse(to_dict(c)) == c``.
    Extensions are written only when they differ from their defaults."""
    c = case.capital
    capital: dict[str, Any] = {
        "savings": _number(c.savings),
        "other": _number(c.other),
        "main_home": _number(c.main_home),
    }
    if c.joint:
        capital["joint"] = _number(c.joint)
    if c.joint_owners != 2:
        capital["joint_owners"] = c.joint_owners
    out: dict[str, Any] = {
        "financial_year": case.financial_year,
        "setting": case.setting,
        "age": case.age,
        "couple": case.couple,
        "dependent_children": case.dependent_children,
        "premiums": list(case.premiums),
        "capital": capital,
        "weekly_income": [
            {"type": i.type, "amount": _number(i.amount), **({"joint": True} if i.joint else {})}
            for i in case.weekly_income
        ],
        "weekly_housing_costs": _number(case.weekly_housing_costs),
        "weekly_disability_related_expenditure": _number(
            case.weekly_disability_related_expenditure
        ),
        "weekly_care_cost": _number(case.weekly_care_cost),
        "s117": case.s117,
        "free_service": case.free_service,
        "first_permanent_admission_week": case.first_permanent_admission_week,
    }
    for key in _BOOL_EXTENSIONS:
        if getattr(case, key):
            out[key] = True
    if case.partner_age is not None:
        out["partner_age"] = case.partner_age
    if case.equipment_cost is not None:
        out["equipment_cost"] = _number(case.equipment_cost)
    return out


def assess_json(data: object, policy: CouncilPolicy = DEFAULT_POLICY) -> dict[str, Any]:
    """``parse`` then ``assess`` then ``as_dict``: one JSON object in, one out."""
    return assess(parse(data), policy).as_dict()


__all__ = [
    "ALL_KEYS",
    "CONTRACT_KEYS",
    "EXTENSION_KEYS",
    "FREE_SERVICES",
    "PREMIUMS",
    "SETTINGS",
    "Assessment",
    "Capital",
    "Case",
    "Income",
    "InvalidCase",
    "Step",
    "assess",
    "assess_json",
    "parse",
    "to_dict",
]
