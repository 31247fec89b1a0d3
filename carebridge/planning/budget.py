"""The personal budget (Care Act 2014 s26): the cost to the council of meeting the eligible
needs, split into what the person pays and what the council pays, and into the direct-payment
and commissioned parts. Figures come from the plan's costed services; the indicative figure
from the resource allocation system is shown beside it, never instead of it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from carebridge.rules import eligibility, ras

from .models import MEANS_OF_MEETING_NEEDS, CarePlan

MEANS = dict(MEANS_OF_MEETING_NEEDS)
WEEKS_IN_YEAR = ras.WEEKS_PER_YEAR
PENNY = Decimal("0.01")


@dataclass(frozen=True)
class BudgetSummary:
    weekly_total: Decimal
    annual_total: Decimal
    direct_payment_weekly: Decimal
    commissioned_weekly: Decimal
    indicative_weekly: Decimal | None
    person_contribution_weekly: Decimal | None
    council_weekly: Decimal

    @property
    def variance_from_indicative(self) -> Decimal | None:
        if self.indicative_weekly is None:
            return None
        return self.weekly_total - self.indicative_weekly


def summary(plan: CarePlan, services=None) -> BudgetSummary:
    """Pass ``services`` when they are already loaded (prefetched) to avoid a query."""
    services = list(plan.services.all()) if services is None else list(services)
    dp = sum((s.weekly_cost for s in services if s.is_direct_payment), Decimal(0))
    commissioned = sum((s.weekly_cost for s in services if not s.is_direct_payment), Decimal(0))
    total = (dp + commissioned).quantize(PENNY)
    contribution = plan.person_contribution_weekly
    # s26(2)(b): the council pays the cost less what the person pays, never below nothing.
    council = max(total - (contribution or Decimal(0)), Decimal(0)).quantize(PENNY)
    return BudgetSummary(
        weekly_total=total,
        annual_total=(total * WEEKS_IN_YEAR).quantize(PENNY),
        direct_payment_weekly=dp.quantize(PENNY),
        commissioned_weekly=commissioned.quantize(PENNY),
        indicative_weekly=plan.indicative_weekly,
        person_contribution_weekly=contribution,
        council_weekly=council,
    )


def outcome_label(plan: CarePlan, key: str) -> str:
    kind = plan.assessment.kind if plan.assessment_id else "adult"
    labels = eligibility.ADULT_OUTCOMES if kind == "adult" else eligibility.CARER_OUTCOMES
    return dict(labels).get(key, key)
