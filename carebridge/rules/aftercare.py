"""Aftercare under section 117 of the Mental Health Act 1983: who is entitled and from when,
which council and ICB are responsible, when the duty may end, how a service's cost is split
between the two bodies, and when the joint review falls due.

Pure (no Django): plain values in, plain values out. The sections themselves, and which of
them lead to aftercare, live in :mod:`carebridge.rules.mental_health_act`.

Sources (legislation.gov.uk/ukpga/1983/20/section/117, as amended by the Care Act 2014 s75):

* s117(1): aftercare is owed to a person detained under s3, admitted under a hospital order
  (s37, with or without a s41 restriction order), or transferred under a hospital direction
  (s45A) or a transfer direction (s47, s48), who then "cease[s] to be detained and (whether or
  not immediately after so ceasing) leave[s] hospital". Entitlement starts when they leave
  hospital, which may be later than the day detention ends (they may stay on informally); a
  person moved from s3 onto a community treatment order leaves hospital as a community patient
  and is entitled too.
* s117(2): a joint duty of the integrated care board and the local social services authority,
  lasting "until such time as [they] are satisfied that the person concerned is no longer in
  need of such services; but they shall not be so satisfied in the case of a community patient
  while he remains such a patient". Ending therefore needs both bodies, and never while on a CTO.
* s117(3): the responsible council is the one where the person was ordinarily resident
  immediately before being detained. *R (Worcestershire County Council) v Secretary of State
  for Health and Social Care* [2023] UKSC 31: a new detention under a qualifying section ends
  the duty owed after the earlier one; the responsible authority is fixed afresh by the
  ordinary residence immediately before the new detention.
* s117(6): aftercare services meet a need arising from or related to the mental disorder and
  reduce the risk of a deterioration of the person's mental condition (and so of readmission).
* Never charged: *R v Manchester City Council, ex p Stennett* [2002] UKHL 34; the Care and
  Support (Charging and Assessment of Resources) Regulations 2014 (SI 2014/2672) reg 3. The one
  payment allowed is a top-up for preferred accommodation, s117A and SI 2014/2670.
* Planning and review: the Mental Health Act 1983 Code of Practice (2015), chapter 33
  ("After-care"), expects aftercare planning to start when the person is admitted and the plan
  to be in place before they leave hospital, and the plan to be reviewed regularly. The Act and
  the Code set no review interval: carebridge's 12 months is a local standard (ADR 0022).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from . import mental_health_act as mha
from .dates import add_months

LEGISLATION_URL = "https://www.legislation.gov.uk/ukpga/1983/20/section/117"
CITATION = "Mental Health Act 1983 s117 (as amended by the Care Act 2014 s75)"
CODE_OF_PRACTICE = "Mental Health Act 1983: Code of Practice (2015), chapter 33"
WORCESTERSHIRE = "R (Worcestershire CC) v SSHSC [2023] UKSC 31"
NO_CHARGE_CITATION = "R v Manchester CC, ex p Stennett [2002] UKHL 34; SI 2014/2672 reg 3"

# The joint plan is due by the day the person leaves hospital (Code of Practice ch 33: planned
# before discharge). A local standard in days after discharge: 0 = on or before the day.
PLAN_DUE_DAYS_AFTER_DISCHARGE = 0
# A joint review at least every 12 months while aftercare lasts (local standard, ADR 0022).
REVIEW_INTERVAL_MONTHS = 12

HUNDRED = Decimal(100)
PENNY = Decimal("0.01")


# --- eligibility -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Eligibility:
    eligible: bool
    from_date: dt.date | None
    reason: str


def eligibility(
    *,
    section: str,
    ended_on: dt.date | None,
    left_hospital_on: dt.date | None,
    cto_started_on: dt.date | None = None,
) -> Eligibility:
    """Whether a period of detention under ``section`` leads to aftercare, and from when.

    ``ended_on``: the day the detention ended (None: still detained). ``left_hospital_on``: the
    day the person left hospital after it. ``cto_started_on``: the day a community treatment
    order followed it (the person leaves hospital as a community patient)."""
    rule = mha.section(section)
    if not rule.s117_qualifying:
        return Eligibility(
            False,
            None,
            f"{rule.label} does not lead to s117 aftercare: only detention under section 3, "
            "37, 45A, 47 or 48 does (s117(1))",
        )
    if ended_on is None:
        return Eligibility(
            False, None, f"The person is still detained under {rule.label}: aftercare starts "
            "when they cease to be detained and leave hospital (s117(1))"
        )  # fmt: skip
    left = left_hospital_on
    if left is None and cto_started_on is not None:
        left = cto_started_on
    if left is None:
        return Eligibility(
            False,
            None,
            f"{rule.label} has ended but the person has not left hospital: aftercare starts "
            "when they leave (s117(1))",
        )
    if left < ended_on:
        return Eligibility(
            False,
            None,
            "The day the person left hospital is before their detention ended: correct the "
            "legal status first",
        )
    how = "on a community treatment order" if left_hospital_on is None else "left hospital"
    return Eligibility(True, left, f"Detained under {rule.label}; {how} on {left:%-d %B %Y}")


# --- responsible authority (s117(3); Worcestershire) -------------------------------------------


@dataclass(frozen=True, slots=True)
class Detention:
    """A qualifying detention and where the person was ordinarily resident immediately before
    it (a council's key: its id, name or code)."""

    started_on: dt.date
    resident_in: str


def responsible_council(detentions: list[Detention]) -> str | None:
    """The council responsible for aftercare: ordinary residence immediately before the latest
    qualifying detention (s117(3); Worcestershire: a new detention fixes it afresh)."""
    if not detentions:
        return None
    latest = max(detentions, key=lambda d: d.started_on)
    return latest.resident_in


def superseded_by(episode_from: dt.date, new_detention_started_on: dt.date) -> bool:
    """Whether a new qualifying detention ends aftercare that started on ``episode_from``
    (Worcestershire): it does when it starts on or after the day aftercare started."""
    return new_detention_started_on >= episode_from


# --- ending (s117(2)) --------------------------------------------------------------------------


def end_refusal(
    *,
    on_cto: bool,
    council_agrees: bool,
    icb_agrees: bool,
    decided_on: dt.date,
    eligible_from: dt.date,
    today: dt.date,
) -> dict[str, str]:
    """Why aftercare cannot end on this decision (field -> message); empty: it may end."""
    errors: dict[str, str] = {}
    if not mha.s117_may_end(on_cto):
        errors["__all__"] = (
            "Aftercare cannot end while the person is on a community treatment order: the ICB "
            "and the council cannot be satisfied it is no longer needed (s117(2))"
        )
        return errors
    if not council_agrees:
        errors["council_agrees"] = (
            "Aftercare ends only when the council and the ICB both decide it is no longer "
            "needed: the council has not agreed (s117(2))"
        )
    if not icb_agrees:
        errors["icb_agrees"] = (
            "Aftercare ends only when the council and the ICB both decide it is no longer "
            "needed: the ICB has not agreed (s117(2))"
        )
    if decided_on > today:
        errors["decided_on"] = "The date of the decision must be today or in the past"
    elif decided_on < eligible_from:
        errors["decided_on"] = (
            f"The date of the decision must be on or after {eligible_from:%-d %B %Y}, when "
            "aftercare started"
        )
    return errors


# --- the funding split -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Split:
    council_percent: Decimal
    icb_percent: Decimal

    def amounts(self, weekly_cost: Decimal) -> tuple[Decimal, Decimal]:
        """(council, ICB) weekly amounts: the council's share rounded to the penny, the ICB's
        the rest, so the two always add up to the cost."""
        council = (weekly_cost * self.council_percent / HUNDRED).quantize(PENNY, ROUND_HALF_UP)
        return council, weekly_cost - council


def split_from_percentages(council: Decimal | None, icb: Decimal | None) -> Split:
    """Raises ValueError with the message to show, keyed by field (``SplitError``)."""
    errors: dict[str, str] = {}
    for key, value, who in (("council_percent", council, "council"), ("icb_percent", icb, "ICB")):
        if value is None:
            errors[key] = f"Enter the {who}'s share as a percentage"
        elif not Decimal(0) <= value <= HUNDRED:
            errors[key] = f"The {who}'s share must be between 0% and 100%"
        elif value != value.quantize(PENNY):
            errors[key] = f"The {who}'s share must have no more than 2 decimal places"
    if not errors and council + icb != HUNDRED:
        errors["icb_percent"] = (
            f"The council's and the ICB's shares must add up to 100% (they add up to "
            f"{(council + icb).normalize():f}%)"
        )
    if errors:
        raise SplitError(errors)
    return Split(council.quantize(PENNY), icb.quantize(PENNY))


def split_from_amounts(weekly_cost: Decimal, council: Decimal | None, icb: Decimal | None) -> Split:
    """The split given as weekly amounts that must add up to the service's weekly cost; kept as
    percentages to the hundredth (the ICB's the rest of 100)."""
    errors: dict[str, str] = {}
    for key, value, who in (("council_weekly", council, "council"), ("icb_weekly", icb, "ICB")):
        if value is None:
            errors[key] = f"Enter the {who}'s weekly amount"
        elif value < 0:
            errors[key] = f"The {who}'s weekly amount cannot be less than £0.00"
        elif value != value.quantize(PENNY):
            errors[key] = f"The {who}'s weekly amount must be in pounds and pence"
    if not errors and council + icb != weekly_cost:
        errors["icb_weekly"] = (
            f"The council's and the ICB's weekly amounts must add up to the service's weekly "
            f"cost of £{weekly_cost:,.2f} (they add up to £{council + icb:,.2f})"
        )
    if errors:
        raise SplitError(errors)
    if weekly_cost == 0:
        return Split(HUNDRED, Decimal(0).quantize(PENNY))
    council_percent = (council * HUNDRED / weekly_cost).quantize(PENNY, ROUND_HALF_UP)
    return Split(council_percent, HUNDRED - council_percent)


class SplitError(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())))
        self.errors = errors


# --- joint reviews -----------------------------------------------------------------------------

CONTINUE, CHANGE, PROPOSE_END = "continue", "change", "propose_end"
REVIEW_OUTCOMES: tuple[tuple[str, str], ...] = (
    (CONTINUE, "Continue aftercare as planned"),
    (CHANGE, "Continue aftercare with changes to the plan or services"),
    (PROPOSE_END, "Propose ending aftercare (both bodies then decide, s117(2))"),
)


def next_review_due(eligible_from: dt.date, reviews: list[dt.date]) -> dt.date:
    """The next joint review: 12 months after the latest review, or after aftercare started."""
    last = max([eligible_from, *reviews])
    return add_months(last, REVIEW_INTERVAL_MONTHS)


def plan_due(eligible_from: dt.date) -> dt.date:
    return eligible_from + dt.timedelta(days=PLAN_DUE_DAYS_AFTER_DISCHARGE)


# --- how ordinary residence was determined (s117(3)) -------------------------------------------

RESIDENCE_BASES: tuple[tuple[str, str], ...] = (
    ("address_before_detention", "The person's settled address immediately before detention"),
    ("agreed_between_councils", "Agreed between the councils concerned"),
    ("secretary_of_state", "Determined by the Secretary of State on a dispute"),
    ("no_settled_residence", "No settled residence: where the person is resident or is sent "
     "on discharge"),
)  # fmt: skip

END_JOINT_DECISION = "joint_decision"
END_SUPERSEDED = "superseded"
END_DIED = "died"
END_REASONS: tuple[tuple[str, str], ...] = (
    (END_JOINT_DECISION, "Ended by a joint decision of the council and the ICB (s117(2))"),
    (END_SUPERSEDED, "Superseded by new detention (Worcestershire)"),
    (END_DIED, "The person died"),
)
