"""Reads of a person's record for pages. Callers must have checked access first
(``casework.guards.person_view`` does this for every person page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from carebridge.casework.models import Allocation, CaseNote, Event

from .models import (
    AccommodationStatusRecord,
    CarerRelationship,
    EmploymentStatusRecord,
    Person,
    PersonAlert,
    PersonName,
)

TIMELINE_PAGE_SIZE = 50


@dataclass
class TimelineEntry:
    when: dt.date
    sort_key: tuple
    kind: str  # "event", "note" or "allocation"
    item: Any


@dataclass
class PersonRecord:
    person: Person
    names: list[PersonName]
    accommodation: list[AccommodationStatusRecord]
    employment: list[EmploymentStatusRecord]
    carers: list[CarerRelationship]
    caring_for: list[CarerRelationship]
    alerts: list[PersonAlert]
    allocations: list[Allocation]
    timeline: list[TimelineEntry] = field(default_factory=list)
    timeline_page: int = 1
    timeline_pages: int = 1
    timeline_total: int = 0

    @property
    def current_allocation(self) -> Allocation | None:
        return next((a for a in self.allocations if a.ended_at is None), None)

    @property
    def previous_names(self) -> list[PersonName]:
        return [n for n in self.names if n.kind != PersonName.Kind.CURRENT]

    @property
    def current_accommodation(self) -> AccommodationStatusRecord | None:
        today = timezone.localdate()
        return next((a for a in self.accommodation if a.valid_from <= today), None)

    @property
    def current_employment(self) -> EmploymentStatusRecord | None:
        today = timezone.localdate()
        return next((e for e in self.employment if e.valid_from <= today), None)

    @property
    def active_alerts(self) -> list[PersonAlert]:
        today = timezone.localdate()
        return [a for a in self.alerts if a.ends_on is None or a.ends_on >= today]


def person_by_id(person_id: str) -> Person | None:
    return Person.objects.select_related("gp_practice").filter(person_id=person_id).first()


def person_record(person: Person, *, timeline_page: int = 1) -> PersonRecord:
    """Everything on the person's page in a fixed number of queries."""
    record = PersonRecord(
        person=person,
        names=list(person.names.all()),
        accommodation=list(
            AccommodationStatusRecord.objects.filter(person=person).select_related("recorded_by")
        ),
        employment=list(EmploymentStatusRecord.objects.filter(person=person)),
        carers=[],
        caring_for=[],
        alerts=list(PersonAlert.objects.filter(person=person)),
        allocations=list(
            Allocation.objects.filter(person=person).select_related(
                "team", "team__organisation", "worker", "allocated_by"
            )
        ),
    )
    relationships = CarerRelationship.objects.filter(Q(carer=person) | Q(cared_for=person))
    for rel in relationships.select_related("carer", "cared_for"):
        (record.carers if rel.cared_for_id == person.pk else record.caring_for).append(rel)
    _fill_timeline(record, max(timeline_page, 1))
    return record


_COUNTS_SQL = (
    "SELECT (SELECT COUNT(*) FROM {events} WHERE person_id = %s),"
    " (SELECT COUNT(*) FROM {notes} WHERE person_id = %s)"
)


def _timeline_counts(person_pk: int) -> tuple[int, int]:
    """How many events and case notes the person has, in one query (plain SQL: the ORM's
    correlated-subquery form cost more to build than to run on this, the busiest page)."""
    sql = _COUNTS_SQL.format(events=Event._meta.db_table, notes=CaseNote._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [person_pk, person_pk])
        n_events, n_notes = cursor.fetchone()
    return n_events, n_notes


def _fill_timeline(record: PersonRecord, page: int) -> None:
    """Events, case notes and allocations, newest first, one page at a time. Each source is
    read once, limited to what the page needs, so the query count does not grow with history."""
    person = record.person
    upto = page * TIMELINE_PAGE_SIZE
    events = Event.objects.filter(person=person).select_related("team", "worker", "provider")
    notes = CaseNote.objects.filter(person=person).select_related("author")
    n_events, n_notes = _timeline_counts(person.pk)
    entries = [
        TimelineEntry(e.start_date, (e.start_date, 1, e.pk), "event", e)
        for e in events.order_by("-start_date", "-pk")[:upto]
    ]
    entries += [
        TimelineEntry(
            timezone.localtime(n.occurred_at).date(),
            (timezone.localtime(n.occurred_at).date(), 2, n.pk),
            "note",
            n,
        )
        for n in notes.order_by("-occurred_at", "-pk")[:upto]
    ]
    entries += [
        TimelineEntry(
            timezone.localtime(a.started_at).date(),
            (timezone.localtime(a.started_at).date(), 0, a.pk),
            "allocation",
            a,
        )
        for a in record.allocations
    ]
    entries.sort(key=lambda e: e.sort_key, reverse=True)
    total = n_events + n_notes + len(record.allocations)
    start = (page - 1) * TIMELINE_PAGE_SIZE
    record.timeline = list(islice(entries, start, start + TIMELINE_PAGE_SIZE))
    record.timeline_total = total
    record.timeline_page = page
    record.timeline_pages = max(1, -(-total // TIMELINE_PAGE_SIZE))
