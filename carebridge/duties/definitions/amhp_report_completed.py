from carebridge.rules import amhp

from ..spec import Basis, Duty, Period, Records


def _assessed(as_of):
    from carebridge.mentalhealth.models import MHAAssessment

    return MHAAssessment.objects.filter(assessed_on__isnull=False)


def _reported(as_of):
    from carebridge.mentalhealth.models import MHAAssessment

    return MHAAssessment.objects.filter(report_completed_on__isnull=False)


DUTY = Duty(
    id="amhp-report-completed",
    title="AMHP report after a Mental Health Act assessment",
    wording=(
        "The approved mental health professional who carries out a Mental Health Act "
        "assessment records it, with the reasons for their decision and the alternatives to "
        "detention they considered, as the Code of Practice expects. The Act sets no deadline; "
        "the council's standard is that the AMHP report is completed within a set time of the "
        "assessment."
    ),
    citation=(
        "Mental Health Act 1983 s11 and s13; Mental Health Act 1983: Code of Practice (2015), "
        "chapter 14"
    ),
    url="https://www.gov.uk/government/publications/code-of-practice-mental-health-act-1983",
    basis=Basis.LOCAL,
    period=Period(working_days=amhp.LOCAL_WORKING_DAYS_TO_REPORT),
    starts=Records(
        queryset=_assessed,
        date="assessed_on",
        ref="reference",
        label="Mental Health Act assessment",
    ),
    met_by=Records(
        queryset=_reported,
        date="report_completed_on",
        ref="reference",
        label="AMHP report completed",
    ),
    match={"pk": "pk"},
    action="Complete the AMHP report for the assessment",
)
