"""Hosted vs council-run, side by side (reads): the same measures for teams hosted by an NHS
body and for teams the council runs, over a period; or for chosen teams before and after a
date (a transfer). Every figure is attributed by the team that held the case on the date that
matters and that team's host ON THAT DATE (the hosting history), never today's host, so a
past period reads the same after a team moves. Aggregate only: no person is named.

Set-based: each measure is one or two queries over the period, whatever the number of people;
the hosting history is read once (:class:`Hosts`)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DateField, Exists, Min, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from carebridge.casework.models import Allocation, Event
from carebridge.duties.definitions import DUTIES
from carebridge.duties.figures import Counts, from_states, percent
from carebridge.duties.models import DutySnapshot
from carebridge.organisations.models import Organisation
from carebridge.rules import cld
from carebridge.rules import partnerships as rules
from carebridge.rules.dates import add_months

from . import continuity
from .history import Hosts

HOSTED, COUNCIL = "hosted", "council"
SIDES = {HOSTED: "Hosted by an NHS body", COUNCIL: "Run by the council"}
REVIEW_DUTY = "annual-review"


def side(hosts: Hosts, team: int | None, day: dt.date) -> str | None:
    """Which column a team's work on ``day`` counts in: hosted by an NHS body, or run by the
    council (by its host that day, not today's)."""
    kind = hosts.kind(team, day)
    if kind in rules.NHS_PARTNER_KINDS:
        return HOSTED
    if kind == Organisation.COUNCIL:
        return COUNCIL
    return None


@dataclass(frozen=True)
class Column:
    """One side of the comparison: a period and which (team, date) pairs count in it."""

    key: str
    label: str
    start: dt.date
    end: dt.date
    includes: Callable[[int | None, dt.date], bool]


def sides(start: dt.date, end: dt.date, hosts: Hosts) -> list[Column]:
    return [
        Column(k, label, start, end, lambda t, d, k=k: side(hosts, t, d) == k)
        for k, label in SIDES.items()
    ]


def before_and_after(
    team_ids: list[int], split: dt.date, months: int, today: dt.date | None = None
) -> list[Column]:
    """The teams in the ``months`` before ``split`` and from it (to today at most)."""
    today = today or timezone.localdate()
    teams = frozenset(team_ids)
    after_end = min(add_months(split, months) - dt.timedelta(days=1), today)
    return [
        Column(
            "before",
            "Before",
            add_months(split, -months),
            split - dt.timedelta(days=1),
            lambda t, d: t in teams,
        ),
        Column("after", "After", split, max(after_end, split), lambda t, d: t in teams),
    ]


@dataclass
class Figure:
    """One measure's value in one column: ``value`` as a number (None: nothing to measure),
    ``shown`` as people read it, ``n`` how many it is worked out from."""

    value: float | None
    shown: str
    n: int
    parts: str = ""


@dataclass
class Measure:
    key: str
    label: str
    group: str
    unit: str  # "percent", "days", "count", "money"
    figures: dict[str, Figure] = field(default_factory=dict)


def _rate_figure(c: Counts) -> Figure:
    return Figure(c.rate, percent(c.rate), c.decided, f"{c.on_time} of {c.decided}")


def _median_figure(values: list[int], unit: str = "days") -> Figure:
    if not values:
        return Figure(None, "\N{EN DASH}", 0)
    m = statistics.median(values)
    return Figure(float(m), f"{m:g} {unit}", len(values))


def _mean_figure(values: list, fmt: Callable[[float], str]) -> Figure:
    if not values:
        return Figure(None, "\N{EN DASH}", 0)
    m = sum(values) / len(values)
    return Figure(float(m), fmt(m), len(values))


def _money(v: float) -> str:
    return f"£{v:,.2f}"


# --- the measures ---------------------------------------------------------------------------


def duty_compliance(columns: list[Column], hosts: Hosts) -> list[Measure]:
    """Compliance per duty and overall, from the month-end snapshots in each column's period
    (the team that held the case at the month end, and its host then)."""
    lo, hi = min(c.start for c in columns), max(c.end for c in columns)
    rows = (
        DutySnapshot.objects.filter(month_end__gte=lo, month_end__lte=hi, team__isnull=False)
        .values_list("month_end", "duty_id", "team_id", "state")
        .annotate(n=Sum("people"))
        .order_by()
    )
    states: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for month_end, duty_id, team, state, n in rows:
        if duty_id not in DUTIES:
            continue
        for col in columns:
            if col.start <= month_end <= col.end and col.includes(team, month_end):
                states[(col.key, duty_id)][state] += n
    overall = Measure("duties-overall", "All duties: compliance rate", "Duty compliance", "percent")
    out = []
    totals = {c.key: Counts() for c in columns}
    for duty_id, duty in DUTIES.items():
        m = Measure(f"duty-{duty_id}", duty.title, "Duty compliance", "percent")
        for col in columns:
            c = from_states(states.get((col.key, duty_id), {}), recurring=duty.recurring)
            totals[col.key] = totals[col.key] + c
            m.figures[col.key] = _rate_figure(c)
        out.append(m)
    for col in columns:
        overall.figures[col.key] = _rate_figure(totals[col.key])
    review = next(m for m in out if m.key == f"duty-{REVIEW_DUTY}")
    timeliness = Measure(
        "review-timeliness",
        "Reviews in date (annual review duty)",
        "Reviews",
        "percent",
        dict(review.figures),
    )
    return [overall, timeliness, *out]


def _holder_on(day_ref: str):
    """The team holding the person's case at the end of the day at ``day_ref`` (latest started
    allocation open then), as a correlated lookup."""
    return Subquery(
        Allocation.objects.filter(person_id=OuterRef("person_id"))
        .filter(started_at__lt=OuterRef("_day_end"))
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=OuterRef("_day_end")))
        .order_by("-started_at", "-pk")
        .values("team_id")[:1]
    )


def request_times(columns: list[Column], hosts: Hosts) -> list[Measure]:
    """Median days from each request made in the period to the assessment completed, the
    eligibility determination, and an approved plan with a personal budget; attributed to the
    team holding the case on the request date (its host then)."""
    from carebridge.assessments.models import EligibilityDetermination
    from carebridge.planning.models import CarePlan, PlannedService

    lo, hi = min(c.start for c in columns), max(c.end for c in columns)

    def first(qs, date_field):
        return Subquery(
            qs.filter(
                person_id=OuterRef("person_id"), **{f"{date_field}__gte": OuterRef("start_date")}
            )
            .order_by()
            .values("person_id")
            .annotate(_first=Min(date_field))
            .values("_first"),
            output_field=DateField(),
        )

    assessed = Event.objects.filter(
        event_type=cld.ASSESSMENT, cancelled=False, end_date__isnull=False
    ).exclude(assessment_type=cld.FINANCIAL_ASSESSMENT)
    budgeted = CarePlan.objects.filter(approved_on__isnull=False).filter(
        Exists(PlannedService.objects.filter(plan=OuterRef("pk")))
    )
    requests = list(
        Event.objects.filter(
            event_type=cld.REQUEST, cancelled=False, start_date__gte=lo, start_date__lte=hi
        )
        .annotate(
            _assessed=first(assessed, "end_date"),
            _eligibility=first(EligibilityDetermination.objects.all(), "determined_on"),
            _plan=first(budgeted, "approved_on"),
        )
        .values_list("pk", "person_id", "start_date", "_assessed", "_eligibility", "_plan")
    )
    # Who held each case on its request date: one query over the same people's allocations.
    periods = continuity.allocations({r[1] for r in requests})
    values: dict[tuple[str, str], list[int]] = defaultdict(list)
    for _pk, person, day, assessed_on, decided_on, planned_on in requests:
        team = continuity.holder_team(periods.get(person, []), continuity.end_of(day))
        for col in columns:
            if not (col.start <= day <= col.end and col.includes(team, day)):
                continue
            for key, done in (
                ("assessed", assessed_on),
                ("eligibility", decided_on),
                ("plan", planned_on),
            ):
                if done is not None:
                    values[(col.key, key)].append((done - day).days)
    out = []
    for key, label in (
        ("assessed", "Median days from request to assessment completed"),
        ("eligibility", "Median days from request to eligibility decided"),
        ("plan", "Median days from request to an approved plan with a personal budget"),
    ):
        m = Measure(f"days-to-{key}", label, "Time from request", "days")
        for col in columns:
            m.figures[col.key] = _median_figure(values.get((col.key, key), []))
        out.append(m)
    return out


def handoffs(columns: list[Column], hosts: Hosts) -> list[Measure]:
    """Hand-offs per person in the period, for people whose case was held at some time in it,
    by the team that held it at the period's end (or last held it), and its host then."""
    mean = Measure("handoffs-mean", "Hand-offs per person", "Continuity", "count")
    none = Measure("handoffs-none", "People with no hand-off", "Continuity", "percent")
    for col in columns:
        per_person = continuity.in_period(col.start, col.end)
        periods = continuity.allocations(per_person)
        at = continuity.end_of(col.end)
        counts = []
        for person, n in per_person.items():
            ps = periods.get(person, [])
            team = continuity.holder_team(ps, at) or (ps[-1].team_id if ps else None)
            if col.includes(team, col.end):
                counts.append(n)
        mean.figures[col.key] = _mean_figure(counts, lambda v: f"{v:.2f}")
        zero = sum(1 for n in counts if n == 0)
        rate = zero / len(counts) if counts else None
        none.figures[col.key] = Figure(rate, percent(rate), len(counts), f"{zero} of {len(counts)}")
    return [mean, none]


def _held_at(day: dt.date) -> dict[int, tuple[int | None, int]]:
    """Person id -> (worker, team) holding the case at the end of ``day`` (one query)."""
    end = continuity.end_of(day)
    rows = (
        Allocation.objects.filter(started_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=end))
        .order_by("person_id", "started_at", "pk")
        .values_list("person_id", "worker_id", "team_id")
    )
    return {p: (w, t) for p, w, t in rows}


def costs(columns: list[Column], hosts: Hosts) -> list[Measure]:
    """For the people held at each period's end: the mean weekly personal budget of their
    approved plan, and the mean weekly cost of their open services."""
    from carebridge.planning.models import WEEKLY_FACTOR, CarePlan, PlannedService

    budget = Measure(
        "weekly-budget", "Mean weekly personal budget (approved plans)", "Cost", "money"
    )
    services = Measure(
        "weekly-services", "Mean weekly cost of open services per person", "Cost", "money"
    )
    for col in columns:
        held = _held_at(col.end)
        people = {p for p, (_w, t) in held.items() if col.includes(t, col.end)}
        plan_totals: dict[int, Decimal] = defaultdict(Decimal)
        current = CarePlan.objects.filter(
            person_id__in=people, approved_on__isnull=False, approved_on__lte=col.end
        ).filter(Q(status=CarePlan.Status.APPROVED) | Q(end_date__gt=col.end))
        for plan, unit, freq, units in PlannedService.objects.filter(plan__in=current).values_list(
            "plan_id", "unit_cost", "cost_frequency", "planned_units_per_week"
        ):
            plan_totals[plan] += unit * units * WEEKLY_FACTOR.get(freq, Decimal(0))
        plans = list(current.values_list("pk", flat=True))
        budget.figures[col.key] = _mean_figure(
            [plan_totals.get(p, Decimal(0)) for p in plans], _money
        )
        service_totals: dict[int, Decimal] = defaultdict(Decimal)
        for person, unit, freq, units in (
            Event.objects.filter(
                person_id__in=people,
                event_type=cld.SERVICE,
                cancelled=False,
                start_date__lte=col.end,
                unit_cost__isnull=False,
                planned_units_per_week__isnull=False,
            )
            .filter(Q(end_date__isnull=True) | Q(end_date__gt=col.end))
            .values_list("person_id", "unit_cost", "cost_frequency", "planned_units_per_week")
        ):
            service_totals[person] += unit * units * WEEKLY_FACTOR.get(freq, Decimal(1))
        services.figures[col.key] = _mean_figure(list(service_totals.values()), _money)
    return [budget, services]


def caseloads(columns: list[Column], hosts: Hosts) -> list[Measure]:
    """Open allocations per case-holding worker at each period's end (the worker counts with
    the team of their allocations, and its host then)."""
    mean = Measure("caseload-mean", "Mean caseload per case-holding worker", "Caseloads", "count")
    median = Measure(
        "caseload-median", "Median caseload per case-holding worker", "Caseloads", "count"
    )
    for col in columns:
        per_worker: dict[int, int] = defaultdict(int)
        for _p, (worker, team) in _held_at(col.end).items():
            if worker is not None and col.includes(team, col.end):
                per_worker[worker] += 1
        loads = list(per_worker.values())
        mean.figures[col.key] = _mean_figure(loads, lambda v: f"{v:.1f}")
        median.figures[col.key] = (
            Figure(float(statistics.median(loads)), f"{statistics.median(loads):g}", len(loads))
            if loads
            else Figure(None, "\N{EN DASH}", 0)
        )
    return [mean, median]


@dataclass
class Comparison:
    columns: list[Column]
    measures: list[Measure]

    def groups(self) -> list[tuple[str, list[Measure]]]:
        out: dict[str, list[Measure]] = {}
        for m in self.measures:
            out.setdefault(m.group, []).append(m)
        return list(out.items())


def compare(columns: list[Column], hosts: Hosts | None = None) -> Comparison:
    hosts = hosts or Hosts()
    measures = [
        *duty_compliance(columns, hosts),
        *request_times(columns, hosts),
        *handoffs(columns, hosts),
        *costs(columns, hosts),
        *caseloads(columns, hosts),
    ]
    # Duty compliance per duty last: the headline measures first.
    head = [m for m in measures if not m.key.startswith("duty-")]
    duties = [m for m in measures if m.key.startswith("duty-")]
    return Comparison(columns, head + duties)


def hosted_vs_council(start: dt.date, end: dt.date) -> Comparison:
    hosts = Hosts()
    return compare(sides(start, end, hosts), hosts)


def teams_before_and_after(team_ids: list[int], split: dt.date, months: int) -> Comparison:
    return compare(before_and_after(team_ids, split, months))
