"""The CLD data-quality rules (``carebridge.rules.cld_validation``): for every rule a file that
breaks it and one that does not, built from valid rows with one field changed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carebridge.rules import nhs_number
from carebridge.rules.cld_validation import (
    FAIL,
    FIELD_NAMES,
    RULES,
    UNCHECKED_VALUES,
    CLDValidator,
    UnreadableFile,
    validate_csv,
)
from tests.cld.rows import KINDS, csv_text, row

CARER_KINDS = {"carer assessment", "carer by association"}


def check(text: str):
    """(findings, summary) of CSV text."""
    validation = validate_csv(io.StringIO(text))
    return list(validation), validation.summary


def check_rows(*rows: dict[str, str]):
    """Findings of rows under the full header; the service user P0001 that carers link to is
    added at the end when a carer row needs one."""
    rows_ = list(rows)
    if any(r["Client_Type"] != "Service user" for r in rows_):
        rows_.append(row("service"))
    return check(csv_text(*rows_))


def R(kind: str = "request", **overrides: str) -> dict[str, str]:  # short: used in tables
    return row(kind, **overrides)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_valid_row_passes_with_no_findings(kind):
    findings, summary = check_rows(R(kind))
    assert findings == []
    assert summary.passed and summary.rows_with_failures == 0


# (rule, field, a breaking file's rows, a passing file's rows): the passing rows have no finding.
CASES = [
    # Mandatory fields (fields.csv requirement; rules.md s7 'Failed: Blank (Mandatory)').
    ("mandatory-blank", "NHS_Number", [R(NHS_Number="")], [R()]),
    ("mandatory-blank", "Postcode", [R("carer by association", Postcode="")],
     [R("carer by association")]),
    ("mandatory-blank", "Primary_Support_Reason", [R("assessment", Primary_Support_Reason="")],
     [R("request", Primary_Support_Reason="")]),
    ("mandatory-blank", "Event_End_Date", [R("review", Event_End_Date="")],
     [R("service", Event_End_Date="")]),
    ("mandatory-blank", "Event_End_Date", [R("service", Date_of_Death="2026-01-10")],
     [R("service", Date_of_Death="2026-01-10", Event_End_Date="2026-01-10")]),
    ("mandatory-blank", "Event_Outcome", [R("assessment", Event_Outcome="")],
     [R("assessment", Event_Outcome="", Assessment_Type="Financial Assessment")]),
    ("mandatory-blank", "Method_of_Assessment", [R("assessment", Method_of_Assessment="")],
     [R("assessment", Method_of_Assessment="", Assessment_Type="Financial Assessment")]),
    ("mandatory-blank", "Review_Outcomes_Achieved", [R("review", Review_Outcomes_Achieved="")],
     [R("review", Review_Outcomes_Achieved="", Review_Reason="Unplanned - Carer related")]),
    ("mandatory-blank", "Employment_Status",
     [R("assessment", Primary_Support_Reason="Learning disability support",
        Date_of_Birth="1990-01-01")],
     [R("assessment", Primary_Support_Reason="Learning disability support",
        Date_of_Birth="1950-01-01")]),
    ("mandatory-blank", "Client_Funding_Status", [R("service", Client_Funding_Status="")],
     [R("request", Client_Funding_Status="")]),
    ("mandatory-blank", "Unit_Cost", [R("service", Unit_Cost="")],
     [R("service", Unit_Cost="", Delivery_Mechanism="CASSR commissioned support")]),
    ("mandatory-blank", "Cost_Frequency_Unit_Type",
     [R("service", Cost_Frequency_Unit_Type="", Service_Type="Short term support: Other short term",
        Service_Component="Short term residential care")],
     [R("service", Cost_Frequency_Unit_Type="", Service_Type="Short term support: ST-Max",
        Service_Component="Reablement")]),
    ("mandatory-blank", "Event_Type", [R("request", Event_Type="")],
     [R("carer by association")]),
    ("mandatory-blank", "Request_Route_of_Access", [R(Request_Route_of_Access="")], [R()]),
    ("mandatory-blank", "Assessment_Type", [R("assessment", Assessment_Type="")],
     [R("assessment")]),
    ("mandatory-blank", "Service_Component", [R("service", Service_Component="")],
     [R("service")]),
    ("mandatory-blank", "Method_of_Review", [R("review", Method_of_Review="")], [R("review")]),
    # Not applicable (rules.md s7 cond_ = 0).
    ("not-applicable", "Service_Type", [R(Service_Type="Long term support: Community")], [R()]),
    ("not-applicable", "Event_Type", [R("carer by association", Event_Type="Request")],
     [R("carer by association")]),
    ("not-applicable", "Adult_1_Linked_Person_ID", [R("review", Adult_1_Linked_Person_ID="X1")],
     [R("carer assessment")]),
    ("not-applicable", "Client_Funding_Status",
     [R("carer assessment", Client_Funding_Status="Fully client funded")],
     [R("carer assessment")]),
    ("not-applicable", "Visual_Impairment",
     [R("carer by association", Visual_Impairment="Unknown")],
     [R("service", Visual_Impairment="Unknown")]),
    ("not-applicable", "Review_Reason", [R("assessment", Review_Reason="Planned")],
     [R("review", Review_Reason="Planned")]),
    # Literal NULL (rules.md s6).
    ("null-text", "Event_Description", [R(Event_Description="NULL")],
     [R(Event_Description="Annulled visit, rebooked")]),
    # Code lists (codes.csv; rules.md s7 and s8).
    ("code-invalid", "Gender", [R(Gender="M")], [R(Gender="Female")]),
    ("code-invalid", "Service_Type", [R("service", Service_Type="Home care")], [R("service")]),
    ("code-invalid", "Method_of_Assessment", [R("assessment", Method_of_Assessment="In person")],
     [R("assessment", Method_of_Assessment="Telephone")]),
    ("code-invalid", "Review_Outcomes_Achieved",
     [R("review", Review_Outcomes_Achieved="Outcomes met")],
     [R("review", Review_Outcomes_Achieved="Partially Met")]),
    ("code-case", "Method_of_Assessment", [R("assessment", Method_of_Assessment="face to face")],
     [R("assessment", Method_of_Assessment="Face to face")]),
    ("code-release-1", "Ethnicity", [R(Ethnicity="White - Irish")], [R(Ethnicity="White: Irish")]),
    ("code-release-1", "Event_Outcome", [R(Event_Outcome="Progress to End of Life Care")],
     [R(Event_Outcome="NFA: Other")]),
    ("code-case", "Gender", [R(Gender="male")], [R(Gender="Male")]),
    ("code-case", "Accommodation_Status", [R(Accommodation_Status=" Unknown ")],
     [R(Accommodation_Status="Unknown")]),
    # NHS number (fields.csv; modulus 11).
    ("nhs-number-format", "NHS_Number", [R(NHS_Number="94347659")], [R()]),
    ("nhs-number-format", "NHS_Number", [R(NHS_Number="94347659AB")], [R()]),
    ("nhs-number-check-digit", "NHS_Number", [R(NHS_Number="9434765918")], [R()]),
    ("nhs-number-spaces", "NHS_Number", [R(NHS_Number="943 476 5919")], [R()]),
    # Dates.
    ("date-invalid", "Date_of_Birth", [R(Date_of_Birth="1950-02-30")],
     [R(Date_of_Birth="1952-02-29")]),
    ("date-invalid", "Event_Start_Date", [R(Event_Start_Date="next week")], [R()]),
    ("date-invalid", "Event_End_Date", [R(Event_End_Date="2025-13-01")], [R()]),
    ("date-format", "Event_Start_Date", [R(Event_Start_Date="01/06/2025")], [R()]),
    ("date-format", "Date_of_Birth", [R(Date_of_Birth="1950-06-15 00:00:00")], [R()]),
    ("period-order", "Reporting_Period_Start_Date",
     [R(Reporting_Period_Start_Date="2026-04-01")], [R()]),
    ("period-quarter-end", "Reporting_Period_End_Date",
     [R(Reporting_Period_Start_Date="2025-03-31", Reporting_Period_End_Date="2026-03-30")],
     [R(Reporting_Period_Start_Date="2025-01-01", Reporting_Period_End_Date="2025-12-31",
        Event_Start_Date="2025-06-01")]),
    ("period-twelve-months", "Reporting_Period_Start_Date",
     [R(Reporting_Period_Start_Date="2025-01-01")], [R()]),
    ("period-differs", "Reporting_Period_Start_Date",
     [R(), R(Reporting_Period_Start_Date="2025-07-01", Reporting_Period_End_Date="2026-06-30")],
     [R(), R("assessment")]),
    ("event-end-before-start", "Event_End_Date",
     [R("assessment", Event_Start_Date="2025-07-20", Event_End_Date="2025-07-01")],
     [R("assessment", Event_Start_Date="2025-07-20", Event_End_Date="2025-07-20")]),
    ("event-outside-period", "Event_End_Date", [R(Event_End_Date="2026-04-10")],
     [R(Event_Start_Date="2025-03-01", Event_End_Date="2025-04-10")]),
    ("event-outside-period", "Event_End_Date",
     [R("service", Event_Start_Date="2024-01-01", Event_End_Date="2025-03-01")],
     [R("service", Event_Start_Date="2024-01-01", Event_End_Date="2025-04-01")]),
    ("event-outside-period", "Event_Start_Date",
     [R("service", Event_Start_Date="2026-04-01")], [R("service")]),
    ("birth-after-event", "Date_of_Birth", [R(Date_of_Birth="2025-06-05")],
     [R(Date_of_Birth="2007-06-01")]),
    ("birth-after-period", "Date_of_Birth",
     [R("carer by association", Date_of_Birth="2026-05-01")], [R("carer by association")]),
    ("age-implausible", "Date_of_Birth", [R(Date_of_Birth="1900-01-01")],
     [R(Date_of_Birth="1911-01-01")]),
    ("death-before-birth", "Date_of_Death", [R(Date_of_Death="1940-01-01")],
     [R(Date_of_Death="2025-06-20")]),
    ("death-before-event", "Date_of_Death", [R(Date_of_Death="2025-05-31")],
     [R(Date_of_Death="2025-06-01", Event_End_Date="2025-06-01")]),
    ("death-before-period", "Date_of_Death",
     [R("carer by association", Date_of_Death="2025-03-31")],
     [R("carer by association", Date_of_Death="2025-04-01")]),
    ("event-end-after-death", "Event_End_Date",
     [R("service", Event_End_Date="2025-10-01", Date_of_Death="2025-09-01")],
     [R("service", Event_End_Date="2025-09-01", Date_of_Death="2025-09-01")]),
    # Postcode, numbers, codes with a format.
    ("postcode-invalid", "Postcode", [R(Postcode="NR1")], [R(Postcode="SW1A 1AA")]),
    ("postcode-invalid", "Postcode", [R(Postcode="12345")], [R()]),
    ("postcode-format", "Postcode", [R(Postcode="nr12dh")], [R(Postcode="NR1 2DH")]),
    ("number-invalid", "Unit_Cost", [R("service", Unit_Cost="two hundred")], [R("service")]),
    ("number-invalid", "Unit_Cost", [R("service", Unit_Cost="£1,250.00")],
     [R("service", Unit_Cost="1250")]),
    ("number-invalid", "No_of_adults_being_cared_for",
     [R("carer by association", No_of_adults_being_cared_for="1.5")],
     [R("carer by association", No_of_adults_being_cared_for="2")]),
    ("number-negative", "Unit_Cost", [R("service", Unit_Cost="-250.00")], [R("service")]),
    ("number-precision", "Planned_units_per_week",
     [R("service", Planned_units_per_week="10.125")],
     [R("service", Planned_units_per_week="10.25")]),
    ("la-code-format", "LA_Code", [R(LA_Code="E10000020")], [R(LA_Code="926")]),
    ("la-code-differs", "LA_Code", [R(), R("review", LA_Code="927")], [R(), R("review")]),
    ("gp-code-format", "GP_Practice_Code", [R(GP_Practice_Code="12345")],
     [R(GP_Practice_Code="Y01234")]),
    ("cqc-id-format", "Provider_CQC_Location_ID",
     [R("service", Provider_CQC_Location_ID="CQC-42")],
     [R("service", Provider_CQC_Location_ID="1-123456789")]),
    # Carers' links (rules.md s1, s4).
    ("linked-person-self", "Adult_1_Linked_Person_ID",
     [R("carer by association", Adult_1_Linked_Person_ID="C0002")],
     [R("carer by association")]),
    ("linked-person-not-in-file", "Adult_2_Linked_Person_ID",
     [R("carer assessment", Adult_2_Linked_Person_ID="P9999")],
     [R("carer assessment", Adult_2_Linked_Person_ID="P0001")]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rule", "field", "breaking", "passing"),
    CASES,
    ids=[f"{c[0]}:{c[1]}:{i}" for i, c in enumerate(CASES)],
)
def test_each_rule_fails_one_file_and_passes_another(rule, field, breaking, passing):
    findings, summary = check_rows(*breaking)
    hits = [f for f in findings if f.rule == rule and f.field == field]
    assert hits, findings
    assert all(f.row >= 2 and f.message and f.severity == RULES[rule].severity for f in hits)
    if RULES[rule].severity == FAIL:
        assert not summary.passed and summary.rows_with_failures >= 1
    good, good_summary = check_rows(*passing)
    assert good == [], good
    assert good_summary.passed


def test_every_row_rule_has_a_case():
    file_rules = {"header-missing-column", "header-duplicate-column", "header-unknown-column",
                  "header-column-case", "no-rows", "row-length", "empty-row"}  # fmt: skip
    assert {c[0] for c in CASES} | file_rules == set(RULES)


def test_messages_say_what_is_wrong_and_what_is_expected():
    findings, _ = check_rows(
        R("assessment", Event_Start_Date="2025-04-01", Event_End_Date="2025-03-01"),
        R(Ethnicity="White - Irish", NHS_Number="9434765918"),
    )
    messages = {f.rule: f.message for f in findings}
    assert messages["event-end-before-start"].startswith(
        "Event_End_Date 2025-03-01 is before Event_Start_Date 2025-04-01"
    )
    assert "use the Release 2 value 'White: Irish'" in messages["code-release-1"]
    assert "check digit" in messages["nhs-number-check-digit"]
    rows = {f.rule: f.row for f in findings}
    assert rows["event-end-before-start"] == 2 and rows["code-release-1"] == 3


def test_a_warning_alone_passes_the_file():
    findings, summary = check_rows(R(Gender="female"))
    assert [f.rule for f in findings] == ["code-case"]
    assert summary.passed and summary.warnings == 1 and summary.rows_with_warnings_only == 1


def test_unrecognised_client_type_fails_but_does_not_guess_which_fields_apply():
    findings, _ = check_rows(R("service", Client_Type="Client", Client_Funding_Status=""))
    assert [(f.rule, f.field) for f in findings] == [("code-invalid", "Client_Type")]


def test_release_1_client_type_still_decides_which_fields_apply():
    findings, _ = check_rows(R("carer by association", Client_Type="Carer known by association"))
    assert [(f.rule, f.field) for f in findings] == [("code-release-1", "Client_Type")]


def test_summary_counts_by_rule_and_field():
    _, summary = check_rows(
        R(NHS_Number=""), R(NHS_Number="", Gender="M"), R(Postcode="nr12dh"), R()
    )
    assert summary.rows_read == 4
    assert summary.rows_with_failures == 2 and summary.rows_with_warnings_only == 1
    assert summary.by_rule == {"mandatory-blank": 2, "code-invalid": 1, "postcode-format": 1}
    assert summary.failures_by_field == {"NHS_Number": 2, "Gender": 1}
    d = summary.as_dict()
    assert d["passed"] is False and d["failures"] == 3 and d["warnings"] == 1
    assert d["values_not_checked"] == list(UNCHECKED_VALUES)


# --- The header and the shape of the file ------------------------------------------------------


def test_missing_unknown_duplicate_and_miscased_columns_are_named():
    header = [n for n in FIELD_NAMES if n != "Dementia"]
    header[header.index("Gender")] = "gender"
    header += ["Der_Birth_Year", "Notes", "NHS_Number"]
    r = R()
    r["gender"], r["Der_Birth_Year"], r["Notes"] = "Male", "1950", "x"
    findings, summary = check(csv_text(r, header=header))
    found = {(f.rule, f.field) for f in findings}
    assert found == {
        ("header-missing-column", "Dementia"),
        ("header-column-case", "Gender"),
        ("header-unknown-column", "Der_Birth_Year"),
        ("header-unknown-column", "Notes"),
        ("header-duplicate-column", "NHS_Number"),
    }
    assert all(f.row == 1 for f in findings)
    central = next(f for f in findings if f.field == "Der_Birth_Year")
    assert "added centrally" in central.message
    assert not summary.passed


def test_a_row_of_the_wrong_length_is_reported_and_not_checked():
    text = csv_text(R()) + "926,2025-04-01\r\n"
    findings, summary = check(text)
    assert [(f.row, f.rule) for f in findings] == [(3, "row-length")]
    assert "2 values but the header has 50 columns" in findings[0].message
    assert not summary.passed


def test_empty_rows_are_warnings_and_blank_lines_are_skipped_but_numbered():
    text = csv_text(R()) + "\r\n" + "," * 49 + "\r\n" + csv_text(R("review")).split("\r\n", 1)[1]
    findings, summary = check(text)
    assert [(f.row, f.rule) for f in findings] == [(4, "empty-row")]
    assert summary.passed


def test_header_only_fails_with_no_rows():
    findings, summary = check(csv_text())
    assert [f.rule for f in findings] == ["no-rows"]
    assert not summary.passed and summary.rows_read == 0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("\r\n\r\n", "empty"),
        ("a;b;c\r\n1;2;3\r\n", "semicolons"),
        (";".join(FIELD_NAMES) + "\r\n", "semicolons"),
        ("\t".join(FIELD_NAMES) + "\r\n", "tabs"),
        ("name,age\r\nAlex,3\r\n", "not a CLD header"),
        ("\x00\x01\x02,\x03", "NUL"),
    ],
)
def test_unusable_input_raises_a_clear_error(text, words):
    with pytest.raises(UnreadableFile, match=words):
        check(text)


def test_check_record_takes_a_mapping_for_export_and_import():
    validator = CLDValidator(FIELD_NAMES)
    assert validator.check_record(2, R()) == []
    bad = validator.check_record(3, R(NHS_Number="123"))
    assert [f.rule for f in bad] == ["nhs-number-format"]
    assert validator.finish() == [] and validator.summary.rows_read == 2


# --- Properties --------------------------------------------------------------------------------

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(nine_digits)
def test_any_number_with_its_check_digit_passes_and_any_other_last_digit_fails(first_nine):
    expected = nhs_number.check_digit(first_nine)
    validator = CLDValidator(FIELD_NAMES)
    for last in "0123456789":
        findings = validator.check_record(2, R(NHS_Number=first_nine + last))
        rules = {f.rule for f in findings}
        if expected is not None and int(last) == expected:
            assert rules == set()
        else:
            assert rules == {"nhs-number-check-digit"}


@given(st.dates(min_value=dt.date(2025, 4, 1), max_value=dt.date(2026, 3, 31)))
def test_any_iso_date_in_the_period_passes_and_a_uk_date_is_rewritten(day):
    validator = CLDValidator(FIELD_NAMES)
    kw = {"Event_Start_Date": "2025-04-01", "Event_End_Date": day.isoformat()}
    assert validator.check_record(2, R(**kw)) == []
    uk = validator.check_record(2, R(**{**kw, "Event_End_Date": day.strftime("%d/%m/%Y")}))
    assert [f.rule for f in uk] == ["date-format"]
    assert day.isoformat() in uk[0].message


@given(st.integers(1900, 2100), st.integers(1, 12), st.integers(29, 31))
def test_a_day_past_the_end_of_its_month_is_not_a_real_date(year, month, day):
    try:
        dt.date(year, month, day)
    except ValueError:
        findings = CLDValidator(FIELD_NAMES).check_record(
            2, R(Date_of_Death=f"{year:04d}-{month:02d}-{day:02d}")
        )
        assert [f.rule for f in findings] == ["date-invalid"]
        assert "is not a real date" in findings[0].message
