"""A small but varied CLD file, built by hand, written exactly as the export writes rows (so the
import -> export round trip can compare whole rows), and helpers to write and read CLD text."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from carebridge.rules import cld
from carebridge.rules.cld_validation import FIELD_NAMES

LA = "999"
START, END = "2025-04-01", "2026-03-31"
CARER_PSR = "Social support: Support to unpaid carer"
WHITE_BRITISH = "White: English, Welsh, Scottish, Northern Irish or British"

ANN = {
    "NHS_Number": "9999000010",
    "LA_Person_Unique_Identifier": "LEG-0001",
    "First_Name": "Ann",
    "Last_Name": "Archer",
    "GP_Practice_Code": "A81001",
    "GP_Practice_Name": "Riverside Surgery",
    "Gender": "Female",
    "Ethnicity": WHITE_BRITISH,
    "Date_of_Birth": "1941-02-03",
    "Primary_Support_Reason": "Physical Support: Personal care support",
    "Postcode": "NR1 2DH",
    "Accommodation_Status": "Owner occupier or shared ownership scheme",
    "Has_Unpaid_Carer": "Yes",
    "Client_Funding_Status": "Fully social care funded",
}
BOB = {
    "NHS_Number": "9999000029",
    "LA_Person_Unique_Identifier": "LEG-0002",
    "First_Name": "Bob",
    "Last_Name": "Baker",
    "Gender": "Male",
    "Ethnicity": "Asian or Asian British: Indian",
    "Date_of_Birth": "1980-07-14",
    "Date_of_Death": "2025-12-01",
    "Primary_Support_Reason": "Learning disability support",
    "Postcode": "IP1 1AA",
    "Accommodation_Status": "Supported accommodation, supported lodgings or supported group home",
    "Employment_Status": "Unknown",
    "Has_Unpaid_Carer": "Unknown",
    "Client_Funding_Status": "Unknown",
}
CAT = {
    "NHS_Number": "9999000037",
    "LA_Person_Unique_Identifier": "LEG-0003",
    "First_Name": "Cat",
    "Last_Name": "Cooper",
    "GP_Practice_Code": "A81002",
    "GP_Practice_Name": "Hill Street Practice",
    "Gender": "Female",
    "Ethnicity": WHITE_BRITISH,
    "Date_of_Birth": "1970-11-30",
    "Primary_Support_Reason": "Mental health support",
    "Postcode": "NR2 4SQ",
    "Accommodation_Status": "Tenant: Private landlord",
    "Employment_Status": "Paid: Less than 16 hours a week",
    "Has_Unpaid_Carer": "Yes",
    "Client_Funding_Status": "Joint client and social care funded",
}
CAROL = {  # an unpaid carer with events of her own, caring for Ann and Cat
    "NHS_Number": "9999000045",
    "LA_Person_Unique_Identifier": "LEG-0004",
    "First_Name": "Carol",
    "Last_Name": "Archer",
    "Gender": "Female",
    "Ethnicity": WHITE_BRITISH,
    "Date_of_Birth": "1968-05-05",
    "Postcode": "NR1 2DH",
    "Primary_Support_Reason": CARER_PSR,
    "Accommodation_Status": "Owner occupier or shared ownership scheme",
    "Employment_Status": "Paid: 16 or more hours a week",
    "Has_Unpaid_Carer": "Unknown",
    "No_of_adults_being_cared_for": "2",
    "Adult_1_Linked_Person_ID": "LEG-0001",
    "Adult_2_Linked_Person_ID": "LEG-0003",
}
DAN = {  # an unpaid carer known only by association with Cat
    "NHS_Number": "9999000053",
    "LA_Person_Unique_Identifier": "LEG-0005",
    "First_Name": "Dan",
    "Last_Name": "Cooper",
    "Gender": "Male",
    "Ethnicity": WHITE_BRITISH,
    "Date_of_Birth": "1969-01-01",
    "Postcode": "NR2 4SQ",
    "Primary_Support_Reason": CARER_PSR,
    "Accommodation_Status": "Unknown",
    "Has_Unpaid_Carer": "Unknown",
    "No_of_adults_being_cared_for": "1",
    "Adult_1_Linked_Person_ID": "LEG-0003",
}


def row(person: dict[str, str], client_type: str = cld.SERVICE_USER, **event: str) -> dict:
    values = dict.fromkeys(FIELD_NAMES, "")
    values.update(
        LA_Code=LA, Reporting_Period_Start_Date=START, Reporting_Period_End_Date=END, **person
    )
    values["Client_Type"] = client_type
    for name, value in event.items():
        assert name in values, name
        values[name] = value
    return values


def request(ref: str, start: str, end: str, outcome: str, route: str) -> dict[str, str]:
    return dict(
        Event_Type="Request",
        Event_Reference=ref,
        Event_Start_Date=start,
        Event_End_Date=end,
        Event_Outcome=outcome,
        Request_Route_of_Access=route,
    )


def assessment(ref, start, end, outcome, kind="Long term assessment", method="Face to face"):
    return dict(
        Event_Type="Assessment",
        Event_Reference=ref,
        Event_Start_Date=start,
        Event_End_Date=end,
        Event_Outcome=outcome,
        Assessment_Type=kind,
        Method_of_Assessment=method,
    )


def service(
    ref,
    start,
    end,
    outcome,
    stype,
    component,
    mechanism,
    cost,
    frequency,
    units,
    cqc="",
    provider="",
):
    return dict(
        Event_Type="Service",
        Event_Reference=ref,
        Event_Start_Date=start,
        Event_End_Date=end,
        Event_Outcome=outcome,
        Service_Type=stype,
        Service_Component=component,
        Delivery_Mechanism=mechanism,
        Provider_CQC_Location_ID=cqc,
        Provider_CQC_Location_Name=provider,
        Unit_Cost=cost,
        Cost_Frequency_Unit_Type=frequency,
        Planned_units_per_week=units,
    )


def review(ref, start, end, outcome, reason, method, achieved=""):
    return dict(
        Event_Type="Review",
        Event_Reference=ref,
        Event_Start_Date=start,
        Event_End_Date=end,
        Event_Outcome=outcome,
        Review_Reason=reason,
        Method_of_Review=method,
        Review_Outcomes_Achieved=achieved,
    )


def varied_rows() -> list[dict[str, str]]:
    """Service users and carers; requests with routes; assessments with types and methods;
    services open and closed, with providers, costs and a direct payment; reviews; a person who
    died with an open service; carers linked to service users, one known by association;
    accommodation, employment and funding statuses."""
    carer = cld.UNPAID_CARER
    return [
        row(
            ANN,
            **request(
                "LR-1",
                "2025-04-10",
                "2025-04-12",
                cld.OUTCOME_TO_ASSESSMENT,
                "Discharge from Hospital",
            ),
        ),
        row(
            ANN,
            **assessment(
                "LA-1",
                "2025-04-14",
                "2025-05-02",
                "Progress to support planning or services",
                method="Telephone",
            ),
        ),
        row(
            ANN,
            **service(
                "LS-1",
                "2025-05-05",
                "",
                "Continuation of support or services",
                "Long term support: Community",
                "Home support or domiciliary care",
                "CASSR commissioned support",
                "24.50",
                "Hourly",
                "10.00",
                "1-123456789",
                "Acme Home Care",
            ),
        ),
        row(
            ANN,
            **service(
                "LS-2",
                "2025-06-01",
                "2025-11-30",
                "NFA: Support ended as planned",
                "Long term support: Community",
                "Direct payment",
                "Direct payment",
                "250.00",
                "Weekly",
                "1.00",
            ),
        ),
        row(
            ANN,
            **review(
                "LV-1",
                "2025-10-01",
                "2025-10-03",
                "Continuation of support or services",
                "Planned",
                "Service User and Carer",
                "Partially Met",
            ),
        ),
        row(
            ANN,
            **review(
                "LV-2",
                "2026-01-05",
                "2026-01-06",
                "Continuation of support or services",
                "Unplanned - Hospital (Planned and unplanned episodes)",
                "Service User Only",
            ),
        ),
        row(
            BOB,
            **request(
                "LR-2",
                "2025-05-01",
                "2025-05-01",
                "Progress to reablement/ST-Max",
                "Community / Other route",
            ),
        ),
        row(
            BOB,
            **service(
                "LS-3",
                "2025-05-02",
                "2025-06-10",
                "Progress to assessment, review or reassessment",
                "Short term support: ST-Max",
                "Reablement",
                "CASSR commissioned support",
                "",
                "",
                "",
                "1-987654321",
                "Eastern Reablement",
            ),
        ),
        row(
            BOB,
            **service(
                "LS-4",
                "2025-06-11",
                "2025-12-01",
                "NFA: Deceased",
                "Long term support: Residential care",
                "Long term residential care",
                "CASSR commissioned support",
                "700.00",
                "Weekly",
                "1.00",
                "1-555000111",
                "Oak House",
            ),
        ),
        row(
            CAT,
            **request("LR-3", "2025-07-01", "2025-07-03", cld.OUTCOME_TO_ASSESSMENT, "Self-Funder"),
        ),
        row(
            CAT,
            **assessment(
                "LA-2",
                "2025-07-04",
                "2025-07-30",
                "NFA: Self-funded client or under 12wk disregard",
                kind="Short term assessment",
                method="Video call",
            ),
        ),
        row(
            CAT,
            **assessment(
                "LA-3", "2025-08-01", "2025-08-05", "", kind="Financial Assessment", method=""
            ),
        ),
        row(
            CAT,
            **service(
                "LS-5",
                "2025-08-10",
                "",
                "Continuation of support or services",
                "Long term support: Community",
                "Day support",
                "CASSR managed personal budget",
                "55.00",
                "Per session",
                "2.00",
                "1-123456789",
                "Acme Home Care",
            ),
        ),
        row(
            CAROL,
            carer,
            **request(
                "LR-4",
                "2025-06-01",
                "2025-06-02",
                cld.OUTCOME_TO_ASSESSMENT,
                "Community / Other route",
            ),
        ),
        row(
            CAROL,
            carer,
            **assessment(
                "LA-4", "2025-06-03", "2025-06-20", "Progress to support planning or services"
            ),
        ),
        row(
            CAROL,
            carer,
            **service(
                "LS-6",
                "2025-07-01",
                "2025-07-01",
                "NFA: Support ended as planned",
                "Unpaid carer support: Direct to unpaid carer",
                "Other unpaid carer support",
                "Direct payment",
                "300.00",
                "One-off",
                "1.00",
            ),
        ),
        row(DAN, cld.UNPAID_CARER_BY_ASSOCIATION),
    ]


def csv_text(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(FIELD_NAMES)
    for r in rows:
        w.writerow([r[name] for name in FIELD_NAMES])
    return out.getvalue()


def write(tmp_path: Path, rows: list[dict[str, str]] | str, name: str = "legacy.csv") -> Path:
    path = tmp_path / name
    path.write_text(rows if isinstance(rows, str) else csv_text(rows), encoding="utf-8")
    return path


def multiset(text: str) -> Counter[tuple[str, ...]]:
    """The data rows of CLD text, as a multiset of whole rows (every column)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    assert tuple(next(reader)) == FIELD_NAMES
    return Counter(tuple(r) for r in reader)
