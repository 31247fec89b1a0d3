from carebridge.rules import safeguarding as sg

from ..spec import Basis, Duty, Period, Records

# Making Safeguarding Personal: the adult's views, wishes and desired outcomes are sought from
# the start of an enquiry. The guidance gives no number of days; carebridge reads "from the
# start" as within the enquiry's first 5 working days (ADR 0023). Its time comes from the
# guidance's own terms, as advocacy-considered's does (ADR 0015), so a council does not set it.
ASKED_WORKING_DAYS = 5


def _enquiries(as_of):
    from carebridge.safeguarding.models import Enquiry

    return Enquiry.objects.all()


def _asked(as_of):
    from carebridge.safeguarding.models import Enquiry

    return Enquiry.objects.filter(msp_asked__in=sorted(sg.ASKED), outcomes_asked_on__isnull=False)


DUTY = Duty(
    id="safeguarding-outcomes-asked",
    title="Adult asked about the outcomes they want",
    wording=(
        "Safeguarding is person-led and outcome-focused (Making Safeguarding Personal): the "
        "adult, or their representative or advocate, is asked from the start of an enquiry what "
        "outcomes they want, and those are recorded."
    ),
    citation=sg.CITATION_MSP,
    url="https://www.gov.uk/government/publications/care-act-statutory-guidance/care-and-support-statutory-guidance",
    basis=Basis.GUIDANCE,
    period=Period(working_days=ASKED_WORKING_DAYS),
    starts=Records(
        queryset=_enquiries,
        date="started_on",
        ref="concern_id",
        label="Safeguarding enquiry started",
    ),
    met_by=Records(
        queryset=_asked,
        date="outcomes_asked_on",
        ref="concern_id",
        label="Desired outcomes asked",
    ),
    match={"pk": "pk"},
    # Asked before the enquiry began (when the concern was raised) still counts.
    met_on_or_after_start=False,
    action="Ask the adult what outcomes they want and record them",
)
