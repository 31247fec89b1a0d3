"""Local standards: the council's own time allowed for duties where the law sets none.

A council sets a standard from a date (``LocalStandard`` rows, added and never changed, by
:mod:`carebridge.duties.standards_service`), so "were we compliant on 31 March 2025?" is
judged by the standard in force when each clock started. Without a council setting, the
definition's default applies. This module reads them: for the engine (:func:`in_force`), and
for the standards page, the dashboard and ``carebridge duties standards`` (:func:`overview`).

Which duties a council may set (:func:`settable`)
-------------------------------------------------
Only those whose time is the council's own: the definition's basis is a **local standard**
because the Act sets no deadline. The Care Act gives none for an assessment (s9; statutory
guidance para 6.29: "an appropriate and proportionate timescale") or for a plan once eligible
needs are determined (s24 and s25; para 10.84: "in a timely fashion"), so councils publish their
own targets. Nor does s117 of the Mental Health Act 1983 give one for the joint aftercare plan
(the Code of Practice, chapter 33, expects it before the person leaves hospital): the default is
the day they leave, and a council may allow a few days (ADR 0022).

Every other duty's time comes from the law, and a council setting cannot loosen (or move) it:

* a regulation: a direct payment is reviewed within 6 months of the first payment, then at
  least every 12 months (Direct Payments Regulations 2014 reg 7);
* statutory guidance: a first review 6 to 8 weeks after the plan, then at least every 12 months
  (para 13.32);
* the duty's own terms, where the Act sets no number of days but does set the order: the
  eligibility determination is recorded when the assessment is completed (s13), an approved plan
  states its personal budget (s26), a financial assessment comes before a charge (s17 and SI
  2014/2672), and involvement and advocacy are considered during the assessment (s67).

A council may aim to do better than these, but a local target is not the legal test, and the
compliance figures must not call a duty met because a setting moved its due date.

A recurring duty cannot be set either, even a local standard (``accommodation-status-current``,
12 months): the engine judges every cycle of a recurring duty by the definition's own periods
(``engine._recurring``), so a council setting would be shown but not used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .definitions import DUTIES
from .spec import Basis, Duty, Period


@dataclass(frozen=True, slots=True)
class Version:
    effective_from: dt.date
    period: Period


def in_force(duty_ids: Iterable[str]) -> dict[str, list[Version]]:
    """duty id -> the council's versions of its standard, withdrawn ones left out (one
    query)."""
    from .models import LocalStandard

    out: dict[str, list[Version]] = {}
    rows = LocalStandard.objects.filter(
        duty_id__in=list(duty_ids), withdrawn_at__isnull=True
    ).order_by("effective_from")
    for row in rows:
        out.setdefault(row.duty_id, []).append(Version(row.effective_from, row.period))
    return out


class TimeAllowed:
    """The time allowed for clocks of some duties as the engine judges them: the council's
    standard in force on the day each clock started, else the definition's period, and the due
    date that gives. For pages that show a due date beside the record itself (the safeguarding
    overview) without evaluating the duty; one query for all the duties named."""

    def __init__(self, duty_ids: Iterable[str]) -> None:
        self._versions = in_force(duty_ids)

    def period(self, duty_id: str, started: dt.date) -> Period:
        period = DUTIES[duty_id].period
        for v in self._versions.get(duty_id, []):
            if v.effective_from <= started:
                period = v.period
        return period

    def due(self, duty_id: str, started: dt.date) -> dt.date:
        return due_after(started, self.period(duty_id, started))


def due_after(started: dt.date, period: Period) -> dt.date:
    """The due date of a clock started on ``started``: the N-th working day after it, N months
    on (clamped to a shorter month's end), or N days on, as ``engine`` counts in SQL."""
    from carebridge.rules.dates import add_months
    from carebridge.rules.working_days import add_working_days

    if period.working_days:
        return add_working_days(started, period.working_days)
    if period.months:
        return add_months(started, period.months)
    return started + dt.timedelta(days=period.days)


# --- which duties, and what a council may type -----------------------------------------------


def settable(duty: Duty) -> bool:
    """Whether a council may set its own time for the duty (see the module's docstring)."""
    return duty.basis is Basis.LOCAL and not duty.recurring


def why_not_settable(duty: Duty) -> str:
    """Why the council cannot set the duty's time, in words for the page and the CLI."""
    if duty.basis is Basis.LOCAL:
        return (
            "A recurring duty: each cycle is judged by the definition's period, so a council "
            "setting would not be used. It cannot be changed here yet."
        )
    source = "statutory guidance" if duty.basis is Basis.GUIDANCE else "the law"
    return f"Its time comes from {source} ({duty.citation}), not from the council."


def settable_duties() -> list[Duty]:
    return [d for d in DUTIES.values() if settable(d)]


@dataclass(frozen=True)
class Unit:
    key: str
    label: str  # in a sentence: "28 calendar days"
    least: int
    most: int

    def period(self, amount: int) -> Period:
        return Period(**{self.key: amount})


# The units a council may use, and the range of each. 0 calendar days is "the same day" (all
# units 0 in the row); 0 working days or months would be stored as the same thing, so only
# calendar days go down to 0. The upper limits are a year: a longer target is a typing error.
UNITS: dict[str, Unit] = {
    "days": Unit("days", "calendar days", 0, 365),
    "working_days": Unit("working_days", "working days", 1, 260),
    "months": Unit("months", "months", 1, 12),
}

# How far ahead a standard may start: a council decides next year's targets, not the next
# decade's; a year further catches a mistyped year (which could not be corrected afterwards:
# versions are never changed).
MOST_DAYS_AHEAD = 366


def unit_and_amount(period: Period) -> tuple[Unit, int]:
    for key in ("working_days", "months"):
        if getattr(period, key):
            return UNITS[key], getattr(period, key)
    return UNITS["days"], period.days


def time_allowed(duty: Duty, period: Period | None = None) -> str:
    """The time allowed, in words: "28 days", "20 working days", "the same day", or, for a
    recurring duty whose first cycle differs, "6 months at first, then 12 months"."""
    period = period or duty.period

    def words(p: Period) -> str:
        return "the same day" if str(p) == "0 days" else str(p)

    if duty.recurring and duty.first_period is not None and duty.first_period != period:
        return f"{words(duty.first_period)} at first, then {words(period)}"
    return words(period)


# --- what is in force ------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyStandards:
    """A duty's default, the council's versions (oldest first) and the one in force on a date
    (None: the default applies)."""

    duty: Duty
    versions: list  # LocalStandard rows, oldest first, with set_by (withdrawn ones too)
    current: object | None  # the LocalStandard in force on the date, if any

    @property
    def settable(self) -> bool:
        return settable(self.duty)

    @property
    def why_not(self) -> str:
        return "" if self.settable else why_not_settable(self.duty)

    @property
    def default(self) -> str:
        return time_allowed(self.duty)

    @property
    def period(self) -> Period:
        return self.current.period if self.current is not None else self.duty.period

    @property
    def allowed(self) -> str:
        """The time allowed for a clock starting on the date."""
        return time_allowed(self.duty, self.period)

    def withdrawable(self, version, on: dt.date) -> bool:
        """Whether a version may still be withdrawn on ``on``: it has not come into force."""
        return version.withdrawn_at is None and version.effective_from > on

    def time_allowed(self, version) -> str:
        """A version's time allowed, in words."""
        return time_allowed(self.duty, version.period)


def overview(on: dt.date) -> dict[str, DutyStandards]:
    """Every duty (in the definitions' order) with its standards as of ``on`` (one query)."""
    from .models import LocalStandard

    rows: dict[str, list] = {}
    for row in LocalStandard.objects.select_related("set_by", "withdrawn_by").order_by(
        "effective_from", "set_at"
    ):
        rows.setdefault(row.duty_id, []).append(row)
    out = {}
    for duty_id, duty in DUTIES.items():
        versions = rows.get(duty_id, [])
        started = [v for v in versions if v.effective_from <= on and v.withdrawn_at is None]
        out[duty_id] = DutyStandards(duty, versions, started[-1] if started else None)
    return out
