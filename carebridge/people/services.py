"""Every change to a person's record goes through these functions, each writing its audit event."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from carebridge.core import audit
from carebridge.rules import dates, names, nhs_number, postcode

from .models import (
    AccommodationStatusRecord,
    CarerRelationship,
    EmploymentStatusRecord,
    Person,
    PersonAlert,
    PersonName,
    PersonNameKey,
)

PERSON_ID_PREFIX = "P"

# Fields a worker edits on the person's details page (the rest change through their own services).
EDITABLE_FIELDS = (
    "title",
    "given_name",
    "family_name",
    "preferred_name",
    "nhs_number",
    "nhs_number_status",
    "date_of_birth",
    "date_of_death",
    "gender",
    "ethnicity",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "phone",
    "email",
    "gp_practice_id",
    "primary_support_reason",
    "communication_needs",
)


class DuplicateNHSNumber(ValidationError):
    def __init__(self, existing: Person):
        super().__init__(
            {"nhs_number": "A person with this NHS number is already recorded"}, code="duplicate"
        )
        self.existing = existing


class EditConflict(Exception):
    """Someone else saved the record after this worker opened it."""

    def __init__(self, current: Person, their_changes: dict):
        super().__init__("The record was changed by someone else")
        self.current = current
        self.their_changes = their_changes


@dataclass
class PersonDetails:
    given_name: str
    family_name: str
    date_of_birth: dt.date
    gender: str
    ethnicity: str
    title: str = ""
    preferred_name: str = ""
    nhs_number: str | None = None
    nhs_number_status: str = ""
    date_of_death: dt.date | None = None
    address_line_1: str = ""
    address_line_2: str = ""
    town: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    gp_practice_id: int | None = None
    primary_support_reason: str = "Unknown"
    communication_needs: str = ""
    previous_names: list[tuple[str, str]] = field(default_factory=list)


def clean_details(details: PersonDetails, *, exclude_person: Person | None = None) -> dict:
    """Validate and normalise; raise ValidationError with every problem found, by field."""
    errors: dict[str, str] = {}
    values = {f: getattr(details, f) for f in EDITABLE_FIELDS}
    for required in ("given_name", "family_name"):
        values[required] = (values[required] or "").strip()
        if not values[required]:
            errors[required] = f"Enter the person's {required.replace('_', ' ')}"
    if values["nhs_number"]:
        try:
            values["nhs_number"] = nhs_number.parse(values["nhs_number"]).digits
        except nhs_number.InvalidNHSNumber as e:
            errors["nhs_number"] = str(e)
    else:
        values["nhs_number"] = None
    if not values["nhs_number_status"]:
        values["nhs_number_status"] = "02" if values["nhs_number"] else "07"
    if values["postcode"]:
        try:
            values["postcode"] = postcode.parse(values["postcode"])
        except postcode.InvalidPostcode as e:
            errors["postcode"] = str(e)
    errors.update(
        dates.check_birth_and_death(
            values["date_of_birth"], values["date_of_death"], timezone.localdate()
        )
    )
    if errors:
        raise ValidationError(errors)
    if values["nhs_number"]:
        clash = Person.objects.filter(nhs_number=values["nhs_number"])
        if exclude_person is not None:
            clash = clash.exclude(pk=exclude_person.pk)
        existing = clash.first()
        if existing is not None:
            raise DuplicateNHSNumber(existing)
    values["postcode_compact"] = postcode.compact(values["postcode"])
    return values


def rebuild_name_keys(person: Person) -> None:
    PersonNameKey.objects.filter(person=person).delete()
    PersonNameKey.objects.bulk_create(name_keys_for(person.pk, person.names.all()))


def name_keys_for(person_pk: int, person_names) -> list[PersonNameKey]:
    rows: set[tuple[str, str]] = set()
    for n in person_names:
        rows.update((PersonNameKey.Part.GIVEN, k) for k in names.keys(n.given_name))
        rows.update((PersonNameKey.Part.FAMILY, k) for k in names.keys(n.family_name))
    return [PersonNameKey(person_id=person_pk, part=p, key=k[:110]) for p, k in sorted(rows)]


@transaction.atomic
def create_person(actor, details: PersonDetails) -> Person:
    values = clean_details(details)
    person = Person.objects.create(person_id=f"tmp-{uuid.uuid4().hex[:15]}", **values)
    person.person_id = f"{PERSON_ID_PREFIX}{person.pk:07d}"
    Person.objects.filter(pk=person.pk).update(person_id=person.person_id)
    PersonName.objects.create(
        person=person,
        kind=PersonName.Kind.CURRENT,
        given_name=person.given_name,
        family_name=person.family_name,
    )
    for given, family in details.previous_names:
        if given.strip() or family.strip():
            PersonName.objects.create(
                person=person,
                kind=PersonName.Kind.PREVIOUS,
                given_name=given.strip(),
                family_name=family.strip(),
            )
    rebuild_name_keys(person)
    audit.record(
        actor,
        audit.Action.CREATE,
        person=person,
        obj=person,
        summary=f"Created the record of {person.full_name}",
        changes={"after": audit.snapshot(person)},
    )
    return person


@transaction.atomic
def update_person(actor, person: Person, expected_version: int, details: PersonDetails) -> Person:
    """Save an edit made to version ``expected_version``; refuse if someone saved since."""
    values = clean_details(details, exclude_person=person)
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.version != expected_version:
        raise EditConflict(current, _changes_since(current, expected_version))
    before = audit.snapshot(current)
    name_changed = (current.given_name, current.family_name) != (
        values["given_name"],
        values["family_name"],
    )
    for k, v in values.items():
        setattr(current, k, v)
    current.version = expected_version + 1
    current.save()
    if name_changed:
        record_new_name(current, timezone.localdate())
    changes = audit.diff(before, audit.snapshot(current))
    audit.record(
        actor,
        audit.Action.UPDATE,
        person=current,
        obj=current,
        summary="Changed " + ", ".join(k.replace("_", " ") for k in changes) if changes else "",
        changes=changes,
    )
    return current


def _changes_since(current: Person, version: int) -> dict:
    """What others changed since ``version``: the audit entries of later updates, merged."""
    from carebridge.core.models import AuditEvent

    entries = AuditEvent.objects.filter(
        person=current, action=audit.Action.UPDATE, object_type="people.person"
    ).order_by("-occurred_at")[: max(current.version - version, 1)]
    merged: dict = {}
    who: list[str] = []
    for e in reversed(list(entries)):
        merged.update(e.changes)
        who.append(e.actor_label)
    return {"fields": merged, "by": sorted(set(who))}


@transaction.atomic
def add_previous_name(actor, person: Person, given_name: str, family_name: str) -> PersonName:
    n = PersonName.objects.create(
        person=person,
        kind=PersonName.Kind.PREVIOUS,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
    )
    rebuild_name_keys(person)
    audit.record(
        actor,
        audit.Action.CREATE,
        person=person,
        obj=n,
        summary=f"Added previous name {n}",
    )
    return n


def _record_status(model, actor, person: Person, status: str, valid_from: dt.date, label: str):
    if valid_from > timezone.localdate():
        raise ValidationError({"valid_from": "The date must be today or in the past"})
    with transaction.atomic():
        row = model.objects.create(
            person=person, status=status, valid_from=valid_from, recorded_by=actor
        )
        audit.record(
            actor,
            audit.Action.CREATE,
            person=person,
            obj=row,
            summary=f"Recorded {label} '{status}' from {valid_from:%-d %B %Y}",
        )
    return row


def record_accommodation_status(actor, person, status, valid_from):
    return _record_status(
        AccommodationStatusRecord, actor, person, status, valid_from, "accommodation status"
    )


def record_employment_status(actor, person, status, valid_from):
    return _record_status(
        EmploymentStatusRecord, actor, person, status, valid_from, "employment status"
    )


@transaction.atomic
def add_carer_relationship(
    actor, *, carer: Person, cared_for: Person, relationship: str, **extra
) -> CarerRelationship:
    if carer.pk == cared_for.pk:
        raise ValidationError({"carer": "A person cannot be recorded as their own carer"})
    # The council knows of the carer from today (the s10 offer's clock: duties).
    extra.setdefault("recorded_on", timezone.localdate())
    rel = CarerRelationship.objects.create(
        carer=carer, cared_for=cared_for, relationship=relationship, **extra
    )
    for p in (carer, cared_for):
        audit.record(
            actor,
            audit.Action.CREATE,
            person=p,
            obj=rel,
            summary=f"Recorded {carer.full_name} as unpaid carer of {cared_for.full_name}",
        )
    return rel


@transaction.atomic
def add_alert(actor, person: Person, kind: str, details: str, starts_on: dt.date) -> PersonAlert:
    alert = PersonAlert.objects.create(
        person=person, kind=kind, details=details, starts_on=starts_on, raised_by=actor
    )
    audit.record(actor, audit.Action.CREATE, person=person, obj=alert, summary="Added an alert")
    return alert


@transaction.atomic
def set_restriction(actor, person: Person, *, restricted: bool, named_workers) -> Person:
    """Restrict (or open up) a record and say who may find and open it."""
    from carebridge.core.models import RestrictedAccess

    before = {
        "is_restricted": person.is_restricted,
        "named": sorted(
            RestrictedAccess.objects.filter(person=person).values_list("worker_id", flat=True)
        ),
    }
    Person.objects.filter(pk=person.pk).update(
        is_restricted=restricted, version=models.F("version") + 1
    )
    person.refresh_from_db()
    RestrictedAccess.objects.filter(person=person).exclude(worker__in=named_workers).delete()
    for worker in named_workers:
        RestrictedAccess.objects.get_or_create(
            person=person, worker=worker, defaults={"named_by": actor}
        )
    after = {"is_restricted": restricted, "named": sorted(w.pk for w in named_workers)}
    audit.record(
        actor,
        audit.Action.UPDATE,
        person=person,
        obj=person,
        summary="Restricted the record" if restricted else "Removed the restriction",
        changes=audit.diff(before, after),
    )
    return person


def record_new_name(person: Person, today: dt.date) -> None:
    """The person's name (already saved on ``person``) becomes their current name from
    ``today``: the current one becomes a previous name until today, and the search keys are
    rebuilt."""
    person.names.filter(kind=PersonName.Kind.CURRENT).update(
        kind=PersonName.Kind.PREVIOUS, used_until=today
    )
    PersonName.objects.create(
        person=person,
        kind=PersonName.Kind.CURRENT,
        given_name=person.given_name,
        family_name=person.family_name,
        used_from=today,
    )
    rebuild_name_keys(person)
