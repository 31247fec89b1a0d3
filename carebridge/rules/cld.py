"""Client Level Data (CLD) code lists: the one home for every CLD vocabulary in carebridge.

The lists are data (``data/cld_codes.csv``), one row per permitted value with its release, its
Release 1 equivalent, how sure we are of the exact text, and the source it was read from
(DHSC ``ASC-CLD-LA-Dashboard`` SQL, NHS England's SALT/ASCOF transformation code and the CLD
guidance Release 1 glossary). A council that holds the AGEM Release 2 mapping workbook can
correct a value in that file without a code change (ADR 0004).

Only Release 2 values are offered for new recording. Release 1 values are kept so that data
imported from older returns can be mapped; ``r1_only`` lists them. A ``local`` release marks a
list no source publishes at all (Method_of_Assessment): carebridge's own provisional wording,
confidence low, recorded so the mandatory field can be filled until the official list is known.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "cld_codes.csv"
SPECIFICATION = "Adult Social Care Client Level Data, Release 2 (NHS England / DHSC)"

# Field names exactly as they appear as CLD column headers.
EVENT_TYPE = "Event_Type"
CLIENT_TYPE = "Client_Type"
GENDER = "Gender"
ETHNICITY = "Ethnicity"
ROUTE_OF_ACCESS = "Request_Route_of_Access"
ASSESSMENT_TYPE = "Assessment_Type"
METHOD_OF_REVIEW = "Method_of_Review"
METHOD_OF_ASSESSMENT = "Method_of_Assessment"
REVIEW_OUTCOMES_ACHIEVED = "Review_Outcomes_Achieved"
SERVICE_TYPE = "Service_Type"
SERVICE_COMPONENT = "Service_Component"
DELIVERY_MECHANISM = "Delivery_Mechanism"
PRIMARY_SUPPORT_REASON = "Primary_Support_Reason"
ACCOMMODATION_STATUS = "Accommodation_Status"
EMPLOYMENT_STATUS = "Employment_Status"
EVENT_OUTCOME = "Event_Outcome"
REVIEW_REASON = "Review_Reason"
CLIENT_FUNDING_STATUS = "Client_Funding_Status"
COST_FREQUENCY = "Cost_Frequency_Unit_Type"
HAS_UNPAID_CARER = "Has_Unpaid_Carer"
VISUAL_IMPAIRMENT = "Visual_Impairment"
HEARING_IMPAIRMENT = "Hearing_Impairment"

# Event types (CLD Event_Type).
REQUEST = "Request"
ASSESSMENT = "Assessment"
SERVICE = "Service"
REVIEW = "Review"
EVENT_TYPES = (REQUEST, ASSESSMENT, SERVICE, REVIEW)

SERVICE_USER = "Service user"
UNPAID_CARER = "Unpaid carer"
UNPAID_CARER_BY_ASSOCIATION = "Unpaid carer known by association"

UNKNOWN = "Unknown"

# Accommodation statuses that count as settled (SALT LTS004 table 2a; ASCOF 2E numerator).
# Source: DHSC ASC-CLD-LA-Dashboard ASCOF_measures/Create_ASCOF_2E script; NHSE ASCOF 2E notes.
SETTLED_ACCOMMODATION = frozenset(
    {
        "Owner occupier or shared ownership scheme",
        "Tenant: Local authority or other social housing provider",
        "Tenant: Private landlord",
        "Settled mainstream housing with family or friends",
        "Supported accommodation, supported lodgings or supported group home",
        "Shared Lives scheme",
        "Approved premises for offenders released from prison or under probation supervision",
        "Sheltered housing, extra care housing or other sheltered housing",
        "Mobile accommodation for Gypsy, Roma and Traveller communities",
    }
)

# Codes the rules name (each checked against its code list by tests/rules/test_cld.py).
OUTCOME_TO_ASSESSMENT = "Progress to assessment, review or reassessment"  # Event_Outcome
OUTCOME_SUPPORT_DECLINED = "NFA: Support declined"  # Event_Outcome
FINANCIAL_ASSESSMENT = "Financial Assessment"  # Assessment_Type: not a s9/s10 assessment

LONG_TERM_SUPPORT_PREFIX = "Long term support:"
SHORT_TERM_SUPPORT_PREFIX = "Short term support:"
CARER_SUPPORT_PREFIX = "Unpaid carer support:"


@dataclass(frozen=True, slots=True)
class Code:
    field: str
    value: str
    release: str
    r1_equivalent: str
    notes: str
    confidence: str
    source: str


@cache
def _all_codes() -> tuple[Code, ...]:
    with DATA_FILE.open(newline="", encoding="utf-8") as f:
        return tuple(
            Code(
                field=row["field_name"],
                value=row["value"],
                release=row["release"],
                r1_equivalent=row["r1_equivalent"],
                notes=row["notes"],
                confidence=row["confidence"],
                source=row["source"],
            )
            for row in csv.DictReader(f)
        )


# Fields where CLD Release 2 text was not published and the Release 1 list is used for recording
# until the AGEM mapping is confirmed (see data file notes and ADR 0004).
_R1_LISTS_IN_USE = frozenset(
    {ROUTE_OF_ACCESS, METHOD_OF_REVIEW, REVIEW_REASON, REVIEW_OUTCOMES_ACHIEVED}
)
# carebridge's own provisional values for a list no source publishes (release "local").
LOCAL = "local"
# Release 1 values that remain valid recording choices alongside Release 2 (no R2 replacement).
_R1_VALUES_IN_USE = {ASSESSMENT_TYPE: {FINANCIAL_ASSESSMENT}, GENDER: {"Other", "Unknown"}}


def codes(field: str) -> tuple[str, ...]:
    """Values that may be recorded today for a CLD field, in specification order."""
    out = []
    for c in _all_codes():
        if c.field != field:
            continue
        if (
            c.release in ("R2", LOCAL)
            or field in _R1_LISTS_IN_USE
            or c.value in _R1_VALUES_IN_USE.get(field, ())
        ):
            out.append(c.value)
    if not out:
        raise KeyError(f"No CLD code list for field {field!r}")
    return tuple(out)


def r1_only(field: str) -> tuple[str, ...]:
    """Release 1 values that have no Release 2 equivalent (accepted only on import)."""
    return tuple(
        c.value
        for c in _all_codes()
        if c.field == field and c.release == "R1" and c.value not in codes(field)
    )


def release1_text(field: str) -> dict[str, str]:
    """Release 1 text of a field -> the Release 2 value that replaced it ("" when Release 2 has
    none), for values that are not themselves valid today. Several R1 values may share one R2
    value; ``codes.csv`` lists them in ``r1_equivalent`` separated by " | "."""
    valid = set(codes(field))
    out: dict[str, str] = {}
    for c in _all_codes():
        if c.field != field:
            continue
        if c.release == "R2":
            for old in c.r1_equivalent.split(" | "):
                old = old.strip()
                if old and old not in valid:
                    out[old] = c.value
        elif c.value not in valid:
            out[c.value] = ""
    return out


def code_detail(field: str, value: str) -> Code:
    for c in _all_codes():
        if c.field == field and c.value == value:
            return c
    raise KeyError(f"{value!r} is not a {field} value")


def is_valid(field: str, value: str) -> bool:
    return value in codes(field)


def choices(field: str) -> list[tuple[str, str]]:
    """``(value, label)`` pairs for forms: the CLD text is both the stored value and the label."""
    return [(v, v) for v in codes(field)]


def method_of_assessment_required(assessment_type: str) -> bool:
    """Method_of_Assessment is mandatory on every assessment except a financial one (fields.csv
    Method_of_Assessment condition; rules.md s7, DHSC's R1-era DQ rule)."""
    return assessment_type.strip().casefold() != FINANCIAL_ASSESSMENT.casefold()


def review_outcomes_required(review_reason: str) -> bool:
    """Review_Outcomes_Achieved is mandatory on planned reviews only: a Review_Reason starting
    'Planned' (fields.csv Review_Outcomes_Achieved condition; rules.md s6 review type, s7)."""
    return review_reason.strip().casefold().startswith("planned")


def is_long_term_support(service_type: str) -> bool:
    return service_type.startswith(LONG_TERM_SUPPORT_PREFIX)


def outcome_rank(outcome: str) -> int:
    """DHSC de-duplication hierarchy (1 kept first), from the notes on each Event_Outcome value."""
    order = codes(EVENT_OUTCOME)
    return order.index(outcome) + 1 if outcome in order else len(order) + 1
