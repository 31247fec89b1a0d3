from django.db.models import DateField, Q
from django.db.models.functions import Coalesce

from carebridge.rules import pathway

from ..spec import Basis, Duty, Exclusion, Period, Records, State


def _assessments(as_of):
    from carebridge.assessments.models import Assessment

    return Assessment.objects.all()


def _considered(as_of):
    """Assessments where involvement was considered: whether the person has substantial
    difficulty being involved is recorded, and where they do with no appropriate individual to
    support them, an independent advocate has been referred."""
    from carebridge.assessments.models import Assessment

    considered = Q(substantial_difficulty_being_involved=False) | Q(
        substantial_difficulty_being_involved=True
    ) & (~Q(appropriate_individual="") | Q(advocate_referred_on__isnull=False))
    return (
        Assessment.objects.filter(considered)
        .annotate(
            _considered_on=Coalesce(
                "advocate_referred_on", "completed_on", output_field=DateField()
            )
        )
        .filter(_considered_on__isnull=False)
    )


DUTY = Duty(
    id="advocacy-considered",
    title="Independent advocacy considered",
    wording=(
        "The council must involve the person in their assessment and plan. Where they would "
        "have substantial difficulty being involved and have nobody appropriate to support "
        "them, it must arrange an independent advocate."
    ),
    citation="Care Act 2014 s67; Care and Support Statutory Guidance chapter 7",
    url="https://www.legislation.gov.uk/ukpga/2014/23/section/67",
    basis=Basis.LEGAL,
    period=Period(days=pathway.LOCAL_DAYS_TO_COMPLETE_ASSESSMENT),
    starts=Records(
        queryset=_assessments,
        date="started_on",
        ref="event__reference",
        label="Assessment started",
    ),
    met_by=Records(
        queryset=_considered,
        date="_considered_on",
        ref="event__reference",
        label="Involvement and advocacy recorded",
    ),
    match={"pk": "pk"},
    met_on_or_after_start=False,
    exclusions=(
        Exclusion(
            condition=lambda as_of: Q(status="cancelled"),
            state=State.NOT_APPLICABLE,
            reason="The assessment was cancelled.",
        ),
    ),
    action="Record whether the person needs an independent advocate, and refer them if so",
)
