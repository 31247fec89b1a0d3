"""Changes to a person's casework: allocation, case notes, events and break-glass access."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carebridge.core import audit
from carebridge.core.access import Capability, can
from carebridge.core.models import BreakGlassAccess
from carebridge.people.models import Person

from .models import Allocation, CaseNote, Event

EVENT_REFERENCE_PREFIX = "EV"
MIN_BREAK_GLASS_REASON = 10


def _require(actor, capability: Capability) -> None:
    if not can(actor, capability):
        raise PermissionDenied(f"Your role does not allow this ({capability.value})")


@transaction.atomic
def allocate(
    actor,
    person: Person,
    *,
    team,
    worker=None,
    reason: str,
    note: str = "",
    at: dt.datetime | None = None,
) -> Allocation:
    """End the current allocation (if any) and start a new one, atomically."""
    _require(actor, Capability.ALLOCATE)
    if worker is not None and worker.team_id != team.pk:
        raise ValidationError({"worker": f"{worker} is not a member of {team}"})
    at = at or timezone.now()
    current = (
        Allocation.objects.select_for_update().filter(person=person, ended_at__isnull=True).first()
    )
    if current is not None:
        if current.team_id == team.pk and current.worker_id == (worker.pk if worker else None):
            raise ValidationError(
                {"worker": "The case is already allocated to this worker and team"}
            )
        current.ended_at = max(at, current.started_at)
        current.save(update_fields=["ended_at"])
    new = Allocation.objects.create(
        person=person,
        team=team,
        worker=worker,
        started_at=at,
        reason=reason,
        note=note,
        allocated_by=actor,
    )
    who = f"{worker} ({team})" if worker else f"{team} (no named worker)"
    audit.record(
        actor,
        audit.Action.CREATE,
        person=person,
        obj=new,
        summary=f"Allocated to {who}",
        changes={
            "before": {"team": current.team_id, "worker": current.worker_id} if current else None,
            "after": {"team": team.pk, "worker": worker.pk if worker else None},
        },
        reason=note,
    )
    return new


@transaction.atomic
def allocate_new_person(actor, person: Person) -> Allocation | None:
    """A person added by a worker is held by that worker and their team from the start, so the
    worker can open the record they have just made and a team manager answers for it."""
    _require(actor, Capability.CREATE_PERSON)
    if actor.team_id is None:
        return None
    allocation = Allocation.objects.create(
        person=person,
        team_id=actor.team_id,
        worker=actor,
        started_at=timezone.now(),
        reason="new_request",
        allocated_by=actor,
    )
    audit.record(
        actor,
        audit.Action.CREATE,
        person=person,
        obj=allocation,
        summary=f"Allocated to {actor} ({actor.team}) on adding the person",
    )
    return allocation


@transaction.atomic
def add_case_note(
    actor, person: Person, *, kind: str, subject: str, text: str, occurred_at: dt.datetime
) -> CaseNote:
    _require(actor, Capability.ADD_CASE_NOTE)
    if occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"occurred_at": "The date of the contact must not be in the future"})
    note = CaseNote.objects.create(
        person=person,
        kind=kind,
        subject=subject.strip(),
        text=text,
        occurred_at=occurred_at,
        author=actor,
    )
    audit.record(
        actor, audit.Action.CREATE, person=person, obj=note, summary=f"Added case note: {subject}"
    )
    return note


def new_event_reference() -> str:
    return f"{EVENT_REFERENCE_PREFIX}{uuid.uuid4().hex[:12].upper()}"


@transaction.atomic
def record_event(actor, person: Person, **fields) -> Event:
    """Record a CLD event (request, assessment, service or review) with its audit entry."""
    start, end = fields.get("start_date"), fields.get("end_date")
    if end is not None and start is not None and end < start:
        raise ValidationError({"end_date": "The end date must be the same as or after the start"})
    if start is not None and start > timezone.localdate():
        raise ValidationError({"start_date": "The date must be today or in the past"})
    event = Event.objects.create(
        person=person,
        reference=fields.pop("reference", None) or new_event_reference(),
        created_by=actor,
        **fields,
    )
    audit.record(
        actor,
        audit.Action.CREATE,
        person=person,
        obj=event,
        summary=f"Recorded {event.event_type.lower()} {event.reference}",
        changes={"after": audit.snapshot(event)},
    )
    return event


@transaction.atomic
def break_glass(actor, person: Person, reason: str) -> BreakGlassAccess:
    """Open a record outside the worker's relationships, for a reason the team manager sees."""
    _require(actor, Capability.BREAK_GLASS)
    reason = (reason or "").strip()
    if len(reason) < MIN_BREAK_GLASS_REASON:
        raise ValidationError(
            {
                "reason": "Explain why you need to see this record "
                f"(at least {MIN_BREAK_GLASS_REASON} characters)"
            }
        )
    if person.is_restricted:
        raise PermissionDenied("Restricted records cannot be opened by breaking glass")
    now = timezone.now()
    current = Allocation.objects.filter(person=person, ended_at__isnull=True).first()
    grant = BreakGlassAccess.objects.create(
        worker=actor,
        person=person,
        reason=reason,
        granted_at=now,
        expires_at=now + dt.timedelta(hours=settings.BREAK_GLASS_HOURS),
        team_at_time_id=current.team_id if current else None,
    )
    audit.record(
        actor,
        audit.Action.BREAK_GLASS,
        person=person,
        obj=grant,
        summary="Broke glass to open the record",
        reason=reason,
    )
    return grant
