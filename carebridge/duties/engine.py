"""Evaluate statutory duties for every person as of any date: set-based, one query per duty.

Each duty declaration (:mod:`carebridge.duties.spec`) becomes one ORM query that the database
runs over all clocks at once, the same on SQLite and PostgreSQL: which clock is running on the
as-of date (an anti-join), its due date (the period in force when it started, see
:mod:`carebridge.duties.standards`), the first record that met it (correlated lookups), and its
state. The query is built in stages, each a materialised common table expression (django-cte),
so every lookup runs once a row however often its value is used. Who held each case on the
date is one further query shared by all duties (:func:`holders`). Python only formats the rows
that come back.

Dates decide, not when something was typed in: "were we compliant on 31 March?" is answered
from the dates of the records (a review dated 30 March but recorded on 2 April counts as done
by 31 March). Cancelled records never count (each definition leaves them out).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django_cte import CTE, with_cte

from carebridge.casework.models import Allocation
from carebridge.core import calendar
from carebridge.core.dbvalues import date_from_db

from . import concurrent, standards
from .definitions import DUTIES
from .spec import Duty, Period, State
from .sql import AddDays, AddMonths, AddWorkingDays, DateAndRef, DateOf, RefOf

DIED = "The person died on or before the due date."


class Result(NamedTuple):
    """One (duty, person) row as of a date."""

    duty: str
    person_pk: int
    person_id: str  # the council person ID (CLD LA_Person_Unique_Identifier)
    state: State
    clock_start: dt.date
    due: dt.date
    met_on: dt.date | None
    clock_ref: str
    met_ref: str
    reason: str
    worker_id: int | None
    team_id: int | None
    organisation_id: int | None
    last_met_on: dt.date | None = None
    last_state: State | None = None

    @property
    def definition(self) -> Duty:
        return DUTIES[self.duty]

    @property
    def explanation(self) -> str:
        return explain(self)


def evaluate(
    as_of: dt.date,
    duty_ids: Iterable[str] | None = None,
    person_pks: Iterable[int] | None = None,
) -> Iterator[Result]:
    """Every (duty, person) row as of ``as_of``: all duties, or those named; all people, or
    those given (a person's page, or their refresh after a record changes)."""
    ids = list(duty_ids) if duty_ids is not None else list(DUTIES)
    unknown = [i for i in ids if i not in DUTIES]
    if unknown:
        raise KeyError(f"No such duty: {', '.join(unknown)}")
    pks = sorted(set(person_pks)) if person_pks is not None else None
    in_force = standards.in_force(ids)
    if _uses_working_days(ids, in_force):
        calendar.ensure()
    if pks is None:
        yield from _everyone(as_of, ids, in_force)
        return
    teams = dict(_team_hosts(as_of))
    held = holders(as_of, pks)
    for duty_id in ids:
        duty = DUTIES[duty_id]
        if len(pks) == 1:
            rows = _prepared(duty_id, as_of, _signature(in_force, duty_id)).run(pks[0])
        else:
            rows = _Statement.of(_query(duty, as_of, pks, in_force)).rows()
        if duty.starts.also_held_by:
            # Some rows answer to another person's holder: read theirs too (one query).
            rows = list(rows)
            others = {row[-1] for row in rows if row[-1] not in held and row[0] not in held}
            held |= holders(as_of, sorted(others)) if others else {}
        for row in rows:
            yield _result(duty, row, teams, held)


def _everyone(as_of: dt.date, ids: list[str], in_force) -> Iterator[Result]:
    """Every person's rows for the duties named: the statements read side by side over a
    few connections on one snapshot when they can be (:mod:`carebridge.duties.concurrent`),
    otherwise in turn."""
    shared = [
        _sql(_team_hosts(as_of)),
        _sql(_holding(as_of)),
    ]
    n = concurrent.connections_for(len(ids))  # the shared reads are small
    if n == 1:
        yield from _in_turn(as_of, ids, in_force, shared)
        return
    # Recurring duties cost most a row (several lookups each): built and started first, so
    # that no connection is left with a long one at the end. Each statement is built while
    # the readers work on those before it.
    order = sorted(ids, key=lambda i: not DUTIES[i].recurring)

    def reads():
        yield from shared
        for duty_id in order:
            statement = _Statement.of(_query(DUTIES[duty_id], as_of, None, in_force))
            yield statement.sql, statement.params

    results = concurrent.fetch_all(reads(), n)
    try:
        teams = dict(next(results))
    except concurrent.Unavailable:  # SQLite, while another connection writes
        yield from _in_turn(as_of, ids, in_force, shared)
        return
    held = {person: (worker, team) for person, worker, team in next(results)}
    waiting: dict[str, list[tuple]] = {}
    arriving = iter(order)
    for duty_id in ids:  # the rows in the order asked for
        while duty_id not in waiting:
            waiting[next(arriving)] = next(results)
        duty = DUTIES[duty_id]
        for row in waiting.pop(duty_id):
            yield _result(duty, row, teams, held)


def _in_turn(as_of: dt.date, ids: list[str], in_force, shared: list) -> Iterator[Result]:
    """The county's rows read one statement after another on this thread's connection."""
    results = (_Statement(*r).rows() for r in shared)
    teams = dict(next(results))
    held = {person: (worker, team) for person, worker, team in next(results)}
    for duty_id in ids:
        duty = DUTIES[duty_id]
        for row in _Statement.of(_query(duty, as_of, None, in_force)).rows():
            yield _result(duty, row, teams, held)


def _team_hosts(as_of: dt.date) -> QuerySet:
    """(team, organisation) on the as-of date: the team's host then (partnerships history),
    so that judging a past month after a team moved does not rewrite it. One small query."""
    from carebridge.partnerships.history import team_hosts

    return team_hosts(as_of)


def _sql(qs: QuerySet) -> tuple[str, tuple]:
    sql, params = qs.query.sql_with_params()
    return sql, tuple(params)


def _query(duty: Duty, as_of: dt.date, pks, in_force) -> QuerySet:
    build = _recurring if duty.recurring else _once
    return _select(build(duty, as_of, pks, in_force))


# --- one person, many times: the compiled statement is kept ------------------------------
#
# Refreshing one person after a record changes runs every duty's query for that person.
# Building and compiling those queries cost about 40 times running them (4 ms against 0.1 ms
# a duty), so each duty's statement for one person is compiled once per as-of date and run
# again with the person's key. The statement is the ORM's own, compiled with a marker value
# for the key, which must appear among the parameters (checked).

_MARKER = -7_346_912_850_113


def _signature(in_force: dict, duty_id: str) -> tuple:
    return tuple((v.effective_from, v.period) for v in in_force.get(duty_id, []))


@dataclass(frozen=True)
class _Statement:
    """A duty's compiled SQL, run on the connection's cursor: rows come back as tuples in
    ``_COLUMNS`` order and :func:`_result` converts them (the ORM's row machinery costs more
    than the query on a county's 50,000 rows)."""

    sql: str
    params: tuple
    slots: tuple[int, ...] = ()

    @classmethod
    def of(cls, qs: QuerySet, slots_for: object = None) -> _Statement:
        sql, params = qs.query.sql_with_params()
        q = qs.query
        # The select list's order, as Django's own ValuesIterable reads it.
        columns = (
            tuple(q.selected)
            if q.selected
            else (*q.extra_select, *q.values_select, *q.annotation_select)
        )
        if columns != _COLUMNS:
            raise RuntimeError(f"unexpected select list {columns}")
        slots = tuple(i for i, p in enumerate(params) if slots_for is not None and p == slots_for)
        return cls(sql, tuple(params), slots)

    def rows(self, params: list | tuple | None = None) -> Iterator[tuple]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params if params is None else params)
            while chunk := cursor.fetchmany(5000):
                yield from chunk

    def run(self, person_pk: int) -> list[tuple]:
        params = list(self.params)
        for i in self.slots:
            params[i] = person_pk
        return list(self.rows(params))


@functools.lru_cache(maxsize=256)
def _prepared(duty_id: str, as_of: dt.date, signature: tuple) -> _Statement:
    duty = DUTIES[duty_id]
    versions = [standards.Version(f, p) for f, p in signature]
    qs = _query(duty, as_of, [_MARKER], {duty_id: versions} if versions else {})
    statement = _Statement.of(qs, slots_for=_MARKER)
    if not statement.slots:
        raise RuntimeError(f"{duty_id}: the person's key is not a parameter of its statement")
    return statement


# The select list: output name -> the last stage's column.
_OUTPUT = {
    "person": "_person",
    "person_id": "_person_id",
    "start": "_start",
    "ref": "_ref",
    "due": "_due",
    "met_on": "_met_on",
    "met_ref": "_met_ref",
    "state": "_state",
    "reason": "_reason",
    "last_met_on": "_last_met_on",
    "last_state": "_last_state",
    "also_held_by": "_also_held_by",
}
_COLUMNS = tuple(_OUTPUT)
_DATES = frozenset({"start", "due", "met_on", "last_met_on"})


class _AsText(Func):
    """A date column as SQLite stores it, ISO text, without its declared type: the sqlite3
    module would otherwise parse it with a Python converter per value (a third of the
    application's time on a county); :func:`_day` reads the text. PostgreSQL: unchanged."""

    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"+{sql}", params

    def as_sql(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])


def _select(rows: QuerySet) -> QuerySet:
    return rows.values(
        **{
            out: _AsText(F(column)) if out in _DATES else F(column)
            for out, column in _OUTPUT.items()
        }
    )


_STATES = {state.value: state for state in State}
_DATE = dt.date


def _day(value) -> dt.date | None:
    """A date from a row: already one (PostgreSQL), or ISO text (SQLite)."""
    if value is None or value.__class__ is _DATE:
        return value
    if value.__class__ is str and len(value) == 10:
        return _DATE.fromisoformat(value)
    return date_from_db(value)


_NOBODY = (None, None)
_STATES_OR_NONE = {**_STATES, None: None, "": None}
_tuple = tuple.__new__  # a Result from its fields in order, without NamedTuple's keyword handling


def _result(duty: Duty, row: tuple, teams: dict[int, int], held: dict[int, tuple]) -> Result:
    """A row in ``_COLUMNS`` order as a :class:`Result` (run for every row of a county: kept
    to plain lookups)."""
    person, person_id, start, ref, due, met_on, met_ref, state, reason, last_met, last, also = row
    worker, team = held.get(person) or held.get(also) or _NOBODY
    return _tuple(
        Result,
        (
            duty.id,
            person,
            person_id,
            _STATES[state],
            start if start.__class__ is _DATE else _day(start),
            due if due.__class__ is _DATE else _day(due),
            met_on if met_on is None or met_on.__class__ is _DATE else _day(met_on),
            ref or "",
            met_ref or "",
            reason or "",
            worker,
            team,
            teams.get(team),
            last_met if last_met is None or last_met.__class__ is _DATE else _day(last_met),
            _STATES_OR_NONE[last],
        ),
    )


# --- building blocks ---------------------------------------------------------------------


def _shift(expression, period: Period):
    if period.months:
        return AddMonths(expression, period.months)
    if period.working_days:
        return AddWorkingDays(expression, period.working_days)
    return AddDays(expression, period.days)


def _uses_working_days(ids: list[str], in_force: dict[str, list[standards.Version]]) -> bool:
    periods = [p for i in ids for p in (DUTIES[i].period, DUTIES[i].first_period) if p]
    periods += [v.period for i in ids for v in in_force.get(i, [])]
    return any(p.working_days for p in periods)


def _due(duty: Duty, start, in_force: dict[str, list[standards.Version]], period=None):
    """``start`` plus the period in force on the start date (a council's local standard, if it
    set one by then; otherwise the definition's)."""
    default = period or duty.period
    versions = in_force.get(duty.id, []) if period is None else []
    if not versions:
        return _shift(start, default)
    whens = [
        When(Q(**{f"{start.name}__gte": v.effective_from}), then=_shift(start, v.period))
        for v in sorted(versions, key=lambda v: v.effective_from, reverse=True)
    ]
    return Case(*whens, default=_shift(start, default), output_field=DateField())


def _end_of(as_of: dt.date) -> dt.datetime:
    """The first moment after the as-of date, in the council's time zone."""
    return timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()))


def holders(as_of: dt.date, person_pks: list[int] | None = None) -> dict[int, tuple]:
    """Who held each person's case at the end of the as-of date: person pk -> (worker pk, team
    pk), from their allocation then (the latest started, if two overlap). One query for all
    duties: a person has one holder on a date whatever the duty."""
    rows = _holding(as_of, person_pks)
    return {person: (worker, team) for person, worker, team in rows.iterator(chunk_size=5000)}


def _holding(as_of: dt.date, person_pks: list[int] | None = None) -> QuerySet:
    """(person, worker, team) of the allocations open at the end of the as-of date, the
    latest started last."""
    end = _end_of(as_of)
    held = Allocation.objects.filter(started_at__lt=end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=end)
    )
    if person_pks is not None:
        held = held.filter(person_id__in=person_pks)
    return held.order_by("person_id", "started_at", "pk").values_list(
        "person_id", "worker_id", "team_id"
    )


def _exclusion_flags(duty: Duty, as_of: dt.date) -> dict:
    """Whether each exclusion applies to the clock's record, and the date it is judged by if
    any (first stage: the record's fields are only there; the due date comes later)."""
    flags = {}
    for i, ex in enumerate(duty.exclusions):
        flags[f"_excluded_{i}"] = Case(
            When(ex.condition(as_of), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        if ex.by_due:
            flags[f"_excluded_on_{i}"] = Cast(ex.by_due, DateField())
    return flags


def _excluded(duty: Duty, i: int, as_of: dt.date) -> Q:
    flag = Q(**{f"_excluded_{i}": True})
    if duty.exclusions[i].by_due:
        on = f"_excluded_on_{i}"
        flag &= Q(**{f"{on}__isnull": False, f"{on}__lte": as_of}) & Q(**{f"{on}__lte": F("_due")})
    return flag


def _state_case(duty: Duty, as_of: dt.date, *, exclusions: bool):
    whens = [
        When(_met_on__isnull=False, _met_on__lte=F("_due"), then=Value(State.MET.value)),
        When(_met_on__isnull=False, then=Value(State.MET_LATE.value)),
    ]
    reasons = []
    if exclusions:
        for i, ex in enumerate(duty.exclusions):
            flag = _excluded(duty, i, as_of)
            whens.append(When(flag, then=Value(ex.state.value)))
            reasons.append(When(flag, then=Value(ex.reason)))
    died = Q(_died__isnull=False, _died__lte=as_of) & Q(_died__lte=F("_due"))
    whens.append(When(died, then=Value(State.NOT_APPLICABLE.value)))
    reasons.append(When(died, then=Value(DIED)))
    whens.append(When(_due__lt=as_of, then=Value(State.OVERDUE.value)))
    state = Case(*whens, default=Value(State.DUE.value), output_field=CharField())
    reason = Case(
        When(_met_on__isnull=False, then=Value("")),
        *reasons,
        default=Value(""),
        output_field=CharField(),
    )
    return state, reason


class _Stages:
    """Rows built in stages, each a materialised common table expression the next reads as
    plain columns. Without them the ORM repeats a correlated subquery wherever its value is
    used (in the state, the reason, the due date, a later lookup...), and neither database
    shares the work."""

    def __init__(self) -> None:
        self.ctes: list[CTE] = []

    def next(self, rows: QuerySet, columns: list[str]) -> QuerySet:
        """``rows`` (selecting ``columns``) become a stage; returns a queryset reading it."""
        cte = CTE(
            rows.order_by().values(*columns),
            name=f"duty_stage_{len(self.ctes) + 1}",
            materialized=True,
        )
        self.ctes.append(cte)
        return cte.queryset().order_by()

    def final(self, rows: QuerySet) -> QuerySet:
        return with_cte(*self.ctes, select=rows)


def _date_and_ref(records: QuerySet, spec) -> Subquery:
    """The first of ``records`` (as ordered) as one 'YYYY-MM-DD|reference' value: one
    lookup a row instead of one for the date and another for the reference (the next stage
    takes it apart with :class:`DateOf` and :class:`RefOf`)."""
    packed = records.annotate(_packed=DateAndRef(F(spec.date), Cast(spec.ref, CharField())))
    return Subquery(packed.values("_packed")[:1], output_field=CharField())


def _person_fields(path: str) -> dict:
    return {
        "_person_id": F(f"{path}__person_id"),
        "_died": F(f"{path}__date_of_death"),
    }


# --- once per clock ----------------------------------------------------------------------


def _once(duty: Duty, as_of: dt.date, pks, in_force) -> QuerySet:
    s, m = duty.starts, duty.met_by
    clocks = s.queryset(as_of).filter(**{f"{s.date}__lte": as_of})
    if pks is not None:
        clocks = clocks.filter(**{f"{s.person}__in": pks})
    # The running clock: no later clock for the same person by the as-of date (an anti-join;
    # on a date tie the later record).
    later = (
        s.queryset(as_of)
        .filter(**{s.person: OuterRef(s.person), f"{s.date}__lte": as_of})
        .filter(
            Q(**{f"{s.date}__gt": OuterRef(s.date)})
            | Q(**{s.date: OuterRef(s.date), "pk__gt": OuterRef("pk")})
        )
    )
    clocks = clocks.filter(~Exists(later)).annotate(
        _person=F(s.person),
        _start=F(s.date),
        _ref=Cast(s.ref, CharField()),
        _also_held_by=F(s.also_held_by) if s.also_held_by else Value(None, IntegerField()),
        **_person_fields(s.person),
    )
    exclusions = _exclusion_flags(duty, as_of)
    first = ["_person", "_person_id", "_died", "_start", "_ref", "_also_held_by", *exclusions]
    met = m.queryset(as_of).filter(**{m.person: OuterRef("_person"), f"{m.date}__lte": as_of})
    if duty.met_on_or_after_start:
        met = met.filter(**{f"{m.date}__gte": OuterRef("_start")})
    for met_field, clock_field in duty.match.items():
        met = met.filter(**{met_field: OuterRef(clock_field)})
    met = met.order_by(m.date, "pk")
    clocks = clocks.annotate(_met=_date_and_ref(met, m), **exclusions)
    stages = _Stages()
    clocks = stages.next(clocks, [*first, "_met"])
    clocks = stages.final(clocks).annotate(
        _met_on=DateOf(F("_met")),
        _met_ref=RefOf(F("_met")),
        _due=_due(duty, F("_start"), in_force),
    )
    state, reason = _state_case(duty, as_of, exclusions=True)
    return clocks.annotate(
        _state=state,
        _reason=reason,
        _last_met_on=Value(None, output_field=DateField()),
        _last_state=Value(None, output_field=CharField()),
    )


# --- recurring ---------------------------------------------------------------------------


def _recurring(duty: Duty, as_of: dt.date, pks, in_force) -> QuerySet:
    s, m = duty.starts, duty.met_by
    # The people in scope on the date, each since the earliest of the records that put them
    # there (by date, then key): one pass over those records, grouped by person.
    in_scope = s.queryset(as_of).filter(**{f"{s.date}__lte": as_of})
    if pks is not None:
        in_scope = in_scope.filter(**{f"{s.person}__in": pks})
    people = (
        in_scope.order_by()
        .values(s.person)
        .annotate(
            _person=F(s.person),
            _person_id=F(f"{s.person}__person_id"),
            _died=F(f"{s.person}__date_of_death"),
            _first=Min(DateAndRef(F(s.date), Cast(s.ref, CharField()), key=F("pk"))),
        )
    )
    stages = _Stages()
    people = stages.next(people, ["_person", "_person_id", "_died", "_first"]).annotate(
        _trigger=DateOf(F("_first")), _trigger_ref=RefOf(F("_first"), keyed=True)
    )
    restarts = m.queryset(as_of).filter(**{m.person: OuterRef("_person"), f"{m.date}__lte": as_of})
    if not duty.earlier_records_count:
        restarts = restarts.filter(**{f"{m.date}__gte": OuterRef("_trigger")})
    latest = restarts.order_by(f"-{m.date}", "-pk")
    people = people.annotate(
        _latest=_date_and_ref(latest, m),
        _prev=Subquery(latest.values(m.date)[1:2], output_field=DateField()),
    )
    people = stages.next(
        people, ["_person", "_person_id", "_died", "_trigger", "_trigger_ref", "_latest", "_prev"]
    ).annotate(_last=DateOf(F("_latest")), _last_ref=RefOf(F("_latest")))
    first = duty.first_period or duty.period
    people = people.annotate(
        _start=Coalesce("_last", "_trigger", output_field=DateField()),
        _ref=Case(
            When(_last__isnull=True, then=F("_trigger_ref")),
            default=F("_last_ref"),
            output_field=CharField(),
        ),
        _prev_start=Coalesce("_prev", "_trigger", output_field=DateField()),
    )
    people = people.annotate(
        _due=Case(
            When(_last__isnull=True, then=_due(duty, F("_trigger"), in_force, first)),
            default=_due(duty, F("_last"), in_force, duty.period),
            output_field=DateField(),
        ),
        _prev_due=Case(
            When(_prev__isnull=True, then=_due(duty, F("_prev_start"), in_force, first)),
            default=_due(duty, F("_prev_start"), in_force, duty.period),
            output_field=DateField(),
        ),
    )
    # The dates once a row (the state, the reason and the output each use them).
    people = stages.final(
        stages.next(
            people,
            ["_person", "_person_id", "_died", "_start", "_ref", "_due", "_last", "_prev_due"],
        )
    ).annotate(
        _met_on=Value(None, output_field=DateField()),
        _met_ref=Value("", output_field=CharField()),
    )
    state, reason = _state_case(duty, as_of, exclusions=False)
    return people.annotate(
        _state=state,
        _reason=reason,
        _last_met_on=F("_last"),
        _also_held_by=Value(None, output_field=IntegerField()),
        _last_state=Case(
            When(_last__isnull=True, then=Value(None)),
            When(_last__lte=F("_prev_due"), then=Value(State.MET.value)),
            default=Value(State.MET_LATE.value),
            output_field=CharField(),
        ),
    )


# --- explanations ------------------------------------------------------------------------


def _d(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def explain(r: Result) -> str:
    """The sentence a manager reads: what started the clock, what met it, and why the state."""
    duty = DUTIES[r.duty]
    start = f"{duty.starts.label} {r.clock_ref} on {_d(r.clock_start)}".replace("  ", " ")
    if duty.recurring and r.last_met_on:
        start = f"{duty.met_by.label} {r.clock_ref} on {_d(r.clock_start)}"
    due = f"due by {_d(r.due)}"
    if r.state in (State.MET, State.MET_LATE):
        late = (r.met_on - r.due).days if r.met_on and r.state == State.MET_LATE else 0
        tail = f", {late} day{'s' if late != 1 else ''} late" if late else ", on time"
        return f"{start}; {due}; {duty.met_by.label} {r.met_ref} on {_d(r.met_on)}{tail}."
    if r.state in (State.NOT_APPLICABLE, State.EXEMPT):
        return f"{start}. {r.reason}"
    since = "since" if duty.recurring and r.last_met_on else "yet"
    text = f"{start}; {due}; no {duty.met_by.label.lower()} {since}"
    if r.state == State.OVERDUE:
        text += " (overdue)"
    if duty.recurring and r.last_met_on and r.last_state:
        text += f". The previous cycle was met {'on time' if r.last_state == State.MET else 'late'}"
    return text + "."
