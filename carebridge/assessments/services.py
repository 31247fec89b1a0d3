"""Changes to assessments: start, save a draft (optimistically locked), complete with an
eligibility determination, cancel. Every change is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from carebridge.casework.models import Event
from carebridge.casework.services import record_event
from carebridge.core import audit
from carebridge.core.access import Capability, can
from carebridge.people.models import Person
from carebridge.rules import cld, eligibility

from . import answers
from .models import Assessment, EligibilityDetermination

# CLD Event_Outcome of the assessment event, by the determination.
OUTCOME_ELIGIBLE = "Progress to support planning or services"
OUTCOME_NOT_ELIGIBLE = "NFA: Information and advice or signposting"


class DraftConflict(Exception):
    """Someone else saved the draft after this worker loaded it."""

    def __init__(self, current: Assessment):
        self.current = current
        who = current.updated_by or current.assessor
        at = timezone.localtime(current.updated_at).strftime("%H:%M on %d %B %Y")
        super().__init__(
            f"{who} saved this assessment at {at}, after you opened it. "
            "Your changes have not been saved over theirs."
        )


@dataclass(frozen=True)
class Saved:
    version: int
    saved_at: dt.datetime
    changed: tuple[str, ...]


def _require(actor, capability: Capability) -> None:
    if not can(actor, capability):
        raise PermissionDenied(f"Your role does not allow this ({capability.value})")


@transaction.atomic
def start_assessment(
    actor,
    person: Person,
    *,
    kind: str,
    request: Event | None = None,
    cared_for: Person | None = None,
    previous: Assessment | None = None,
    assessment_type: str = "Long term assessment",
    on: dt.date | None = None,
) -> Assessment:
    _require(actor, Capability.ASSESS)
    on = on or timezone.localdate()
    if kind not in Assessment.Kind.values:
        raise ValidationError({"kind": "Select the kind of assessment"})
    if kind == Assessment.Kind.CARER and cared_for is not None and cared_for.pk == person.pk:
        raise ValidationError({"cared_for": "A carer cannot be assessed as caring for themself"})
    if Assessment.objects.filter(person=person, kind=kind, status=Assessment.Status.DRAFT).exists():
        raise ValidationError(
            {"kind": "There is already a draft assessment of this kind: carry on with that one"}
        )
    event = record_event(
        actor,
        person,
        event_type=cld.ASSESSMENT,
        client_type=cld.SERVICE_USER if kind == Assessment.Kind.ADULT else cld.UNPAID_CARER,
        start_date=on,
        assessment_type=assessment_type,
        follows=request,
        team_id=actor.team_id,
        worker=actor,
    )
    a = Assessment.objects.create(
        person=person,
        kind=kind,
        cared_for=cared_for,
        request=request,
        event=event,
        previous=previous,
        started_on=on,
        assessor=actor,
        team_id=actor.team_id,
        updated_by=actor,
        informal_support=previous.informal_support if previous else "",
        what_matters=previous.what_matters if previous else "",
        strengths=previous.strengths if previous else "",
    )
    audit.record(
        actor,
        audit.Action.CREATE,
        person=person,
        obj=a,
        summary=f"Started {a.get_kind_display().lower()}",
    )
    return a


@transaction.atomic
def save_draft(actor, assessment: Assessment, *, version: int, changes: dict) -> Saved:
    """Save some answers to a draft. ``version`` is the one the worker loaded: if someone saved
    since, nothing is written and :class:`DraftConflict` says who and when."""
    _require(actor, Capability.ASSESS)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError({"__all__": "This assessment is completed and cannot be changed"})
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if current.version != version:
        raise DraftConflict(current)
    before = audit.snapshot(current, list(changes))
    after = audit.plain(changes)
    changed = {k: v for k, v in changes.items() if before.get(k) != after[k]}
    now = timezone.now()
    if changed:
        Assessment.objects.filter(pk=current.pk).update(
            **changed, version=F("version") + 1, updated_by=actor, updated_at=now
        )
        new_version = current.version + 1
        audit.record(
            actor,
            audit.Action.UPDATE,
            person=assessment.person,
            obj=current,
            summary=f"Saved draft {current.get_kind_display().lower()}",
            changes=audit.diff({k: before[k] for k in changed}, {k: after[k] for k in changed}),
        )
    else:
        new_version = current.version
    for k, v in changed.items():
        setattr(assessment, k, v)
    assessment.version = new_version
    return Saved(version=new_version, saved_at=now, changed=tuple(changed))


@transaction.atomic
def complete_assessment(
    actor,
    assessment: Assessment,
    *,
    version: int,
    method_of_assessment: str,
    prevention_advice: str,
    next_steps: str = "",
    on: dt.date | None = None,
) -> EligibilityDetermination:
    """Complete the assessment and make the eligibility determination (s13), in one step.

    ``method_of_assessment`` is how it was carried out (CLD Method_of_Assessment, from
    ``cld.codes``): required on every assessment that is not a financial one (fields.csv)."""
    _require(actor, Capability.ASSESS)
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if current.status != Assessment.Status.DRAFT:
        raise ValidationError({"__all__": "This assessment has already been completed"})
    if current.version != version:
        raise DraftConflict(current)
    on = on or timezone.localdate()
    errors = {k: msg for k, (_, msg) in answers.missing_for_completion(current).items()}
    method = (method_of_assessment or "").strip()
    if method_error := _method_of_assessment_error(current, method):
        errors["method_of_assessment"] = method_error
    if errors:
        raise ValidationError(errors)
    result = eligibility.determine(answers.needs_for_rules(current))
    prevention_advice = (prevention_advice or "").strip()
    if not result.eligible and not prevention_advice:
        raise ValidationError(
            {
                "prevention_advice": "The needs are not eligible: give advice and information on "
                "what can be done to meet or reduce them and to prevent or delay needs (s13(5))"
            }
        )
    determination = EligibilityDetermination.objects.create(
        assessment=current,
        person=current.person,
        kind=current.kind,
        eligible=result.eligible,
        outcomes_unable=list(result.outcomes_unable),
        reasons=list(result.reasons),
        regulation=result.regulation,
        determined_on=on,
        determined_by=actor,
        prevention_advice=prevention_advice,
        next_steps=(next_steps or "").strip(),
    )
    Assessment.objects.filter(pk=current.pk).update(
        status=Assessment.Status.COMPLETED,
        completed_on=on,
        method_of_assessment=method,
        version=F("version") + 1,
        updated_by=actor,
        updated_at=timezone.now(),
    )
    if current.event_id:
        Event.objects.filter(pk=current.event_id).update(
            end_date=max(on, current.started_on),
            outcome=OUTCOME_ELIGIBLE if result.eligible else OUTCOME_NOT_ELIGIBLE,
            method_of_assessment=method,
        )
    audit.record(
        actor,
        audit.Action.CREATE,
        person=current.person,
        obj=determination,
        summary=(
            f"Completed {current.get_kind_display().lower()}: needs "
            f"{'eligible' if result.eligible else 'not eligible'}"
        ),
        changes={"after": audit.snapshot(determination)},
    )
    assessment.refresh_from_db()
    return determination


def _method_of_assessment_error(assessment: Assessment, method: str) -> str:
    """Why ``method`` cannot be recorded as the assessment's CLD Method_of_Assessment, or ""."""
    if method:
        if cld.is_valid(cld.METHOD_OF_ASSESSMENT, method):
            return ""
        return "Select how the assessment was carried out from the options given"
    assessment_type = (
        Event.objects.filter(pk=assessment.event_id)
        .values_list("assessment_type", flat=True)
        .first()
        if assessment.event_id
        else None
    )
    if cld.method_of_assessment_required(assessment_type or ""):
        return "Select how the assessment was carried out"
    return ""


@transaction.atomic
def cancel_assessment(actor, assessment: Assessment, *, reason: str) -> None:
    _require(actor, Capability.ASSESS)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the assessment is being cancelled"})
    updated = Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.DRAFT).update(
        status=Assessment.Status.CANCELLED, version=F("version") + 1, updated_by=actor
    )
    if not updated:
        raise ValidationError({"__all__": "Only a draft can be cancelled"})
    if assessment.event_id:
        Event.objects.filter(pk=assessment.event_id).update(cancelled=True)
    audit.record(
        actor,
        audit.Action.UPDATE,
        person=assessment.person,
        obj=assessment,
        summary=f"Cancelled {assessment.get_kind_display().lower()}",
        reason=reason,
    )
