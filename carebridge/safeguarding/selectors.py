"""Reads for safeguarding pages, each in a fixed number of queries whatever the volume.

Person pages are behind ``casework.guards.person_view`` (the caller has checked access to the
person). The overview lists only people the worker may open (``visible_people``). The provider
pages read concerns without the person: no name, no identifier, no free text leaves here for
them (:class:`ProviderConcernRow`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from carebridge.casework.access import visible_people
from carebridge.core.access import Capability, can
from carebridge.duties import standards
from carebridge.organisations.models import Organisation, Worker
from carebridge.rules import safeguarding as sg
from carebridge.rules.working_days import working_days_between

from .models import (
    Concern,
    ConcernRiskType,
    Enquiry,
    EnquiryAction,
    SafeguardingPlan,
    SafeguardingPlanReview,
    StrategyMeeting,
)

DECISION_DUTY = "safeguarding-decision"
CONCLUDED_DUTY = "safeguarding-enquiry-concluded"
PERSON_PAGE_LIMIT = 20
OVERVIEW_LIMIT = 200


def _concerns() -> QuerySet[Concern]:
    return Concern.objects.select_related(
        "decision", "decision__decided_by", "enquiry", "enquiry__lead_enquirer", "source_provider"
    ).prefetch_related(Prefetch("risk_types", queryset=ConcernRiskType.objects.order_by("id")))


def concern_for(person, pk: int) -> Concern:
    """The person's concern with its decision and enquiry (404 for another person's)."""
    return get_object_or_404(_concerns().select_related("created_by"), pk=pk, person=person)


def enquiry_for(person, pk: int) -> Enquiry:
    """The person's enquiry with everything its page shows: five queries."""
    return get_object_or_404(
        Enquiry.objects.select_related(
            "concern", "concern__decision", "concern__decision__decided_by",
            "concern__source_provider",
            "lead_enquirer", "concluded_by", "created_by", "updated_by", "plan",
            "plan__created_by", "plan__updated_by",
        ).prefetch_related(
            Prefetch("concern__risk_types", queryset=ConcernRiskType.objects.order_by("id")),
            Prefetch("actions", queryset=EnquiryAction.objects.select_related("recorded_by")),
            Prefetch("meetings", queryset=StrategyMeeting.objects.select_related("recorded_by")),
        ),
        pk=pk,
        person=person,
    )  # fmt: skip


def plan_reviews(plan: SafeguardingPlan | None) -> list[SafeguardingPlanReview]:
    if plan is None:
        return []
    return list(plan.reviews.select_related("reviewed_by"))


def lead_enquirers() -> QuerySet[Worker]:
    """Workers who may lead an enquiry (the form's choices), by name."""
    roles = [r for r in _roles_with(Capability.SAFEGUARDING_ENQUIRY)]
    return Worker.objects.filter(is_active=True, role__in=roles).order_by(
        "last_name", "first_name", "pk"
    )


def _roles_with(capability: Capability) -> list[str]:
    from carebridge.core.access import ROLE_CAPABILITIES

    return [role.value for role, caps in ROLE_CAPABILITIES.items() if capability in caps]


def providers() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.PROVIDER, is_active=True).order_by(
        "name", "pk"
    )


# --- the person's page -------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonSafeguarding:
    concerns: list[Concern]
    detail: bool  # the worker may read the concerns in detail
    can_raise: bool
    total: int

    @property
    def open(self) -> list[Concern]:
        return [c for c in self.concerns if c.is_open]


def for_person(person, worker) -> PersonSafeguarding:
    """The safeguarding section of the person's page: their concerns, newest first (at most
    ``PERSON_PAGE_LIMIT``; two queries). Workers who do not carry out enquiries see only that a
    concern or enquiry is open, and who leads it, not what it is about."""
    rows = list(_concerns().filter(person=person)[:PERSON_PAGE_LIMIT])
    total = len(rows)
    if total == PERSON_PAGE_LIMIT:
        total = Concern.objects.filter(person=person).count()
    return PersonSafeguarding(
        concerns=rows,
        detail=can(worker, Capability.SAFEGUARDING_ENQUIRY),
        can_raise=can(worker, Capability.RAISE_CONCERN),
        total=total,
    )


# --- the overview ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AwaitingDecision:
    concern: Concern
    working_days: int
    due: dt.date
    overdue: bool


@dataclass(frozen=True)
class OpenEnquiry:
    enquiry: Enquiry
    due: dt.date
    overdue: bool
    msp_asked: bool


@dataclass(frozen=True)
class Overview:
    awaiting: list[AwaitingDecision]
    enquiries: list[OpenEnquiry]
    awaiting_total: int
    enquiries_total: int

    @property
    def overdue_decisions(self) -> int:
        return sum(1 for a in self.awaiting if a.overdue)

    @property
    def overdue_enquiries(self) -> int:
        return sum(1 for e in self.enquiries if e.overdue)


def overview(worker, today: dt.date) -> Overview:
    """Concerns awaiting a decision (oldest first, with working days since received) and open
    enquiries (oldest first), of the people the worker may open; each flagged overdue by the
    time allowed (the council's standard in force when it started). Five queries."""
    people = visible_people(worker).values("pk")
    allowed = standards.TimeAllowed([DECISION_DUTY, CONCLUDED_DUTY])
    waiting = (
        _concerns()
        .filter(person__in=people, decision__isnull=True)
        .select_related("person")
        .order_by("received_at", "pk")
    )
    awaiting = []
    for c in waiting[:OVERVIEW_LIMIT]:
        due = allowed.due(DECISION_DUTY, c.received_on)
        awaiting.append(
            AwaitingDecision(c, working_days_between(c.received_on, today), due, today > due)
        )
    open_ = (
        Enquiry.objects.filter(person__in=people, concluded_on__isnull=True)
        .select_related("person", "lead_enquirer", "concern")
        .order_by("started_on", "pk")
    )
    enquiries = []
    for e in open_[:OVERVIEW_LIMIT]:
        due = allowed.due(CONCLUDED_DUTY, e.started_on)
        enquiries.append(OpenEnquiry(e, due, today > due, e.msp_asked in sg.ASKED))
    totals = Concern.objects.filter(person__in=people).aggregate(
        awaiting=Count("pk", filter=Q(decision__isnull=True)),
    )
    enquiries_total = (
        len(enquiries)
        if len(enquiries) < OVERVIEW_LIMIT
        else Enquiry.objects.filter(person__in=people, concluded_on__isnull=True).count()
    )
    return Overview(awaiting, enquiries, totals["awaiting"], enquiries_total)


# --- providers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderConcernRow:
    """A concern about a provider as a commissioner sees it: no person, no free text."""

    reference: str
    received_on: dt.date
    risk_types: list[str]
    location: str
    decision: str
    enquiry: str
    risk_outcome: str


def provider_list() -> list[dict]:
    """Providers named as the source of risk in any concern, with counts: concerns, in the
    last 12 months, open, and enquiries (one query)."""
    from django.utils import timezone

    since = timezone.localdate() - dt.timedelta(days=365)
    return list(
        Organisation.objects.filter(kind=Organisation.PROVIDER)
        .annotate(
            concerns=Count("safeguarding_concerns", distinct=True),
            recent=Count(
                "safeguarding_concerns",
                filter=Q(safeguarding_concerns__received_on__gte=since),
                distinct=True,
            ),
            open=Count(
                "safeguarding_concerns",
                filter=Q(safeguarding_concerns__closed_on__isnull=True),
                distinct=True,
            ),
            enquiries=Count("safeguarding_concerns__enquiry", distinct=True),
        )
        .filter(concerns__gt=0)
        .order_by("-recent", "-concerns", "name", "pk")
        .values("pk", "name", "cqc_location_id", "postcode", "concerns", "recent", "open",
                "enquiries")
    )  # fmt: skip


def provider_concerns(provider: Organisation) -> list[ProviderConcernRow]:
    """The concerns whose source of risk is this provider, newest first (two queries). Built
    from named columns only: the person and every free-text field stay behind."""
    rows = (
        Concern.objects.filter(source_provider=provider)
        .order_by("-received_on", "-pk")
        .values(
            "pk", "received_on", "location_of_risk", "decision__result", "decision__route",
            "enquiry__kind", "enquiry__concluded_on", "enquiry__risk_outcome", "closed_on",
        )
    )  # fmt: skip
    rows = list(rows)
    types: dict[int, list[str]] = {}
    for concern_id, code in (
        ConcernRiskType.objects.filter(concern__source_provider=provider)
        .order_by("concern_id", "id")
        .values_list("concern_id", "risk_type")
    ):
        types.setdefault(concern_id, []).append(sg.label(sg.TYPE_OF_RISK, code))
    out = []
    for r in rows:
        result = r["decision__result"]
        if result is None:
            decision = "Awaiting decision"
        elif result == sg.OTHER_ROUTE:
            decision = f"No enquiry: {sg.label(sg.ROUTES, r['decision__route']).lower()}"
        else:
            decision = sg.label(sg.ENQUIRY_KINDS, result)
        if r["enquiry__kind"] is None:
            enquiry = "None"
        elif r["enquiry__concluded_on"] is None:
            enquiry = "Open"
        else:
            enquiry = f"Concluded {r['enquiry__concluded_on']:%-d %B %Y}"
        out.append(
            ProviderConcernRow(
                reference=f"SG{r['pk']:06d}",
                received_on=r["received_on"],
                risk_types=types.get(r["pk"], []),
                location=sg.label(sg.LOCATION_OF_RISK, r["location_of_risk"]),
                decision=decision,
                enquiry=enquiry,
                risk_outcome=sg.label(sg.RISK_OUTCOME, r["enquiry__risk_outcome"])
                if r["enquiry__risk_outcome"]
                else "",
            )
        )
    return out
