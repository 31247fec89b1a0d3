"""Common building blocks for SALT-equivalent tables and ASCOF measures computed from CLD rows.

Pure rules, no Django: rows come in as dicts keyed by the CLD Release 2 field names with the
values as strings as they appear in a CLD file. Everything here follows the restated national
method in ``shared/reference/cld/salt-ascof.md`` ("the note", sections B1-B8) and ``rules.md``
(§3 event filtering, §4 person identifier, §5 de-duplication, §6 derived fields).

The rows are parsed once into :class:`Event` records, de-duplicated, and grouped by person, so
each table or measure is one pass over the people (no quadratic joins across the whole file).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from operator import itemgetter
from typing import NamedTuple

from carebridge.rules import cld, dates

# ---------------------------------------------------------------------------------------------
# Financial year


class InvalidYear(ValueError):
    pass


_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class Year:
    """A financial year, 1 April to 31 March: ``Year.parse("2025-26")``."""

    first: int

    @classmethod
    def parse(cls, text: str) -> Year:
        t = (text or "").strip()
        m = _YEAR.match(t)
        if not m:
            raise InvalidYear(f"Financial year {text!r} is not in the form YYYY-YY, like 2025-26")
        first, second = int(m.group(1)), int(m.group(2))
        if (first + 1) % 100 != second:
            raise InvalidYear(
                f"Financial year {text!r}: the second year must follow the first "
                f"(did you mean {first}-{(first + 1) % 100:02d}?)"
            )
        if first < 2000:
            raise InvalidYear(f"Financial year {text!r} is before CLD existed")
        return cls(first)

    @property
    def start(self) -> dt.date:
        return dt.date(self.first, 4, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.first + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.first}-{(self.first + 1) % 100:02d}"

    def __str__(self) -> str:
        return self.label


# ---------------------------------------------------------------------------------------------
# Parsing CLD rows


class InvalidRow(ValueError):
    """A CLD row that cannot be read: names the row (1 = first data row) and the field."""

    def __init__(self, row: int, field_name: str, message: str) -> None:
        super().__init__(f"CLD row {row}: {field_name} {message}")
        self.row = row
        self.field = field_name


# Literal 'NULL' text is sent by some LAs and is treated as blank (rules.md §6).
_NULLS = frozenset({"", "null"})


def _clean(value: object) -> str:
    """Whitespace runs to one space, ends trimmed; blank or 'NULL' to ""."""
    if value.__class__ is str and (
        not value
        or (value.isprintable() and value[0] != " " and value[-1] != " " and "  " not in value)
    ):
        text = value  # already clean (most values): no split and join
    else:
        text = " ".join(str(value if value is not None else "").split())
    return "" if len(text) == 4 and text.casefold() in _NULLS else text


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@cache
def _canonical(field_name: str) -> dict[str, str]:
    """Case- and whitespace-insensitive text -> Release 2 value, with Release 1 text mapped
    forward where ``codes.csv`` pairs it with one R2 value (rules.md §6 "Release mapping" and
    §8 "Case and wording drift")."""
    out: dict[str, str] = {}
    for value in cld.codes(field_name):
        detail = cld.code_detail(field_name, value)
        for r1 in detail.r1_equivalent.split("|"):
            if r1.strip():
                out.setdefault(_key(r1), value)
    for value in cld.r1_only(field_name):
        out[_key(value)] = value
    for value in cld.codes(field_name):
        out[_key(value)] = value  # R2 text wins over any R1 text that happens to match
    return out


def canonical(field_name: str, text: object) -> str:
    """The CLD value as recorded in the code list, or the cleaned text if it is not on it."""
    if text.__class__ is not str:
        text = _clean(text)
    memo = _MEMO.get(field_name)
    if memo is None:
        memo = _MEMO[field_name] = {}
    value = memo.get(text)
    if value is None:
        t = _clean(text)
        value = _canonical(field_name).get(_key(t), t) if t else ""
        if len(memo) < _MEMO_SIZE:
            memo[text] = value
    return value


# Each coded field's texts as read -> its canonical value: a file has few distinct texts per
# field, so each is worked out once (bounded, should a field hold free text).
_MEMO: dict[str, dict[str, str]] = {}
_MEMO_SIZE = 4096


def is_valid(field_name: str, value: str) -> bool:
    return bool(value) and value in _valid(field_name)


@cache
def _valid(field_name: str) -> frozenset[str]:
    return frozenset(cld.codes(field_name))


def _date_of(value: object, name: str, row: int) -> dt.date | None:
    text = _clean(value)
    if not text:
        return None
    day = _read_date(text)
    if day is None:
        raise InvalidRow(row, name, f"{text!r} is not a date (expected YYYY-MM-DD)")
    return day


@lru_cache(maxsize=32768)
def _read_date(text: str) -> dt.date | None:
    """The date ``text`` gives, or None (a file holds a few thousand distinct dates, each read
    once)."""
    if len(text) == 10 and text[4] == "-":  # the usual ISO form, read without trying formats
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    try:
        return dates.parse(text)
    except dates.InvalidDate:
        return None


def proxy_birth_date(born: dt.date | None) -> dt.date | None:
    """Proxy date of birth: the 1st of the birth month (rules.md §6 "Ages")."""
    return born.replace(day=1) if born else None


def age_at(proxy_born: dt.date | None, on: dt.date) -> int | None:
    """floor((date of interest - proxy DOB in days) / 365.25) (rules.md §6 "Ages"); None if
    the date of birth is unknown."""
    if proxy_born is None:
        return None
    return int((on - proxy_born).days * 4 // 1461)  # days / 365.25 without floating point


def working_age_band(age: int | None) -> str:
    """Working-age bands used by SALT and ASCOF (rules.md §6): Under 18, 18 to 64, 65 and
    above, Unknown."""
    if age is None:
        return UNKNOWN_AGE
    if age < 18:
        return UNDER_18
    return AGE_18_64 if age <= 64 else AGE_65_PLUS


UNDER_18 = "Under 18"
AGE_18_64 = "18 to 64"
AGE_65_PLUS = "65 and above"
UNKNOWN_AGE = "Unknown"
TOTAL = "Total"


class Event(NamedTuple):
    """One CLD row, parsed: coded values are the code-list text (see :func:`canonical`).

    A named tuple rather than a frozen dataclass: a county's two years are about 200,000 rows,
    and a tuple is built in one step where a frozen dataclass sets each field in turn."""

    record: int  # 1-based position in the input, the tie-breaker of last resort (§5a step 3.5)
    la: str
    person: str  # rules.md §4, DHSC combined person ID (already includes the LA)
    la_person_id: str
    client_type: str
    event_type: str
    start: dt.date | None
    end: dt.date | None
    born: dt.date | None  # proxy date of birth (1st of the birth month)
    died: dt.date | None
    gender: str = ""
    ethnicity: str = ""
    psr: str = ""
    accommodation: str = ""
    employment: str = ""
    has_unpaid_carer: str = ""
    outcome: str = ""
    route: str = ""
    assessment_type: str = ""
    service_type: str = ""
    component: str = ""
    mechanism: str = ""
    review_reason: str = ""
    linked: tuple[str, ...] = ()
    cost_key: tuple[str, ...] = ()

    @property
    def open(self) -> bool:
        return self.end is None

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        """``start <= :end AND (end >= :start OR end IS NULL)``."""
        return (
            self.start is not None and self.start <= end and (self.end is None or self.end >= start)
        )

    def open_on(self, day: dt.date) -> bool:
        """``start <= :day AND (end >= :day OR end IS NULL)``."""
        return (
            self.start is not None and self.start <= day and (self.end is None or self.end >= day)
        )

    def alive_on(self, day: dt.date) -> bool:
        """Not dead before ``day``: ``Date_of_Death IS NULL OR Date_of_Death >= day`` (B2)."""
        return self.died is None or self.died >= day


def person_id(raw: Mapping[str, object]) -> str:
    """rules.md §4, DHSC combined person ID: the NHS number if present, else LA code + "_" +
    LA_Person_Unique_Identifier; "" when neither (the row is dropped). Decision: DHSC's rule
    rather than NHSE's hybrid ID, which drops rows whose LA ID is elsewhere linked to an NHS
    number; DHSC's is the live method and §4 says the two are broadly aligned. People are
    counted per LA, so the LA code is part of the key either way."""
    return _person_id(
        _clean(raw.get("LA_Code")),
        _clean(raw.get("NHS_Number")),
        _clean(raw.get("LA_Person_Unique_Identifier")),
    )


def _person_id(la: str, nhs: str, local: str) -> str:
    if " " in nhs:
        nhs = nhs.replace(" ", "")
    if nhs:
        return f"{la}|{nhs}"
    return f"{la}|{la}_{local}" if local else ""


# The fields an event is read from, in the order ``parse_rows`` takes them.
_READ = (
    "LA_Code", "NHS_Number", "LA_Person_Unique_Identifier",
    "Adult_1_Linked_Person_ID", "Adult_2_Linked_Person_ID", "Adult_3_Linked_Person_ID",
    "Event_Start_Date", "Event_End_Date", "Date_of_Birth", "Date_of_Death",
    "Unit_Cost", "Cost_Frequency_Unit_Type", "Planned_units_per_week",
    cld.CLIENT_TYPE, cld.EVENT_TYPE, cld.GENDER, cld.ETHNICITY, cld.PRIMARY_SUPPORT_REASON,
    cld.ACCOMMODATION_STATUS, cld.EMPLOYMENT_STATUS, cld.HAS_UNPAID_CARER, cld.EVENT_OUTCOME,
    cld.ROUTE_OF_ACCESS, cld.ASSESSMENT_TYPE, cld.SERVICE_TYPE, cld.SERVICE_COMPONENT,
    cld.DELIVERY_MECHANISM, cld.REVIEW_REASON,
)  # fmt: skip
_CODED = _READ[13:]


def parse_rows(
    rows: Iterable[Mapping[str, object]] | Iterable[Sequence[object]],
    columns: Sequence[str] | None = None,
) -> list[Event]:
    """Parse CLD rows into events; rows with no person identifier are dropped (rules.md §4).

    Rows are mappings of field to value, or, given ``columns`` (the field of each position),
    sequences in that order (as the export yields them: no mapping built per row). Raises
    :class:`InvalidRow` for a date that cannot be read, naming the row and field.
    """
    if columns is not None:
        position = {name: i for i, name in enumerate(columns)}
        missing = [name for name in _READ if name not in position]
        if missing:
            raise ValueError(f"columns lack {', '.join(missing)}")
        values_of = itemgetter(*(position[name] for name in _READ))
    else:

        def values_of(raw: Mapping[str, object]) -> tuple:
            return tuple(map(raw.get, _READ))

    clean, date, coded = _clean, _date_of, tuple(zip(_CODED, range(13, len(_READ)), strict=True))
    out: list[Event] = []
    for n, raw in enumerate(rows, start=1):
        v = values_of(raw)
        la, local = clean(v[0]), clean(v[2])
        pid = _person_id(la, clean(v[1]), local)
        if not pid:
            continue
        linked = tuple(x for x in (clean(v[3]), clean(v[4]), clean(v[5])) if x)
        c = [canonical(name, v[i] if v[i] is not None else "") for name, i in coded]
        out.append(
            Event(
                n,  # record
                la,
                pid,  # person
                local,  # la_person_id
                c[0],  # client_type
                c[1],  # event_type
                date(v[6], "Event_Start_Date", n),
                date(v[7], "Event_End_Date", n),
                proxy_birth_date(date(v[8], "Date_of_Birth", n)),  # born
                date(v[9], "Date_of_Death", n),  # died
                *c[2:],  # gender ... review_reason, in Event's order
                linked=linked,
                cost_key=(clean(v[10]), clean(v[11]), clean(v[12])),
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# De-duplication (rules.md §5a)


def _identity(e: Event) -> tuple[object, ...]:
    """rules.md §5a step 1, the identifying fields of one event. Services are keyed as in
    DHSC's single 12-month table (start, client type, service type, component, plus delivery
    mechanism and cost fields; end date not used), because a carebridge export is one 12-month
    file. Requests/assessments/reviews include the end date."""
    base = (e.la, e.person, e.event_type, e.client_type, e.start)
    if e.event_type == cld.SERVICE:
        return (*base, e.service_type, e.component, e.mechanism, e.cost_key)
    if e.event_type == cld.REQUEST:
        return (*base, e.end, e.route)
    if e.event_type == cld.ASSESSMENT:
        return (*base, e.end, e.assessment_type)
    return (*base, e.end)


def _keep_order(e: Event) -> tuple[object, ...]:
    """rules.md §5a step 3: blank end first, then latest end, then the outcome hierarchy,
    then highest record (most recently loaded). Smaller sorts first = kept."""
    return (
        0 if e.end is None else 1,
        -(e.end.toordinal() if e.end else 0),
        outcome_rank(e.outcome),
        -e.record,
    )


def deduplicate(events: Iterable[Event]) -> list[Event]:
    """One row per event (rules.md §5a), keeping the input order of the kept rows."""
    best: dict[tuple[object, ...], Event] = {}
    for e in events:
        k = _identity(e)
        cur = best.get(k)
        if cur is None or _keep_order(e) < _keep_order(cur):
            best[k] = e
    return sorted(best.values(), key=lambda e: e.record)


@cache
def _outcome_ranks() -> dict[str, int]:
    return {v: i for i, v in enumerate(cld.codes(cld.EVENT_OUTCOME), start=1)}


def outcome_rank(outcome: str) -> int:
    """B7, DHSC event-outcome hierarchy (codes.csv Event_Outcome notes): lowest wins; values
    not on the R2 list rank after every R2 value."""
    return _outcome_ranks().get(outcome, 99)


# ---------------------------------------------------------------------------------------------
# The prepared input: parsed, de-duplicated and grouped by person


@dataclass(slots=True)
class Cohort:
    """Every event of the input, de-duplicated, grouped by person (in start-date order)."""

    year: Year
    by_person: dict[str, list[Event]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        rows: Iterable[Mapping[str, object]] | Iterable[Sequence[object]] | Cohort,
        year: Year | str,
        columns: Sequence[str] | None = None,
    ) -> Cohort:
        """From CLD rows (mappings, or sequences in ``columns`` order: see parse_rows)."""
        y = year if isinstance(year, Year) else Year.parse(year)
        if isinstance(rows, Cohort):
            if rows.year != y:
                raise ValueError(f"The cohort was built for {rows.year}, not {y}")
            return rows
        events = deduplicate(parse_rows(rows, columns))
        by_person: dict[str, list[Event]] = defaultdict(list)
        for e in events:
            by_person[e.person].append(e)
        for evs in by_person.values():
            evs.sort(key=lambda e: (e.start or dt.date.min, e.record))
        return cls(y, dict(by_person))

    def people(self) -> Iterator[tuple[str, list[Event]]]:
        return iter(self.by_person.items())


# ---------------------------------------------------------------------------------------------
# Service types and settings (B3, B5, B6)

LTS_NURSING = "Long term support: Nursing care"
LTS_RESIDENTIAL = "Long term support: Residential care"
LTS_COMMUNITY = "Long term support: Community"
LTS_PRISON = "Long term support: Prison"
ST_MAX = "Short term support: ST-Max"
ST_ONGOING_LOW_LEVEL = "Short term support: Ongoing low level"
ST_OTHER = "Short term support: Other short term"
CARER_DIRECT = "Unpaid carer support: Direct to unpaid carer"
CARER_VIA_CARED_FOR = "Unpaid carer support: Support involving the person cared-for"

# B3, long-term support service types.
LONG_TERM_SUPPORT = (LTS_NURSING, LTS_RESIDENTIAL, LTS_COMMUNITY, LTS_PRISON)

DIRECT_PAYMENT = "Direct payment"
MANAGED_BUDGET = "CASSR managed personal budget"
COMMISSIONED = "CASSR commissioned support"
COMPONENT_DIRECT_PAYMENT = "Direct payment"

# B5, setting hierarchy: rank -> the setting/delivery-mechanism label (note's own wording).
SETTINGS = (
    "Nursing",
    "Residential",
    "Community: Direct payment",
    "Community: CASSR managed personal budget",
    "Community: CASSR commissioned support",
    "Community: Unknown delivery mechanism",
    "Prison: CASSR managed personal budget",
    "Prison: CASSR commissioned support",
    "Prison: Unknown delivery mechanism",
)
COMMUNITY_RANKS = frozenset({3, 4, 5, 6})


def is_lts(e: Event) -> bool:
    return e.event_type == cld.SERVICE and e.service_type in LONG_TERM_SUPPORT


def setting_rank(e: Event, *, component_direct_payment: bool = False) -> int:
    """B5 rank (1 best) of a long-term support service.

    Delivery mechanism is blanked for Nursing and Residential and when not on the list. With
    ``component_direct_payment`` (DHSC 3D) a 'Direct payment' component counts as a direct
    payment; NHSE LTS001 does not. Decision (B5): a Prison service with 'Direct payment' is not
    one of the listed prison ranks, so it is treated as a blank mechanism (rank 9)."""
    st = e.service_type
    if st == LTS_NURSING:
        return 1
    if st == LTS_RESIDENTIAL:
        return 2
    mech = e.mechanism if e.mechanism in (DIRECT_PAYMENT, MANAGED_BUDGET, COMMISSIONED) else ""
    if component_direct_payment and e.component == COMPONENT_DIRECT_PAYMENT:
        mech = DIRECT_PAYMENT
    if st == LTS_COMMUNITY:
        return {DIRECT_PAYMENT: 3, MANAGED_BUDGET: 4, COMMISSIONED: 5}.get(mech, 6)
    if st == LTS_PRISON:
        return {MANAGED_BUDGET: 7, COMMISSIONED: 8}.get(mech, 9)
    raise ValueError(f"{st!r} is not a long-term support service type")


def setting_label(rank: int) -> str:
    return SETTINGS[rank - 1]


# ---------------------------------------------------------------------------------------------
# Clustering (B8) and new clients (B4)


@dataclass(frozen=True, slots=True)
class Cluster:
    start: dt.date
    end: dt.date  # placeholder OPEN_END for open rows
    rows: tuple[Event, ...]

    @property
    def latest_ending(self) -> list[Event]:
        return [r for r in self.rows if _end(r) == self.end]


# Placeholder end of open rows (B8: DHSC 9999-01-01; NHSE "today"). Decision: one far-future
# placeholder for both, so the rules stay pure; an open row is open on every later date.
OPEN_END = dt.date(9999, 1, 1)


def _end(e: Event) -> dt.date:
    return e.end or OPEN_END


def clusters(rows: Sequence[Event], gap_days: int) -> list[Cluster]:
    """B8 "islands and gaps": sort by start; a row joins the current cluster if it starts no
    more than ``gap_days`` after the latest end seen so far (overlaps always join)."""
    out: list[Cluster] = []
    ordered = sorted((r for r in rows if r.start), key=lambda r: (r.start, _end(r), r.record))
    cur: list[Event] = []
    cur_start = cur_end = None
    for r in ordered:
        assert r.start is not None
        if cur and cur_end is not None and (r.start - cur_end).days <= gap_days:
            cur.append(r)
            cur_end = max(cur_end, _end(r))
            continue
        if cur:
            out.append(Cluster(cur_start, cur_end, tuple(cur)))  # type: ignore[arg-type]
        cur, cur_start, cur_end = [r], r.start, _end(r)
    if cur:
        out.append(Cluster(cur_start, cur_end, tuple(cur)))  # type: ignore[arg-type]
    return out


def in_lts_on(events: Sequence[Event], day: dt.date, *, service_users_only: bool = True) -> bool:
    """B4: the person has an LTS service with ``start <= day`` and (``end >= day`` or blank),
    i.e. they are not a new client on ``day``."""
    return any(
        is_lts(e)
        and e.open_on(day)
        and (not service_users_only or e.client_type == cld.SERVICE_USER)
        for e in events
    )


# ---------------------------------------------------------------------------------------------
# One value per person (rules.md §5c, NHSE's simpler version for SALT)

INVALID_NULL = "Invalid/NULL"


def pick_latest(
    rows: Sequence[Event],
    get: Callable[[Event], str],
    valid: Iterable[str],
    *,
    unknown: Iterable[str] = (cld.UNKNOWN,),
    conflict: str = cld.UNKNOWN,
) -> str:
    """NHSE rule (rules.md §5c, last bullet): prefer a known value, then the latest-starting
    event; a remaining conflict becomes ``conflict``; a value not on the list is 'Invalid/NULL'.
    """
    valid = frozenset(valid)
    unknown = frozenset(unknown)
    known = [r for r in rows if get(r) in valid and get(r) not in unknown]
    pool = known or [r for r in rows if get(r) in valid]
    if not pool:
        return INVALID_NULL
    latest = max(r.start or dt.date.min for r in pool)
    top = {get(r) for r in pool if (r.start or dt.date.min) == latest}
    return top.pop() if len(top) == 1 else conflict
