"""SALT-equivalent tables from CLD rows (NHSE 2023/24 replication method, translated to R2).

Each function cites its section of ``shared/reference/cld/salt-ascof.md``. The note warns that
DHSC's own 2024/25 SALT-equivalent methodology is not in the notes: check against it before
publishing numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

from carebridge.rules import cld, dates

from .cohort import (
    AGE_18_64,
    AGE_65_PLUS,
    INVALID_NULL,
    LTS_COMMUNITY,
    LTS_NURSING,
    LTS_RESIDENTIAL,
    ST_MAX,
    Cohort,
    Event,
    Year,
    age_at,
    clusters,
    in_lts_on,
    is_lts,
    pick_latest,
    setting_label,
    setting_rank,
    working_age_band,
)
from .cohort import SETTINGS as SETTING_COLUMNS
from .person_details import CARER_CATEGORIES, carer_category, in_carer_cohort
from .results import Section, Table, section
from .sequels import sts001_with_cohort, sts002a

BANDS = (AGE_18_64, AGE_65_PLUS)
NO_ETHNICITY = "No data: Undeclared or not known"
NO_ETHNICITY_VALUES = ("No data: Refused", NO_ETHNICITY)


def _psr_rows() -> tuple[str, ...]:
    return (*cld.codes(cld.PRIMARY_SUPPORT_REASON), INVALID_NULL)


def _best_rows(rows: Sequence[Event]) -> tuple[int, list[Event]]:
    """B5: the person's rows at their best setting rank."""
    ranks = [(setting_rank(r), r) for r in rows]
    best = min(k for k, _ in ranks)
    return best, [r for k, r in ranks if k == best]


def _psr_by_setting(
    name: str, by_person: Iterable[Sequence[Event]], on: dt.date
) -> tuple[Section, Section]:
    """LTS001a de-duplication (one row per person per table): keep the best B5 rank, prefer a
    known PSR, then the latest start; an invalid PSR is 'Invalid/NULL'; a remaining conflict is
    'Unknown'. Tables 1a (18 to 64) and 1b (65 and above) by age at ``on``; under-18s and
    unknown ages are left out. A person whose rows give two ages (two birth dates) is placed in
    each table by the rows of that age, as NHSE de-duplicates per table."""
    counts = {band: Counter[tuple[str, str]]() for band in BANDS}
    valid_psr = cld.codes(cld.PRIMARY_SUPPORT_REASON)
    for rows in by_person:
        by_band: dict[str, list[Event]] = {}
        for r in rows:
            by_band.setdefault(working_age_band(age_at(r.born, on)), []).append(r)
        for band in BANDS:
            if band not in by_band:
                continue
            rank, top = _best_rows(by_band[band])
            psr = pick_latest(top, lambda e: e.psr, valid_psr)
            counts[band][(psr, setting_label(rank))] += 1
    psr_rows = _psr_rows()
    return (
        section(f"{name} Table 1a: {AGE_18_64}", psr_rows, SETTING_COLUMNS, counts[AGE_18_64]),
        section(f"{name} Table 1b: {AGE_65_PLUS}", psr_rows, SETTING_COLUMNS, counts[AGE_65_PLUS]),
    )


def _lts_rows(cohort: Cohort, keep) -> list[list[Event]]:
    out = []
    for _, evs in cohort.people():
        rows = [
            e for e in evs if is_lts(e) and e.client_type == cld.SERVICE_USER and e.born and keep(e)
        ]
        if rows:
            out.append(rows)
    return out


def lts001a(cohort: Cohort) -> Table:
    """SALT LTS001a, people accessing long-term support during the year (salt-ascof.md "SALT
    LTS001a"): service-user LTS rows (B3) overlapping the year, not dead before the year
    start, birth month and year present, age at the year end; one row per person per table at
    the best B5 setting (NHSE does not read a 'Direct payment' component as a direct payment).
    """
    y = cohort.year
    people = _lts_rows(cohort, lambda e: e.overlaps(y.start, y.end) and e.alive_on(y.start))
    return Table(
        "LTS001a",
        "Number of clients accessing long term support during the year, by primary support "
        "reason, setting and delivery mechanism",
        "salt-ascof.md SALT LTS001a (NHSE LTS001a replication code)",
        _psr_by_setting("LTS001a", people, y.end),
    )


def lts001b(cohort: Cohort) -> Table:
    """SALT LTS001b, people in long-term support at the year end (salt-ascof.md "SALT
    LTS001b"): as LTS001a but rows open on the snapshot (31 March), not dead before it, age at
    it. Tables 1a/1b by PSR; Table 2 all ages by Has_Unpaid_Carer (Yes/No known preferred,
    conflicts 'Unknown', invalid 'Invalid/NULL'); Tables 3a (Male) / 3b (Female) all ages by
    ethnicity (known preferred, conflicts 'No data: Undeclared or not known'). Each person once
    at their best B5 setting."""
    snap = cohort.year.end
    people = _lts_rows(cohort, lambda e: e.open_on(snap) and e.alive_on(snap))
    t1a, t1b = _psr_by_setting("LTS001b", people, snap)
    carer: Counter[tuple[str, str]] = Counter()
    eth = {"Male": Counter[tuple[str, str]](), "Female": Counter[tuple[str, str]]()}
    ethnicities = cld.codes(cld.ETHNICITY)
    for rows in people:
        rank, top = _best_rows(rows)
        col = setting_label(rank)
        has_carer = pick_latest(top, lambda e: e.has_unpaid_carer, ("Yes", "No"))
        carer[(has_carer, col)] += 1
        # Decision (LTS001b tables 3a/3b): gender is chosen like the other attributes (known
        # Male/Female preferred, latest start); a person whose gender is neither or conflicts
        # is in neither table.
        gender = pick_latest(top, lambda e: e.gender, ("Male", "Female"))
        if gender in eth:
            value = pick_latest(
                top,
                lambda e: e.ethnicity,
                ethnicities,
                unknown=NO_ETHNICITY_VALUES,
                conflict=NO_ETHNICITY,
            )
            eth[gender][(value, col)] += 1
    eth_rows = (*ethnicities, INVALID_NULL)
    return Table(
        "LTS001b",
        "Number of clients in long term support at the year end, by primary support reason, "
        "unpaid carer, ethnicity, setting and delivery mechanism",
        "salt-ascof.md SALT LTS001b (NHSE LTS001b replication code)",
        (
            t1a,
            t1b,
            section(
                "LTS001b Table 2: all ages, by unpaid carer",
                ("Yes", "No", cld.UNKNOWN, INVALID_NULL),
                SETTING_COLUMNS,
                carer,
            ),
            section("LTS001b Table 3a: Male", eth_rows, SETTING_COLUMNS, eth["Male"]),
            section("LTS001b Table 3b: Female", eth_rows, SETTING_COLUMNS, eth["Female"]),
        ),
    )


# Chains of long-term support broken by more than this many days (B8, NHSE LTS001c).
LTS_CHAIN_GAP_DAYS = 1


def lts001c(cohort: Cohort) -> Table:
    """SALT LTS001c, people in long-term support at the year end for more than 12 months
    (salt-ascof.md "SALT LTS001c"): service-user LTS rows starting on or before the snapshot,
    not dead before it, birth date present; unbroken chains across settings (B8, gap 1 day,
    open rows open-ended); rows of chains that started more than 12 months before the
    snapshot and that are still open on it; tables 1a/1b as LTS001a, age at the snapshot.

    Decision (LTS001c): the note gives NHSE's code (chain start < snapshot - 12 months) and its
    PDF (on or before snapshot - 12 months); the code is followed, so a chain starting exactly
    12 months before the snapshot (31 March of the year before) does not count."""
    snap = cohort.year.end
    cutoff = dates.add_months(snap, -12)
    people = []
    for rows in _lts_rows(
        cohort, lambda e: e.start is not None and e.start <= snap and e.alive_on(snap)
    ):
        kept = [
            r
            for chain in clusters(rows, LTS_CHAIN_GAP_DAYS)
            if chain.start < cutoff
            for r in chain.rows
            if r.open_on(snap)
        ]
        if kept:
            people.append(kept)
    return Table(
        "LTS001c",
        "Number of clients in long term support at the year end who had been in long term "
        "support for more than 12 months, by primary support reason, setting and delivery "
        "mechanism",
        "salt-ascof.md SALT LTS001c (NHSE LTS001c replication code)",
        _psr_by_setting("LTS001c", people, snap),
    )


# ---------------------------------------------------------------------------------------------
# STS002b

ST_MAX_GAP_DAYS = 1  # B8, NHSE ST-Max clusters (STS002a/b)


def sts002b(cohort: Cohort) -> Table:
    """SALT STS002b, ST-Max for existing clients (salt-ascof.md "SALT STS002b"): service-user
    ST-Max service rows of people not dead before the year start, clustered (B8, gap 1 day);
    clusters ending in the year for people who had an open LTS service (B3) on the day the
    cluster started. Only the high-level total: sequels and breakdowns are not derivable."""
    y = cohort.year
    count = 0
    for _, evs in cohort.people():
        st_max = [
            e
            for e in evs
            if e.event_type == cld.SERVICE
            and e.service_type == ST_MAX
            and e.client_type == cld.SERVICE_USER
            and e.alive_on(y.start)
        ]
        if not st_max:
            continue
        for c in clusters(st_max, ST_MAX_GAP_DAYS):
            if y.start <= c.end <= y.end and in_lts_on(evs, c.start, service_users_only=True):
                count += 1
    return Table(
        "STS002b",
        "Number of completed episodes of ST-Max for existing clients (in long term support "
        "when the episode started)",
        "salt-ascof.md SALT STS002b (NHSE STS002b replication code)",
        (
            section(
                "STS002b: total",
                ("Existing clients",),
                ("ST-Max episodes",),
                Counter({("Existing clients", "ST-Max episodes"): count}),
            ),
        ),
    )


# ---------------------------------------------------------------------------------------------
# LTS003

CARER_AGE_BANDS = ("Under 18", "18 to 25", "26 to 64", "65 to 84", "85 and above", "Unknown")


def carer_age_band(age: int | None) -> str:
    if age is None:
        return "Unknown"
    for limit, band in ((18, "Under 18"), (26, "18 to 25"), (65, "26 to 64"), (85, "65 to 84")):
        if age < limit:
            return band
    return "85 and above"


def lts003(cohort: Cohort) -> Table:
    """SALT LTS003, carers supported during the year (salt-ascof.md "SALT LTS003"): rows of
    unpaid carers (and carers known by association) overlapping the year, carer not dead
    before its start, request/assessment/service/review rows meeting (a) no service type with
    an information-and-advice outcome, (b) an unpaid-carer support service or (c) an
    assessment or review with no service type; each carer once, at the lowest support
    category (1 direct payment ... 6 no direct support). Unknown ages are kept.

    Columns are the optional carer age bands at the year end. Decision (LTS003): a carer's age
    is the lowest across their cohort rows (as DHSC's 3D carers do)."""
    y = cohort.year
    counts: Counter[tuple[str, str]] = Counter()
    for _, evs in cohort.people():
        rows = [
            e
            for e in evs
            if in_carer_cohort(e) and e.overlaps(y.start, y.end) and e.alive_on(y.start)
        ]
        cats = [c for c in (carer_category(e) for e in rows) if c is not None]
        if not cats:
            continue
        ages = [a for a in (age_at(e.born, y.end) for e in rows) if a is not None]
        band = carer_age_band(min(ages) if ages else None)
        counts[(CARER_CATEGORIES[min(cats) - 1], band)] += 1
    return Table(
        "LTS003",
        "Carers supported during the year, by support provided and age of carer",
        "salt-ascof.md SALT LTS003 (NHSE LTS003 replication code)",
        (section("LTS003: support provided", CARER_CATEGORIES, CARER_AGE_BANDS, counts),),
    )


# ---------------------------------------------------------------------------------------------
# LTS004

LTS004_SERVICES = frozenset({LTS_NURSING, LTS_RESIDENTIAL, LTS_COMMUNITY})
LEARNING_DISABILITY = "Learning disability support"
NULL_INVALID = "NULL/Invalid"


def _pick_lts004(rows: Sequence[Event], get: Callable[[Event], str], field_name: str) -> str:
    v = pick_latest(rows, get, cld.codes(field_name))
    return NULL_INVALID if v == INVALID_NULL else v


def lts004(cohort: Cohort) -> Table:
    """SALT LTS004, accommodation and employment of working-age clients with a learning
    disability (salt-ascof.md "SALT LTS004"): service-user LTS Nursing/Residential/Community
    rows (no Prison) with PSR learning disability support, overlapping the year, not dead
    before its start, birth date present and age 18 to 64 at the year end. Each status is the
    one on the person's latest-starting event, known preferred over Unknown, conflicts
    'Unknown', only blank or invalid values 'NULL/Invalid'. Table 1: employment x gender;
    2a: settled accommodation x gender; 2b: unsettled accommodation (incl. Unknown) x gender.

    Decisions (LTS004): gender is chosen the same way (a conflict gives 'Unknown'); a person
    whose accommodation is blank or invalid is counted in table 2b's 'NULL/Invalid' row."""
    y = cohort.year
    genders = (*cld.codes(cld.GENDER), NULL_INVALID)
    employment: Counter[tuple[str, str]] = Counter()
    settled: Counter[tuple[str, str]] = Counter()
    unsettled: Counter[tuple[str, str]] = Counter()
    for _, evs in cohort.people():
        rows = [
            e
            for e in evs
            if e.event_type == cld.SERVICE
            and e.service_type in LTS004_SERVICES
            and e.client_type == cld.SERVICE_USER
            and e.psr == LEARNING_DISABILITY
            and e.born
            and e.overlaps(y.start, y.end)
            and e.alive_on(y.start)
            and working_age_band(age_at(e.born, y.end)) == AGE_18_64
        ]
        if not rows:
            continue
        gender = _pick_lts004(rows, lambda e: e.gender, cld.GENDER)
        employment[(_pick_lts004(rows, lambda e: e.employment, cld.EMPLOYMENT_STATUS), gender)] += 1
        status = _pick_lts004(rows, lambda e: e.accommodation, cld.ACCOMMODATION_STATUS)
        (settled if status in cld.SETTLED_ACCOMMODATION else unsettled)[(status, gender)] += 1
    accommodation = cld.codes(cld.ACCOMMODATION_STATUS)
    return Table(
        "LTS004",
        "Working-age clients (18 to 64) with a learning disability in long term support during "
        "the year, by employment and accommodation status and gender",
        "salt-ascof.md SALT LTS004 (NHSE LTS004 replication code)",
        (
            section(
                "LTS004 Table 1: employment status",
                (*cld.codes(cld.EMPLOYMENT_STATUS), NULL_INVALID),
                genders,
                employment,
            ),
            section(
                "LTS004 Table 2a: settled accommodation",
                tuple(a for a in accommodation if a in cld.SETTLED_ACCOMMODATION),
                genders,
                settled,
            ),
            section(
                "LTS004 Table 2b: unsettled accommodation",
                (*(a for a in accommodation if a not in cld.SETTLED_ACCOMMODATION), NULL_INVALID),
                genders,
                unsettled,
            ),
        ),
    )


def salt_tables(
    rows: Iterable[Mapping[str, object]] | Cohort, year: Year | str
) -> dict[str, Table]:
    """Every SALT-equivalent table computed from CLD rows for a financial year, by code."""
    cohort = Cohort.build(rows, year)
    sts001, st_max_cohort = sts001_with_cohort(cohort)
    tables = [
        sts001,
        sts002a(cohort, st_max_cohort),
        sts002b(cohort),
        lts001a(cohort),
        lts001b(cohort),
        lts001c(cohort),
        lts003(cohort),
        lts004(cohort),
    ]
    return {t.code: t for t in tables}
