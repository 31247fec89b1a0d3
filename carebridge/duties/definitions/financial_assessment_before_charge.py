from ..spec import Basis, Duty, Period, Records


def _charges(as_of):
    from carebridge.finance.models import ChargeDecision

    return ChargeDecision.objects.filter(weekly_amount__gt=0)


def _completed_assessments(as_of):
    from carebridge.finance.models import FinancialAssessment

    return FinancialAssessment.objects.filter(completed_on__isnull=False)


DUTY = Duty(
    id="financial-assessment-before-charge",
    title="Financial assessment before charging",
    wording=(
        "Before charging for care and support the council must carry out a financial "
        "assessment of what the person can afford, and charge no more than that."
    ),
    citation=(
        "Care Act 2014 s14 and s17; Care and Support (Charging and Assessment of Resources) "
        "Regulations 2014 (SI 2014/2672)"
    ),
    url="https://www.legislation.gov.uk/ukpga/2014/23/section/17",
    basis=Basis.LEGAL,
    period=Period(days=0),
    met_on_or_after_start=False,
    starts=Records(
        queryset=_charges,
        date="valid_from",
        ref="pk",
        label="Charge from",
    ),
    met_by=Records(
        queryset=_completed_assessments,
        date="completed_on",
        ref="pk",
        label="Financial assessment completed",
    ),
    match={"pk": "financial_assessment_id"},
    action="Complete the financial assessment, and correct any charge made before it",
)
