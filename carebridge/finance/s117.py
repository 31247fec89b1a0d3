"""Whether s117 aftercare applies: the one place that says so, for the models, the services and
the pages alike.

Aftercare under s117 of the Mental Health Act 1983 is free: the Care Act 2014 s14 power to charge
does not reach it, and the Care and Support (Charging and Assessment of Resources) Regulations
2014 (SI 2014/2672) reg 3 lists it among the services that must be provided free of charge.

Today a person's s117 entitlement is known from their care and support plan: a planned service
marked ``s117_aftercare``. A person has an *open s117 flag* while a plan in force (approved)
holds such a service. When the s117 aftercare record itself exists (eligibility, the joint plan
with the ICB), :func:`person_has_open_s117` is the one function to extend.
"""

from __future__ import annotations

from django.db.models import Q

NO_CHARGE_REASON = "s117 aftercare: no charge (Mental Health Act 1983 s117; Care Act 2014 s14)"
REFUSED = (
    "A charge cannot be made: {who} receives aftercare under section 117 of the Mental Health "
    "Act 1983, which is free of charge"
)


def plan_has_s117(plan_id: int | None) -> bool:
    if plan_id is None:
        return False
    from carebridge.planning.models import PlannedService

    return PlannedService.objects.filter(plan_id=plan_id, s117_aftercare=True).exists()


def person_has_open_s117(person_id: int | None) -> bool:
    if person_id is None:
        return False
    from carebridge.planning.models import CarePlan, PlannedService

    return PlannedService.objects.filter(
        Q(plan__person_id=person_id) & Q(plan__status=CarePlan.Status.APPROVED),
        s117_aftercare=True,
    ).exists()


def applies(person_id: int | None, plan_id: int | None) -> bool:
    """s117 aftercare applies to a charge for this person under this plan: never charge."""
    return plan_has_s117(plan_id) or person_has_open_s117(person_id)
