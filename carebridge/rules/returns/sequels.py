"""SALT STS001 (requests from new clients, by sequel) and STS002a (what followed ST-Max for
new clients): the "what happened next" tables (salt-ascof.md "SALT STS001", "SALT STS002a",
NHSE 2023/24 method translated to Release 2 values).

Decision (STS001/STS002a): outcome ties are broken by the DHSC Release 2 hierarchy (B7, the
order of ``codes.csv``), since the rows carry R2 values; NHSE's R1 order is not used.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from carebridge.rules import cld

from .cohort import (
    AGE_18_64,
    AGE_65_PLUS,
    LTS_COMMUNITY,
    LTS_NURSING,
    LTS_PRISON,
    LTS_RESIDENTIAL,
    OPEN_END,
    ST_MAX,
    ST_ONGOING_LOW_LEVEL,
    ST_OTHER,
    Cluster,
    Cohort,
    Event,
    age_at,
    clusters,
    in_lts_on,
    outcome_rank,
    working_age_band,
)
from .results import Table, section

REQUEST_GAP_DAYS = 4  # B8, NHSE requests
ST_MAX_GAP_DAYS = 1  # B8, NHSE ST-Max
FIRST_EVENT_DAYS = 28  # STS001 step 5: the first following event within 28 days
CHAIN_GAP_DAYS = 3  # STS001/STS002a: later events join while gaps are 3 days or less
STS002A_FIRST_EVENT_DAYS = 3

# STS001 sequels (salt-ascof.md "Outcome -> STS001 sequel mapping"; SALT STS001 rows).
SEQ_NURSING = "Long Term Support: Nursing"
SEQ_RESIDENTIAL = "Long Term Support: Residential"
SEQ_COMMUNITY = "Long Term Support: Community"
SEQ_PRISON = "Long Term Support: Prison"
SEQ_ST_MAX = "Short Term Support to Maximise Independence (ST-Max)"
SEQ_LOW_LEVEL = "Ongoing Low Level Support"
SEQ_OTHER_ST = "Short Term Support (other)"
SEQ_END_OF_LIFE = "End of Life"
SEQ_NHS = "100% NHS funded care"
SEQ_UNIVERSAL = "Universal services / signposted to other services"
SEQ_DECEASED = "No services provided - deceased"
SEQ_OTHER_REASON = "No services provided - other reason"
SEQ_NO_SERVICE = "No Service Found"
SEQ_UNCLASSIFIED = "Unable to classify"
STS001_SEQUELS = (
    SEQ_NURSING, SEQ_RESIDENTIAL, SEQ_COMMUNITY, SEQ_PRISON, SEQ_ST_MAX, SEQ_LOW_LEVEL,
    SEQ_OTHER_ST, SEQ_END_OF_LIFE, SEQ_NHS, SEQ_UNIVERSAL, SEQ_DECEASED, SEQ_OTHER_REASON,
    SEQ_NO_SERVICE, SEQ_UNCLASSIFIED,
)  # fmt: skip

# B6, service hierarchy for STS001 (best first) and the sequel each service gives.
STS001_SERVICES = {
    ST_MAX: SEQ_ST_MAX,
    LTS_NURSING: SEQ_NURSING,
    LTS_RESIDENTIAL: SEQ_RESIDENTIAL,
    LTS_COMMUNITY: SEQ_COMMUNITY,
    LTS_PRISON: SEQ_PRISON,
    ST_ONGOING_LOW_LEVEL: SEQ_LOW_LEVEL,
    ST_OTHER: SEQ_OTHER_ST,
}
_ORDER_STS001 = list(STS001_SERVICES)

END_OF_LIFE_R1 = "Progress to End of Life Care"
NFA_OTHER = "NFA: Other"
_OTHER_REASON_OUTCOMES = frozenset(
    {
        "NFA: Responsibility moved to another local authority",
        "NFA: Self-funded client or under 12wk disregard",
        "NFA: Support declined",
        "NFA: No services offered for other reason",
        "NFA: Support ended for other reason",
        NFA_OTHER,
        # Decision (STS001 mapping table): R2-only, "not defined by NHSE; closest is other".
        "NFA: Referral to other service within the local authority",
    }
)


def sts001_sequel_of_outcome(outcome: str) -> str:
    """salt-ascof.md "Outcome -> STS001 sequel mapping"."""
    if outcome == "NFA: Referral to NHS services or NHS funded social care":
        return SEQ_NHS
    if outcome == END_OF_LIFE_R1:
        return SEQ_END_OF_LIFE
    if outcome == "NFA: Information and advice or signposting":
        return SEQ_UNIVERSAL
    if outcome == "NFA: Deceased":
        return SEQ_DECEASED
    if outcome in _OTHER_REASON_OUTCOMES:
        return SEQ_OTHER_REASON
    return SEQ_UNCLASSIFIED


def _is_nfa(outcome: str) -> bool:
    return outcome.startswith("NFA") or outcome == END_OF_LIFE_R1


def _end(e: Event) -> dt.date:
    return e.end or OPEN_END


def _cluster_outcome(c: Cluster) -> Event:
    """The latest-ending row; ties on the end date go to the best outcome (B7)."""
    return min(c.latest_ending, key=lambda e: (outcome_rank(e.outcome), e.record))


def _chain(following: Sequence[Event], stop) -> list[Event]:
    """Events after the first joined while each starts no more than 3 days after the latest
    end so far; stops at ``stop(e)``. Decision: "the previous event's end" is read as the
    latest end in the chain so far (as the B8 clusters do)."""
    chain = [following[0]]
    latest = _end(following[0])
    for e in following[1:]:
        if stop(e) or (e.start - latest).days > CHAIN_GAP_DAYS:
            break
        chain.append(e)
        latest = max(latest, _end(e))
    return chain


def _latest_nfa(events: Sequence[Event]) -> str | None:
    """The NFA outcome on the latest-ending assessment/review; several different NFAs on the
    latest-ending events give 'NFA: Other'. Decision (STS001 step 5, type 3): "more than one
    distinct NFA" is read among the events tied on the latest end date."""
    nfa = [e for e in events if e.event_type in (cld.ASSESSMENT, cld.REVIEW) and _is_nfa(e.outcome)]
    if not nfa:
        return None
    last = max(_end(e) for e in nfa)
    values = {e.outcome for e in nfa if _end(e) == last}
    return values.pop() if len(values) == 1 else NFA_OTHER


def _sts001_service_order(e: Event) -> tuple[int, dt.date]:
    return (_ORDER_STS001.index(e.service_type), e.start or dt.date.min)


def _service_user_events(evs: Sequence[Event], last_day: dt.date) -> list[Event]:
    return [
        e
        for e in evs
        if e.client_type == cld.SERVICE_USER
        and e.event_type in cld.EVENT_TYPES
        and e.start is not None
        and e.start <= last_day
    ]


def _is_service(e: Event) -> bool:
    """A sequel service: unpaid-carer services never count (B6)."""
    return e.event_type == cld.SERVICE and e.service_type in STS001_SERVICES


def sts001_with_cohort(cohort: Cohort) -> tuple[Table, set[tuple[str, dt.date]]]:
    """SALT STS001 (salt-ascof.md "SALT STS001"): request clusters (B8, gap 4 days) of
    service users ending in the year, from people who were new clients (B4) when the cluster
    started, by sequel x route of access, tables 1a (18 to 64) and 1b (65 and above) by age at
    the year end. Also returns the STS002a cohort: (person, ST-Max start) of ST-Max sequels.

    Sequel (step 5): type 1 nothing after -> the request's mapped outcome; type 5 first event
    more than 28 days after, or a request first -> the mapped outcome; otherwise a chain (gaps
    of 3 days or less, stopping at the next request): type 2 a service -> the best by B6;
    type 3 an NFA/End-of-life outcome on an assessment or review -> that outcome mapped;
    type 4 -> the request's mapped NFA outcome if it has one, else 'No Service Found'.

    Decision (type 4): "'No Service Found' qualified by the request's own mapped NFA outcome"
    is read as: that mapped outcome when the request's outcome is an NFA one, else 'No Service
    Found'. Decision (step 1): people without a birth date are dropped (birth month and year
    must be present); under-18s are not in either table."""
    y = cohort.year
    routes = (*cld.codes(cld.ROUTE_OF_ACCESS), "Invalid/NULL")
    counts = {AGE_18_64: Counter[tuple[str, str]](), AGE_65_PLUS: Counter[tuple[str, str]]()}
    st_max_cohort: set[tuple[str, dt.date]] = set()
    for pid, all_evs in cohort.people():
        evs = [e for e in _service_user_events(all_evs, y.end) if e.alive_on(y.start)]
        requests = [e for e in evs if e.event_type == cld.REQUEST and e.born]
        if not requests:
            continue
        by_start = sorted(evs, key=lambda e: (e.start, _end(e), e.record))
        for c in clusters(requests, REQUEST_GAP_DAYS):
            if not (y.start <= c.end <= y.end) or in_lts_on(evs, c.start):
                continue
            own = _cluster_outcome(c)
            own_dates = {r.start for r in c.rows} | {r.end for r in c.rows}
            following = [
                e
                for e in by_start
                if e.start >= c.end
                and not (
                    e.event_type == cld.REQUEST and (e.start in own_dates or e.end in own_dates)
                )
            ]
            mapped_own = sts001_sequel_of_outcome(own.outcome)
            if (
                not following
                or (following[0].start - c.end).days > FIRST_EVENT_DAYS
                or (following[0].event_type == cld.REQUEST)
            ):  # type 1
                sequel = mapped_own
            else:
                chain = _chain(following, lambda e: e.event_type == cld.REQUEST)
                services = [e for e in chain if _is_service(e)]
                if services:  # type 2
                    best = min(
                        services, key=lambda e: (_ORDER_STS001.index(e.service_type), e.start)
                    )
                    sequel = STS001_SERVICES[best.service_type]
                    if best.service_type == ST_MAX:
                        st_max_cohort.add((pid, best.start))
                elif (nfa := _latest_nfa(chain)) is not None:  # type 3
                    sequel = sts001_sequel_of_outcome(nfa)
                    if nfa == END_OF_LIFE_R1:
                        sequel = SEQ_END_OF_LIFE
                elif _is_nfa(own.outcome):  # type 4
                    sequel = mapped_own
                else:
                    sequel = SEQ_NO_SERVICE
            band = working_age_band(age_at(own.born, y.end))
            if band in counts:
                route = own.route if own.route in routes else "Invalid/NULL"
                counts[band][(sequel, route)] += 1
    table = Table(
        "STS001",
        "Number of requests for support received from new clients, by route of access and "
        "what happened next (sequel)",
        "salt-ascof.md SALT STS001 (NHSE STS001 replication code)",
        (
            section(f"STS001 Table 1a: {AGE_18_64}", STS001_SEQUELS, routes, counts[AGE_18_64]),
            section(f"STS001 Table 1b: {AGE_65_PLUS}", STS001_SEQUELS, routes, counts[AGE_65_PLUS]),
        ),
    )
    return table, st_max_cohort


def sts001(cohort: Cohort) -> Table:
    return sts001_with_cohort(cohort)[0]


# ---------------------------------------------------------------------------------------------
# STS002a

EARLY_CESSATION = (
    "Early cessation of service (not leading to long term support) - 100% NHS funded care/"
    "End of Life/deceased"
)
S2_LTS = "Long Term Support (any setting)"
S2_SELF_FUNDING = "No services provided - needs identified but self-funding"
S2_LOW_LEVEL = "Ongoing Low Level Support"
S2_OTHER_ST = "Short Term Support (other)"
S2_DECLINED = "No services provided - needs identified but support declined"
S2_UNIVERSAL = "No Services Provided - Universal Services / signposted to other services"
S2_OTHER = "No services provided - other"
S2_NO_SERVICE = "No Service Found"
STS002A_CATEGORIES = (
    EARLY_CESSATION, S2_LTS, S2_SELF_FUNDING, S2_LOW_LEVEL, S2_OTHER_ST, S2_DECLINED,
    S2_UNIVERSAL, S2_OTHER, S2_NO_SERVICE,
)  # fmt: skip
STS002A_SERVICES = {
    LTS_NURSING: S2_LTS,
    LTS_RESIDENTIAL: S2_LTS,
    LTS_COMMUNITY: S2_LTS,
    LTS_PRISON: S2_LTS,
    ST_ONGOING_LOW_LEVEL: S2_LOW_LEVEL,
    ST_OTHER: S2_OTHER_ST,
}
_ORDER_STS002A = list(STS002A_SERVICES)
_S2_OTHER_OUTCOMES = frozenset(
    {
        "NFA: Responsibility moved to another local authority",
        NFA_OTHER,
        "NFA: No services offered for other reason",
        "NFA: Support ended for other reason",
        END_OF_LIFE_R1,
        "Admitted to hospital",
        "NFA: Support ended as planned",
        # Decision (STS002a mapping): R2-only value, not in NHSE's table; "other" as in STS001.
        "NFA: Referral to other service within the local authority",
    }
)


def sts002a_category_of_outcome(outcome: str) -> str:
    """salt-ascof.md "Mapping to the STS002a categories"."""
    if outcome in ("NFA: Referral to NHS services or NHS funded social care", "NFA: Deceased"):
        return EARLY_CESSATION
    if outcome == "NFA: Self-funded client or under 12wk disregard":
        return S2_SELF_FUNDING
    if outcome == "NFA: Support declined":
        return S2_DECLINED
    if outcome == "NFA: Information and advice or signposting":
        return S2_UNIVERSAL
    if outcome in _S2_OTHER_OUTCOMES:
        return S2_OTHER
    return S2_NO_SERVICE


def sts002a(cohort: Cohort, st_max_cohort: set[tuple[str, dt.date]] | None = None) -> Table:
    """SALT STS002a (salt-ascof.md "SALT STS002a"): ST-Max episodes of new clients whose
    STS001 request had an ST-Max sequel (matched on person and the ST-Max start date),
    clustered (B8, gap 1 day), ending in the year, person not dead before the year start, by
    sequel: the first following event within 3 days of the episode end, the chain continuing
    while gaps are 3 days or less and stopping at another ST-Max; a service -> the best by B6
    without ST-Max; else an NFA outcome on an assessment or review (latest end; several ->
    'NFA: Other'); else, or with nothing after / out of scope, the episode's own outcome."""
    y = cohort.year
    if st_max_cohort is None:
        st_max_cohort = sts001_with_cohort(cohort)[1]
    starts: dict[str, set[dt.date]] = {}
    for pid, start in st_max_cohort:
        starts.setdefault(pid, set()).add(start)
    counts: Counter[tuple[str, str]] = Counter()
    column = "ST-Max episodes"
    for pid, wanted in starts.items():
        evs = _service_user_events(cohort.by_person.get(pid, []), y.end)
        st_rows = [
            e
            for e in evs
            if e.event_type == cld.SERVICE
            and e.service_type == ST_MAX
            and e.start in wanted
            and e.alive_on(y.start)
        ]
        by_start = sorted(evs, key=lambda e: (e.start, _end(e), e.record))
        for c in clusters(st_rows, ST_MAX_GAP_DAYS):
            if not (y.start <= c.end <= y.end):
                continue
            own = _cluster_outcome(c)
            mine = {id(r) for r in c.rows}
            following = [e for e in by_start if e.start >= c.end and id(e) not in mine]
            category = None
            if following and (following[0].start - c.end).days <= STS002A_FIRST_EVENT_DAYS:
                first_is_st_max = following[0].event_type == cld.SERVICE and (
                    following[0].service_type == ST_MAX
                )
                if not first_is_st_max:
                    chain = _chain(
                        following,
                        lambda e: e.event_type == cld.SERVICE and e.service_type == ST_MAX,
                    )
                    services = [
                        e
                        for e in chain
                        if e.event_type == cld.SERVICE and e.service_type in STS002A_SERVICES
                    ]
                    if services:
                        best = min(services, key=lambda e: _ORDER_STS002A.index(e.service_type))
                        category = STS002A_SERVICES[best.service_type]
                    elif (nfa := _latest_nfa(chain)) is not None:
                        category = sts002a_category_of_outcome(nfa)
            if category is None:
                category = sts002a_category_of_outcome(own.outcome)
            counts[(category, column)] += 1
    return Table(
        "STS002a",
        "Number of new clients who had short-term support to maximise independence (ST-Max), "
        "by what happened next (sequel)",
        "salt-ascof.md SALT STS002a (NHSE STS002a replication code)",
        (section("STS002a: sequel to ST-Max", STS002A_CATEGORIES, (column,), counts),),
    )
