from django.db.models import Case, DateField, F, Q, When
from django.db.models.functions import Coalesce

from ..spec import Basis, Duty, Period, Records
from ._common import care_act_assessments


def _determined():
    """Each completed assessment with the date its eligibility was determined and recorded:
    the s13 record made when it was completed here, or, for an assessment brought in from an
    earlier system (no assessment record here), its CLD outcome on completion."""
    return care_act_assessments().annotate(
        _determined=Coalesce(
            F("assessment__determination__determined_on"),
            Case(
                When(
                    Q(assessment__isnull=True) & ~Q(outcome="") & Q(end_date__isnull=False),
                    then=F("end_date"),
                ),
                output_field=DateField(),
            ),
            output_field=DateField(),
        )
    )


DUTY = Duty(
    id="eligibility-recorded",
    title="Eligibility determined and recorded",
    wording=(
        "After a needs or carer's assessment the council must decide whether any needs meet "
        "the eligibility criteria, and give the person a written record of the decision and "
        "its reasons."
    ),
    citation=(
        "Care Act 2014 s13(1) and s13(2); Care and Support (Eligibility Criteria) Regulations "
        "2015 (SI 2015/313)"
    ),
    url="https://www.legislation.gov.uk/ukpga/2014/23/section/13",
    basis=Basis.LEGAL,
    period=Period(days=0),
    starts=Records(
        queryset=lambda as_of: care_act_assessments().filter(end_date__isnull=False),
        date="end_date",
        ref="reference",
        label="Assessment completed",
    ),
    met_by=Records(
        queryset=lambda as_of: _determined().filter(_determined__isnull=False),
        date="_determined",
        ref="reference",
        label="Eligibility determination",
    ),
    match={"pk": "pk"},
    action="Record the eligibility determination and send the written record",
)
