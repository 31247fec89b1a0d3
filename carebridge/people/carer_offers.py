"""Offers of a carer's assessment (Care Act 2014 s10): recording an offer, the carer's answer,
and corrections. Every write is checked against :func:`carebridge.rules.carers.offer_errors`
and the worker's role, and audited on both people's records. Reads for the person's page are
here too (callers have checked access to the person)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from carebridge.core import audit
from carebridge.core.access import Capability, can
from carebridge.rules import carers
from carebridge.rules.local_codes import CARER_OFFER_METHODS, label

from .models import CarerAssessmentOffer, CarerRelationship

# What a correction may change (the carer and the relationship never change: a new offer is a
# new row).
CORRECTABLE = ("offered_on", "method", "offered_by", "details", "response", "responded_on")


class OfferConflict(Exception):
    """Someone else changed the offer after this worker opened it."""

    def __init__(self, current: CarerAssessmentOffer):
        super().__init__("The offer was changed by someone else")
        self.current = current


def _require(actor) -> None:
    if not can(actor, Capability.ASSESS):
        raise PermissionDenied(f"Your role does not allow this ({Capability.ASSESS.value})")


def _check(offered_on, response, responded_on, declined_reason) -> str:
    """Validate against the rules; return the reason as it is stored (only with a refusal)."""
    reason = (declined_reason or "").strip()
    errors = carers.offer_errors(
        offered_on=offered_on,
        response=response,
        responded_on=responded_on,
        declined_reason=reason,
        today=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    return reason


def _check_worker(offered_by) -> None:
    if offered_by is None or not offered_by.is_active:
        raise ValidationError({"offered_by": "Select who made the offer"})


def _d(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def _audit_both(actor, action, offer: CarerAssessmentOffer, summary: str, changes=None) -> None:
    rel = offer.relationship
    for person in (rel.carer, rel.cared_for):
        audit.record(actor, action, person=person, obj=offer, summary=summary, changes=changes)


@transaction.atomic
def record_offer(
    actor,
    relationship: CarerRelationship,
    *,
    offered_on: dt.date,
    method: str,
    offered_by,
    details: str = "",
    response: str = carers.AWAITING,
    responded_on: dt.date | None = None,
    declined_reason: str = "",
) -> CarerAssessmentOffer:
    """Record that the carer in ``relationship`` was offered a carer's assessment, with their
    answer if they gave one there and then."""
    _require(actor)
    if method not in dict(CARER_OFFER_METHODS):
        raise ValidationError({"method": "Select how the offer was made"})
    _check_worker(offered_by)
    reason = _check(offered_on, response, responded_on, declined_reason)
    now = timezone.now()
    answered = response in carers.ANSWERED
    offer = CarerAssessmentOffer.objects.create(
        relationship=relationship,
        carer_id=relationship.carer_id,
        offered_on=offered_on,
        method=method,
        offered_by=offered_by,
        details=details.strip(),
        response=response,
        responded_on=responded_on if answered else None,
        declined_reason=reason,
        recorded_by=actor,
        recorded_at=now,
        response_recorded_by=actor if answered else None,
        response_recorded_at=now if answered else None,
    )
    summary = (
        f"Recorded an offer of a carer's assessment made on {_d(offered_on)} "
        f"({label(CARER_OFFER_METHODS, method).lower()}): {offer.get_response_display().lower()}"
    )
    _audit_both(actor, audit.Action.CREATE, offer, summary, audit.snapshot(offer))
    return offer


def _locked(offer: CarerAssessmentOffer, version: int | None) -> CarerAssessmentOffer:
    current = (
        CarerAssessmentOffer.objects.select_for_update()
        .select_related("relationship__carer", "relationship__cared_for")
        .get(pk=offer.pk)
    )
    if version is not None and current.version != version:
        raise OfferConflict(current)
    return current


@transaction.atomic
def record_response(
    actor,
    offer: CarerAssessmentOffer,
    *,
    version: int | None,
    response: str,
    responded_on: dt.date | None,
    declined_reason: str = "",
) -> CarerAssessmentOffer:
    """Add the carer's answer to an offer that has none yet (once: a change after that is a
    correction)."""
    _require(actor)
    current = _locked(offer, version)
    if not current.is_awaiting:
        raise ValidationError(
            {
                "response": "The carer's response to this offer is already recorded "
                f"({current.get_response_display().lower()})"
            }
        )
    if response not in carers.ANSWERED:
        raise ValidationError({"response": "Select whether the carer accepted or declined"})
    reason = _check(current.offered_on, response, responded_on, declined_reason)
    before = audit.snapshot(current)
    CarerAssessmentOffer.objects.filter(pk=current.pk).update(
        response=response,
        responded_on=responded_on,
        declined_reason=reason,
        response_recorded_by=actor,
        response_recorded_at=timezone.now(),
        version=F("version") + 1,
    )
    current.refresh_from_db()
    summary = (
        f"Recorded the carer's response to the offer of a carer's assessment of "
        f"{_d(current.offered_on)}: {current.get_response_display().lower()} on "
        f"{_d(responded_on)}"
    )
    _audit_both(
        actor, audit.Action.UPDATE, current, summary, audit.diff(before, audit.snapshot(current))
    )
    return current


@transaction.atomic
def correct_offer(
    actor, offer: CarerAssessmentOffer, *, version: int | None, reason: str, **changes
) -> CarerAssessmentOffer:
    """Correct a recorded offer or answer (a typing error, a wrong date), with the reason for
    the correction; the log keeps what it said before."""
    _require(actor)
    unknown = set(changes) - {*CORRECTABLE, "declined_reason"}
    if unknown:
        raise ValueError(f"These cannot be corrected: {', '.join(sorted(unknown))}")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the record is being corrected"})
    current = _locked(offer, version)
    values = {f: getattr(current, f) for f in (*CORRECTABLE, "declined_reason")}
    values.update(changes)
    if values["response"] != carers.DECLINED and "declined_reason" not in changes:
        values["declined_reason"] = ""  # no longer a refusal: its reason goes too
    if values["response"] == carers.AWAITING and "responded_on" not in changes:
        values["responded_on"] = None  # back to "no response yet": the answer's date goes too
    if values["method"] not in dict(CARER_OFFER_METHODS):
        raise ValidationError({"method": "Select how the offer was made"})
    _check_worker(values["offered_by"])
    values["declined_reason"] = _check(
        values["offered_on"], values["response"], values["responded_on"], values["declined_reason"]
    )
    before = audit.snapshot(current)
    for name, value in values.items():
        setattr(current, name, value)
    changed = audit.diff(before, audit.snapshot(current))
    if not changed:
        raise ValidationError({"__all__": "Nothing was changed"})
    if current.response == carers.AWAITING:
        current.response_recorded_by, current.response_recorded_at = None, None
    elif "response" in changed or "responded_on" in changed:
        current.response_recorded_by, current.response_recorded_at = actor, timezone.now()
    current.version += 1
    current.save()
    _audit_both(
        actor,
        audit.Action.UPDATE,
        current,
        f"Corrected the offer of a carer's assessment of {_d(current.offered_on)}",
        {**changed, "reason": reason.strip()},
    )
    return current


# --- reads ---------------------------------------------------------------------------------


def offers_for(relationship_pks: Iterable[int]) -> dict[int, list[CarerAssessmentOffer]]:
    """relationship pk -> its offers, newest first (one query, none when there are none), each
    with ``assessment_started``: a carer's assessment of the carer (not cancelled) started on or
    after the offer (after an accepted offer, the next step is done)."""
    from carebridge.assessments.models import Assessment

    pks = list(relationship_pks)
    out: dict[int, list[CarerAssessmentOffer]] = {pk: [] for pk in pks}
    if not pks:
        return out
    started = Assessment.objects.filter(
        person=OuterRef("carer"),
        kind=Assessment.Kind.CARER,
        started_on__gte=OuterRef("offered_on"),
    ).exclude(status=Assessment.Status.CANCELLED)
    rows = (
        CarerAssessmentOffer.objects.filter(relationship_id__in=pks)
        .select_related("offered_by")
        .annotate(assessment_started=Exists(started))
    )
    for offer in rows.order_by("-offered_on", "-pk"):
        out[offer.relationship_id].append(offer)
    return out
