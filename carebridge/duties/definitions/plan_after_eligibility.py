from carebridge.rules import pathway

from ..spec import Basis, Duty, Period, Records


def _determinations():
    from carebridge.assessments.models import EligibilityDetermination

    return EligibilityDetermination.objects.filter(eligible=True)


def _plans():
    from carebridge.planning.models import CarePlan

    return CarePlan.objects.filter(approved_on__isnull=False)


DUTY = Duty(
    id="plan-after-eligibility",
    title="Care and support plan after eligible needs",
    wording=(
        "Where a person has eligible needs the council is to meet, it must prepare a care and "
        "support plan (or a support plan for a carer) with them. The Act sets no deadline; the "
        "council's standard is that the plan is signed off within a set time."
    ),
    citation=(
        "Care Act 2014 s18, s20, s24(1) and s25; Care and Support Statutory Guidance para 10.84"
    ),
    url="https://www.legislation.gov.uk/ukpga/2014/23/section/24",
    basis=Basis.LOCAL,
    period=Period(days=pathway.LOCAL_DAYS_DETERMINATION_TO_PLAN),
    starts=Records(
        queryset=lambda as_of: _determinations(),
        date="determined_on",
        ref="assessment__event__reference",
        label="Eligible needs determined",
    ),
    met_by=Records(
        queryset=lambda as_of: _plans(),
        date="approved_on",
        ref="pk",
        label="Plan approved",
    ),
    match={"assessment_id": "assessment_id"},
    action="Write the care and support plan with the person and submit it for approval",
)
