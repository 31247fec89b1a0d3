"""The performance page (ADR 0019): the ASCOF measures over the years with comparisons by
organisation and area, the SALT tables, and the readiness of the CLD return, from stored
figures (:mod:`carebridge.returns.performance`). For roles with ``VIEW_PERFORMANCE``
(performance analysts, team managers); the person-level downloads (the CLD file, the failing
rows) and "Refresh figures" need ``EXPORT_RETURNS`` too. Every download is audited as an
export; a list of people is audited as a view (ADR 0013)."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from carebridge.core import audit
from carebridge.core.access import Capability, can
from carebridge.core.downloads import csv_response

from . import charts, cld_export, measures, performance, refresh_runs, selectors
from .forms import PeriodForm, TeamForm, YearForm
from .selectors import NOT_ALLOCATED, SMALL_NUMBER, SUPPRESSED

PAGE_SIZE = 50
DEFAULT_MEASURE = "2E"


def _allow(request: HttpRequest) -> None:
    if not can(request.user, Capability.VIEW_PERFORMANCE):
        raise PermissionDenied("Your role does not include the performance page.")


def _allow_export(request: HttpRequest) -> None:
    _allow(request)
    if not can(request.user, Capability.EXPORT_RETURNS):
        raise PermissionDenied(
            "Only a performance analyst can download person-level returns or refresh figures."
        )


def _errors(form) -> dict[str, str]:
    return {name: " ".join(errors) for name, errors in form.errors.items()}


def _link(name: str, params: dict[str, str], *args) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return reverse(name, args=args or None) + (f"?{query}" if query else "")


def _base(request: HttpRequest, title: str, tab: str) -> dict:
    return {
        "active_nav": "performance",
        "title": title,
        "tab": tab,
        "may_export": (may_export := can(request.user, Capability.EXPORT_RETURNS)),
        "refresh_run": refresh_runs.latest() if may_export else None,
        "small_number": SMALL_NUMBER,
        "suppressed": SUPPRESSED,
    }


def _year_form(request: HttpRequest, years: list[str], measures_: list[tuple[str, str]]):
    """(form, the year chosen or the latest, the measure chosen) or (form, None, None)."""
    form = YearForm(request.GET, years=years, measures=measures_)
    if not form.is_valid():
        return form, None, None
    year = form.cleaned_data["year"] or (years[-1] if years else None)
    measure = form.cleaned_data["measure"] or DEFAULT_MEASURE
    return form, year, measure


def _chosen(request: HttpRequest, context: dict, template: str):
    """(year, measure, None) for the year and measure the link asks for (the latest stored
    year by default), with the form in ``context``; or (None, None, the page to send): no
    figures stored yet, or a bad link (400, with the form's errors)."""
    years = selectors.stored_years()
    context["years"] = years
    if not years:
        return None, None, render(request, template, context)
    form, year, measure = _year_form(request, years, _measure_choices())
    context["form"] = form
    if year is None:
        context["errors"] = _errors(form)
        return None, None, render(request, template, context, status=400)
    return year, measure, None


# --- the overview -------------------------------------------------------------------------------


@require_GET
def overview_page(request: HttpRequest) -> HttpResponse:
    _allow(request)
    context = _base(request, "Performance: statutory returns", "overview")
    year, measure, refused = _chosen(request, context, "returns/overview.html")
    if refused is not None:
        return refused
    view = selectors.overview(year)
    context.update(
        {
            "year": year,
            "view": view,
            "council": view.council,
            "measure": measure,
            "measure_title": next((m.title for m in view.measures if m.code == measure), ""),
            "charts": [
                (
                    m,
                    view.trend(m.code),
                    charts.measure_chart(
                        f"ascof-{m.code.replace(' ', '-')}", f"ASCOF {m.code}", view.trend(m.code)
                    ),
                )
                for m in view.measures
            ],
            "ascof_csv": _link("performance:ascof-csv", {"year": year}),
            "salt_link": _link("performance:salt", {"year": year}),
        }
    )
    return render(request, "returns/overview.html", context)


def _measure_choices() -> list[tuple[str, str]]:
    # The ASCOF measures the rules compute, by code (2B and 2C are counts without populations).
    return [
        (code, f"ASCOF {code}")
        for code in ("2A", "2B", "2C", "2E", "2E LD", "3D1a", "3D1b", "3D2a", "3D2b")
    ]


@require_GET
def ascof_csv(request: HttpRequest) -> HttpResponse:
    """Every measure by its groups for the council, then the headline of each group of the
    breakdowns (small numbers withheld)."""
    _allow(request)
    years = selectors.stored_years()
    _form, year, _measure = _year_form(request, years, _measure_choices())
    if year is None:
        raise Http404("No figures for that year")
    view = selectors.overview(year)
    header = ["year", "breakdown", "part", *measures.ASCOF_CSV_FIELDS[1:]]
    rows = []
    for m in view.measures:
        for group, s in m.groups.items():
            rows.append(_ascof_line(year, "council", "Council", m, group, s))
    for breakdown, groups in (("organisation", view.organisations), ("area", view.areas)):
        for g in groups:
            for m in view.measures:
                rows.append(
                    _ascof_line(year, breakdown, g.label, m, m.headline, g.measures[m.code])
                )
    audit.record(
        request.user,
        audit.Action.EXPORT,
        object_type="returns.performance",
        summary=f"Downloaded the ASCOF measures for {year} (council, by organisation, by area)",
        changes={"year": year, "table": "ascof", "rows": len(rows)},
    )
    return csv_response(f"ascof-{year}.csv", header, rows)


def _ascof_line(year, breakdown, label, m, group, s) -> list:
    return [
        year,
        breakdown,
        label,
        m.code,
        m.title,
        group,
        s.numerator_text.replace(",", ""),
        s.denominator_text.replace(",", ""),
        SUPPRESSED if s.withheld else ("" if s.value is None else str(s.value)),
        m.unit,
        "yes" if group == m.headline else "no",
    ]


# --- the SALT tables ----------------------------------------------------------------------------


@require_GET
def salt_page(request: HttpRequest) -> HttpResponse:
    _allow(request)
    context = _base(request, "Performance: SALT-equivalent tables", "salt")
    year, _measure, refused = _chosen(request, context, "returns/salt.html")
    if refused is not None:
        return refused
    council = selectors.salt_tables(year)
    context.update(
        {
            "year": year,
            "council": council,
            "tables": {
                c: council.salt[c] for c in selectors.in_order(council.salt, selectors.SALT_ORDER)
            },
            "csv_link": lambda code: _link("performance:salt-csv", {"year": year}, code),
        }
    )
    return render(request, "returns/salt.html", context)


@require_GET
def salt_csv(request: HttpRequest, code: str) -> HttpResponse:
    _allow(request)
    years = selectors.stored_years()
    _form, year, _measure = _year_form(request, years, _measure_choices())
    council = selectors.salt_tables(year) if year else None
    table = council.salt.get(code) if council else None
    if table is None:
        raise Http404("No such SALT table")
    header = list(measures.SALT_CSV_FIELDS)
    rows = [
        [year, code, table["title"], s["name"], r["label"], column, value]
        for s in table["sections"]
        for r in s["rows"]
        for column, value in zip(s["columns"], r["cells"], strict=True)
    ]
    audit.record(
        request.user,
        audit.Action.EXPORT,
        object_type="returns.performance",
        summary=f"Downloaded SALT table {code} for {year}",
        changes={"year": year, "table": code, "rows": len(rows)},
    )
    return csv_response(f"salt-{code}-{year}.csv", header, rows)


# --- readiness ----------------------------------------------------------------------------------


def _team_choices(readiness) -> list[tuple[str, str]]:
    return [
        (NOT_ALLOCATED if t["team"] is None else str(t["team"]), t["label"])
        for t in readiness.by_team
    ]


@require_GET
def readiness_page(request: HttpRequest) -> HttpResponse:
    _allow(request)
    worker = request.user
    today = timezone.localdate()
    context = _base(request, "Performance: readiness of the CLD return", "readiness")
    readiness = selectors.latest_readiness()
    context["readiness"] = readiness
    context["period_form"] = PeriodForm(None, today=today)
    if readiness is None:
        return render(request, "returns/readiness.html", context)
    form = TeamForm(request.GET, teams=_team_choices(readiness))
    context["form"] = form
    if not form.is_valid():
        context["errors"] = _errors(form)
        return render(request, "returns/readiness.html", context, status=400)
    team = form.cleaned_data["team"] or None
    rows = selectors.failing_rows(readiness, team)
    shown = selectors.listable(worker, rows)
    names = selectors.names_people(worker)
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    listed = list(page.object_list)
    counted_people = len({r["person"] for r in rows})
    listed_people = len({r["person"] for r in shown})
    audit.record(
        worker,
        audit.Action.VIEW,
        object_type="returns.readiness",
        summary="Viewed the people whose CLD rows fail validation"
        + (f" ({selectors.team_names(readiness).get(_team_key(team), '')})" if team else ""),
        changes={
            "period_start": readiness.period_start.isoformat(),
            "period_end": readiness.period_end.isoformat(),
            "team": team,
            "page": page.number,
            "listed": sorted({r["person_id"] for r in listed}),
            "counted": counted_people,
            "not_listed": counted_people - listed_people,
        },
    )
    summary = readiness.summary
    context.update(
        {
            "team": team,
            "summary": summary,
            "by_rule": sorted(
                ((rule, v) for rule, v in summary.get("by_rule", {}).items() if v["count"]),
                key=lambda item: (-item[1]["count"], item[0]),
            ),
            "failures_by_field": selectors.by_count(summary.get("failures_by_field", {})),
            "warnings_by_field": selectors.by_count(summary.get("warnings_by_field", {})),
            "page": page,
            "listed": listed,
            "names": selectors.names_of(listed) if names else {},
            "show_names": names,
            "team_names": selectors.team_names(readiness),
            "counted_people": counted_people,
            "not_listed": counted_people - listed_people,
            "team_link": lambda key: (
                _link(
                    "performance:readiness",
                    {"team": NOT_ALLOCATED if key is None else str(key)},
                )
                + "#people"
            ),
            "page_link": lambda n: (
                _link("performance:readiness", {"team": team or "", "page": str(n)}) + "#people"
            ),
            "failing_csv": _link("performance:failing-csv", {"team": team or ""}),
        }
    )
    return render(request, "returns/readiness.html", context)


def _team_key(team: str | None):
    if team is None or team == NOT_ALLOCATED:
        return None
    return int(team)


@require_GET
def failing_csv(request: HttpRequest) -> HttpResponse:
    """The failing rows (council ID, row in the file, team, fields, rules, the page to correct
    them at), listed as the page lists them: audited with every person ID in the file."""
    _allow_export(request)
    readiness = selectors.latest_readiness()
    header = ["row", "person_id", "team", "organisation", "fields", "rules", "link"]
    if readiness is None:
        return csv_response("cld-failing-rows.csv", header, [])
    form = TeamForm(request.GET, teams=_team_choices(readiness))
    if not form.is_valid():
        raise Http404("No such team in this return")
    team = form.cleaned_data["team"] or None
    rows = selectors.failing_rows(readiness, team)
    shown = selectors.listable(request.user, rows)
    teams = {t["team"]: t for t in readiness.by_team}
    lines = [
        [
            r["row"],
            r["person_id"],
            teams.get(r["team"], {}).get("label", "Not allocated"),
            teams.get(r["team"], {}).get("organisation", ""),
            "; ".join(r["fields"]),
            "; ".join(r["rules"]),
            reverse("people:detail", args=[r["person_id"]]),
        ]
        for r in shown
    ]
    counted = len({r["person"] for r in rows})
    person_ids = sorted({r["person_id"] for r in shown})
    audit.record(
        request.user,
        audit.Action.EXPORT,
        object_type="returns.readiness",
        summary=(
            f"Downloaded the CLD rows failing validation, {readiness.period_start:%-d %B %Y} to "
            f"{readiness.period_end:%-d %B %Y}: {len(lines):,} rows"
        ),
        changes={
            "period_start": readiness.period_start.isoformat(),
            "period_end": readiness.period_end.isoformat(),
            "team": team,
            "rows": len(lines),
            "person_ids": person_ids,
            "counted": counted,
            "not_listed": counted - len(person_ids),
        },
    )
    stamp = readiness.period_end.isoformat()
    return csv_response(f"cld-failing-rows-{stamp}.csv", header, lines)


@require_GET
def cld_file(request: HttpRequest) -> HttpResponse:
    """The CLD return for a chosen period, as ``carebridge cld export`` writes it (the return
    itself: everyone in it, restricted records included), audited as an export."""
    _allow_export(request)
    today = timezone.localdate()
    data = request.GET if "period" in request.GET else None
    form = PeriodForm(data, today=today)
    if data is None:
        start, end = performance.return_period(today)
    elif form.is_valid():
        start, end = form.dates()
    else:
        context = _base(request, "Performance: readiness of the CLD return", "readiness")
        context.update(
            {
                "readiness": selectors.latest_readiness(),
                "period_form": form,
                "errors": _errors(form),
                "form": None,
            }
        )
        return render(request, "returns/readiness.html", context, status=400)
    try:
        la_code = cld_export.council_code()
    except cld_export.ExportError as e:
        messages.error(request, f"The CLD file cannot be produced: {e}.")
        return redirect("performance:readiness")
    out = io.StringIO()
    projection = cld_export.write(out, start, end, la_code)
    audit.record(
        request.user,
        audit.Action.EXPORT,
        object_type="returns.cld",
        summary=f"CLD return {start:%d %B %Y} to {end:%d %B %Y}: {projection.rows} rows",
        changes={
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "la_code": la_code,
            "rows": projection.rows,
            "by_event_type": dict(projection.by_event_type),
            "people": len(projection.person_ids),
        },
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"cld-{la_code}-{start.isoformat()}-{end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- refreshing ---------------------------------------------------------------------------------


@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    """Recompute the year in progress and the readiness of the return (in the background; one
    at a time; audited when done)."""
    _allow_export(request)
    try:
        run = refresh_runs.start(request.user)
    except refresh_runs.AlreadyRunning as e:
        messages.info(
            request,
            f"The figures are already being computed again (started at "
            f"{timezone.localtime(e.run.started_at):%H:%M}); reload the page in a minute.",
        )
        return redirect("performance:overview")
    if run.status == run.DONE:
        messages.success(
            request,
            f"Figures for {run.year} and the readiness of the CLD return computed again "
            f"({run.seconds:.1f} seconds)",
        )
    elif run.status == run.FAILED:
        messages.error(request, run.message)
    else:
        messages.success(
            request,
            f"Computing the figures for {run.year} and the readiness of the CLD return again. "
            "This takes up to a minute for a county; reload the page to see them.",
        )
    return redirect("performance:overview")
