"""Reads of stored duty states for pages (callers have checked access to the people)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from .definitions import DUTIES
from .figures import DUE_SOON_DAYS, EXEMPT, NOT_APPLICABLE, OPEN
from .models import DutyState
from .spec import Duty, State


def state_today(row: DutyState, today: dt.date) -> str:
    """Due and overdue are told apart by the due date, so a stored row is right every day."""
    if row.state in OPEN:
        return State.OVERDUE.value if row.due < today else State.DUE.value
    return row.state


@dataclass(frozen=True)
class OpenDuties:
    overdue: int
    due_soon: int


def open_duty_counts(person_pks: Iterable[int], today: dt.date) -> dict[int, OpenDuties]:
    """person pk -> how many of their duties are overdue and due soon, in one query."""
    pks = list(person_pks)
    if not pks:
        return {}
    rows = (
        DutyState.objects.filter(person_id__in=pks, state__in=OPEN)
        .values("person_id")
        .annotate(
            overdue=Count("pk", filter=figure_q("overdue", today)),
            due_soon=Count("pk", filter=figure_q("due_soon", today)),
        )
    )
    return {r["person_id"]: OpenDuties(r["overdue"], r["due_soon"]) for r in rows}


@dataclass(frozen=True)
class PersonDuty:
    duty: Duty
    row: DutyState
    state: str

    @property
    def needs_action(self) -> bool:
        return self.state in OPEN


def for_person(person_pk: int, today: dt.date) -> list[PersonDuty]:
    """The person's duties, overdue first, then due by date, then the rest."""
    from carebridge.people.record_reads import person_rows

    rows = person_rows(DutyState, person_pk, "due, id")
    items = [
        PersonDuty(DUTIES[r.duty_id], r, state_today(r, today)) for r in rows if r.duty_id in DUTIES
    ]
    order = {State.OVERDUE.value: 0, State.DUE.value: 1}
    return sorted(items, key=lambda d: (order.get(d.state, 2), d.row.due))


def figure_q(figure: str | None, today: dt.date) -> Q:
    """The stored rows that count in a figure today (None: every figure)."""
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    match figure:
        case None:
            return Q()
        case "met" | "met_late":
            return Q(state=figure)
        case "overdue":
            return Q(state__in=OPEN, due__lt=today)
        case "due":
            return Q(state__in=OPEN, due__gte=today)
        case "due_soon":
            return Q(state__in=OPEN, due__gte=today, due__lte=soon)
        case "due_later":
            return Q(state__in=OPEN, due__gt=soon)
        case "excluded":
            return Q(state__in=(NOT_APPLICABLE, EXEMPT))
    raise ValueError(f"No figure {figure!r}")
