"""The statutory duties compliance dashboard: today's figures by duty, organisation, team and
worker; the people behind each figure; monthly trends with charts; CSV exports. For roles with
``VIEW_COMPLIANCE`` (team managers, performance analysts). Lists of people are scoped and
audited (ADR 0013)."""

from __future__ import annotations

import datetime as dt
from itertools import batched
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from carebridge.core import audit
from carebridge.core.access import Capability, can
from carebridge.core.downloads import csv_response
from carebridge.core.forms import (
    DuplicateSubmission,
    already_submitted,
    form_errors,
    submit_once,
    validation_errors,
)

from . import charts, dashboard, figures, standards, standards_service
from .dashboard import BREAKDOWNS, NOT_ALLOCATED, Scope
from .definitions import DUTIES
from .forms import DashboardForm, PeopleForm, StandardForm, TrendsForm, WithdrawStandardForm

PAGE_SIZE = 50


def _allow(request: HttpRequest) -> None:
    if not can(request.user, Capability.VIEW_COMPLIANCE):
        raise PermissionDenied("Your role does not include the duty compliance dashboard.")


def _errors(form) -> dict[str, str]:
    """The form's errors for the error summary; those about values only a link carries (the
    worker, the month) point at the top of the page, as there is no box to correct."""
    out: dict[str, str] = {}
    for name, errors in form.errors.items():
        key = name if name in form.fields and not form.fields[name].widget.is_hidden else "__all__"
        out[key] = " ".join([out[key], *errors]) if key in out else " ".join(errors)
    return out


def _link(name: str, params: dict[str, str]) -> str:
    query = urlencode(params)
    return reverse(name) + (f"?{query}" if query else "")


def _people_link(scope: Scope, figure: str | None = None, month=None) -> str:
    more = {"state": figure}
    if month is not None:
        more["month"] = f"{month:%Y-%m}"
    return _link("duties:people", scope.params(**more))


def _describe(scope: Scope, figure: str | None, month=None) -> str:
    """What a list holds, in words: "Overdue: Review at least every 12 months, North CMHT"."""
    from carebridge.organisations.models import Organisation, Team, Worker

    parts = [DUTIES[scope.duty].title if scope.duty else "All duties"]
    for value, model, what in (
        (scope.organisation, Organisation, "organisation"),
        (scope.team, Team, "team"),
        (scope.worker, Worker, "worker"),
    ):
        if value == NOT_ALLOCATED:
            parts.append("no named worker" if what == "worker" else "not allocated")
        elif value is not None:
            found = model.objects.filter(pk=value).first()
            parts.append(str(found.name if hasattr(found, "name") else found))
    label = {**figures.FIGURES, **figures.ALSO}.get(figure or "", "Every figure")
    when = f" at the end of {month:%B %Y}" if month else " today"
    return f"{label}{when}: " + ", ".join(parts)


# --- today's figures ----------------------------------------------------------------------------


def _caption(by: str, scope: Scope) -> str:
    """ "By team: all duties", "By worker: Review at least every 12 months", "By duty"."""
    if scope.duty:
        return f"{BREAKDOWNS[by]}: {DUTIES[scope.duty].title}"
    return BREAKDOWNS[by] if by == "duty" else f"{BREAKDOWNS[by]}: all duties"


def _dashboard_context(form: DashboardForm) -> dict:
    return {
        "form": form,
        "errors": _errors(form) if form.is_bound and form.errors else {},
        "breakdowns": BREAKDOWNS,
        "figure_labels": figures.FIGURES,
        "rate_definition": figures.RATE_DEFINITION,
        "due_soon_days": figures.DUE_SOON_DAYS,
        "today": timezone.localdate(),
        "active_nav": "compliance",
        "title": "Statutory duties compliance",
        "standards_link": reverse("duties:standards"),
    }


@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    _allow(request)
    form = DashboardForm(request.GET)
    context = _dashboard_context(form)
    if not form.is_valid():
        return render(request, "duties/dashboard.html", context, status=400)
    scope, by = form.scope(), form.cleaned_data["by"]
    today = context["today"]
    context.update(
        {
            "by": by,
            "scope": scope,
            "table": dashboard.figures_today(scope, by, today),
            "standards": standards.overview(today) if by == "duty" else {},
            "caption": _caption(by, scope),
            "soon_until": today + dt.timedelta(days=figures.DUE_SOON_DAYS),
            "people_link": _people_link,
            "tab_link": lambda b: _link("duties:dashboard", scope.params(by=b)),
            "csv_link": _link("duties:dashboard-csv", scope.params(by=by)),
            "trends_link": _link(
                "duties:trends",
                {k: v for k, v in scope.params().items() if k in ("duty", "organisation", "team")},
            ),
        }
    )
    return render(request, "duties/dashboard.html", context)


@require_GET
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    _allow(request)
    form = DashboardForm(request.GET)
    if not form.is_valid():
        return render(request, "duties/dashboard.html", _dashboard_context(form), status=400)
    scope, by = form.scope(), form.cleaned_data["by"]
    today = timezone.localdate()
    table = dashboard.figures_today(scope, by, today)
    header = [
        {"duty": "duty", "organisation": "organisation", "team": "team", "worker": "worker"}[by],
        "detail",
        *figures.FIGURES,
        "compliance_rate",
        "rate_on_time",
        "rate_out_of",
    ]

    def line(label, hint, c):
        rate = "" if c.rate is None else f"{c.rate * 100:.1f}"
        return [label, hint, *(c.get(k) for k in figures.FIGURES), rate, c.on_time, c.decided]

    rows = [line(r.key if by == "duty" else r.label, r.hint, r.counts) for r in table.rows]
    rows.append(line("Total", "", table.total))
    audit.record(
        request.user,
        audit.Action.EXPORT,
        object_type="duties.compliance",
        summary=f"Downloaded duty compliance figures as of {today:%d %B %Y} ({BREAKDOWNS[by]})",
        changes={"as_of": today.isoformat(), "filters": scope.params(by=by), "rows": len(rows)},
    )
    return csv_response(f"duty-compliance-{by}-{today.isoformat()}.csv", header, rows)


# --- the people behind a figure -----------------------------------------------------------------


def _people(request: HttpRequest, form: PeopleForm):
    """(scope, figure, month, how many counted, the listable rows or engine results)."""
    today = form.today
    scope, figure = form.scope(), form.figure()
    month = form.cleaned_data.get("month")
    if month:
        counted, shown = dashboard.people_at_month_end(request.user, scope, figure, month)
    else:
        counted, shown = dashboard.people_behind(request.user, scope, figure, today)
    return scope, figure, month, counted, shown


def _as_listed(items, month, today, names: bool) -> list[dashboard.Listed]:
    if month:
        return dashboard.listed_at(list(items), names=names)
    return [dashboard.listed_today(r, today, names=names) for r in items]


@require_GET
def people_page(request: HttpRequest) -> HttpResponse:
    _allow(request)
    today = timezone.localdate()
    form = PeopleForm(request.GET, today=today)
    context = {
        "form": form,
        "today": today,
        "active_nav": "compliance",
        "title": "People behind a compliance figure",
    }
    if not form.is_valid():
        context["errors"] = _errors(form)
        return render(request, "duties/people.html", context, status=400)
    scope, figure, month, counted, shown = _people(request, form)
    names = dashboard.names_people(request.user)
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _as_listed(page.object_list, month, today, names)
    listed = page.paginator.count
    description = _describe(scope, figure, month)
    audit.record(
        request.user,
        audit.Action.VIEW,
        object_type="duties.compliance",
        summary=f"Viewed the people behind a duty figure ({description})",
        changes={
            "filters": scope.params(state=figure, month=month.isoformat() if month else None),
            "page": page.number,
            "listed": [item.person_id for item in page.object_list],
            "counted": counted,
            "not_listed": counted - listed,
        },
    )
    params = dict(request.GET.items())
    params.pop("page", None)
    context.update(
        {
            "page": page,
            "description": description,
            "counted": counted,
            "listed": listed,
            "not_listed": counted - listed,
            "names": names,
            "month": month,
            "page_link": lambda n: _link("duties:people", {**params, "page": n}),
            "csv_link": _link("duties:people-csv", params),
            "back_link": _link(
                "duties:trends" if month else "duties:dashboard",
                {k: v for k, v in scope.params().items() if k in ("duty", "organisation", "team")},
            ),
        }
    )
    return render(request, "duties/people.html", context)


@require_GET
def people_csv(request: HttpRequest) -> HttpResponse:
    _allow(request)
    today = timezone.localdate()
    form = PeopleForm(request.GET, today=today)
    if not form.is_valid():
        context = {
            "form": form,
            "today": today,
            "errors": _errors(form),
            "active_nav": "compliance",
        }
        return render(request, "duties/people.html", context, status=400)
    scope, figure, month, counted, shown = _people(request, form)
    names = dashboard.names_people(request.user)
    items = shown if month else shown.iterator(chunk_size=2000)
    header = [
        "duty",
        "duty_title",
        "person_id",
        *(["name"] if names else []),
        "figure",
        "clock_start",
        "due",
        "met_on",
        "worker",
        "team",
        "organisation",
        "explanation",
        "action",
    ]
    # In batches: a page of engine results needs its names looked up (a few queries a batch).
    rows = [row for batch in batched(items, 2000) for row in _csv_rows(batch, month, today, names)]
    stamp = month.isoformat() if month else today.isoformat()
    audit.record(
        request.user,
        audit.Action.EXPORT,
        object_type="duties.compliance",
        summary=f"Downloaded the people behind a duty figure ({_describe(scope, figure, month)})",
        changes={
            "filters": scope.params(state=figure, month=month.isoformat() if month else None),
            "rows": len(rows),
            "person_ids": sorted({r[2] for r in rows}),
            "counted": counted,
            "not_listed": counted - len(rows),
        },
    )
    return csv_response(f"duty-compliance-people-{stamp}.csv", header, rows)


def _csv_rows(items, month, today, names: bool) -> list[list]:
    out = []
    for x in _as_listed(items, month, today, names):
        out.append(
            [
                x.duty.id,
                x.duty.title,
                x.person_id,
                *([x.name] if names else []),
                x.figure,
                x.clock_start.isoformat(),
                x.due.isoformat(),
                x.met_on.isoformat() if x.met_on else "",
                x.worker,
                x.team,
                x.organisation,
                x.explanation,
                x.duty.action if x.needs_action else "",
            ]
        )
    return out


# --- monthly trends -----------------------------------------------------------------------------


def _trends(scope: Scope):
    ends = dashboard.recorded_month_ends()
    return ends, dashboard.trends(scope, ends)


@require_GET
def trends_page(request: HttpRequest) -> HttpResponse:
    _allow(request)
    form = TrendsForm(request.GET)
    context = {
        "form": form,
        "active_nav": "compliance",
        "title": "Statutory duties compliance: monthly trends",
        "rate_definition": figures.RATE_DEFINITION,
    }
    if not form.is_valid():
        context["errors"] = _errors(form)
        return render(request, "duties/trends.html", context, status=400)
    scope = form.scope()
    ends, trends = _trends(scope)
    context.update(
        {
            "scope": scope,
            "ends": ends,
            "trends": [
                (
                    t,
                    charts.rate_chart(f"rate-{t.duty.id}", "Compliance rate", t.months),
                    charts.count_chart(
                        f"overdue-{t.duty.id}",
                        "Overdue at the month end",
                        [(end, c.overdue) for end, c in t.months],
                    ),
                )
                for t in trends
            ],
            "people_link": _people_link,
            "percent": figures.percent,
            "csv_link": _link("duties:trends-csv", scope.params()),
            "dashboard_link": _link("duties:dashboard", scope.params()),
        }
    )
    return render(request, "duties/trends.html", context)


@require_GET
def trends_csv(request: HttpRequest) -> HttpResponse:
    _allow(request)
    form = TrendsForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "errors": _errors(form), "active_nav": "compliance"}
        return render(request, "duties/trends.html", context, status=400)
    scope = form.scope()
    ends, trends = _trends(scope)
    header = ["month_end", "duty", "met", "met_late", "due", "overdue", "excluded"]
    header += ["compliance_rate", "rate_on_time", "rate_out_of"]
    rows = [
        [
            end.isoformat(),
            t.duty.id,
            c.met,
            c.met_late,
            c.due,
            c.overdue,
            c.excluded,
            "" if c.rate is None else f"{c.rate * 100:.1f}",
            c.on_time,
            c.decided,
        ]
        for t in trends
        for end, c in t.months
    ]
    audit.record(
        request.user,
        audit.Action.EXPORT,
        object_type="duties.compliance",
        summary="Downloaded monthly duty compliance trends",
        changes={"filters": scope.params(), "months": [e.isoformat() for e in ends]},
    )
    return csv_response("duty-compliance-trends.csv", header, rows)


# --- local standards ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def standards_page(request: HttpRequest) -> HttpResponse:
    """Each duty's time allowed: the definition's default, the council's standard in force
    today and its versions; a form to add a version for roles that set standards. Read by the
    roles that read the compliance figures (council settings: nobody's personal data)."""
    worker = request.user
    may_set = can(worker, Capability.SET_LOCAL_STANDARDS)
    if not (may_set or can(worker, Capability.VIEW_COMPLIANCE)):
        raise PermissionDenied("Your role does not include the council's local standards.")
    if request.method == "POST" and not may_set:
        raise PermissionDenied("Only an administrator can set the council's local standards.")
    url = reverse("duties:standards")
    errors: dict[str, str] = {}
    form = None
    if request.method == "POST":
        if done := already_submitted(
            request, "This standard was already saved: you sent it twice."
        ):
            return done
        form = StandardForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                saved = submit_once(
                    request,
                    d["submission_token"],
                    lambda: standards_service.set_standard(
                        worker,
                        duty_id=d["duty"],
                        effective_from=d["effective_from"],
                        unit=d["unit"],
                        amount=d["amount"],
                        note=d["note"],
                    ),
                    lambda row: f"{url}#duty-{row.duty_id}",
                )
            except ValidationError as e:
                errors = validation_errors(e)
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                duty = DUTIES[saved.duty_id]
                messages.success(
                    request,
                    f"{duty.title}: {standards.time_allowed(duty, saved.period)} for clocks "
                    f"starting from {saved.effective_from.day} "
                    f"{saved.effective_from:%B %Y}",
                )
                return redirect(f"{url}#duty-{saved.duty_id}")
        else:
            errors = form_errors(form)
    elif may_set:
        form = StandardForm(initial={"duty": request.GET.get("duty", ""), "unit": "days"})
    today = timezone.localdate()
    return render(
        request,
        "duties/standards.html",
        {
            "active_nav": "compliance",
            "title": "Local standards for statutory duties",
            "today": today,
            "standards": standards.overview(today),
            "units": standards.UNITS,
            "form": form,
            "errors": errors,
            "may_see_figures": can(worker, Capability.VIEW_COMPLIANCE),
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def withdraw_standard_page(request: HttpRequest, duty_id: str, effective_from: str) -> HttpResponse:
    """Confirm withdrawing a local standard that has not come into force, with the reason
    (system administrators; council settings, nobody's personal data)."""
    worker = request.user
    if not can(worker, Capability.SET_LOCAL_STANDARDS):
        raise PermissionDenied("Only an administrator can change the council's local standards.")
    url = reverse("duties:standards")
    try:
        day = dt.date.fromisoformat(effective_from)
    except ValueError:
        raise Http404("No such standard") from None
    today = timezone.localdate()
    overview = standards.overview(today).get(duty_id)
    version = next(
        (
            v
            for v in (overview.versions if overview else [])
            if v.effective_from == day and v.withdrawn_at is None
        ),
        None,
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        if done := already_submitted(
            request, "This standard was already withdrawn: you sent it twice."
        ):
            return done
        form = WithdrawStandardForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                row = submit_once(
                    request,
                    d["submission_token"],
                    lambda: standards_service.withdraw_standard(
                        worker, duty_id=duty_id, effective_from=day, reason=d["reason"]
                    ),
                    lambda row: f"{url}#duty-{row.duty_id}",
                )
            except ValidationError as e:
                errors = validation_errors(e)
            except DuplicateSubmission as e:
                return redirect(e.result_url)
            else:
                messages.success(
                    request,
                    f"{DUTIES[row.duty_id].title}: the standard from {row.effective_from.day} "
                    f"{row.effective_from:%B %Y} is withdrawn and will not come into force",
                )
                return redirect(f"{url}#duty-{row.duty_id}")
        else:
            errors = form_errors(form)
    else:
        if version is None:
            raise Http404("No such standard")
        form = WithdrawStandardForm()
    return render(
        request,
        "duties/withdraw_standard.html",
        {
            "active_nav": "compliance",
            "title": "Withdraw a local standard",
            "today": today,
            "duty": DUTIES.get(duty_id),
            "standards": overview,
            "version": version,
            "day": day,
            "form": form,
            "errors": errors,
        },
        status=400 if errors else 200,
    )
