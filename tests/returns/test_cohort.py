"""Common building blocks (salt-ascof.md B1-B8; rules.md §4-§6)."""

import datetime as dt

import pytest

from carebridge.rules.returns import InvalidRow, InvalidYear, Year
from carebridge.rules.returns.cohort import (
    Cohort,
    age_at,
    canonical,
    clusters,
    deduplicate,
    parse_rows,
    person_id,
    setting_rank,
    working_age_band,
)

from .builders import COMMISSIONED, DP, LTS_COMMUNITY, LTS_NURSING, LTS_PRISON, MPB, row

D = dt.date


def test_year_parses_the_financial_year():
    y = Year.parse("2025-26")
    assert (y.start, y.end, y.label) == (D(2025, 4, 1), D(2026, 3, 31), "2025-26")
    assert Year.parse(" 1999-00 ".replace("1999", "2099")).end == D(2100, 3, 31)


@pytest.mark.parametrize(
    "text", ["2025", "2025-2026", "2025-27", "25-26", "", "abcd-ef", "2025/26"]
)
def test_malformed_years_are_refused_with_a_clear_message(text):
    with pytest.raises(InvalidYear, match="Financial year"):
        Year.parse(text)


def test_second_year_must_follow_the_first_and_the_message_suggests_it():
    with pytest.raises(InvalidYear, match="2025-26"):
        Year.parse("2025-25")


def test_age_uses_the_first_of_the_birth_month_and_365_25_day_years():
    # Proxy DOB 1961-04-01. On the exact 65th birthday, 2026-04-01, that is 65 x 365 + 16 leap
    # days = 23,741 days; 23741 / 365.25 = 64.9993 -> still 64 (the formula's quirk: 65 x
    # 365.25 = 23,741.25). The next day, 23,742 / 365.25 = 65.002 -> 65.
    assert age_at(D(1961, 4, 1), D(2026, 3, 31)) == 64
    assert age_at(D(1961, 4, 1), D(2026, 4, 1)) == 64
    assert age_at(D(1961, 4, 1), D(2026, 4, 2)) == 65
    # Born in March 1961 (proxy 1961-03-01): 23,772 days to 2026-03-31 -> 65.08 -> 65.
    assert age_at(D(1961, 3, 1), D(2026, 3, 31)) == 65
    assert age_at(None, D(2026, 4, 1)) is None
    assert [working_age_band(a) for a in (None, 17, 18, 64, 65)] == [
        "Unknown", "Under 18", "18 to 64", "18 to 64", "65 and above"
    ]  # fmt: skip


def test_a_birth_date_becomes_the_first_of_its_month():
    (e,) = parse_rows([row(born="1961-04-20")])
    assert e.born == D(1961, 4, 1)


def test_a_bad_date_names_the_row_and_the_field():
    with pytest.raises(InvalidRow, match=r"CLD row 2: Event_Start_Date '2025-13-01'"):
        parse_rows([row(), row(start="2025-13-01")])


def test_person_id_is_the_nhs_number_else_la_and_local_id_and_rows_with_neither_drop():
    assert person_id(row("A1", nhs="943 476 5919")) == "999|9434765919"
    assert person_id(row("A1")) == "999|999_A1"
    assert parse_rows([row("")]) == []


def test_coded_values_match_ignoring_case_and_whitespace_and_r1_text_maps_forward():
    assert canonical("Service_Type", "  long TERM support:  community ") == LTS_COMMUNITY
    assert canonical("Event_Outcome", "NFA - Deceased") == "NFA: Deceased"
    assert canonical("Delivery_Mechanism", "NULL") == ""
    assert canonical("Delivery_Mechanism", "Cash") == "Cash"  # kept, so it reads as invalid


def test_duplicate_services_keep_the_open_copy_then_the_latest_end():
    rows = [
        row(end="2025-09-30"),
        row(end=""),  # same service (start, type, component, mechanism): the open copy wins
        row(end="2025-10-31", start="2025-07-01"),
    ]
    kept = deduplicate(parse_rows(rows))
    assert [(e.record, e.end) for e in kept] == [(2, None), (3, D(2025, 10, 31))]


def test_duplicate_requests_keep_the_better_outcome():
    from .builders import request

    rows = [
        request(end="2025-06-05", outcome="NFA: Other"),
        request(end="2025-06-05", outcome="Progress to reablement/ST-Max"),
    ]
    (kept,) = deduplicate(parse_rows(rows))
    assert kept.outcome == "Progress to reablement/ST-Max"


@pytest.mark.parametrize(
    ("service", "mech", "component", "dp_component", "rank"),
    [
        (LTS_NURSING, DP, "", False, 1),  # mechanism blanked for nursing
        ("Long term support: Residential care", MPB, "", False, 2),
        (LTS_COMMUNITY, DP, "", False, 3),
        (LTS_COMMUNITY, MPB, "", False, 4),
        (LTS_COMMUNITY, COMMISSIONED, "", False, 5),
        (LTS_COMMUNITY, "", "", False, 6),
        (LTS_COMMUNITY, "Cash", "", False, 6),  # not on the list -> blank
        (LTS_COMMUNITY, "", "Direct payment", False, 6),  # NHSE: component is not a DP
        (LTS_COMMUNITY, "", "Direct payment", True, 3),  # DHSC 3D: it is
        (LTS_PRISON, MPB, "", False, 7),
        (LTS_PRISON, COMMISSIONED, "", False, 8),
        (LTS_PRISON, "", "", False, 9),
        (LTS_PRISON, DP, "", False, 9),
    ],
)
def test_setting_hierarchy_b5(service, mech, component, dp_component, rank):
    (e,) = parse_rows([row(service=service, mech=mech, component=component)])
    assert setting_rank(e, component_direct_payment=dp_component) == rank


def test_clusters_join_rows_within_the_gap_and_split_beyond_it():
    rows = parse_rows(
        [
            row(start="2025-04-01", end="2025-04-10"),
            row(start="2025-04-11", end="2025-04-20", component="Meals"),  # 1 day on: joins
            row(start="2025-04-23", end="2025-05-01", component="Transport"),  # 3 days: new
        ]
    )
    got = [(c.start, c.end, len(c.rows)) for c in clusters(rows, 1)]
    assert got == [(D(2025, 4, 1), D(2025, 4, 20), 2), (D(2025, 4, 23), D(2025, 5, 1), 1)]
    assert len(clusters(rows, 3)) == 1


def test_cohort_groups_events_by_person():
    c = Cohort.build([row("A"), row("B"), row("A", start="2025-05-01")], "2025-26")
    assert sorted(len(v) for v in c.by_person.values()) == [1, 2]


def test_rows_given_as_sequences_in_column_order_parse_as_the_same_events():
    """The export hands its rows over as lists in the file's column order, with no mapping
    built per row: the events are the same as from mappings."""
    from carebridge.rules.cld_validation import FIELD_NAMES

    mappings = [
        row("A1", nhs="943 476 5919", linked="B2"),
        row("B2", event="Review", start="2025-07-01", end="2025-07-02", review_reason="Planned"),
        row("C3", start=" 2025-08-01 ", gender="female", died="2026-01-05"),
        row("", nhs=""),  # no identifier: dropped either way
    ]
    sequences = [[m.get(name, "") for name in FIELD_NAMES] for m in mappings]
    by_columns = parse_rows(sequences, FIELD_NAMES)
    assert by_columns == parse_rows(mappings)
    assert [e.person for e in by_columns] == ["999|9434765919", "999|999_B2", "999|999_C3"]
    assert by_columns[2].gender == "Female" and by_columns[2].start == D(2025, 8, 1)
    assert Cohort.build(sequences, "2025-26", columns=FIELD_NAMES) == Cohort.build(
        mappings, "2025-26"
    )


def test_sequences_without_a_needed_column_are_refused():
    from carebridge.rules.cld_validation import FIELD_NAMES

    columns = [name for name in FIELD_NAMES if name != "Event_Start_Date"]
    with pytest.raises(ValueError, match=r"^columns lack Event_Start_Date$"):
        parse_rows([[""] * len(columns)], columns)
