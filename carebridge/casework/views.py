"""Caseload, allocation, case notes and break-glass access."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localdate as today
from django.views.decorators.http import require_GET, require_http_methods

from carebridge.core import audit
from carebridge.core.access import Capability, can
from carebridge.core.forms import (
    DuplicateSubmission,
    claim_submission,
    form_errors,
    form_with_kept_work,
    previous_result,
    validation_errors,
)
from carebridge.duties import selectors as duty_selectors
from carebridge.organisations.models import Team
from carebridge.planning import pathway

from . import selectors, services
from .forms import AllocationForm, BreakGlassForm, CaseNoteForm
from .guards import person_view


@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    worker = request.user
    if not can(worker, Capability.HAS_CASELOAD):
        if can(worker, Capability.SEARCH_PEOPLE):
            return redirect("people:search")
        return render(request, "casework/no_caseload.html", {"title": "Your work"})
    scope = request.GET.get("scope", "team" if worker.role == "team_manager" else "mine")
    if scope not in {"mine", "team"}:
        scope = "mine"
    order = request.GET.get("order", "due")
    if order not in {"due", "name"}:
        order = "due"
    rows = selectors.caseload(worker, scope=scope)
    if order == "due":
        # Sorting on the next step needs every row's step: work it out from plain (id, person,
        # name) tuples and the case facts (two light queries for the whole caseload), then load
        # full rows for the page shown only.
        light = list(rows.values_list("pk", "person_id", "person__family_name"))
        facts = pathway.case_facts(pid for _, pid, _ in light)
        steps = {pk: pathway.step_for(facts.get(pid)) for pk, pid, _ in light}
        light.sort(key=lambda r: (steps[r[0]].due is None, steps[r[0]].due or today(), r[2], r[0]))
        page = Paginator(light, 50).get_page(request.GET.get("page"))
        full = {a.pk: a for a in rows.filter(pk__in=[r[0] for r in page.object_list])}
        page.object_list = [full[r[0]] for r in page.object_list]
        for a in page.object_list:
            a.next_step = steps[a.pk]
    else:
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        pathway.attach_steps(page.object_list)
    duties = duty_selectors.open_duty_counts((a.person_id for a in page.object_list), today())
    return render(
        request,
        "casework/caseload.html",
        {
            "page": page,
            "duties": duties,
            "scope": scope,
            "order": order,
            "today": today(),
            "active_nav": "caseload",
            "title": "Caseload",
        },
    )


@person_view(Capability.ALLOCATE, page="allocate the case")
def allocate(request: HttpRequest, person, access) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = AllocationForm(request.POST)
        if form.is_valid():
            try:
                services.allocate(
                    request.user,
                    person,
                    team=form.cleaned_data["team"],
                    worker=form.cleaned_data["worker"],
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as e:
                errors = validation_errors(e)
            else:
                messages.success(request, "The case has been allocated")
                return redirect("people:detail", person.person_id)
        else:
            errors = form_errors(form)
    else:
        current = person.allocations.filter(ended_at__isnull=True).first()
        initial = {"team": current.team_id if current else request.user.team_id}
        form = AllocationForm(initial=initial)
    return render(
        request,
        "casework/allocate.html",
        {
            "form": form,
            "errors": errors,
            "person": person,
            "teams": Team.objects.filter(is_active=True).select_related("organisation"),
            "title": f"Allocate: {person.full_name}",
        },
        status=400 if errors else 200,
    )


@person_view(Capability.ADD_CASE_NOTE, page="add a case note")
def add_case_note(request: HttpRequest, person, access) -> HttpResponse:
    errors: dict[str, str] = {}
    detail_url = reverse("people:detail", args=[person.person_id])
    if request.method == "POST":
        if previous_result(request.POST.get("submission_token", "")):
            messages.info(request, "This case note was already saved: you submitted it twice.")
            return redirect(detail_url)
        form = CaseNoteForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            occurred = dt.datetime.combine(d["occurred_on"], dt.time(12, 0))
            occurred = timezone.make_aware(occurred)
            if d["occurred_on"] == timezone.localdate():
                occurred = timezone.now()
            try:
                with transaction.atomic():
                    services.add_case_note(
                        request.user,
                        person,
                        kind=d["kind"],
                        subject=d["subject"],
                        text=d["text"],
                        occurred_at=occurred,
                    )
                    claim_submission(d["submission_token"], request.user, detail_url)
            except ValidationError as e:
                errors = validation_errors(e)
                if "occurred_at" in errors:
                    errors["occurred_on"] = errors.pop("occurred_at")
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                messages.success(request, "Case note added")
                return redirect(detail_url)
        else:
            errors = form_errors(form)
    else:
        form, _ = form_with_kept_work(request, CaseNoteForm)
    return render(
        request,
        "casework/case_note_form.html",
        {"form": form, "errors": errors, "person": person, "title": "Add a case note"},
        status=400 if errors else 200,
    )


@person_view(Capability.BREAK_GLASS, page="break glass", relationship=False, audit_view=False)
def break_glass(request: HttpRequest, person, access) -> HttpResponse:
    if person.is_restricted and not access.allowed:
        if not access.exists_for_worker:
            # As on every other page: a restricted record the worker is not named on does not
            # exist for them (a 403 here would confirm that it does).
            audit.record(
                request.user,
                audit.Action.ACCESS_REFUSED,
                person=person,
                obj=person,
                summary="Refused (break glass): restricted record",
            )
            raise Http404("No such person")
        raise PermissionDenied("Restricted records cannot be opened by breaking glass.")
    errors: dict[str, str] = {}
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    next_url = next_url or reverse("people:detail", args=[person.person_id])
    if access.allowed:
        return redirect(next_url)
    if request.method == "POST":
        form = BreakGlassForm(request.POST)
        if form.is_valid():
            try:
                services.break_glass(request.user, person, form.cleaned_data["reason"])
            except ValidationError as e:
                errors = validation_errors(e)
            else:
                return redirect(next_url)
        else:
            errors = form_errors(form)
    else:
        form = BreakGlassForm(initial={"next": next_url})
    return render(
        request,
        "casework/no_relationship.html",
        {"person": person, "access": access, "form": form, "errors": errors, "next": next_url},
        status=400 if errors else 403,
    )


break_glass = require_http_methods(["GET", "POST"])(break_glass)
allocate = require_http_methods(["GET", "POST"])(allocate)
add_case_note = require_http_methods(["GET", "POST"])(add_case_note)


@require_GET
def break_glass_report(request: HttpRequest) -> HttpResponse:
    worker = request.user
    if not can(worker, Capability.VIEW_AUDIT):
        raise PermissionDenied("Only team managers and administrators see break-glass access.")
    paginator = Paginator(selectors.break_glass_for_manager(worker), 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "casework/break_glass_report.html",
        {"page": page, "active_nav": "break_glass", "title": "Break-glass access"},
    )
