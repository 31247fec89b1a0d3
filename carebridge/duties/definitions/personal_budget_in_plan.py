from django.db.models import Exists, OuterRef

from ..spec import Basis, Duty, Period, Records


def _approved_plans():
    from carebridge.planning.models import CarePlan

    return CarePlan.objects.filter(approved_on__isnull=False)


def _with_budget():
    """An approved plan states a personal budget: the cost of meeting the eligible needs, from
    the costed services it arranges (planning.budget), shown on the plan and its letter."""
    from carebridge.planning.models import PlannedService

    return _approved_plans().filter(Exists(PlannedService.objects.filter(plan=OuterRef("pk"))))


DUTY = Duty(
    id="personal-budget-in-plan",
    title="Personal budget in every plan",
    wording=(
        "Every care and support plan, and every support plan for a carer, must include a "
        "personal budget: the cost to the council of meeting the needs, the amount the person "
        "pays, and the amount the council pays."
    ),
    citation="Care Act 2014 s25(1)(e) and s26",
    url="https://www.legislation.gov.uk/ukpga/2014/23/section/26",
    basis=Basis.LEGAL,
    period=Period(days=0),
    starts=Records(
        queryset=lambda as_of: _approved_plans(),
        date="approved_on",
        ref="pk",
        label="Care and support plan approved",
    ),
    met_by=Records(
        queryset=lambda as_of: _with_budget(),
        date="approved_on",
        ref="pk",
        label="Personal budget stated in plan",
    ),
    match={"pk": "pk"},
    action="Cost the services in the plan so that it states the personal budget",
)
