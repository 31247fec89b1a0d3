"""Reads for planning pages, each in a fixed number of queries whatever the size of the record."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.shortcuts import get_object_or_404

from carebridge.casework.models import Allocation

from .models import CarePlan, PlanDecision, PlannedService, Review


def plan_for(person, pk: int) -> CarePlan:
    """The person's plan with everything its page shows (404 for another person's plan: a URL
    cannot reach across records). Four queries: the plan and its one-to-one neighbours, then
    services (with providers), decisions (with who made them) and reviews."""
    return get_object_or_404(
        CarePlan.objects.select_related(
            "person",
            "assessment",
            "assessment__determination",
            "assessment__event",
            "supersedes",
            "direct_payment",
            "created_by",
            "updated_by",
            "approved_by",
        ).prefetch_related(
            Prefetch("services", queryset=PlannedService.objects.select_related("provider")),
            Prefetch("decisions", queryset=PlanDecision.objects.select_related("by")),
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("reviewer").order_by(
                    "-completed_on", "-requested_on", "-pk"
                ),
            ),
        ),
        pk=pk,
        person=person,
    )


def plan_only(person, pk: int) -> CarePlan:
    """The plan alone (for the pages that change it: services lock and re-read it)."""
    return get_object_or_404(
        CarePlan.objects.select_related("person", "assessment", "direct_payment"),
        pk=pk,
        person=person,
    )


def _team_plans(manager) -> QuerySet[CarePlan]:
    """Plans of people whose open allocation is with the manager's team (one open allocation
    per person, so the join adds no duplicates)."""
    if not manager.team_id:
        return CarePlan.objects.none()
    return CarePlan.objects.filter(
        person__allocations__ended_at__isnull=True,
        person__allocations__team_id=manager.team_id,
    )


def _allocated_worker() -> Subquery:
    return Subquery(
        Allocation.objects.filter(person=OuterRef("person_id"), ended_at__isnull=True)
        .annotate(name=Concat("worker__first_name", Value(" "), "worker__last_name"))
        .values("name")[:1]
    )


def awaiting_approval(manager) -> list[CarePlan]:
    """Plans submitted for approval for the manager's team, longest waiting first, each with
    ``submission`` (the latest submission, with who) and its services for the budget. Three
    queries."""
    submitted = PlanDecision.objects.filter(decision=PlanDecision.Decision.SUBMITTED)
    plans = list(
        _team_plans(manager)
        .filter(status=CarePlan.Status.SUBMITTED)
        .select_related("person", "assessment")
        .annotate(
            submitted_at=Subquery(
                submitted.filter(plan=OuterRef("pk")).order_by("-at", "-pk").values("at")[:1]
            )
        )
        .prefetch_related(
            Prefetch("services", queryset=PlannedService.objects.all()),
            Prefetch(
                "decisions",
                queryset=submitted.select_related("by").order_by("-at", "-pk"),
                to_attr="submissions",
            ),
        )
        .order_by("submitted_at", "pk")
    )
    for plan in plans:
        plan.submission = plan.submissions[0] if plan.submissions else None
    return plans


def overdue_reviews(manager, today: dt.date) -> QuerySet[CarePlan]:
    """Approved plans of the manager's team whose next review was due before today, most
    overdue first (one query per page, one to count)."""
    return (
        _team_plans(manager)
        .filter(status=CarePlan.Status.APPROVED, next_review_due__lt=today)
        .select_related("person")
        .annotate(allocated_worker=_allocated_worker())
        .order_by("next_review_due", "pk")
    )
