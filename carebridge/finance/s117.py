"""Whether s117 aftercare applies: the one place that says so, for the models, the services and
the pages alike.

Aftercare under s117 of the Mental Health Act 1983 is free: the Care Act 2014 s14 power to charge
does not reach it (*R v Manchester CC, ex p Stennett* [2002] UKHL 34), and the Care and Support
(Charging and Assessment of Resources) Regulations 2014 (SI 2014/2672) reg 3 lists it among the
services that must be provided free of charge.

A planned service is **s117 aftercare** when it is marked ``s117_aftercare`` in the care plan, or
when it is funded under an open s117 aftercare episode (``mentalhealth.AftercareFunding``: the
joint council and ICB record of eligibility, plan and funding split).

Only those services are free. A person who also receives care and support for needs that do not
arise from their mental disorder (say, personal care after a stroke) may be charged for that
care under the Care Act like anyone else: the law exempts the aftercare, not the person (ADR
0022). So the most that may be charged is the weekly cost of the plan's *other* services
(:func:`charge_limit`); where every service is s117 aftercare it is nothing, and the charge is £0
with the s117 reason (:func:`applies`). A person with an open aftercare episode and no plan in
force is not charged at all: nothing yet says which of their care is not aftercare.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from carebridge.rules.money import money

NO_CHARGE_REASON = "s117 aftercare: no charge (Mental Health Act 1983 s117; Care Act 2014 s14)"
REFUSED = (
    "A charge cannot be made: {who} receives aftercare under section 117 of the Mental Health "
    "Act 1983, which is free of charge"
)
REFUSED_ABOVE = (
    "A charge cannot be more than {limit} a week: the rest of the care ({free} a week) is "
    "aftercare under section 117 of the Mental Health Act 1983, which is free of charge"
)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ChargeableCare:
    """A plan's weekly cost split into the s117 aftercare (free) and the rest (chargeable)."""

    total: Decimal
    s117_weekly: Decimal
    chargeable_weekly: Decimal
    s117_service_ids: frozenset[int]

    @property
    def has_s117(self) -> bool:
        return bool(self.s117_service_ids)

    @property
    def wholly_s117(self) -> bool:
        return self.has_s117 and self.chargeable_weekly <= 0


def open_episode_exists(person_id: int) -> bool:
    from carebridge.mentalhealth.models import AftercareEpisode

    return AftercareEpisode.objects.filter(person_id=person_id, ended_on__isnull=True).exists()


def _funded_ids(service_ids: list[int]) -> set[int]:
    """Of these planned services, those funded under an open s117 aftercare episode."""
    from carebridge.mentalhealth.models import AftercareFunding

    if not service_ids:
        return set()
    return set(
        AftercareFunding.objects.filter(
            planned_service_id__in=service_ids, episode__ended_on__isnull=True
        ).values_list("planned_service_id", flat=True)
    )


def chargeable_care(plan) -> ChargeableCare:
    """The plan's services divided into s117 aftercare and the rest (two queries at most)."""
    services = list(plan.services.all())
    funded = _funded_ids([s.pk for s in services])
    free = frozenset(s.pk for s in services if s.s117_aftercare or s.pk in funded)
    total = sum((s.weekly_cost for s in services), ZERO)
    s117_weekly = sum((s.weekly_cost for s in services if s.pk in free), ZERO)
    return ChargeableCare(total, s117_weekly, total - s117_weekly, free)


def _plan(person_id: int | None, plan_id: int | None):
    from carebridge.planning.models import CarePlan

    if plan_id is not None:
        return CarePlan.objects.filter(pk=plan_id).first()
    if person_id is None:
        return None
    return CarePlan.objects.filter(person_id=person_id, status=CarePlan.Status.APPROVED).first()


def charge_limit(person_id: int | None, plan_id: int | None, *, plan=None) -> Decimal | None:
    """The most that may be charged a week because of s117 aftercare: None where s117 sets no
    limit (no s117 service), the cost of the plan's other services where some are s117, and
    nothing where all are (or the person has open aftercare and no plan in force). ``plan``:
    the plan itself when already loaded (its services prefetched)."""
    plan = plan if plan is not None else _plan(person_id, plan_id)
    if plan is None:
        if person_id is not None and open_episode_exists(person_id):
            return ZERO
        return None
    care = chargeable_care(plan)
    if not care.has_s117:
        return None
    return max(care.chargeable_weekly, ZERO)


def refusal(
    person_id: int | None, plan_id: int | None, weekly_amount: Decimal, *, plan=None
) -> str | None:
    """Why this weekly charge may not be made because of s117 aftercare (None: it may)."""
    if weekly_amount is None or Decimal(weekly_amount) <= 0:
        return None
    plan = plan if plan is not None else _plan(person_id, plan_id)
    limit = charge_limit(person_id, plan_id, plan=plan)
    if limit is None or Decimal(weekly_amount) <= limit:
        return None
    if limit <= 0:
        return REFUSED.format(who="the person")
    free = chargeable_care(plan).s117_weekly if plan is not None else ZERO
    return REFUSED_ABOVE.format(limit=money(limit), free=money(free))


def plan_has_s117(plan_id: int | None) -> bool:
    plan = _plan(None, plan_id) if plan_id is not None else None
    return plan is not None and chargeable_care(plan).has_s117


def person_has_open_s117(person_id: int | None) -> bool:
    """The person receives s117 aftercare now: their plan in force holds an s117 service, or
    they have an open aftercare episode."""
    if person_id is None:
        return False
    from carebridge.planning.models import CarePlan, PlannedService

    flagged = PlannedService.objects.filter(
        Q(plan__person_id=person_id) & Q(plan__status=CarePlan.Status.APPROVED),
        s117_aftercare=True,
    ).exists()
    return flagged or open_episode_exists(person_id)


def applies(person_id: int | None, plan_id: int | None) -> bool:
    """s117 aftercare covers all of this person's care under this plan: charge nothing, with
    the s117 reason. (Where it covers only some, :func:`charge_limit` caps the charge.)"""
    return charge_limit(person_id, plan_id) == ZERO
