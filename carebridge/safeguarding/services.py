"""Changes to safeguarding concerns and enquiries (Care Act 2014 s42 and s68).

Every write goes through here: the acting worker's role is checked, the input against
:mod:`carebridge.rules.safeguarding`, the change is made in one transaction and audited on the
person's record. Nothing is half-written: a refusal raises before anything is saved.

Enquiries are optimistically locked (``version``), as are safeguarding plans: a worker saving
over a change they have not seen gets :class:`Conflict` and their change is not saved. Actions,
strategy meetings and plan reviews are added, never edited, so they need no version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carebridge.core import audit
from carebridge.core.access import Capability, can
from carebridge.organisations.models import Organisation
from carebridge.rules import safeguarding as sg

from .models import (
    Concern,
    ConcernRiskType,
    Enquiry,
    EnquiryAction,
    S42Decision,
    SafeguardingPlan,
    SafeguardingPlanReview,
    StrategyMeeting,
)

SHORT_TEXT = 200


class Conflict(Exception):
    """Someone else changed the record after this worker opened it: nothing was saved."""

    def __init__(self, current: Enquiry | SafeguardingPlan, what: str):
        self.current = current
        who = current.updated_by or current.created_by
        at = timezone.localtime(current.updated_at).strftime("%H:%M on %-d %B %Y")
        super().__init__(
            f"{who} changed this {what} at {at}, after you opened it. Your changes have not been "
            f"saved over theirs: check the {what} below and make your changes again."
        )


def _require(actor, capability: Capability) -> None:
    if not can(actor, capability):
        raise PermissionDenied(f"Your role does not allow this ({capability.value})")


def _text(errors: dict, name: str, value: str, *, required: str = "", limit: int = sg.MAX_TEXT):
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        errors[name] = required
    elif len(text) > limit:
        errors[name] = f"Must be {limit:,} characters or fewer"
    return text


def _date(errors: dict, name: str, day: dt.date | None, label: str, *, required: bool,
          today: dt.date, not_before: dt.date | None = None, before_words: str = ""):  # fmt: skip
    if day is None:
        if required:
            errors[name] = f"Enter the {label}"
        return
    if day > today:
        errors[name] = f"The {label} must be today or in the past"
    elif not_before is not None and day < not_before:
        errors[name] = f"The {label} must be on or after {before_words or _d(not_before)}"


def _d(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def _lead_enquirer(errors: dict, worker):
    if worker is None:
        return None
    if not worker.is_active or not can(worker, Capability.SAFEGUARDING_ENQUIRY):
        errors["lead_enquirer"] = "Select a practitioner who can lead a safeguarding enquiry"
    return worker


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# --- concerns ----------------------------------------------------------------------------------


@transaction.atomic
def raise_concern(
    actor,
    person,
    *,
    received_at: dt.datetime,
    raised_by_name: str,
    source: str,
    details: str,
    risk_types: Iterable[str],
    location_of_risk: str,
    source_of_risk: str,
    raised_by_role: str = "",
    raised_by_organisation: str = "",
    source_relationship: str = "",
    source_provider: Organisation | None = None,
    immediate_actions: str = "",
) -> Concern:
    """Record a safeguarding concern about ``person`` (anyone may raise one: the worker records
    who raised it)."""
    _require(actor, Capability.RAISE_CONCERN)
    errors: dict[str, str] = {}
    now = timezone.now()
    if received_at is None:
        errors["received_at"] = "Enter when the concern was received"
    elif received_at > now + dt.timedelta(minutes=5):
        errors["received_at"] = "When the concern was received must be now or in the past"
    elif timezone.localtime(received_at).date() < person.date_of_birth:
        errors["received_at"] = "The concern cannot be received before the person was born"
    name = _text(errors, "raised_by_name", raised_by_name, limit=SHORT_TEXT,
                 required="Enter the name of the person raising the concern")  # fmt: skip
    role = _text(errors, "raised_by_role", raised_by_role, limit=SHORT_TEXT)
    organisation = _text(errors, "raised_by_organisation", raised_by_organisation, limit=SHORT_TEXT)
    if source not in dict(sg.CONCERN_SOURCES):
        errors["source"] = "Select who raised the concern"
    text = _text(errors, "details", details, required="Describe the concern")
    types = list(dict.fromkeys(risk_types or ()))
    if not types:
        errors["risk_types"] = "Select the type of abuse or neglect (at least one)"
    elif any(t not in dict(sg.TYPE_OF_RISK) for t in types):
        errors["risk_types"] = "Select types of abuse or neglect from the list"
    if location_of_risk not in dict(sg.LOCATION_OF_RISK):
        errors["location_of_risk"] = "Select where the abuse or neglect happened or may happen"
    if source_of_risk not in dict(sg.SOURCE_OF_RISK):
        errors["source_of_risk"] = "Select who the source of risk is"
    if source_relationship and source_relationship not in dict(sg.SOURCE_RELATIONSHIPS):
        errors["source_relationship"] = "Select the relationship from the list"
    if source_provider is not None:
        if source_provider.kind != Organisation.PROVIDER:
            errors["source_provider"] = "Select a care provider"
        elif source_of_risk != sg.SERVICE_PROVIDER:
            errors["source_provider"] = (
                "A provider is named only when the source of risk is a service provider: "
                "choose Service Provider, or leave the provider empty"
            )
    actions = _text(errors, "immediate_actions", immediate_actions)
    _raise(errors)
    concern = Concern.objects.create(
        person=person,
        received_at=received_at,
        received_on=timezone.localtime(received_at).date(),
        raised_by_name=name,
        raised_by_role=role,
        raised_by_organisation=organisation,
        source=source,
        details=text,
        location_of_risk=location_of_risk,
        source_of_risk=source_of_risk,
        source_relationship=source_relationship,
        source_provider=source_provider,
        immediate_actions=actions,
        created_by=actor,
    )
    ConcernRiskType.objects.bulk_create(
        ConcernRiskType(concern=concern, risk_type=t) for t in types
    )
    audit.record(
        actor,
        audit.Action.CREATE,
        person=person,
        obj=concern,
        summary=f"Raised a safeguarding concern ({concern.reference})",
        changes={
            "after": {
                **audit.snapshot(concern, ["received_at", "source", "location_of_risk",
                                           "source_of_risk", "source_provider_id"]),
                "risk_types": types,
            }
        },
    )  # fmt: skip
    return concern


# --- the s42 decision --------------------------------------------------------------------------


@transaction.atomic
def decide(
    actor,
    concern: Concern,
    *,
    answers: dict[str, bool | None],
    reasons: dict[str, str],
    result: str,
    decided_on: dt.date | None,
    route: str = "",
    reason: str = "",
    lead_enquirer=None,
) -> S42Decision:
    """Record the s42 decision on a concern; an enquiry starts the same day when it leads to
    one (led by ``lead_enquirer``, or the decider), otherwise the concern closes."""
    _require(actor, Capability.DECIDE_SAFEGUARDING)
    current = (
        Concern.objects.select_for_update(of=("self",)).select_related("person").get(pk=concern.pk)
    )
    if S42Decision.objects.filter(concern=current).exists():
        raise ValidationError({"__all__": "A decision has already been recorded on this concern"})
    today = timezone.localdate()
    errors = sg.decision_errors(
        answers, reasons, result=result, route=route, reason=reason, decided_on=decided_on,
        received_on=current.received_on, today=today,
    )  # fmt: skip
    clean: dict[str, str] = {}
    for key in sg.CRITERION_KEYS:
        clean[key] = _text(errors, f"{key}_reason", reasons.get(key, ""))
    why = _text(errors, "reason", reason)
    lead = _lead_enquirer(errors, lead_enquirer) if result != sg.OTHER_ROUTE else None
    _raise(errors)
    decision = S42Decision.objects.create(
        concern=current,
        needs_care_and_support=answers["needs_care_and_support"],
        needs_care_and_support_reason=clean["needs_care_and_support"],
        abuse_or_neglect=answers["abuse_or_neglect"],
        abuse_or_neglect_reason=clean["abuse_or_neglect"],
        unable_to_protect=answers["unable_to_protect"],
        unable_to_protect_reason=clean["unable_to_protect"],
        result=result,
        route=route if result == sg.OTHER_ROUTE else "",
        reason=why,
        decided_on=decided_on,
        decided_by=actor,
    )
    if decision.leads_to_enquiry:
        Enquiry.objects.create(
            concern=current,
            person=current.person,
            kind=result,
            started_on=decided_on,
            lead_enquirer=lead or actor,
            created_by=actor,
            updated_by=actor,
        )
    else:
        current.closed_on = decided_on
    current.version += 1
    current.save(update_fields=["closed_on", "version"])
    audit.record(
        actor,
        audit.Action.CREATE,
        person=current.person,
        obj=decision,
        summary=f"Recorded the s42 decision on {current.reference}: "
        f"{decision.get_result_display()}",
        changes={"after": audit.snapshot(decision)},
    )
    return decision


# --- enquiries ---------------------------------------------------------------------------------


def _locked(enquiry: Enquiry, version: int | None) -> Enquiry:
    current = (
        Enquiry.objects.select_for_update(of=("self",))
        .select_related("person", "concern", "created_by", "updated_by")
        .get(pk=enquiry.pk)
    )
    if version is not None and current.version != version:
        raise Conflict(current, "enquiry")
    return current


def _require_open(enquiry: Enquiry) -> None:
    if not enquiry.is_open:
        raise ValidationError(
            {"__all__": f"The enquiry concluded on {_d(enquiry.concluded_on)}: it cannot be "
             "changed"}
        )  # fmt: skip


def _save(actor, obj, changes: dict, summary: str, *, person=None):
    """Apply ``changes`` to a locked enquiry or plan, bump its version and audit what changed
    (nothing when nothing did)."""
    before = audit.snapshot(obj, list(changes))
    after = audit.plain(changes)
    changed = {k: v for k, v in changes.items() if before.get(k) != after[k]}
    if not changed:
        return obj
    for name, value in changed.items():
        setattr(obj, name, value)
    obj.version += 1
    obj.updated_by = actor
    obj.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
    audit.record(
        actor,
        audit.Action.UPDATE,
        person=person or obj.person,
        obj=obj,
        summary=summary,
        changes=audit.diff({k: before[k] for k in changed}, {k: after[k] for k in changed}),
    )
    return obj


@transaction.atomic
def update_enquiry(actor, enquiry: Enquiry, *, version: int, lead_enquirer, enquiry_plan: str):
    """The lead enquirer and the enquiry plan."""
    _require(actor, Capability.SAFEGUARDING_ENQUIRY)
    current = _locked(enquiry, version)
    _require_open(current)
    errors: dict[str, str] = {}
    if lead_enquirer is None:
        errors["lead_enquirer"] = "Select the lead enquirer"
    lead = _lead_enquirer(errors, lead_enquirer)
    plan = _text(errors, "enquiry_plan", enquiry_plan)
    _raise(errors)
    return _save(
        actor, current, {"lead_enquirer_id": lead.pk, "enquiry_plan": plan},
        "Changed the safeguarding enquiry's lead and plan",
    )  # fmt: skip


@transaction.atomic
def record_outcomes_asked(
    actor,
    enquiry: Enquiry,
    *,
    version: int,
    msp_asked: str,
    outcomes_asked_on: dt.date | None,
    desired_outcomes: str,
) -> Enquiry:
    """Making Safeguarding Personal: whether the adult (or their representative) was asked
    what outcomes they want, when, and the outcomes in their words."""
    _require(actor, Capability.SAFEGUARDING_ENQUIRY)
    current = _locked(enquiry, version)
    _require_open(current)
    errors: dict[str, str] = {}
    if msp_asked not in dict(sg.MSP_ASKED_RECORDABLE):
        errors["msp_asked"] = "Select whether the adult was asked what outcomes they want"
    asked = msp_asked in sg.ASKED
    _date(errors, "outcomes_asked_on", outcomes_asked_on, "date they were asked",
          required=asked, today=timezone.localdate(), not_before=current.concern.received_on,
          before_words=f"the concern was received ({_d(current.concern.received_on)})")  # fmt: skip
    outcomes = _text(
        errors, "desired_outcomes", desired_outcomes,
        required="Write the outcomes the adult wants, in their words where possible"
        if msp_asked == sg.MSP_EXPRESSED else "",
    )  # fmt: skip
    if msp_asked and msp_asked != sg.MSP_EXPRESSED and outcomes:
        errors["desired_outcomes"] = (
            "No outcomes were expressed: leave the outcomes empty, or choose that they were "
            "asked and expressed outcomes"
        )
    _raise(errors)
    return _save(
        actor,
        current,
        {
            "msp_asked": msp_asked,
            "outcomes_asked_on": outcomes_asked_on if asked else None,
            "desired_outcomes": outcomes,
        },
        "Recorded the outcomes the adult wants (Making Safeguarding Personal)",
    )


@transaction.atomic
def record_advocacy(
    actor,
    enquiry: Enquiry,
    *,
    version: int,
    substantial_difficulty: bool | None,
    appropriate_person: str,
    advocate_referred_on: dt.date | None,
) -> Enquiry:
    """s68: would the adult have substantial difficulty being involved; is there an appropriate
    person to support them; when an independent advocate was referred."""
    _require(actor, Capability.SAFEGUARDING_ENQUIRY)
    current = _locked(enquiry, version)
    _require_open(current)
    errors: dict[str, str] = {}
    if substantial_difficulty not in (True, False):
        errors["substantial_difficulty"] = (
            "Select whether the adult would have substantial difficulty being involved"
        )
    person = _text(errors, "appropriate_person", appropriate_person, limit=SHORT_TEXT)
    if substantial_difficulty is False and person:
        errors["appropriate_person"] = (
            "An appropriate person is named only where the adult would have substantial "
            "difficulty being involved: leave this empty"
        )
    errors |= sg.advocacy_errors(
        substantial_difficulty, person, advocate_referred_on, today=timezone.localdate()
    )
    _raise(errors)
    return _save(
        actor,
        current,
        {
            "substantial_difficulty": substantial_difficulty,
            "appropriate_person": person,
            "advocate_referred_on": advocate_referred_on,
        },
        "Recorded advocacy for the safeguarding enquiry (Care Act 2014 s68)",
    )


def _open_for_adding(enquiry: Enquiry) -> Enquiry:
    current = (
        Enquiry.objects.select_for_update(of=("self",))
        .select_related("person", "concern")
        .get(pk=enquiry.pk)
    )
    _require_open(current)
    return current


@transaction.atomic
def add_action(actor, enquiry: Enquiry, *, taken_on: dt.date | None, description: str):
    _require(actor, Capability.SAFEGUARDING_ENQUIRY)
    current = _open_for_adding(enquiry)
    errors: dict[str, str] = {}
    _date(errors, "taken_on", taken_on, "date of the action", required=True,
          today=timezone.localdate(), not_before=current.concern.received_on,
          before_words=f"the concern was received ({_d(current.concern.received_on)})")  # fmt: skip
    text = _text(errors, "description", description, required="Describe the action")
    _raise(errors)
    action = EnquiryAction.objects.create(
        enquiry=current, taken_on=taken_on, description=text, recorded_by=actor
    )
    audit.record(
        actor, audit.Action.CREATE, person=current.person, obj=action,
        summary=f"Added an action to the safeguarding enquiry ({_d(taken_on)})",
    )  # fmt: skip
    return action


@transaction.atomic
def add_meeting(
    actor, enquiry: Enquiry, *, held_on: dt.date | None, attendees: str, decisions: str
) -> StrategyMeeting:
    _require(actor, Capability.SAFEGUARDING_ENQUIRY)
    current = _open_for_adding(enquiry)
    errors: dict[str, str] = {}
    _date(errors, "held_on", held_on, "date of the meeting", required=True,
          today=timezone.localdate(), not_before=current.concern.received_on,
          before_words=f"the concern was received ({_d(current.concern.received_on)})")  # fmt: skip
    who = _text(errors, "attendees", attendees, required="List who attended")
    what = _text(errors, "decisions", decisions, required="Record what the meeting decided")
    _raise(errors)
    meeting = StrategyMeeting.objects.create(
        enquiry=current, held_on=held_on, attendees=who, decisions=what, recorded_by=actor
    )
    audit.record(
        actor, audit.Action.CREATE, person=current.person, obj=meeting,
        summary=f"Recorded a strategy meeting ({_d(held_on)})",
    )  # fmt: skip
    return meeting


# --- the safeguarding plan ---------------------------------------------------------------------


@transaction.atomic
def save_plan(
    actor,
    enquiry: Enquiry,
    *,
    version: int | None,
    details: str,
    started_on: dt.date | None,
    review_due: dt.date | None,
) -> SafeguardingPlan:
    """Record the enquiry's safeguarding plan, or change it while it is in place (``version``:
    the plan's, None for a new one)."""
    _require(actor, Capability.SAFEGUARDING_ENQUIRY)
    current = (
        Enquiry.objects.select_for_update(of=("self",))
        .select_related("person", "concern")
        .get(pk=enquiry.pk)
    )
    plan = (
        SafeguardingPlan.objects.select_for_update(of=("self",))
        .select_related("created_by", "updated_by")
        .filter(enquiry=current)
        .first()
    )
    if plan is None:
        _require_open(current)
    elif version is None or plan.version != version:
        raise Conflict(plan, "safeguarding plan")
    elif not plan.is_open:
        raise ValidationError(
            {"__all__": f"The safeguarding plan closed on {_d(plan.closed_on)}: it cannot be "
             "changed"}
        )  # fmt: skip
    errors: dict[str, str] = {}
    text = _text(errors, "details", details, required="Write the safeguarding plan")
    today = timezone.localdate()
    _date(errors, "started_on", started_on, "date the plan starts", required=True,
          today=today, not_before=current.concern.received_on,
          before_words=f"the concern was received ({_d(current.concern.received_on)})")  # fmt: skip
    if review_due is not None and started_on is not None and review_due <= started_on:
        errors["review_due"] = "The review date must be after the plan starts"
    _raise(errors)
    if plan is None:
        plan = SafeguardingPlan.objects.create(
            enquiry=current, details=text, started_on=started_on, review_due=review_due,
            created_by=actor, updated_by=actor,
        )  # fmt: skip
        audit.record(
            actor, audit.Action.CREATE, person=current.person, obj=plan,
            summary="Recorded the safeguarding plan",
        )  # fmt: skip
        return plan
    return _save(
        actor, plan, {"details": text, "started_on": started_on, "review_due": review_due},
        "Changed the safeguarding plan", person=current.person,
    )  # fmt: skip


@transaction.atomic
def review_plan(
    actor,
    plan: SafeguardingPlan,
    *,
    reviewed_on: dt.date | None,
    notes: str,
    close: bool,
    next_review_due: dt.date | None,
) -> SafeguardingPlanReview:
    """Review the plan: close it, or set the next review date."""
    _require(actor, Capability.SAFEGUARDING_ENQUIRY)
    current = (
        SafeguardingPlan.objects.select_for_update(of=("self",))
        .select_related("enquiry__person")
        .get(pk=plan.pk)
    )
    if not current.is_open:
        raise ValidationError(
            {"__all__": f"The safeguarding plan closed on {_d(current.closed_on)}"}
        )
    errors: dict[str, str] = {}
    _date(errors, "reviewed_on", reviewed_on, "date of the review", required=True,
          today=timezone.localdate(), not_before=current.started_on,
          before_words=f"the plan started ({_d(current.started_on)})")  # fmt: skip
    text = _text(errors, "notes", notes, required="Record what the review found")
    if close and next_review_due is not None:
        errors["next_review_due"] = "The plan is being closed: leave the next review date empty"
    elif not close:
        if next_review_due is None:
            errors["next_review_due"] = "Enter the date of the next review, or close the plan"
        elif reviewed_on is not None and next_review_due <= reviewed_on:
            errors["next_review_due"] = "The next review must be after this one"
    _raise(errors)
    review = SafeguardingPlanReview.objects.create(
        plan=current, reviewed_on=reviewed_on, notes=text, closed_plan=close,
        next_review_due=None if close else next_review_due, reviewed_by=actor,
    )  # fmt: skip
    _save(
        actor, current,
        {"closed_on": reviewed_on, "review_due": None} if close
        else {"review_due": next_review_due},
        "Closed the safeguarding plan at its review" if close
        else "Set the safeguarding plan's next review",
        person=current.enquiry.person,
    )  # fmt: skip
    audit.record(
        actor, audit.Action.CREATE, person=current.enquiry.person, obj=review,
        summary="Reviewed the safeguarding plan" + (" and closed it" if close else ""),
    )  # fmt: skip
    return review


# --- concluding --------------------------------------------------------------------------------


@transaction.atomic
def conclude(
    actor,
    enquiry: Enquiry,
    *,
    version: int,
    concluded_on: dt.date | None,
    risk_outcome: str,
    msp_achieved: str,
    conclusion: str,
    plan_after: str = "",
    plan_review_due: dt.date | None = None,
) -> Enquiry:
    """Conclude the enquiry (signed off by a safeguarding lead or team manager): it needs its
    risk outcome, the Making Safeguarding Personal answers, advocacy considered and the
    safeguarding plan closed or kept with a review date (see
    :func:`carebridge.rules.safeguarding.closure_errors`)."""
    _require(actor, Capability.DECIDE_SAFEGUARDING)
    current = _locked(enquiry, version)
    _require_open(current)
    plan = SafeguardingPlan.objects.select_for_update(of=("self",)).filter(enquiry=current).first()
    plan_open = plan is not None and plan.is_open
    errors = sg.closure_errors(
        concluded_on=concluded_on,
        started_on=current.started_on,
        today=timezone.localdate(),
        risk_outcome=risk_outcome,
        msp_asked=current.msp_asked,
        msp_achieved=msp_achieved,
        substantial_difficulty=current.substantial_difficulty,
        appropriate_person=current.appropriate_person,
        advocate_referred_on=current.advocate_referred_on,
        plan_open=plan_open,
        plan_after=plan_after,
        plan_review_due=plan_review_due,
    )
    text = _text(errors, "conclusion", conclusion)
    if plan_open and concluded_on is not None and concluded_on < plan.started_on:
        errors.setdefault(
            "concluded_on",
            f"The enquiry cannot conclude before its plan started ({_d(plan.started_on)})",
        )
    _raise(errors)
    _save(
        actor,
        current,
        {
            "concluded_on": concluded_on,
            "concluded_by_id": actor.pk,
            "risk_outcome": risk_outcome,
            "msp_achieved": msp_achieved,
            "conclusion": text,
        },
        f"Concluded the safeguarding enquiry: {sg.label(sg.RISK_OUTCOME, risk_outcome)}",
    )
    if plan_open:
        closing = plan_after == sg.PLAN_CLOSE
        _save(
            actor, plan,
            {"closed_on": concluded_on, "review_due": None} if closing
            else {"review_due": plan_review_due},
            "Closed the safeguarding plan as the enquiry concluded" if closing
            else f"Kept the safeguarding plan in place, to be reviewed by {_d(plan_review_due)}",
            person=current.person,
        )  # fmt: skip
    concern = current.concern
    concern.closed_on = concluded_on
    concern.version += 1
    concern.save(update_fields=["closed_on", "version"])
    return current
