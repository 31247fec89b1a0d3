"""The CLD export (``carebridge.returns.cld_export``): small hand-built histories and the exact
rows they give (rules.md s1, s3, s4, s5c; fields.csv)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest

from carebridge.organisations.models import Organisation
from carebridge.people.models import AccommodationStatusRecord, CarerRelationship
from carebridge.returns import cld_export
from carebridge.rules import cld
from carebridge.rules.cld_validation import FIELD_NAMES, validate_csv
from tests.factories import EventFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

START, END = dt.date(2025, 4, 1), dt.date(2026, 3, 31)
SPEC = Path("/work/shared/reference/cld/fields.csv")


@pytest.fixture(autouse=True)
def council():
    return OrganisationFactory(kind=Organisation.COUNCIL, name="Test Council", cassr_code="999")


def export() -> list[dict[str, str]]:
    out = io.StringIO()
    cld_export.write(out, START, END)
    out.seek(0)
    reader = csv.DictReader(out)
    assert tuple(reader.fieldnames) == FIELD_NAMES
    return list(reader)


def filled(row: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in row.items() if v}


def person_part(p, **extra) -> dict[str, str]:
    return {
        "LA_Code": "999",
        "Reporting_Period_Start_Date": "2025-04-01",
        "Reporting_Period_End_Date": "2026-03-31",
        "NHS_Number": p.nhs_number,
        "LA_Person_Unique_Identifier": p.person_id,
        "First_Name": p.given_name,
        "Last_Name": p.family_name,
        "Gender": "Female",
        "Ethnicity": "White: English, Welsh, Scottish, Northern Irish or British",
        "Date_of_Birth": "1950-03-27",
        "Client_Type": cld.SERVICE_USER,
        "Primary_Support_Reason": "Mental health support",
        "Postcode": "NR1 2DH",
        "Accommodation_Status": "Unknown",
        "Has_Unpaid_Carer": "Unknown",
        "Client_Funding_Status": "Unknown",
        **extra,
    }


def test_header_is_every_release_2_field_in_specification_order():
    if SPEC.exists():
        with SPEC.open(newline="", encoding="utf-8") as f:
            assert tuple(r["field_name"] for r in csv.DictReader(f)) == FIELD_NAMES
    assert export() == []


def test_each_event_type_gives_its_exact_row():
    p = PersonFactory()
    AccommodationStatusRecord.objects.create(
        person=p, valid_from=dt.date(2020, 1, 1), status="Owner occupier or shared ownership scheme"
    )
    AccommodationStatusRecord.objects.create(
        person=p, valid_from=dt.date(2026, 6, 1), status="Registered care home"
    )  # after the period: not yet the status
    provider = OrganisationFactory(
        kind=Organisation.PROVIDER, name="Acme Care", cqc_location_id="1-123456789"
    )
    EventFactory(
        person=p,
        reference="R1",
        start_date=dt.date(2025, 5, 1),
        end_date=dt.date(2025, 5, 2),
        outcome=cld.OUTCOME_TO_ASSESSMENT,
    )
    EventFactory(
        person=p,
        reference="A1",
        event_type=cld.ASSESSMENT,
        assessment_type="Long term assessment",
        method_of_assessment="Telephone",
        start_date=dt.date(2025, 5, 3),
        end_date=dt.date(2025, 6, 1),
        outcome="Progress to support planning or services",
        route_of_access="",
    )
    EventFactory(
        person=p,
        reference="S1",
        event_type=cld.SERVICE,
        service_type="Long term support: Community",
        service_component="Home support or domiciliary care",
        delivery_mechanism="CASSR commissioned support",
        provider=provider,
        unit_cost=Decimal("24.5"),
        cost_frequency="Hourly",
        planned_units_per_week=Decimal(10),
        start_date=dt.date(2025, 6, 2),
        end_date=None,
        outcome="",
        route_of_access="",
    )
    EventFactory(person=p, reference="V1", event_type=cld.REVIEW, review_reason="Planned",
                 method_of_review="Service User Only", review_outcomes_achieved="Partially Met",
                 start_date=dt.date(2025, 9, 1),
                 end_date=dt.date(2025, 9, 3), outcome="Continuation of support or services",
                 route_of_access="")  # fmt: skip
    base = person_part(p, Accommodation_Status="Owner occupier or shared ownership scheme")
    rows = export()
    assert [filled(r) for r in rows] == [
        {**base, "Event_Type": "Request", "Event_Reference": "R1",
         "Event_Start_Date": "2025-05-01", "Event_End_Date": "2025-05-02",
         "Event_Outcome": cld.OUTCOME_TO_ASSESSMENT,
         "Request_Route_of_Access": "Community / Other route"},
        {**base, "Event_Type": "Assessment", "Event_Reference": "A1",
         "Event_Start_Date": "2025-05-03", "Event_End_Date": "2025-06-01",
         "Event_Outcome": "Progress to support planning or services",
         "Assessment_Type": "Long term assessment", "Method_of_Assessment": "Telephone"},
        {**base, "Event_Type": "Service", "Event_Reference": "S1",
         "Event_Start_Date": "2025-06-02",
         "Event_Outcome": "Continuation of support or services",
         "Service_Type": "Long term support: Community",
         "Service_Component": "Home support or domiciliary care",
         "Delivery_Mechanism": "CASSR commissioned support",
         "Provider_CQC_Location_ID": "1-123456789", "Provider_CQC_Location_Name": "Acme Care",
         "Unit_Cost": "24.50", "Cost_Frequency_Unit_Type": "Hourly",
         "Planned_units_per_week": "10.00"},
        {**base, "Event_Type": "Review", "Event_Reference": "V1",
         "Event_Start_Date": "2025-09-01", "Event_End_Date": "2025-09-03",
         "Event_Outcome": "Continuation of support or services", "Review_Reason": "Planned",
         "Method_of_Review": "Service User Only", "Review_Outcomes_Achieved": "Partially Met"},
    ]  # fmt: skip


def test_excluded_events_are_left_out():
    p = PersonFactory()
    kept = EventFactory(person=p, start_date=dt.date(2025, 3, 20), end_date=dt.date(2025, 4, 2))
    EventFactory(
        person=p, cancelled=True, start_date=dt.date(2025, 5, 1), end_date=dt.date(2025, 5, 1)
    )  # cancelled
    EventFactory(person=p, start_date=dt.date(2025, 3, 1), end_date=dt.date(2025, 3, 31))  # before
    EventFactory(person=p, start_date=dt.date(2026, 3, 30), end_date=dt.date(2026, 4, 1))  # after
    EventFactory(
        person=p,
        event_type=cld.ASSESSMENT,
        assessment_type="Long term assessment",
        start_date=dt.date(2026, 1, 1),
        end_date=None,
        outcome="",
    )  # still open
    EventFactory(person=p, event_type=cld.SERVICE, service_type="Short term support: ST-Max",
                 service_component="Reablement", start_date=dt.date(2024, 1, 1),
                 end_date=dt.date(2025, 3, 31))  # ended before the period  # fmt: skip
    EventFactory(
        person=p,
        event_type=cld.SERVICE,
        service_type="Short term support: ST-Max",
        service_component="Reablement",
        start_date=dt.date(2026, 4, 1),
        end_date=None,
    )  # after
    # An assessment of a type CLD does not collect (e.g. recorded before the type was set, as
    # a Mental Health Act or safeguarding assessment would be): not an Assessment_Type.
    EventFactory(
        person=p,
        event_type=cld.ASSESSMENT,
        assessment_type="",
        start_date=dt.date(2025, 6, 1),
        end_date=dt.date(2025, 6, 2),
    )
    assert [r["Event_Reference"] for r in export()] == [kept.reference]


def test_service_open_across_the_period_start_and_a_person_who_died():
    p = PersonFactory()
    EventFactory(
        person=p,
        reference="S-OLD",
        event_type=cld.SERVICE,
        service_type="Short term support: Ongoing low level",
        service_component="Meals",
        delivery_mechanism="CASSR commissioned support",
        start_date=dt.date(2024, 11, 1),
        end_date=dt.date(2025, 4, 10),
        outcome="NFA: Support ended as planned",
    )
    died = PersonFactory(date_of_death=dt.date(2025, 12, 24))
    EventFactory(
        person=died,
        reference="S-DIED",
        event_type=cld.SERVICE,
        service_type="Short term support: Ongoing low level",
        service_component="Meals",
        delivery_mechanism="CASSR commissioned support",
        start_date=dt.date(2025, 5, 1),
        end_date=None,
        outcome="",
    )
    EventFactory(
        person=died,
        reference="R-AFTER",
        start_date=dt.date(2026, 1, 2),
        end_date=dt.date(2026, 1, 3),
    )  # after death: dropped (rules.md s3)
    gone = PersonFactory(date_of_death=dt.date(2025, 3, 1))
    EventFactory(person=gone, event_type=cld.SERVICE, service_type="Long term support: Prison",
                 service_component="Other long term support", start_date=dt.date(2024, 1, 1),
                 end_date=None)  # died before the period  # fmt: skip
    rows = {r["Event_Reference"]: r for r in export()}
    assert set(rows) == {"S-OLD", "S-DIED"}
    assert rows["S-OLD"]["Event_Start_Date"] == "2024-11-01"  # the original start is kept
    assert rows["S-OLD"]["Event_End_Date"] == "2025-04-10"
    assert rows["S-DIED"]["Date_of_Death"] == "2025-12-24"
    assert rows["S-DIED"]["Event_End_Date"] == "2025-12-24"  # derived end (rules.md s3)
    assert rows["S-DIED"]["Event_Outcome"] == "NFA: Deceased"


def test_carers_linked_person_ids_and_known_by_association():
    cared = PersonFactory()
    EventFactory(
        person=cared, reference="SU", start_date=dt.date(2025, 7, 1), end_date=dt.date(2025, 7, 2)
    )
    carer = PersonFactory(given_name="Carol")
    CarerRelationship.objects.create(
        carer=carer,
        cared_for=cared,
        relationship="spouse",
        is_main_carer=True,
        started_on=dt.date(2020, 1, 1),
    )
    EventFactory(
        person=carer,
        reference="CR",
        client_type=cld.UNPAID_CARER,
        route_of_access="",
        start_date=dt.date(2025, 7, 1),
        end_date=dt.date(2025, 7, 1),
    )
    silent = PersonFactory(given_name="Sam")  # a second carer with no event of their own
    CarerRelationship.objects.create(
        carer=silent, cared_for=cared, relationship="son", started_on=dt.date(2021, 1, 1)
    )
    not_user = PersonFactory()  # cared for, but no service-user event in the submission
    CarerRelationship.objects.create(carer=silent, cared_for=not_user, relationship="friend")
    ended = PersonFactory()  # caring ended before the period: not linked
    CarerRelationship.objects.create(carer=ended, cared_for=cared, relationship="friend",
                                     ended_on=dt.date(2024, 1, 1))  # fmt: skip
    rows = export()
    by_ref = {r["Event_Reference"]: r for r in rows if r["Event_Reference"]}
    assert by_ref["SU"]["Has_Unpaid_Carer"] == "Yes"
    carer_row = by_ref["CR"]
    assert carer_row["Client_Type"] == cld.UNPAID_CARER
    assert carer_row["Primary_Support_Reason"] == cld_export.CARER_PSR
    assert carer_row["Request_Route_of_Access"] == "Community / Other route"
    assert carer_row["Adult_1_Linked_Person_ID"] == cared.person_id
    assert carer_row["No_of_adults_being_cared_for"] == "1"
    assert carer_row["Client_Funding_Status"] == ""  # service users only
    linking = [r for r in rows if r["Client_Type"] == cld.UNPAID_CARER_BY_ASSOCIATION]
    (row,) = linking
    assert row["LA_Person_Unique_Identifier"] == silent.person_id
    assert row["Adult_1_Linked_Person_ID"] == cared.person_id
    assert row["Adult_2_Linked_Person_ID"] == ""  # not_user is no service user in the file
    assert row["No_of_adults_being_cared_for"] == "2"
    assert row["Event_Type"] == row["Event_Start_Date"] == row["Client_Funding_Status"] == ""


def test_funding_status_follows_the_charge_decision():
    f = cld_export.funding_status
    assert f(Decimal(0), Decimal(300), False) == "Fully social care funded"
    assert f(Decimal(50), Decimal(300), True) == "Fully social care funded"
    assert f(Decimal(50), Decimal(300), False) == "Joint client and social care funded"
    assert f(Decimal(300), Decimal(300), False) == "Fully client funded"


def test_exported_hand_built_history_passes_validation():
    p = PersonFactory()
    EventFactory(person=p, start_date=dt.date(2025, 5, 1), end_date=dt.date(2025, 5, 2))
    out = io.StringIO()
    cld_export.write(out, START, END)
    out.seek(0)
    validation = validate_csv(out)
    findings = list(validation)
    assert validation.summary.passed, findings


def test_no_council_code_is_an_error(council):
    council.cassr_code = ""
    council.save()
    with pytest.raises(cld_export.ExportError, match="CASSR"):
        export()
