"""The figures of the compliance dashboard and how its compliance rate is worked out.

Each (duty, person) row counts once, in one figure, by its state on the day (due and overdue
told apart by the due date, as :func:`carebridge.duties.selectors.state_today` does):

* ``met``: met by the due date; ``met_late``: met after it;
* ``overdue``: not met and the due date has passed;
* ``due_soon``: not met, due within ``DUE_SOON_DAYS``; ``due_later``: due after that;
* ``excluded``: not applicable or exempt (the clock needs no meeting, with the reason).

The **compliance rate** says how often the council met the duty in time. A duty that runs
once per clock (an assessment after a request) has an outcome once it is met or its due date
has passed: rate = met on time / (met on time + met late + overdue). A recurring duty (reviews,
accommodation checks) restarts its clock each time it is met, so the row describes the cycle
running now, which is either in date or overdue: rate = in date / (in date + overdue), where in
date is due soon + due later. Over several duties the numerators and denominators are added.

Pure arithmetic: no Django import, so the dashboard, the trends and the tests share it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields

# "Due soon": within this many days (the caseload and the dashboard flag them).
DUE_SOON_DAYS = 14

# The engine's states (carebridge.duties.spec.State), as stored.
MET, MET_LATE, DUE, OVERDUE = "met", "met_late", "due", "overdue"
NOT_APPLICABLE, EXEMPT = "not_applicable", "exempt"
OPEN = (DUE, OVERDUE)

# The dashboard's figures, in the order shown, with their column headings.
FIGURES: dict[str, str] = {
    "met": "Met on time",
    "met_late": "Met late",
    "overdue": "Overdue",
    "due_soon": f"Due within {DUE_SOON_DAYS} days",
    "due_later": "Due later",
    "excluded": "Not applicable or exempt",
}
# Further figures a list of people can be asked for (the trends count due as one figure).
ALSO = {"due": "Due"}

RATE_DEFINITION = (
    "Compliance rate: for a duty that runs once per clock, the share met on time of those met "
    "or past their due date (met on time ÷ (met on time + met late + overdue)); for a "
    "recurring duty (reviews, accommodation checks), the share of people whose current cycle "
    "is in date (due ÷ (due + overdue)). Duties not yet due, not applicable or exempt are left "
    "out. Over several duties the parts are added up."
)


def figure_of(state: str, due: dt.date, today: dt.date) -> str:
    """The figure a stored row counts in today."""
    if state in OPEN:
        if due < today:
            return "overdue"
        return "due_soon" if due <= today + dt.timedelta(days=DUE_SOON_DAYS) else "due_later"
    if state in (NOT_APPLICABLE, EXEMPT):
        return "excluded"
    return state


@dataclass
class Counts:
    """How many (duty, person) rows count in each figure, and the parts of the rate."""

    met: int = 0
    met_late: int = 0
    overdue: int = 0
    due_soon: int = 0
    due_later: int = 0
    excluded: int = 0
    # The rate's parts (see the module's docstring): kept apart because they depend on the
    # duty's shape, and added as they are over several duties.
    on_time: int = 0
    decided: int = 0

    @classmethod
    def of(cls, *, recurring: bool, **figures: int) -> Counts:
        """One duty's counts (for one group), with the rate's parts worked out."""
        c = cls(**figures)
        if recurring:
            c.on_time = c.due_soon + c.due_later
            c.decided = c.on_time + c.overdue
        else:
            c.on_time = c.met
            c.decided = c.met + c.met_late + c.overdue
        return c

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @property
    def due(self) -> int:
        return self.due_soon + self.due_later

    @property
    def total(self) -> int:
        return sum(getattr(self, k) for k in FIGURES)

    @property
    def rate(self) -> float | None:
        """The compliance rate as a fraction, or None when nothing has reached an outcome."""
        return self.on_time / self.decided if self.decided else None

    def get(self, figure: str) -> int:
        return self.due if figure == "due" else getattr(self, figure)


def total(counts: Iterable[Counts]) -> Counts:
    out = Counts()
    for c in counts:
        out = out + c
    return out


def percent(rate: float | None) -> str:
    """A rate as people read it: 87.5%, or a dash when there is nothing to rate."""
    if rate is None:
        return "\N{EN DASH}"
    return f"{rate * 100:.1f}%"


def from_states(states: dict[str, int], *, recurring: bool) -> Counts:
    """Counts from the engine's states on a past date (a month end): its due rows were judged
    on that day, so they are not split into due soon and later (all count as due later)."""
    return Counts.of(
        recurring=recurring,
        met=states.get(MET, 0),
        met_late=states.get(MET_LATE, 0),
        overdue=states.get(OVERDUE, 0),
        due_later=states.get(DUE, 0),
        excluded=states.get(NOT_APPLICABLE, 0) + states.get(EXEMPT, 0),
    )
