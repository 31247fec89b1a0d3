"""Continuity of care and the hosted vs council-run comparison: aggregate figures only."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from carebridge.core import audit
from carebridge.core.access import Capability, can
from carebridge.core.downloads import csv_response
from carebridge.duties.figures import RATE_DEFINITION, percent
from carebridge.organisations.models import Team

from . import charts, comparison, continuity
from .forms_compare import BeforeAfterForm, ContinuityForm, PeriodForm

DENIED = "Your role does not allow you to see partnership performance figures."


def _allow(request: HttpRequest) -> None:
    if not can(request.user, Capability.VIEW_PARTNERSHIPS):
        raise PermissionDenied(DENIED)


def _errors(form) -> dict[str, str]:
    return {name: " ".join(errs) for name, errs in form.errors.items()}


def _link(name: str, params: dict[str, str]) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def _rate(v: float | None) -> str:
    return "" if v is None else f"{v * 100:.1f}"


def _num(v: float | None) -> str:
    return "" if v is None else f"{v:.2f}"


# --- continuity ---------------------------------------------------------------------------


def _continuity_context(form) -> dict:
    return {
        "form": form,
        "errors": _errors(form) if form.is_bound and form.errors else {},
        "active_nav": "partnerships",
        "title": "Continuity of care",
        "by_choices": continuity.BY,
        "percent": percent,
    }


@require_GET
def continuity_page(request: HttpRequest) -> HttpResponse:
    _allow(request)
    form = ContinuityForm(request.GET)
    context = _continuity_context(form)
    if not form.is_valid():
        return render(request, "partnerships/compare/continuity.html", context, status=400)
    d = form.cleaned_data
    context |= {
        "table": continuity.table(d["start"], d["end"], d["by"]),
        "csv_link": _link("partnerships:continuity-csv", form.params()),
        "tab_link": lambda by: _link("partnerships:continuity", form.params() | {"by": by}),
    }
    return render(request, "partnerships/compare/continuity.html", context)


CONTINUITY_HEADER = [
    "group",
    "period_start",
    "period_end",
    "people",
    "handoffs",
    "mean_handoffs",
    "median_handoffs",
    "no_handoff_percent",
    "three_or_more_percent",
    "journeys",
    "journey_mean_handoffs",
    "journey_no_handoff_percent",
    "journey_three_or_more_percent",
]


@require_GET
def continuity_csv(request: HttpRequest) -> HttpResponse:
    _allow(request)
    form = ContinuityForm(request.GET)
    if not form.is_valid():
        return render(
            request, "partnerships/compare/continuity.html", _continuity_context(form), status=400
        )
    d = form.cleaned_data
    table = continuity.table(d["start"], d["end"], d["by"])

    def line(row):
        p, j = row.period, row.journey
        return [
            row.label,
            d["start"].isoformat(),
            d["end"].isoformat(),
            p.people,
            p.handoffs,
            _num(p.mean),
            "" if p.median is None else f"{p.median:g}",
            _rate(p.share_none),
            _rate(p.share_three_or_more),
            j.people,
            _num(j.mean),
            _rate(j.share_none),
            _rate(j.share_three_or_more),
        ]

    rows = [line(r) for r in table.rows] + [line(table.total)]
    audit.record(
        request.user,
        audit.Action.EXPORT,
        object_type="partnerships.continuity",
        summary=(
            f"Downloaded continuity of care figures, {d['start']:%d %B %Y} to "
            f"{d['end']:%d %B %Y}, by {d['by']}"
        ),
        changes={"filters": form.params(), "rows": len(rows)},
    )
    name = f"continuity-{d['by']}-{d['start'].isoformat()}-{d['end'].isoformat()}.csv"
    return csv_response(name, CONTINUITY_HEADER, rows)


# --- hosted vs council-run, and before and after --------------------------------------------


def _mode(request: HttpRequest):
    """The form for the request: before and after when teams or a split date are given."""
    if "teams" in request.GET or "split" in request.GET:
        return BeforeAfterForm(request.GET)
    return PeriodForm(request.GET)


def _comparison(form) -> comparison.Comparison:
    d = form.cleaned_data
    if isinstance(form, BeforeAfterForm):
        return comparison.teams_before_and_after(d["teams"], d["split"], d["months"])
    return comparison.hosted_vs_council(d["start"], d["end"])


def _compare_context(form) -> dict:
    return {
        "form": form,
        "before_after": isinstance(form, BeforeAfterForm),
        "errors": _errors(form) if form.is_bound and form.errors else {},
        "active_nav": "partnerships",
        "title": "Hosted and council-run teams compared",
        "rate_definition": RATE_DEFINITION,
    }


@require_GET
def compare_page(request: HttpRequest) -> HttpResponse:
    _allow(request)
    form = _mode(request)
    context = _compare_context(form)
    if not form.is_valid():
        return render(request, "partnerships/compare/compare.html", context, status=400)
    result = _comparison(form)
    team_names = []
    if isinstance(form, BeforeAfterForm):
        team_names = list(
            Team.objects.filter(pk__in=form.cleaned_data["teams"])
            .order_by("name")
            .values_list("name", flat=True)
        )
    context |= {
        "result": result,
        "charts": charts.headline(result),
        "team_names": team_names,
        "csv_link": _link("partnerships:compare-csv", form.params()),
        "sides_link": reverse("partnerships:compare"),
    }
    return render(request, "partnerships/compare/compare.html", context)


COMPARE_HEADER = [
    "group",
    "measure",
    "label",
    "column",
    "period_start",
    "period_end",
    "value",
    "shown",
    "out_of",
    "parts",
]


def compare_rows(result: comparison.Comparison) -> list[list]:
    rows = []
    for m in result.measures:
        for col in result.columns:
            f = m.figures[col.key]
            if f.value is None:
                value = ""
            elif m.unit == "percent":
                value = f"{f.value * 100:.1f}"
            elif m.unit == "money":
                value = f"{f.value:.2f}"
            else:
                value = f"{f.value:g}" if m.unit == "days" else f"{f.value:.2f}"
            rows.append(
                [
                    m.group,
                    m.key,
                    m.label,
                    col.label,
                    col.start.isoformat(),
                    col.end.isoformat(),
                    value,
                    f.shown,
                    f.n,
                    f.parts,
                ]
            )
    return rows


@require_GET
def compare_csv(request: HttpRequest) -> HttpResponse:
    _allow(request)
    form = _mode(request)
    if not form.is_valid():
        return render(
            request, "partnerships/compare/compare.html", _compare_context(form), status=400
        )
    result = _comparison(form)
    rows = compare_rows(result)
    first, last = result.columns[0], result.columns[-1]
    audit.record(
        request.user,
        audit.Action.EXPORT,
        object_type="partnerships.comparison",
        summary=(
            "Downloaded the hosted and council-run comparison, "
            f"{first.start:%d %B %Y} to {last.end:%d %B %Y}"
        ),
        changes={"filters": form.params(), "rows": len(rows)},
    )
    mode = "before-after" if isinstance(form, BeforeAfterForm) else "hosted-council"
    stamp = timezone.localdate().isoformat()
    return csv_response(f"partnerships-{mode}-{stamp}.csv", COMPARE_HEADER, rows)
