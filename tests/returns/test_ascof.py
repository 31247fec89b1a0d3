"""ASCOF 2A, 2B, 2C, 2E and 3D from CLD (salt-ascof.md, DHSC 2024/25-onwards method), for
2025-26: 1 April 2025 to 31 March 2026. Each expected figure is worked out in a comment."""

from decimal import Decimal

from carebridge.rules.returns import ascof_measures

from .builders import (
    COMMISSIONED,
    DP,
    LD,
    LOW_LEVEL,
    LTS_NURSING,
    LTS_PRISON,
    LTS_RESIDENTIAL,
    MPB,
    OTHER_ST,
    ST_MAX,
    assessment,
    review,
    row,
)

YEAR = "2025-26"
OLD = "1950-01-10"  # 76
CARER_DIRECT = "Unpaid carer support: Direct to unpaid carer"
PLANNED_END = "NFA: Support ended as planned"
INFO_ADVICE = "NFA: Information and advice or signposting"
TENANT = "Tenant: Private landlord"


def fig(measure, group):
    f = measure.figures[group]
    return (f.numerator, f.denominator, f.value)


def stmax(person, start="2025-05-01", end="2025-05-28", outcome=PLANNED_END, **kw):
    kw.setdefault("component", "Reablement")
    return row(person, service=ST_MAX, start=start, end=end, outcome=outcome, **kw)


# ---------------------------------------------------------------------------------------------
# 2A

ROWS_2A = [
    stmax("A"),  # own outcome 'ended as planned' is usable -> numerator
    stmax("B"), row("B", start="2025-06-02"),  # LTS 5 days after -> LTS: denominator only
    stmax("C"), row("C", service=LOW_LEVEL, start="2025-06-04", end="2025-07-01"),  # 7 days: in
    # D: LTS 8 days after is outside the window; own outcome cannot be a sequel -> unclassified.
    stmax("D", outcome="Progress to support planning or services"), row("D", start="2025-06-05"),
    stmax("E", died="2025-06-01"),  # died within 7 days of the end -> NFA: Deceased, left out
    stmax("F", outcome="Admitted to hospital"),  # left out
    # G: LTS ended 61 days before the episode: not a new client, not counted at all.
    stmax("G"), row("G", start="2024-01-01", end="2025-03-01"),
    # G2: LTS ended 120 days before (>= 91): a new client -> numerator.
    stmax("G2"), row("G2", start="2024-01-01", end="2025-01-01"),
    # H: two ST-Max rows 7 days apart are one episode; the latest-ending row's outcome counts.
    stmax("H", end="2025-05-10", outcome="Progress to support planning or services"),
    stmax("H", start="2025-05-17", outcome="NFA: Other", component="Other short term support"),
    stmax("I", start="2025-03-01", end="2025-03-31"),  # ended before the year: out
    stmax("I2", start="2026-03-01", end="2026-03-31"),  # ends on the last day: in, numerator
    # J: a review nested in the episode (ended 8 days before its end) gives I&A -> numerator.
    stmax("J", outcome="Progress to support planning or services"),
    review("J", start="2025-05-10", end="2025-05-20", outcome=INFO_ADVICE),
    # K: equipment delivered during the episode -> ongoing low level -> numerator.
    stmax("K", outcome="Continuation of support or services"),
    row("K", service=LOW_LEVEL, component="Equipment", start="2025-05-05", end="2025-05-05",
        outcome="Continuation of support or services"),
    # L: other short term with a short-term residential component -> 'Residential or Nursing'.
    stmax("L"), row("L", service=OTHER_ST, component="Short term residential care",
                    start="2025-05-29", end="2025-06-20"),
    stmax("M", born="2008-05-01"),  # 17 at the episode end: out
    stmax("N", born=""),  # unknown age: Total only, numerator
    stmax("O", born=OLD),  # 65 and above, numerator
]  # fmt: skip


def test_2a_short_term_services_with_no_further_request_for_ongoing_support():
    m = ascof_measures(ROWS_2A, YEAR)["2A"]
    # 18 to 64: numerator A, C, G2, H, I2, J, K = 7; denominator adds B and L = 9 -> 77.8.
    assert fig(m, "18 to 64") == (7, 9, Decimal("77.8"))
    # 65 and above: O alone, 1 / 1.
    assert fig(m, "65 and above") == (1, 1, Decimal("100.0"))
    # Total adds O and N (unknown age): 9 / 11 = 81.818 -> 81.8.
    assert (m.numerator, m.denominator, m.value) == (9, 11, Decimal("81.8"))
    assert m.counts["Unable to classify"] == 1  # D
    assert m.counts["NFA: Deceased"] == 1 and m.counts["Admitted to hospital"] == 1


def test_2a_with_no_episodes_is_zero():
    m = ascof_measures([row("A")], YEAR)["2A"]
    assert (m.numerator, m.denominator, m.value) == (0, 0, Decimal("0.0"))


# ---------------------------------------------------------------------------------------------
# 2B / 2C

LONG_RES = "Long term residential care"


def res(person, start, end="", component=LONG_RES, service=LTS_RESIDENTIAL, born=OLD, **kw):
    return row(person, service=service, component=component, start=start, end=end, born=born, **kw)


ROWS_2B = [
    res("A", "2025-06-01", born="1975-01-01"),  # 50: 18 to 64
    res("B", "2025-05-01", service=LTS_NURSING, component="Long term nursing care"),
    res("C", "2025-05-01", component="Short term residential care"),  # a short stay: out
    res("D", "2025-05-01", component=""),  # blank component: out (DHSC code's NULL logic)
    res("E", "2025-05-01", outcome="NFA: Self-funded client or under 12wk disregard"),  # out
    res("F", "2024-06-01", "2025-01-01"), res("F", "2025-05-01"),  # 120 days since: not new
    res("G", "2024-01-01", "2024-04-30"), res("G", "2025-05-01"),  # 366 days since: new
    # H: two stays in the year: the second is not new; H is counted once.
    res("H", "2025-05-01", "2025-05-10"), res("H", "2025-09-01"),
    res("I", "2025-05-01", born="2008-06-01"),  # 16: out
    res("K", "2025-05-01", died="2025-03-31"),  # died before the year: out
    res("L", "2025-03-31"),  # admitted the day before the year: out
    res("M", "2026-03-31"),  # admitted on the last day: in
    res("N", "2025-05-01", client="Unpaid carer"),  # not a service user: out
    res("P", "2025-05-01", born=""),  # no birth date: out
]  # fmt: skip


def test_2b_2c_admissions_per_100000():
    m = ascof_measures(ROWS_2B, YEAR, population_18_64=200_000, population_65_plus=50_000)
    # 2B: A alone; 1 x 100,000 / 200,000 = 0.5.
    assert (m["2B"].numerator, m["2B"].denominator, m["2B"].value) == (1, 200_000, Decimal("0.5"))
    # 2C: B, G, H, M = 4; 4 x 100,000 / 50,000 = 8.0.
    assert (m["2C"].numerator, m["2C"].denominator, m["2C"].value) == (4, 50_000, Decimal("8.0"))


def test_2b_2c_without_a_population_give_the_count_and_no_value():
    m = ascof_measures(ROWS_2B, YEAR)
    assert (m["2C"].numerator, m["2C"].value) == (4, None)


# ---------------------------------------------------------------------------------------------
# 2E

ROWS_2E = [
    row("A"),  # 55 F, tenant: settled
    row("B", gender="Male", service=LTS_RESIDENTIAL, accommodation="Registered care home"),
    # C: 76 F, accommodation Unknown; latest service community + home support -> presumed at
    # home (settled). D: 76 M, Unknown, community with no component -> presumed in community.
    row("C", born=OLD, accommodation="Unknown"),
    row("D", born=OLD, gender="Male", accommodation="Unknown", component=""),
    row("E", born=""),  # unknown age: dropped from both, counted
    row("F", born="2009-01-01"),  # 17: out
    row("G", died="2025-03-31"),  # died before the year: out
    row("H", psr=LD, gender="Other", born="1995-05-05", accommodation="Shared Lives scheme"),
    row("I", gender="Male", service=LTS_PRISON,
        accommodation="Prison, young offenders institution or detention centre"),
    # J: proxy DOB 1960-09-01; age at the capped end (service end 30 June 2025) is 64, though
    # 65 at the year end -> 18 to 64. Settled.
    row("J", gender="Male", born="1960-09-09", end="2025-06-30",
        accommodation="Owner occupier or shared ownership scheme"),
    # K: an earlier known status beats a later Unknown one (rules.md §5c) -> settled; 76 F.
    row("K", born=OLD, start="2025-04-01", end="2025-04-30", accommodation=TENANT),
    row("K", born=OLD, start="2025-05-01", accommodation="Unknown", component="Meals"),
]  # fmt: skip


def test_2e_people_with_long_term_support_living_at_home_or_with_family():
    m = ascof_measures(ROWS_2E, YEAR)
    e = m["2E"]
    # 18 to 64: A (F, settled), B (M, no), H (Other, settled), I (M, no), J (M, settled).
    assert fig(e, "18 to 64: Total") == (3, 5, Decimal("60.0"))
    assert fig(e, "18 to 64: Male") == (1, 3, Decimal("33.3"))
    assert fig(e, "18 to 64: Female") == (1, 1, Decimal("100.0"))
    # 65 and above: C (F, presumed at home), D (M, presumed in community), K (F, settled).
    assert fig(e, "65 and above: Total") == (2, 3, Decimal("66.7"))
    assert fig(e, "65 and above: Male") == (0, 1, Decimal("0.0"))
    # Total: 5 / 8 = 62.5.
    assert (e.numerator, e.denominator, e.value) == (5, 8, Decimal("62.5"))
    assert e.counts == {"Unknown age": 1, "Unknown or invalid accommodation": 1}  # E; D
    # Learning disability, 18 to 64: H alone (gender Other: in Total only).
    ld = m["2E LD"]
    assert (ld.numerator, ld.denominator, ld.value) == (1, 1, Decimal("100.0"))
    assert fig(ld, "18 to 64: Male") == (0, 0, None)


# ---------------------------------------------------------------------------------------------
# 3D


def carer(person, **kw):
    base = {
        "client": "Unpaid carer",
        "service": CARER_DIRECT,
        "psr": "Social support: Support to unpaid carer",
        "component": "Unpaid carer sitting service",
        "end": "2025-12-31",
    }
    base.update(kw)
    return row(person, **base)


ROWS_3D = [
    row("A", mech=DP),  # 18 to 64: DP
    row("B", component="Direct payment"),  # DP component counts as a DP (DHSC)
    row("C", born=OLD, mech=MPB),  # 65+: managed budget
    row("D", born=OLD, mech=COMMISSIONED),  # 65+: neither
    row("E"),  # 18 to 64: no mechanism, neither
    row("F", service=LTS_NURSING), row("F", mech=DP),  # best setting nursing: not community
    row("G", mech=DP, end="2026-03-30"),  # closed before the snapshot: out
    row("H", born="", mech=MPB),  # unknown age: Total only
    row("I", born="2010-01-01", mech=DP),  # 16: out
    row("J", mech=DP, died="2026-03-30"),  # died before the snapshot: out
    # Carers:
    carer("K", mech=DP),  # 1
    carer("L", mech=MPB, born=OLD),  # 2, 65+
    # M: commissioned with a blank component gets no category (DHSC code quirk); the other
    # assessment outcome gives 6 -> not in the denominator.
    carer("M", mech=COMMISSIONED, component=""),
    assessment("M", client="Unpaid carer", end="2025-06-01", outcome="NFA: Other"),
    carer("N"),  # 4: unknown mechanism, counted separately
    assessment("O", client="Unpaid carer", end="2025-06-01",
               outcome="NFA: Information and advice or signposting"),  # 5
    carer("P", mech=COMMISSIONED), carer("P", mech=DP, start="2025-09-01"),  # best 1
    carer("Q", mech=DP, start="2024-01-01", end="2025-03-31"),  # before the year: out
    carer("S", mech=COMMISSIONED, born="2010-01-01"),  # 16: out
    carer("T", mech=DP, born=""),  # unknown age: Total only
    carer("U", mech=COMMISSIONED),  # 3
]  # fmt: skip


def test_3d_self_directed_support_and_direct_payments():
    m = ascof_measures(ROWS_3D, YEAR)
    # Clients in community support on 31 March: 18 to 64 A, B, E; 65+ C, D; unknown H.
    # 1a (DP or managed budget): 18-64 A, B = 2/3; 65+ C = 1/2; Total A, B, C, H = 4/6.
    assert fig(m["3D1a"], "18 to 64") == (2, 3, Decimal("66.7"))
    assert fig(m["3D1a"], "65 and above") == (1, 2, Decimal("50.0"))
    assert fig(m["3D1a"], "Total") == (4, 6, Decimal("66.7"))
    # 2a (DP): 18-64 A, B = 2/3; 65+ 0/2; Total 2/6 = 33.3.
    assert fig(m["3D2a"], "65 and above") == (0, 2, Decimal("0.0"))
    assert (m["3D2a"].numerator, m["3D2a"].denominator, m["3D2a"].value) == (2, 6, Decimal("33.3"))
    # Carers in categories 1-3: 18-64 K (1), P (1), U (3); 65+ L (2); unknown T (1).
    # 1b (DP or managed budget): 18-64 2/3; 65+ 1/1; Total K, P, L, T = 4/5 = 80.0.
    assert fig(m["3D1b"], "18 to 64") == (2, 3, Decimal("66.7"))
    assert fig(m["3D1b"], "65 and above") == (1, 1, Decimal("100.0"))
    assert fig(m["3D1b"], "Total") == (4, 5, Decimal("80.0"))
    # 2b (DP): Total K, P, T = 3/5 = 60.0; 65+ 0/1.
    assert fig(m["3D2b"], "Total") == (3, 5, Decimal("60.0"))
    assert fig(m["3D2b"], "65 and above") == (0, 1, Decimal("0.0"))
    assert m["3D1b"].counts == {"Carers with unknown delivery mechanism": 1}  # N
