from django.db.models import Q

from ..spec import Basis, Duty, Period, Records


def _first_payments(as_of):
    """Direct payments being made under a plan in force: from the first payment."""
    from carebridge.planning.models import CarePlan, DirectPaymentAgreement

    return DirectPaymentAgreement.objects.filter(
        first_payment_on__isnull=False, plan__status=CarePlan.Status.APPROVED
    )


def _direct_payment_reviews(as_of):
    """Completed reviews of the making of direct payments: a direct payment review, or any
    review that recorded how the direct payment is working."""
    from carebridge.planning.models import Review

    return Review.objects.filter(
        Q(kind__in=[Review.Kind.DP_FIRST, Review.Kind.DP]) | ~Q(direct_payment_working=""),
        status=Review.Status.COMPLETED,
        completed_on__isnull=False,
    )


DUTY = Duty(
    id="direct-payment-review",
    title="Direct payment reviewed within 6 months, then every 12",
    wording=(
        "The council must review the making of direct payments within 6 months of the first "
        "payment, and then at least every 12 months."
    ),
    citation="Care and Support (Direct Payments) Regulations 2014 reg 7",
    url="https://www.legislation.gov.uk/uksi/2014/2871/regulation/7",
    basis=Basis.LEGAL,
    period=Period(months=12),
    first_period=Period(months=6),
    recurring=True,
    starts=Records(
        queryset=_first_payments,
        date="first_payment_on",
        ref="plan_id",
        label="First direct payment under plan",
        person="plan__person",
    ),
    met_by=Records(
        queryset=_direct_payment_reviews,
        date="completed_on",
        ref="event__reference",
        label="Direct payment review",
    ),
    action="Review the direct payment with the person",
)
