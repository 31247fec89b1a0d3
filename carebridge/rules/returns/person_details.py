"""One value per person for the DHSC ASCOF measures (rules.md §5c, DHSC
``Create_personal_details_table.sql``), and the carers' support categories (salt-ascof.md
"SALT LTS003", used again by ASCOF 3D parts 1b/2b)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from carebridge.rules import cld

from .cohort import (
    CARER_DIRECT,
    CARER_VIA_CARED_FOR,
    COMMISSIONED,
    COMPONENT_DIRECT_PAYMENT,
    DIRECT_PAYMENT,
    LTS_COMMUNITY,
    LTS_NURSING,
    LTS_PRISON,
    LTS_RESIDENTIAL,
    MANAGED_BUDGET,
    OPEN_END,
    ST_MAX,
    ST_ONGOING_LOW_LEVEL,
    ST_OTHER,
    Event,
    is_valid,
)

PRESUMED_AT_HOME = "Unknown: Presumed at home"  # DHSC construct, counted as settled
PRESUMED_IN_COMMUNITY = "Unknown: Presumed in community"  # DHSC construct, unsettled
SETTLED = cld.SETTLED_ACCOMMODATION | {PRESUMED_AT_HOME}
CARER_PSR = "Social support: Support to unpaid carer"
NO_ETHNICITY = "No data: Undeclared or not known"


def derived_end(e: Event) -> dt.date | None:
    """rules.md §3: the date of death replaces the end date when it falls between start and
    end, or when the end is blank and death is after the start."""
    if e.died and e.start and e.died >= e.start and (e.end is None or e.died <= e.end):
        return e.died
    return e.end


def _recency(e: Event) -> tuple[int, int]:
    """§5c ranking after "known": latest derived end (blank = most recent), then latest start."""
    end = derived_end(e)
    return (
        end.toordinal() if end else OPEN_END.toordinal() + 1,
        e.start.toordinal() if e.start else 0,
    )


def _ranked_value(
    events: Sequence[Event],
    get: Callable[[Event], str],
    known: Callable[[str], int],
    conflict: str = cld.UNKNOWN,
) -> str:
    """§5c: rank rows by how known the value is (higher better), then recency; top rows that
    still disagree give ``conflict``; no known value at all gives ``conflict`` too."""
    best_key, top = None, set()
    for e in events:
        v = get(e)
        k = (known(v), *_recency(e))
        if best_key is None or k > best_key:
            best_key, top = k, {v}
        elif k == best_key:
            top.add(v)
    if best_key is None or best_key[0] <= 0 or len(top) != 1:
        return conflict
    return top.pop()


# Accommodation inference from the latest service (rules.md §5c).
_SERVICE_ORDER = {
    s: i
    for i, s in enumerate(
        (
            LTS_NURSING,
            LTS_RESIDENTIAL,
            LTS_COMMUNITY,
            LTS_PRISON,
            ST_MAX,
            ST_ONGOING_LOW_LEVEL,
            ST_OTHER,
        )
    )
}
_COMPONENT_ACCOMMODATION = {
    "Shared Lives": "Shared Lives scheme",
    "Extra care housing": "Sheltered housing, extra care housing or other sheltered housing",
    "Community supported living": (
        "Supported accommodation, supported lodgings or supported group home"
    ),
}


def inferred_accommodation(e: Event) -> str | None:
    if e.service_type == LTS_NURSING:
        return "Registered nursing home"
    if e.service_type == LTS_RESIDENTIAL:
        return "Registered care home"
    if e.component in _COMPONENT_ACCOMMODATION:
        return _COMPONENT_ACCOMMODATION[e.component]
    if e.service_type == LTS_COMMUNITY:
        if e.component == "Home support or domiciliary care":
            return PRESUMED_AT_HOME
        if not e.component:
            return PRESUMED_IN_COMMUNITY
    if e.service_type == LTS_PRISON:
        return "Prison, young offenders institution or detention centre"
    return None


def _infer_from_latest_service(events: Iterable[Event]) -> str:
    """rules.md §5c: latest end (open first), then setting rank, then components that map to
    accommodation, then latest start; a tie with different answers stays Unknown."""
    best_key, answers = None, set()
    for e in events:
        if e.event_type != cld.SERVICE or e.service_type not in _SERVICE_ORDER:
            continue
        answer = inferred_accommodation(e)
        end = derived_end(e)
        k = (
            end.toordinal() if end else OPEN_END.toordinal() + 1,
            -_SERVICE_ORDER[e.service_type],
            1 if answer else 0,
            e.start.toordinal() if e.start else 0,
        )
        if best_key is None or k > best_key:
            best_key, answers = k, {answer}
        elif k == best_key:
            answers.add(answer)
    if len(answers) == 1:
        (only,) = answers
        return only or cld.UNKNOWN
    return cld.UNKNOWN


@dataclass(frozen=True, slots=True)
class PersonDetails:
    born: dt.date | None  # proxy date of birth
    died: dt.date | None
    gender: str
    psr: str
    accommodation: str
    ethnicity: str

    def alive_on(self, day: dt.date) -> bool:
        return self.died is None or self.died >= day


def person_details(events: Sequence[Event]) -> PersonDetails:
    """rules.md §5c (DHSC person-details table) from all of one person's events: a known value
    beats Unknown/invalid/blank, then the latest derived end, then the latest start; top rows
    that disagree give Unknown. Birth date: the earliest given; death: the latest given.
    Accommodation still Unknown is inferred from the person's latest service."""
    borns = [e.born for e in events if e.born]
    deaths = [e.died for e in events if e.died]

    def known_in(field_name: str, unknown: Iterable[str] = (cld.UNKNOWN,)) -> Callable[[str], int]:
        bad = frozenset(unknown)
        return lambda v: 1 if is_valid(field_name, v) and v not in bad else 0

    accommodation = _ranked_value(
        events, lambda e: e.accommodation, known_in(cld.ACCOMMODATION_STATUS)
    )
    if accommodation == cld.UNKNOWN:
        accommodation = _infer_from_latest_service(events)
    ethnicities = frozenset(cld.codes(cld.ETHNICITY))

    def ethnicity_rank(v: str) -> int:  # any real value > Refused > Undeclared (§5c)
        if v not in ethnicities:
            return 0
        return {"No data: Refused": 2, NO_ETHNICITY: 1}.get(v, 3)

    return PersonDetails(
        born=min(borns) if borns else None,
        died=max(deaths) if deaths else None,
        gender=_ranked_value(events, lambda e: e.gender, known_in(cld.GENDER)),
        psr=_ranked_value(
            events, lambda e: e.psr, known_in(cld.PRIMARY_SUPPORT_REASON, (cld.UNKNOWN, CARER_PSR))
        ),
        accommodation=accommodation,
        ethnicity=_ranked_value(
            events, lambda e: e.ethnicity, ethnicity_rank, conflict=NO_ETHNICITY
        ),
    )


# ---------------------------------------------------------------------------------------------
# Carers' support provided (salt-ascof.md "SALT LTS003")

CARER_CATEGORIES = (
    "Direct Payment only",
    "CASSR Managed Personal Budget",
    "CASSR Commissioned Support only",
    "Support Direct to Carer: Unknown Delivery Mech",
    "Information, Advice and Other Universal Services / Signposting",
    "No Direct Support Provided to Carer",
)
INFORMATION_AND_ADVICE = "NFA: Information and advice or signposting"
CARER_CLIENT_TYPES = frozenset({cld.UNPAID_CARER, cld.UNPAID_CARER_BY_ASSOCIATION})


def in_carer_cohort(e: Event) -> bool:
    """LTS003 cohort test on one row (client type and event type; the caller checks the year
    and death): (a) no service type and an information-and-advice outcome, (b) an unpaid-carer
    support service, or (c) an assessment or review with no service type."""
    if e.client_type not in CARER_CLIENT_TYPES or e.event_type not in cld.EVENT_TYPES:
        return False
    if not e.service_type and e.outcome == INFORMATION_AND_ADVICE:
        return True
    if e.service_type in (CARER_DIRECT, CARER_VIA_CARED_FOR):
        return True
    return e.event_type in (cld.ASSESSMENT, cld.REVIEW) and not e.service_type


def carer_category(e: Event, *, dhsc: bool = False) -> int | None:
    """LTS003 support-provided category 1-6 of one cohort row (lower wins per carer).

    ``dhsc`` (ASCOF 3D): a 'Direct payment' component also means a direct payment, and -
    copying DHSC's code (salt-ascof.md "Known quirks", SQL three-valued logic on
    ``component NOT LIKE 'Direct payment'``) - a managed-budget or commissioned row with a
    blank component gets no category."""
    if e.service_type == CARER_DIRECT:
        dp_component = dhsc and e.component == COMPONENT_DIRECT_PAYMENT
        if e.mechanism == DIRECT_PAYMENT or dp_component:
            return 1
        if dhsc and not e.component and e.mechanism in (MANAGED_BUDGET, COMMISSIONED):
            return None
        if e.mechanism == MANAGED_BUDGET:
            return 2
        if e.mechanism == COMMISSIONED:
            return 3
        return 4
    if e.service_type == CARER_VIA_CARED_FOR:
        return 6
    if e.event_type == cld.REQUEST:
        return 5
    if e.event_type in (cld.ASSESSMENT, cld.REVIEW):
        return 5 if e.outcome == INFORMATION_AND_ADVICE else 6
    return None  # e.g. a service row with no service type: no category is defined
