"""Each person's history in Client Level Data terms: requests, assessments, services, reviews,
and the allocations (team and worker) that held the case while they happened.

A journey walks forward in time: request -> (assessment) -> short-term support and/or long-term
support -> planned reviews about once a year -> changes of service -> death or end. A step that
would start after ``until`` (or on or after the person's death) never happens; a step still
running on ``until`` is left open (no end date, no outcome), and the allocation that holds it
stays open; a death ends whatever is running that day with "NFA: Deceased".

Rows are plain lists in the field order of ``EVENT_FIELDS`` and ``ALLOCATION_FIELDS`` with
primary keys assigned here, so the seed can write them without the ORM (see ``writer.py``).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from carebridge.rules import cld, reviews

from . import distributions as d

DAY = dt.timedelta(days=1)
ADULT_DAYS = 6575  # 18 years

EVENT_FIELDS = (
    "id",
    "person_id",
    "event_type",
    "client_type",
    "reference",
    "start_date",
    "end_date",
    "outcome",
    "description",
    "follows_id",
    "route_of_access",
    "request_source",
    "contact_method",
    "assessment_type",
    "method_of_assessment",
    "service_type",
    "service_component",
    "delivery_mechanism",
    "unit_cost",
    "cost_frequency",
    "planned_units_per_week",
    "provider_id",
    "review_reason",
    "method_of_review",
    "review_outcomes_achieved",
    "team_id",
    "worker_id",
    "cancelled",
    "created_at",
    "created_by_id",
)
_IX = {name: i for i, name in enumerate(EVENT_FIELDS)}
E_ID, E_PERSON, E_TYPE, E_CLIENT = 0, 1, 2, 3
E_START, E_END, E_OUTCOME = 5, 6, 7
E_SERVICE_TYPE = _IX["service_type"]
E_CREATED_AT = _IX["created_at"]
EVENT_REFERENCE_PREFIX = "EV"  # as casework.services; the seed numbers them EV00000001...

ALLOCATION_FIELDS = (
    "id",
    "person_id",
    "team_id",
    "worker_id",
    "started_at",
    "ended_at",
    "reason",
    "note",
    "allocated_by_id",
)
# Allocation rows while generating: [id, person, team, worker, start_day, start_minute,
# end_day | None, end_minute, reason, allocated_by]; converted by History.allocation_rows().
A_ID, A_PERSON, A_TEAM, A_WORKER, A_START, A_START_MIN, A_END, A_END_MIN, A_REASON, A_BY = range(10)

# Journey shape parameters [est], calibrated so that 50,000 people give about 40,000 requests a
# year and about 17,000 people on long-term support in a year (volumes.md, Norfolk).
PRIOR_REQUEST_P = {  # chance of each further earlier front-door request before the main one
    d.NEW_LTS: 0.5,
    d.SHORT_TERM: 0.5,
    d.ASSESSED: 0.55,
    d.REQUEST_ONLY: 0.55,
}
RETURN_P = {  # chance of each further request after an episode closes
    d.NEW_LTS: 0.0,
    d.SHORT_TERM: 0.6,
    d.ASSESSED: 0.65,
    d.REQUEST_ONLY: 0.85,
}
RETURN_GAP_DAYS = 100  # mean gap between repeat requests
PRIOR_GAP_DAYS = 100
# Reviews: about 60% of people on long-term support for over 12 months were reviewed in the
# year (volumes.md: 288,045 of 474,115 in England 2019-20; 45-74% by region). Planned reviews
# are on time half the time; the rest are late, many by over six months.
REVIEW_ON_TIME, REVIEW_LATE = 0.43, 0.57
UNPLANNED_REVIEWS_PER_DAY = 0.08 / 365
# Share of allocations held by a team without a named worker (waiting for allocation) [est].
UNNAMED_WORKER_P = {"front_door": 0.3, "hospital": 0.1}
UNNAMED_WORKER_DEFAULT = 0.08
# At a review of long-term support: the chance the case passes to another worker, the chance a
# named worker's case passes to the team's review pool (no named worker), and the chance a case
# in the pool is picked up by a worker [est].
REVIEW_HANDOFF_P, HOLD_IN_TEAM_P, PICK_UP_P = 0.14, 0.12, 0.35
# The first review of new long-term support, 6 to 8 weeks in (CSSG para 13.32): held on time,
# held late, or (the rest) not held before the first annual review.
FIRST_REVIEW_ON_TIME_P, FIRST_REVIEW_LATE_P = 0.62, 0.2
# A first review takes up to this many days; one held on time is started from a week before
# the earliest date the guidance gives and finishes by the latest (rules.reviews); a late one
# finishes up to about ten weeks after it.
FIRST_REVIEW_MAX_DAYS = 4
FIRST_REVIEW_EARLIEST_DAY = reviews.FIRST_REVIEW_EARLIEST_WEEKS * 7 - 7
FIRST_REVIEW_LATEST_DAY = reviews.FIRST_REVIEW_LATEST_WEEKS * 7
FIRST_REVIEW_LATE_BY_DAYS = 73

DONE, OPEN, DIED = "done", "open", "died"


@dataclass(slots=True)
class PersonSim:
    """One synthetic person while the county is generated."""

    pk: int
    carer: bool
    psr: str
    profile: str
    older: bool
    age: int
    gender: str
    ethnicity: str
    town: int
    dies: bool
    home_team: int = 0
    dob: dt.date = dt.date(1950, 1, 1)
    death: dt.date | None = None
    first_activity: dt.date | None = None
    last_activity: dt.date | None = None
    # (date, accommodation status) moves caused by services: care home, supported living...
    moves: list[tuple[dt.date, str]] = field(default_factory=list)
    has_events: bool = False
    open_allocation: list | None = None
    cared_for: PersonSim | None = None
    relationship: str = ""
    lives_with: bool = False
    main_carer: bool = False
    relationship_start: dt.date | None = None
    family_name: str = ""
    given_name: str = ""
    address: tuple[str, str, str, str] | None = None


@dataclass(slots=True)
class Context:
    until: dt.date
    start: dt.date  # first day of the history window (about 3.5 years before until)
    tz: object
    teams: dict[str, int]
    caseholders: dict[int, list[int]]
    managers: dict[int, int]
    providers: dict[str, list[int]]
    team_keys: dict[int, str] = field(default_factory=dict)


class History:
    """Collects event and allocation rows for every journey, numbering them as it goes."""

    def __init__(self, ctx: Context, rng: random.Random, first_event_id: int, first_alloc_id: int):
        self.ctx = ctx
        self.rng = rng
        self.events: list[list] = []
        self.allocations: list[list] = []
        self._event_id = first_event_id
        self._alloc_id = first_alloc_id
        ctx.team_keys = {v: k for k, v in ctx.teams.items()}

    def run(self, person: PersonSim, client_type: str = cld.SERVICE_USER) -> None:
        Journey(self, person, client_type).run()

    # -- rows -----------------------------------------------------------------------------

    def new_event(self, person_id: int, event_type: str, client_type: str, alloc: list | None):
        row: list = [None] * len(EVENT_FIELDS)
        eid = self._event_id
        self._event_id += 1
        row[E_ID] = eid
        row[E_PERSON] = person_id
        row[E_TYPE] = event_type
        row[E_CLIENT] = client_type
        row[_IX["reference"]] = f"{EVENT_REFERENCE_PREFIX}{eid:08d}"
        for name in _BLANK_TEXT:
            row[name] = ""
        row[_IX["cancelled"]] = False
        if alloc is not None:
            row[_IX["team_id"]] = alloc[A_TEAM]
            row[_IX["worker_id"]] = alloc[A_WORKER]
            row[_IX["created_by_id"]] = alloc[A_WORKER]
        self.events.append(row)
        return row

    def new_allocation(
        self,
        person_id: int,
        team: int,
        day: dt.date,
        reason: str,
        after: list | None = None,
        named: bool = True,
    ) -> list:
        """Open an allocation; ``after`` (the allocation it replaces) ends when it starts."""
        minute = self.rng.randint(8 * 60 + 30, 16 * 60 + 30)
        if after is not None:
            if after[A_START] == day:
                minute = min(max(minute, after[A_START_MIN] + 15), 23 * 60 + 59)
            after[A_END], after[A_END_MIN] = day, minute
        row = [
            self._alloc_id,
            person_id,
            team,
            self.pick_worker(team) if named else None,
            day,
            minute,
            None,
            0,
            reason,
            self.ctx.managers.get(team),
        ]
        self._alloc_id += 1
        self.allocations.append(row)
        return row

    def pick_worker(self, team: int) -> int | None:
        workers = self.ctx.caseholders.get(team)
        key = self.ctx.team_keys.get(team, "")
        if not workers or self.rng.random() < UNNAMED_WORKER_P.get(key, UNNAMED_WORKER_DEFAULT):
            return None
        return workers[self.rng.randrange(len(workers))]

    def aware(self, day: dt.date, minute: int) -> dt.datetime:
        return dt.datetime(
            day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=self.ctx.tz
        )

    def review_dates(self) -> dict[int, list[dt.date]]:
        """person pk -> the dates their reviews were completed, in order."""
        out: dict[int, list[dt.date]] = {}
        for row in self.events:
            if row[E_TYPE] == cld.REVIEW and row[E_END] is not None:
                out.setdefault(row[E_PERSON], []).append(row[E_END])
        return {pk: sorted(days) for pk, days in out.items()}

    def in_returns(self) -> set[int]:
        """The people with an event a CLD return would carry: a completed request, assessment
        or review, or a service (``returns.cld_export.events_in_period``)."""
        return {
            row[E_PERSON]
            for row in self.events
            if row[E_END] is not None or row[E_TYPE] == cld.SERVICE
        }

    def record_cld_fields(self, rng: random.Random) -> None:
        """What a worker records on completing an assessment or a review, drawn with its own
        ``rng`` once every journey is walked (so the rest of the county is unchanged): how each
        assessment was carried out (mandatory unless financial) and how far the person's
        outcomes were met at each review (mandatory on planned ones; recorded on all)."""
        ix_type, ix_moa = _IX["assessment_type"], _IX["method_of_assessment"]
        ix_roa, ix_cancelled = _IX["review_outcomes_achieved"], _IX["cancelled"]
        for row in self.events:
            if row[E_END] is None or row[ix_cancelled]:
                continue
            if row[E_TYPE] == cld.ASSESSMENT and cld.method_of_assessment_required(row[ix_type]):
                row[ix_moa] = d.METHOD_OF_ASSESSMENT.pick(rng)
            elif row[E_TYPE] == cld.REVIEW:
                row[ix_roa] = _outcomes_achieved_table(row[E_OUTCOME]).pick(rng)

    def event_rows(self) -> list[list]:
        """Events, with created_at filled in (the working day the event started)."""
        aware, rand = self.aware, self.rng.randint
        for row in self.events:
            row[E_CREATED_AT] = aware(row[E_START], rand(8 * 60 + 30, 17 * 60 + 30))
        return self.events

    def allocation_rows(self) -> list[tuple]:
        out = []
        for a in self.allocations:
            started = self.aware(a[A_START], a[A_START_MIN])
            ended = None if a[A_END] is None else self.aware(a[A_END], a[A_END_MIN])
            out.append(
                (
                    a[A_ID],
                    a[A_PERSON],
                    a[A_TEAM],
                    a[A_WORKER],
                    started,
                    ended,
                    a[A_REASON],
                    "",
                    a[A_BY],
                )
            )
        return out


_BLANK_TEXT = [
    _IX[n]
    for n in (
        "outcome",
        "description",
        "route_of_access",
        "request_source",
        "contact_method",
        "assessment_type",
        "service_type",
        "service_component",
        "delivery_mechanism",
        "cost_frequency",
        "review_reason",
        "method_of_review",
        "method_of_assessment",
        "review_outcomes_achieved",
    )
]


def _outcomes_achieved_table(outcome: str) -> d.Weighted:
    if outcome == d.CONTINUES:
        return d.OUTCOMES_ACHIEVED_WHEN_CONTINUING
    if outcome in (d.TO_SERVICES, d.TO_ASSESSMENT):
        return d.OUTCOMES_ACHIEVED_WHEN_CHANGING
    return d.OUTCOMES_ACHIEVED_OTHERWISE


class Journey:
    """One person's walk through the pathway (see the module docstring)."""

    def __init__(self, history: History, person: PersonSim, client_type: str):
        self.h = history
        self.ctx = history.ctx
        self.rng = history.rng
        self.p = person
        self.client_type = client_type
        self.alloc: list | None = None
        self.service: list | None = None  # the open service, if any
        self.stopped = False

    # -- entry points ---------------------------------------------------------------------

    def run(self) -> None:
        p = self.p
        if p.carer:
            self.carer_journey()
        elif p.profile == d.LEGACY_LTS:
            self.legacy_long_term()
        else:
            self.new_person()
        p.open_allocation = self.alloc

    def new_person(self) -> None:
        p, rng, ctx = self.p, self.rng, self.ctx
        # (Someone who turns 18 on the last day of the history starts that day.)
        lo = min(max(ctx.start, p.dob + dt.timedelta(days=ADULT_DAYS)), ctx.until)
        main = lo + dt.timedelta(days=rng.randint(0, (ctx.until - lo).days))
        for start, longest in self._prior_requests(lo, main):
            self.front_door_request(start, longest)
            if self.stopped:
                return
        if p.profile == d.NEW_LTS:
            self.new_long_term(main)
            return
        self.schedule_death(main)
        if p.profile == d.SHORT_TERM:
            end = self.short_term(main)
        elif p.profile == d.ASSESSED:
            end = self.assessed(main)
        else:
            end = self.front_door_request(main)
        if end is not None and not self.stopped:
            self.repeat_requests(end)

    def _prior_requests(self, lo: dt.date, main: dt.date) -> list[tuple[dt.date, int]]:
        rng, out, nxt = self.rng, [], main
        p_more = PRIOR_REQUEST_P.get(self.p.profile, 0.0)
        while rng.random() < p_more:
            gap = 7 + int(rng.expovariate(1 / PRIOR_GAP_DAYS))
            start = nxt - dt.timedelta(days=gap)
            if start < lo:
                break
            out.append((start, gap - 1))
            nxt = start
        out.reverse()
        return out

    def repeat_requests(self, after: dt.date) -> None:
        rng = self.rng
        p_more = RETURN_P.get(self.p.profile, 0.0)
        while not self.stopped and rng.random() < p_more:
            after = after + dt.timedelta(days=7 + int(rng.expovariate(1 / RETURN_GAP_DAYS)))
            if not self.can_start(after):
                return
            end = self.front_door_request(after)
            if end is None:
                return
            after = end

    # -- time, death and allocation -------------------------------------------------------

    def can_start(self, day: dt.date) -> bool:
        death = self.p.death
        return day <= self.ctx.until and (death is None or day < death)

    def finish(self, start: dt.date, planned_end: dt.date | None) -> tuple[dt.date | None, str]:
        death = self.p.death
        if death is not None and (planned_end is None or planned_end >= death):
            return death, DIED
        if planned_end is None or planned_end > self.ctx.until:
            return None, OPEN
        return planned_end, DONE

    def schedule_death(self, anchor: dt.date) -> None:
        """Someone who dies in the window dies after ``anchor`` (the start of their main
        support), never after ``until``."""
        p = self.p
        if p.dies and p.death is None and anchor < self.ctx.until:
            p.death = anchor + dt.timedelta(
                days=self.rng.randint(1, (self.ctx.until - anchor).days)
            )

    def die(self) -> None:
        death = self.p.death
        if self.service is not None:
            self.service[E_END] = death
            self.service[E_OUTCOME] = d.DECEASED
            self.service = None
        self.release(death)
        self.stopped = True

    def allocate(self, team: int, day: dt.date, reason: str) -> None:
        a = self.alloc
        if a is not None and a[A_TEAM] == team:
            return
        self.alloc = self.h.new_allocation(
            self.p.pk, team, max(day, a[A_START]) if a else day, reason, after=a
        )

    def change_worker(self, day: dt.date, named: bool = True) -> None:
        """A hand-off within the team: to another worker (caseload balancing, or the worker
        left), or (``named=False``) to the team's review pool for caseload balancing."""
        a = self.alloc
        if a is None or a[A_START] >= day:
            return
        reason = d.WORKER_CHANGE_REASON.pick(self.rng) if named else "worker_capacity"
        self.alloc = self.h.new_allocation(self.p.pk, a[A_TEAM], day, reason, after=a, named=named)

    def review_handoff(self, day: dt.date) -> None:
        a, x = self.alloc, self.rng.random()
        if a is None:
            return
        if a[A_WORKER] is None:
            if x < PICK_UP_P:
                self.change_worker(day)
        elif x < REVIEW_HANDOFF_P:
            self.change_worker(day)
        elif x < REVIEW_HANDOFF_P + HOLD_IN_TEAM_P:
            self.change_worker(day, named=False)

    def release(self, day: dt.date | None) -> None:
        if self.alloc is not None and day is not None:
            self._end_allocation(self.alloc, day)
            self.alloc = None

    def _end_allocation(self, a: list, day: dt.date) -> None:
        a[A_END] = max(day, a[A_START])
        a[A_END_MIN] = self.rng.randint(9 * 60, 17 * 60 + 30)
        if a[A_END] == a[A_START]:
            a[A_END_MIN] = min(max(a[A_END_MIN], a[A_START_MIN] + 15), 23 * 60 + 59)

    # -- events ---------------------------------------------------------------------------

    def event(
        self,
        event_type: str,
        start: dt.date,
        end: dt.date | None,
        outcome: str,
        follows: list | None = None,
        **fields,
    ) -> list:
        row = self.h.new_event(self.p.pk, event_type, self.client_type, self.alloc)
        row[E_START] = start
        row[E_END] = end
        row[E_OUTCOME] = outcome
        if follows is not None:
            row[_IX["follows_id"]] = follows[E_ID]
        for name, value in fields.items():
            row[_IX[name]] = value
        p = self.p
        p.has_events = True
        if p.first_activity is None or start < p.first_activity:
            p.first_activity = start
        last = end or start
        if p.last_activity is None or last > p.last_activity:
            p.last_activity = last
        return row

    def step(
        self,
        event_type: str,
        start: dt.date,
        days: int,
        outcome: str,
        follows: list | None = None,
        **fields,
    ) -> list:
        """A request, assessment or review: completed ``days`` after it starts, unless the
        person dies first or it is still running on ``until``."""
        end, state = self.finish(start, start + dt.timedelta(days=days))
        if state == DIED:
            outcome = d.DECEASED
        elif state == OPEN:
            outcome = ""
        row = self.event(event_type, start, end, outcome, follows, **fields)
        if state == DIED:
            self.die()
        elif state == OPEN:
            self.stopped = True
        return row

    def request_fields(self, route_table: d.Weighted, start: dt.date) -> dict[str, str]:
        p, rng = self.p, self.rng
        route = route_table.pick(rng)
        if p.psr == d.LEARNING_DISABILITY and (start - p.dob).days < 19 * 365 + 180:
            route = d.TRANSITION
        if route in d.HOSPITAL_ROUTES:
            source = d.REQUEST_SOURCE_HOSPITAL.pick(rng)
        elif p.psr == d.MENTAL_HEALTH:
            source = d.REQUEST_SOURCE_MENTAL_HEALTH.pick(rng)
        else:
            source = d.REQUEST_SOURCE_COMMUNITY.pick(rng)
        contact = d.CONTACT_METHOD_NHS if source in d.NHS_SOURCES else d.CONTACT_METHOD_PUBLIC
        return {
            "route_of_access": route,
            "request_source": source,
            "contact_method": contact.pick(rng),
        }

    def request_team(self, fields: dict[str, str]) -> int:
        teams, p = self.ctx.teams, self.p
        route, source = fields["route_of_access"], fields["request_source"]
        if route in d.HOSPITAL_ROUTES:
            return teams["hospital"]
        if route == d.TRANSITION:
            return p.home_team
        if p.psr == d.MENTAL_HEALTH:
            if source == "police":
                return teams["amhp"]
            if source == "mental_health_trust":
                return p.home_team
        return teams["front_door"]

    def request(self, start: dt.date, route_table: d.Weighted, outcome: str) -> list:
        fields = self.request_fields(route_table, start)
        self.allocate(self.request_team(fields), start, "new_request")
        return self.step(cld.REQUEST, start, request_days(self.rng), outcome, **fields)

    def front_door_request(self, start: dt.date, longest: int | None = None) -> dt.date | None:
        """A request that ends at the front door (information, signposting, declined...)."""
        fields = self.request_fields(d.ROUTE_FRONT_DOOR, start)
        self.allocate(self.request_team(fields), start, "new_request")
        days = request_days(self.rng)
        if longest is not None:
            days = max(0, min(days, longest))
        row = self.step(cld.REQUEST, start, days, d.REQUEST_NFA.pick(self.rng), **fields)
        if self.stopped:
            return None
        self.release(row[E_END])
        return row[E_END]

    def assessment(
        self, start: dt.date, kind: str, outcome: str, follows: list, days: int | None = None
    ) -> list | None:
        if not self.can_start(start):
            return self._waiting(start)
        current = self.alloc[A_TEAM] if self.alloc is not None else None
        # The hospital team completes short-term assessments itself; everything else passes
        # to the person's home team (locality, CMHT or learning disability team).
        if current != self.ctx.teams["hospital"] or kind != d.SHORT_TERM_ASSESSMENT:
            self.allocate(self.p.home_team, start, self.handoff_reason(self.p.home_team))
        if days is None:
            days = assessment_days(self.rng)
        return self.step(cld.ASSESSMENT, start, days, outcome, follows, assessment_type=kind)

    def handoff_reason(self, team: int) -> str:
        key = self.ctx.team_keys.get(team, "")
        specialist = key.startswith("cmht") or key == "learning_disability"
        return "specialism" if specialist else "team_change"

    def _waiting(self, start: dt.date) -> None:
        """The next step would start after until (still waiting) or after death."""
        if self.p.death is not None and start >= self.p.death:
            self.die()
        self.stopped = True

    def start_service(
        self, start: dt.date, service_type: str, component: str, follows: list | None
    ) -> list:
        mechanism, cost, frequency, units, category = service_terms(
            self.rng, service_type, component, self.p
        )
        providers = self.ctx.providers.get(category or "", [])
        row = self.event(
            cld.SERVICE,
            start,
            None,
            "",
            follows,
            service_type=service_type,
            service_component=component,
            delivery_mechanism=mechanism,
            unit_cost=cost,
            cost_frequency=frequency,
            planned_units_per_week=units,
            provider_id=providers[self.rng.randrange(len(providers))] if providers else None,
        )
        self.service = row
        move = SERVICE_MOVES.get(service_type) or SERVICE_MOVES.get(component)
        if move:
            self.p.moves.append((start, move))
        return row

    def end_service(self, day: dt.date, outcome: str) -> None:
        if self.service is not None:
            self.service[E_END] = max(day, self.service[E_START])
            self.service[E_OUTCOME] = outcome
            self.p.last_activity = max(self.p.last_activity or day, day)
            self.service = None

    def timed_service(
        self,
        start: dt.date,
        service_type: str,
        component: str,
        days: int,
        outcome: str,
        follows: list | None,
        review: bool = False,
    ) -> list | None:
        """Short-term support: ends after ``days`` with ``outcome`` (optionally reviewed)."""
        if not self.can_start(start):
            return self._waiting(start)
        row = self.start_service(start, service_type, component, follows)
        end, state = self.finish(start, start + dt.timedelta(days=days))
        if state == DIED:
            self.die()
            return row
        if state == OPEN:
            self.stopped = True
            return row
        if review:
            when = max(start, end - dt.timedelta(days=self.rng.randint(0, 3)))
            review_outcome = outcome if outcome != d.ADMITTED else d.ENDED_AS_PLANNED
            self.event(
                cld.REVIEW,
                when,
                end,
                review_outcome,
                row,
                review_reason=d.SHORT_TERM_REVIEW,
                method_of_review=d.METHOD_OF_REVIEW.pick(self.rng),
            )
        self.end_service(end, outcome)
        return row

    # -- pathways -------------------------------------------------------------------------

    def reablement(self, start: dt.date, follows: list, outcome: str, review: bool):
        if self.can_start(start):
            self.allocate(self.ctx.teams["reablement"], start, "team_change")
        return self.timed_service(
            start, d.ST_MAX, d.REABLEMENT, self.rng.randint(7, 42), outcome, follows, review
        )

    def reablement_alongside(self, start: dt.date, follows: list) -> None:
        """An existing client, reviewed after a hospital stay, has a spell of reablement beside
        their long-term support, which continues (SALT STS002b). Not held if it would still be
        running at the end of the history or when the person dies."""
        end = start + dt.timedelta(days=self.rng.randint(7, 42))
        if not self.can_start(end):
            return
        held = self.service
        row = self.start_service(start, d.ST_MAX, d.REABLEMENT, follows)
        self.service = held
        row[E_END] = end
        row[E_OUTCOME] = d.CONTINUES

    def new_long_term(self, main: dt.date) -> None:
        rng = self.rng
        via_reablement = rng.random() < 0.28
        first = d.TO_REABLEMENT if via_reablement else d.TO_ASSESSMENT
        prev = self.request(main, d.ROUTE_TOWARDS_SUPPORT, first)
        if self.stopped:
            return
        handover = False
        if via_reablement:
            prev = self.reablement(prev[E_END] + _days(rng, 0, 5), prev, d.TO_ASSESSMENT, True)
            if self.stopped or prev is None:
                return
            handover = rng.random() < REABLEMENT_HANDOVER
        if handover:
            # Assessed as reablement ends; the long-term provider takes over within the week
            # (so ASCOF 2A counts the episode as ending in long-term support).
            asmt = self.assessment(
                prev[E_END] + _days(rng, 0, 1),
                d.LONG_TERM_ASSESSMENT,
                d.TO_SERVICES,
                prev,
                days=rng.randint(0, 2),
            )
        else:
            asmt = self.assessment(
                prev[E_END] + wait_days(rng), d.LONG_TERM_ASSESSMENT, d.TO_SERVICES, prev
            )
        if self.stopped or asmt is None:
            return
        start = asmt[E_END] + (_days(rng, 0, 3) if handover else _days(rng, 0, 21))
        if not self.can_start(start):
            self._waiting(start)
            return
        self.schedule_death(start)
        self.long_term(start, asmt, emit_from=None)

    def legacy_long_term(self) -> None:
        """On long-term support since before the window: the original request, assessment
        and service (dated before the window), the last review before it, then the window."""
        p, rng, ctx = self.p, self.rng, self.ctx
        earliest = p.dob + dt.timedelta(days=ADULT_DAYS + 120)
        years_before = int(rng.expovariate(1 / (365 * 3)))
        start = ctx.start - dt.timedelta(days=30 + min(years_before, 365 * 12))
        start = max(start, earliest)
        request_start = start - dt.timedelta(days=rng.randint(25, 90))
        self.allocate(p.home_team, request_start, "new_request")
        fields = self.request_fields(d.ROUTE_TOWARDS_SUPPORT, request_start)
        req_end = request_start + _days(rng, 0, 5)
        req = self.event(cld.REQUEST, request_start, req_end, d.TO_ASSESSMENT, **fields)
        asmt_start = req_end + _days(rng, 0, 14)
        asmt_end = max(asmt_start, start - _days(rng, 1, 7))
        asmt = self.event(
            cld.ASSESSMENT,
            asmt_start,
            asmt_end,
            d.TO_SERVICES,
            req,
            assessment_type=d.LONG_TERM_ASSESSMENT,
        )
        if p.dies:
            # Dies in the window, and after their support began (someone who became an adult
            # during a long history starts support inside the window).
            since = max(ctx.start, start + DAY)
            if since <= ctx.until:
                p.death = since + dt.timedelta(days=rng.randint(0, (ctx.until - since).days))
        self.long_term(
            max(start, asmt_end), asmt, emit_from=ctx.start - dt.timedelta(days=365), legacy=True
        )

    def long_term(
        self, start: dt.date, follows: list, emit_from: dt.date | None, legacy: bool = False
    ) -> None:
        p, rng = self.p, self.rng
        if not legacy:
            self.allocate(p.home_team, start, self.handoff_reason(p.home_team))
        setting = lts_setting(rng, p, legacy)
        svc = self.start_service(start, setting, community_component(rng, p, setting), follows)
        self.review_cycle(start, svc, emit_from)

    def review_cycle(self, start: dt.date, svc: list, emit_from: dt.date | None) -> None:
        """Planned reviews about once a year (some late, some missed), some unplanned ones,
        changes of service, and the end of support."""
        rng, ctx, p = self.rng, self.ctx, self.p
        last = start
        carer = p.carer
        if not carer:  # for people on support since before the window too: their history
            last = self.first_review(start, svc)
        while not self.stopped:
            due = last + dt.timedelta(days=365)
            when = planned_review_date(rng, due)
            reason = d.PLANNED_REVIEW
            unplanned = last + dt.timedelta(
                days=1 + int(rng.expovariate(UNPLANNED_REVIEWS_PER_DAY))
            )
            if not carer and unplanned < when:
                when, reason = unplanned, d.UNPLANNED_REVIEW_REASON.pick(rng)
            if not self.can_start(when):
                if p.death is not None:
                    self.die()
                return
            last = when
            if emit_from is not None and when < emit_from:
                continue
            self.review_handoff(when)
            safeguarding = reason == d.SAFEGUARDING_REVIEW
            if safeguarding:
                self.allocate(ctx.teams["safeguarding"], when, "specialism")
            outcome = d.CONTINUES if carer else d.REVIEW_OUTCOME.pick(rng)
            days = rng.randint(14, 56) if safeguarding else review_days(rng)
            method = d.METHOD_WITH_CARER if carer else d.METHOD_OF_REVIEW.pick(rng)
            review = self.step(
                cld.REVIEW, when, days, outcome, svc, review_reason=reason, method_of_review=method
            )
            if self.stopped:
                return
            end = review[E_END]
            if safeguarding:
                self.allocate(p.home_team, end, "team_change")
            if (
                reason == d.HOSPITAL_REVIEW
                and outcome == d.CONTINUES
                and rng.random() < REABLEMENT_AFTER_HOSPITAL
            ):
                self.reablement_alongside(end + _days(rng, 0, 3), review)
            if outcome in (d.ENDED_AS_PLANNED, d.TO_NHS, d.MOVED_LA):
                self.end_service(end, outcome)
                self.release(end)
                return
            if outcome == d.TO_SERVICES and self.can_start(end + DAY):
                self.end_service(end, d.CONTINUES)
                setting = changed_setting(rng, p, svc[E_SERVICE_TYPE])
                svc = self.start_service(
                    end + DAY, setting, community_component(rng, p, setting), review
                )
                last = end + DAY  # the new service's reviews run from its start

    def first_review(self, start: dt.date, svc: list) -> dt.date:
        """The light-touch review 6 to 8 weeks into new support (CSSG para 13.32): most on
        time, some late, some never held (the first annual review comes instead). Returns the
        date the next review is counted from."""
        rng = self.rng
        x = rng.random()
        if x < FIRST_REVIEW_ON_TIME_P:
            on_time = (FIRST_REVIEW_EARLIEST_DAY, FIRST_REVIEW_LATEST_DAY - FIRST_REVIEW_MAX_DAYS)
            when = start + dt.timedelta(days=rng.randint(*on_time))
        elif x < FIRST_REVIEW_ON_TIME_P + FIRST_REVIEW_LATE_P:
            late = FIRST_REVIEW_LATEST_DAY + 1
            when = start + dt.timedelta(days=rng.randint(late, late + FIRST_REVIEW_LATE_BY_DAYS))
        else:
            return start
        if not self.can_start(when):
            return start
        self.review_handoff(when)
        method = d.METHOD_OF_REVIEW.pick(rng)
        review = self.step(
            cld.REVIEW,
            when,
            rng.randint(0, FIRST_REVIEW_MAX_DAYS),
            d.CONTINUES,
            svc,
            review_reason=d.PLANNED_REVIEW,
            method_of_review=method,
        )
        if self.stopped or review[E_END] is None:
            return start
        return review[E_END]

    def short_term(self, main: dt.date) -> dt.date | None:
        rng = self.rng
        if rng.random() < 0.65:
            req = self.request(main, d.ROUTE_TOWARDS_SUPPORT, d.TO_REABLEMENT)
            if self.stopped:
                return None
            svc = self.reablement(
                req[E_END] + _days(rng, 0, 5), req, d.SHORT_TERM_END.pick(rng), rng.random() < 0.5
            )
            if (
                not self.stopped
                and svc is not None
                and svc[E_OUTCOME] == d.ENDED_AS_PLANNED
                and rng.random() < EQUIPMENT_AFTER_REABLEMENT
            ):
                # Equipment or telecare to keep the independence regained (ongoing low-level
                # support as the sequel to reablement: SALT STS002a, ASCOF 2A).
                svc = self.timed_service(
                    svc[E_END] + _days(rng, 0, 5),
                    d.LOW_LEVEL,
                    d.EQUIPMENT,
                    rng.randint(1, 60),
                    d.ENDED_AS_PLANNED,
                    svc,
                )
        else:
            req = self.request(main, d.ROUTE_TOWARDS_SUPPORT, d.TO_ASSESSMENT)
            if self.stopped:
                return None
            asmt = self.assessment(
                req[E_END] + wait_days(rng), d.SHORT_TERM_ASSESSMENT, d.TO_SERVICES, req
            )
            if self.stopped or asmt is None:
                return None
            start = asmt[E_END] + _days(rng, 0, 10)
            if rng.random() < 0.57:
                svc = self.timed_service(
                    start, d.LOW_LEVEL, d.EQUIPMENT, rng.randint(1, 60), d.ENDED_AS_PLANNED, asmt
                )
            else:
                svc = self.timed_service(
                    start,
                    d.OTHER_SHORT_TERM,
                    d.SHORT_TERM_RESIDENTIAL,
                    rng.randint(7, 42),
                    d.ENDED_AS_PLANNED,
                    asmt,
                )
        if self.stopped or svc is None:
            return None
        self.release(svc[E_END])
        return svc[E_END]

    def assessed(self, main: dt.date) -> dt.date | None:
        rng = self.rng
        req = self.request(main, d.ROUTE_FRONT_DOOR, d.TO_ASSESSMENT)
        if self.stopped:
            return None
        kind = d.LONG_TERM_ASSESSMENT if rng.random() < 0.7 else d.SHORT_TERM_ASSESSMENT
        asmt = self.assessment(req[E_END] + wait_days(rng), kind, d.ASSESSMENT_NFA.pick(rng), req)
        if self.stopped or asmt is None:
            return None
        self.release(asmt[E_END])
        return asmt[E_END]

    def carer_journey(self) -> None:
        """An unpaid carer's own request, carer's assessment and support (client type
        'Unpaid carer'); about half of carers known to the council have one in the window."""
        p, rng, ctx = self.p, self.rng, self.ctx
        lo = max(
            ctx.start, p.dob + dt.timedelta(days=ADULT_DAYS), p.relationship_start or ctx.start
        )
        if lo > ctx.until:
            return  # became an adult carer after the history ends: nothing to record yet
        main = lo + dt.timedelta(days=rng.randint(0, (ctx.until - lo).days))
        self.allocate(p.home_team, main, "new_request")
        source = "carer" if rng.random() < 0.7 else rng.choice(("self", "gp", "family_friend"))
        fields = {
            "route_of_access": d.COMMUNITY_ROUTE,
            "request_source": source,
            "contact_method": d.CONTACT_METHOD_PUBLIC.pick(rng),
        }
        assessed = rng.random() < 0.65
        outcome = d.TO_ASSESSMENT if assessed else d.INFORMATION
        req = self.step(cld.REQUEST, main, request_days(rng), outcome, **fields)
        if self.stopped:
            return
        if not assessed:
            self.release(req[E_END])
            return
        supported = rng.random() < 0.65
        asmt = self.assessment(
            req[E_END] + wait_days(rng),
            d.LONG_TERM_ASSESSMENT,
            d.TO_SERVICES if supported else d.INFORMATION,
            req,
        )
        if self.stopped or asmt is None:
            return
        if not supported:
            self.release(asmt[E_END])
            return
        start = asmt[E_END] + _days(rng, 0, 28)
        component = d.CARER_COMPONENT.pick(rng)
        if rng.random() < 0.6:  # a one-off direct payment, e.g. for a break
            svc = self.timed_service(start, d.CARER_DIRECT, component, 0, d.ENDED_AS_PLANNED, asmt)
            if not self.stopped and svc is not None:
                self.release(svc[E_END])
            return
        if not self.can_start(start):
            self._waiting(start)
            return
        svc = self.start_service(start, d.CARER_DIRECT, component, asmt)
        self.review_cycle(start, svc, None)


# -- shapes of time [est] -------------------------------------------------------------------


def _days(rng: random.Random, lo: int, hi: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(lo, hi))


def request_days(rng: random.Random) -> int:
    """Most requests are concluded the same day or within days; a few take weeks."""
    x = rng.random()
    if x < 0.45:
        return 0
    if x < 0.75:
        return rng.randint(1, 3)
    if x < 0.93:
        return rng.randint(4, 14)
    return rng.randint(15, 42)


# Of people on long-term support reviewed after a hospital stay, the share who then have a
# spell of reablement beside it (SALT STS002b: ST-Max for existing clients) [est].
REABLEMENT_AFTER_HOSPITAL = 0.35

# Of reablement episodes that end as planned, the share followed by equipment or telecare [est].
EQUIPMENT_AFTER_REABLEMENT = 0.3

# Of reablement episodes that end in a long-term assessment, the share assessed as reablement
# ends and handed straight to a long-term provider; the rest wait [est].
REABLEMENT_HANDOVER = 0.75


def wait_days(rng: random.Random) -> dt.timedelta:
    """Waiting time from request to the start of an assessment (a CLD dashboard measure)."""
    return dt.timedelta(days=min(180, int(rng.expovariate(1 / 18))))


def assessment_days(rng: random.Random) -> int:
    return int(rng.triangular(1, 90, 14))


def review_days(rng: random.Random) -> int:
    return 0 if rng.random() < 0.4 else rng.randint(1, 28)


def planned_review_date(rng: random.Random, due: dt.date) -> dt.date:
    x = rng.random()
    if x < REVIEW_ON_TIME:
        return due - dt.timedelta(days=rng.randint(0, 45))
    if x < REVIEW_LATE:
        return due + dt.timedelta(days=rng.randint(1, 180))
    return due + dt.timedelta(days=rng.randint(181, 720))


# -- services -------------------------------------------------------------------------------

SERVICE_MOVES = {
    d.LTS_RESIDENTIAL: d.CARE_HOME,
    d.LTS_NURSING: d.NURSING_HOME,
    d.SUPPORTED_LIVING: d.SUPPORTED_HOME,
    d.SHARED_LIVES: d.SHARED_LIVES_HOME,
    d.EXTRA_CARE: d.EXTRA_CARE_HOME,
}


def lts_setting(rng: random.Random, p: PersonSim, legacy: bool) -> str:
    if p.carer:
        return d.CARER_DIRECT
    table = d.LTS_SETTING_OLDER if p.older else d.LTS_SETTING_WORKING_AGE
    setting = table.pick(rng)
    if legacy and p.older and setting == d.LTS_COMMUNITY and rng.random() < 0.12:
        setting = d.LTS_RESIDENTIAL  # long-standing clients are more often in care homes
    return setting


def changed_setting(rng: random.Random, p: PersonSim, current: str) -> str:
    if current == d.LTS_COMMUNITY and p.older and rng.random() < 0.5:
        return d.LTS_RESIDENTIAL if rng.random() < 0.7 else d.LTS_NURSING
    if current == d.LTS_RESIDENTIAL and rng.random() < 0.3:
        return d.LTS_NURSING
    return current


def community_component(rng: random.Random, p: PersonSim, setting: str) -> str:
    if setting == d.LTS_RESIDENTIAL:
        return d.LONG_TERM_RESIDENTIAL
    if setting == d.LTS_NURSING:
        return d.LONG_TERM_NURSING
    if setting == d.LTS_PRISON:
        return d.SOCIAL_WORK_SUPPORT
    if setting == d.CARER_DIRECT:
        return d.CARER_COMPONENT.pick(rng)
    if p.psr == d.MENTAL_HEALTH:
        return d.COMMUNITY_COMPONENT_MENTAL_HEALTH.pick(rng)
    if p.psr == d.LEARNING_DISABILITY:
        return d.COMMUNITY_COMPONENT_LEARNING_DISABILITY.pick(rng)
    return d.COMMUNITY_COMPONENT_PHYSICAL.pick(rng)


# Unit costs by component [est]: (cost frequency, lowest and highest unit cost in pounds,
# lowest and highest planned units a week or None, provider category or None). Care home fees
# are anchored on the worked examples in charging-rates.md (Knowsley 2024/25 £685.37 a week,
# Leeds £694 a week for older people's residential care); the rest are typical council rates.
COSTS: dict[str, tuple[str, float, float, tuple[int, int] | None, str | None]] = {
    "Home support or domiciliary care": (d.HOURLY, 22.0, 28.5, (3, 28), "home_care"),
    "Reablement": (d.HOURLY, 24.0, 30.0, (5, 15), "reablement"),
    "Direct payment": (d.WEEKLY, 120.0, 650.0, (1, 1), None),
    "Day support": (d.PER_SESSION, 42.0, 78.0, (1, 5), "day_service"),
    "Extra care housing": (d.HOURLY, 20.0, 25.0, (3, 15), "home_care"),
    "Meals": (d.PER_SESSION, 5.5, 7.5, (5, 7), None),
    "Transport": (d.PER_SESSION, 8.0, 18.0, (2, 5), None),
    "Other long term support": (d.WEEKLY, 40.0, 200.0, (1, 1), None),
    "Professional support: Other": (d.WEEKLY, 40.0, 160.0, (1, 1), None),
    "Professional support: Social worker": (d.NO_CHARGE, 0.0, 0.0, None, None),
    "Community supported living": (d.WEEKLY, 650.0, 2200.0, (1, 1), "supported_living"),
    "Shared Lives": (d.WEEKLY, 350.0, 650.0, (1, 1), "shared_lives"),
    "Learning, education or employment support": (d.PER_SESSION, 35.0, 70.0, (1, 3), "day_service"),
    "Long term residential care": (d.WEEKLY, 685.0, 1050.0, (1, 1), "care_home"),
    "Long term nursing care": (d.WEEKLY, 850.0, 1350.0, (1, 1), "nursing_home"),
    "Equipment": (d.ONE_OFF, 40.0, 900.0, None, None),
    "Short term residential care": (d.WEEKLY, 700.0, 1000.0, (1, 1), "care_home"),
    "Unpaid carer respite": (d.ONE_OFF, 150.0, 600.0, None, None),
    "Unpaid carer sitting service": (d.HOURLY, 20.0, 26.0, (3, 6), "home_care"),
    "Unpaid carer universal services": (d.NO_CHARGE, 0.0, 0.0, None, None),
    "Other unpaid carer support": (d.ONE_OFF, 100.0, 400.0, None, None),
}
for _component in COSTS:
    if _component not in cld.codes(cld.SERVICE_COMPONENT):
        raise ValueError(f"{_component!r} is not a CLD service component")


# Community support arranged by the council without a personal budget (CLD 'CASSR
# commissioned support'): everyone on long-term support should have one (Care Act s26), and
# nationally about nine in ten community clients receive self-directed support (ASCOF 3D1a,
# 2023-24 about 92%) [est].
COMMISSIONED_ONLY = 0.1


def service_terms(rng: random.Random, service_type: str, component: str, p: PersonSim):
    """(delivery mechanism, unit cost, cost frequency, planned units a week, provider category)."""
    frequency, lo, hi, units, category = COSTS[component]
    if component == d.LONG_TERM_RESIDENTIAL and not p.older:
        lo, hi = 1200.0, 2600.0  # working-age specialist placements cost more [est]
    if component == d.DIRECT_PAYMENT_COMPONENT or (
        service_type == d.CARER_DIRECT and frequency == d.ONE_OFF
    ):
        mechanism = d.DIRECT_PAYMENT
    elif (
        category in ("care_home", "nursing_home", "reablement") or rng.random() < COMMISSIONED_ONLY
    ):
        mechanism = d.COMMISSIONED
    else:
        mechanism = d.MANAGED_BUDGET
    cost = Decimal(round(rng.uniform(lo, hi) * 100)) / 100 if hi else Decimal("0.00")
    if units:
        planned = Decimal(rng.randint(*units))
    else:
        # As a care plan records it (planning.PlannedService needs units, and approving a plan
        # copies them to the Service event): one unit for a one-off cost, none when there is no
        # charge. Left empty, the CLD return failed its cost check (fields.csv Unit_Cost).
        planned = Decimal(1) if frequency == d.ONE_OFF else Decimal(0)
    if mechanism == d.DIRECT_PAYMENT:
        category = None  # the person arranges their own support
    return mechanism, cost.quantize(Decimal("0.01")), frequency, planned, category
