"""Agreement pages: the agreements (status, term, hosted teams, money), one agreement in full,
recording and changing them (extend, end early, performance conditions, hosted teams), and who
hosts and employs each team and worker on a date (with a CSV).

Every change goes through :mod:`carebridge.partnerships.agreements`; the pages only read and
show. Reading needs VIEW_PARTNERSHIPS, changing MANAGE_PARTNERSHIPS."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carebridge.core import audit
from carebridge.core.access import Capability, can
from carebridge.core.forms import (
    DuplicateSubmission,
    already_submitted,
    as_int,
    form_errors,
    submit_once,
    validation_errors,
)

from . import agreement_selectors as sel
from . import agreements as services
from .forms_agreements import AgreementForm, ConditionForm, EndForm, ExtendForm, TeamForm
from .models import Agreement, PerformanceCondition

NAV = "partnerships"


def _may_view(request: HttpRequest) -> None:
    if not can(request.user, Capability.VIEW_PARTNERSHIPS):
        raise PermissionDenied("Your role does not allow you to see partnership agreements.")


def _may_manage(request: HttpRequest) -> None:
    if not can(request.user, Capability.MANAGE_PARTNERSHIPS):
        raise PermissionDenied("Your role does not allow you to change partnership agreements.")


def _agreement_url(a: Agreement, anchor: str = "") -> str:
    return reverse("partnerships:agreement", args=[a.pk]) + anchor


def _number(value) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- reading ----------------------------------------------------------------------------------


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    _may_view(request)
    today = timezone.localdate()
    manage = can(request.user, Capability.MANAGE_PARTNERSHIPS)
    return render(
        request,
        "partnerships/agreements/overview.html",
        {
            "rows": sel.overview(today),
            "today": today,
            "manage": manage,
            # Team managers reallocate their own team's leavers' cases from the same list.
            "transfers_url": reverse("partnerships:transfers")
            if manage or can(request.user, Capability.ALLOCATE)
            else "",
            "compare_url": reverse("partnerships:compare"),
            "continuity_url": reverse("partnerships:continuity"),
            "active_nav": NAV,
            "title": "Partnerships",
        },
    )


@require_GET
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    _may_view(request)
    try:
        a = sel.agreement(pk)
    except Agreement.DoesNotExist:
        raise Http404("No such agreement") from None
    today = timezone.localdate()
    extensions = list(a.extensions.all())
    return render(
        request,
        "partnerships/agreements/detail.html",
        {
            "agreement": a,
            "status": sel.STATUS_LABELS[sel.status_on(a, today)],
            "last_day": a.term(extensions).last_day,
            "extensions": extensions,
            "conditions": [
                (c, services.measure_label(c.measure), _number(c.target))
                for c in a.conditions.all()
            ],
            "periods": sel.hosted_periods(a, today),
            "transfers": list(sel.transfers_naming(a)),
            "manage": can(request.user, Capability.MANAGE_PARTNERSHIPS),
            "today": today,
            "active_nav": NAV,
            "title": a.title,
        },
    )


def _hosting_day(request: HttpRequest) -> tuple[dt.date | None, str]:
    text = request.GET.get("on", "").strip()
    if not text:
        return timezone.localdate(), ""
    try:
        return dt.date.fromisoformat(text), ""
    except ValueError:
        return None, "Enter a real date as year-month-day, for example 2026-04-01"


@require_GET
def hosting(request: HttpRequest) -> HttpResponse:
    _may_view(request)
    day, error = _hosting_day(request)
    if error:
        return render(
            request,
            "partnerships/agreements/hosting.html",
            {"errors": {"on": error}, "on": request.GET.get("on", ""), "active_nav": NAV,
             "title": "Who hosts and employs each team"},
            status=400,
        )  # fmt: skip
    report = sel.hosting_report(day)
    return render(
        request,
        "partnerships/agreements/hosting.html",
        {
            "report": report,
            "on": day.isoformat(),
            "today": timezone.localdate(),
            "role_label": sel.role_label,
            "active_nav": NAV,
            "title": f"Who hosts and employs each team on {day:%-d %B %Y}",
        },
    )


@require_GET
def hosting_csv(request: HttpRequest) -> HttpResponse:
    _may_view(request)
    day, error = _hosting_day(request)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    report = sel.hosting_report(day)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hosting-{day.isoformat()}.csv"'
    out = csv.writer(response)
    out.writerow(["kind", "name", "role", "team", "managed_or_employed_by", "line_manager",
                  "agreement"])  # fmt: skip
    for t in report.teams:
        out.writerow(["team", t.team.name, "", t.team.name, t.host.name if t.host else "", "",
                      t.agreement.reference if t.agreement else ""])  # fmt: skip
    for w in report.workers:
        out.writerow([
            "worker", w.worker.get_full_name() or w.worker.username, sel.role_label(w.worker.role),
            w.team.name if w.team else "", w.employer.name if w.employer else "",
            (w.line_manager.get_full_name() or w.line_manager.username) if w.line_manager else "",
            w.agreement.reference if w.agreement else "",
        ])  # fmt: skip
    audit.record(
        request.user,
        audit.Action.EXPORT,
        object_type="partnerships.hosting",
        summary=f"Exported who hosts and employs each team and worker on {day.isoformat()} "
        f"({len(report.teams)} teams, {len(report.workers)} workers)",
        changes={"on": day.isoformat()},
    )
    return response


# --- changing ---------------------------------------------------------------------------------


@dataclass
class Page:
    heading: str
    button: str
    form_class: type
    save: Callable  # (form, version) -> result
    done_url: Callable  # (result) -> url
    success: str
    duplicate: str
    initial: dict
    cancel_url: str
    form_kwargs: dict | None = None
    version: int | None = None
    intro: str = ""
    template: str = "partnerships/agreements/form.html"


def _form_page(request: HttpRequest, page: Page, **context) -> HttpResponse:
    """GET shows the form; POST saves it once, through the service, or shows it again with
    what was typed and the errors; a conflicting edit (409) says someone else changed it."""
    errors: dict[str, str] = {}
    conflict = ""
    version = page.version
    kwargs = page.form_kwargs or {}
    if request.method == "POST":
        if done := already_submitted(request, page.duplicate):
            return done
        form = page.form_class(request.POST, **kwargs)
        if page.version is not None:
            version = as_int(request.POST.get("version"), -1)
        if form.is_valid():
            try:
                submit_once(
                    request,
                    form.cleaned_data["submission_token"],
                    lambda: page.save(form, version),
                    page.done_url,
                )
            except services.Conflict as e:
                conflict, version = str(e), e.current.version
            except ValidationError as e:
                errors = validation_errors(e)
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                messages.success(request, page.success)
                return redirect(page.done_url(None))
        else:
            errors = form_errors(form)
    else:
        form = page.form_class(initial=page.initial, **kwargs)
    return render(
        request,
        page.template,
        {
            "form": form,
            "errors": errors,
            "conflict": conflict,
            "version": version,
            "page": page,
            "active_nav": NAV,
            "title": page.heading,
            **context,
        },
        status=409 if conflict else (400 if errors else 200),
    )


def _agreement_or_404(pk: int) -> Agreement:
    return get_object_or_404(Agreement.objects.select_related("council", "partner"), pk=pk)


@require_http_methods(["GET", "POST"])
def agreement_new(request: HttpRequest) -> HttpResponse:
    _may_manage(request)
    created: dict[str, Agreement] = {}

    def save(form, _version):
        created["a"] = services.record_agreement(request.user, **form.values())
        return created["a"]

    return _form_page(
        request,
        Page(
            heading="Record a partnership agreement",
            button="Record the agreement",
            form_class=AgreementForm,
            save=save,
            done_url=lambda a: _agreement_url(a or created["a"]),
            success="The agreement has been recorded",
            duplicate="The agreement was already recorded: you sent it twice.",
            initial={},
            cancel_url=reverse("partnerships:overview"),
            intro="An arrangement under section 75 of the National Health Service Act 2006: "
            "the council delegates functions to an NHS body, which hosts the teams that carry "
            "them out.",
        ),
    )


@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _may_manage(request)
    a = _agreement_or_404(pk)
    return _form_page(
        request,
        Page(
            heading=f"Change {a.reference}",
            button="Save the agreement",
            form_class=AgreementForm,
            save=lambda form, version: services.update_agreement(
                request.user, a, version=version, **form.values()
            ),
            done_url=lambda _r: _agreement_url(a),
            success="The agreement has been saved",
            duplicate="Your changes were already saved: you sent them twice.",
            initial=AgreementForm.initial_for(a),
            cancel_url=_agreement_url(a),
            version=a.version,
        ),
        agreement=a,
    )


@require_http_methods(["GET", "POST"])
def agreement_extend(request: HttpRequest, pk: int) -> HttpResponse:
    _may_manage(request)
    a = _agreement_or_404(pk)
    last = a.term().last_day
    return _form_page(
        request,
        Page(
            heading=f"Extend {a.reference}",
            button="Record the extension",
            form_class=ExtendForm,
            save=lambda form, version: services.extend_agreement(
                request.user, a, version=version, **form.values()
            ),
            done_url=lambda _r: _agreement_url(a, "#term"),
            success="The extension has been recorded",
            duplicate="The extension was already recorded: you sent it twice.",
            initial={},
            cancel_url=_agreement_url(a),
            version=a.version,
            intro=f"The agreement runs until {last:%-d %B %Y}."
            if last
            else "The agreement has no end date.",
        ),
        agreement=a,
    )


@require_http_methods(["GET", "POST"])
def agreement_end(request: HttpRequest, pk: int) -> HttpResponse:
    _may_manage(request)
    a = _agreement_or_404(pk)
    return _form_page(
        request,
        Page(
            heading=f"End {a.reference} early",
            button="End the agreement",
            form_class=EndForm,
            save=lambda form, version: services.end_agreement(
                request.user, a, version=version, **form.values()
            ),
            done_url=lambda _r: _agreement_url(a, "#term"),
            success="The agreement has been ended",
            duplicate="The agreement was already ended: you sent it twice.",
            initial={},
            cancel_url=_agreement_url(a),
            version=a.version,
            intro="Record the last day the agreement runs, as given in the notice. Teams hosted "
            "under it are moved back with a transfer.",
        ),
        agreement=a,
    )


@require_http_methods(["GET", "POST"])
def agreement_condition(request: HttpRequest, pk: int) -> HttpResponse:
    _may_manage(request)
    a = _agreement_or_404(pk)
    return _form_page(
        request,
        Page(
            heading=f"Add a performance condition to {a.reference}",
            button="Add the condition",
            form_class=ConditionForm,
            save=lambda form, _v: services.add_condition(request.user, a, **form.values()),
            done_url=lambda _r: _agreement_url(a, "#conditions"),
            success="The performance condition has been added",
            duplicate="The condition was already added: you sent it twice.",
            initial={},
            cancel_url=_agreement_url(a),
        ),
        agreement=a,
    )


@require_POST
def agreement_condition_remove(request: HttpRequest, pk: int, condition_pk: int) -> HttpResponse:
    _may_manage(request)
    condition = get_object_or_404(
        PerformanceCondition.objects.select_related("agreement"), pk=condition_pk, agreement_id=pk
    )
    services.remove_condition(request.user, condition)
    messages.success(request, "The performance condition has been removed")
    return redirect(_agreement_url(condition.agreement, "#conditions"))


@require_http_methods(["GET", "POST"])
def agreement_team(request: HttpRequest, pk: int) -> HttpResponse:
    _may_manage(request)
    a = _agreement_or_404(pk)
    offered = services.teams_it_may_host(a)
    return _form_page(
        request,
        Page(
            heading=f"Host a team under {a.reference}",
            button="Host the team under this agreement",
            form_class=TeamForm,
            save=lambda form, _v: services.link_team(request.user, a, form.cleaned_data["team"]),
            done_url=lambda _r: _agreement_url(a, "#teams"),
            success="The team is hosted under the agreement",
            duplicate="The team was already linked: you sent it twice.",
            initial={},
            cancel_url=_agreement_url(a),
            form_kwargs={"offered": offered},
            intro=f"Only a team {a.partner.name} manages today can be hosted under this "
            "agreement. To move a team between organisations, use a transfer.",
        ),
        agreement=a,
    )
