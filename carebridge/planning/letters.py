"""The person's copy of their care and support plan (Care Act 2014 s25(9)), as a PDF: produced on
request and audited, never stored."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from carebridge.core import audit
from carebridge.letters import builders
from carebridge.letters.contexts import CareAndSupportPlanContext
from carebridge.letters.render import pdf_response, render_pdf
from carebridge.rules.money import money

from . import budget
from .models import CarePlan

# Delivery mechanisms as the person would say them (the CLD text is for returns).
DELIVERY_IN_PLAIN_WORDS = {
    "Direct payment": "Direct payment",
    "CASSR managed personal budget": "Managed by the council for you",
    "CASSR commissioned support": "Arranged by the council",
}
CONTRIBUTION_NOT_ASSESSED = (
    "What you pay towards your care depends on your financial assessment, which has not been "
    "done yet. We will write to you when it has."
)


def units(value) -> str:
    """Units as people write them: 14, 3.5, 1,200 (not 14.00)."""
    text = f"{value:,.2f}".removesuffix(".00")
    return text.rstrip("0") if "." in text else text


def plan_context(plan: CarePlan, *, services=None) -> CareAndSupportPlanContext:
    """The letter context for a plan loaded by ``selectors.plan_for`` (no further queries for
    services when they are prefetched)."""
    person = plan.person
    services = list(plan.services.all()) if services is None else list(services)
    summary = budget.summary(plan, services=services)
    assessment = plan.assessment
    dp = getattr(plan, "direct_payment", None)
    approver = plan.approved_by
    contribution = money(summary.person_contribution_weekly) or None  # None: not yet assessed
    return {
        "council": builders.council(),
        "recipient": builders.recipient(person),
        "person": builders.about(person),
        "letter_date": timezone.localdate(),
        "reference": f"{person.person_id}/CP{plan.pk}",
        "signed_by": builders.signed_by(plan.created_by),
        "plan_status": plan.get_status_display(),
        "approved_on": plan.approved_on,
        "approved_by": (
            f"{approver.get_full_name() or approver.username}, "
            f"{approver.job_title or approver.get_role_display()}"
            if approver
            else None
        ),
        "eligible_needs": [
            {
                "label": budget.outcome_label(plan, key),
                "how_met": answer.get("how_met", ""),
            }
            for key, answer in (plan.needs or {}).items()
        ],
        "outcomes_wanted": [
            line.strip() for line in plan.outcomes_wanted.splitlines() if line.strip()
        ],
        "what_matters": assessment.what_matters,
        "strengths": assessment.strengths,
        "services": [
            {
                "description": s.description,
                "service_type": s.service_type,
                "delivery_mechanism": DELIVERY_IN_PLAIN_WORDS.get(
                    s.delivery_mechanism, s.delivery_mechanism
                ),
                "provider": s.provider.name if s.provider_id else None,
                "unit_cost": money(s.unit_cost),
                "units_per_week": units(s.planned_units_per_week),
                "weekly_cost": money(s.weekly_cost),
            }
            for s in services
        ],
        "personal_budget": {
            "weekly_total": money(summary.weekly_total),
            "annual_total": money(summary.annual_total),
            "person_contribution_weekly": contribution,
            "person_contribution_note": None if contribution else CONTRIBUTION_NOT_ASSESSED,
            "council_weekly": money(summary.council_weekly),
            "indicative_weekly": (
                money(summary.indicative_weekly)
                if summary.indicative_weekly is not None
                else "Not worked out for this plan"
            ),
            "direct_payment_weekly": (
                money(summary.direct_payment_weekly) if summary.direct_payment_weekly else None
            ),
        },
        "direct_payment": (
            {
                "amount_weekly": money(dp.weekly_amount),
                "start_date": dp.start_date,
                "agreement_signed_on": dp.agreement_signed_on,
                "paid_to": "You" if dp.paid_to == dp.PaidTo.PERSON else dp.get_paid_to_display(),
            }
            if dp
            else None
        ),
        "contingency_plan": plan.contingency_plan,
        "informal_support": plan.informal_support,
        "review_due": plan.next_review_due,
    }


def plan_pdf(worker, plan: CarePlan) -> HttpResponse:
    context = plan_context(plan)
    pdf = render_pdf(
        "letters/care_and_support_plan.html",
        context,
        title=f"Care and support plan: {plan.person.full_name}",
    )
    audit.record(
        worker,
        audit.Action.EXPORT,
        person=plan.person,
        obj=plan,
        summary="Produced a copy of the care and support plan (PDF)",
    )
    return pdf_response(pdf, f"care-and-support-plan-{plan.person.person_id}-{plan.pk}.pdf")
