from carebridge.rules import safeguarding as sg

from ..spec import Basis, Duty, Period, Records

# The council's standard for concluding an enquiry (Basis.LOCAL: s42 sets no time). Three
# months: long enough for a proportionate enquiry that involves other organisations (a
# provider's own investigation, a strategy meeting or two), short enough that an enquiry left
# open a quarter is looked at again. A police investigation can run longer; the council sets
# its own standard (ADR 0015, ADR 0023).
ENQUIRY_MONTHS = 3


def _enquiries(as_of):
    from carebridge.safeguarding.models import Enquiry

    return Enquiry.objects.all()


def _concluded(as_of):
    from carebridge.safeguarding.models import Enquiry

    return Enquiry.objects.filter(concluded_on__isnull=False)


DUTY = Duty(
    id="safeguarding-enquiry-concluded",
    title="Safeguarding enquiry concluded",
    wording=(
        "The council must make whatever enquiries it thinks necessary to decide whether any "
        "action should be taken in the adult's case, and if so what and by whom. The Act sets no "
        "time; the council's standard is that an enquiry concludes, with its risk outcome and "
        "the adult's outcomes recorded, within a set time of starting."
    ),
    citation=f"{sg.CITATION_S42}; Care and Support Statutory Guidance chapter 14",
    url=sg.S42_URL,
    basis=Basis.LOCAL,
    period=Period(months=ENQUIRY_MONTHS),
    starts=Records(
        queryset=_enquiries,
        date="started_on",
        ref="concern_id",
        label="Safeguarding enquiry started",
    ),
    met_by=Records(
        queryset=_concluded,
        date="concluded_on",
        ref="concern_id",
        label="Enquiry concluded",
    ),
    match={"pk": "pk"},
    action="Conclude the enquiry with its risk outcome and the adult's outcomes",
)
