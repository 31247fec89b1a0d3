from carebridge.rules import reviews

from ..spec import Basis, Duty, Period, Records


def _first_payments(as_of):
    """Direct payments being made under a plan in force: from the first payment."""
    from carebridge.planning.models import CarePlan, DirectPaymentAgreement

    return DirectPaymentAgreement.objects.filter(
        first_payment_on__isnull=False, plan__status=CarePlan.Status.APPROVED
    )


def _reviews(as_of):
    """Completed reviews: a direct payment review, or a review of the whole plan, which also
    reviews the direct payment made under it (rules.reviews)."""
    from carebridge.planning.models import Review

    return Review.objects.filter(status=Review.Status.COMPLETED, completed_on__isnull=False)


DUTY = Duty(
    id="direct-payment-review",
    title="Direct payment reviewed within 6 months, then every 12",
    wording=(
        "The council must review the making of direct payments within 6 months of the first "
        "payment, and then at least every 12 months."
    ),
    citation=reviews.DIRECT_PAYMENT_CITATION,
    url="https://www.legislation.gov.uk/uksi/2014/2871/regulation/7",
    basis=Basis.LEGAL,
    period=Period(months=reviews.DIRECT_PAYMENT_REVIEW_INTERVAL_MONTHS),
    first_period=Period(months=reviews.DIRECT_PAYMENT_FIRST_REVIEW_MONTHS),
    recurring=True,
    starts=Records(
        queryset=_first_payments,
        date="first_payment_on",
        ref="plan_id",
        label="First direct payment under plan",
        person="plan__person",
    ),
    met_by=Records(
        queryset=_reviews,
        date="completed_on",
        ref="event__reference",
        label="Review",
    ),
    action="Review the direct payment with the person",
)
