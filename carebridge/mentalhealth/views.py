"""Mental Health Act pages: request an assessment, take or allocate it, record the assessment
and its outcome, write the AMHP report (and its PDF); the AMHP rota; and the person's legal
status (start, end with the day they left hospital, replace by another section).

Every page about a person goes through ``person_view`` (role, relationship, audit); every change
through :mod:`carebridge.mentalhealth.services`. The pages only read and show."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carebridge.casework.guards import person_view
from carebridge.core.access import Capability, can
from carebridge.core.forms import (
    DuplicateSubmission,
    already_submitted,
    form_errors,
    form_with_kept_work,
    submit_once,
    validation_errors,
)
from carebridge.people.models import Person
from carebridge.rules import amhp
from carebridge.rules import legal_status as status_rules

from . import letters, selectors, services
from .forms import (
    AllocateForm,
    AssessmentForm,
    EndStatusForm,
    ReplaceStatusForm,
    ReportForm,
    RequestForm,
    StartStatusForm,
    VersionForm,
)
from .models import LegalStatus, MHAAssessment

STATUS_TAG = {
    amhp.REQUESTED: "govuk-tag--red",
    amhp.ALLOCATED: "govuk-tag--yellow",
    amhp.ASSESSED: "govuk-tag--blue",
    amhp.REPORT_COMPLETED: "govuk-tag--green",
}


def assessment_url(a: MHAAssessment) -> str:
    return reverse("mentalhealth:assessment", args=[a.person.person_id, a.pk])


def _person_section(person: Person) -> str:
    return reverse("people:detail", args=[person.person_id]) + "#mental-health-act"


@dataclass
class _Result:
    response: HttpResponse | None = None
    errors: dict[str, str] = field(default_factory=dict)
    conflict: object = None


def _submit(request, form, call: Callable, url_of, success) -> _Result:
    """Validate ``form``, run ``call`` once for its token and redirect with ``success`` (a
    message, or a function of the result giving one); or say what stopped it. Messages about
    boxes the form does not show go in the summary at the top."""
    if not form.is_valid():
        errors = form_errors(form)
        if "version" in errors:
            errors["__all__"] = errors.pop("version")
        return _Result(errors=errors)
    try:
        result = submit_once(request, form.cleaned_data["submission_token"], call, url_of)
    except services.Conflict as e:
        data = form.data.copy()
        data["version"] = str(e.current.version)
        form.data = data
        return _Result(errors={"__all__": str(e)}, conflict=e.current)
    except ValidationError as e:
        out: dict[str, str] = {}
        for key, message in validation_errors(e).items():
            out.setdefault(key if key in form.fields else "__all__", message)
        return _Result(errors=out)
    except DuplicateSubmission as e:
        return _Result(response=redirect(e.result_url))
    messages.success(request, success(result) if callable(success) else success)
    return _Result(response=redirect(url_of(result) if callable(url_of) else url_of))


def _page(request, template: str, context: dict, errors: dict) -> HttpResponse:
    status = 409 if context.get("conflict") is not None else (400 if errors else 200)
    return render(request, template, {**context, "errors": errors}, status=status)


# --- the AMHP rota -----------------------------------------------------------------------------


@require_GET
def rota(request: HttpRequest) -> HttpResponse:
    worker = request.user
    if not can(worker, Capability.VIEW_AMHP_ROTA):
        raise PermissionDenied("The AMHP rota is for AMHPs and team managers.")
    mine = request.GET.get("show") == "mine"
    rows = selectors.rota(worker, mine=mine)
    return render(
        request,
        "mentalhealth/rota.html",
        {
            "rows": rows,
            "mine": mine,
            "unallocated": sum(1 for r in rows if r.unallocated),
            "limit": selectors.ROTA_LIMIT,
            "can_take": can(worker, Capability.AMHP_ASSESS),
            "can_allocate": can(worker, Capability.ALLOCATE),
            "status_tag": STATUS_TAG,
            "token": secrets.token_urlsafe(24),
            "active_nav": "amhp_rota",
            "title": "AMHP rota: Mental Health Act assessment requests",
        },
    )


# --- Mental Health Act assessments ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@person_view(Capability.REQUEST_MHA_ASSESSMENT, page="request a Mental Health Act assessment")
def request_assessment(request: HttpRequest, person: Person, access) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        if done := already_submitted(request, "The request was already recorded."):
            return done
        form = RequestForm(request.POST)
        result = _submit(
            request,
            form,
            lambda: services.request_assessment(
                request.user,
                person,
                requested_at=form.requested_at,
                requester_name=form.cleaned_data["requester_name"],
                requester_role=form.cleaned_data["requester_role"],
                requester_phone=form.cleaned_data["requester_phone"],
                request_reason=form.cleaned_data["request_reason"],
                section_considered=form.cleaned_data["section_considered"],
            ),
            assessment_url,
            lambda a: f"Request {a.reference} recorded: it is on the AMHP rota",
        )
        if result.response:
            return result.response
        errors = result.errors
    else:
        form, _ = form_with_kept_work(request, RequestForm)
    return _page(
        request,
        "mentalhealth/request.html",
        {
            "person": person,
            "form": form,
            "open_requests": list(
                MHAAssessment.objects.filter(person=person, status__in=amhp.OPEN).order_by(
                    "requested_at"
                )
            ),
            "title": f"Request a Mental Health Act assessment: {person.full_name}",
        },
        errors,
    )


@require_GET
@person_view(Capability.VIEW_PERSON, page="a Mental Health Act assessment")
def assessment(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    a = selectors.assessment_for(person, pk)
    worker = request.user
    holder = a.held_by_id == worker.pk
    return render(
        request,
        "mentalhealth/assessment.html",
        {
            "person": person,
            "a": a,
            "status_tag": STATUS_TAG.get(a.status, ""),
            "can_take": a.status == amhp.REQUESTED and can(worker, Capability.AMHP_ASSESS),
            "can_allocate": a.status in (amhp.REQUESTED, amhp.ALLOCATED)
            and can(worker, Capability.ALLOCATE)
            and can(worker, Capability.VIEW_AMHP_ROTA),
            "can_record": a.status == amhp.ALLOCATED and holder,
            "can_report": a.status == amhp.ASSESSED and holder,
            "legal_status": selectors.describe(a.legal_status, since="from")
            if a.legal_status_id
            else "",
            "token": secrets.token_urlsafe(24),
            "title": f"Mental Health Act assessment {a.reference}: {person.full_name}",
        },
    )


@require_POST
@person_view(Capability.AMHP_ASSESS, page="take a Mental Health Act assessment")
def take(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    a = selectors.assessment_for(person, pk)
    if done := already_submitted(request, "You already took this request."):
        return done
    form = VersionForm(request.POST)
    result = _submit(
        request,
        form,
        lambda: services.take(request.user, a, version=form.cleaned_data["version"]),
        assessment_url,
        lambda taken: f"You hold {taken.reference}: record the assessment when you have done it",
    )
    if result.response:
        return result.response
    messages.error(request, next(iter(result.errors.values())))
    return redirect(assessment_url(a))


@require_http_methods(["GET", "POST"])
@person_view(Capability.ALLOCATE, page="allocate a Mental Health Act assessment")
def allocate(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    if not can(request.user, Capability.VIEW_AMHP_ROTA):
        raise PermissionDenied("Allocating Mental Health Act assessments is for team managers.")
    a = selectors.assessment_for(person, pk)
    errors: dict[str, str] = {}
    conflict = None
    if request.method == "POST":
        if done := already_submitted(request, "The assessment was already allocated."):
            return done
        form = AllocateForm(request.POST)
        result = _submit(
            request,
            form,
            lambda: services.allocate(
                request.user,
                a,
                version=form.cleaned_data["version"],
                to=form.cleaned_data["held_by"],
            ),
            assessment_url,
            lambda done_: f"{done_.reference} allocated to {done_.held_by}",
        )
        if result.response:
            return result.response
        errors, conflict = result.errors, result.conflict
    else:
        form = AllocateForm(initial={"version": a.version, "held_by": a.held_by_id})
    return _page(
        request,
        "mentalhealth/allocate.html",
        {
            "person": person,
            "a": a,
            "form": form,
            "conflict": conflict,
            "title": f"Allocate {a.reference}: {person.full_name}",
        },
        errors,
    )


@require_http_methods(["GET", "POST"])
@person_view(Capability.AMHP_ASSESS, page="record a Mental Health Act assessment")
def record(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    a = selectors.assessment_for(person, pk)
    if request.method == "POST" and (
        done := already_submitted(request, "The assessment was already recorded.")
    ):
        return done
    if a.status != amhp.ALLOCATED or a.held_by_id != request.user.pk:
        messages.info(
            request,
            "Only the AMHP who holds the assessment records it, once: take it first"
            if a.status == amhp.REQUESTED
            else "This assessment cannot be recorded by you now",
        )
        return redirect(assessment_url(a))
    errors: dict[str, str] = {}
    conflict = None
    if request.method == "POST":
        form = AssessmentForm(request.POST)
        result = _submit(
            request,
            form,
            lambda: services.record_assessment(
                request.user, a, version=form.cleaned_data["version"], details=form.details()
            ),
            assessment_url,
            _recorded,
        )
        if result.response:
            return result.response
        errors, conflict = result.errors, result.conflict
    else:
        form, _ = form_with_kept_work(
            request,
            AssessmentForm,
            initial={"version": a.version, "section_considered": a.section_considered},
        )
    return _page(
        request,
        "mentalhealth/record.html",
        {
            "person": person,
            "a": a,
            "form": form,
            "conflict": conflict,
            "title": f"Record the assessment {a.reference}: {person.full_name}",
        },
        errors,
    )


def _recorded(a: MHAAssessment) -> str:
    if a.legal_status_id:
        return f"Assessment recorded: {a.outcome_text.split(' (')[0].lower()}. Write your report"
    return f"Assessment recorded: {a.outcome_text.lower()}. Write your report"


@require_http_methods(["GET", "POST"])
@person_view(Capability.AMHP_ASSESS, page="the AMHP report")
def report(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    a = selectors.assessment_for(person, pk)
    if request.method == "POST" and (
        done := already_submitted(request, "Your report was already saved: you sent it twice.")
    ):
        return done
    if a.status != amhp.ASSESSED or a.held_by_id != request.user.pk:
        messages.info(
            request,
            "The AMHP report is completed"
            if a.status == amhp.REPORT_COMPLETED
            else "Only the AMHP who carried out the assessment writes the report",
        )
        return redirect(assessment_url(a))
    errors: dict[str, str] = {}
    conflict = None
    if request.method == "POST":
        form = ReportForm(request.POST)
        complete = request.POST.get("action") == "complete"
        result = _submit(
            request,
            form,
            lambda: services.save_report(
                request.user,
                a,
                version=form.cleaned_data["version"],
                alternatives_considered=form.cleaned_data["alternatives_considered"],
                report=form.cleaned_data["report"],
                complete=complete,
            ),
            assessment_url
            if complete
            else reverse("mentalhealth:assessment-report", args=[person.person_id, a.pk]),
            "AMHP report completed" if complete else "Your report has been saved",
        )
        if result.response:
            return result.response
        errors, conflict = result.errors, result.conflict
    else:
        form, _ = form_with_kept_work(
            request,
            ReportForm,
            initial={
                "version": a.version,
                "alternatives_considered": a.alternatives_considered,
                "report": a.report,
            },
        )
    return _page(
        request,
        "mentalhealth/report.html",
        {
            "person": person,
            "a": a,
            "form": form,
            "conflict": conflict,
            "title": f"AMHP report {a.reference}: {person.full_name}",
        },
        errors,
    )


@require_GET
@person_view(Capability.VIEW_PERSON, page="an AMHP report (PDF)")
def report_pdf(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    a = selectors.assessment_for(person, pk)
    if a.status not in (amhp.ASSESSED, amhp.REPORT_COMPLETED):
        messages.info(request, "There is no report until the assessment is recorded")
        return redirect(assessment_url(a))
    return letters.report_response(request.user, a)


# --- legal status ------------------------------------------------------------------------------


def _status_context(person: Person, **more) -> dict:
    return {"person": person, "back": _person_section(person), **more}


@require_http_methods(["GET", "POST"])
@person_view(Capability.RECORD_LEGAL_STATUS, page="record a legal status")
def start_status(request: HttpRequest, person: Person, access) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        if done := already_submitted(request, "The legal status was already recorded."):
            return done
        form = StartStatusForm(request.POST)
        result = _submit(
            request,
            form,
            lambda: services.start_status(
                request.user,
                person,
                section=form.cleaned_data["section"],
                started_at=form.started_at,
                hospital=form.cleaned_data["hospital"],
                place=form.cleaned_data["place"],
                notes=form.cleaned_data["notes"],
            ),
            _person_section(person),
            lambda s: f"Recorded: {selectors.describe(s)}",
        )
        if result.response:
            return result.response
        errors = result.errors
    else:
        form, _ = form_with_kept_work(request, StartStatusForm)
    return _page(
        request,
        "mentalhealth/status_start.html",
        _status_context(
            person,
            form=form,
            current=[selectors.describe(s) for s in services.current_statuses(person)],
            title=f"Record a legal status: {person.full_name}",
        ),
        errors,
    )


def _current_or_back(request, person: Person, pk: int) -> LegalStatus | HttpResponse:
    status = selectors.status_for(person, pk)
    if not status.is_current:
        messages.info(request, f"{status.rule.label} has already ended")
        return redirect(_person_section(person))
    return status


@require_http_methods(["GET", "POST"])
@person_view(Capability.RECORD_LEGAL_STATUS, page="end a legal status")
def end_status(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    if request.method == "POST" and (
        done := already_submitted(request, "The end was already recorded.")
    ):
        return done
    status = _current_or_back(request, person, pk)
    if isinstance(status, HttpResponse):
        return status
    errors: dict[str, str] = {}
    conflict = None
    if request.method == "POST":
        form = EndStatusForm(request.POST)
        result = _submit(
            request,
            form,
            lambda: services.end_status(
                request.user,
                status,
                version=form.cleaned_data["version"],
                ended_at=form.ended_at,
                reason=form.cleaned_data["end_reason"],
                left_hospital_on=form.cleaned_data["left_hospital_on"],
                notes=form.cleaned_data["notes"],
            ),
            _person_section(person),
            lambda s: f"{s.rule.label} ended: {s.get_end_reason_display().lower()}",
        )
        if result.response:
            return result.response
        errors, conflict = result.errors, result.conflict
    else:
        form, _ = form_with_kept_work(request, EndStatusForm, initial={"version": status.version})
    detention = status_rules.is_detention_in_hospital(status.section)
    return _page(
        request,
        "mentalhealth/status_end.html",
        _status_context(
            person,
            status=status,
            described=selectors.describe(status),
            detention=detention,
            form=form,
            conflict=conflict,
            title=f"{'Record discharge' if detention else 'Record the end'}: {person.full_name}",
        ),
        errors,
    )


@require_http_methods(["GET", "POST"])
@person_view(Capability.RECORD_LEGAL_STATUS, page="replace a legal status")
def replace_status(request: HttpRequest, person: Person, access, pk: int) -> HttpResponse:
    if request.method == "POST" and (
        done := already_submitted(request, "The change of section was already recorded.")
    ):
        return done
    status = _current_or_back(request, person, pk)
    if isinstance(status, HttpResponse):
        return status
    before = status.follows.section if status.follows_id else ""
    kwargs = {"old": status.section, "before_old": before}
    errors: dict[str, str] = {}
    conflict = None
    if request.method == "POST":
        form = ReplaceStatusForm(request.POST, **kwargs)
        result = _submit(
            request,
            form,
            lambda: services.replace_status(
                request.user,
                status,
                version=form.cleaned_data["version"],
                section=form.cleaned_data["section"],
                started_at=form.started_at,
                hospital=form.cleaned_data["hospital"],
                place=form.cleaned_data["place"],
                notes=form.cleaned_data["notes"],
                left_hospital_on=form.cleaned_data["left_hospital_on"],
            ),
            _person_section(person),
            lambda s: f"Recorded: {selectors.describe(s)}",
        )
        if result.response:
            return result.response
        errors, conflict = result.errors, result.conflict
    else:
        form, _ = form_with_kept_work(
            request,
            ReplaceStatusForm,
            initial={"version": status.version, "started_on": timezone.localdate()},
            **kwargs,
        )
    return _page(
        request,
        "mentalhealth/status_replace.html",
        _status_context(
            person,
            status=status,
            described=selectors.describe(status),
            form=form,
            conflict=conflict,
            title=f"Replace {status.rule.label}: {person.full_name}",
        ),
        errors,
    )
