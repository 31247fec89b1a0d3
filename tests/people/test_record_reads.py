"""The person's page reads its record by plain SQL (people/record_reads.py). Each read must give
what the ORM gives: the same rows, in the same order, with the same converted values (dates,
time zones, booleans) and the same related names, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carebridge.casework.models import Allocation, CaseNote, Event
from carebridge.people import record_reads as reads
from carebridge.people.models import (
    AccommodationStatusRecord,
    CarerRelationship,
    EmploymentStatusRecord,
    PersonAlert,
    PersonName,
)
from carebridge.rules import cld
from tests.factories import (
    AllocationFactory,
    CaseNoteFactory,
    EventFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    WorkerFactory,
)

pytestmark = pytest.mark.django_db


def _fields(obj, names):
    return {n: getattr(obj, n) for n in names}


def _same(raw, orm, names):
    assert [_fields(r, names) for r in raw] == [_fields(o, names) for o in orm]


@pytest.fixture
def history():
    """A person with some of everything the page shows, including the awkward cases: a
    previous name with no end date, rows on the same date, an allocation with no named worker,
    an event with no provider or worker, a carer relationship each way."""
    person = PersonFactory(given_name="Ada", family_name="Okafor")
    PersonName.objects.create(person=person, kind="previous", given_name="Ada", family_name="Bell")
    PersonName.objects.create(
        person=person,
        kind="previous",
        given_name="Ada",
        family_name="Brown",
        used_until=dt.date(2001, 5, 1),
    )
    statuses = [value for value, _ in cld.choices(cld.ACCOMMODATION_STATUS)[:3]]
    for status, day in zip(statuses, (1, 1, 20), strict=True):
        AccommodationStatusRecord.objects.create(
            person=person, status=status, valid_from=dt.date(2024, 3, day)
        )
    EmploymentStatusRecord.objects.create(
        person=person,
        status=cld.choices(cld.EMPLOYMENT_STATUS)[0][0],
        valid_from=dt.date(2020, 1, 1),
    )
    PersonAlert.objects.create(
        person=person, kind="risk_to_staff", details="Dog", starts_on=dt.date(2025, 1, 1)
    )
    PersonAlert.objects.create(
        person=person,
        kind="risk_to_staff",
        details="Ended",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2024, 6, 1),
    )
    council = OrganisationFactory(name="Example County Council")
    team = TeamFactory(name="Older people north", organisation=council)
    worker = WorkerFactory(first_name="Sam", last_name="Whitlock", team=team)
    manager = WorkerFactory(first_name="", last_name="", username="tm.only", team=team)
    now = timezone.now()
    AllocationFactory(
        person=person,
        team=team,
        worker=None,
        started_at=now - dt.timedelta(days=90),
        ended_at=now - dt.timedelta(days=30),
    )
    AllocationFactory(
        person=person,
        team=team,
        worker=worker,
        allocated_by=manager,
        started_at=now - dt.timedelta(days=30),
    )
    provider = OrganisationFactory(kind="provider", name="Bright Homecare")
    EventFactory(person=person, start_date=dt.date(2025, 2, 1), end_date=None)
    EventFactory(
        person=person,
        event_type=cld.SERVICE,
        start_date=dt.date(2025, 2, 1),
        end_date=None,
        outcome="",
        provider=provider,
        worker=worker,
    )
    CaseNoteFactory(person=person, author=worker)
    CaseNoteFactory(person=person, author=manager, occurred_at=now - dt.timedelta(days=1))
    carer = PersonFactory(given_name="Ben", family_name="Okafor")
    cared_for = PersonFactory(given_name="Cleo", family_name="Okafor")
    CarerRelationship.objects.create(carer=carer, cared_for=person, relationship="spouse_partner")
    CarerRelationship.objects.create(carer=person, cared_for=cared_for, relationship="parent")
    return person


@pytest.mark.parametrize(
    ("model", "order"),
    [
        (PersonName, "kind, used_until DESC"),
        (AccommodationStatusRecord, "valid_from DESC, id DESC"),
        (EmploymentStatusRecord, "valid_from DESC, id DESC"),
        (PersonAlert, "starts_on DESC, id DESC"),
    ],
)
def test_person_rows_match_the_orm(history, model, order):
    raw = reads.person_rows(model, history.pk, order)
    orm = list(model.objects.filter(person=history))  # the model's own ordering
    names = [f.attname for f in model._meta.concrete_fields]
    assert raw, "the fixture must give every table rows"
    if model is not PersonName:  # NULL used_until sorts differently per database, as in the ORM
        _same(raw, orm, names)
    else:
        assert sorted(_fields(r, names).items() for r in raw) == sorted(
            _fields(o, names).items() for o in orm
        )


def test_allocations_match_the_orm_with_names_attached(history):
    raw = reads.allocations(history.pk)
    orm = list(
        Allocation.objects.filter(person=history).select_related(
            "team__organisation", "worker", "allocated_by"
        )
    )
    _same(raw, orm, [f.attname for f in Allocation._meta.concrete_fields if f.name != "note"])
    for r, o in zip(raw, orm, strict=True):
        assert timezone.is_aware(r.started_at)
        assert r.team.name == o.team.name
        assert r.team.organisation.name == o.team.organisation.name
        assert str(r.worker) == str(o.worker) if o.worker else r.worker is None
        assert (
            str(r.allocated_by) == str(o.allocated_by) if o.allocated_by else r.allocated_by is None
        )


def test_events_match_the_orm_with_provider_and_worker(history):
    raw = reads.latest_events(history.pk, 50)
    orm = list(
        Event.objects.filter(person=history)
        .select_related("provider", "worker")
        .order_by("-start_date", "-pk")
    )
    _same(raw, orm, [f.attname for f in Event._meta.concrete_fields])
    for r, o in zip(raw, orm, strict=True):
        assert (r.provider.name if r.provider else None) == (
            o.provider.name if o.provider else None
        )
        assert (str(r.worker) if r.worker else None) == (str(o.worker) if o.worker else None)
    assert len(reads.latest_events(history.pk, 1)) == 1


def test_case_notes_match_the_orm_with_authors(history):
    raw = reads.latest_case_notes(history.pk, 50)
    orm = list(
        CaseNote.objects.filter(person=history)
        .select_related("author")
        .order_by("-occurred_at", "-pk")
    )
    _same(raw, orm, [f.attname for f in CaseNote._meta.concrete_fields])
    assert [str(r.author) for r in raw] == [str(o.author) for o in orm]
    assert "tm.only" in [str(r.author) for r in raw]  # no name: the username, as Worker.__str__


def test_carer_relationships_both_ways(history):
    raw = reads.carer_relationships(history.pk)
    orm = list(
        CarerRelationship.objects.filter(Q(carer=history) | Q(cared_for=history))
        .select_related("carer", "cared_for")
        .order_by("pk")
    )
    _same(raw, orm, [f.attname for f in CarerRelationship._meta.concrete_fields])
    for r, o in zip(raw, orm, strict=True):
        for side in ("carer", "cared_for"):
            assert getattr(r, side).full_name == getattr(o, side).full_name
            assert getattr(r, side).person_id == getattr(o, side).person_id


def test_timeline_counts(history):
    assert reads.timeline_counts(history.pk) == (2, 2)
    assert reads.timeline_counts(PersonFactory().pk) == (0, 0)


def test_nothing_is_loaded_lazily_afterwards(history):
    """The page reads related names from what the reads attached: no query per row."""
    allocations = reads.allocations(history.pk)
    events = reads.latest_events(history.pk, 50)
    notes = reads.latest_case_notes(history.pk, 50)
    carers = reads.carer_relationships(history.pk)
    shown = []
    with CaptureQueriesContext(connection) as ctx:
        for a in allocations:
            shown += [str(a.worker), a.team.name, a.team.organisation.name, str(a.allocated_by)]
            shown.append(a.get_reason_display())
        for e in events:
            shown += [str(e.worker), e.provider and e.provider.name]
        for n in notes:
            shown += [str(n.author), n.get_kind_display()]
        for c in carers:
            shown += [c.carer.full_name, c.cared_for.person_id]
    assert ctx.captured_queries == []
    assert "Bright Homecare" in shown and "Sam Whitlock" in shown
