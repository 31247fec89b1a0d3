"""Reads for s117 aftercare: a person's aftercare (for their page and the aftercare page; callers
have checked access through ``casework.guards.person_view``) and the s117 register of everyone
with open aftercare, scoped to who the worker may see (as the compliance lists are, ADR 0013)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery

from carebridge.core.access import Capability, can
from carebridge.planning.models import CarePlan
from carebridge.rules import aftercare as rules
from carebridge.rules import mental_health_act as mha

from .aftercare_services import eligibility_of
from .models import AftercareEpisode, AftercareFunding, AftercareReview, LegalStatus


@dataclass(frozen=True)
class FundedService:
    funding: AftercareFunding
    weekly_cost: Decimal
    council_weekly: Decimal
    icb_weekly: Decimal

    @property
    def service(self):
        return self.funding.planned_service

    @property
    def in_force(self) -> bool:
        """In the plan in force (an ended plan's services are history)."""
        return self.service.plan.status == CarePlan.Status.APPROVED


def funded(rows) -> list[FundedService]:
    out = []
    for f in rows:
        cost = f.planned_service.weekly_cost
        council, icb = f.split.amounts(cost)
        out.append(FundedService(f, cost, council, icb))
    return out


@dataclass
class PersonAftercare:
    episodes: list[AftercareEpisode]
    current: AftercareEpisode | None  # open, else the latest
    services: list[FundedService] = field(default_factory=list)
    reviews: list[AftercareReview] = field(default_factory=list)
    eligible: list[tuple[LegalStatus, rules.Eligibility]] = field(default_factory=list)
    on_cto: bool = False

    @property
    def is_open(self) -> bool:
        return self.current is not None and self.current.ended_on is None

    @property
    def plan(self):
        return getattr(self.current, "plan", None) if self.current else None

    @property
    def next_review_due(self) -> dt.date | None:
        if not self.is_open:
            return None
        return rules.next_review_due(self.current.eligible_from, [r.held_on for r in self.reviews])

    @property
    def plan_due(self) -> dt.date | None:
        return rules.plan_due(self.current.eligible_from) if self.current else None

    @property
    def weekly_total(self) -> Decimal:
        return sum((s.weekly_cost for s in self.services if s.in_force), Decimal(0))

    @property
    def council_weekly(self) -> Decimal:
        return sum((s.council_weekly for s in self.services if s.in_force), Decimal(0))

    @property
    def icb_weekly(self) -> Decimal:
        return sum((s.icb_weekly for s in self.services if s.in_force), Decimal(0))

    @property
    def shown(self) -> bool:
        """Anything to show: aftercare recorded, or a detention that leads to it."""
        return bool(self.episodes or self.eligible)


def _episodes(person_id: int) -> QuerySet[AftercareEpisode]:
    return AftercareEpisode.objects.filter(person_id=person_id).select_related(
        "responsible_council",
        "responsible_icb",
        "detention",
        "plan__council_worker",
        "end_decision",
        "ended_by_detention",
    )


def eligible_detentions(person_id: int) -> list[tuple[LegalStatus, rules.Eligibility]]:
    """Qualifying detentions that have ended with the person out of hospital (or on a CTO) and
    no aftercare recorded after them yet: each leads to aftercare (one query)."""
    cto = LegalStatus.objects.filter(follows=OuterRef("pk"), section=mha.CTO).order_by("started_at")
    rows = (
        LegalStatus.objects.filter(
            person_id=person_id, section__in=mha.S117_QUALIFYING, ended_at__isnull=False
        )
        .filter(Q(left_hospital_on__isnull=False) | Exists(cto))
        .exclude(Exists(AftercareEpisode.objects.filter(detention=OuterRef("pk"))))
        .annotate(cto_started_at=Subquery(cto.values("started_at")[:1]))
        .order_by("-started_at")
    )
    out = []
    for status in rows:
        cto_row = (
            LegalStatus(section=mha.CTO, started_at=status.cto_started_at)
            if status.cto_started_at
            else None
        )
        result = eligibility_of(status, cto_row) if cto_row else _eligibility(status)
        if result.eligible:
            out.append((status, result))
    return out


def _eligibility(status: LegalStatus) -> rules.Eligibility:
    from django.utils import timezone

    return rules.eligibility(
        section=status.section,
        ended_on=timezone.localdate(status.ended_at) if status.ended_at else None,
        left_hospital_on=status.left_hospital_on,
    )


def for_person(person) -> PersonAftercare:
    """The person's aftercare in a fixed number of queries (the person's page shows it)."""
    episodes = list(_episodes(person.pk))
    current = next((e for e in episodes if e.ended_on is None), episodes[0] if episodes else None)
    out = PersonAftercare(episodes=episodes, current=current)
    if current is not None:
        out.services = funded(
            AftercareFunding.objects.filter(episode=current)
            .select_related("planned_service__plan")
            .order_by("planned_service__plan__created_at", "pk")
        )
        out.reviews = list(AftercareReview.objects.filter(episode=current))
    out.eligible = eligible_detentions(person.pk)
    out.on_cto = LegalStatus.objects.filter(
        person=person, section=mha.CTO, ended_at__isnull=True
    ).exists()
    return out


def episode_for(person, pk: int) -> AftercareEpisode | None:
    return _episodes(person.pk).filter(pk=pk).first()


def detention_for(person, pk: int) -> LegalStatus | None:
    return LegalStatus.objects.filter(person=person, pk=pk).first()


# --- the s117 register --------------------------------------------------------------------------


def names_people(worker) -> bool:
    return can(worker, Capability.VIEW_PERSON)


def register(worker, as_of: dt.date) -> list[AftercareEpisode]:
    """Aftercare open on ``as_of``, with the responsible bodies, the last joint review and the
    services funded (in a fixed number of queries), as the worker may see it: the people whose
    records they may open, or, for a role that opens none, people whose records are not
    restricted (listed by council person ID only)."""
    episodes = (
        AftercareEpisode.objects.filter(eligible_from__lte=as_of)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=as_of))
        .select_related("person", "responsible_council", "responsible_icb", "detention", "plan")
        .annotate(last_review=Max("reviews__held_on", filter=Q(reviews__held_on__lte=as_of)))
        .prefetch_related(
            Prefetch(
                "funding",
                queryset=AftercareFunding.objects.select_related("planned_service__plan").order_by(
                    "pk"
                ),
            )
        )
        .order_by("responsible_council__name", "eligible_from", "pk")
    )
    if names_people(worker):
        from carebridge.casework.access import visible_people

        episodes = episodes.filter(person_id__in=visible_people(worker).values("pk"))
    else:
        episodes = episodes.filter(person__is_restricted=False)
    return list(episodes)


def next_review(episode: AftercareEpisode) -> dt.date:
    last = getattr(episode, "last_review", None)
    return rules.next_review_due(episode.eligible_from, [last] if last else [])


def services_in_force(episode: AftercareEpisode) -> list[FundedService]:
    """The episode's funded services in the plan in force (prefetched)."""
    return [s for s in funded(episode.funding.all()) if s.in_force]


REGISTER_HEADER = (
    "person_id",
    "name",
    "aftercare_from",
    "after_detention_under",
    "responsible_council",
    "responsible_icb",
    "residence_disputed",
    "joint_plan_agreed_on",
    "next_joint_review_due",
    "service",
    "service_type",
    "weekly_cost",
    "council_percent",
    "icb_percent",
    "council_weekly",
    "icb_weekly",
    "charged",
)


def register_rows(worker, as_of: dt.date) -> list[list[str]]:
    """The register as CSV rows: one for each service funded under s117 (one with the service
    columns empty where none is recorded yet). s117 services are never charged: "charged" is
    always "No"."""
    names = names_people(worker)
    rows = []
    for e in register(worker, as_of):
        plan = getattr(e, "plan", None)
        base = [
            e.person.person_id,
            e.person.full_name if names else "",
            e.eligible_from.isoformat(),
            mha.section(e.detention.section).label,
            e.responsible_council.name,
            e.responsible_icb.name,
            "Yes" if e.disputed else "No",
            plan.agreed_on.isoformat() if plan else "",
            next_review(e).isoformat() if e.ended_on is None else "",
        ]
        services = services_in_force(e)
        if not services:
            rows.append([*base, "", "", "", "", "", "", "", "No"])
        for s in services:
            rows.append(
                [
                    *base,
                    s.service.description,
                    s.service.service_type,
                    f"{s.weekly_cost:.2f}",
                    f"{s.funding.council_percent:.2f}",
                    f"{s.funding.icb_percent:.2f}",
                    f"{s.council_weekly:.2f}",
                    f"{s.icb_weekly:.2f}",
                    "No",
                ]
            )
    return rows
