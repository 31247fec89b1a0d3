"""Hand-made CLD rows for the validator's tests: one valid row per kind of row, any field
overridden by keyword, written as CSV text."""

from __future__ import annotations

import csv
import io

from carebridge.rules.cld_validation import FIELD_NAMES

PERSON = {
    "LA_Code": "926",
    "Reporting_Period_Start_Date": "2025-04-01",
    "Reporting_Period_End_Date": "2026-03-31",
    "NHS_Number": "9434765919",
    "LA_Person_Unique_Identifier": "P0001",
    "First_Name": "Alex",
    "Last_Name": "Smith",
    "GP_Practice_Code": "A81001",
    "GP_Practice_Name": "Riverside Surgery",
    "Gender": "Male",
    "Ethnicity": "White: Irish",
    "Date_of_Birth": "1950-06-15",
    "Client_Type": "Service user",
    "Primary_Support_Reason": "Physical Support: Personal care support",
    "Postcode": "NR1 2DH",
    "Accommodation_Status": "Owner occupier or shared ownership scheme",
    "Has_Unpaid_Carer": "No",
    "Client_Funding_Status": "Fully social care funded",
}

EVENTS = {
    "request": {
        "Event_Type": "Request",
        "Event_Reference": "E1",
        "Event_Start_Date": "2025-06-01",
        "Event_End_Date": "2025-06-10",
        "Event_Outcome": "Progress to assessment, review or reassessment",
        "Request_Route_of_Access": "Community / Other route",
    },
    "assessment": {
        "Event_Type": "Assessment",
        "Event_Start_Date": "2025-07-01",
        "Event_End_Date": "2025-07-20",
        "Event_Outcome": "Progress to support planning or services",
        "Assessment_Type": "Long term assessment",
        "Method_of_Assessment": "Face to face",
    },
    "service": {
        "Event_Type": "Service",
        "Event_Start_Date": "2025-08-01",
        "Event_Outcome": "Continuation of support or services",
        "Service_Type": "Long term support: Community",
        "Service_Component": "Home support or domiciliary care",
        "Delivery_Mechanism": "Direct payment",
        "Unit_Cost": "250.00",
        "Cost_Frequency_Unit_Type": "Weekly",
        "Planned_units_per_week": "1",
    },
    "review": {
        "Event_Type": "Review",
        "Event_Start_Date": "2025-09-01",
        "Event_End_Date": "2025-09-15",
        "Event_Outcome": "Continuation of support or services",
        "Review_Reason": "Planned",
        "Review_Outcomes_Achieved": "Fully Met",
        "Method_of_Review": "Service User Only",
    },
    "carer assessment": {
        "LA_Person_Unique_Identifier": "C0001",
        "NHS_Number": "4010232137",
        "Client_Type": "Unpaid carer",
        "Primary_Support_Reason": "Social support: Support to unpaid carer",
        "Client_Funding_Status": "",
        "Event_Type": "Assessment",
        "Event_Start_Date": "2025-07-01",
        "Event_End_Date": "2025-07-20",
        "Event_Outcome": "Progress to support planning or services",
        "Assessment_Type": "Long term assessment",
        "Method_of_Assessment": "Face to face",
        "Adult_1_Linked_Person_ID": "P0001",
    },
    "carer by association": {
        "LA_Person_Unique_Identifier": "C0002",
        "NHS_Number": "4010232137",
        "Client_Type": "Unpaid carer known by association",
        "Primary_Support_Reason": "",
        "Client_Funding_Status": "",
        "Adult_1_Linked_Person_ID": "P0001",
        "No_of_adults_being_cared_for": "1",
    },
}
KINDS = tuple(EVENTS)


def row(kind: str = "request", **overrides: str) -> dict[str, str]:
    """A valid row of a kind (see ``KINDS``), every CLD field present, with overrides."""
    values = dict.fromkeys(FIELD_NAMES, "")
    values.update(PERSON)
    values.update(EVENTS[kind])
    for name, value in overrides.items():
        assert name in values, name
        values[name] = value
    return values


def csv_text(*rows: dict[str, str], header: list[str] | None = None) -> str:
    """CSV text of rows under a header (every CLD field, in order, unless given)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    columns = header if header is not None else list(FIELD_NAMES)
    w.writerow(columns)
    for r in rows:
        w.writerow([r.get(c, "") for c in columns])
    return out.getvalue()


def service_user_for_links() -> dict[str, str]:
    """The service user (P0001) that the carer rows link to."""
    return row("service")
