from django.db.models import Exists, OuterRef

from carebridge.rules import cld, reviews

from ..spec import Basis, Duty, Period, Records
from ._common import events, long_term_support_open_on


def _plan_reviews(as_of):
    """Completed CLD Review events, except reviews of a direct payment alone: those look only at
    whether direct payments remain right and are not plan reviews (rules.reviews)."""
    from carebridge.planning.models import Review

    direct_payment_only = Review.objects.filter(
        event=OuterRef("pk"), kind__in=[Review.Kind.DP_FIRST, Review.Kind.DP]
    )
    return events(cld.REVIEW).filter(end_date__isnull=False).exclude(Exists(direct_payment_only))


DUTY = Duty(
    id="annual-review",
    title="Review at least every 12 months",
    wording=(
        "A care and support plan must be kept under review. The statutory guidance expects a "
        "planned review no later than every 12 months, counted from the last review or from "
        "when long-term support began."
    ),
    citation=reviews.PLAN_REVIEW_CITATION,
    url="https://www.legislation.gov.uk/ukpga/2014/23/section/27",
    basis=Basis.GUIDANCE,
    period=Period(months=reviews.PLAN_REVIEW_INTERVAL_MONTHS),
    recurring=True,
    starts=Records(
        queryset=long_term_support_open_on,
        date="start_date",
        ref="reference",
        label="Long-term support began",
    ),
    met_by=Records(
        queryset=_plan_reviews,
        date="end_date",
        ref="reference",
        label="Review",
    ),
    action="Arrange the planned review",
)
