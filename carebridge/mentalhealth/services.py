"""Every change to Mental Health Act records: a person's legal status (start, end, replace by
another section) and Mental Health Act assessments (request, take or allocate, record the
assessment and its outcome, write the AMHP report). Each checks the worker's role and the
rules (:mod:`carebridge.rules.legal_status`, :mod:`carebridge.rules.amhp`), writes in one
transaction with its audit events, and refuses an edit made to an old version (optimistic
concurrency: :class:`Conflict`).

Nothing here writes a CLD ``Event``: Mental Health Act work is not a Care Act request,
assessment or service and must never reach the Client Level Data return (ADR 0021).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from carebridge.core import audit
from carebridge.core.access import Capability, Role, can
from carebridge.organisations.models import Organisation, Worker
from carebridge.people.models import Person
from carebridge.rules import amhp
from carebridge.rules import legal_status as rules
from carebridge.rules import mental_health_act as mha
from carebridge.rules.mental_health_act import EndReason

from .models import LegalStatus, MHAAssessment

MAX_TEXT = 20_000
# Times are typed to the minute: a time a minute or two ahead of the server's clock is "now".
LEEWAY = dt.timedelta(minutes=2)
HOSPITAL_KINDS = (Organisation.NHS_TRUST, Organisation.PROVIDER)


class Conflict(Exception):
    """Someone else changed the record after this worker opened it: nothing was saved."""

    def __init__(self, current: LegalStatus | MHAAssessment):
        super().__init__(
            "Someone else changed this record while you were on this page. Nothing has been "
            "saved: check the record as it is now, then try again."
        )
        self.current = current


def _require(actor, capability: Capability) -> None:
    if not can(actor, capability):
        raise PermissionDenied(f"Your role does not allow this ({capability.value})")


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _when(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%-d %B %Y} at {local:%H:%M}"


def _text(value: str, field: str, *, required: str = "") -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > MAX_TEXT:
        raise ValidationError({field: f"Must be {MAX_TEXT:,} characters or fewer"})
    return text


def _moment_problem(moment: dt.datetime | None, person: Person, what: str) -> str:
    """Why a typed date and time cannot be right for this person, or ''."""
    if moment is None:
        return f"Enter the date and time {what}"
    if moment > timezone.now() + LEEWAY:
        return f"The date and time {what} cannot be in the future"
    day = _local_day(moment)
    if day < person.date_of_birth:
        return f"The date {what} cannot be before the person was born"
    if person.date_of_death and day > person.date_of_death:
        return f"The date {what} cannot be after the person died ({person.date_of_death:%-d %B %Y})"
    return ""


def _hospital_problem(hospital: Organisation | None) -> str:
    if hospital is not None and hospital.kind not in HOSPITAL_KINDS:
        return "Select an NHS trust or independent hospital"
    return ""


# --- legal status ----------------------------------------------------------------------------


def current_statuses(person: Person) -> list[LegalStatus]:
    return list(
        LegalStatus.objects.filter(person=person, ended_at__isnull=True).order_by("started_at")
    )


def _lock_person(person: Person) -> Person:
    """Serialise legal status changes for one person (two workers recording a detention at
    once: the second sees the first)."""
    return Person.objects.select_for_update().get(pk=person.pk)


def _locked_status(status: LegalStatus, version: int | None) -> LegalStatus:
    current = (
        LegalStatus.objects.select_for_update(of=("self",))
        .select_related("person", "hospital", "follows")
        .get(pk=status.pk)
    )
    if version is not None and current.version != version:
        raise Conflict(current)
    return current


def _describe(status: LegalStatus) -> str:
    where = f" at {status.hospital.name}" if status.hospital_id else ""
    return f"{status.rule.label} from {_when(status.started_at)}{where}"


def _end_by_replacement(
    replacing: LegalStatus,
    section: str,
    started_at: dt.datetime,
    left_hospital_on: dt.date | None,
) -> dict:
    """End ``replacing`` as ``section`` starts (checked against the rules); its snapshot
    before, for the audit."""
    before = replacing.follows.section if replacing.follows_id else ""
    how = rules.how_replaced(replacing.section, section, before_old=before)
    if how is None:
        raise ValidationError(
            {"section": f"{mha.section(section).label} cannot follow {replacing.rule.label}"}
        )
    if started_at < replacing.started_at:
        raise ValidationError(
            {"started_on": f"It cannot start before {replacing.rule.label} started"}
        )
    if left_hospital_on is not None and rules.detains(section):
        raise ValidationError(
            {
                "left_hospital_on": "The person is still detained under "
                f"{mha.section(section).label}: leave the day they left hospital empty"
            }
        )
    errors = rules.end_problems(
        code=replacing.section,
        started_at=replacing.started_at,
        ended_at=started_at,
        reason=None,
        left_hospital_on=left_hospital_on,
        ended_on=_local_day(started_at),
        now=timezone.now() + LEEWAY,
        today=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    snapshot = audit.snapshot(replacing)
    replacing.ended_at = started_at
    replacing.end_reason = how.value
    replacing.left_hospital_on = left_hospital_on
    replacing.version += 1
    replacing.save()
    return snapshot


def _start(
    actor,
    person: Person,
    *,
    section: str,
    started_at: dt.datetime | None,
    hospital: Organisation | None,
    place: str,
    notes: str,
    replacing: LegalStatus | None,
    left_hospital_on: dt.date | None = None,
) -> LegalStatus:
    """Start a status, ending ``replacing`` (locked by the caller) as it starts. The person is
    locked by the caller."""
    if section not in mha.BY_CODE:
        raise ValidationError({"section": "Select the section"})
    problem = _moment_problem(started_at, person, "it started")
    if problem:
        raise ValidationError({"started_on": problem})
    problem = _hospital_problem(hospital)
    if problem:
        raise ValidationError({"hospital": problem})
    place = _text(place, "place")[:200]
    notes = _text(notes, "notes")
    if replacing is not None and rules.detains(section) and hospital is None:
        hospital = replacing.hospital  # s2 -> s3 in the same hospital, unless said otherwise
    current = [s for s in current_statuses(person) if replacing is None or s.pk != replacing.pk]
    problem = rules.start_problem(
        section, [s.section for s in current], replacing=replacing.section if replacing else ""
    )
    if problem:
        raise ValidationError({"section": problem})
    if replacing is not None:
        before_snapshot = _end_by_replacement(replacing, section, started_at, left_hospital_on)
    try:
        with transaction.atomic():
            status = LegalStatus.objects.create(
                person=person,
                section=section,
                started_at=started_at,
                hospital=hospital,
                place=place,
                follows=replacing,
                notes=notes,
                created_by=actor,
            )
    except IntegrityError:  # the database's own guard: one detention at a time
        raise ValidationError(
            {"section": "The person already has a current status of this kind"}
        ) from None
    if replacing is not None:
        audit.record(
            actor,
            audit.Action.UPDATE,
            person=person,
            obj=replacing,
            summary=f"{replacing.rule.label} ended: {replacing.get_end_reason_display()} by "
            f"{status.rule.label}",
            changes=audit.diff(before_snapshot, audit.snapshot(replacing)),
        )
    audit.record(
        actor,
        audit.Action.CREATE,
        person=person,
        obj=status,
        summary=f"Recorded the legal status {_describe(status)}",
        changes={"after": audit.snapshot(status)},
    )
    return status


@transaction.atomic
def start_status(
    actor,
    person: Person,
    *,
    section: str,
    started_at: dt.datetime | None,
    hospital: Organisation | None = None,
    place: str = "",
    notes: str = "",
) -> LegalStatus:
    """Record that the person became subject to a section (a s136 by the police, a detention
    made elsewhere...). Refused beside a current status it cannot run with: replace that one
    instead (:func:`replace_status`)."""
    _require(actor, Capability.RECORD_LEGAL_STATUS)
    person = _lock_person(person)
    return _start(
        actor,
        person,
        section=section,
        started_at=started_at,
        hospital=hospital,
        place=place,
        notes=notes,
        replacing=None,
    )


@transaction.atomic
def replace_status(
    actor,
    status: LegalStatus,
    *,
    version: int | None,
    section: str,
    started_at: dt.datetime | None,
    hospital: Organisation | None = None,
    place: str = "",
    notes: str = "",
    left_hospital_on: dt.date | None = None,
) -> LegalStatus:
    """End ``status`` as ``section`` starts (s2 by s3, s3 by a CTO, a CTO revoked back to s3),
    keeping both in the history. ``left_hospital_on``: the day the person left hospital, when
    the new status lets them leave (a CTO)."""
    _require(actor, Capability.RECORD_LEGAL_STATUS)
    person = _lock_person(status.person)
    current = _locked_status(status, version)
    if not current.is_current:
        raise ValidationError({"__all__": f"{current.rule.label} has already ended"})
    return _start(
        actor,
        person,
        section=section,
        started_at=started_at,
        hospital=hospital,
        place=place,
        notes=notes,
        replacing=current,
        left_hospital_on=left_hospital_on,
    )


@transaction.atomic
def end_status(
    actor,
    status: LegalStatus,
    *,
    version: int | None,
    ended_at: dt.datetime | None,
    reason: str,
    left_hospital_on: dt.date | None = None,
    notes: str = "",
) -> LegalStatus:
    """End a current status (discharge, expiry, death...), with the day the person left hospital
    after a detention (from which s117 aftercare runs for a qualifying section)."""
    _require(actor, Capability.RECORD_LEGAL_STATUS)
    _lock_person(status.person)
    current = _locked_status(status, version)
    if not current.is_current:
        raise ValidationError({"__all__": f"{current.rule.label} has already ended"})
    if ended_at is not None and (problem := _moment_problem(ended_at, current.person, "it ended")):
        raise ValidationError({"ended_on": problem})
    errors = rules.end_problems(
        code=current.section,
        started_at=current.started_at,
        ended_at=ended_at,
        reason=reason,
        left_hospital_on=left_hospital_on,
        ended_on=_local_day(ended_at) if ended_at else None,
        now=timezone.now() + LEEWAY,
        today=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    notes = _text(notes, "notes")
    before = audit.snapshot(current)
    current.ended_at = ended_at
    current.end_reason = reason
    current.left_hospital_on = left_hospital_on
    if notes:
        current.notes = f"{current.notes}\n\n{notes}".strip()
    current.version += 1
    current.save()
    left = f"; left hospital {left_hospital_on:%-d %B %Y}" if left_hospital_on else ""
    audit.record(
        actor,
        audit.Action.UPDATE,
        person=current.person,
        obj=current,
        summary=f"{current.rule.label} ended {_when(ended_at)}: "
        f"{current.get_end_reason_display()}{left}",
        changes=audit.diff(before, audit.snapshot(current)),
    )
    return current


# --- Mental Health Act assessments -----------------------------------------------------------


def _locked_assessment(assessment: MHAAssessment, version: int | None) -> MHAAssessment:
    current = (
        MHAAssessment.objects.select_for_update(of=("self",))
        .select_related("person", "held_by")
        .get(pk=assessment.pk)
    )
    if version is not None and current.version != version:
        raise Conflict(current)
    return current


def _save(actor, assessment: MHAAssessment) -> None:
    assessment.version += 1
    assessment.updated_by = actor
    assessment.save()


@transaction.atomic
def request_assessment(
    actor,
    person: Person,
    *,
    requested_at: dt.datetime | None,
    requester_name: str,
    requester_role: str,
    request_reason: str,
    requester_phone: str = "",
    section_considered: str = "",
) -> MHAAssessment:
    """Record a request for a Mental Health Act assessment, for the AMHP service's queue."""
    _require(actor, Capability.REQUEST_MHA_ASSESSMENT)
    problem = _moment_problem(requested_at, person, "of the request")
    if problem:
        raise ValidationError({"requested_on": problem})
    name = _text(requester_name, "requester_name", required="Enter who asked for the assessment")
    if requester_role not in dict(amhp.REQUESTERS):
        raise ValidationError({"requester_role": "Select who is asking for the assessment"})
    if section_considered and section_considered not in dict(amhp.CONSIDERED):
        raise ValidationError({"section_considered": "Select a section, or leave it empty"})
    reason = _text(
        request_reason, "request_reason", required="Enter why an assessment is asked for"
    )
    assessment = MHAAssessment.objects.create(
        person=person,
        requested_at=requested_at,
        requester_name=name[:200],
        requester_role=requester_role,
        requester_phone=_text(requester_phone, "requester_phone")[:40],
        request_reason=reason,
        section_considered=section_considered,
        requested_by=actor,
        updated_by=actor,
    )
    assessment.reference = f"MHA{assessment.pk:06d}"
    assessment.save(update_fields=["reference"])
    audit.record(
        actor,
        audit.Action.CREATE,
        person=person,
        obj=assessment,
        summary=f"Recorded a request for a Mental Health Act assessment "
        f"({assessment.reference}) from {name} ({assessment.requester_text})",
        changes={"after": audit.snapshot(assessment)},
    )
    return assessment


def _allocate(actor, current: MHAAssessment, to: Worker, summary: str) -> MHAAssessment:
    before = audit.snapshot(current, ["status", "held_by_id"])
    current.held_by = to
    current.allocated_at = timezone.now()
    current.allocated_by = actor
    current.status = amhp.ALLOCATED
    _save(actor, current)
    audit.record(
        actor,
        audit.Action.UPDATE,
        person=current.person,
        obj=current,
        summary=summary,
        changes=audit.diff(before, audit.snapshot(current, ["status", "held_by_id"])),
    )
    return current


@transaction.atomic
def take(actor, assessment: MHAAssessment, *, version: int | None) -> MHAAssessment:
    """The AMHP takes an unallocated request (from the rota)."""
    _require(actor, Capability.AMHP_ASSESS)
    current = _locked_assessment(assessment, version)
    if current.status != amhp.REQUESTED:
        holder = current.held_by or "another AMHP"
        raise ValidationError({"__all__": f"This request is already held by {holder}"})
    return _allocate(
        actor, current, actor, f"Took the Mental Health Act assessment {current.reference}"
    )


def amhps() -> QuerySet[Worker]:
    """Who a manager may allocate an assessment to: active AMHPs."""
    return Worker.objects.filter(role=Role.AMHP, is_active=True).order_by(
        "first_name", "last_name", "pk"
    )


@transaction.atomic
def allocate(
    actor, assessment: MHAAssessment, *, version: int | None, to: Worker | None
) -> MHAAssessment:
    """A manager allocates (or reallocates, before it is carried out) a request to an AMHP."""
    _require(actor, Capability.ALLOCATE)
    _require(actor, Capability.VIEW_AMHP_ROTA)
    current = _locked_assessment(assessment, version)
    if current.status not in (amhp.REQUESTED, amhp.ALLOCATED):
        raise ValidationError(
            {"__all__": "This assessment has been carried out: it stays with its AMHP"}
        )
    if to is None or not to.is_active or to.role != Role.AMHP:
        raise ValidationError({"held_by": "Select an AMHP"})
    if current.held_by_id == to.pk:
        raise ValidationError({"held_by": f"{to} already holds this assessment"})
    return _allocate(
        actor,
        current,
        to,
        f"Allocated the Mental Health Act assessment {current.reference} to {to}",
    )


def _check_holder(actor, current: MHAAssessment) -> None:
    _require(actor, Capability.AMHP_ASSESS)
    if current.held_by_id != actor.pk:
        raise ValidationError(
            {
                "__all__": "Only the AMHP who holds this assessment can record it"
                + (f" ({current.held_by})" if current.held_by_id else ": take it first")
            }
        )


@dataclass(frozen=True)
class AssessmentDetails:
    """What the AMHP records about the assessment they carried out."""

    assessed_at: dt.datetime | None
    location: str
    outcome: str
    section_considered: str = ""
    doctor_1_name: str = ""
    doctor_1_s12: bool = False
    doctor_1_known: bool = False
    doctor_2_name: str = ""
    doctor_2_s12: bool = False
    doctor_2_known: bool = False
    acquaintance_reason: str = ""
    nr_name: str = ""
    nr_relationship: str = ""
    nr_contact: str = ""
    nr_reason: str = ""
    nr_objected: bool = False
    nr_displaced: bool = False
    hospital: Organisation | None = None
    hospital_place: str = ""


_SHORT_TEXT = ("location", "doctor_1_name", "doctor_2_name", "nr_name", "hospital_place")
_LONG_TEXT = ("acquaintance_reason", "nr_reason")
_CHOSEN = (
    "doctor_1_s12",
    "doctor_1_known",
    "doctor_2_s12",
    "doctor_2_known",
    "nr_relationship",
    "nr_contact",
    "nr_objected",
    "nr_displaced",
    "outcome",
    "hospital",
)


@transaction.atomic
def record_assessment(
    actor, assessment: MHAAssessment, *, version: int | None, details: AssessmentDetails
) -> MHAAssessment:
    """The AMHP records the assessment they carried out and its outcome. A detention starts
    the person's legal status (linked from the assessment) in the same transaction: if it
    cannot start (the person is already detained under s3...), nothing is saved."""
    current = _locked_assessment(assessment, version)
    _check_holder(actor, current)
    if current.status != amhp.ALLOCATED:
        raise ValidationError({"__all__": "This assessment has already been recorded"})
    person = _lock_person(current.person)
    text = {f: _text(getattr(details, f), f) for f in (*_SHORT_TEXT, *_LONG_TEXT)}
    errors: dict[str, str] = {}
    problem = _moment_problem(details.assessed_at, person, "of the assessment")
    if problem:
        errors["assessed_on"] = problem
    elif details.assessed_at < current.requested_at - LEEWAY:
        errors["assessed_on"] = (
            f"The assessment cannot be before the request ({_when(current.requested_at)})"
        )
    if not text["location"]:
        errors["location"] = "Enter where the assessment took place"
    if details.section_considered and details.section_considered not in dict(amhp.CONSIDERED):
        errors["section_considered"] = "Select a section, or leave it empty"
    if details.nr_relationship and details.nr_relationship not in dict(amhp.NR_RELATIONSHIPS):
        errors["nr_relationship"] = "Select who the nearest relative is to the person"
    doctors = [
        amhp.Doctor(text["doctor_1_name"], details.doctor_1_s12, details.doctor_1_known),
        amhp.Doctor(text["doctor_2_name"], details.doctor_2_s12, details.doctor_2_known),
    ]
    errors |= amhp.outcome_problems(
        details.outcome,
        doctors=doctors,
        acquaintance_reason=text["acquaintance_reason"],
        nr_contact=details.nr_contact,
        nr_name=text["nr_name"],
        nr_reason=text["nr_reason"],
        nr_objected=details.nr_objected,
    )
    section = amhp.DETAINS.get(details.outcome)
    held = [s for s in current_statuses(person) if rules.detains(s.section)]
    replacing = (
        next((s for s in held if rules.how_replaced(s.section, section)), None) if section else None
    )
    # s2 -> s3, s4 -> s2 in the same hospital: the hospital is the one the person is in already.
    hospital = details.hospital or (replacing.hospital if replacing else None)
    if section and hospital is None:
        errors["hospital"] = "Select the hospital the person is admitted to"
    elif problem := _hospital_problem(hospital):
        errors["hospital"] = problem
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(current)
    for field in _SHORT_TEXT:
        setattr(current, field, text[field][:200])
    for field in _LONG_TEXT:
        setattr(current, field, text[field])
    for field in _CHOSEN:
        setattr(current, field, getattr(details, field))
    current.hospital = hospital
    current.section_considered = details.section_considered or current.section_considered
    current.assessed_at = details.assessed_at
    current.assessed_on = _local_day(details.assessed_at)
    current.status = amhp.ASSESSED
    if section:
        try:
            status = _start(
                actor,
                person,
                section=section,
                started_at=details.assessed_at,
                hospital=hospital,
                place=text["hospital_place"],
                notes=f"Detained after the Mental Health Act assessment {current.reference}.",
                replacing=_locked_status(replacing, None) if replacing else None,
            )
        except ValidationError as e:
            message = next(iter(e.message_dict.values()))[0]
            raise ValidationError({"outcome": message}) from None
        current.legal_status = status
    else:
        _release(actor, held, details.assessed_at, current.reference)
    _save(actor, current)
    audit.record(
        actor,
        audit.Action.UPDATE,
        person=person,
        obj=current,
        summary=f"Recorded the Mental Health Act assessment {current.reference} of "
        f"{_when(details.assessed_at)}: {current.outcome_text}",
        changes=audit.diff(before, audit.snapshot(current)),
    )
    return current


def _release(actor, held: list[LegalStatus], at: dt.datetime, reference: str) -> None:
    """A holding power or place of safety the person was under ends with an assessment that
    does not detain them (its purpose is served: s5, s135(3), s136(2))."""
    for status in held:
        if (
            mha.section(status.section).kind
            not in (
                mha.Kind.HOLDING_POWER,
                mha.Kind.PLACE_OF_SAFETY,
            )
            or at < status.started_at
        ):
            continue
        locked = _locked_status(status, None)
        before = audit.snapshot(locked)
        locked.ended_at = at
        locked.end_reason = EndReason.NOT_DETAINED_AFTER_ASSESSMENT.value
        locked.version += 1
        locked.save()
        audit.record(
            actor,
            audit.Action.UPDATE,
            person=locked.person,
            obj=locked,
            summary=f"{locked.rule.label} ended after the Mental Health Act assessment "
            f"{reference}: not detained",
            changes=audit.diff(before, audit.snapshot(locked)),
        )


@transaction.atomic
def save_report(
    actor,
    assessment: MHAAssessment,
    *,
    version: int | None,
    alternatives_considered: str,
    report: str,
    complete: bool,
) -> MHAAssessment:
    """Save the AMHP's report, and complete it (``complete``: both parts written; once
    completed it is the record and is not changed here)."""
    current = _locked_assessment(assessment, version)
    _check_holder(actor, current)
    if current.status == amhp.REPORT_COMPLETED:
        raise ValidationError({"__all__": "The AMHP report has already been completed"})
    if current.status != amhp.ASSESSED:
        raise ValidationError({"__all__": "Record the assessment before writing the report"})
    required = {
        "alternatives_considered": "Enter the alternatives to detention you considered",
        "report": "Enter your report: what you found and the reasons for your decision",
    }
    alternatives = _text(alternatives_considered, "alternatives_considered")
    text = _text(report, "report")
    if complete:
        missing = {
            k: message
            for k, message in required.items()
            if not (alternatives if k == "alternatives_considered" else text)
        }
        if missing:
            raise ValidationError(missing)
    before = audit.snapshot(current, ["alternatives_considered", "report", "status"])
    current.alternatives_considered = alternatives
    current.report = text
    if complete:
        now = timezone.now()
        current.status = amhp.REPORT_COMPLETED
        current.report_completed_at = now
        current.report_completed_on = _local_day(now)
    _save(actor, current)
    audit.record(
        actor,
        audit.Action.UPDATE,
        person=current.person,
        obj=current,
        summary=(
            f"Completed the AMHP report for {current.reference}"
            if complete
            else f"Saved the AMHP report for {current.reference} (not completed)"
        ),
        changes=audit.diff(
            before, audit.snapshot(current, ["alternatives_considered", "report", "status"])
        ),
    )
    return current
