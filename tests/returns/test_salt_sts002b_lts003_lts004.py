"""SALT STS002b, LTS003 and LTS004 (salt-ascof.md), year 2025-26 (1 April 2025 to 31 March
2026). Each expected count is worked out in a comment."""

from carebridge.rules.returns import salt_tables

from .builders import LD, LTS_PRISON, LTS_RESIDENTIAL, ST_MAX, assessment, request, review, row

YEAR = "2025-26"
OLD = "1950-01-10"  # 76 at the year end
CARER_DIRECT = "Unpaid carer support: Direct to unpaid carer"
INFO_ADVICE = "NFA: Information and advice or signposting"


def cells(section):
    return {k: v for k, v in section.cells.items() if v}


def stmax(person, start, end, **kw):
    kw.setdefault("component", "Reablement")
    return row(person, service=ST_MAX, start=start, end=end, **kw)


def test_sts002b_counts_st_max_episodes_of_people_already_in_long_term_support():
    rows = [
        # A: in LTS throughout. Episodes: 1 Jun-20 Jun; then 22 Jun-1 Jul (2 days later, a new
        # episode) joined by 2 Jul-10 Jul (1 day later) -> 2 episodes.
        row("A", start="2024-01-01"),
        stmax("A", "2025-06-01", "2025-06-20"),
        stmax("A", "2025-06-22", "2025-07-01"),
        stmax("A", "2025-07-02", "2025-07-10", component="Other short term support"),
        stmax("B", "2025-06-01", "2025-06-20"),  # no LTS: a new client, not counted
        row("C", start="2024-01-01", end="2025-05-31"),  # LTS ended the day before: no
        stmax("C", "2025-06-01", "2025-06-20"),
        row("D", start="2024-01-01", end="2025-06-01"),  # LTS ends the day it starts: 1
        stmax("D", "2025-06-01", "2025-06-20"),
        row("E", start="2024-01-01"),
        stmax("E", "2026-03-20", "2026-04-02"),  # ends after the year: no
        stmax("E", "2025-03-20", "2025-04-01"),  # ends on the first day: 1
        row("F", start="2024-01-01", died="2025-03-01"),  # died before the year: no
        stmax("F", "2025-02-01", "2025-04-20", died="2025-03-01"),
        row("G", start="2024-01-01"),
        stmax("G", "2026-01-01", ""),  # still open: no
    ]
    t = salt_tables(rows, YEAR)["STS002b"]
    assert t.sections[0].total == 4  # A 2, D 1, E 1


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


def test_lts003_counts_each_carer_once_at_their_best_support():
    rows = [
        carer("K", mech="Direct payment"),
        carer("L", mech="CASSR managed personal budget", born=OLD),
        # M: NHSE has no blank-component quirk (that is DHSC's 3D code): commissioned -> 3.
        carer("M", mech="CASSR commissioned support", component=""),
        carer("N"),  # direct to the carer, no mechanism -> 4
        assessment("O", client="Unpaid carer", end="2025-06-01", outcome=INFO_ADVICE,
                   born="2005-06-01"),  # 5; 20 years old
        request("O2", client="Unpaid carer", end="2025-06-01", outcome=INFO_ADVICE, born=""),
        # O3: a request with another outcome and no service type is not in the cohort.
        request("O3", client="Unpaid carer", end="2025-06-01",
                outcome="Progress to assessment, review or reassessment"),
        review("V", client="Unpaid carer", end="2025-06-01", outcome="NFA: Other",
               born="1935-01-01"),  # 6; 91
        carer("W", service="Unpaid carer support: Support involving the person cared-for",
              born="2008-06-01"),  # 6; 17
        carer("P", mech="CASSR commissioned support"), carer("P", mech="Direct payment",
                                                              start="2025-09-01"),  # 1
        carer("Q", mech="Direct payment", start="2024-01-01", end="2025-03-31"),  # before
        row("R", client="Unpaid carer known by association", event="", service="",
            component="", start="", linked="A"),  # a linking-only row: no event, not counted
        row("X", mech="Direct payment"),  # a service user, not a carer
        carer("Y", mech="Direct payment", died="2025-03-30"),  # died before the year
    ]  # fmt: skip
    t = salt_tables(rows, YEAR)["LTS003"].sections[0]
    assert cells(t) == {
        ("Direct Payment only", "26 to 64"): 2,  # K, P
        ("CASSR Managed Personal Budget", "65 to 84"): 1,  # L
        ("CASSR Commissioned Support only", "26 to 64"): 1,  # M
        ("Support Direct to Carer: Unknown Delivery Mech", "26 to 64"): 1,  # N
        ("Information, Advice and Other Universal Services / Signposting", "18 to 25"): 1,  # O
        ("Information, Advice and Other Universal Services / Signposting", "Unknown"): 1,  # O2
        ("No Direct Support Provided to Carer", "85 and above"): 1,  # V
        ("No Direct Support Provided to Carer", "Under 18"): 1,  # W
    }
    assert t.total == 9


def test_lts004_employment_and_accommodation_of_working_age_clients_with_ld():
    young = "1995-05-05"
    rows = [
        row("A", psr=LD, born=young, employment="Paid: 16 or more hours a week"),
        # B: known 'Seeking work' (earlier) beats a later Unknown.
        row("B", psr=LD, born=young, gender="Male", start="2025-05-01", service=LTS_RESIDENTIAL,
            employment="Not in paid employment: Seeking work",
            accommodation="Registered care home"),
        row("B", psr=LD, born=young, gender="Male", start="2025-07-01", service=LTS_RESIDENTIAL,
            employment="Unknown", accommodation="Registered care home", component="Meals"),
        # C: two known statuses on the same start -> Unknown; accommodation Unknown.
        row("C", psr=LD, born=young, gender="Male", accommodation="Unknown",
            employment="Paid: Less than 16 hours a week"),
        row("C", psr=LD, born=young, gender="Male", accommodation="Unknown", component="Meals",
            employment="Not in paid employment: Voluntary work only"),
        row("D", psr=LD, born=young, employment="", accommodation="Shared Lives scheme"),
        row("E", psr=LD, born=young, service=LTS_PRISON),  # prison: out
        row("F", born=young),  # mental health PSR: out
        row("G", psr=LD, born=OLD),  # 76: out
        # H: proxy DOB 1961-04-01 -> 64 at the year end: in. Invalid accommodation.
        row("H", psr=LD, born="1961-04-30", employment="Unknown", accommodation="Castle"),
        row("I", psr=LD, born="2008-06-01"),  # 17: out
    ]  # fmt: skip
    t = salt_tables(rows, YEAR)["LTS004"]
    assert cells(t.section("LTS004 Table 1: employment status")) == {
        ("Paid: 16 or more hours a week", "Female"): 1,  # A
        ("Not in paid employment: Seeking work", "Male"): 1,  # B
        ("Unknown", "Male"): 1,  # C
        ("NULL/Invalid", "Female"): 1,  # D
        ("Unknown", "Female"): 1,  # H
    }
    assert cells(t.section("LTS004 Table 2a: settled accommodation")) == {
        ("Tenant: Private landlord", "Female"): 1,  # A
        ("Shared Lives scheme", "Female"): 1,  # D
    }
    assert cells(t.section("LTS004 Table 2b: unsettled accommodation")) == {
        ("Registered care home", "Male"): 1,  # B
        ("Unknown", "Male"): 1,  # C
        ("NULL/Invalid", "Female"): 1,  # H
    }
