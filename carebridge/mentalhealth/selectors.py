"""Reads of Mental Health Act records for pages. Person pages are behind
``casework.guards.person_view`` (access checked first); the AMHP rota is scoped here by
``casework.access.visible_people``, so it lists only people the worker may open."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.utils import timezone

from carebridge.casework.access import visible_people
from carebridge.people.models import Person
from carebridge.rules import amhp
from carebridge.rules import legal_status as status_rules
from carebridge.rules import mental_health_act as mha

from .models import LegalStatus, MHAAssessment

ROTA_LIMIT = 300  # open requests shown at once (a county has tens)
RECENT_ASSESSMENTS = 10


def assessment_for(person: Person, pk: int) -> MHAAssessment:
    found = (
        MHAAssessment.objects.select_related(
            "held_by__team", "requested_by", "allocated_by", "hospital", "legal_status__hospital"
        )
        .filter(person=person, pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such Mental Health Act assessment")
    return found


def status_for(person: Person, pk: int) -> LegalStatus:
    found = (
        LegalStatus.objects.select_related("hospital", "follows")
        .filter(person=person, pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such legal status")
    return found


def describe(status: LegalStatus, *, since: str = "since") -> str:
    """The status in a sentence: "Detained under Section 3 (admission for treatment) since 3
    March 2026 at X, Willow Ward" (``since="from"`` for a status that may have ended)."""
    rule = status.rule
    day = f"{since} {timezone.localtime(status.started_at):%-d %B %Y}"
    if status.section == mha.CTO:
        text = f"On a community treatment order {day}"
    elif rule.kind == mha.Kind.COMMUNITY:
        text = f"Under {rule.label} ({rule.title.lower()}) {day}"
    elif rule.kind in (mha.Kind.HOLDING_POWER, mha.Kind.PLACE_OF_SAFETY):
        text = f"Held under {rule.label} ({rule.title.lower()}) {day}"
    else:
        text = f"Detained under {rule.label} ({rule.title.lower()}) {day}"
    hospital = status.hospital.name if status.hospital_id else ""
    where = ", ".join(p for p in (hospital, status.place) if p)
    return f"{text} at {where}" if where else text


@dataclass
class StatusRow:
    status: LegalStatus
    replaceable: bool  # another section may follow it

    @property
    def is_detention(self) -> bool:
        return status_rules.is_detention_in_hospital(self.status.section)


@dataclass
class MentalHealthRecord:
    """The Mental Health Act part of the person's page."""

    current: list[StatusRow]
    history: list[LegalStatus]
    assessments: list[MHAAssessment]
    headlines: list[str] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return bool(self.history or self.assessments)


def record_for(person: Person) -> MentalHealthRecord:
    """The person's legal statuses (current first, then the history, newest first) and their
    recent Mental Health Act assessments: two queries."""
    statuses = list(
        LegalStatus.objects.filter(person=person)
        .select_related("hospital", "follows")
        .order_by("-started_at", "-id")
    )
    current = [s for s in statuses if s.ended_at is None]
    rows = [
        StatusRow(
            s,
            bool(
                status_rules.followers(
                    s.section, before_old=s.follows.section if s.follows_id else ""
                )
            ),
        )
        for s in current
    ]
    assessments = list(
        MHAAssessment.objects.filter(person=person)
        .select_related("held_by")
        .order_by("-requested_at", "-id")[:RECENT_ASSESSMENTS]
    )
    return MentalHealthRecord(
        current=rows,
        history=statuses,
        assessments=assessments,
        headlines=[describe(s) for s in current],
    )


@dataclass(frozen=True)
class RotaRow:
    assessment: MHAAssessment
    waiting: str  # how long since the request, in words

    @property
    def unallocated(self) -> bool:
        return self.assessment.held_by_id is None


def waited(since: dt.datetime, now: dt.datetime) -> str:
    """'45 minutes', '5 hours', '3 days' since the request."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hours"
    return f"{hours // 24} days"


def rota(worker, *, now: dt.datetime | None = None, mine: bool = False) -> list[RotaRow]:
    """The AMHP service's open requests the worker may see: not yet assessed, or the report not
    yet completed. Unallocated first, then the longest waiting. One query."""
    now = now or timezone.now()
    rows = (
        MHAAssessment.objects.filter(status__in=amhp.OPEN, person__in=visible_people(worker))
        .select_related("person", "held_by")
        .annotate(
            _unallocated=Case(
                When(held_by__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("_unallocated", "requested_at", "pk")
    )
    if mine:
        rows = rows.filter(held_by=worker)
    return [RotaRow(a, waited(a.requested_at, now)) for a in rows[:ROTA_LIMIT]]
