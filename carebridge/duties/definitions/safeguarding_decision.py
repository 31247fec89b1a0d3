from carebridge.rules import safeguarding as sg

from ..spec import Basis, Duty, Period, Records

# The council's standard for deciding what a concern needs (Basis.LOCAL: s42 sets no time).
# Two working days is the default issue 7 asks for; a council's multi-agency safeguarding
# procedures set their own, and the council sets it here (ADR 0015, ADR 0023).
DECISION_WORKING_DAYS = 2


def _concerns(as_of):
    from carebridge.safeguarding.models import Concern

    return Concern.objects.all()


def _decisions(as_of):
    from carebridge.safeguarding.models import S42Decision

    return S42Decision.objects.all()


DUTY = Duty(
    id="safeguarding-decision",
    title="Safeguarding concern decided",
    wording=(
        "Where the council has reasonable cause to suspect an adult with care and support needs "
        "is experiencing or at risk of abuse or neglect and cannot protect themselves because of "
        "those needs, it must make enquiries. The Act sets no time; the council's standard is "
        "that each concern is decided (a section 42 enquiry, another enquiry or another route) "
        "within a set time of being received."
    ),
    citation=f"{sg.CITATION_S42}; Care and Support Statutory Guidance chapter 14",
    url=sg.S42_URL,
    basis=Basis.LOCAL,
    period=Period(working_days=DECISION_WORKING_DAYS),
    starts=Records(
        queryset=_concerns,
        date="received_on",
        ref="pk",
        label="Safeguarding concern received",
    ),
    met_by=Records(
        queryset=_decisions,
        date="decided_on",
        ref="concern_id",
        person="concern__person",
        label="Decision recorded",
    ),
    match={"concern_id": "pk"},
    action="Record the s42 decision on the concern",
)
