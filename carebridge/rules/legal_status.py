"""How one Mental Health Act legal status may start, end or follow another (pure: no Django).

The sections themselves (what each is, how long it lasts, which lead to s117 aftercare) are in
:mod:`carebridge.rules.mental_health_act`; this module says which changes of status the record
accepts. Sources, all in the Mental Health Act 1983 (https://www.legislation.gov.uk/ukpga/1983/20):

* A person is detained under one authority at a time: a new detention while another runs is
  refused unless it *replaces* it (the earlier one ends when the later one starts, and the history
  keeps both):
  - a holding power (s5(2), s5(4)) or a place of safety (s135, s136) gives way to a detention made
    while it runs (s136(2): the person is held "for the purpose of enabling him to be examined ...
    and of making any necessary arrangements for his treatment or care"); a nurse's holding power
    gives way to a doctor's (s5(4) lasts until a practitioner with the power under s5(2) arrives);
  - an emergency admission under s4 is followed by s2 (s4(4)(a): the second medical
    recommendation) or by an application under s3;
  - admission for assessment under s2 is followed by admission for treatment under s3 (s2(4):
    s2 ends after 28 days and cannot be renewed; a s3 application is made within it);
  - Part III: a remand or interim order (s35, s36, s38) is followed by the court's hospital order
    (s37, with or without restrictions under s41).
* A community treatment order follows only a detention for treatment: "the responsible clinician
  may by order in writing discharge a detained patient from hospital subject to his being liable
  to recall" (s17A(1)), a detained patient being one "liable to be detained in a hospital in
  pursuance of an application for admission for treatment" (s17A(2)), that is s3; and, by s40(4)
  and Schedule 1 Part 1, a patient under an unrestricted hospital order (s37).
* A CTO revoked (s17F) puts the person back under the section they were detained under before
  the CTO (s17G): the CTO ends "revoked" and that section starts again.
* An end is never before its start, and never in the future; the day the person left hospital
  (from which s117 aftercare runs, s117(1)) is only for a detention, and not before it ended.
"""

from __future__ import annotations

import datetime as dt

from . import mental_health_act as mha
from .mental_health_act import EndReason, Kind

# Ended only by replacing the status with another (the replace page), never by "end".
BY_REPLACEMENT = frozenset({EndReason.REPLACED, EndReason.CTO_REVOKED})

_PASSING = frozenset({Kind.HOLDING_POWER, Kind.PLACE_OF_SAFETY})
_FOLLOWS: dict[str, frozenset[str]] = {
    "s5_4": frozenset({"s5_2"}),
    "s4": frozenset({"s2", "s3"}),
    "s2": frozenset({"s3"}),
    "s3": frozenset({mha.CTO}),
    "s37": frozenset({mha.CTO}),
    "s35": frozenset({"s37", "s37_41"}),
    "s36": frozenset({"s37", "s37_41"}),
    "s38": frozenset({"s37", "s37_41"}),
}
# Sections a CTO may follow (s17A(1)-(2); s37 by s40(4) and Schedule 1 Part 1).
CTO_FOLLOWS = frozenset({"s3", "s37"})


def detains(code: str) -> bool:
    """Whether the status holds the person in hospital or a place of safety (not a CTO or
    guardianship)."""
    return mha.section(code).detains


def is_detention_in_hospital(code: str) -> bool:
    """A detention from which the person later leaves hospital (not a holding power's ward
    only, nor a place of safety): the civil and Part III detentions."""
    return mha.section(code).kind in (Kind.CIVIL_DETENTION, Kind.FORENSIC_DETENTION)


def how_replaced(old: str, new: str, *, before_old: str = "") -> EndReason | None:
    """How status ``old`` ends when ``new`` follows it: REPLACED, CTO_REVOKED (a CTO revoked,
    back to ``before_old``, the section the CTO followed, or s3 or s37 when not recorded), or
    None when ``new`` cannot follow ``old``."""
    mha.section(old), mha.section(new)  # unknown codes are an error, not "cannot follow"
    if old == mha.CTO:
        allowed = {before_old} if before_old in CTO_FOLLOWS else CTO_FOLLOWS
        return EndReason.CTO_REVOKED if new in allowed else None
    rule = mha.section(old)
    if rule.kind in _PASSING and detains(new) and mha.section(new).kind not in _PASSING:
        return EndReason.REPLACED
    return EndReason.REPLACED if new in _FOLLOWS.get(old, frozenset()) else None


def followers(old: str, *, before_old: str = "") -> list[str]:
    """The sections that may follow ``old``, in the order of ``mental_health_act.SECTIONS``."""
    return [s.code for s in mha.SECTIONS if how_replaced(old, s.code, before_old=before_old)]


def start_problem(new: str, current: list[str], *, replacing: str = "") -> str:
    """Why ``new`` cannot start beside the person's ``current`` statuses (those that stay: not
    ``replacing``, the status it replaces, checked by :func:`how_replaced`), or ''. One
    detention at a time; one community status (CTO or guardianship) at a time; a CTO only by
    replacing the detention for treatment it follows."""
    rule = mha.section(new)
    if new == mha.CTO and not replacing:
        return (
            "A community treatment order can only follow a detention under Section 3 or a "
            "Section 37 hospital order (Mental Health Act 1983 s17A): record it by replacing "
            "that detention"
        )
    for code in current:
        other = mha.section(code)
        if rule.detains and other.detains:
            return (
                f"The person is already detained under {other.label}: a second detention "
                f"cannot run at the same time. End it, or replace it with {rule.label}"
            )
        if not rule.detains and not other.detains:
            return (
                f"The person is already under {other.label}: end it before recording {rule.label}"
            )
    return ""


def end_problems(
    *,
    code: str,
    started_at: dt.datetime,
    ended_at: dt.datetime | None,
    reason: str | None,
    left_hospital_on: dt.date | None,
    ended_on: dt.date | None,
    now: dt.datetime,
    today: dt.date,
) -> dict[str, str]:
    """What is wrong with ending a status (field -> message). ``ended_on`` and ``today``: the
    local dates of ``ended_at`` and ``now`` (the council's time zone). ``reason`` None: the
    status ends because another replaces it (that end's reason is the replacement's)."""
    errors: dict[str, str] = {}
    if reason is not None and (
        reason not in {r.value for r in EndReason} or reason in BY_REPLACEMENT
    ):
        errors["end_reason"] = "Select why it ended"
    if ended_at is None:
        errors["ended_on"] = "Enter the date it ended"
    elif ended_at < started_at:
        errors["ended_on"] = "The end cannot be before the start"
    elif ended_at > now:
        errors["ended_on"] = "The end cannot be in the future"
    if left_hospital_on is not None:
        if not is_detention_in_hospital(code):
            errors["left_hospital_on"] = (
                f"{mha.section(code).label} is not a detention in hospital: leave the day the "
                "person left hospital empty"
            )
        elif ended_on is not None and left_hospital_on < ended_on:
            errors["left_hospital_on"] = (
                "The person cannot have left hospital before the detention ended"
            )
        elif left_hospital_on > today:
            errors["left_hospital_on"] = "The day the person left hospital cannot be in the future"
    return errors
