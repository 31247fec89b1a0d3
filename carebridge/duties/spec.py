"""The vocabulary duty definitions are written in (one file per duty in ``definitions/``).

A duty is declared, not programmed: what starts its clock (a set of dated records), when it
falls due (a period from the start), what satisfies it (another set of dated records, matched
to the clock), what makes it not applicable or exempt (conditions on the clock's record, with
the reason shown to users), and where it comes from (the statute, regulation or guidance
paragraph, and whether it is a legal duty, statutory guidance or a local standard).
:mod:`carebridge.duties.engine` turns each declaration into one set-based query.

Two shapes cover the duties:

* **once per clock** (``recurring=False``): each clock record (a request, a completed
  assessment, an approved plan...) must be followed by a satisfying record. On an as-of date the
  row describes the person's latest clock started by then.
* **recurring** (``recurring=True``): while the person is in scope (``starts`` gives the date
  they came into scope, e.g. long-term support began), each satisfying record (a review)
  restarts the clock. On an as-of date the row describes the clock running then, and also says
  how the previous cycle ended (``last_met_on``, ``last_state``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q, QuerySet


class Basis(StrEnum):
    LEGAL = "legal duty"
    GUIDANCE = "statutory guidance"
    LOCAL = "local standard"


class State(StrEnum):
    MET = "met"
    MET_LATE = "met_late"
    DUE = "due"
    OVERDUE = "overdue"
    NOT_APPLICABLE = "not_applicable"
    EXEMPT = "exempt"


@dataclass(frozen=True)
class Period:
    """A time allowed: calendar days, months (clamped to the end of a shorter month), or
    working days (Monday to Friday except bank holidays in England and Wales: the N-th working
    day after the start, see :mod:`carebridge.rules.working_days`)."""

    days: int = 0
    months: int = 0
    working_days: int = 0

    def __post_init__(self) -> None:
        if sum(1 for n in (self.days, self.months, self.working_days) if n) > 1:
            raise ValueError("a period is in days, months or working days, not a mixture")
        if self.days < 0 or self.months < 0 or self.working_days < 0:
            raise ValueError("a period cannot be negative")

    def __str__(self) -> str:
        for n, unit in (
            (self.working_days, "working day"),
            (self.months, "month"),
            (self.days, "day"),
        ):
            if n:
                return f"{n} {unit}{'s' if n != 1 else ''}"
        return "0 days"


@dataclass(frozen=True)
class Records:
    """A set of dated records: ``queryset(as_of)`` builds it when the duty is evaluated (so
    definitions import no models at load time; the as-of date is there for sets defined by it,
    like services open on that date). ``date``, ``ref`` and ``person`` are field paths on it:
    the record's date, the reference users see (a CLD event reference...) and the person
    (a relation, e.g. ``person`` or ``plan__person``). ``also_held_by`` (clock records only):
    another person on the record whose case holder answers for the row when the person has
    none (a carer is often not allocated; the cared-for person's worker makes the offer)."""

    queryset: Callable[[dt.date], QuerySet]
    date: str
    label: str
    ref: str = "pk"
    person: str = "person"
    also_held_by: str = ""


@dataclass(frozen=True)
class Exclusion:
    """A clock that does not need meeting: ``condition(as_of)`` on the clock's record (as of the
    date: a request closed after the as-of date was still open then). With ``by_due``, a date
    on the clock's record (a field path, e.g. ``ended_on``): the exclusion applies only when
    that date is on or before both the as-of date and the due date (the caring ended before
    the offer was due; ended later, the duty had already fallen due)."""

    condition: Callable[[dt.date], Q]
    state: State
    reason: str
    by_due: str = ""

    def __post_init__(self) -> None:
        if self.state not in (State.NOT_APPLICABLE, State.EXEMPT):
            raise ValueError("an exclusion makes a clock not applicable or exempt")


@dataclass(frozen=True)
class Duty:
    id: str
    title: str
    wording: str
    citation: str
    basis: Basis
    period: Period
    starts: Records
    met_by: Records
    action: str
    # met_by field -> clock field that must be equal (besides the person), e.g. the plan must
    # follow *this* determination's assessment.
    match: dict[str, str] = field(default_factory=dict)
    exclusions: tuple[Exclusion, ...] = ()
    recurring: bool = False
    # Recurring: the first cycle's period when it differs (a direct payment's first review is
    # within 6 months, later ones within 12).
    first_period: Period | None = None
    # Recurring: satisfying records from before the person came into scope still count (an
    # accommodation status recorded before long-term support began is still current).
    earlier_records_count: bool = False
    # Once per clock: a satisfying record may be dated before the clock started (an approved
    # plan's budget is stated with it, the same day).
    met_on_or_after_start: bool = True
    # Where the source can be read (legislation.gov.uk, the guidance): linked from the citation.
    url: str = ""

    def __post_init__(self) -> None:
        if not self.id or self.id != self.id.lower() or " " in self.id:
            raise ValueError(f"duty id must be lower-case with hyphens: {self.id!r}")
        if self.first_period is not None and not self.recurring:
            raise ValueError("first_period applies to recurring duties only")
