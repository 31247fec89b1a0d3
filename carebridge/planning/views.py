"""Care and support plan pages: start a plan from an eligible assessment, write it, cost its
services, record a direct payment, submit it, approve or return it, review it, and give the
person a copy (PDF). Also the team manager's approvals and the resource allocation system.

Every change goes through :mod:`carebridge.planning.services`; the pages only read and show."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carebridge.assessments import answers
from carebridge.assessments.models import Assessment
from carebridge.casework.guards import person_view
from carebridge.core.access import Capability, can
from carebridge.core.forms import (
    DuplicateSubmission,
    already_submitted,
    as_int,
    form_errors,
    form_with_kept_work,
    submit_once,
    validation_errors,
)
from carebridge.people.models import Person
from carebridge.rules import ras
from carebridge.rules.eligibility import ADULT_LIMBS, ADULT_OUTCOMES
from carebridge.rules.reviews import is_overdue

from . import budget, letters, selectors, services
from .forms import (
    YES,
    DecisionForm,
    DirectPaymentForm,
    PlanForm,
    RasForm,
    RequestReviewForm,
    ReviewForm,
    ServiceForm,
)
from .models import (
    MEANS_OF_MEETING_NEEDS,
    CarePlan,
    PlanDecision,
    PlannedService,
    ResourceAllocationScheme,
    Review,
)

MEANS = dict(MEANS_OF_MEETING_NEEDS)
STATUS_TAG = {
    CarePlan.Status.DRAFT: "govuk-tag--grey",
    CarePlan.Status.SUBMITTED: "govuk-tag--blue",
    CarePlan.Status.RETURNED: "govuk-tag--orange",
    CarePlan.Status.APPROVED: "govuk-tag--green",
    CarePlan.Status.ENDED: "govuk-tag--grey",
}
REVIEW_KINDS = dict(Review.Kind.choices)
OUT_OF_DATE = "The form is out of date: open it again"


# --- helpers --------------------------------------------------------------------------------------


def _detail_url(plan: CarePlan) -> str:
    return reverse("planning:detail", args=[plan.person.person_id, plan.pk])


def _posted_version(request: HttpRequest) -> int:
    return as_int(request.POST.get("version"), -1)


def _need_labels(plan: CarePlan) -> dict[str, str]:
    return {key: budget.outcome_label(plan, key) for key in (plan.needs or {})}


def _needs_rows(plan: CarePlan) -> list[dict]:
    return [
        {
            "key": key,
            "label": budget.outcome_label(plan, key),
            "how_met": answer.get("how_met", ""),
            "means": [MEANS[m] for m in answer.get("means", []) if m in MEANS],
        }
        for key, answer in (plan.needs or {}).items()
    ]


def _common(plan: CarePlan, person: Person) -> dict:
    services_ = list(plan.services.all())
    return {
        "person": person,
        "plan": plan,
        "status_tag": STATUS_TAG.get(plan.status, ""),
        "services": services_,
        "summary": budget.summary(plan, services=services_),
        "needs": _needs_rows(plan),
        "units": letters.units,
    }


def _problem_links(plan: CarePlan, problems: dict[str, str]) -> list[dict]:
    """Each submission problem, linked to where the worker puts it right."""
    pid = plan.person.person_id
    edit = reverse("planning:edit", args=[pid, plan.pk])
    links = []
    for key, text in problems.items():
        if key.startswith("need-"):
            href = f"{edit}#{key}-how_met"
        elif key == "start_date":
            href = f"{edit}#start_date-day"
        elif key in PlanForm.base_fields:
            href = f"{edit}#{key}"
        elif key == "direct_payment":
            href = reverse("planning:direct-payment", args=[pid, plan.pk])
        elif key == "services":
            href = reverse("planning:add-service", args=[pid, plan.pk])
        else:
            href = "#main-content"
        links.append({"text": text, "href": href})
    return links


# --- start ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@person_view(Capability.ASSESS, page="start a care and support plan")
def start(request: HttpRequest, person: Person, access, assessment_pk: int) -> HttpResponse:
    assessment = get_object_or_404(
        Assessment.objects.select_related("determination"), pk=assessment_pk, person=person
    )
    determination = (
        getattr(assessment, "determination", None)
        if assessment.status == Assessment.Status.COMPLETED
        else None
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        if done := already_submitted(request, "The plan was already started: you submitted twice."):
            return done
        try:
            plan = submit_once(
                request,
                request.POST.get("submission_token", ""),
                lambda: services.start_plan(request.user, assessment),
                _detail_url,
            )
        except ValidationError as e:
            errors = validation_errors(e)
        except DuplicateSubmission as e:
            return redirect(e.result_url)
        else:
            messages.success(request, "The care and support plan has been started")
            return redirect(_detail_url(plan))
    in_progress = CarePlan.objects.filter(
        assessment=assessment,
        status__in=[CarePlan.Status.DRAFT, CarePlan.Status.SUBMITTED, CarePlan.Status.RETURNED],
    ).first()
    current = (
        CarePlan.objects.filter(person=person, status=CarePlan.Status.APPROVED)
        .prefetch_related("services")
        .first()
    )
    needs = []
    indicative = None
    scheme = None
    if determination is not None:
        labels = answers.outcome_labels(assessment.kind)
        needs = [labels.get(k, k) for k in determination.outcomes_unable]
        if determination.eligible and assessment.kind == Assessment.Kind.ADULT:
            scheme, _ = services.current_scheme()
            outcomes = {k: v.get("limbs", []) for k, v in (assessment.outcomes or {}).items()}
            indicative = ras.indicative_budget(
                scheme, {k: outcomes.get(k, []) for k in determination.outcomes_unable}
            )
    problem = ""
    if determination is None:
        problem = "Complete the assessment before writing a plan."
    elif not determination.eligible:
        problem = "The needs are not eligible: there is no duty to plan to meet them."
    return render(
        request,
        "planning/start.html",
        {
            "person": person,
            "assessment": assessment,
            "determination": determination,
            "needs": needs,
            "indicative": indicative,
            "scheme": scheme,
            "in_progress": in_progress,
            "current": current,
            "problem": problem,
            "errors": errors,
            "token": secrets.token_urlsafe(24),
            "title": f"Start a care and support plan: {person.full_name}",
        },
        status=400 if errors else 200,
    )


# --- the plan -------------------------------------------------------------------------------------


def _render_detail(
    request: HttpRequest, person: Person, plan: CarePlan, *, problems=None, status: int = 200
) -> HttpResponse:
    worker = request.user
    today = timezone.localdate()
    ctx = _common(plan, person)
    decisions = list(plan.decisions.all())
    reviews_ = list(plan.reviews.all())
    schedule = [
        {"due": r, "kind": REVIEW_KINDS.get(r.kind, r.kind), "overdue": is_overdue(r, today)}
        for r in services.review_schedule(plan)
    ]
    assess = can(worker, Capability.ASSESS)
    editable = assess and plan.is_editable
    deciding = can(worker, Capability.APPROVE_PLAN) and plan.status == CarePlan.Status.SUBMITTED
    returned = next(
        (d for d in reversed(decisions) if d.decision == PlanDecision.Decision.RETURNED), None
    )
    ctx.update(
        {
            "decisions": decisions,
            "last_return": returned if plan.status == CarePlan.Status.RETURNED else None,
            "completed_reviews": [r for r in reviews_ if r.status == Review.Status.COMPLETED],
            "requested_reviews": [r for r in reviews_ if r.status == Review.Status.REQUESTED],
            "schedule": schedule,
            "dp": getattr(plan, "direct_payment", None),
            "can_edit": editable,
            "can_direct_payment": assess
            and plan.status
            in {CarePlan.Status.DRAFT, CarePlan.Status.RETURNED, CarePlan.Status.APPROVED},
            "can_decide": deciding,
            "approver_wrote_it": deciding and plan.created_by_id == worker.pk,
            "can_review": assess and plan.status == CarePlan.Status.APPROVED,
            "problems": _problem_links(plan, problems) if problems else [],
            "tokens": {
                "submit": secrets.token_urlsafe(24),
                **{s.pk: secrets.token_urlsafe(24) for s in ctx["services"]},
            },
            "title": f"Care and support plan: {person.full_name}",
        }
    )
    return render(request, "planning/detail.html", ctx, status=status)


@require_GET
@person_view(Capability.VIEW_PERSON, page="a care and support plan")
def detail(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    return _render_detail(request, person, selectors.plan_for(person, pk))


@require_http_methods(["GET", "POST"])
@person_view(Capability.ASSESS, page="change a care and support plan")
def edit(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    plan = selectors.plan_for(person, pk)
    detail_url = _detail_url(plan)
    if not plan.is_editable:
        messages.info(
            request, f"The plan is {plan.get_status_display().lower()}: it cannot be changed now"
        )
        return redirect(detail_url)
    needs = _need_labels(plan)
    errors: dict[str, str] = {}
    conflict = ""
    current = None
    version = plan.version
    if request.method == "POST":
        if done := already_submitted(
            request, "Your changes were already saved: you sent them twice."
        ):
            return done
        form = PlanForm(request.POST, needs=needs)
        version = _posted_version(request)
        if form.is_valid():
            try:
                submit_once(
                    request,
                    form.cleaned_data["submission_token"],
                    lambda: services.update_plan(
                        request.user,
                        plan,
                        version=form.cleaned_data["version"],
                        fields=form.plan_fields(),
                    ),
                    detail_url,
                )
            except services.PlanConflict as e:
                conflict, current, version = str(e), e.current, e.current.version
            except ValidationError as e:
                errors = validation_errors(e)
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                messages.success(request, "The plan has been saved")
                return redirect(detail_url)
        else:
            errors = form_errors(form)
            if "version" in errors:
                errors["__all__"] = errors.pop("version")
    else:
        form, kept = form_with_kept_work(
            request, PlanForm, initial=PlanForm.initial_from(plan), needs=needs
        )
        if kept:
            version = as_int(kept.get("version"), plan.version)
    return render(
        request,
        "planning/edit.html",
        {
            "person": person,
            "plan": plan,
            "form": form,
            "errors": errors,
            "conflict": conflict,
            "current": current,
            "current_needs": _needs_rows(current) if current else [],
            "version": version,
            "means": MEANS_OF_MEETING_NEEDS,
            "title": f"Change the care and support plan: {person.full_name}",
        },
        status=409 if conflict else (400 if errors else 200),
    )


@require_http_methods(["GET", "POST"])
@person_view(Capability.ASSESS, page="add a service to a care and support plan")
def add_service(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    plan = selectors.plan_only(person, pk)
    detail_url = _detail_url(plan)
    if not plan.is_editable:
        messages.info(
            request, f"The plan is {plan.get_status_display().lower()}: it cannot be changed now"
        )
        return redirect(detail_url)
    errors: dict[str, str] = {}
    conflict = ""
    version = plan.version
    if request.method == "POST":
        if done := already_submitted(request, "This service was already added: you sent it twice."):
            return done
        form = ServiceForm(request.POST)
        version = _posted_version(request)
        if form.is_valid():
            try:
                service = submit_once(
                    request,
                    form.cleaned_data["submission_token"],
                    lambda: services.add_service(
                        request.user,
                        plan,
                        version=form.cleaned_data["version"],
                        **form.service_fields(),
                    ),
                    detail_url,
                )
            except services.PlanConflict as e:
                conflict, version = str(e), e.current.version
            except ValidationError as e:
                errors = validation_errors(e)
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                messages.success(request, f"Service added: {service.description}")
                return redirect(f"{detail_url}#services")
        else:
            errors = form_errors(form)
            if "version" in errors:
                errors["__all__"] = errors.pop("version")
    else:
        form, kept = form_with_kept_work(request, ServiceForm, initial={"version": plan.version})
        if kept:
            version = as_int(kept.get("version"), plan.version)
    return render(
        request,
        "planning/service_form.html",
        {
            "person": person,
            "plan": plan,
            "form": form,
            "errors": errors,
            "conflict": conflict,
            "version": version,
            "title": f"Add a service: {person.full_name}",
        },
        status=409 if conflict else (400 if errors else 200),
    )


@require_POST
@person_view(Capability.ASSESS, page="remove a service from a care and support plan")
def remove_service(
    request: HttpRequest, person: Person, access, pk: int, service_pk: int
) -> HttpResponse:
    plan = selectors.plan_only(person, pk)
    detail_url = f"{_detail_url(plan)}#services"
    if done := already_submitted(request, "The service was already removed: you sent it twice."):
        return done
    service = PlannedService.objects.filter(pk=service_pk, plan=plan).first()
    if service is None:
        messages.info(request, "That service is no longer in the plan")
        return redirect(detail_url)
    try:
        submit_once(
            request,
            request.POST.get("submission_token", ""),
            lambda: services.remove_service(
                request.user, plan, service, version=_posted_version(request)
            ),
            detail_url,
        )
    except services.PlanConflict as e:
        messages.error(request, f"The service was not removed. {e}")
    except ValidationError as e:
        messages.error(request, validation_errors(e).popitem()[1])
    except DuplicateSubmission as e:
        return redirect(e.result_url)
    else:
        messages.success(request, f"Service removed: {service.description}")
    return redirect(detail_url)


@require_http_methods(["GET", "POST"])
@person_view(Capability.ASSESS, page="the direct payment of a care and support plan")
def direct_payment(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    plan = selectors.plan_for(person, pk)
    detail_url = _detail_url(plan)
    if plan.status not in {
        CarePlan.Status.DRAFT,
        CarePlan.Status.RETURNED,
        CarePlan.Status.APPROVED,
    }:
        messages.info(
            request,
            f"The plan is {plan.get_status_display().lower()}: the direct payment cannot be "
            "changed now",
        )
        return redirect(detail_url)
    summary = budget.summary(plan, services=plan.services.all())
    dp = getattr(plan, "direct_payment", None)
    errors: dict[str, str] = {}
    conflict = ""
    version = plan.version
    if request.method == "POST":
        if done := already_submitted(request, "The direct payment was already saved."):
            return done
        form = DirectPaymentForm(request.POST)
        version = _posted_version(request)
        if form.is_valid():
            d = form.cleaned_data
            try:
                submit_once(
                    request,
                    d["submission_token"],
                    lambda: services.set_direct_payment(
                        request.user,
                        plan,
                        version=d["version"],
                        start_date=d["start_date"],
                        agreement_signed_on=d["agreement_signed_on"],
                        paid_to=d["paid_to"],
                        first_payment_on=d["first_payment_on"],
                    ),
                    detail_url,
                )
            except services.PlanConflict as e:
                conflict, version = str(e), e.current.version
            except ValidationError as e:
                errors = validation_errors(e)
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                messages.success(request, "The direct payment agreement has been saved")
                return redirect(f"{detail_url}#direct-payment")
        else:
            errors = form_errors(form)
            if "version" in errors:
                errors["__all__"] = errors.pop("version")
    else:
        initial = {"version": plan.version}
        if dp:
            initial |= {
                "start_date": dp.start_date,
                "agreement_signed_on": dp.agreement_signed_on,
                "paid_to": dp.paid_to,
                "first_payment_on": dp.first_payment_on,
            }
        form, kept = form_with_kept_work(request, DirectPaymentForm, initial=initial)
        if kept:
            version = as_int(kept.get("version"), plan.version)
    return render(
        request,
        "planning/direct_payment.html",
        {
            "person": person,
            "plan": plan,
            "form": form,
            "summary": summary,
            "dp": dp,
            "errors": errors,
            "conflict": conflict,
            "version": version,
            "title": f"Direct payment: {person.full_name}",
        },
        status=409 if conflict else (400 if errors else 200),
    )


@require_POST
@person_view(Capability.ASSESS, page="submit a care and support plan")
def submit(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    plan = selectors.plan_for(person, pk)
    detail_url = _detail_url(plan)
    if done := already_submitted(request, "The plan was already submitted: you sent it twice."):
        return done
    try:
        submit_once(
            request,
            request.POST.get("submission_token", ""),
            lambda: services.submit_plan(request.user, plan, version=_posted_version(request)),
            detail_url,
        )
    except services.PlanConflict as e:
        messages.error(request, f"The plan was not submitted. {e}")
    except ValidationError as e:
        plan = selectors.plan_for(person, pk)
        return _render_detail(request, person, plan, problems=validation_errors(e), status=400)
    except DuplicateSubmission as e:
        return redirect(e.result_url)
    else:
        messages.success(request, "The plan has been sent to a team manager for approval")
    return redirect(detail_url)


@require_http_methods(["GET", "POST"])
@person_view(Capability.APPROVE_PLAN, page="approve a care and support plan")
def decide(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    plan = selectors.plan_for(person, pk)
    detail_url = _detail_url(plan)
    if plan.status != CarePlan.Status.SUBMITTED:
        messages.info(request, "The plan is not awaiting approval")
        return redirect(detail_url)
    errors: dict[str, str] = {}
    version = plan.version
    if request.method == "POST":
        if done := already_submitted(request, "Your decision was already recorded."):
            return done
        form = DecisionForm(request.POST)
        version = _posted_version(request)
        if form.is_valid():
            d = form.cleaned_data
            approve = d["decision"] == DecisionForm.APPROVE

            def decide_() -> CarePlan:
                if approve:
                    return services.approve_plan(
                        request.user, plan, version=d["version"], note=d["reasons"]
                    )
                return services.return_plan(
                    request.user, plan, version=d["version"], reasons=d["reasons"]
                )

            try:
                submit_once(request, d["submission_token"], decide_, detail_url)
            except services.PlanConflict as e:
                errors, version = {"__all__": str(e)}, e.current.version
            except ValidationError as e:
                errors = validation_errors(e)
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                if approve:
                    plan.refresh_from_db()
                    due = (
                        f" The first review is due by {plan.next_review_due:%-d %B %Y}."
                        if plan.next_review_due
                        else ""
                    )
                    messages.success(request, f"The plan and personal budget are approved.{due}")
                else:
                    messages.success(request, "The plan has been returned for changes")
                return redirect(detail_url)
        else:
            errors = form_errors(form)
            if "version" in errors:
                errors["__all__"] = errors.pop("version")
    else:
        form = DecisionForm(initial={"version": plan.version})
    ctx = _common(plan, person)
    submissions = [d for d in plan.decisions.all() if d.decision == PlanDecision.Decision.SUBMITTED]
    ctx.update(
        {
            "form": form,
            "errors": errors,
            "version": version,
            "submission": submissions[-1] if submissions else None,
            "approver_wrote_it": plan.created_by_id == request.user.pk,
            "title": f"Approve or return the plan: {person.full_name}",
        }
    )
    return render(request, "planning/decide.html", ctx, status=400 if errors else 200)


@require_GET
@person_view(Capability.VIEW_PERSON, page="a copy of a care and support plan (PDF)")
def pdf(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    return letters.plan_pdf(request.user, selectors.plan_for(person, pk))


# --- reviews --------------------------------------------------------------------------------------


def _not_approved(request: HttpRequest, plan: CarePlan) -> HttpResponse | None:
    if plan.status == CarePlan.Status.APPROVED:
        return None
    messages.info(request, "Only an approved plan can be reviewed")
    return redirect(_detail_url(plan))


@require_http_methods(["GET", "POST"])
@person_view(Capability.ASSESS, page="request a review of a care and support plan")
def request_review(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    plan = selectors.plan_only(person, pk)
    if refused := _not_approved(request, plan):
        return refused
    detail_url = _detail_url(plan)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if done := already_submitted(request, "The request was already recorded."):
            return done
        form = RequestReviewForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                submit_once(
                    request,
                    d["submission_token"],
                    lambda: services.request_review(
                        request.user,
                        plan,
                        requested_on=d["requested_on"],
                        requested_by=d["requested_by"],
                        reason=d["reason"],
                    ),
                    detail_url,
                )
            except ValidationError as e:
                errors = validation_errors(e)
                if "request_reason" in errors:
                    errors["reason"] = errors.pop("request_reason")
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                messages.success(request, "The request for a review has been recorded")
                return redirect(f"{detail_url}#reviews")
        else:
            errors = form_errors(form)
    else:
        form, _ = form_with_kept_work(request, RequestReviewForm)
    return render(
        request,
        "planning/request_review.html",
        {
            "person": person,
            "plan": plan,
            "form": form,
            "errors": errors,
            "title": f"Request a review: {person.full_name}",
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
@person_view(Capability.ASSESS, page="record a review of a care and support plan")
def review(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    plan = selectors.plan_only(person, pk)
    if refused := _not_approved(request, plan):
        return refused
    detail_url = _detail_url(plan)
    has_dp = getattr(plan, "direct_payment", None) is not None
    errors: dict[str, str] = {}
    if request.method == "POST":
        if done := already_submitted(request, "The review was already recorded."):
            return done
        form = ReviewForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            reassess = d["leads_to_reassessment"] == YES
            try:
                submit_once(
                    request,
                    d["submission_token"],
                    lambda: services.complete_review(
                        request.user,
                        plan,
                        completed_on=d["completed_on"],
                        method_of_review=d["method_of_review"],
                        outcomes_achieved=d["outcomes_achieved"],
                        cld_outcome=d["cld_outcome"],
                        leads_to_reassessment=reassess,
                        direct_payment_working=d["direct_payment_working"] if has_dp else "",
                        cld_outcomes_achieved=d["cld_outcomes_achieved"],
                    ),
                    (
                        reverse("assessments:start", args=[person.person_id])
                        if reassess
                        else detail_url
                    ),
                )
            except ValidationError as e:
                errors = validation_errors(e)
                for key in ("start_date", "end_date"):
                    if key in errors:
                        errors["completed_on"] = errors.pop(key)
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                if reassess:
                    messages.success(request, "Review recorded. Start the reassessment")
                    return redirect("assessments:start", person.person_id)
                plan.refresh_from_db()
                due = (
                    f" The next review is due by {plan.next_review_due:%-d %B %Y}."
                    if plan.next_review_due
                    else ""
                )
                messages.success(request, f"Review recorded.{due}")
                return redirect(f"{detail_url}#reviews")
        else:
            errors = form_errors(form)
            planned = not plan.reviews.filter(status=Review.Status.REQUESTED).exists()
            if planned and not request.POST.get("cld_outcomes_achieved"):
                # The service's rule, shown with the form's own errors.
                errors.setdefault("cld_outcomes_achieved", services.OUTCOMES_ACHIEVED_REQUIRED)
    else:
        form, _ = form_with_kept_work(request, ReviewForm)
    today = timezone.localdate()
    schedule = services.review_schedule(plan)
    requested = plan.reviews.filter(status=Review.Status.REQUESTED).first()
    due = schedule[0] if schedule else None
    return render(
        request,
        "planning/review.html",
        {
            "person": person,
            "plan": plan,
            "form": form,
            "errors": errors,
            "has_dp": has_dp,
            "due": due,
            "due_kind": REVIEW_KINDS.get(due.kind, due.kind) if due else "",
            "overdue": is_overdue(due, today) if due else False,
            "requested": requested,
            "title": f"Record a review: {person.full_name}",
        },
        status=400 if errors else 200,
    )


# --- team manager and council pages ---------------------------------------------------------------


@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    worker = request.user
    if not can(worker, Capability.APPROVE_PLAN):
        raise PermissionDenied("Only team managers approve care and support plans.")
    today = timezone.localdate()
    waiting = [
        {"plan": p, "summary": budget.summary(p, services=p.services.all())}
        for p in selectors.awaiting_approval(worker)
    ]
    paginator = Paginator(selectors.overdue_reviews(worker, today), 50)
    page = paginator.get_page(request.GET.get("page"))
    overdue = [
        {
            "plan": p,
            "kind": REVIEW_KINDS.get(p.next_review_kind, p.next_review_kind),
            "days": (today - p.next_review_due).days,
        }
        for p in page.object_list
    ]
    return render(
        request,
        "planning/approvals.html",
        {
            "active_nav": "approvals",
            "waiting": waiting,
            "page": page,
            "overdue": overdue,
            "title": "Plans to approve and reviews overdue",
        },
    )


def _scheme_tables(scheme: ras.RasScheme) -> dict:
    return {
        "outcomes": [(ADULT_OUTCOMES[k], scheme.outcome_points[k]) for k in ADULT_OUTCOMES],
        "limbs": [(ADULT_LIMBS[k], scheme.limb_points[k]) for k in ADULT_LIMBS],
        "bands": [
            (lo, (scheme.bands[i + 1][0] - 1) if i + 1 < len(scheme.bands) else None, amount)
            for i, (lo, amount) in enumerate(scheme.bands)
        ],
    }


@require_http_methods(["GET", "POST"])
def ras_scheme(request: HttpRequest) -> HttpResponse:
    worker = request.user
    may_configure = can(worker, Capability.CONFIGURE_RAS)
    if not (
        may_configure or can(worker, Capability.ASSESS) or can(worker, Capability.APPROVE_PLAN)
    ):
        raise PermissionDenied("Your role does not use the resource allocation system.")
    if request.method == "POST" and not may_configure:
        raise PermissionDenied("Only an administrator can change the resource allocation system.")
    scheme, row = services.current_scheme()
    errors: dict[str, str] = {}
    url = reverse("planning:ras")
    if request.method == "POST":
        if done := already_submitted(request, "This version was already saved: you sent it twice."):
            return done
        form = RasForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                saved = submit_once(
                    request,
                    d["submission_token"],
                    lambda: services.save_scheme(
                        worker,
                        form.scheme_data(),
                        effective_from=d["effective_from"],
                        note=d["note"].strip(),
                    ),
                    url,
                )
            except ValidationError as e:
                errors = validation_errors(e)
                if "scheme" in errors:
                    message = errors.pop("scheme")
                    key = "bands" if "band" in message else "__all__"
                    errors[key] = f"The scheme cannot be used: {message}"
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                messages.success(
                    request,
                    f"Resource allocation system version {saved.version} saved, in force from "
                    f"{saved.effective_from:%-d %B %Y}",
                )
                return redirect(url)
        else:
            errors = form_errors(form)
    else:
        form = RasForm(initial=RasForm.initial_from(scheme)) if may_configure else None
    versions = list(
        ResourceAllocationScheme.objects.select_related("created_by").order_by("-version")
    )
    return render(
        request,
        "planning/ras.html",
        {
            "active_nav": "ras",
            "scheme": scheme,
            "row": row,
            "tables": _scheme_tables(scheme),
            "versions": versions,
            "form": form,
            "errors": errors,
            "title": "Resource allocation system",
        },
        status=400 if errors else 200,
    )
