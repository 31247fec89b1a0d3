"""Financial assessment pages: the person's charges, start an assessment, enter the figures and
calculate (every step of the workings shown), complete, recalculate when the plan changes, and
the charging letter (PDF).

Finance officers edit (``EDIT_FINANCIAL``); anyone who may see the person reads. Every change
goes through :mod:`carebridge.finance.services`; the pages only read and show."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carebridge.casework.guards import person_view
from carebridge.core.access import Capability, can
from carebridge.core.forms import (
    DuplicateSubmission,
    already_submitted,
    as_int,
    form_errors,
    submit_once,
    validation_errors,
)
from carebridge.core.middleware import KEPT_WORK_MESSAGE, take_preserved_work
from carebridge.people.models import Person
from carebridge.planning import budget
from carebridge.rules.money import money

from . import calculation, letters, s117, selectors, services
from .forms import FinancialAssessmentForm, StartForm
from .models import ChargeDecision, FinancialAssessment

FA = FinancialAssessment
STATUS_TAG = {
    FA.Status.DRAFT: "govuk-tag--grey",
    FA.Status.COMPLETED: "govuk-tag--green",
    FA.Status.SUPERSEDED: "govuk-tag--grey",
}
OUT_OF_DATE = "The form is out of date: open it again"


# --- helpers --------------------------------------------------------------------------------------


def _detail_url(fa: FinancialAssessment) -> str:
    return reverse("finance:detail", args=[fa.person.person_id, fa.pk])


def _edit_url(fa: FinancialAssessment) -> str:
    return reverse("finance:edit", args=[fa.person.person_id, fa.pk])


def _steps(result: dict | None) -> list[dict]:
    """The workings, with amounts as money, for the page and the letter."""
    if not result:
        return []
    return [{**s, "money": money(s["amount"])} for s in result.get("steps", [])]


def _may_edit(request: HttpRequest) -> bool:
    return can(request.user, Capability.EDIT_FINANCIAL)


# --- the person's charges -------------------------------------------------------------------------


@require_GET
@person_view(Capability.VIEW_PERSON, page="charges and financial assessments")
def overview(request: HttpRequest, person: Person, access) -> HttpResponse:
    assessments = selectors.assessments_for(person)
    charges = selectors.charges_for(person)
    in_force = next((c for c in charges if c.valid_to is None), None)
    plan = selectors.plan_in_force(person)
    current = next((a for a in assessments if a.status == FA.Status.COMPLETED), None)
    change = services.change_since(current, in_force, plan) if current else None
    draft = next((a for a in assessments if a.is_draft), None)
    return render(
        request,
        "finance/overview.html",
        {
            "person": person,
            "assessments": assessments,
            "charges": charges,
            "in_force": in_force,
            "plan": plan,
            "summary": budget.summary(plan, services=plan.services.all()) if plan else None,
            "current": current,
            "change": change,
            "draft": draft,
            "can_edit": _may_edit(request),
            "token": secrets.token_urlsafe(24),
            "status_tag": STATUS_TAG,
            "title": f"Charges and financial assessments: {person.full_name}",
        },
    )


# --- start ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@person_view(Capability.EDIT_FINANCIAL, page="start a financial assessment")
def start(request: HttpRequest, person: Person, access) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        if done := already_submitted(request, "The financial assessment was already started."):
            return done
        form = StartForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                fa = submit_once(
                    request,
                    d["submission_token"],
                    lambda: services.start_financial_assessment(
                        request.user,
                        person,
                        kind=d["kind"],
                        financial_year=d["financial_year"],
                        setting=d["setting"],
                    ),
                    _edit_url,
                )
            except ValidationError as e:
                errors = validation_errors(e)
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                messages.success(request, "The financial assessment has been started")
                return redirect(_edit_url(fa))
        else:
            errors = form_errors(form)
    else:
        form = StartForm(
            initial={
                "kind": FA.Kind.FULL,
                "financial_year": calculation.default_year(timezone.localdate()),
                "setting": FA.Setting.NON_RESIDENTIAL,
            }
        )
    draft = FA.objects.filter(person=person, status=FA.Status.DRAFT).first()
    current = FA.objects.filter(person=person, status=FA.Status.COMPLETED).first()
    plan = selectors.plan_in_force(person)
    return render(
        request,
        "finance/start.html",
        {
            "person": person,
            "form": form,
            "errors": errors,
            "draft": draft,
            "current": current,
            "plan": plan,
            "summary": budget.summary(plan, services=plan.services.all()) if plan else None,
            "title": f"Start a financial assessment: {person.full_name}",
        },
        status=400 if errors else 200,
    )


# --- the assessment -------------------------------------------------------------------------------


@require_GET
@person_view(Capability.VIEW_PERSON, page="a financial assessment")
def detail(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    fa = selectors.assessment_for(person, pk)
    decisions = list(fa.charge_decisions.all())
    in_force = next((d for d in decisions if d.valid_to is None), None)
    change = None
    if fa.status == FA.Status.COMPLETED:
        plan = selectors.plan_in_force(person)
        change = services.change_since(fa, in_force, plan)
    latest = decisions[0] if decisions else None
    return render(
        request,
        "finance/detail.html",
        {
            "person": person,
            "fa": fa,
            "status_tag": STATUS_TAG.get(fa.status, ""),
            "steps": _steps(fa.result),
            "figures": _figures(fa),
            "decisions": decisions,
            "in_force": in_force,
            "latest": latest,
            "latest_steps": _steps(latest.workings)
            if latest and latest.workings != fa.result
            else [],
            "change": change,
            "can_edit": _may_edit(request),
            "token": secrets.token_urlsafe(24),
            "title": f"{fa.get_kind_display()}: {person.full_name}",
        },
    )


def _figures(fa: FinancialAssessment) -> list[tuple[str, str]]:
    """What was entered, as rows for a summary list."""
    case = fa.case_input or {}
    types = dict(calculation.INCOME_TYPE_CHOICES)
    premiums = dict(calculation.PREMIUM_CHOICES)
    free = dict(calculation.FREE_SERVICE_CHOICES)

    rows = [
        ("Financial year", fa.financial_year),
        ("Where the care is given", fa.get_setting_display()),
    ]
    if fa.kind == FA.Kind.LIGHT_TOUCH:
        rows.append(("Why light-touch", fa.get_light_touch_basis_display() or "Not given"))
    if fa.kind == FA.Kind.FULL:
        capital = case.get("capital") or {}
        rows += [
            ("Age", str(case.get("age", ""))),
            ("One of a couple", "Yes" if case.get("couple") else "No"),
            ("Dependent children", str(case.get("dependent_children", 0))),
            (
                "Premiums",
                ", ".join(premiums.get(p, p) for p in case.get("premiums", [])) or "None",
            ),
            ("Savings", money(capital.get("savings"))),
            ("Other capital", money(capital.get("other"))),
            ("Main home", money(capital.get("main_home"))),
            (
                "Weekly income",
                "; ".join(
                    f"{types.get(i['type'], i['type'])} {money(i['amount'])}"
                    for i in case.get("weekly_income", [])
                )
                or "None",
            ),
            ("Housing costs each week", money(case.get("weekly_housing_costs"))),
            (
                "Disability-related expenditure each week",
                money(case.get("weekly_disability_related_expenditure")),
            ),
        ]
        circumstances = [label for key, label in calculation.CIRCUMSTANCES if case.get(key)]
        if circumstances:
            rows.append(("Other circumstances", "; ".join(circumstances)))
        if case.get("first_permanent_admission_week"):
            rows.append(
                (
                    "Week since first permanent admission",
                    str(case["first_permanent_admission_week"]),
                )
            )
    rows += [
        ("Weekly cost of care", money(case.get("weekly_care_cost"))),
        ("s117 aftercare", "Yes" if case.get("s117") else "No"),
    ]
    if case.get("free_service"):
        rows.append(("Free service", free.get(case["free_service"], case["free_service"])))
    return rows


def _on_form(errors: dict[str, str], form) -> dict[str, str]:
    """Messages about boxes this form does not show go in the summary at the top."""
    out: dict[str, str] = {}
    for key, message in errors.items():
        out.setdefault(key if key in form.fields else "__all__", message)
    return out


def _edit_context(
    request, person, fa, form, *, errors=None, conflict="", version=None, result=None
) -> dict:
    plan = selectors.plan_in_force(person)
    care = services.s117_care(plan)
    shown = result if result is not None else (fa.result if fa.is_draft else None)
    return {
        "person": person,
        "fa": fa,
        "form": form,
        "errors": _on_form(errors or {}, form),
        "conflict": conflict,
        "version": fa.version if version is None else version,
        "result": shown,
        "steps": _steps(shown),
        "plan": plan,
        "summary": budget.summary(plan, services=plan.services.all()) if plan else None,
        "plan_s117": care.has_s117 if care else s117.person_has_open_s117(person.pk),
        "s117_care": care,
        "dob": person.date_of_birth,
        "complete_token": secrets.token_urlsafe(24),
        "kinds": FA.Kind,
        "title": f"{fa.get_kind_display()}: {person.full_name}",
    }


@require_http_methods(["GET", "POST"])
@person_view(Capability.EDIT_FINANCIAL, page="a draft financial assessment")
def edit(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    fa = selectors.assessment_for(person, pk)
    if not fa.is_draft:
        messages.info(request, "This financial assessment is completed: it cannot be changed")
        return redirect(_detail_url(fa))
    errors: dict[str, str] = {}
    conflict = ""
    version = fa.version
    if request.method == "POST":
        if done := already_submitted(
            request, "Your changes were already saved: you sent them twice."
        ):
            return done
        rows = as_int(request.POST.get("income_rows"), FinancialAssessmentForm.rows_for(fa))
        form = FinancialAssessmentForm(request.POST, kind=fa.kind, rows=rows)
        version = as_int(request.POST.get("version"), -1)
        calculating = request.POST.get("action") == "calculate"
        if form.is_valid():
            case_input = form.case_input()
            d = form.cleaned_data
            changes = {
                "case_input": case_input,
                "evidence": d.get("evidence", ""),
                "effective_from": d.get("effective_from"),
                "light_touch_basis": d.get("light_touch_basis") or "",
            }
            if calculating:
                errors = form.calculation_problems() | services.readiness_problems(
                    fa,
                    effective_from=d.get("effective_from"),
                    evidence=d.get("evidence", ""),
                    today=timezone.localdate(),
                    financial_year=d["financial_year"],
                    light_touch_basis=changes["light_touch_basis"],
                )
                if not errors:
                    try:
                        changes["result"] = services.calculate(
                            fa,
                            case_input,
                            selectors.plan_in_force(person),
                            light_touch_basis=changes["light_touch_basis"],
                            income_rows=form.income_rows_used,
                        )
                    except ValidationError as e:
                        errors = validation_errors(e)
                if errors:
                    changes["result"] = None  # no calculation stands for these figures
            target = _edit_url(fa) + ("#result" if calculating and not errors else "")
            try:
                submit_once(
                    request,
                    d["submission_token"],
                    lambda: services.save_draft(
                        request.user, fa, version=d["version"], changes=changes
                    ),
                    target,
                )
            except services.DraftConflict as e:
                conflict, version = str(e), e.current.version
                fa = selectors.assessment_for(person, pk)
            except ValidationError as e:
                errors = errors | validation_errors(e)
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                if not errors:
                    if calculating:
                        messages.success(request, "The charge has been worked out: check it")
                    else:
                        messages.success(request, "Your draft has been saved")
                    return redirect(target)
                version = fa.version
        else:
            errors = form_errors(form)
            if "version" in errors:
                errors["__all__"] = errors.pop("version")
        if errors or conflict:
            # A fresh token: the one posted may have been used by the save above.
            form.data = form.data.copy()
            form.data["submission_token"] = secrets.token_urlsafe(24)
            form.data["version"] = str(version)
    else:
        kept = take_preserved_work(request)
        if kept:
            form = FinancialAssessmentForm(
                kept, kind=fa.kind, rows=as_int(kept.get("income_rows"), 8)
            )
            version = as_int(kept.get("version"), fa.version)
            messages.info(request, KEPT_WORK_MESSAGE)
        else:
            form = FinancialAssessmentForm(
                initial=FinancialAssessmentForm.initial_from(fa),
                kind=fa.kind,
                rows=FinancialAssessmentForm.rows_for(fa),
            )
    ctx = _edit_context(
        request, person, fa, form, errors=errors, conflict=conflict, version=version
    )
    if errors or conflict:
        ctx["result"], ctx["steps"] = None, []
    return render(
        request,
        "finance/edit.html",
        ctx,
        status=409 if conflict else (400 if errors else 200),
    )


@require_POST
@person_view(Capability.EDIT_FINANCIAL, page="complete a financial assessment")
def complete(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    fa = selectors.assessment_for(person, pk)
    if done := already_submitted(request, "The financial assessment was already completed."):
        return done
    if not fa.is_draft:
        messages.info(request, "This financial assessment has already been completed")
        return redirect(_detail_url(fa))
    version = as_int(request.POST.get("version"), -1)
    try:
        decision = submit_once(
            request,
            request.POST.get("submission_token", ""),
            lambda: services.complete(request.user, fa, version=version),
            _detail_url(fa),
        )
    except services.DraftConflict as e:
        current = selectors.assessment_for(person, pk)
        return _edit_again(request, person, current, conflict=str(e), status=409)
    except ValidationError as e:
        return _edit_again(request, person, fa, errors=validation_errors(e), status=400)
    except DuplicateSubmission as e:
        return redirect(e.result_url)
    messages.success(
        request,
        f"Financial assessment completed: the charge is {money(decision.weekly_amount)} a week "
        f"from {decision.valid_from:%-d %B %Y}",
    )
    return redirect(_detail_url(fa))


def _edit_again(request, person, fa, *, errors=None, conflict="", status) -> HttpResponse:
    """The draft's page again, with what stopped it being completed."""
    form = FinancialAssessmentForm(
        initial=FinancialAssessmentForm.initial_from(fa),
        kind=fa.kind,
        rows=FinancialAssessmentForm.rows_for(fa),
    )
    ctx = _edit_context(request, person, fa, form, errors=errors, conflict=conflict)
    return render(request, "finance/edit.html", ctx, status=status)


@require_POST
@person_view(Capability.EDIT_FINANCIAL, page="recalculate a charge")
def recalculate(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    fa = selectors.assessment_for(person, pk)
    url = _detail_url(fa)
    if done := already_submitted(request, "The charge was already recalculated."):
        return done
    try:
        decision = submit_once(
            request,
            request.POST.get("submission_token", ""),
            lambda: services.recalculate(request.user, fa),
            url,
        )
    except ValidationError as e:
        messages.error(request, next(iter(validation_errors(e).values())))
    except DuplicateSubmission as e:
        return redirect(e.result_url)
    else:
        messages.success(
            request,
            f"The charge has been recalculated: {money(decision.weekly_amount)} a week from "
            f"{decision.valid_from:%-d %B %Y}",
        )
    return redirect(url)


@require_GET
@person_view(Capability.VIEW_PERSON, page="a charging letter (PDF)")
def letter(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    fa = selectors.assessment_for(person, pk)
    decisions: list[ChargeDecision] = list(fa.charge_decisions.all())
    if fa.is_draft or not decisions:
        raise Http404("The financial assessment is not completed")
    return letters.charging_letter(request.user, fa, decisions[0])
