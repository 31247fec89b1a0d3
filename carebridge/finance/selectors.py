"""Reads for the financial assessment pages, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from carebridge.planning.models import CarePlan, PlannedService

from .models import ChargeDecision, FinancialAssessment


def assessment_for(person, pk: int) -> FinancialAssessment:
    """The person's financial assessment (404 for another person's: a URL cannot reach across
    records), with who did what, and its charge decisions."""
    fa = get_object_or_404(
        FinancialAssessment.objects.select_related(
            "started_by", "assessed_by", "updated_by", "event", "supersedes"
        ).prefetch_related(
            Prefetch(
                "charge_decisions",
                queryset=ChargeDecision.objects.select_related("decided_by").order_by(
                    "-valid_from", "-pk"
                ),
            )
        ),
        pk=pk,
        person=person,
    )
    fa.person = person  # already loaded by the page's guard
    return fa


def plan_in_force(person) -> CarePlan | None:
    """The approved plan with its services (two queries)."""
    return (
        CarePlan.objects.filter(person=person, status=CarePlan.Status.APPROVED)
        .prefetch_related(Prefetch("services", queryset=PlannedService.objects.order_by("pk")))
        .first()
    )


def charge_in_force(person) -> ChargeDecision | None:
    return (
        ChargeDecision.objects.filter(person=person, valid_to__isnull=True)
        .select_related("financial_assessment")
        .first()
    )


def charges_for(person) -> list[ChargeDecision]:
    return list(
        ChargeDecision.objects.filter(person=person)
        .select_related("decided_by", "financial_assessment")
        .order_by("-valid_from", "-pk")
    )


def assessments_for(person) -> list[FinancialAssessment]:
    return list(
        FinancialAssessment.objects.filter(person=person)
        .select_related("started_by", "assessed_by")
        .order_by("-started_on", "-pk")
    )
