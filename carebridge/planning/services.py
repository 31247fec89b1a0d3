"""Changes to care and support plans, personal budgets, direct payments and reviews.

Every write goes through here and is audited. Plans are optimistically locked (``version``);
approval turns planned services into CLD Service events and starts the review schedule.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from carebridge.assessments.models import Assessment
from carebridge.casework.models import Event
from carebridge.casework.services import record_event
from carebridge.core import audit
from carebridge.core.access import Capability, can
from carebridge.rules import cld, ras, reviews
from carebridge.rules.money import money

from . import budget
from .models import (
    CarePlan,
    DirectPaymentAgreement,
    PlanDecision,
    PlannedService,
    ResourceAllocationScheme,
    Review,
)

PLAN_TEXT_FIELDS = (
    "outcomes_wanted",
    "contingency_plan",
    "informal_support",
    "information_and_advice",
)
MAX_TEXT = 20_000


class PlanConflict(Exception):
    def __init__(self, current: CarePlan):
        self.current = current
        who = current.updated_by or current.created_by
        at = timezone.localtime(current.updated_at).strftime("%H:%M on %d %B %Y")
        super().__init__(
            f"{who} changed this plan at {at}, after you opened it. Your changes have not been "
            "saved over theirs: check the plan below and make your changes again."
        )


def _require(actor, capability: Capability) -> None:
    if not can(actor, capability):
        raise PermissionDenied(f"Your role does not allow this ({capability.value})")


def _locked(plan: CarePlan, version: int | None) -> CarePlan:
    current = CarePlan.objects.select_for_update().get(pk=plan.pk)
    if version is not None and current.version != version:
        raise PlanConflict(current)
    return current


def _touch(plan: CarePlan, actor, **fields) -> None:
    CarePlan.objects.filter(pk=plan.pk).update(
        version=F("version") + 1, updated_by=actor, updated_at=timezone.now(), **fields
    )
    plan.refresh_from_db()


# --- Resource allocation system ---------------------------------------------------------------


def current_scheme(
    on: dt.date | None = None,
) -> tuple[ras.RasScheme, ResourceAllocationScheme | None]:
    """The RAS version in force on a date; the built-in example if the council has none."""
    on = on or timezone.localdate()
    row = (
        ResourceAllocationScheme.objects.filter(effective_from__lte=on)
        .order_by("-effective_from", "-version")
        .first()
    )
    if row is None:
        return ras.DEFAULT_SCHEME, None
    return ras.scheme_from_dict({**row.scheme, "version": row.version}), row


@transaction.atomic
def save_scheme(
    actor, data: dict, *, effective_from: dt.date, note: str = ""
) -> ResourceAllocationScheme:
    """Save a new RAS version (versions are never edited)."""
    _require(actor, Capability.CONFIGURE_RAS)
    latest = ResourceAllocationScheme.objects.select_for_update().order_by("-version").first()
    version = (latest.version if latest else 0) + 1
    try:
        scheme = ras.scheme_from_dict({**data, "version": version})
        scheme.validate()
    except ras.InvalidScheme as e:
        raise ValidationError({"scheme": str(e)}) from None
    row = ResourceAllocationScheme.objects.create(
        version=version,
        scheme=ras.scheme_to_dict(scheme),
        effective_from=effective_from,
        note=note,
        created_by=actor,
    )
    audit.record(
        actor,
        audit.Action.CREATE,
        obj=row,
        summary=f"Saved resource allocation system version {version}",
        changes={"after": row.scheme},
    )
    return row


# --- Plans ---------------------------------------------------------------------------------------


@transaction.atomic
def start_plan(actor, assessment: Assessment) -> CarePlan:
    _require(actor, Capability.ASSESS)
    determination = getattr(assessment, "determination", None)
    if assessment.status != Assessment.Status.COMPLETED or determination is None:
        raise ValidationError({"__all__": "Complete the assessment before writing a plan"})
    if not determination.eligible:
        raise ValidationError(
            {"__all__": "The needs are not eligible: there is no duty to plan to meet them"}
        )
    existing = CarePlan.objects.filter(
        assessment=assessment,
        status__in=[CarePlan.Status.DRAFT, CarePlan.Status.SUBMITTED, CarePlan.Status.RETURNED],
    ).first()
    if existing:
        return existing
    supersedes = CarePlan.objects.filter(
        person=assessment.person, status=CarePlan.Status.APPROVED
    ).first()
    scheme, _ = current_scheme()
    outcomes = {k: v.get("limbs", []) for k, v in (assessment.outcomes or {}).items()}
    eligible_outcomes = {k: outcomes.get(k, []) for k in determination.outcomes_unable}
    indicative = (
        ras.indicative_budget(scheme, eligible_outcomes)
        if assessment.kind == Assessment.Kind.ADULT
        else None
    )
    plan = CarePlan.objects.create(
        person=assessment.person,
        assessment=assessment,
        supersedes=supersedes,
        needs={k: {"how_met": "", "means": []} for k in determination.outcomes_unable},
        informal_support=assessment.informal_support,
        outcomes_wanted=(supersedes.outcomes_wanted if supersedes else ""),
        contingency_plan=(supersedes.contingency_plan if supersedes else ""),
        ras_version=scheme.version if indicative else None,
        ras_points=indicative.points if indicative else None,
        indicative_weekly=indicative.weekly_amount if indicative else None,
        person_contribution_weekly=(supersedes.person_contribution_weekly if supersedes else None),
        created_by=actor,
        updated_by=actor,
    )
    if supersedes:
        from carebridge.mentalhealth.aftercare_services import carry_funding

        for s in supersedes.services.all():
            copy = PlannedService.objects.create(
                plan=plan,
                description=s.description,
                service_type=s.service_type,
                service_component=s.service_component,
                delivery_mechanism=s.delivery_mechanism,
                provider_id=s.provider_id,
                unit_cost=s.unit_cost,
                cost_frequency=s.cost_frequency,
                planned_units_per_week=s.planned_units_per_week,
                s117_aftercare=s.s117_aftercare,
            )
            carry_funding(s, copy)  # funded under open s117 aftercare: stays so
    audit.record(
        actor,
        audit.Action.CREATE,
        person=plan.person,
        obj=plan,
        summary="Started a care and support plan" + (" (revision)" if supersedes else ""),
    )
    return plan


def _require_editable(plan: CarePlan) -> None:
    if not plan.is_editable:
        raise ValidationError(
            {"__all__": f"The plan is {plan.get_status_display().lower()} and cannot be changed"}
        )


@transaction.atomic
def update_plan(actor, plan: CarePlan, *, version: int, fields: dict) -> CarePlan:
    _require(actor, Capability.ASSESS)
    current = _locked(plan, version)
    _require_editable(current)
    changes: dict = {}
    errors: dict[str, str] = {}
    for name in PLAN_TEXT_FIELDS:
        if name in fields:
            text = (fields[name] or "").replace("\r\n", "\n").strip()
            if len(text) > MAX_TEXT:
                errors[name] = f"Must be {MAX_TEXT:,} characters or fewer"
            changes[name] = text
    if "needs" in fields:
        needs = {}
        for key in current.needs:
            answer = fields["needs"].get(key, {})
            means = [m for m in answer.get("means", []) if m in budget.MEANS]
            needs[key] = {"how_met": (answer.get("how_met") or "").strip(), "means": means}
        changes["needs"] = needs
    if "start_date" in fields:
        changes["start_date"] = fields["start_date"]
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(current, list(changes))
    after = audit.plain(changes)
    changed = {k: v for k, v in changes.items() if before.get(k) != after[k]}
    if changed:
        _touch(current, actor, **changed)
        audit.record(
            actor,
            audit.Action.UPDATE,
            person=current.person,
            obj=current,
            summary="Changed the care and support plan",
            changes=audit.diff({k: before[k] for k in changed}, {k: after[k] for k in changed}),
        )
    plan.refresh_from_db()
    return plan


@transaction.atomic
def add_service(actor, plan: CarePlan, *, version: int, **fields) -> PlannedService:
    _require(actor, Capability.ASSESS)
    current = _locked(plan, version)
    _require_editable(current)
    service = PlannedService(plan=current, **fields)
    service.full_clean()
    service.save()
    _touch(current, actor)
    audit.record(
        actor,
        audit.Action.CREATE,
        person=current.person,
        obj=service,
        summary=f"Added a service to the plan: {service.description}",
        changes={"after": audit.snapshot(service)},
    )
    plan.refresh_from_db()
    return service


@transaction.atomic
def remove_service(actor, plan: CarePlan, service: PlannedService, *, version: int) -> None:
    _require(actor, Capability.ASSESS)
    current = _locked(plan, version)
    _require_editable(current)
    if service.plan_id != current.pk:
        raise ValidationError({"__all__": "That service is not part of this plan"})
    snapshot = audit.snapshot(service)
    service.delete()
    _touch(current, actor)
    audit.record(
        actor,
        audit.Action.UPDATE,  # the plan changed (AuditEvent has no DELETE action)
        person=current.person,
        obj=current,
        summary=f"Removed a service from the plan: {snapshot['description']}",
        changes={"before": snapshot},
    )
    plan.refresh_from_db()


@transaction.atomic
def set_direct_payment(
    actor,
    plan: CarePlan,
    *,
    version: int,
    start_date: dt.date,
    agreement_signed_on: dt.date | None,
    paid_to: str,
    first_payment_on: dt.date | None = None,
) -> DirectPaymentAgreement:
    """Record (or change) the direct payment agreement. The amount is the direct-payment part of
    the personal budget: the services delivered by direct payment."""
    _require(actor, Capability.ASSESS)
    current = _locked(plan, version)
    if current.status not in {
        CarePlan.Status.DRAFT,
        CarePlan.Status.RETURNED,
        CarePlan.Status.APPROVED,
    }:
        raise ValidationError({"__all__": "The direct payment cannot be changed now"})
    amount = budget.summary(current).direct_payment_weekly
    if not amount:
        raise ValidationError(
            {"__all__": "Add the services the direct payment will buy (delivery mechanism "
             "'Direct payment') before recording the agreement"}
        )  # fmt: skip
    if agreement_signed_on and agreement_signed_on > timezone.localdate():
        raise ValidationError(
            {"agreement_signed_on": "The agreement date must not be in the future"}
        )
    if first_payment_on and first_payment_on < start_date:
        raise ValidationError(
            {"first_payment_on": "The first payment cannot be before the start date"}
        )
    dp, created = DirectPaymentAgreement.objects.update_or_create(
        plan=current,
        defaults={
            "weekly_amount": amount,
            "start_date": start_date,
            "agreement_signed_on": agreement_signed_on,
            "paid_to": paid_to,
            "first_payment_on": first_payment_on,
        },
    )
    _touch(current, actor)
    if current.status == CarePlan.Status.APPROVED:
        refresh_review_schedule(current)
    audit.record(
        actor,
        audit.Action.CREATE if created else audit.Action.UPDATE,
        person=current.person,
        obj=dp,
        summary=f"Recorded the direct payment agreement ({money(amount)} a week)",
        changes={"after": audit.snapshot(dp)},
    )
    plan.refresh_from_db()
    return dp


def submission_problems(plan: CarePlan) -> dict[str, str]:
    """What stops a plan going to a manager: s25's contents, and a consistent budget."""
    problems: dict[str, str] = {}
    for key, answer in plan.needs.items():
        if not answer.get("how_met") or not answer.get("means"):
            problems[f"need-{key}"] = (
                f"Say how the need '{budget.outcome_label(plan, key)}' will be met"
            )
    if not plan.outcomes_wanted:
        problems["outcomes_wanted"] = "Record the outcomes the person wants to achieve"
    if not plan.contingency_plan:
        problems["contingency_plan"] = "Record a contingency plan"
    if plan.start_date is None:
        problems["start_date"] = "Enter the date the plan starts"
    summary = budget.summary(plan)
    dp = getattr(plan, "direct_payment", None)
    if summary.direct_payment_weekly and dp is None:
        problems["direct_payment"] = "Record the direct payment agreement"
    elif dp is not None and dp.weekly_amount != summary.direct_payment_weekly:
        problems["direct_payment"] = (
            f"The direct payment agreement is for {money(dp.weekly_amount)} a week but the "
            f"services paid by direct payment cost {money(summary.direct_payment_weekly)}: "
            "update the agreement"
        )
    if not plan.services.exists() and any(
        "commissioned_services" in a.get("means", []) or "direct_payment" in a.get("means", [])
        for a in plan.needs.values()
    ):
        problems["services"] = "Add the services that will meet the needs, with their costs"
    return problems


@transaction.atomic
def submit_plan(actor, plan: CarePlan, *, version: int) -> CarePlan:
    _require(actor, Capability.ASSESS)
    current = _locked(plan, version)
    _require_editable(current)
    problems = submission_problems(current)
    if problems:
        raise ValidationError(problems)
    _touch(current, actor, status=CarePlan.Status.SUBMITTED)
    PlanDecision.objects.create(
        plan=current, decision=PlanDecision.Decision.SUBMITTED, by=actor, at=timezone.now()
    )
    audit.record(
        actor, audit.Action.UPDATE, person=current.person, obj=current,
        summary="Submitted the care and support plan for approval",
    )  # fmt: skip
    plan.refresh_from_db()
    return plan


@transaction.atomic
def return_plan(actor, plan: CarePlan, *, version: int, reasons: str) -> CarePlan:
    _require(actor, Capability.APPROVE_PLAN)
    current = _locked(plan, version)
    if current.status != CarePlan.Status.SUBMITTED:
        raise ValidationError({"__all__": "Only a plan awaiting approval can be returned"})
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": "Enter the reasons for returning the plan"})
    _touch(current, actor, status=CarePlan.Status.RETURNED)
    PlanDecision.objects.create(
        plan=current, decision=PlanDecision.Decision.RETURNED, by=actor, at=timezone.now(),
        reasons=reasons,
    )  # fmt: skip
    audit.record(
        actor, audit.Action.UPDATE, person=current.person, obj=current,
        summary="Returned the care and support plan for changes", reason=reasons,
    )  # fmt: skip
    plan.refresh_from_db()
    return plan


@transaction.atomic
def approve_plan(
    actor, plan: CarePlan, *, version: int, note: str = "", on: dt.date | None = None
) -> CarePlan:
    """Sign off the plan and personal budget: services become CLD events, any plan it revises
    ends, and the review schedule starts."""
    _require(actor, Capability.APPROVE_PLAN)
    current = _locked(plan, version)
    if current.status != CarePlan.Status.SUBMITTED:
        raise ValidationError({"__all__": "Only a plan awaiting approval can be approved"})
    on = on or timezone.localdate()
    old = current.supersedes
    if old is not None and old.status == CarePlan.Status.APPROVED:
        _end_plan(actor, old, on=on, outcome="Continuation of support or services")
    # A CLD service event cannot start in the future: a plan approved ahead of its start date
    # records its services from the day of approval.
    start = current.start_date or on
    client_type = (
        cld.SERVICE_USER if current.assessment.kind == Assessment.Kind.ADULT else cld.UNPAID_CARER
    )
    for s in current.services.select_related("provider"):
        event = record_event(
            actor,
            current.person,
            event_type=cld.SERVICE,
            client_type=client_type,
            start_date=min(start, timezone.localdate()),
            service_type=s.service_type,
            service_component=s.service_component,
            delivery_mechanism=s.delivery_mechanism,
            unit_cost=s.unit_cost,
            cost_frequency=s.cost_frequency,
            planned_units_per_week=s.planned_units_per_week,
            provider=s.provider,
            description=s.description,
            follows=current.assessment.event,
            team_id=actor.team_id,
            worker=current.created_by,
        )
        PlannedService.objects.filter(pk=s.pk).update(event=event)
    _touch(current, actor, status=CarePlan.Status.APPROVED, approved_on=on, approved_by=actor)
    PlanDecision.objects.create(
        plan=current, decision=PlanDecision.Decision.APPROVED, by=actor, at=timezone.now(),
        reasons=(note or "").strip(),
    )  # fmt: skip
    refresh_review_schedule(current)
    # The person's charge follows the approved plan (its cost; s117 services are never charged).
    from carebridge.finance.services import recalculate_after_plan_approval

    recalculate_after_plan_approval(actor, current)
    audit.record(
        actor, audit.Action.UPDATE, person=current.person, obj=current,
        summary=f"Approved the care and support plan (personal budget "
        f"{money(budget.summary(current).weekly_total)} a week)",
        reason=note,
    )  # fmt: skip
    plan.refresh_from_db()
    return plan


def _end_plan(actor, plan: CarePlan, *, on: dt.date, outcome: str) -> None:
    CarePlan.objects.filter(pk=plan.pk).update(
        status=CarePlan.Status.ENDED, end_date=on, next_review_due=None, next_review_kind=""
    )
    ids = list(plan.services.exclude(event=None).values_list("event_id", flat=True))
    for event in Event.objects.filter(pk__in=ids, end_date__isnull=True):
        event.end_date = max(on, event.start_date)
        event.outcome = outcome
        event.save(update_fields=["end_date", "outcome"])
    audit.record(
        actor, audit.Action.UPDATE, person=plan.person, obj=plan,
        summary="Ended the care and support plan (replaced by a revised plan)",
    )  # fmt: skip


def review_schedule(plan: CarePlan) -> list[reviews.ReviewDue]:
    """Every review the plan owes now, earliest first."""
    if plan.status != CarePlan.Status.APPROVED or plan.approved_on is None:
        return []
    done = list(
        plan.reviews.filter(status=Review.Status.COMPLETED).values_list("completed_on", "kind")
    )
    dp = getattr(plan, "direct_payment", None)
    requested = (
        plan.reviews.filter(status=Review.Status.REQUESTED)
        .order_by("requested_on")
        .values_list("requested_on", flat=True)
        .first()
    )
    due = reviews.reviews_due(
        plan_approved_on=plan.approved_on,
        reviews_completed=sorted(
            d for d, k in done if k not in {Review.Kind.DP_FIRST, Review.Kind.DP}
        ),
        first_direct_payment_on=dp.first_payment_on if dp else None,
        direct_payment_reviews_completed=sorted(
            d for d, k in done if k in {Review.Kind.DP_FIRST, Review.Kind.DP}
        ),
        unplanned_requested_on=requested,
    )
    return sorted(due, key=lambda r: r.due)


def refresh_review_schedule(plan: CarePlan) -> None:
    schedule = review_schedule(plan)
    first = schedule[0] if schedule else None
    CarePlan.objects.filter(pk=plan.pk).update(
        next_review_due=first.due if first else None,
        next_review_kind=first.kind if first else "",
    )


# --- Reviews ----------------------------------------------------------------------------------


@transaction.atomic
def request_review(
    actor, plan: CarePlan, *, requested_on: dt.date, requested_by: str, reason: str
) -> Review:
    """An unplanned review on request (s27(1)(b)): by the person or someone on their behalf."""
    _require(actor, Capability.ASSESS)
    if plan.status != CarePlan.Status.APPROVED:
        raise ValidationError({"__all__": "Only an approved plan can be reviewed"})
    if requested_on > timezone.localdate():
        raise ValidationError({"requested_on": "The date of the request must not be in the future"})
    if not (reason or "").strip():
        raise ValidationError({"request_reason": "Enter why a review has been asked for"})
    if plan.reviews.filter(status=Review.Status.REQUESTED).exists():
        raise ValidationError(
            {"__all__": "A review has already been requested and is not done yet"}
        )
    review = Review.objects.create(
        person=plan.person,
        plan=plan,
        kind=Review.Kind.UNPLANNED,
        status=Review.Status.REQUESTED,
        requested_on=requested_on,
        requested_by=(requested_by or "").strip(),
        request_reason=reason.strip(),
    )
    refresh_review_schedule(plan)
    audit.record(
        actor, audit.Action.CREATE, person=plan.person, obj=review,
        summary="Recorded a request for an unplanned review", reason=reason,
    )  # fmt: skip
    return review


# CLD Review_Reason of a review recorded here: planned unless someone asked for it.
PLANNED_REVIEW_REASON = "Planned"
UNPLANNED_REVIEW_REASON = "Unplanned - Other Reason"
OUTCOMES_ACHIEVED_REQUIRED = (
    "Select whether the person's outcomes were fully met, partially met or not met"
)


@transaction.atomic
def complete_review(
    actor,
    plan: CarePlan,
    *,
    completed_on: dt.date,
    method_of_review: str,
    outcomes_achieved: str,
    cld_outcome: str,
    leads_to_reassessment: bool,
    direct_payment_working: str = "",
    cld_outcomes_achieved: str = "",
) -> Review:
    """Record a review: what was achieved, the CLD outcome, and whether to reassess.

    ``cld_outcomes_achieved`` is how far the person's outcomes were met (CLD
    Review_Outcomes_Achieved, from ``cld.codes``): required on planned reviews (fields.csv),
    optional on an unplanned one (a review someone asked for)."""
    _require(actor, Capability.ASSESS)
    plan = CarePlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != CarePlan.Status.APPROVED:
        raise ValidationError({"__all__": "Only an approved plan can be reviewed"})
    errors: dict[str, str] = {}
    if completed_on > timezone.localdate():
        errors["completed_on"] = "The date of the review must be today or in the past"
    elif plan.approved_on and completed_on < plan.approved_on:
        errors["completed_on"] = "The review cannot be before the plan was approved"
    if not outcomes_achieved.strip():
        errors["outcomes_achieved"] = "Record what the person has achieved against their outcomes"
    if cld_outcome not in dict(cld.choices(cld.EVENT_OUTCOME)):
        errors["cld_outcome"] = "Select the outcome of the review"
    if method_of_review not in dict(cld.choices(cld.METHOD_OF_REVIEW)):
        errors["method_of_review"] = "Select how the review was done"
    requested = plan.reviews.filter(status=Review.Status.REQUESTED).first()
    review_reason = UNPLANNED_REVIEW_REASON if requested else PLANNED_REVIEW_REASON
    achieved = (cld_outcomes_achieved or "").strip()
    if achieved and not cld.is_valid(cld.REVIEW_OUTCOMES_ACHIEVED, achieved):
        errors["cld_outcomes_achieved"] = "Select how far the outcomes were met from the options"
    elif not achieved and cld.review_outcomes_required(review_reason):
        errors["cld_outcomes_achieved"] = OUTCOMES_ACHIEVED_REQUIRED
    if errors:
        raise ValidationError(errors)
    # A review of the whole plan is a plan review (it also satisfies a direct-payment review
    # falling due: rules.reviews); the first one after approval is the 6-8 week review.
    if requested:
        kind = Review.Kind.UNPLANNED
    elif plan.reviews.filter(status=Review.Status.COMPLETED).exists():
        kind = Review.Kind.ANNUAL
    else:
        kind = Review.Kind.FIRST
    review = requested or Review(person=plan.person, plan=plan)
    review.kind = kind
    review.status = Review.Status.COMPLETED
    review.completed_on = completed_on
    review.method_of_review = method_of_review
    review.review_reason = review_reason
    review.cld_outcomes_achieved = achieved
    review.outcomes_achieved = outcomes_achieved.strip()
    review.direct_payment_working = direct_payment_working.strip()
    review.cld_outcome = cld_outcome
    review.leads_to_reassessment = leads_to_reassessment
    review.reviewer = actor
    review.event = record_event(
        actor,
        plan.person,
        event_type=cld.REVIEW,
        client_type=(
            cld.SERVICE_USER if plan.assessment.kind == Assessment.Kind.ADULT else cld.UNPAID_CARER
        ),
        start_date=review.requested_on or completed_on,
        end_date=completed_on,
        review_reason=review.review_reason,
        method_of_review=method_of_review,
        review_outcomes_achieved=achieved,
        outcome=cld_outcome,
        team_id=actor.team_id,
        worker=actor,
    )
    review.save()
    refresh_review_schedule(plan)
    audit.record(
        actor, audit.Action.CREATE, person=plan.person, obj=review,
        summary=f"Completed a review: {review.get_kind_display().lower()}",
        changes={"after": audit.snapshot(review)},
    )  # fmt: skip
    return review
