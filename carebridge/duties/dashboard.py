"""Reads for the compliance dashboard: today's figures (from the stored ``DutyState`` rows, due
and overdue told apart by the due date), the people behind a figure (scoped to the records the
viewer may open), and the monthly trends (from ``DutySnapshot``).

Aggregate figures count everyone, restricted records included, and name no one. Lists of people
follow ADR 0013: a worker who may open records sees, by name, only the people whose records
they may open (:func:`carebridge.casework.access.visible_people`); a worker whose role opens no
records (a performance analyst) sees the rows of people who are not restricted by council person
ID only, as the CLI report gives them; a restricted record is listed only to a worker named on
it. What is counted but not listed is said as a number.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum

from carebridge.core.access import Capability, can

from . import figures
from .definitions import DUTIES
from .figures import EXEMPT, NOT_APPLICABLE, Counts
from .models import DutySnapshot, DutyState
from .selectors import figure_q
from .spec import Duty

BREAKDOWNS = {
    "duty": "By duty",
    "organisation": "By organisation",
    "team": "By team",
    "worker": "By worker",
}
NOT_ALLOCATED = "none"  # a filter value: cases held by no team or worker
ORGANISATION_KINDS = {"council": "Council-run", "nhs_trust": "Hosted by the NHS trust"}
TREND_MONTHS = 12
# The row for cases no organisation, team or worker holds.
UNHELD = {
    "organisation": ("Not allocated", "No team holds these cases"),
    "team": ("Not allocated", "No team holds these cases"),
    "worker": ("No named worker", "Held by a team without a named worker, or not allocated"),
}


@dataclass(frozen=True)
class Scope:
    """Which rows a figure counts: one duty or all, and whose cases (an organisation, team or
    worker: a primary key, ``NOT_ALLOCATED``, or None for all)."""

    duty: str | None = None
    organisation: int | str | None = None
    team: int | str | None = None
    worker: int | str | None = None

    def q(self) -> Q:
        q = Q()
        if self.duty:
            q &= Q(duty_id=self.duty)
        else:
            q &= Q(duty_id__in=list(DUTIES))
        for name in ("organisation", "team", "worker"):
            value = getattr(self, name)
            if value == NOT_ALLOCATED:
                q &= Q(**{f"{name}__isnull": True})
            elif value is not None:
                q &= Q(**{f"{name}_id": value})
        return q

    def params(self, **more) -> dict[str, str]:
        """The query string that asks for this scope (and ``more``), for links."""
        out = {
            k: str(v)
            for k, v in (
                ("duty", self.duty),
                ("organisation", self.organisation),
                ("team", self.team),
                ("worker", self.worker),
            )
            if v not in (None, "")
        }
        out.update({k: str(v) for k, v in more.items() if v not in (None, "")})
        return out

    def narrowed(self, by: str, key) -> Scope:
        """This scope, narrowed to one row of a breakdown."""
        value = NOT_ALLOCATED if key is None else key
        if by == "duty":
            return Scope(key, self.organisation, self.team, self.worker)
        return Scope(**{**self.__dict__, by: value})


# --- today's figures ----------------------------------------------------------------------------


def _figure_counts(today: dt.date) -> dict:
    return {name: Count("pk", filter=figure_q(name, today)) for name in figures.FIGURES}


@dataclass
class Row:
    key: object  # a duty id, an organisation, team or worker key (None: not allocated)
    label: str
    hint: str
    counts: Counts
    scope: Scope  # the rows this line counts (for its links)
    duty: Duty | None = None

    @property
    def rate(self) -> str:
        return figures.percent(self.counts.rate)


@dataclass
class Table:
    by: str
    scope: Scope
    rows: list[Row]
    total: Counts = field(default_factory=Counts)

    @property
    def total_rate(self) -> str:
        return figures.percent(self.total.rate)


def figures_today(scope: Scope, by: str, today: dt.date) -> Table:
    """Today's figures, one row per duty (``by="duty"``) or per organisation, team or worker
    holding the cases (all duties in the scope added up): one aggregate query, and one for the
    rows' names."""
    group = None if by == "duty" else f"{by}_id"
    values = ["duty_id", *([group] if group else [])]
    cells = (
        DutyState.objects.filter(scope.q())
        .values(*values)
        .annotate(**_figure_counts(today))
        .order_by()
    )
    per_key: dict[object, Counts] = defaultdict(Counts)
    for cell in cells:
        duty = DUTIES[cell["duty_id"]]
        key = cell["duty_id"] if group is None else cell[group]
        per_key[key] = per_key[key] + Counts.of(
            recurring=duty.recurring, **{k: cell[k] for k in figures.FIGURES}
        )
    if by == "duty":
        duties = [DUTIES[scope.duty]] if scope.duty else list(DUTIES.values())
        rows = [
            Row(d.id, d.title, d.citation, per_key.get(d.id, Counts()), scope.narrowed(by, d.id), d)
            for d in duties
        ]
    else:
        names = _names(by, [k for k in per_key if k is not None])
        rows = [
            Row(
                key,
                *names.get(key, UNHELD[by]),
                counts,
                scope.narrowed(by, key),
            )
            for key, counts in per_key.items()
        ]
        rows.sort(key=lambda r: (r.key is None, r.hint if by == "team" else "", r.label.lower()))
    return Table(by, scope, rows, figures.total(r.counts for r in rows))


def _names(by: str, keys: list) -> dict[object, tuple[str, str]]:
    """key -> (label, hint) for the rows of a breakdown (one query)."""
    from carebridge.organisations.models import Organisation, Team, Worker

    if not keys:
        return {}
    if by == "organisation":
        return {
            o.pk: (o.name, ORGANISATION_KINDS.get(o.kind, o.get_kind_display()))
            for o in Organisation.objects.filter(pk__in=keys)
        }
    if by == "team":
        return {
            t.pk: (t.name, f"{t.organisation.name} · {kind_label(t.organisation.kind)}")
            for t in Team.objects.filter(pk__in=keys).select_related("organisation")
        }
    return {
        w.pk: (str(w), w.team.name if w.team else "No team")
        for w in Worker.objects.filter(pk__in=keys)
    }


def kind_label(kind: str) -> str:
    return ORGANISATION_KINDS.get(kind, kind)


# --- the people behind a figure -----------------------------------------------------------------


def names_people(worker) -> bool:
    """Whether lists show this worker names and links (they may open records at all)."""
    return can(worker, Capability.VIEW_PERSON)


def listable(worker, rows: QuerySet[DutyState]) -> QuerySet[DutyState]:
    """The rows this worker may see listed (ADR 0013)."""
    if names_people(worker):
        from carebridge.casework.access import visible_people

        # A semi-join: who the worker may open is worked out once, not once per row.
        return rows.filter(person_id__in=visible_people(worker).values("pk"))
    return rows.filter(person__is_restricted=False)


def people_behind(worker, scope: Scope, figure: str | None, today: dt.date) -> tuple[int, QuerySet]:
    """(how many rows the figure counts, the rows this worker may see listed, in order)."""
    rows = DutyState.objects.filter(scope.q() & figure_q(figure, today))
    counted = rows.count()
    shown = (
        listable(worker, rows)
        .select_related("person", "worker", "team", "organisation")
        .order_by("due", "person__person_id", "duty_id")
    )
    return counted, shown


@dataclass(frozen=True)
class Listed:
    """One (duty, person) row as a list shows it (``name`` is empty when the viewer may not
    open records: ADR 0013)."""

    duty: Duty
    person_id: str
    name: str
    figure: str
    clock_start: dt.date
    due: dt.date
    met_on: dt.date | None
    worker: str
    team: str
    organisation: str
    explanation: str

    @property
    def needs_action(self) -> bool:
        return self.figure in ("overdue", "due_soon", "due_later", "due")


def list_name(person) -> str:
    """As caseloads and search list people: FAMILY, Given."""
    return f"{person.family_name.upper()}, {person.given_name}"


def listed_today(row: DutyState, today: dt.date, *, names: bool) -> Listed:
    return Listed(
        duty=DUTIES[row.duty_id],
        person_id=row.person.person_id,
        name=list_name(row.person) if names else "",
        figure=figures.figure_of(row.state, row.due, today),
        clock_start=row.clock_start,
        due=row.due,
        met_on=row.met_on,
        worker=str(row.worker) if row.worker else "",
        team=row.team.name if row.team else "",
        organisation=row.organisation.name if row.organisation else "",
        explanation=row.explanation,
    )


def _month_figure(state: str) -> str:
    return "excluded" if state in (NOT_APPLICABLE, EXEMPT) else state


def people_at_month_end(worker, scope: Scope, figure: str | None, as_of: dt.date):
    """The people behind a month end's figure of one duty, as the engine judges that day now
    (records entered since with earlier dates count). (counted, listable engine results)."""
    from carebridge.casework.access import visible_people
    from carebridge.people.models import Person

    from . import engine

    def holds(value, key) -> bool:
        return value is None or (key is None if value == NOT_ALLOCATED else key == value)

    results = [
        r
        for r in engine.evaluate(as_of, [scope.duty])
        if (figure is None or _month_figure(r.state.value) == figure)
        and holds(scope.organisation, r.organisation_id)
        and holds(scope.team, r.team_id)
        and holds(scope.worker, r.worker_id)
    ]
    if names_people(worker):
        allowed = set(visible_people(worker).values_list("pk", flat=True))
        shown = [r for r in results if r.person_pk in allowed]
    else:
        hidden = set(Person.objects.filter(is_restricted=True).values_list("pk", flat=True))
        shown = [r for r in results if r.person_pk not in hidden]
    shown.sort(key=lambda r: (r.due, r.person_id))
    return len(results), shown


def listed_at(results: list, *, names: bool) -> list[Listed]:
    """A page of engine results as listed (three queries for the names on the page)."""
    from carebridge.organisations.models import Organisation, Team, Worker
    from carebridge.people.models import Person

    people = {
        p.pk: list_name(p)
        for p in Person.objects.filter(pk__in=[r.person_pk for r in results]).only(
            "given_name", "family_name"
        )
    } if names else {}  # fmt: skip
    workers = {w.pk: str(w) for w in Worker.objects.filter(pk__in={r.worker_id for r in results})}
    teams = dict(Team.objects.filter(pk__in={r.team_id for r in results}).values_list("pk", "name"))
    orgs = dict(
        Organisation.objects.filter(pk__in={r.organisation_id for r in results}).values_list(
            "pk", "name"
        )
    )
    return [
        Listed(
            duty=r.definition,
            person_id=r.person_id,
            name=people.get(r.person_pk, ""),
            figure=_month_figure(r.state.value),
            clock_start=r.clock_start,
            due=r.due,
            met_on=r.met_on,
            worker=workers.get(r.worker_id, ""),
            team=teams.get(r.team_id, ""),
            organisation=orgs.get(r.organisation_id, ""),
            explanation=r.explanation,
        )
        for r in results
    ]


# --- monthly trends -----------------------------------------------------------------------------


@dataclass
class Trend:
    duty: Duty
    months: list[tuple[dt.date, Counts]]


def recorded_month_ends(limit: int = TREND_MONTHS) -> list[dt.date]:
    """The latest month ends with a snapshot, oldest first."""
    ends = (
        DutySnapshot.objects.order_by("-month_end")
        .values_list("month_end", flat=True)
        .distinct()[:limit]
    )
    return sorted(ends)


def trends(scope: Scope, ends: list[dt.date]) -> list[Trend]:
    """Each duty's counts at each month end (one aggregate query)."""
    if not ends:
        return []
    rows = (
        DutySnapshot.objects.filter(scope.q(), month_end__in=ends)
        .values("month_end", "duty_id", "state")
        .annotate(people=Sum("people"))
        .order_by()
    )
    states: dict[tuple[str, dt.date], dict[str, int]] = defaultdict(dict)
    for r in rows:
        states[(r["duty_id"], r["month_end"])][r["state"]] = r["people"]
    duties = [DUTIES[scope.duty]] if scope.duty else list(DUTIES.values())
    return [
        Trend(
            d,
            [
                (end, figures.from_states(states.get((d.id, end), {}), recurring=d.recurring))
                for end in ends
            ],
        )
        for d in duties
    ]
