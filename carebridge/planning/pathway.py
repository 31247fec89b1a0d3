"""Each person's next statutory step, for caseloads: the facts of the case as SQL annotations on
a queryset of allocations (a fixed number of queries for the whole page), then the pure rule
:func:`carebridge.rules.pathway.next_step` on each row."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate

from carebridge.assessments.models import Assessment, EligibilityDetermination
from carebridge.casework.models import Event
from carebridge.rules import cld, pathway

from .models import CarePlan

# A request that leads to an assessment (CLD Event_Outcome), or one still open.
_TO_ASSESSMENT = "Progress to assessment, review or reassessment"


def _first(qs, field: str) -> Subquery:
    return Subquery(qs.values(field)[:1])


def with_case_facts(allocations: QuerySet) -> QuerySet:
    person = OuterRef("person_id")
    requests = Event.objects.filter(person=person, event_type=cld.REQUEST, cancelled=False).filter(
        Q(end_date__isnull=True) | Q(outcome=_TO_ASSESSMENT)
    )
    assessments = Event.objects.filter(person=person, event_type=cld.ASSESSMENT, cancelled=False)
    plans = CarePlan.objects.filter(person=person)
    unplanned = EligibilityDetermination.objects.filter(person=person, eligible=True).filter(
        ~Exists(CarePlan.objects.filter(assessment=OuterRef("assessment")))
    )
    return allocations.annotate(
        f_request=_first(requests.order_by("-start_date", "-pk"), "start_date"),
        f_assessment=_first(assessments.order_by("-start_date", "-pk"), "start_date"),
        f_draft=_first(
            Assessment.objects.filter(person=person, status=Assessment.Status.DRAFT).order_by(
                "started_on"
            ),
            "started_on",
        ),
        f_eligible=_first(unplanned.order_by("-determined_on", "-pk"), "determined_on"),
        f_plan_status=_first(
            plans.filter(
                status__in=[
                    CarePlan.Status.DRAFT,
                    CarePlan.Status.RETURNED,
                    CarePlan.Status.SUBMITTED,
                ]
            ).order_by("-created_at"),
            "status",
        ),
        f_plan_since=_first(
            plans.filter(
                status__in=[
                    CarePlan.Status.DRAFT,
                    CarePlan.Status.RETURNED,
                    CarePlan.Status.SUBMITTED,
                ]
            )
            .annotate(day=TruncDate("updated_at"))
            .order_by("-created_at"),
            "day",
        ),
        f_review_due=_first(plans.filter(status=CarePlan.Status.APPROVED), "next_review_due"),
        f_review_kind=_first(plans.filter(status=CarePlan.Status.APPROVED), "next_review_kind"),
    )


def facts(row) -> pathway.CaseFacts:
    request, assessed = row.f_request, row.f_assessment
    status = row.f_plan_status
    return pathway.CaseFacts(
        request_awaiting_assessment_since=(
            request if request is not None and (assessed is None or assessed < request) else None
        ),
        draft_assessment_started=row.f_draft,
        eligible_without_plan_since=row.f_eligible,
        plan_in_progress_since=(
            row.f_plan_since
            if status in {CarePlan.Status.DRAFT, CarePlan.Status.RETURNED}
            else None
        ),
        plan_returned=status == CarePlan.Status.RETURNED,
        plan_submitted_on=row.f_plan_since if status == CarePlan.Status.SUBMITTED else None,
        next_review_due=row.f_review_due,
        next_review_kind=row.f_review_kind or "",
    )


def attach_steps(rows) -> list:
    """Set ``row.next_step`` on each annotated row (no queries)."""
    rows = list(rows)
    for row in rows:
        row.next_step = pathway.next_step(facts(row))
    return rows


def for_person(person) -> dict:
    """The Care Act pathway box on the person's page: assessments, plans and the next step
    (three queries)."""
    from carebridge.casework.models import Allocation

    assessments = list(
        Assessment.objects.filter(person=person)
        .select_related("assessor", "determination")
        .order_by("-started_on", "-pk")[:10]
    )
    plans = list(
        CarePlan.objects.filter(person=person)
        .select_related("approved_by")
        .order_by("-created_at", "-pk")[:10]
    )
    row = (
        with_case_facts(Allocation.objects.filter(person=person).order_by("-started_at"))
        .only("pk")
        .first()
    )
    step = pathway.next_step(facts(row)) if row else None
    return {"assessments": assessments, "plans": plans, "next_step": step}
