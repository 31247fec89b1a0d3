"""A compact builder of CLD Release 2 rows for the SALT/ASCOF tests (synthetic people only)."""

from __future__ import annotations

LTS_NURSING = "Long term support: Nursing care"
LTS_RESIDENTIAL = "Long term support: Residential care"
LTS_COMMUNITY = "Long term support: Community"
LTS_PRISON = "Long term support: Prison"
ST_MAX = "Short term support: ST-Max"
LOW_LEVEL = "Short term support: Ongoing low level"
OTHER_ST = "Short term support: Other short term"
DP = "Direct payment"
MPB = "CASSR managed personal budget"
COMMISSIONED = "CASSR commissioned support"
LD = "Learning disability support"
MH = "Mental health support"

_FIELDS = {
    "event": "Event_Type",
    "start": "Event_Start_Date",
    "end": "Event_End_Date",
    "service": "Service_Type",
    "component": "Service_Component",
    "mech": "Delivery_Mechanism",
    "psr": "Primary_Support_Reason",
    "born": "Date_of_Birth",
    "died": "Date_of_Death",
    "client": "Client_Type",
    "outcome": "Event_Outcome",
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "accommodation": "Accommodation_Status",
    "employment": "Employment_Status",
    "carer": "Has_Unpaid_Carer",
    "route": "Request_Route_of_Access",
    "assessment_type": "Assessment_Type",
    "review_reason": "Review_Reason",
    "nhs": "NHS_Number",
    "linked": "Adult_1_Linked_Person_ID",
}


def row(person: str = "P1", **kw: str) -> dict[str, str]:
    """One CLD row: an open LTS community service for a 55-year-old woman unless told
    otherwise. Keyword names are short forms of the CLD fields (see ``_FIELDS``)."""
    values = {
        "event": "Service",
        "start": "2025-06-01",
        "end": "",
        "service": LTS_COMMUNITY,
        "component": "Home support or domiciliary care",
        "mech": "",
        "psr": MH,
        "born": "1970-06-15",
        "died": "",
        "client": "Service user",
        "outcome": "",
        "gender": "Female",
        "ethnicity": "White: Irish",
        "accommodation": "Tenant: Private landlord",
        "employment": "",
        "carer": "No",
        "route": "",
        "assessment_type": "",
        "review_reason": "",
        "nhs": "",
        "linked": "",
    }
    unknown = set(kw) - set(values)
    if unknown:
        raise TypeError(f"row() got unknown fields {sorted(unknown)}")
    values.update(kw)
    out = {_FIELDS[k]: v for k, v in values.items()}
    out.update(
        {
            "LA_Code": "999",
            "LA_Person_Unique_Identifier": person,
            "Reporting_Period_Start_Date": "2025-04-01",
            "Reporting_Period_End_Date": "2026-03-31",
        }
    )
    return out


def request(person: str = "P1", **kw: str) -> dict[str, str]:
    base = {"event": "Request", "service": "", "component": "", "route": "Community / Other route"}
    base.update(kw)
    return row(person, **base)


def assessment(person: str = "P1", **kw: str) -> dict[str, str]:
    base = {"event": "Assessment", "service": "", "component": "",
            "assessment_type": "Long term assessment"}  # fmt: skip
    base.update(kw)
    return row(person, **base)


def review(person: str = "P1", **kw: str) -> dict[str, str]:
    base = {"event": "Review", "service": "", "component": "", "review_reason": "Planned"}
    base.update(kw)
    return row(person, **base)
