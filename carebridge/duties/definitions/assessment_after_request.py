from django.db.models import Q

from carebridge.rules import cld, pathway

from ..spec import Basis, Duty, Exclusion, Period, Records, State
from ._common import care_act_assessments, events

# Request outcomes that do not end the duty: none yet, on to an assessment, or declined (exempt).
_NOT_CLOSING = ("", cld.OUTCOME_TO_ASSESSMENT, cld.OUTCOME_SUPPORT_DECLINED)

DUTY = Duty(
    id="assessment-after-request",
    title="Assessment after a request for support",
    wording=(
        "When it appears an adult may need care and support, or a carer support, the council "
        "must assess them. The Act sets no deadline; the council's standard is that the "
        "assessment starts within a set time of the request."
    ),
    citation="Care Act 2014 s9(1) and s10(1); Care and Support Statutory Guidance para 6.29",
    url="https://www.legislation.gov.uk/ukpga/2014/23/section/9",
    basis=Basis.LOCAL,
    period=Period(days=pathway.LOCAL_DAYS_REQUEST_TO_ASSESSMENT),
    starts=Records(
        queryset=lambda as_of: events(cld.REQUEST),
        date="start_date",
        ref="reference",
        label="Request",
    ),
    met_by=Records(
        queryset=lambda as_of: care_act_assessments(),
        date="start_date",
        ref="reference",
        label="Assessment",
    ),
    exclusions=(
        Exclusion(
            condition=lambda as_of: Q(end_date__lte=as_of, outcome=cld.OUTCOME_SUPPORT_DECLINED),
            state=State.EXEMPT,
            reason=(
                "The person declined an assessment (Care Act s11(1)); the duty returns if they "
                "lack capacity, are at risk of abuse or neglect, or ask again."
            ),
        ),
        Exclusion(
            condition=lambda as_of: Q(end_date__lte=as_of) & ~Q(outcome__in=_NOT_CLOSING),
            state=State.NOT_APPLICABLE,
            reason=(
                "The request was closed with an outcome that needs no assessment (information "
                "and advice, another service, reablement first, moved away or died)."
            ),
        ),
    ),
    action="Start the assessment, or close the request with its outcome",
)
