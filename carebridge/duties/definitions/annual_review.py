from carebridge.rules import cld

from ..spec import Basis, Duty, Period, Records
from ._common import events, long_term_support_open_on

DUTY = Duty(
    id="annual-review",
    title="Review at least every 12 months",
    wording=(
        "A care and support plan must be kept under review. The statutory guidance expects a "
        "planned review no later than every 12 months, counted from the last review or from "
        "when long-term support began."
    ),
    citation="Care Act 2014 s27(1)(a); Care and Support Statutory Guidance para 13.32",
    url="https://www.legislation.gov.uk/ukpga/2014/23/section/27",
    basis=Basis.GUIDANCE,
    period=Period(months=12),
    recurring=True,
    starts=Records(
        queryset=long_term_support_open_on,
        date="start_date",
        ref="reference",
        label="Long-term support began",
    ),
    met_by=Records(
        queryset=lambda as_of: events(cld.REVIEW).filter(end_date__isnull=False),
        date="end_date",
        ref="reference",
        label="Review",
    ),
    action="Arrange the planned review",
)
