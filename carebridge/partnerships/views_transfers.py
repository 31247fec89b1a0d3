"""Transfers of teams and workers between organisations, and reallocating a leaver's cases:
draft, dry-run preview, confirm (at once, or scheduled), cancel, and the reconciliation report.
Thin: every change goes through :mod:`carebridge.partnerships.transfers`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carebridge.core import audit
from carebridge.core.access import Capability, can
from carebridge.core.downloads import csv_response
from carebridge.core.forms import (
    DuplicateSubmission,
    already_submitted,
    form_errors,
    form_with_kept_work,
    submit_once,
    validation_errors,
)
from carebridge.duties.definitions import DUTIES
from carebridge.organisations.models import Team

from . import selectors, transfers
from .forms_transfers import CancelForm, ReallocationForm, TeamsTransferForm, WorkersTransferForm
from .models import Transfer

K = Transfer.Kind


def _allow_list(request: HttpRequest) -> None:
    user = request.user
    if not (can(user, Capability.MANAGE_PARTNERSHIPS) or can(user, Capability.ALLOCATE)):
        raise PermissionDenied("Your role does not allow you to move teams, workers or caseloads.")


def _allow_manage(request: HttpRequest) -> None:
    if not can(request.user, Capability.MANAGE_PARTNERSHIPS):
        raise PermissionDenied(
            "Moving teams and workers between organisations is for the council's administrators."
        )


def _transfer_for(request: HttpRequest, reference: str) -> Transfer:
    t = get_object_or_404(selectors.transfers(), reference=reference)
    if can(request.user, Capability.MANAGE_PARTNERSHIPS):
        return t
    if t.kind == K.REALLOCATION and transfers.may_reallocate(request.user, t.leaving_worker):
        return t
    raise PermissionDenied("This transfer is not one you manage.")


def _url(t: Transfer) -> str:
    return reverse("partnerships:transfer", args=[t.reference])


@require_GET
def transfer_list(request: HttpRequest) -> HttpResponse:
    _allow_list(request)
    qs = selectors.transfers()
    if not can(request.user, Capability.MANAGE_PARTNERSHIPS):
        qs = qs.filter(kind=K.REALLOCATION, leaving_worker__team_id=request.user.team_id)
    return render(
        request,
        "partnerships/transfers.html",
        {
            "transfers": list(qs[:200]),
            "may_manage": can(request.user, Capability.MANAGE_PARTNERSHIPS),
            "active_nav": "partnerships",
        },
    )


def _form(request, form_class, *, initial, save, template, context, form_kwargs=None):
    """GET shows the form; POST drafts the transfer once and goes to its preview."""
    errors: dict[str, str] = {}
    kwargs = form_kwargs or {}
    if request.method == "POST":
        if done := already_submitted(request, "You have already drafted this transfer."):
            return done
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            try:
                t = submit_once(
                    request, form.cleaned_data["submission_token"], lambda: save(form), _url
                )
            except ValidationError as e:
                errors = validation_errors(e)
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                messages.success(request, f"Transfer {t.reference} drafted: check the preview.")
                return redirect(_url(t))
        else:
            errors = form_errors(form)
    else:
        form, _ = form_with_kept_work(request, form_class, initial=initial, **kwargs)
    return render(
        request,
        template,
        {"form": form, "errors": errors, "active_nav": "partnerships", **context},
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def new_teams(request: HttpRequest) -> HttpResponse:
    _allow_manage(request)

    def save(form):
        d = form.cleaned_data
        return transfers.draft_transfer(
            request.user,
            kind=K.TEAMS,
            from_organisation=d["from_organisation"],
            to_organisation=d["to_organisation"],
            teams=d["teams"],
            agreement=d["agreement"],
            effective_on=d["effective_on"],
            reason=d["reason"],
            waiting_cases_to_manager=d["waiting_cases"] == "manager",
        )

    return _form(
        request,
        TeamsTransferForm,
        initial={"waiting_cases": "block"},
        save=save,
        template="partnerships/transfer_form.html",
        context={
            "heading": "Move teams to another organisation",
            "intro": "Nothing changes until you have checked the preview and confirmed it.",
        },
    )


@require_http_methods(["GET", "POST"])
def new_workers(request: HttpRequest) -> HttpResponse:
    _allow_manage(request)
    team_id = request.GET.get("team") or request.POST.get("from_team")
    from_team = Team.objects.filter(pk=team_id).first() if str(team_id or "").isdigit() else None
    teams = Team.objects.filter(is_active=True).select_related("organisation").order_by("name")

    def save(form):
        d = form.cleaned_data
        return transfers.draft_transfer(
            request.user,
            kind=K.WORKERS,
            from_organisation=from_team.organisation,
            workers=d["workers"],
            to_team=d["to_team"],
            effective_on=d["effective_on"],
            reason=d["reason"],
        )

    return _form(
        request,
        WorkersTransferForm,
        initial={},
        save=save,
        template="partnerships/transfer_form.html",
        context={
            "heading": "Move selected workers to another team",
            "intro": "Their open cases and draft assessments move with them.",
            "from_team": from_team,
            "teams": teams,
            "choose_team": from_team is None,
        },
        form_kwargs={"from_team": from_team},
    )


@require_http_methods(["GET", "POST"])
def reallocate(request: HttpRequest) -> HttpResponse:
    _allow_list(request)
    team_id = None if can(request.user, Capability.MANAGE_PARTNERSHIPS) else request.user.team_id

    def save(form):
        d = form.cleaned_data
        return transfers.draft_reallocation(
            request.user,
            leaving=d["leaving_worker"],
            sharing=d["sharing"],
            receiving=d["receiving_worker"],
            effective_on=d["effective_on"],
            reason=d["reason"],
        )

    return _form(
        request,
        ReallocationForm,
        initial={"sharing": Transfer.Sharing.SHARE},
        save=save,
        template="partnerships/transfer_form.html",
        context={
            "heading": "Reallocate a leaving worker's cases",
            "intro": "Every open case gets a named worker on the day they leave; their draft "
            "assessments and enquiries go with the cases.",
        },
        form_kwargs={"team_id": team_id},
    )


@require_GET
def transfer(request: HttpRequest, reference: str) -> HttpResponse:
    t = _transfer_for(request, reference)
    live = t.status == Transfer.Status.DRAFT
    p = transfers.preview(t) if live else None
    shown = p.as_json() if p is not None else (t.preview or {})
    audit.record(
        request.user,
        audit.Action.VIEW,
        obj=t,
        summary=f"Viewed transfer {t.reference} "
        f"({'preview' if live else t.get_status_display().lower()}, "
        f"{len(shown.get('cases', []))} open cases listed)",
    )
    return render(
        request,
        "partnerships/transfer.html",
        {
            "t": t,
            "preview": shown,
            "digest": p.digest if p is not None else "",
            "duty_names": {k: d.title for k, d in DUTIES.items()},
            "cancel_form": CancelForm(),
            "compare_url": _before_after_url(t),
            "due_now": t.effective_on <= timezone.localdate(),
            "active_nav": "partnerships",
        },
    )


def _before_after_url(t: Transfer) -> str:
    if t.status != Transfer.Status.COMPLETED or t.kind != K.TEAMS:
        return ""
    teams = ",".join(str(pk) for pk in t.teams.values_list("pk", flat=True))
    return (
        reverse("partnerships:compare")
        + f"?teams={teams}&split={t.effective_on.isoformat()}&months=12"
    )


@require_POST
def confirm(request: HttpRequest, reference: str) -> HttpResponse:
    t = _transfer_for(request, reference)
    try:
        t = transfers.confirm(request.user, t, digest=request.POST.get("digest", ""))
    except transfers.PreviewChanged as e:
        messages.error(request, str(e))
    except ValidationError as e:
        messages.error(request, validation_errors(e).popitem()[1])
    except transfers.ReconciliationFailed as e:
        messages.error(request, f"The reconciliation failed, so nothing was changed: {e}")
    except Exception as e:
        messages.error(request, f"The transfer failed and nothing was changed: {e}")
    else:
        if t.status == Transfer.Status.COMPLETED:
            messages.success(
                request,
                f"Transfer {t.reference} carried out: every open case has a named worker and team.",
            )
        else:
            messages.success(
                request,
                f"Transfer {t.reference} scheduled for {t.effective_on:%-d %B %Y}. You can cancel "
                "it until then.",
            )
    return redirect(_url(t))


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, reference: str) -> HttpResponse:
    t = _transfer_for(request, reference)

    def save(form):
        return transfers.cancel(request.user, t, reason=form.cleaned_data["reason"])

    errors: dict[str, str] = {}
    if request.method == "POST":
        if done := already_submitted(request, "You have already cancelled this transfer."):
            return done
        form = CancelForm(request.POST)
        if form.is_valid():
            try:
                submit_once(
                    request, form.cleaned_data["submission_token"], lambda: save(form), _url(t)
                )
            except ValidationError as e:
                errors = validation_errors(e)
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                messages.success(request, f"Transfer {t.reference} cancelled: nothing changed.")
                return redirect(_url(t))
        else:
            errors = form_errors(form)
    else:
        form = CancelForm()
    return render(
        request,
        "partnerships/cancel.html",
        {"t": t, "form": form, "errors": errors, "active_nav": "partnerships"},
        status=400 if errors else 200,
    )


CASES_HEADER = ("person_id", "name", "team_before", "worker_before", "team_after", "worker_after")
RECONCILED_HEADER = ("person_id", "name", "team", "worker", "organisation", "held_as_planned")


@require_GET
def transfer_csv(request: HttpRequest, reference: str) -> HttpResponse:
    t = _transfer_for(request, reference)
    if t.reconciliation and t.reconciliation.get("cases"):
        header = RECONCILED_HEADER
        rows = [
            (
                c["person_id"],
                c["name"],
                c["team"],
                c["worker"],
                c["organisation"],
                "yes" if c["ok"] else "NO",
            )
            for c in t.reconciliation["cases"]
        ]
        what = "reconciliation"
    else:
        cases = (t.preview or transfers.preview(t).as_json())["cases"]
        header = CASES_HEADER
        rows = [tuple(c[k] for k in CASES_HEADER) for c in cases]
        what = "preview"
    audit.record(
        request.user,
        audit.Action.EXPORT,
        obj=t,
        summary=f"Downloaded the {what} of transfer {t.reference} ({len(rows)} open cases)",
    )
    return csv_response(f"{t.reference}-{what}.csv", header, rows)
