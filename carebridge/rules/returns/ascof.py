"""ASCOF measures computable from CLD rows (DHSC 2024/25-onwards method, Release 2 values).

Each function cites its section of ``shared/reference/cld/salt-ascof.md``. ASCOF 2D needs
linked hospital (SUS/HES) data and is not computable from CLD alone (salt-ascof.md "ASCOF 2D").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from carebridge.rules import cld

from .cohort import (
    AGE_18_64,
    AGE_65_PLUS,
    COMMUNITY_RANKS,
    LONG_TERM_SUPPORT,
    LTS_NURSING,
    LTS_RESIDENTIAL,
    OPEN_END,
    ST_MAX,
    ST_ONGOING_LOW_LEVEL,
    ST_OTHER,
    TOTAL,
    UNDER_18,
    UNKNOWN_AGE,
    Cluster,
    Cohort,
    Event,
    Year,
    age_at,
    clusters,
    is_lts,
    outcome_rank,
    setting_rank,
    working_age_band,
)
from .person_details import (
    SETTLED,
    PersonDetails,
    carer_category,
    in_carer_cohort,
    person_details,
)
from .results import Figure, Measure, per_100k, percentage

LEARNING_DISABILITY = "Learning disability support"
AGE_GROUPS = (AGE_18_64, AGE_65_PLUS, TOTAL)
_ZERO = Decimal("0.0")  # 2A step 8: an LA with no denominator gets 0


def _details(cohort: Cohort) -> dict[str, PersonDetails]:
    return {p: person_details(evs) for p, evs in cohort.people()}


def _by_age(
    people: Iterable[tuple[str, bool, bool]], *, empty_value=None
) -> tuple[dict[str, Figure], Counter[str]]:
    """(age band, in numerator, in denominator) per person -> figures for 18 to 64, 65 and
    above and Total (unknown ages in Total only)."""
    num: Counter[str] = Counter()
    den: Counter[str] = Counter()
    for band, in_num, in_den in people:
        for group in (band, TOTAL) if band in (AGE_18_64, AGE_65_PLUS) else (TOTAL,):
            num[group] += in_num
            den[group] += in_den
    return {g: percentage(num[g], den[g], empty=empty_value) for g in AGE_GROUPS}, den


# ---------------------------------------------------------------------------------------------
# ASCOF 2A

NOT_A_SEQUEL = frozenset(
    {
        "Continuation of support or services",
        "Progress to support planning or services",
        "Progress to assessment, review or reassessment",
        "Progress to reablement/ST-Max",
    }
)
ADMITTED_TO_HOSPITAL = "Admitted to hospital"
DECEASED = "NFA: Deceased"
ENDED_AS_PLANNED = "NFA: Support ended as planned"
INVALID_OUTCOME = "Invalid and not mapped"
ST_RES_OR_NURSING = "Short term support: Residential or Nursing care"
ST_RES_NURS_COMPONENTS = frozenset({"Short term residential care", "Short term nursing care"})
EQUIPMENT = "Equipment"
SEQUEL_SERVICES = (
    LTS_NURSING,
    LTS_RESIDENTIAL,
    "Long term support: Community",
    "Long term support: Prison",
    ST_MAX,
    ST_ONGOING_LOW_LEVEL,
    ST_OTHER,
)
ASCOF_2A_NUMERATOR = frozenset(
    {
        ST_ONGOING_LOW_LEVEL,
        ST_OTHER,
        "NFA: Information and advice or signposting",
        ENDED_AS_PLANNED,
        "NFA: Responsibility moved to another local authority",
        "NFA: Other",
        "NFA: No services offered for other reason",
        "NFA: Support ended for other reason",
        "NFA: Referral to other service within the local authority",
    }
)
ASCOF_2A_DENOMINATOR = ASCOF_2A_NUMERATOR | set(LONG_TERM_SUPPORT) | {ST_RES_OR_NURSING}
ST_MAX_GAP_DAYS = 7  # B8, DHSC ST-Max clusters (2A, 2D)
NEW_CLIENT_LOOKBACK_DAYS = 91  # 2A step 4: the code tests 91 (its comment says 365)
SEQUEL_WINDOW_DAYS = 7
NESTED_DAYS = 14


def hierarchy(outcome: str) -> int:
    """2A step 1: B7 (DHSC) rank, +100 for outcomes that cannot serve as a sequel (the
    'Progress to...'/'Continuation' values, R1-only values and invalid or blank ones)."""
    rank = outcome_rank(outcome)
    if outcome in NOT_A_SEQUEL or rank == 99:
        return rank + 100
    return rank


def _end(e: Event) -> dt.date:
    return e.end or OPEN_END


def _cluster_outcome(c: Cluster) -> str:
    """2A step 2: the outcome of the latest-ending row; ties by lower hierarchy, then lower
    record."""
    best = min(c.latest_ending, key=lambda e: (hierarchy(e.outcome or INVALID_OUTCOME), e.record))
    return best.outcome or INVALID_OUTCOME


def _best_service(window: Sequence[Event]) -> str | None:
    services = [
        e for e in window if e.event_type == cld.SERVICE and e.service_type in SEQUEL_SERVICES
    ]
    if not services:
        return None
    best = min(
        services,
        key=lambda e: (
            SEQUEL_SERVICES.index(e.service_type),
            0 if e.component in ST_RES_NURS_COMPONENTS else 1,
        ),
    )
    if best.service_type == ST_OTHER and best.component in ST_RES_NURS_COMPONENTS:
        return ST_RES_OR_NURSING
    return best.service_type


def final_outcome_2a(c: Cluster, events: Sequence[Event], died: dt.date | None) -> tuple[str, bool]:
    """2A step 5, the first step that applies decides; returns (outcome, classified)."""
    if died is not None and died <= c.end + dt.timedelta(days=SEQUEL_WINDOW_DAYS):
        return DECEASED, True
    own = _cluster_outcome(c)
    if own == ADMITTED_TO_HOSPITAL:
        return own, True
    last_day = c.end + dt.timedelta(days=SEQUEL_WINDOW_DAYS)
    window = [e for e in events if e.start and c.start <= e.start <= last_day and _end(e) > c.end]
    later_st_max = [
        e.start for e in window if e.event_type == cld.SERVICE and e.service_type == ST_MAX
    ]
    if later_st_max:
        first = min(later_st_max)
        window = [e for e in window if e.start < first]
    service = _best_service(window)
    if service:
        return service, True
    candidates = []
    if hierarchy(own) < 100:
        candidates.append(own)
    candidates += [
        e.outcome
        for e in window
        if e.event_type != cld.SERVICE
        and hierarchy(e.outcome) < 100
        and e.outcome != ENDED_AS_PLANNED
    ]
    nested = [
        e
        for e in events
        if e.event_type in (cld.ASSESSMENT, cld.REVIEW)
        and e.end
        and c.start < e.end <= c.end
        and (c.end - e.end).days < NESTED_DAYS
        and hierarchy(e.outcome) < 100
    ]
    if nested:
        candidates.append(max(nested, key=lambda e: (e.end, e.record)).outcome)
    if candidates:
        return min(candidates, key=hierarchy), True
    # Decision (2A step 5.5): "nested" equipment is read as an Equipment service starting
    # within the episode (equipment end dates are often later than delivery, rules.md §8).
    if any(
        e.event_type == cld.SERVICE
        and e.component == EQUIPMENT
        and e.start
        and c.start <= e.start <= c.end
        for e in events
    ):
        return ST_ONGOING_LOW_LEVEL, True
    return own, False


def ascof_2a(cohort: Cohort, details: Mapping[str, PersonDetails]) -> Measure:
    """ASCOF 2A (salt-ascof.md "ASCOF 2A", DHSC 2024/25 onwards): of the ST-Max (reablement)
    episodes of new clients ending in the year, the share whose final outcome was not
    long-term support (or short-term residential/nursing care)."""
    y = cohort.year
    people = []
    outcomes: Counter[str] = Counter()
    unclassified = 0
    for pid, evs in cohort.people():
        base = [
            e
            for e in evs
            if e.client_type == cld.SERVICE_USER and e.start and (e.end is None or e.end >= e.start)
        ]
        st_max = [e for e in base if e.event_type == cld.SERVICE and e.service_type == ST_MAX]
        if not st_max:
            continue
        pd = details[pid]
        lts = [e for e in base if is_lts(e)]
        for c in clusters(st_max, ST_MAX_GAP_DAYS):
            if not (y.start <= c.end <= y.end):
                continue
            band = working_age_band(age_at(pd.born, c.end))
            if band == UNDER_18 or (pd.died is not None and pd.died < c.start):
                continue
            if any(
                b.start < c.start
                and (b.end is None or (c.start - b.end).days < NEW_CLIENT_LOOKBACK_DAYS)
                for b in lts
            ):
                continue  # not a new client (step 4)
            outcome, classified = final_outcome_2a(c, base, pd.died)
            if not classified:
                unclassified += 1
                outcomes[f"Unable to classify: {outcome}"] += 1
                continue
            outcomes[outcome] += 1
            people.append((band, outcome in ASCOF_2A_NUMERATOR, outcome in ASCOF_2A_DENOMINATOR))
    figures, _ = _by_age(people, empty_value=_ZERO)
    return Measure(
        "2A",
        "The proportion of people who received short-term services during the year, where no "
        "further request was made for ongoing support",
        "Numerator: ST-Max episodes of new clients, ending in the year, whose final outcome is "
        "short-term support (ongoing low level or other) or no further action of the listed "
        "kinds. Denominator: those episodes whose final outcome is in the numerator list, "
        "long-term support or short-term residential/nursing care. Episodes: ST-Max services "
        "clustered with gaps of 7 days or less; deaths, hospital admissions, NHS referrals, "
        "self-funders, declined support and unclassified outcomes are left out.",
        "salt-ascof.md ASCOF 2A (DHSC Create_ASCOF_2A_2425_Onwards.sql)",
        figures,
        counts={"Unable to classify": unclassified, **dict(sorted(outcomes.items()))},
    )


# ---------------------------------------------------------------------------------------------
# ASCOF 2B / 2C

SELF_FUNDED = "NFA: Self-funded client or under 12wk disregard"
ADMISSION_LOOKBACK_DAYS = 365


def _res_or_nursing(e: Event) -> bool:
    """2B/2C ``resnurs``: a service-user residential or nursing service whose component names
    residential or nursing care and not a short stay. Decision (salt-ascof.md 2B/2C note): a
    blank component is left out, copying DHSC's code (SQL three-valued logic drops it despite
    the ``IS NULL`` allowance), so the figures match the published ones."""
    comp = e.component.casefold()
    return (
        e.event_type == cld.SERVICE
        and e.client_type == cld.SERVICE_USER
        and e.service_type in (LTS_RESIDENTIAL, LTS_NURSING)
        and e.start is not None
        and bool(comp)
        and ("residential" in comp or "nursing" in comp)
        and "short" not in comp
    )


def ascof_2b_2c(
    cohort: Cohort,
    details: Mapping[str, PersonDetails],
    population_18_64: int | None = None,
    population_65_plus: int | None = None,
) -> tuple[Measure, Measure]:
    """ASCOF 2B (18 to 64) and 2C (65 and above), long-term support needs met by admission to
    residential and nursing care homes, per 100,000 population (salt-ascof.md "ASCOF 2B / 2C",
    DHSC 2024/25 onwards). Without the ONS mid-year population the value is None and the
    numerator (people admitted) is still given."""
    y = cohort.year
    bands: Counter[str] = Counter()
    for pid, evs in cohort.people():
        pd = details[pid]
        if pd.born is None or not pd.alive_on(y.start):
            continue
        resnurs = [e for e in evs if _res_or_nursing(e)]
        person_bands = set()
        for a in resnurs:
            if not (y.start <= a.start <= y.end) or a.outcome == SELF_FUNDED:
                continue
            if any(
                b.start < a.start
                and (b.end is None or (a.start - b.end).days < ADMISSION_LOOKBACK_DAYS)
                for b in resnurs
            ):
                continue  # not a new admission
            band = working_age_band(age_at(pd.born, a.start))
            if band in (AGE_18_64, AGE_65_PLUS):
                person_bands.add(band)
        if person_bands:  # MIN(band): a person admitted at both ages counts as 18 to 64
            bands[min(person_bands)] += 1
    definition = (
        "Number of council-supported permanent admissions to residential and nursing care "
        "(service-user residential/nursing services starting in the year, not short stays, not "
        "self-funded, with no such service ending fewer than 365 days before), people counted "
        "once, per 100,000 population of the age group (ONS mid-year estimate)."
    )
    source = "salt-ascof.md ASCOF 2B / 2C (DHSC Create_ASCOF_2B2C_2425_Onwards.sql)"
    return (
        Measure(
            "2B",
            "Long-term support needs of younger adults (aged 18-64) met by admission to "
            "residential and nursing care homes, per 100,000 population",
            definition,
            source,
            {AGE_18_64: per_100k(bands[AGE_18_64], population_18_64)},
            headline=AGE_18_64,
            unit="per 100,000",
        ),
        Measure(
            "2C",
            "Long-term support needs of older adults (aged 65 and over) met by admission to "
            "residential and nursing care homes, per 100,000 population",
            definition,
            source,
            {AGE_65_PLUS: per_100k(bands[AGE_65_PLUS], population_65_plus)},
            headline=AGE_65_PLUS,
            unit="per 100,000",
        ),
    )


# ---------------------------------------------------------------------------------------------
# ASCOF 2E


def ascof_2e(cohort: Cohort, details: Mapping[str, PersonDetails]) -> tuple[Measure, Measure]:
    """ASCOF 2E, people receiving long-term support who live in their home or with family
    (salt-ascof.md "ASCOF 2E", DHSC 2024/25 onwards), and the learning-disability variant.

    Cohort: service-user LTS rows incl. Prison overlapping the year (end >= start or blank);
    person attributes from the person-details table (§5c, accommodation inferred); not dead
    before the year start; age at the person's latest LTS end capped at the year end; under
    18s out; unknown age dropped from numerator and denominator (counted separately).
    Numerator: settled accommodation (incl. 'Unknown: Presumed at home').

    Decision: the headline (Total) is 18 to 64 plus 65 and above; each age group is also split
    Male / Female / Total, Total including other and unknown genders."""
    y = cohort.year
    groups = [f"{b}: {g}" for b in (AGE_18_64, AGE_65_PLUS) for g in ("Male", "Female", TOTAL)]
    num: dict[str, Counter[str]] = {"all": Counter(), "ld": Counter()}
    den: dict[str, Counter[str]] = {"all": Counter(), "ld": Counter()}
    unknown_age = unknown_accommodation = 0
    for pid, evs in cohort.people():
        rows = [
            e
            for e in evs
            if is_lts(e)
            and e.client_type == cld.SERVICE_USER
            and e.overlaps(y.start, y.end)
            and (e.end is None or e.end >= e.start)
        ]
        if not rows:
            continue
        pd = details[pid]
        if not pd.alive_on(y.start):
            continue
        capped_end = min(max(_end(e) for e in rows), y.end)
        band = working_age_band(age_at(pd.born, capped_end))
        if band == UNDER_18:
            continue
        if band == UNKNOWN_AGE:
            unknown_age += 1
            continue
        settled = pd.accommodation in SETTLED
        if not settled and (
            pd.accommodation == cld.UNKNOWN
            or not cld.is_valid(cld.ACCOMMODATION_STATUS, pd.accommodation)
        ):
            unknown_accommodation += 1
        keys = [f"{band}: {TOTAL}"]
        if pd.gender in ("Male", "Female"):
            keys.append(f"{band}: {pd.gender}")
        variants = ["all"]
        if pd.psr == LEARNING_DISABILITY and band == AGE_18_64:
            variants.append("ld")
        for v in variants:
            for k in (*keys, TOTAL):
                num[v][k] += settled
                den[v][k] += 1
    source = "salt-ascof.md ASCOF 2E (DHSC Create_ASCOF_2E_2425_Onwards.sql)"
    definition = (
        "Numerator: people receiving long-term support during the year (any setting, incl. "
        "prison) whose accommodation is settled (incl. DHSC's 'Unknown: Presumed at home'). "
        "Denominator: all such people aged 18 or over with a known age."
    )
    everyone = Measure(
        "2E",
        "The proportion of people who receive long-term support who live in their home or "
        "with family",
        definition,
        source,
        {g: percentage(num["all"][g], den["all"][g]) for g in (TOTAL, *groups)},
        counts={
            "Unknown age": unknown_age,
            "Unknown or invalid accommodation": unknown_accommodation,
        },
    )
    ld_groups = [f"{AGE_18_64}: {g}" for g in ("Male", "Female", TOTAL)]
    ld = Measure(
        "2E LD",
        "The proportion of people aged 18-64 with a learning disability who receive long-term "
        "support who live in their home or with family",
        definition + " Only people aged 18 to 64 whose primary support reason is learning "
        "disability support.",
        source,
        {g: percentage(num["ld"][g], den["ld"][g]) for g in (TOTAL, *ld_groups)},
    )
    return everyone, ld


# ---------------------------------------------------------------------------------------------
# ASCOF 3D


def ascof_3d(cohort: Cohort, details: Mapping[str, PersonDetails]) -> dict[str, Measure]:
    """ASCOF 3D (salt-ascof.md "ASCOF 3D", DHSC 2024/25 onwards).

    Clients (1a, 2a), snapshot at the year end: service-user LTS rows open on 31 March, not
    dead before it, age from the person-details birth date; best B5 setting with a 'Direct
    payment' component read as a direct payment; denominator = best setting Community; 1a =
    direct payment or CASSR managed personal budget, 2a = direct payment. Carers (1b, 2b),
    whole year: the LTS003 cohort, best support category (DHSC reading); denominator =
    categories 1-3; 1b = direct payment or managed personal budget, 2b = direct payment.
    Under 18s out; unknown ages in Total only."""
    y = cohort.year
    clients_1a, clients_2a, carers_1b, carers_2b = [], [], [], []
    unknown_mech_carers = 0
    for pid, evs in cohort.people():
        pd = details[pid]
        rows = [
            e for e in evs if is_lts(e) and e.client_type == cld.SERVICE_USER and e.open_on(y.end)
        ]
        if rows and pd.alive_on(y.end):
            band = working_age_band(age_at(pd.born, y.end))
            best = min(setting_rank(e, component_direct_payment=True) for e in rows)
            if band != UNDER_18 and best in COMMUNITY_RANKS:
                clients_1a.append((band, best in (3, 4), True))
                clients_2a.append((band, best == 3, True))
        carer_rows = [
            e
            for e in evs
            if in_carer_cohort(e) and e.overlaps(y.start, y.end) and e.alive_on(y.start)
        ]
        cats = [c for c in (carer_category(e, dhsc=True) for e in carer_rows) if c is not None]
        if cats:
            ages = [a for a in (age_at(e.born, y.end) for e in carer_rows) if a is not None]
            band = working_age_band(min(ages) if ages else None)
            best = min(cats)
            if band == UNDER_18:
                continue
            if best == 4:
                unknown_mech_carers += 1
            if best <= 3:
                carers_1b.append((band, best <= 2, True))
                carers_2b.append((band, best == 1, True))
    source = "salt-ascof.md ASCOF 3D (DHSC Create_ASCOF_3D_2425_Onwards.sql)"
    specs = {
        "3D1a": (
            "The proportion of people who use services who receive self-directed support",
            "People in long-term community support on 31 March with a direct payment or a "
            "CASSR managed personal budget, of all people in long-term community support then.",
            clients_1a,
        ),
        "3D1b": (
            "The proportion of carers who receive self-directed support",
            "Carers supported in the year whose best support was a direct payment or a CASSR "
            "managed personal budget, of carers with support direct to them by direct payment, "
            "managed budget or commissioned support.",
            carers_1b,
        ),
        "3D2a": (
            "The proportion of people who use services who receive direct payments",
            "People in long-term community support on 31 March with a direct payment (delivery "
            "mechanism or component), of all people in long-term community support then.",
            clients_2a,
        ),
        "3D2b": (
            "The proportion of carers who receive direct payments",
            "Carers supported in the year whose best support was a direct payment, of carers "
            "with support direct to them by direct payment, managed budget or commissioned "
            "support.",
            carers_2b,
        ),
    }
    out = {}
    for code, (title, definition, people) in specs.items():
        figures, _ = _by_age(people)
        counts = (
            {"Carers with unknown delivery mechanism": unknown_mech_carers}
            if code.endswith("b")
            else {}
        )
        out[code] = Measure(code, title, definition, source, figures, counts=counts)
    return out


def ascof_measures(
    rows: Iterable[Mapping[str, object]] | Cohort,
    year: Year | str,
    *,
    population_18_64: int | None = None,
    population_65_plus: int | None = None,
) -> dict[str, Measure]:
    """Every ASCOF measure computable from CLD for a financial year, by code: 2A, 2B, 2C, 2E,
    2E LD, 3D1a, 3D1b, 3D2a, 3D2b. The ONS populations are needed for the 2B/2C values."""
    cohort = Cohort.build(rows, year)
    details = _details(cohort)
    measures = [ascof_2a(cohort, details)]
    measures += ascof_2b_2c(cohort, details, population_18_64, population_65_plus)
    measures += ascof_2e(cohort, details)
    measures += ascof_3d(cohort, details).values()
    return {m.code: m for m in measures}
