from django.db.models import Q

from carebridge.rules import reviews

from ..spec import Basis, Duty, Exclusion, Period, Records, State


def _first_plans():
    """Approved plans that start an episode of support (not a revision of an earlier plan)."""
    from carebridge.planning.models import CarePlan

    return CarePlan.objects.filter(approved_on__isnull=False, supersedes__isnull=True)


def _reviews():
    """Any completed review of the plan discharges the first review (rules.reviews)."""
    from carebridge.planning.models import Review

    return Review.objects.filter(status=Review.Status.COMPLETED, completed_on__isnull=False)


DUTY = Duty(
    id="first-review",
    title="First review 6 to 8 weeks after the plan",
    wording=(
        "The statutory guidance expects a light-touch review of a new care and support plan "
        "6 to 8 weeks after it is signed off, to check it is working."
    ),
    citation=reviews.PLAN_REVIEW_CITATION,
    url="https://www.gov.uk/government/publications/care-act-statutory-guidance",
    basis=Basis.GUIDANCE,
    period=Period(days=reviews.FIRST_REVIEW_LATEST_WEEKS * 7),
    starts=Records(
        queryset=lambda as_of: _first_plans(),
        date="approved_on",
        ref="pk",
        label="Care and support plan approved",
    ),
    met_by=Records(
        queryset=lambda as_of: _reviews(),
        date="completed_on",
        ref="event__reference",
        label="Review",
    ),
    match={"plan_id": "pk"},
    exclusions=(
        Exclusion(
            condition=lambda as_of: Q(end_date__isnull=False, end_date__lte=as_of),
            state=State.NOT_APPLICABLE,
            reason="The plan ended before its first review was done.",
        ),
    ),
    action="Arrange the first review with the person",
)
