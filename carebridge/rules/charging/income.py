"""The kinds of weekly income a financial assessment reads, and how each is treated.

Each type names its treatment and the source for it (reference: charging-rates.md section 2,
"Income fully disregarded", "Partly disregarded", "AA, DLA care, PIP daily living"). The amounts a
treatment uses (the night care element, the savings credit disregard, the £10 war widow's pension
disregard) are figures in the year's rates file, not here.

Treatments:

* ``counted``: counted in full (SI 2014/2672 reg 13: income is counted unless disregarded).
* ``disregarded``: disregarded in full.
* ``care_higher``: the higher rate of Attendance Allowance, DLA care or PIP daily living. Counted
  at home (Sch 1 para 4, Annex C para 40), but where the council arranges no night care and its
  policy says so, the difference between the higher and lower rates is disregarded
  (``CouncilPolicy.disregard_night_care_element``).
* ``savings_credit``: Pension Credit savings credit. In a care home up to the year's savings credit
  disregard is disregarded (Sch 1 para 40); at home it is a council choice
  (``CouncilPolicy.disregard_savings_credit_at_home``).
* ``child_tax_credit``: a council choice (``CouncilPolicy.disregard_child_tax_credit``).
* ``war_widows_pension``: the first £10 a week is disregarded.
* ``private_pension``: counted; in a care home, half is disregarded where the person passes half
  of an occupational or private pension to a spouse or civil partner at home (input
  ``private_pension_half_to_spouse``).
"""

from __future__ import annotations

from dataclasses import dataclass

COUNTED = "counted"
DISREGARDED = "disregarded"
CARE_HIGHER = "care_higher"
SAVINGS_CREDIT = "savings_credit"
CHILD_TAX_CREDIT = "child_tax_credit"
WAR_WIDOWS_PENSION = "war_widows_pension"
PRIVATE_PENSION = "private_pension"

COUNTED_SOURCE = "SI 2014/2672 reg 13: income is counted unless a disregard applies"
DISABILITY_BENEFIT_SOURCE = (
    "SI 2014/2672 Sch 1 para 4; statutory guidance Annex C para 40: counted, with "
    "disability-related expenditure allowed [S26]"
)


@dataclass(frozen=True, slots=True)
class IncomeType:
    key: str
    label: str
    treatment: str
    source: str
    disability_benefit: bool = False  # AA, DLA care or PIP daily living: DRE is allowed


INCOME_TYPE_LIST: tuple[IncomeType, ...] = (
    IncomeType("earnings", "Earnings", DISREGARDED, "SI 2014/2672 reg 14: earnings disregarded"),
    IncomeType("state_pension", "State Pension", COUNTED, COUNTED_SOURCE),
    IncomeType(
        "private_pension",
        "Occupational or private pension",
        PRIVATE_PENSION,
        COUNTED_SOURCE,
    ),
    IncomeType(
        "pension_credit",
        "Pension Credit (guarantee credit)",
        COUNTED,
        f"{COUNTED_SOURCE}; for a couple give the person's share (Annex C para 5 [S25]; Knowsley "
        "counts 50% of the couple's guarantee credit [S14])",
    ),
    IncomeType(
        "savings_credit",
        "Pension Credit (savings credit)",
        SAVINGS_CREDIT,
        "SI 2014/2672 Sch 1 para 40 (care home) [S24]; at home a council choice [S22]",
    ),
    IncomeType(
        "employment_support_allowance", "Employment and Support Allowance", COUNTED, COUNTED_SOURCE
    ),
    IncomeType(
        "universal_credit",
        "Universal Credit (without any housing element)",
        COUNTED,
        f"{COUNTED_SOURCE}; the housing element is netted off housing costs instead [S29, S32]",
    ),
    IncomeType(
        "universal_credit_housing_element",
        "Universal Credit housing element",
        DISREGARDED,
        "Housing costs are allowed net of the UC housing element, so it is not income [S29, S32]",
    ),
    IncomeType(
        "housing_benefit",
        "Housing Benefit",
        DISREGARDED,
        "Housing costs are allowed net of Housing Benefit, so it is not income [S29, S32]",
    ),
    IncomeType(
        "attendance_allowance_higher",
        "Attendance Allowance (higher rate)",
        CARE_HIGHER,
        DISABILITY_BENEFIT_SOURCE,
        True,
    ),
    IncomeType(
        "attendance_allowance_lower",
        "Attendance Allowance (lower rate)",
        COUNTED,
        DISABILITY_BENEFIT_SOURCE,
        True,
    ),
    IncomeType(
        "dla_care_highest",
        "DLA care component (highest rate)",
        CARE_HIGHER,
        DISABILITY_BENEFIT_SOURCE,
        True,
    ),
    IncomeType(
        "dla_care_middle",
        "DLA care component (middle rate)",
        COUNTED,
        DISABILITY_BENEFIT_SOURCE,
        True,
    ),
    IncomeType(
        "dla_care_lowest",
        "DLA care component (lowest rate)",
        COUNTED,
        DISABILITY_BENEFIT_SOURCE,
        True,
    ),
    IncomeType(
        "dla_mobility",
        "DLA mobility component",
        DISREGARDED,
        "SI 2014/2672 Sch 1 para 8: DLA and PIP mobility disregarded",
    ),
    IncomeType(
        "pip_daily_living_enhanced",
        "PIP daily living (enhanced rate)",
        CARE_HIGHER,
        DISABILITY_BENEFIT_SOURCE,
        True,
    ),
    IncomeType(
        "pip_daily_living_standard",
        "PIP daily living (standard rate)",
        COUNTED,
        DISABILITY_BENEFIT_SOURCE,
        True,
    ),
    IncomeType(
        "pip_mobility",
        "PIP mobility component",
        DISREGARDED,
        "SI 2014/2672 Sch 1 para 8: DLA and PIP mobility disregarded",
    ),
    IncomeType(
        "child_tax_credit",
        "Child Tax Credit",
        CHILD_TAX_CREDIT,
        "Council lists disregard it: a local choice (Newham [S22]; BANES Annex A)",
    ),
    IncomeType(
        "war_pension_scheme",
        "War Pension Scheme payment (not Constant Attendance Allowance)",
        DISREGARDED,
        "War Pension Scheme payments, except Constant Attendance Allowance, disregarded [S6]; "
        "enter Constant Attendance Allowance as other",
    ),
    IncomeType(
        "war_widows_pension",
        "War widow's or widower's pension",
        WAR_WIDOWS_PENSION,
        "£10 a week disregarded [S6, S23]",
    ),
    IncomeType(
        "guaranteed_income_payment",
        "Armed Forces Compensation Scheme guaranteed income payment",
        DISREGARDED,
        "Guaranteed Income Payments disregarded [S6]",
    ),
    IncomeType(
        "charitable_or_voluntary_payment",
        "Charitable or voluntary payment",
        DISREGARDED,
        "Charitable and voluntary payments disregarded [S6]",
    ),
    IncomeType(
        "direct_payment",
        "Direct payment",
        DISREGARDED,
        "Direct payments disregarded [S6]",
    ),
    IncomeType(
        "other",
        "Other income",
        COUNTED,
        f"{COUNTED_SOURCE}; apply any other disregard before entering it",
    ),
)

INCOME_TYPES: dict[str, IncomeType] = {t.key: t for t in INCOME_TYPE_LIST}

# The types issue 4's input contract names; the rest are extensions.
CONTRACT_INCOME_TYPES: tuple[str, ...] = (
    "earnings",
    "state_pension",
    "private_pension",
    "pension_credit",
    "employment_support_allowance",
    "universal_credit",
    "attendance_allowance_higher",
    "attendance_allowance_lower",
    "dla_care_highest",
    "dla_care_middle",
    "dla_care_lowest",
    "dla_mobility",
    "pip_daily_living_enhanced",
    "pip_daily_living_standard",
    "pip_mobility",
    "other",
)
