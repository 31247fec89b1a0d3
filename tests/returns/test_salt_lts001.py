"""SALT LTS001a/b/c (salt-ascof.md "SALT LTS001a", "LTS001b", "LTS001c"), year 2025-26:
1 April 2025 to 31 March 2026, snapshot 31 March 2026."""

from hypothesis import given, settings
from hypothesis import strategies as st

from carebridge.rules.returns import salt_tables
from carebridge.rules.returns.salt import lts001a

from .builders import (
    COMMISSIONED,
    DP,
    LD,
    LTS_COMMUNITY,
    LTS_NURSING,
    LTS_PRISON,
    LTS_RESIDENTIAL,
    MH,
    MPB,
    ST_MAX,
    row,
)

YEAR = "2025-26"
NURSING, RESIDENTIAL = "Nursing", "Residential"
COMM_DP, COMM_MPB = "Community: Direct payment", "Community: CASSR managed personal budget"
COMM_CS, COMM_UNKNOWN = (
    "Community: CASSR commissioned support",
    "Community: Unknown delivery mechanism",
)
PRISON_CS = "Prison: CASSR commissioned support"
OLD = "1950-01-10"  # 76 at the year end
YOUNG = "1970-06-15"  # 55


def t1(tables, code, band):
    return tables[code].section(f"{code} Table {band}")


def cells(section):
    """The non-zero cells of a grid, as {(row, column): count}."""
    return {k: v for k, v in section.cells.items() if v}


LTS001A_ROWS = [
    row("A", mech=DP),  # 55, MH, community DP
    # B, 76: nursing (PSR Unknown) ended in May beats community (LD): B5 rank first, so the
    # PSR comes from the nursing row only -> Unknown x Nursing.
    row("B", born=OLD, service=LTS_NURSING, start="2024-01-01", end="2025-05-31", psr="Unknown"),
    row("B", born=OLD, mech=COMMISSIONED, start="2025-06-01", psr=LD),
    row("C", born=OLD, died="2025-03-31"),  # died the day before the year: out
    row("D", born=OLD, died="2025-04-01"),  # died on the first day: in (65+, MH, unknown mech)
    row("E", start="2024-01-01", end="2025-03-31"),  # ended before the year: out
    row("E2", start="2026-04-01"),  # starts after the year: out
    # F: ends on 1 April: in; an invalid mechanism is blanked.
    row("F", start="2024-01-01", end="2025-04-01", mech="Cash"),
    row("G", born="1961-04-20"),  # proxy 1961-04-01: 64 at 31 March 2026 -> 18 to 64
    row("H", born="1961-03-31"),  # proxy 1961-03-01: 65 -> 65 and above
    row("I", born=""),  # no birth date: out
    row("J", born="2008-05-01"),  # 17: out
    # K: two community rows at the same rank, same start, different PSRs -> Unknown.
    row("K", psr=MH), row("K", psr=LD, component="Day support"),
    # L: known PSR preferred over Unknown even though the Unknown row starts later.
    row("L", psr=LD, start="2025-05-01"),
    row("L", psr="Unknown", start="2025-07-01", component="Meals"),
    row("M", psr="Frailty"),  # not on the list -> Invalid/NULL
    # N: two known PSRs, the later start wins -> LD.
    row("N", psr=MH, start="2025-05-01"), row("N", psr=LD, start="2025-08-01", component="Meals"),
    row("O", client="Unpaid carer", service="Unpaid carer support: Direct to unpaid carer"),  # out
    row("P", service=ST_MAX),  # not long-term support: out
    row("Q", mech=MPB), row("Q", mech=MPB),  # the same service sent twice: one person
    row("R", service=LTS_PRISON, mech=COMMISSIONED, born=OLD),
    row("S", service=LTS_RESIDENTIAL, mech=DP),  # mechanism blanked for residential
]  # fmt: skip


def test_lts001a_counts_each_person_once_at_their_best_setting():
    tables = salt_tables(LTS001A_ROWS, YEAR)
    assert cells(t1(tables, "LTS001a", "1a: 18 to 64")) == {
        (MH, COMM_DP): 1,  # A
        (MH, COMM_UNKNOWN): 2,  # F (invalid mechanism blanked), G
        ("Unknown", COMM_UNKNOWN): 1,  # K
        (LD, COMM_UNKNOWN): 2,  # L, N
        ("Invalid/NULL", COMM_UNKNOWN): 1,  # M
        (MH, COMM_MPB): 1,  # Q
        (MH, RESIDENTIAL): 1,  # S
    }
    assert cells(t1(tables, "LTS001a", "1b: 65 and above")) == {
        ("Unknown", NURSING): 1,  # B
        (MH, COMM_UNKNOWN): 2,  # D, H
        (MH, PRISON_CS): 1,  # R
    }


def test_lts001b_is_the_snapshot_on_31_march():
    rows = [
        row("A"),  # open: in
        row("B", end="2026-03-31"),  # ends on the snapshot: in
        row("C", end="2026-03-30"),  # ended the day before: out
        row("D", died="2026-03-31"),  # died on the snapshot: in
        row("E", died="2026-03-30"),  # died the day before: out
        row("F", start="2026-04-01"),  # starts after: out
        # G: nursing ended in the year, community open on the snapshot -> community only.
        row("G", service=LTS_NURSING, start="2025-04-01", end="2025-12-31"),
        row("G", mech=DP, start="2026-01-01"),
        row("H", born="2010-01-01", carer="Yes"),  # 16: out of 1a/1b, in the all-ages tables
    ]
    tables = salt_tables(rows, YEAR)
    assert cells(t1(tables, "LTS001b", "1a: 18 to 64")) == {(MH, COMM_UNKNOWN): 3, (MH, COMM_DP): 1}
    assert t1(tables, "LTS001b", "1b: 65 and above").total == 0
    carer = tables["LTS001b"].section("LTS001b Table 2: all ages, by unpaid carer")
    assert cells(carer) == {("No", COMM_UNKNOWN): 3, ("No", COMM_DP): 1, ("Yes", COMM_UNKNOWN): 1}
    female = tables["LTS001b"].section("LTS001b Table 3b: Female")
    assert female.total == 5 and tables["LTS001b"].section("LTS001b Table 3a: Male").total == 0


def test_lts001b_unpaid_carer_and_ethnicity_resolve_conflicts():
    rows = [
        # A: Yes and Unknown -> the known Yes; ethnicity known beats 'No data: Refused'.
        row("A", carer="Yes", start="2025-05-01", gender="Male"),
        row("A", carer="Unknown", ethnicity="No data: Refused", start="2025-06-01",
            component="Meals", gender="Male"),
        # B: Yes and No on the same start -> Unknown; two ethnicities -> 'No data: Undeclared'.
        row("B", carer="Yes", gender="Male"),
        row("B", carer="No", ethnicity="White: Roma", component="Meals", gender="Male"),
        row("C", carer="Maybe", ethnicity="Martian", gender="Male"),  # both invalid
        row("D", gender="Other"),  # neither male nor female: in neither table 3a nor 3b
    ]  # fmt: skip
    t = salt_tables(rows, YEAR)["LTS001b"]
    assert cells(t.section("LTS001b Table 2: all ages, by unpaid carer")) == {
        ("Yes", COMM_UNKNOWN): 1,
        ("Unknown", COMM_UNKNOWN): 1,
        ("Invalid/NULL", COMM_UNKNOWN): 1,
        ("No", COMM_UNKNOWN): 1,
    }
    assert cells(t.section("LTS001b Table 3a: Male")) == {
        ("White: Irish", COMM_UNKNOWN): 1,
        ("No data: Undeclared or not known", COMM_UNKNOWN): 1,
        ("Invalid/NULL", COMM_UNKNOWN): 1,
    }
    assert t.section("LTS001b Table 3b: Female").total == 0


def test_lts001c_needs_an_unbroken_chain_from_more_than_12_months_before():
    rows = [
        row("A", start="2025-03-30"),  # chain starts before 31 March 2025: in
        row("B", start="2025-03-31"),  # exactly 12 months before: out (NHSE code, strict <)
        # C: residential then community the next day: one chain from 2024 -> in, as community
        # (only rows open on the snapshot are kept).
        row("C", service=LTS_RESIDENTIAL, start="2024-01-01", end="2025-06-30"),
        row("C", mech=MPB, start="2025-07-01"),
        # D: the same with a two-day gap: the chain breaks, the open one starts in July: out.
        row("D", service=LTS_RESIDENTIAL, start="2024-01-01", end="2025-06-30"),
        row("D", start="2025-07-02"),
        row("E", start="2020-01-01", end="2026-03-30"),  # long chain but closed before snapshot
        row("F", start="2020-01-01", died="2026-03-01"),  # died before the snapshot: out
        row("G", start="2020-01-01", born=OLD),  # in, 65 and above
    ]
    tables = salt_tables(rows, YEAR)
    assert cells(t1(tables, "LTS001c", "1a: 18 to 64")) == {
        (MH, COMM_UNKNOWN): 1,  # A
        (MH, COMM_MPB): 1,  # C
    }
    assert cells(t1(tables, "LTS001c", "1b: 65 and above")) == {(MH, COMM_UNKNOWN): 1}  # G


_service = st.fixed_dictionaries(
    {
        "service": st.sampled_from([LTS_NURSING, LTS_RESIDENTIAL, LTS_COMMUNITY, LTS_PRISON]),
        "mech": st.sampled_from(["", DP, MPB, COMMISSIONED, "Cash"]),
        "psr": st.sampled_from([MH, LD, "Unknown", "", "Frailty"]),
        "start": st.sampled_from(["2024-01-01", "2025-04-01", "2025-10-01", "2026-03-31"]),
        "end": st.sampled_from(["", "2025-03-31", "2025-04-01", "2025-12-31"]),
        "component": st.sampled_from(["Meals", "Day support", "Transport"]),
    }
)
_people = st.lists(
    st.tuples(st.sampled_from(["A", "B", "C", "D", "E"]), _service), min_size=0, max_size=25
)


@settings(max_examples=60, deadline=None)
@given(_people, st.randoms(use_true_random=False))
def test_lts001a_counts_each_person_once_whatever_the_row_order(people, rnd):
    # Distinct components, so no two rows are the same event: which copy of a duplicated event
    # is kept depends on load order (rules.md §5a step 3.5, highest record), by design.
    rows = [
        row(p, born=OLD if p in "AB" else YOUNG, **{**s, "component": f"{s['component']} {i}"})
        for i, (p, s) in enumerate(people)
    ]
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    a, b = lts001a_of(rows), lts001a_of(shuffled)
    assert [s.cells for s in a.sections] == [s.cells for s in b.sections]


@settings(max_examples=60, deadline=None)
@given(_people)
def test_lts001a_totals_are_people_in_the_year_and_the_sum_of_their_parts(people):
    rows = [row(p, born=OLD if p in "AB" else YOUNG, **s) for p, s in people]
    t = lts001a_of(rows)
    # Each person with a row overlapping the year is counted exactly once, in one table.
    in_year = {
        p
        for p, s in people
        if s["start"] <= "2026-03-31" and (not s["end"] or s["end"] >= "2025-04-01")
    }
    assert sum(s.total for s in t.sections) == len(in_year)
    for s in t.sections:
        assert s.total == sum(s.row_total(r) for r in s.row_labels)
        assert s.total == sum(s.column_total(c) for c in s.column_labels)


def lts001a_of(rows):
    from carebridge.rules.returns.cohort import Cohort

    return lts001a(Cohort.build(rows, YEAR))
