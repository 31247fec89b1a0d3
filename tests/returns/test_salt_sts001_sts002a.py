"""SALT STS001 and STS002a, the sequel tables (salt-ascof.md), year 2025-26 (1 April 2025 to
31 March 2026). Each expected count is worked out in a comment."""

from carebridge.rules.returns import salt_tables

from .builders import LOW_LEVEL, LTS_NURSING, ST_MAX, assessment, request, row

YEAR = "2025-26"
OLD = "1950-01-10"
ROUTE = "Community / Other route"
INFO_ADVICE = "NFA: Information and advice or signposting"
TO_ASSESSMENT = "Progress to assessment, review or reassessment"
TO_PLANNING = "Progress to support planning or services"


def cells(section):
    return {k: v for k, v in section.cells.items() if v}


def req(person, start="2025-05-01", end="2025-05-03", outcome=TO_ASSESSMENT, **kw):
    return request(person, start=start, end=end, outcome=outcome, **kw)


def ass(person, start="2025-05-10", end="2025-05-20", outcome=TO_PLANNING, **kw):
    return assessment(person, start=start, end=end, outcome=outcome, **kw)


def stmax(person, start="2025-05-05", end="2025-05-30", **kw):
    kw.setdefault("outcome", "Continuation of support or services")
    return row(person, service=ST_MAX, component="Reablement", start=start, end=end, **kw)


ROWS_STS001 = [
    req("A", outcome=INFO_ADVICE),  # type 1, nothing after -> universal services
    # B: assessment 7 days after, then LTS 2 days after it ends -> a service: community.
    req("B"), ass("B"), row("B", start="2025-05-22"),
    # C: ST-Max 2 days after, then nursing -> ST-Max beats nursing in B6 (STS001).
    req("C"), stmax("C"), row("C", service=LTS_NURSING, start="2025-06-01"),
    req("D"), ass("D", start="2025-06-15", end="2025-06-20"),  # 43 days later: type 5
    req("E"), ass("E", outcome="NFA: Support declined"),  # type 3 -> other reason
    # F: no service and no NFA in the chain: type 4 -> the request's own NFA (other reason).
    req("F", outcome="NFA: Self-funded client or under 12wk disregard"), ass("F"),
    req("F2"), ass("F2"),  # type 4, the request has no NFA -> No Service Found
    row("G", start="2024-01-01"), req("G"),  # in LTS when the request started: not new
    # H: two requests 3 days apart are one cluster: counted once, latest-ending outcome.
    req("H", end="2025-05-02"), req("H", start="2025-05-05", end="2025-05-06", outcome=INFO_ADVICE),
    req("I", start="2025-03-25", end="2025-03-31"),  # ended before the year: out
    req("I2", start="2025-03-25", end="2025-04-01", outcome="NFA: Other"),  # in: other reason
    req("J", born=OLD, route="Discharge from Hospital",
        outcome="NFA: Referral to NHS services or NHS funded social care"),  # 65+, NHS
    # K: another request comes first -> type 5 (own: unable to classify); the second request
    # is its own cluster (7 days on) with nothing after -> universal services.
    req("K"), req("K", start="2025-05-10", end="2025-05-12", outcome=INFO_ADVICE),
    # L: two different NFAs on assessments ending the same day -> 'NFA: Other' -> other reason.
    req("L"), ass("L", outcome="NFA: Support declined"),
    ass("L", start="2025-05-12", outcome="NFA: Deceased", assessment_type="Short term assessment"),
    req("M", born=""),  # no birth date: out
    # O: two rows ending the same day with different outcomes: the better one (I&A) wins.
    req("O", outcome="NFA: Other"), req("O", start="2025-05-02", outcome=INFO_ADVICE),
]  # fmt: skip


def test_sts001_requests_from_new_clients_by_sequel():
    t = salt_tables(ROWS_STS001, YEAR)["STS001"]
    assert cells(t.section("STS001 Table 1a: 18 to 64")) == {
        ("Universal services / signposted to other services", ROUTE): 4,  # A, H, K (2nd), O
        ("Long Term Support: Community", ROUTE): 1,  # B
        ("Short Term Support to Maximise Independence (ST-Max)", ROUTE): 1,  # C
        ("Unable to classify", ROUTE): 2,  # D, K (1st)
        ("No services provided - other reason", ROUTE): 4,  # E, F, I2, L
        ("No Service Found", ROUTE): 1,  # F2
    }
    assert cells(t.section("STS001 Table 1b: 65 and above")) == {
        ("100% NHS funded care", "Discharge from Hospital"): 1  # J
    }


ROWS_STS002A = [
    req("C"), stmax("C"), row("C", service=LTS_NURSING, start="2025-06-01"),  # -> LTS
    req("P"), stmax("P", outcome="NFA: Support ended as planned"),  # own outcome -> other
    req("Q"), stmax("Q"), row("Q", service=LOW_LEVEL, start="2025-06-02", end="2025-06-30"),
    # R: an NFA on an assessment 2 days after -> needs identified but self-funding.
    req("R"), stmax("R"),
    ass("R", start="2025-06-01", end="2025-06-05",
        outcome="NFA: Self-funded client or under 12wk disregard"),
    # S: LTS 5 days after the episode: out of scope; own outcome unmappable -> No Service Found.
    req("S"), stmax("S", outcome=TO_PLANNING), row("S", start="2025-06-04"),
    stmax("T"),  # no request: not a new client's ST-Max sequel, not counted
    req("U"), stmax("U", outcome="NFA: Deceased"),  # -> early cessation
]  # fmt: skip


def test_sts002a_what_followed_st_max_for_new_clients():
    tables = salt_tables(ROWS_STS002A, YEAR)
    # Every request above had an ST-Max sequel in STS001 (C, P, Q, R, S, U: 6).
    sts001 = tables["STS001"].section("STS001 Table 1a: 18 to 64")
    assert sts001.row_total("Short Term Support to Maximise Independence (ST-Max)") == 6
    t = tables["STS002a"].sections[0]
    col = "ST-Max episodes"
    assert cells(t) == {
        ("Long Term Support (any setting)", col): 1,  # C
        ("No services provided - other", col): 1,  # P
        ("Ongoing Low Level Support", col): 1,  # Q
        ("No services provided - needs identified but self-funding", col): 1,  # R
        ("No Service Found", col): 1,  # S
        (
            "Early cessation of service (not leading to long term support) - 100% NHS funded "
            "care/End of Life/deceased",
            col,
        ): 1,  # U
    }
