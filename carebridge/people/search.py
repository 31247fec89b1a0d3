"""Person search: by NHS number, name (typos, sound-alikes and previous names), date of birth
and postcode, combined. Scoped: only people the worker may find (restricted records are hidden
unless the worker is named on them). A fixed number of queries, whatever the data size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch

from carebridge.casework.access import searchable_people
from carebridge.casework.models import Allocation
from carebridge.rules import names, nhs_number, postcode

from .models import Person, PersonName, PersonNameKey

MAX_RESULTS = 50
# How many name-key candidates are ranked in Python at most: enough for the commonest surname
# in a county (about 1% of people), bounded so search stays fast at any size.
MAX_CANDIDATES = 2000
MIN_NAME_SCORE = 0.72


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
    if family:
        family_match = PersonNameKey.objects.filter(
            part=PersonNameKey.Part.FAMILY, key__in=names.query_keys(family)
        ).values("person_id")
        qs = qs.filter(pk__in=family_match)
        if given and len(names.normalise(given)) > 1:
            given_match = PersonNameKey.objects.filter(
                part=PersonNameKey.Part.GIVEN, key__in=names.query_keys(given)
            ).values("person_id")
            qs = qs.filter(pk__in=given_match)
    open_allocations = Prefetch(
        "allocations",
        queryset=Allocation.objects.filter(ended_at__isnull=True).select_related("team", "worker"),
        to_attr="open_allocations",
    )
    limit = MAX_CANDIDATES if family else MAX_RESULTS + 1
    people = list(
        qs.prefetch_related("names", open_allocations).order_by("family_name", "given_name", "pk")[
            :limit
        ]
    )
    hits = [_score(p, given, family) for p in people]
    if family:
        hits = [h for h in hits if h.score >= MIN_NAME_SCORE]
        hits.sort(key=lambda h: (-h.score, h.person.family_name, h.person.given_name))
    for h in hits:
        h.current_allocation = (h.person.open_allocations or [None])[0]
    return Results(hits=hits[:MAX_RESULTS], truncated=len(hits) > MAX_RESULTS)


def _score(person: Person, given: str, family: str) -> Hit:
    if not family:
        return Hit(person=person, score=1.0)
    best: tuple[float, PersonName | None] = (0.0, None)
    for n in person.names.all():
        family_score = names.similarity(family, n.family_name)
        if given:
            given_score = names.similarity(given, n.given_name)
            # An initial ("J Smith") matches any given name starting with it.
            if len(names.normalise(given)) == 1 and names.normalise(n.given_name).startswith(
                names.normalise(given)
            ):
                given_score = 0.95
            score = 0.6 * family_score + 0.4 * given_score
        else:
            score = family_score
        if n.kind == PersonName.Kind.CURRENT:
            score += 0.001  # on a tie, prefer the current name
        if score > best[0]:
            best = (score, n)
    return Hit(person=person, score=min(best[0], 1.0), matched_name=best[1])
