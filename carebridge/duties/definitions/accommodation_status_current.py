from ..spec import Basis, Duty, Period, Records
from ._common import long_term_support_open_on


def _records(as_of):
    from carebridge.people.models import AccommodationStatusRecord

    return AccommodationStatusRecord.objects.all()


DUTY = Duty(
    id="accommodation-status-current",
    title="Accommodation status recorded in the last 12 months",
    wording=(
        "Everyone on long-term support has their accommodation status recorded, and checked at "
        "least every 12 months. It is reported in the Client Level Data return and feeds the "
        "national measures of settled accommodation."
    ),
    citation=(
        "Adult Social Care Client Level Data specification, Release 2 (Accommodation_Status); "
        "ASCOF 2E and 2F"
    ),
    url="https://digital.nhs.uk/data-and-information/data-collections-and-data-sets/data-collections/adult-social-care-client-level-data",
    basis=Basis.LOCAL,
    period=Period(months=12),
    first_period=Period(days=0),
    recurring=True,
    earlier_records_count=True,
    starts=Records(
        queryset=long_term_support_open_on,
        date="start_date",
        ref="reference",
        label="Long-term support began",
    ),
    met_by=Records(
        queryset=_records,
        date="valid_from",
        ref="status",
        label="Accommodation status recorded",
    ),
    action="Check and record the person's accommodation status",
)
