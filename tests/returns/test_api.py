"""The public API: every table and measure, JSON-ready, from one cohort; properties."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carebridge.rules.returns import Cohort, ascof_measures, salt_tables

from .builders import COMMISSIONED, DP, LTS_COMMUNITY, LTS_NURSING, MPB, row
from .test_ascof import ROWS_2A, ROWS_2B, ROWS_2E, ROWS_3D
from .test_salt_sts001_sts002a import ROWS_STS001

SALT = ["STS001", "STS002a", "STS002b", "LTS001a", "LTS001b", "LTS001c", "LTS003", "LTS004"]
ASCOF = ["2A", "2B", "2C", "2E", "2E LD", "3D1a", "3D1b", "3D2a", "3D2b"]


def test_every_table_and_measure_is_computed_from_one_cohort_and_is_json_ready():
    rows = ROWS_STS001 + ROWS_2A + ROWS_2B + ROWS_2E + ROWS_3D
    cohort = Cohort.build(rows, "2025-26")
    tables, measures = salt_tables(cohort, "2025-26"), ascof_measures(cohort, "2025-26")
    assert list(tables) == SALT and list(measures) == ASCOF
    for t in tables.values():
        assert t.source.startswith("salt-ascof.md") and t.sections
        json.dumps(t.as_dict())
    for m in measures.values():
        assert m.definition and m.source.startswith("salt-ascof.md")
        json.dumps(m.as_dict())


def test_rows_without_a_start_date_drop_out_of_every_table_and_measure():
    # rules.md §3: rows with no start date drop out (the comparisons fail).
    rows = [row("A", start="", end="2025-06-01", service=s) for s in (LTS_COMMUNITY, LTS_NURSING)]
    rows += [row("B", start="", event=e, service="") for e in ("Request", "Assessment")]
    tables, measures = salt_tables(rows, "2025-26"), ascof_measures(rows, "2025-26")
    assert all(s.total == 0 for t in tables.values() for s in t.sections)
    assert all(m.denominator in (0, None) for m in measures.values())


def test_a_cohort_built_for_another_year_is_refused():
    with pytest.raises(ValueError, match="2024-25"):
        salt_tables(Cohort.build([], "2024-25"), "2025-26")


def test_a_section_refuses_a_cell_it_does_not_have():
    t = salt_tables([row()], "2025-26")["LTS001a"].sections[0]
    with pytest.raises(KeyError):
        t.cell("No such reason", "Nursing")


_client = st.fixed_dictionaries(
    {
        "service": st.sampled_from([LTS_COMMUNITY, LTS_COMMUNITY, LTS_NURSING]),
        "mech": st.sampled_from(["", DP, MPB, COMMISSIONED]),
        "component": st.sampled_from(["Meals", "Direct payment", ""]),
        "born": st.sampled_from(["1950-01-01", "1980-01-01", "", "2012-01-01"]),
    }
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABCDEFG"), _client), max_size=20))
def test_3d_numerators_are_within_the_denominator_and_total_is_the_sum_of_groups(people):
    rows = [row(p, **c) for p, c in people]
    m = ascof_measures(rows, "2025-26")
    for code in ("3D1a", "3D2a"):
        f = m[code].figures
        assert f["Total"].denominator >= f["18 to 64"].denominator + f["65 and above"].denominator
        for g in f.values():
            assert 0 <= g.numerator <= g.denominator
    # 2a (direct payments) is part of 1a (self-directed support).
    assert m["3D2a"].numerator <= m["3D1a"].numerator
