"""Reads for casework pages: caseloads and break-glass reports, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from carebridge.core.access import Capability, can
from carebridge.core.models import BreakGlassAccess

from .models import Allocation, Event


def _latest_event(field: str) -> Subquery:
    return Subquery(
        Event.objects.filter(person=OuterRef("person_id"), cancelled=False)
        .order_by("-start_date", "-pk")
        .values(field)[:1]
    )


def caseload(worker, *, scope: str = "mine") -> QuerySet[Allocation]:
    """Open allocations for the worker ("mine") or their team ("team"), with each person's
    latest event, in one query."""
    qs = Allocation.objects.filter(ended_at__isnull=True)
    if scope == "team" and worker.team_id:
        qs = qs.filter(team_id=worker.team_id)
    else:
        qs = qs.filter(worker=worker)
    return (
        qs.select_related("person", "worker", "team")
        .annotate(
            latest_event_type=_latest_event("event_type"),
            latest_event_date=_latest_event("start_date"),
            latest_event_end=_latest_event("end_date"),
            latest_event_outcome=_latest_event("outcome"),
        )
        .order_by("person__family_name", "person__given_name", "pk")
    )


def break_glass_for_manager(worker) -> QuerySet[BreakGlassAccess]:
    """Break-glass accesses to people held by the manager's team (all, for administrators)."""
    qs = BreakGlassAccess.objects.select_related("worker", "worker__team", "person", "team_at_time")
    if can(worker, Capability.VIEW_ALL_AUDIT):
        return qs
    return qs.filter(team_at_time_id=worker.team_id) if worker.team_id else qs.none()
