"""Continuity of care: how often a person's case changed hands.

A **hand-off** is a change of worker or of team between one allocation of a person's case and
the next (in order of starting). The first allocation is not a hand-off, nor is a new
allocation to the same worker in the same team (a case closed and reopened with the same
person). A hand-off counts in a window when the later allocation starts inside it
(inclusive). Pure: no Django import, so the pages, the comparison and the tests share it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple


class Period(NamedTuple):
    """One allocation: when it started and ended (None: still open), the team and worker."""

    start: dt.datetime
    end: dt.datetime | None
    team_id: int | None
    worker_id: int | None


def changes(periods: Iterable[Period]) -> list[dt.datetime]:
    """When each hand-off happened: the start of every allocation whose team or worker differs
    from the allocation before it."""
    ordered = sorted(periods, key=lambda p: p.start)
    return [
        cur.start
        for prev, cur in itertools.pairwise(ordered)
        if (cur.team_id, cur.worker_id) != (prev.team_id, prev.worker_id)
    ]


def count(periods: Iterable[Period], start: dt.datetime, end: dt.datetime) -> int:
    """Hand-offs whose change falls in ``start``..``end`` (both inclusive)."""
    return sum(1 for at in changes(periods) if start <= at <= end)


@dataclass(frozen=True)
class Summary:
    """The continuity figures of a group of people."""

    people: int
    handoffs: int
    none: int  # people with no hand-off: one worker who sticks with the person
    three_or_more: int
    median: float | None

    @property
    def mean(self) -> float | None:
        return self.handoffs / self.people if self.people else None

    @property
    def share_none(self) -> float | None:
        return self.none / self.people if self.people else None

    @property
    def share_three_or_more(self) -> float | None:
        return self.three_or_more / self.people if self.people else None


def summarise(counts: Sequence[int]) -> Summary:
    return Summary(
        people=len(counts),
        handoffs=sum(counts),
        none=sum(1 for c in counts if c == 0),
        three_or_more=sum(1 for c in counts if c >= 3),
        median=statistics.median(counts) if counts else None,
    )
