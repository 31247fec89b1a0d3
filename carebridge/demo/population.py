"""The people of the synthetic county: who they are, who cares for whom, their names, addresses,
NHS numbers and dated accommodation and employment histories.

Generated in passes, each with its own random stream (see ``seed.py``): the population (need,
age, profile), then carers linked to the people they care for, then (after the histories) names
and addresses, then identity details and status histories. Rows are tuples in the field order
of the ``*_FIELDS`` constants.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import NamedTuple

from carebridge.people.services import PERSON_ID_PREFIX, name_keys_for
from carebridge.rules import cld
from carebridge.rules import local_codes as lc
from carebridge.rules import nhs_number as nhs
from carebridge.rules import postcode as postcode_rules

from . import distributions as d
from . import names_data as nd
from .history import ADULT_DAYS, Context, PersonSim

PERSON_FIELDS = (
    "id",
    "person_id",
    "nhs_number",
    "nhs_number_status",
    "title",
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "date_of_death",
    "gender",
    "ethnicity",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "postcode_compact",
    "phone",
    "email",
    "gp_practice_id",
    "primary_support_reason",
    "communication_needs",
    "is_restricted",
    "version",
    "created_at",
    "updated_at",
)
NAME_FIELDS = ("id", "person_id", "kind", "given_name", "family_name", "used_from", "used_until")
NAME_KEY_FIELDS = ("id", "person_id", "part", "key")
STATUS_FIELDS = ("id", "person_id", "valid_from", "recorded_at", "recorded_by_id", "status")
CARER_FIELDS = (
    "id",
    "carer_id",
    "cared_for_id",
    "relationship",
    "lives_with_cared_for",
    "is_main_carer",
    "started_on",
    "ended_on",
)

# About one in ten people known to the council is an unpaid carer of another (brief).
CARER_SHARE = 0.10
CARER_WITH_OWN_EVENTS = 0.55
# A person in a statutory return (a completed request, assessment or review, a service, or a
# carer linked to someone who has one) has a traced NHS number: tracing on the Personal
# Demographics Service is part of completing the first request. Of the rest (a request still
# open, or only a contact), this share have not been traced yet [est]: about 5% of records
# overall (brief), and none in the CLD return, which scores a blank NHS number 'Failed'.
NOT_YET_TRACED = 0.6
PREVIOUS_NAME_FEMALE = 0.11  # e.g. a family name before marriage [est]
PREVIOUS_NAME_OTHER = 0.015

# Chance of dying in the window, by profile and age [est]; gives about 4% of all people (brief).
DEATH_P = {
    (d.LEGACY_LTS, True): 0.09,
    (d.LEGACY_LTS, False): 0.025,
    (d.NEW_LTS, True): 0.09,
    (d.NEW_LTS, False): 0.025,
    (d.SHORT_TERM, True): 0.06,
    (d.SHORT_TERM, False): 0.01,
    (d.ASSESSED, True): 0.03,
    (d.ASSESSED, False): 0.005,
    (d.REQUEST_ONLY, True): 0.03,
    (d.REQUEST_ONLY, False): 0.005,
}
CARER_DEATH_P = 0.02

RELATIONSHIP_OLDER = d.local_table(
    lc.CARER_RELATIONSHIPS,
    {"spouse_partner": 48, "child": 40, "other_relative": 5, "friend_neighbour": 5, "other": 2},
    "carer relationship",
)
RELATIONSHIP_LEARNING_DISABILITY = d.local_table(
    lc.CARER_RELATIONSHIPS,
    {"parent": 65, "sibling": 15, "other_relative": 10, "friend_neighbour": 5, "other": 5},
    "carer relationship",
)
RELATIONSHIP_WORKING_AGE = d.local_table(
    lc.CARER_RELATIONSHIPS,
    {
        "spouse_partner": 40,
        "parent": 30,
        "child": 8,
        "sibling": 10,
        "friend_neighbour": 7,
        "other": 5,
    },
    "carer relationship",
)
LIVES_WITH_P = {
    "spouse_partner": 0.9,
    "parent": 0.75,
    "child": 0.3,
    "sibling": 0.3,
    "other_relative": 0.2,
    "friend_neighbour": 0.03,
    "other": 0.1,
}
SHARES_FAMILY_NAME_P = {"spouse_partner": 0.85, "parent": 0.8, "child": 0.55, "sibling": 0.7}
CARED_FOR_PROFILES = frozenset({d.LEGACY_LTS, d.NEW_LTS, d.SHORT_TERM, d.ASSESSED})
MALE, FEMALE = "Male", "Female"


# Of working-age people with a learning disability, the share aged 19 or 20: most came to adult
# services through a planned transition from children's services (CLD route 'Planned Entry
# (Transition)', Care Act ss58-66) [est].
YOUNG_ADULT_LD = 0.1


def _age(rng: random.Random, older: bool, psr: str) -> int:
    if older:
        return int(rng.triangular(65, 101, 84))
    if psr == d.LEARNING_DISABILITY and rng.random() < YOUNG_ADULT_LD:
        return rng.randint(19, 20)  # came through transition from children's services
    mode = {
        d.LEARNING_DISABILITY: 28,
        d.MENTAL_HEALTH: 40,
        "Social Support: Asylum seeker support": 25,
    }.get(psr, 50)
    return int(rng.triangular(18, 65, mode))


def _dob(rng: random.Random, until: dt.date, age: int) -> dt.date:
    return until - dt.timedelta(days=int(age * 365.25) + rng.randint(0, 364))


def _home_team(rng: random.Random, ctx: Context, psr: str, town: int) -> int:
    _, _, area, locality = nd.TOWNS[town]
    if psr == d.MENTAL_HEALTH and rng.random() < 0.85:
        return ctx.teams[f"cmht_{area.lower()}"]  # mental health: mostly trust-hosted CMHTs
    if psr == d.LEARNING_DISABILITY and rng.random() < 0.9:
        return ctx.teams["learning_disability"]
    return ctx.teams[f"locality_{locality.lower()}"]


def make_population(n: int, first_pk: int, rng: random.Random, ctx: Context) -> list[PersonSim]:
    people = []
    shapes = {
        psr: (
            older_p,
            d.Weighted(dict(zip(d.PROFILES, w, strict=True)), allowed=d.PROFILES, name="profile"),
        )
        for psr, (older_p, w) in d.PSR_SHAPE.items()
    }
    for i in range(n):
        carer = n >= 10 and rng.random() < CARER_SHARE
        town = rng.randrange(len(nd.TOWNS))
        gender, ethnicity = d.GENDER.pick(rng), d.ETHNICITY.pick(rng)
        if carer:
            people.append(
                PersonSim(
                    pk=first_pk + i,
                    carer=True,
                    psr=cld.UNKNOWN,
                    profile="carer",
                    older=False,
                    age=50,
                    gender=gender,
                    ethnicity=ethnicity,
                    town=town,
                    dies=False,
                )
            )
            continue
        psr = d.PSR.pick(rng)
        older_p, profiles = shapes[psr]
        older = rng.random() < older_p
        profile = profiles.pick(rng)
        age = _age(rng, older, psr)
        if profile == d.LEGACY_LTS and age < 22:
            profile = d.NEW_LTS
        sim = PersonSim(
            pk=first_pk + i,
            carer=False,
            psr=psr,
            profile=profile,
            older=older,
            age=age,
            gender=gender,
            ethnicity=ethnicity,
            town=town,
            dies=rng.random() < DEATH_P[(profile, older)],
        )
        sim.dob = _dob(rng, ctx.until, age)
        sim.home_team = _home_team(rng, ctx, psr, town)
        people.append(sim)
    return people


def link_carers(people: list[PersonSim], rng: random.Random, ctx: Context) -> None:
    """Give each carer the person they care for, a relationship, an age to match, a home."""
    candidates = [p for p in people if not p.carer and p.profile in CARED_FOR_PROFILES]
    if not candidates:
        candidates = [p for p in people if not p.carer]
    for c in people:
        if not c.carer:
            continue
        if not candidates:
            c.carer = False  # a tiny county: nobody to care for, so a request-only person
            c.profile, c.dob = d.REQUEST_ONLY, _dob(rng, ctx.until, c.age)
            c.psr, c.home_team = d.PSR.pick(rng), ctx.teams["front_door"]
            continue
        cf = candidates[rng.randrange(len(candidates))]
        if cf.psr == d.LEARNING_DISABILITY and not cf.older:
            rel = RELATIONSHIP_LEARNING_DISABILITY.pick(rng)
        elif cf.older:
            rel = RELATIONSHIP_OLDER.pick(rng)
        else:
            rel = RELATIONSHIP_WORKING_AGE.pick(rng)
        c.cared_for, c.relationship = cf, rel
        c.lives_with = rng.random() < LIVES_WITH_P[rel]
        c.age = min(98, max(18, _carer_age(rng, rel, cf.age)))
        c.older = c.age >= 65
        c.dob = _dob(rng, ctx.until, c.age)
        if rel == "spouse_partner" and cf.gender in (MALE, FEMALE) and rng.random() < 0.95:
            c.gender = FEMALE if cf.gender == MALE else MALE
        if rng.random() < 0.9:
            c.ethnicity = cf.ethnicity
        if c.lives_with or rng.random() < 0.7:
            c.town = cf.town
        c.home_team = cf.home_team
        c.main_carer = rng.random() < 0.8
        active = rng.random() < CARER_WITH_OWN_EVENTS
        c.profile = "carer" if active else "carer_known"
        c.dies = not active and rng.random() < CARER_DEATH_P
        adult = c.dob + dt.timedelta(days=ADULT_DAYS)
        started = ctx.until - dt.timedelta(days=rng.randint(30, 365 * 12))
        c.relationship_start = min(ctx.until, max(started, adult))
        if c.dies:
            c.death = ctx.start + dt.timedelta(days=rng.randint(0, (ctx.until - ctx.start).days))


def _carer_age(rng: random.Random, rel: str, cared_for_age: int) -> int:
    if rel == "spouse_partner":
        return cared_for_age + rng.randint(-6, 6)
    if rel == "parent":
        return cared_for_age + rng.randint(22, 38)
    if rel == "child":
        return cared_for_age - rng.randint(24, 38)
    if rel == "sibling":
        return cared_for_age + rng.randint(-8, 8)
    return rng.randint(30, 80)


def carer_rows(people: list[PersonSim], first_id: int) -> list[tuple]:
    """CarerRelationship rows; a relationship ends when either person dies."""
    rows = []
    for c in people:
        cf = c.cared_for
        if cf is None:
            continue
        deaths = [x for x in (c.death, cf.death) if x is not None]
        ended = min(deaths) if deaths else None
        started = c.relationship_start
        if ended is not None and started > ended:
            started = ended
        rows.append(
            (
                first_id + len(rows),
                c.pk,
                cf.pk,
                c.relationship,
                c.lives_with,
                c.main_carer,
                started,
                ended,
            )
        )
    return rows


# -- names and addresses -----------------------------------------------------------------------


class _Name(NamedTuple):
    """What ``people.services.name_keys_for`` reads from a PersonName."""

    given_name: str
    family_name: str


def _given_pool(p: PersonSim) -> tuple[str, ...]:
    female = p.gender == FEMALE or (p.gender not in (MALE, FEMALE) and p.pk % 2 == 0)
    group = p.ethnicity.split(":")[0]
    special = nd.GIVEN_NAMES_BY_GROUP.get(p.ethnicity) or nd.GIVEN_NAMES_BY_GROUP.get(group)
    if special is not None:
        return special[0] if female else special[1]
    for born_by, women, men in nd.GIVEN_NAMES_BY_COHORT:
        if p.dob.year <= born_by:
            return women if female else men
    return nd.GIVEN_NAMES_BY_COHORT[-1][1 if female else 2]


def _family_pool(p: PersonSim) -> tuple[str, ...]:
    group = p.ethnicity.split(":")[0]
    return (
        nd.FAMILY_NAMES_BY_GROUP.get(p.ethnicity)
        or nd.FAMILY_NAMES_BY_GROUP.get(group)
        or nd.FAMILY_NAMES
    )


def _address(rng: random.Random, town: int) -> tuple[str, str, str, str]:
    name, district, _, _ = nd.TOWNS[town]
    number = int(rng.triangular(1, 180, 12))
    street = f"{rng.choice(nd.STREET_STEMS)} {rng.choice(nd.STREET_SUFFIXES)}"
    line_2 = rng.choice(nd.VILLAGES) if rng.random() < 0.3 else ""
    letters = nd.POSTCODE_UNIT_LETTERS
    raw = (
        f"{nd.POSTCODE_AREA}{district} {rng.randrange(10)}"
        f"{letters[rng.randrange(len(letters))]}{letters[rng.randrange(len(letters))]}"
    )
    flat = f"Flat {rng.randint(1, 24)}, " if rng.random() < 0.08 else ""
    return f"{flat}{number} {street}", line_2, name, postcode_rules.parse(raw)


def assign_names(people: list[PersonSim], rng: random.Random) -> None:
    """Current names and addresses: everyone else first, then carers, who often share the
    family name (and, living together, the address) of the person they care for."""
    ordered = [p for p in people if p.cared_for is None] + [p for p in people if p.cared_for]
    for p in ordered:
        pool = _given_pool(p)
        p.given_name = pool[rng.randrange(len(pool))]
        cf = p.cared_for
        if cf is not None and rng.random() < SHARES_FAMILY_NAME_P.get(p.relationship, 0.0):
            p.family_name = cf.family_name
        else:
            if p.ethnicity.startswith("Mixed") and rng.random() < 0.8:
                pool = nd.FAMILY_NAMES
            else:
                pool = _family_pool(p)
            p.family_name = pool[rng.randrange(len(pool))]
        if cf is not None and p.lives_with and cf.address is not None:
            p.address = cf.address
        else:
            p.address = _address(rng, p.town)


def nhs_numbers(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct NHS numbers in the 999 test range with valid Modulus 11 check digits
    (999 + six digits + check digit; combinations whose check digit would be 10 are skipped)."""
    if count > 900_000:
        raise ValueError("The 999 test range holds about 909,000 valid NHS numbers")
    out: list[str] = []
    bodies = rng.sample(range(1_000_000), min(1_000_000, int(count * 1.12) + 50))
    for body in bodies:
        first_nine = f"{nhs.TEST_RANGE_PREFIX}{body:06d}"
        check = nhs.check_digit(first_nine)
        if check is not None:
            out.append(f"{first_nine}{check}")
            if len(out) == count:
                return out
    seen = set(out)
    for body in range(1_000_000):  # top up (only reached for very large counties)
        first_nine = f"{nhs.TEST_RANGE_PREFIX}{body:06d}"
        check = nhs.check_digit(first_nine)
        if check is not None and f"{first_nine}{check}" not in seen:
            out.append(f"{first_nine}{check}")
            if len(out) == count:
                break
    return out


def _title(rng: random.Random, p: PersonSim) -> str:
    x = rng.random()
    if x < 0.01:
        return "Dr"
    if p.gender == MALE:
        return "Mr"
    if p.gender == FEMALE:
        if p.age >= 30 and x < 0.6:
            return "Mrs"
        return "Ms" if x < 0.85 else "Miss"
    return "Mx" if x < 0.5 else ""


COMMUNICATION = {
    "Sensory Support: Support for hearing impairment": (
        "Uses British Sign Language: book a BSL interpreter for visits.",
        "Hard of hearing: face the person and speak clearly; hearing loop helps.",
    ),
    "Sensory Support: Support for visual impairment": (
        "Registered sight impaired: letters in large print (24 point) or by telephone.",
        "Needs documents read aloud; prefers audio or telephone contact.",
    ),
    "Sensory Support: Support for dual impairment": (
        "Deafblind: uses hands-on signing; contact through the named communicator guide.",
    ),
    d.MEMORY: (
        "Has dementia: short sentences, allow time; family member supports conversations.",
        "Memory difficulties: confirm appointments in writing and by telephone the day before.",
    ),
    d.LEARNING_DISABILITY: (
        "Easy read letters, please. Likes a familiar support worker present.",
        "Uses Makaton alongside speech.",
    ),
}
INTERPRETER_LANGUAGES = {
    "White: Any other White background": ("Polish", "Romanian", "Lithuanian", "Portuguese"),
    "Asian or Asian British": ("Bengali", "Punjabi", "Urdu", "Gujarati", "Cantonese"),
    "Black, Black British, Caribbean or African": ("Somali", "Tigrinya", "French"),
    "Other ethnic group": ("Arabic", "Kurdish", "Farsi"),
}


def _communication(rng: random.Random, p: PersonSim) -> str:
    notes = COMMUNICATION.get(p.psr)
    if notes and rng.random() < 0.6:
        return notes[rng.randrange(len(notes))]
    languages = INTERPRETER_LANGUAGES.get(p.ethnicity) or INTERPRETER_LANGUAGES.get(
        p.ethnicity.split(":")[0]
    )
    if languages and rng.random() < 0.2:
        return f"Interpreter needed: {rng.choice(languages)}."
    return ""


def recorded_psr(rng: random.Random, p: PersonSim) -> str:
    if p.carer:
        return d.CARER_PSR if p.has_events else cld.UNKNOWN
    if p.profile == d.REQUEST_ONLY and rng.random() < 0.55:
        return cld.UNKNOWN  # the journey ended before a reason was established
    if p.profile == d.ASSESSED and rng.random() < 0.1:
        return cld.UNKNOWN
    return p.psr


class Identities:
    """Builds the Person, PersonName and PersonNameKey rows."""

    def __init__(
        self,
        rng: random.Random,
        ctx: Context,
        gp_by_town: dict[str, list[int]],
        gp_ids: list[int],
        aware,
    ):
        self.rng, self.ctx, self.aware = rng, ctx, aware
        self.gp_by_town, self.gp_ids = gp_by_town, gp_ids
        self._keys: dict[tuple[str, str], list[tuple[str, str]]] = {}

    def rows(
        self,
        people: list[PersonSim],
        first_name_id: int,
        first_key_id: int,
        restricted: set[int],
        traced: set[int],
    ) -> tuple[list[tuple], list[tuple], list[tuple]]:
        """``traced``: the people who must have an NHS number (see ``NOT_YET_TRACED``)."""
        rng = self.rng
        with_numbers = [rng.random() >= NOT_YET_TRACED or p.pk in traced or p.carer for p in people]
        numbers = iter(nhs_numbers(rng, sum(with_numbers)))
        person_rows, name_rows, key_rows = [], [], []
        for p, has_number in zip(people, with_numbers, strict=True):
            person_rows.append(
                self._person(p, next(numbers) if has_number else None, p.pk in restricted)
            )
            names = self._names(p)
            for kind, given, family, used_from, used_until in names:
                name_rows.append(
                    (
                        first_name_id + len(name_rows),
                        p.pk,
                        kind,
                        given,
                        family,
                        used_from,
                        used_until,
                    )
                )
            for part, key in self._name_keys(names):
                key_rows.append((first_key_id + len(key_rows), p.pk, part, key))
        return person_rows, name_rows, key_rows

    def _person(self, p: PersonSim, number: str | None, is_restricted: bool) -> tuple:
        rng = self.rng
        if number is None:
            status = rng.choice(("07", "07", "07", "04", "03"))
        else:
            status = "01" if rng.random() < 0.93 else "02"
        line_1, line_2, town, postcode = p.address
        practices = self.gp_by_town.get(town) or self.gp_ids
        gp = practices[rng.randrange(len(practices))] if rng.random() < 0.97 else None
        preferred = nd.NICKNAMES.get(p.given_name, "") if rng.random() < 0.1 else ""
        phone = ""
        if rng.random() < 0.75:  # Ofcom's ranges reserved for drama: never a real line
            phone = (
                f"01632 960{rng.randrange(1000):03d}"
                if rng.random() < 0.6
                else f"07700 900{rng.randrange(1000):03d}"
            )
        email = ""
        if not p.older and rng.random() < 0.2:
            email = (
                f"{p.given_name}.{p.family_name}{rng.randrange(100)}@example.com".lower().replace(
                    "'", ""
                )
            )
        first = min(p.first_activity or p.relationship_start or self.ctx.until, self.ctx.until)
        last = min(max(p.last_activity or first, first), self.ctx.until)
        created = self.aware(first, rng.randint(9 * 60, 17 * 60))
        updated = self.aware(last, rng.randint(9 * 60, 17 * 60))
        return (
            p.pk,
            f"{PERSON_ID_PREFIX}{p.pk:07d}",
            number,
            status,
            _title(rng, p),
            p.given_name,
            p.family_name,
            preferred,
            p.dob,
            p.death,
            p.gender,
            p.ethnicity,
            line_1,
            line_2,
            town,
            postcode,
            postcode_rules.compact(postcode),
            phone,
            email,
            gp,
            recorded_psr(rng, p),
            _communication(rng, p),
            is_restricted,
            1,
            created,
            max(created, updated),
        )

    def _names(self, p: PersonSim) -> list[tuple]:
        """(kind, given, family, used_from, used_until): current, maybe previous, maybe alias."""
        rng = self.rng
        names = [["current", p.given_name, p.family_name, None, None]]
        share = PREVIOUS_NAME_FEMALE if p.gender == FEMALE and p.age >= 25 else PREVIOUS_NAME_OTHER
        if rng.random() < share:
            pool = _family_pool(p)
            previous = pool[rng.randrange(len(pool))]
            if previous != p.family_name:
                changed = p.dob + dt.timedelta(
                    days=rng.randint(18 * 365, max(18 * 365, p.age * 365 - 30))
                )
                changed = min(changed, self.ctx.until)
                names.append(["previous", p.given_name, previous, None, changed])
                names[0][3] = changed
        alias = nd.NICKNAMES.get(p.given_name)
        if alias and rng.random() < 0.05:
            names.append(["alias", alias, p.family_name, None, None])
        return [tuple(n) for n in names]

    def _name_keys(self, names: list[tuple]) -> list[tuple[str, str]]:
        """The same rows as ``people.services.name_keys_for`` (cached per name part)."""
        rows: set[tuple[str, str]] = set()
        for _, given, family, _, _ in names:
            rows.update(self._part_keys(given, ""))
            rows.update(self._part_keys("", family))
        return sorted(rows)

    def _part_keys(self, given: str, family: str) -> list[tuple[str, str]]:
        cached = self._keys.get((given, family))
        if cached is None:
            cached = [(k.part, k.key) for k in name_keys_for(0, [_Name(given, family)])]
            self._keys[(given, family)] = cached
        return cached


# -- accommodation and employment ------------------------------------------------------------


# Most reviews check the person's accommodation status and record it again, changed or not
# (it feeds the CLD return and ASCOF 1G/1H, and the accommodation-status-current duty).
ACCOMMODATION_CHECKED_AT_REVIEW_P = 0.85


def status_rows(
    people: list[PersonSim],
    rng: random.Random,
    ctx: Context,
    first_acc: int,
    first_emp: int,
    aware,
    reviews: dict[int, list[dt.date]] | None = None,
) -> tuple[list[tuple], list[tuple]]:
    """Accommodation and employment histories; ``reviews`` (person pk -> the dates their
    reviews were completed) adds the accommodation checks made at reviews."""
    acc_rows: list[tuple] = []
    emp_rows: list[tuple] = []
    reviews = reviews or {}
    for p in people:
        accommodation = _accommodation(rng, ctx, p)
        checks = [
            day for day in reviews.get(p.pk, ()) if rng.random() < ACCOMMODATION_CHECKED_AT_REVIEW_P
        ]
        for valid_from, status in _with_checks(accommodation, checks):
            acc_rows.append(
                (
                    first_acc + len(acc_rows),
                    p.pk,
                    valid_from,
                    aware(valid_from, 10 * 60),
                    None,
                    status,
                )
            )
        for valid_from, status in _employment(rng, ctx, p):
            emp_rows.append(
                (
                    first_emp + len(emp_rows),
                    p.pk,
                    valid_from,
                    aware(valid_from, 10 * 60 + 5),
                    None,
                    status,
                )
            )
    return acc_rows, emp_rows


def _history_dates(rng: random.Random, ctx: Context, p: PersonSim, count: int) -> list[dt.date]:
    """``count`` strictly increasing dates, the last on or before the person's first contact."""
    anchor = min(p.first_activity or p.relationship_start or ctx.until, ctx.until)
    adult = p.dob + dt.timedelta(days=ADULT_DAYS)
    earliest = min(anchor, max(adult, anchor - dt.timedelta(days=15 * 365)))
    span = (anchor - earliest).days
    picks = sorted(rng.sample(range(span + 1), min(count, span + 1))) if span else [0]
    return [earliest + dt.timedelta(days=x) for x in picks]


def _accommodation(rng: random.Random, ctx: Context, p: PersonSim) -> list[tuple]:
    if p.psr == d.LEARNING_DISABILITY:
        table = d.ACCOMMODATION_LEARNING_DISABILITY
    elif p.older:
        table = d.ACCOMMODATION_OLDER
    else:
        table = d.ACCOMMODATION_WORKING_AGE
    count = 2 if rng.random() < 0.25 else 1
    dates = _history_dates(rng, ctx, p, count)
    rows = [(day, table.pick(rng)) for day in dates]
    for day, status in p.moves:
        if status != rows[-1][1] and day <= ctx.until:
            rows.append((max(day, rows[-1][0] + dt.timedelta(days=1)), status))
    if len(rows) > 3:
        rows = [rows[0], *rows[-2:]]
    return _strictly_increasing(rows, ctx.until)


def _employment(rng: random.Random, ctx: Context, p: PersonSim) -> list[tuple]:
    table = d.EMPLOYMENT_OLDER if p.older else d.EMPLOYMENT_WORKING_AGE
    x = rng.random()
    count = 3 if x < 0.08 else 2 if x < 0.3 else 1
    rows = [(day, table.pick(rng)) for day in _history_dates(rng, ctx, p, count)]
    return _strictly_increasing(rows, ctx.until)


def _with_checks(rows: list[tuple], checks: list[dt.date]) -> list[tuple]:
    """The history with the status in force recorded again on each check date (a check on
    the day of a change, or before the first record, adds nothing)."""
    if not checks:
        return rows
    changes = {day for day, _status in rows}
    out = list(rows)
    for day in checks:
        in_force = [status for start, status in rows if start < day]
        if in_force and day not in changes:
            out.append((day, in_force[-1]))
            changes.add(day)
    return sorted(out)


def _strictly_increasing(rows: list[tuple], until: dt.date) -> list[tuple]:
    out: list[tuple] = []
    for day, status in rows:
        if out and (day <= out[-1][0] or status == out[-1][1]):
            continue
        if day <= until:
            out.append((day, status))
    return out or [rows[0]]


def iter_carers(people: list[PersonSim]) -> Iterator[PersonSim]:
    return (p for p in people if p.cared_for is not None)
