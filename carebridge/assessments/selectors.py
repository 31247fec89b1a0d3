"""Reads for assessment pages, in a fixed number of queries."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .models import Assessment


def assessment_for(person, pk: int) -> Assessment:
    """The person's assessment (404 for another person's: a URL cannot reach across records)."""
    return get_object_or_404(
        Assessment.objects.select_related(
            "person", "cared_for", "assessor", "updated_by", "team", "event", "request"
        ),
        pk=pk,
        person=person,
    )


def determination_of(assessment: Assessment):
    return getattr(assessment, "determination", None) if not assessment.is_draft else None


def for_person(person) -> list[Assessment]:
    return list(
        Assessment.objects.filter(person=person)
        .select_related("assessor", "determination", "cared_for")
        .order_by("-started_on", "-pk")
    )
