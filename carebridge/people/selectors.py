"""Reads of a person's record for pages. Callers must have checked access first
(``casework.guards.person_view`` does this for every person page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.utils import timezone

from carebridge.casework.models import Allocation

from . import carer_offers
from . import record_reads as reads
from .models import (
    AccommodationStatusRecord,
    CarerAssessmentOffer,
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
    # caring relationship pk -> the offers of a carer's assessment made under it, newest first
    carer_offers: dict[int, list[CarerAssessmentOffer]] = field(default_factory=dict)
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


def person_record(
    person: Person, *, timeline_page: int = 1, viewer_pk: int | None = None
) -> PersonRecord:
    """Everything on the person's page in a fixed number of queries (written as SQL in
    :mod:`.record_reads`: this is the busiest page), as ``viewer_pk`` may see it: another
    person's restricted record is not named to a worker who is not named on it."""
    record = PersonRecord(
        person=person,
        names=reads.person_rows(PersonName, person.pk, "kind, used_until DESC"),
        accommodation=reads.person_rows(
            AccommodationStatusRecord, person.pk, "valid_from DESC, id DESC"
        ),
        employment=reads.person_rows(EmploymentStatusRecord, person.pk, "valid_from DESC, id DESC"),
        carers=[],
        caring_for=[],
        alerts=reads.person_rows(PersonAlert, person.pk, "starts_on DESC, id DESC"),
        allocations=reads.allocations(person.pk),
    )
    for rel in reads.carer_relationships(person.pk, viewer_pk):
        (record.carers if rel.cared_for_id == person.pk else record.caring_for).append(rel)
    record.carer_offers = carer_offers.offers_for(r.pk for r in record.carers + record.caring_for)
    _fill_timeline(record, max(timeline_page, 1))
    return record


def _fill_timeline(record: PersonRecord, page: int) -> None:
    """Events, case notes and allocations, newest first, one page at a time. Each source is
    read once, limited to what the page needs, so the query count does not grow with history."""
    person = record.person
    upto = page * TIMELINE_PAGE_SIZE
    n_events, n_notes = reads.timeline_counts(person.pk)
    entries = [
        TimelineEntry(e.start_date, (e.start_date, 1, e.pk), "event", e)
        for e in reads.latest_events(person.pk, upto)
    ]
    entries += [
        TimelineEntry(
            timezone.localtime(n.occurred_at).date(),
            (timezone.localtime(n.occurred_at).date(), 2, n.pk),
            "note",
            n,
        )
        for n in reads.latest_case_notes(person.pk, upto)
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
