"""The person's page's reads, written as SQL.

The person's page is the busiest page in the product, and on it Django's query building cost
far more than the queries: over ten times, for the small per-person tables (measured with
``bench/bench_pages.py``; ADR 0011). So its fixed set of reads is written here as plain SQL,
run through ``Model.objects.raw()``: the rows come back as the same model instances, with the
same field conversions (dates, time zones), as the ORM gives. Related rows the page names (the
worker, team, organisation, provider, carer) are joined in the same statement and attached as
model instances holding only the columns the page shows, so templates read ``allocation.team.name``
as before and nothing is lazily loaded.

Only reads for a person whose access the caller has already checked
(``casework.guards.person_view``). Every statement is the same on SQLite and PostgreSQL;
tests/people/test_record_reads.py compares each with its ORM equivalent on both.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Model

from carebridge.casework.models import Allocation, CaseNote, Event
from carebridge.core.models import RestrictedAccess
from carebridge.organisations.models import Organisation, Team, Worker

from .models import CarerRelationship, Person

_PERSON_ROWS = "SELECT * FROM {table} WHERE person_id = %s ORDER BY {order}"


def person_rows[M: Model](model: type[M], person_pk: int, order: str) -> list[M]:
    """All of a person's rows of a small per-person table (names, status histories, alerts).
    ``order`` is SQL written in code, never from input."""
    sql = _PERSON_ROWS.format(table=model._meta.db_table, order=order)
    return list(model.objects.raw(sql, [person_pk]))


def _tables() -> dict[str, str]:
    return {
        "allocation": Allocation._meta.db_table,
        "team": Team._meta.db_table,
        "organisation": Organisation._meta.db_table,
        "worker": Worker._meta.db_table,
        "event": Event._meta.db_table,
        "note": CaseNote._meta.db_table,
        "carer": CarerRelationship._meta.db_table,
        "person": Person._meta.db_table,
        "restricted": RestrictedAccess._meta.db_table,
    }


def _sql(template: str, **workers: str) -> str:
    """``template`` with its tables named, and for each worker join (table alias -> the name
    the row's relation has) the worker's name columns as ``{relation}``."""
    tables = _tables()
    return template.format(
        worker_table=tables.pop("worker"),
        **tables,
        **{relation: _worker_columns(alias, relation) for alias, relation in workers.items()},
    )


def _worker_columns(alias: str, prefix: str) -> str:
    return ", ".join(
        f"{alias}.{col} AS {prefix}_{col}" for col in ("first_name", "last_name", "username")
    )


def _worker(row: Any, prefix: str, pk: int | None) -> Worker | None:
    if pk is None:
        return None
    return Worker(
        pk=pk,
        first_name=getattr(row, f"{prefix}_first_name"),
        last_name=getattr(row, f"{prefix}_last_name"),
        username=getattr(row, f"{prefix}_username"),
    )


_ALLOCATIONS_SQL = """
SELECT a.id, a.person_id, a.team_id, a.worker_id, a.allocated_by_id, a.started_at, a.ended_at,
  a.reason, t.name AS team_name, t.organisation_id AS organisation_id,
  o.name AS organisation_name, {worker}, {allocated_by}
FROM {allocation} a
JOIN {team} t ON t.id = a.team_id
JOIN {organisation} o ON o.id = t.organisation_id
LEFT JOIN {worker_table} w ON w.id = a.worker_id
LEFT JOIN {worker_table} b ON b.id = a.allocated_by_id
WHERE a.person_id = %s
ORDER BY a.started_at DESC, a.id DESC
"""


def allocations(person_pk: int) -> list[Allocation]:
    """Every allocation of the person, newest first, with team, organisation and workers."""
    sql = _sql(_ALLOCATIONS_SQL, w="worker", b="allocated_by")
    rows = list(Allocation.objects.raw(sql, [person_pk]))
    for a in rows:
        a.team = Team(
            pk=a.team_id,
            name=a.team_name,
            organisation=Organisation(pk=a.organisation_id, name=a.organisation_name),
        )
        a.worker = _worker(a, "worker", a.worker_id)
        a.allocated_by = _worker(a, "allocated_by", a.allocated_by_id)
    return rows


_CARERS_SQL = """
SELECT r.*, c.person_id AS carer_person_id, c.given_name AS carer_given_name,
  c.family_name AS carer_family_name, f.person_id AS cared_for_person_id,
  f.given_name AS cared_for_given_name, f.family_name AS cared_for_family_name,
  c.is_restricted AND NOT EXISTS (
    SELECT 1 FROM {restricted} ra WHERE ra.person_id = c.id AND ra.worker_id = %s
  ) AS carer_withheld,
  f.is_restricted AND NOT EXISTS (
    SELECT 1 FROM {restricted} ra WHERE ra.person_id = f.id AND ra.worker_id = %s
  ) AS cared_for_withheld
FROM {carer} r
JOIN {person} c ON c.id = r.carer_id
JOIN {person} f ON f.id = r.cared_for_id
WHERE r.carer_id = %s OR r.cared_for_id = %s
ORDER BY r.id
"""


def carer_relationships(person_pk: int, viewer_pk: int | None = None) -> list[CarerRelationship]:
    """The person's unpaid carer relationships, both ways, with both people's names. The other
    person's name and council ID are withheld (``withheld`` set, names blank) when their record
    is restricted and the viewer is not named on it: a restricted person is not revealed
    through someone else's page (casework.access)."""
    sql = _sql(_CARERS_SQL)
    viewer = viewer_pk if viewer_pk is not None else -1
    rows = list(CarerRelationship.objects.raw(sql, [viewer, viewer, person_pk, person_pk]))
    for r in rows:
        for side in ("carer", "cared_for"):
            other_pk = getattr(r, f"{side}_id")
            withheld = bool(getattr(r, f"{side}_withheld")) and other_pk != person_pk
            other = Person(
                pk=other_pk,
                person_id="" if withheld else getattr(r, f"{side}_person_id"),
                given_name="" if withheld else getattr(r, f"{side}_given_name"),
                family_name="" if withheld else getattr(r, f"{side}_family_name"),
            )
            other.withheld = withheld
            setattr(r, side, other)
    return rows


_EVENTS_SQL = """
SELECT e.*, p.name AS provider_name, {worker}
FROM {event} e
LEFT JOIN {organisation} p ON p.id = e.provider_id
LEFT JOIN {worker_table} w ON w.id = e.worker_id
WHERE e.person_id = %s
ORDER BY e.start_date DESC, e.id DESC
LIMIT %s
"""


def latest_events(person_pk: int, limit: int) -> list[Event]:
    """The person's ``limit`` latest events, with their provider and worker."""
    rows = list(Event.objects.raw(_sql(_EVENTS_SQL, w="worker"), [person_pk, limit]))
    for e in rows:
        e.provider = Organisation(pk=e.provider_id, name=e.provider_name) if e.provider_id else None
        e.worker = _worker(e, "worker", e.worker_id)
    return rows


_NOTES_SQL = """
SELECT n.*, {author}
FROM {note} n
LEFT JOIN {worker_table} w ON w.id = n.author_id
WHERE n.person_id = %s
ORDER BY n.occurred_at DESC, n.id DESC
LIMIT %s
"""


def latest_case_notes(person_pk: int, limit: int) -> list[CaseNote]:
    """The person's ``limit`` latest case notes, with their author."""
    rows = list(CaseNote.objects.raw(_sql(_NOTES_SQL, w="author"), [person_pk, limit]))
    for n in rows:
        n.author = _worker(n, "author", n.author_id)
    return rows


_COUNTS_SQL = (
    "SELECT (SELECT COUNT(*) FROM {event} WHERE person_id = %s),"
    " (SELECT COUNT(*) FROM {note} WHERE person_id = %s)"
)


def timeline_counts(person_pk: int) -> tuple[int, int]:
    """How many events and case notes the person has, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(_COUNTS_SQL), [person_pk, person_pk])
        n_events, n_notes = cursor.fetchone()
    return n_events, n_notes
