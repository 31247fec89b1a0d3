"""Continuity of care (reads): how many hand-offs each person had, in their journey from
request to plan and over a period, grouped by team or by organisation (the team's host on the
period's last day). Set-based: the allocations of everyone concerned are read in one query and
counted by :mod:`carebridge.partnerships.handoffs`. Aggregate figures only."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Min, OuterRef, Q, Subquery
from django.utils import timezone

from carebridge.casework.models import Allocation, Event
from carebridge.organisations.models import Organisation, Team
from carebridge.rules import cld

from . import selectors
from .handoffs import Period, Summary, count, summarise

BY = {"team": "Team", "organisation": "Organisation"}
UNALLOCATED = "No one held the case"


def start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def end_of(day: dt.date) -> dt.datetime:
    """The first moment after ``day`` (as the duties engine reads who held a case)."""
    return start_of(day + dt.timedelta(days=1))


def allocations(person_ids: Iterable[int] | None = None, *, qs=None) -> dict[int, list[Period]]:
    """Person id -> their allocations (one query). Give the ids, or a subquery of them."""
    rows = Allocation.objects.all()
    if qs is not None:
        rows = rows.filter(person_id__in=qs)
    elif person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    out: dict[int, list[Period]] = defaultdict(list)
    for person, start, end, team, worker in rows.order_by("started_at", "pk").values_list(
        "person_id", "started_at", "ended_at", "team_id", "worker_id"
    ):
        out[person].append(Period(start, end, team, worker))
    return out


def holder_team(periods: list[Period], at: dt.datetime) -> int | None:
    """The team of the allocation open at ``at`` (the latest started), if any."""
    team = None
    for p in periods:  # ordered by start
        if p.start < at and (p.end is None or p.end >= at):
            team = p.team_id
    return team


def in_period(start: dt.date, end: dt.date) -> dict[int, int]:
    """Person id -> hand-offs from ``start`` to ``end`` (inclusive days), for everyone whose
    case was allocated at some time in the period."""
    lo, hi = start_of(start), end_of(end)
    people = (
        Allocation.objects.filter(started_at__lt=hi)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=lo))
        .values("person_id")
    )
    periods = allocations(qs=people)
    last = hi - dt.timedelta(microseconds=1)
    return {p: count(ps, lo, last) for p, ps in periods.items()}


def journeys(start: dt.date, end: dt.date) -> list[tuple[int, dt.date, dt.date | None]]:
    """(person id, request date, date their first plan after it was approved, or None) for each
    request (CLD Request event, not cancelled) made from ``start`` to ``end``."""
    from carebridge.planning.models import CarePlan

    approved = (
        CarePlan.objects.filter(
            person_id=OuterRef("person_id"),
            approved_on__isnull=False,
            approved_on__gte=OuterRef("start_date"),
        )
        .order_by()
        .values("person_id")
        .annotate(first=Min("approved_on"))
        .values("first")
    )
    return list(
        Event.objects.filter(
            event_type=cld.REQUEST, cancelled=False, start_date__gte=start, start_date__lte=end
        )
        .annotate(_plan=Subquery(approved))
        .order_by("start_date", "pk")
        .values_list("person_id", "start_date", "_plan")
    )


def journey_handoffs(start: dt.date, end: dt.date) -> list[tuple[int, int, int | None]]:
    """(person id, hand-offs from request to plan approval, team holding the case at the
    journey's end) for requests made in the period; a journey with no plan yet runs to the
    period's end (or today, if sooner)."""
    rows = journeys(start, end)
    periods = allocations({p for p, _, _ in rows})
    limit = min(end, timezone.localdate())
    out = []
    for person, requested, approved in rows:
        stop = approved or max(limit, requested)
        ps = periods.get(person, [])
        out.append(
            (
                person,
                count(ps, start_of(requested), end_of(stop) - dt.timedelta(microseconds=1)),
                holder_team(ps, end_of(stop)),
            )
        )
    return out


@dataclass(frozen=True)
class Row:
    key: int | None
    label: str
    period: Summary
    journey: Summary


@dataclass(frozen=True)
class Table:
    by: str
    start: dt.date
    end: dt.date
    rows: list[Row]
    total: Row


def table(start: dt.date, end: dt.date, by: str = "team") -> Table:
    """Hand-offs by team or organisation: over the period, and in the journeys from request
    to plan of the requests made in it. A person counts with the team that held their case at
    the end of the period (or of the journey); organisations are the teams' hosts on the
    period's last day."""
    if by not in BY:
        raise ValueError(by)
    per_person = in_period(start, end)
    periods = allocations(per_person)
    hi = end_of(end)
    period_groups: dict[int | None, list[int]] = defaultdict(list)
    for person, n in per_person.items():
        team = holder_team(periods.get(person, []), hi)
        if team is None:  # closed before the end: the last team that held it
            team = periods[person][-1].team_id if periods.get(person) else None
        period_groups[team].append(n)
    journey_groups: dict[int | None, list[int]] = defaultdict(list)
    for _person, n, team in journey_handoffs(start, end):
        journey_groups[team].append(n)

    team_names = dict(Team.objects.values_list("pk", "name"))
    if by == "organisation":
        hosts = {pk: h.managed_by_id for pk, h in selectors.hosting_on(end).items()}
        org_names = dict(Organisation.objects.values_list("pk", "name"))

        def regroup(groups):
            out: dict[int | None, list[int]] = defaultdict(list)
            for team, counts in groups.items():
                out[hosts.get(team)].extend(counts)
            return out

        period_groups, journey_groups = regroup(period_groups), regroup(journey_groups)
        names = org_names
    else:
        names = team_names
    keys = set(period_groups) | set(journey_groups)
    rows = [
        Row(
            k,
            names.get(k, UNALLOCATED) if k is not None else UNALLOCATED,
            summarise(period_groups.get(k, [])),
            summarise(journey_groups.get(k, [])),
        )
        for k in keys
    ]
    rows.sort(key=lambda r: (r.key is None, r.label.lower()))
    total = Row(
        None,
        "All",
        summarise([n for c in period_groups.values() for n in c]),
        summarise([n for c in journey_groups.values() for n in c]),
    )
    return Table(by, start, end, rows, total)
