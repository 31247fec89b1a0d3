"""Person search: by NHS number, name (typos, sound-alikes and previous names), date of birth
and postcode, combined. Scoped: only people the worker may find (restricted records are hidden
unless the worker is named on them). A fixed number of queries, whatever the data size."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field

from django.db.models import Count, Subquery

from carebridge.casework.access import searchable_people
from carebridge.casework.models import Allocation
from carebridge.organisations.models import Team
from carebridge.rules import names, nhs_number, postcode

from .models import Person, PersonName, PersonNameKey

# Results shown at once: beyond this the page asks for a date of birth or postcode to narrow.
MAX_RESULTS = 25
# The fields a results row shows (loading whole records for a list is wasted work).
RESULT_FIELDS = (
    "person_id",
    "nhs_number",
    "given_name",
    "family_name",
    "date_of_birth",
    "date_of_death",
    "postcode",
    "is_restricted",
)
# How many name-key candidates are ranked in Python at most: enough for the commonest surname
# in a county (about 1% of people), bounded so search stays fast at any size.
MAX_CANDIDATES = 2000
MIN_NAME_SCORE = 0.72
# How long the list of common family names is trusted before it is read again. A stale list
# only costs speed, never results: see _common_family_name.
COMMON_NAMES_SECONDS = 600


@dataclass
class Criteria:
    nhs_number: str = ""
    name: str = ""
    date_of_birth: dt.date | None = None
    postcode: str = ""

    def is_empty(self) -> bool:
        return not (self.nhs_number or self.name.strip() or self.date_of_birth or self.postcode)

    def describe(self) -> dict[str, str]:
        d = {
            "nhs_number": self.nhs_number,
            "name": self.name.strip(),
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else "",
            "postcode": self.postcode,
        }
        return {k: v for k, v in d.items() if v}


@dataclass
class Hit:
    person: Person
    score: float
    matched_name: PersonName | None = None
    current_allocation: Allocation | None = None

    @property
    def matched_previous_name(self) -> bool:
        return self.matched_name is not None and self.matched_name.kind != PersonName.Kind.CURRENT


@dataclass
class Results:
    hits: list[Hit] = field(default_factory=list)
    truncated: bool = False


class SearchError(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def validate(criteria: Criteria) -> Criteria:
    errors: dict[str, str] = {}
    if criteria.is_empty():
        errors["name"] = "Enter an NHS number, a name, a date of birth or a postcode"
    if criteria.nhs_number:
        try:
            criteria.nhs_number = nhs_number.parse(criteria.nhs_number).digits
        except nhs_number.InvalidNHSNumber as e:
            errors["nhs_number"] = str(e)
    if criteria.postcode:
        compact = postcode.compact(criteria.postcode)
        if not (postcode.is_partial_postcode(compact) or _is_full_postcode(compact)):
            errors["postcode"] = "Enter a full postcode like NR1 2DH, or its first part like NR1"
        criteria.postcode = compact
    if criteria.name and not names.normalise(criteria.name):
        errors["name"] = "Enter a name using letters"
    if errors:
        raise SearchError(errors)
    return criteria


def _is_full_postcode(compact: str) -> bool:
    try:
        postcode.parse(compact)
    except postcode.InvalidPostcode:
        return False
    return True


def search(worker, criteria: Criteria) -> Results:
    criteria = validate(criteria)
    qs = searchable_people(worker)
    if criteria.nhs_number:
        qs = qs.filter(nhs_number=criteria.nhs_number)
    if criteria.date_of_birth:
        qs = qs.filter(date_of_birth=criteria.date_of_birth)
    if criteria.postcode:
        if _is_full_postcode(criteria.postcode):
            qs = qs.filter(postcode_compact=criteria.postcode)
        else:
            qs = qs.filter(postcode_compact__startswith=criteria.postcode)
    given, family = names.split_query(criteria.name)
    if not family:
        people = list(
            qs.only(*RESULT_FIELDS).order_by("family_name", "given_name", "pk")[: MAX_RESULTS + 1]
        )
        hits = [Hit(person=p, score=1.0) for p in people]
    else:
        hits = _ranked_by_name(qs, given, family)
    hits, truncated = hits[:MAX_RESULTS], len(hits) > MAX_RESULTS
    allocations = _open_allocations([h.person.pk for h in hits])
    for h in hits:
        h.current_allocation = allocations.get(h.person.pk)
    return Results(hits=hits, truncated=truncated)


_OPEN_ALLOCATIONS_SQL = """
SELECT a.id, a.person_id, a.worker_id, a.team_id, t.name AS team_name
FROM {allocation} a JOIN {team} t ON t.id = a.team_id
WHERE a.ended_at IS NULL AND a.person_id IN ({ids})
"""


def _open_allocations(person_pks: list[int]) -> dict[int, Allocation]:
    """person pk -> their open allocation, with ``team_name``, in one query (plain SQL through
    Allocation.objects.raw(): the ORM's prefetch cost more to build than to run here)."""
    if not person_pks:
        return {}
    sql = _OPEN_ALLOCATIONS_SQL.format(
        allocation=Allocation._meta.db_table,
        team=Team._meta.db_table,
        ids=", ".join(["%s"] * len(person_pks)),
    )
    return {a.person_id: a for a in Allocation.objects.raw(sql, person_pks)}


def _ranked_by_name(qs, given: str, family: str) -> list[Hit]:
    """Candidates share a name key; rank them on plain tuples of their names, then load full
    records for the best only. Three queries, whatever the number of candidates (for a bare
    family name that many people share, the shortcut of :func:`_common_family_name`)."""
    if not given and f"{names.EXACT}:{names.normalise(family)}" in common_family_keys():
        hits = _common_family_name(qs, family)
        if hits is not None:
            return hits
    family_match = PersonNameKey.objects.filter(
        part=PersonNameKey.Part.FAMILY, key__in=names.query_keys(family)
    ).values("person_id")
    qs = qs.filter(pk__in=family_match)
    if given and len(names.normalise(given)) > 1:
        given_match = PersonNameKey.objects.filter(
            part=PersonNameKey.Part.GIVEN, key__in=names.query_keys(given)
        ).values("person_id")
        qs = qs.filter(pk__in=given_match)
    candidates = qs.order_by("pk").values("pk")[:MAX_CANDIDATES]
    rows = (
        PersonName.objects.filter(person_id__in=Subquery(candidates))
        .order_by()
        .values_list("pk", "person_id", "kind", "given_name", "family_name")
    )
    q_given, q_family = names.normalise(given), names.normalise(family)
    best: dict[int, tuple[float, tuple]] = {}
    current: dict[int, tuple[str, str]] = {}
    # Many candidates share a name (every Smith): score each distinct name once.
    scored: dict[tuple[str, str], float] = {}
    for row in rows:
        _, person_id, kind, given_name, family_name = row
        key = (given_name if q_given else "", family_name)
        score = scored.get(key)
        if score is None:
            score = scored[key] = names.score(
                q_given, q_family, names.normalise(given_name), names.normalise(family_name)
            )
        if kind == PersonName.Kind.CURRENT:
            current[person_id] = (family_name, given_name)
            score += 0.001  # on a tie, show the current name as the one matched
        if score >= MIN_NAME_SCORE and score > best.get(person_id, (0.0,))[0]:
            best[person_id] = (score, row)
    # Best score first (an exact previous name is as good as an exact current name), then in
    # name order: the order the page shows, so the page holds the best matches.
    top = sorted(
        best.items(),
        key=lambda item: (-min(item[1][0], 1.0), *current.get(item[0], ("", "")), item[0]),
    )[: MAX_RESULTS + 1]
    people = {
        p.pk: p for p in Person.objects.filter(pk__in=[k for k, _ in top]).only(*RESULT_FIELDS)
    }
    hits = [
        Hit(person=people[person_id], score=min(score, 1.0), matched_name=_name(row))
        for person_id, (score, row) in top
    ]
    hits.sort(key=lambda h: (-h.score, h.person.family_name, h.person.given_name, h.person.pk))
    return hits


_common_names: tuple[float, frozenset[str]] = (float("-inf"), frozenset())
_common_names_lock = threading.Lock()


def common_family_keys(*, refresh: bool = False) -> frozenset[str]:
    """The exact-name keys of family names shared by more people than a page shows, read at
    most every COMMON_NAMES_SECONDS per process (one grouped query)."""
    global _common_names
    with _common_names_lock:
        read_at, keys = _common_names
        if refresh or time.monotonic() - read_at > COMMON_NAMES_SECONDS:
            keys = frozenset(
                PersonNameKey.objects.filter(
                    part=PersonNameKey.Part.FAMILY, key__startswith=f"{names.EXACT}:"
                )
                .values("key")
                .annotate(people=Count("person_id", distinct=True))
                .filter(people__gt=MAX_RESULTS)
                .values_list("key", flat=True)
            )
            _common_names = (time.monotonic(), keys)
        return keys


def _common_family_name(qs, family: str) -> list[Hit] | None:
    """A bare family name shared exactly by more people than a page shows (Smith, Jones...).

    Every exact match scores 1.0 and every other candidate scores less, so the page is simply
    the first exact matches in name order: SQL can pick them without ranking hundreds of
    candidates in Python. Tried only for names on the (cached) list of common names; returns
    None when there are too few exact matches to fill the page after all (the list was stale,
    or restricted records are hidden from this worker), and the full ranking runs instead: the
    same results either way."""
    q_family = names.normalise(family)
    exact = PersonNameKey.objects.filter(
        part=PersonNameKey.Part.FAMILY, key=f"{names.EXACT}:{q_family}"
    ).values("person_id")
    people = list(
        qs.filter(pk__in=exact)
        .only(*RESULT_FIELDS)
        .order_by("family_name", "given_name", "pk")[: MAX_RESULTS + 1]
    )
    if len(people) <= MAX_RESULTS:
        return None
    matched: dict[int, tuple] = {}
    rows = (
        PersonName.objects.filter(person_id__in=[p.pk for p in people])
        .order_by()
        .values_list("pk", "person_id", "kind", "given_name", "family_name")
    )
    for row in rows:
        if names.normalise(row[4]) != q_family:
            continue
        if row[1] not in matched or row[2] == PersonName.Kind.CURRENT:
            matched[row[1]] = row
    return [
        Hit(person=p, score=1.0, matched_name=_name(matched[p.pk]) if p.pk in matched else None)
        for p in people
    ]


def _name(row: tuple) -> PersonName:
    pk, person_id, kind, given_name, family_name = row
    return PersonName(
        pk=pk, person_id=person_id, kind=kind, given_name=given_name, family_name=family_name
    )
