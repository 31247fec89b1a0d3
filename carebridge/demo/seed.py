"""The synthetic county generator: ``carebridge seed`` and ``carebridge demo`` call this.

Public API: :func:`seed_county`, :func:`database_is_empty`, :func:`demo_sign_ins`,
:class:`SeedReport`, :class:`DemoAccount`, :class:`DatabaseNotEmpty`.

Deterministic: the same ``(people, seed, until)`` gives the same county (person IDs, NHS numbers,
names, dates, events) on SQLite and PostgreSQL, because every random choice comes from
``random.Random`` streams seeded from ``seed`` (one stream per stage, so changing one stage does
not reshuffle the others), and nothing iterates over an unordered set.

Everyone in it is synthetic: NHS numbers are in the 999 test range, postcodes are in the unused
``WX`` area, phone numbers are in Ofcom's drama ranges and email addresses use reserved domains.

Fast: the whole county is generated in memory as plain tuples with primary keys assigned here,
then written in one transaction with COPY (PostgreSQL) or ``executemany`` (SQLite); see
``writer.py``. The Care Act pathway (assessments, eligibility determinations, care plans,
direct payments and reviews) is derived from the finished CLD history by ``pathway.py``.
50,000 people (about 235,000 events, 870,000 name search keys, 24,000 assessments and 24,000
care plans) take about 25-45 seconds on SQLite and 35-60 seconds on PostgreSQL on a 2-core
machine, the pathway about 10 of them (``bench/bench_seed.py``; the target is 3 minutes).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from carebridge.assessments.models import Assessment, EligibilityDetermination
from carebridge.casework.models import Allocation, CaseNote, Event
from carebridge.core import audit, planner_statistics
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent, RestrictedAccess
from carebridge.duties import services as duty_services
from carebridge.duties import snapshots as duty_snapshots
from carebridge.organisations.models import Organisation, Team, Worker
from carebridge.people.models import (
    AccommodationStatusRecord,
    CarerRelationship,
    EmploymentStatusRecord,
    Person,
    PersonAlert,
    PersonName,
    PersonNameKey,
)
from carebridge.planning.models import (
    CarePlan,
    DirectPaymentAgreement,
    PlanDecision,
    PlannedService,
    ResourceAllocationScheme,
)
from carebridge.planning.models import Review as PlanReview
from carebridge.returns import performance as returns_performance
from carebridge.rules import cld

from . import aftercare, carer_offers, extras, mental_health, partnerships, pathway, safeguarding
from . import population as pop
from .county import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount, create_county
from .history import (
    ALLOCATION_FIELDS,
    E_END,
    E_PERSON,
    E_SERVICE_TYPE,
    E_START,
    E_TYPE,
    EVENT_FIELDS,
    Context,
    History,
)
from .writer import insert_rows, next_id, reset_sequences

__all__ = [
    "DEMO_PASSWORD",
    "DatabaseNotEmpty",
    "DemoAccount",
    "SeedReport",
    "database_is_empty",
    "demo_sign_ins",
    "seed_county",
]

# By default the history runs three and a half years back from ``until`` (a council's CLD
# returns since 2023); a longer history (``history_years``) gives county-scale benchmarks a
# council's full case history.
HISTORY_YEARS = 3.5

SEEDED_MODELS = (
    Organisation,
    Team,
    Worker,
    Person,
    PersonName,
    PersonNameKey,
    AccommodationStatusRecord,
    EmploymentStatusRecord,
    CarerRelationship,
    Allocation,
    Event,
    PersonAlert,
    CaseNote,
    RestrictedAccess,
    ResourceAllocationScheme,
    Assessment,
    EligibilityDetermination,
    CarePlan,
    PlannedService,
    DirectPaymentAgreement,
    PlanDecision,
    PlanReview,
)


class DatabaseNotEmpty(Exception):
    """Seeding refused: the database already holds people or workers."""

    def __init__(self, people: int = 0, workers: int = 0):
        super().__init__(
            f"The database already holds {people:,} people and {workers:,} workers: seeding "
            "only works on an empty database. Seed into a new database (or flush this one)."
        )


@dataclass
class SeedReport:
    people: int
    seed: int
    until: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    measures: dict[str, float] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def events(self) -> int:
        return self.counts.get("events", 0)

    def summary(self) -> str:
        lines = [
            f"Seeded a synthetic county of {self.people:,} people (seed {self.seed}, history to "
            f"{self.until:%-d %B %Y}) in {self.elapsed:.1f} seconds.",
        ]
        width = max(len(k) for k in self.counts) if self.counts else 0
        lines += [f"  {label:<{width}}  {count:>10,}" for label, count in self.counts.items()]
        if self.measures:
            lines.append("In the 12 months to the last day of history:")
            lines += [f"  {label}: {_fmt(value)}" for label, value in self.measures.items()]
        return "\n".join(lines)


def _fmt(value: float) -> str:
    return f"{value:.0%}" if isinstance(value, float) else f"{value:,}"


def database_is_empty() -> bool:
    return not Person.objects.exists() and not Worker.objects.exists()


def demo_sign_ins() -> list[DemoAccount]:
    """The demo accounts every seeded county has (password ``carebridge-demo``)."""
    return list(DEMO_ACCOUNTS)


def _analyse() -> None:
    """Refresh the planner's statistics after a bulk load, as a database administrator would.
    Without them SQLite can pick a worse index (a person's latest event of a type by walking
    every event of that type in date order)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def seed_county(
    *,
    people: int,
    seed: int,
    until: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    history_years: float = HISTORY_YEARS,
) -> SeedReport:
    """Generate a synthetic county into an empty database, in one transaction."""
    if people < 1:
        raise ValueError("Seed at least one person")
    if not 1 <= history_years <= 40:
        raise ValueError("The history runs back between 1 and 40 years")
    until = until or timezone.localdate()
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    with transaction.atomic(), duty_services.deferred():
        people_count, worker_count = Person.objects.count(), Worker.objects.count()
        if people_count or worker_count:
            raise DatabaseNotEmpty(people_count, worker_count)
        report = _Seeder(people, seed, until, say, history_years).run()
    _analyse()
    say("Evaluating statutory duties...")
    report.counts["duty states"] = duty_services.refresh_all(today=until)
    report.counts["duty snapshots"] = duty_snapshots.record_recent(until, months=12)
    say("Computing the statutory returns' performance figures...")
    report.counts["performance figures"] = returns_performance.record_on_seeding(until)
    planner_statistics.restore()  # the tables filled since the ANALYZE above
    report.elapsed = time.perf_counter() - started
    return report


class _Seeder:
    def __init__(
        self,
        people: int,
        seed: int,
        until: dt.date,
        say: Callable[[str], None],
        history_years: float = HISTORY_YEARS,
    ):
        self.people, self.seed, self.until, self.say = people, seed, until, say
        self.history_days = round(history_years * 365.25)
        self.tz = timezone.get_default_timezone()
        self.report = SeedReport(people=people, seed=seed, until=until)

    def rng(self, stage: str) -> random.Random:
        return random.Random(f"carebridge-demo:{self.seed}:{stage}")

    def write(self, label: str, model, fields, rows) -> None:
        self.report.counts[label] = insert_rows(model, fields, rows)

    def run(self) -> SeedReport:
        county = create_county(
            people=self.people, rng=self.rng("county"), until=self.until, tz=self.tz
        )
        self.report.counts.update(county.counts)
        self.say(
            f"Created {county.counts['organisations']:,} organisations, "
            f"{county.counts['teams']} teams and {county.counts['workers']:,} workers"
        )
        ctx = Context(
            until=self.until,
            start=self.until - dt.timedelta(days=self.history_days),
            tz=self.tz,
            teams=county.team_ids,
            caseholders=county.caseholders,
            managers=county.managers,
            providers=county.providers,
        )
        sims = pop.make_population(self.people, next_id(Person), self.rng("people"), ctx)
        pop.link_carers(sims, self.rng("carers"), ctx)
        history = History(ctx, self.rng("history"), next_id(Event), next_id(Allocation))
        for p in sims:
            if not p.carer:
                history.run(p)
            elif p.profile == "carer":
                history.run(p, cld.UNPAID_CARER)
        history.record_cld_fields(self.rng("cld recording"))
        pop.assign_names(sims, self.rng("names"))
        self.say(f"Generated {self.people:,} people and {len(history.events):,} events")

        aware = history.aware
        restricted, access_rows = extras.restricted_rows(
            sims, self.rng("restricted"), ctx, next_id(RestrictedAccess), aware
        )
        identities = pop.Identities(
            self.rng("identity"), ctx, county.gp_by_town, county.gp_ids, aware
        )
        person_rows, name_rows, key_rows = identities.rows(
            sims, next_id(PersonName), next_id(PersonNameKey), restricted, history.in_returns()
        )
        self.write("people", Person, pop.PERSON_FIELDS, person_rows)
        self.write("person names", PersonName, pop.NAME_FIELDS, name_rows)
        self.write("name search keys", PersonNameKey, pop.NAME_KEY_FIELDS, key_rows)
        self.say(f"Created {len(person_rows):,} people with {len(key_rows):,} name search keys")
        del person_rows, name_rows, key_rows

        acc_rows, emp_rows = pop.status_rows(
            sims,
            self.rng("status"),
            ctx,
            next_id(AccommodationStatusRecord),
            next_id(EmploymentStatusRecord),
            aware,
            history.review_dates(),
        )
        self.write("accommodation statuses", AccommodationStatusRecord, pop.STATUS_FIELDS, acc_rows)
        self.write("employment statuses", EmploymentStatusRecord, pop.STATUS_FIELDS, emp_rows)
        self.write(
            "carer relationships",
            CarerRelationship,
            pop.CARER_FIELDS,
            pop.carer_rows(sims, next_id(CarerRelationship)),
        )
        self.say("Created accommodation, employment and carer records")

        self.write("allocations", Allocation, ALLOCATION_FIELDS, history.allocation_rows())
        events = history.event_rows()
        self.write("events", Event, EVENT_FIELDS, events)
        self.say(
            f"Created {len(events):,} events and {self.report.counts['allocations']:,} allocations"
        )

        self.write(
            "alerts",
            PersonAlert,
            extras.ALERT_FIELDS,
            extras.alert_rows(sims, self.rng("alerts"), ctx, next_id(PersonAlert)),
        )
        self.write(
            "case notes",
            CaseNote,
            extras.NOTE_FIELDS,
            extras.note_rows(sims, self.rng("notes"), ctx, next_id(CaseNote), aware),
        )
        self.write("restricted access", RestrictedAccess, extras.RESTRICTED_FIELDS, access_rows)
        plans = self._pathway(sims, events, ctx, county.team_ids, aware)
        carer_offers.seed(
            self.write, self.rng("carer offers"), ctx, events, history.allocations, aware
        )
        mental_health.seed(
            self.write,
            self.rng("mental health"),
            ctx,
            sims,
            history.allocations,
            aware,
            county.trust_id,
        )
        # s117 aftercare after the qualifying detentions seeded above (none: nothing written).
        self.report.counts.update(aftercare.seed(self.rng("aftercare"), self.until))
        safeguarding.seed(self.write, self.rng("safeguarding"), ctx, sims)
        # The s75 agreement under which the trust hosts the CMHTs (a handful of rows, no rng).
        self.report.counts.update(partnerships.seed(county, self.until))
        reset_sequences(SEEDED_MODELS)
        self.report.measures = _measures(sims, events, self.until)
        self.report.measures.update(_plan_measures(plans, self.until))
        self._audit()
        self.report.counts["audit events"] = 1
        self.say(
            f"Created {self.report.counts['case notes']:,} case notes and "
            f"{self.report.counts['alerts']:,} alerts"
        )
        return self.report

    def _pathway(self, sims, events, ctx: Context, team_ids: dict[str, int], aware) -> list:
        """Assessments, eligibility determinations, care plans and reviews (``pathway.py``)."""
        admin = (
            Worker.objects.filter(role=Role.SYSTEM_ADMINISTRATOR)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        managers = [a for a in DEMO_ACCOUNTS if a.role == Role.TEAM_MANAGER]  # tm.demo, tm2.demo
        rows = pathway.generate(
            sims,
            events,
            self.rng("pathway"),
            ctx,
            pathway.FirstIds(
                ras=next_id(ResourceAllocationScheme),
                assessment=next_id(Assessment),
                determination=next_id(EligibilityDetermination),
                plan=next_id(CarePlan),
                service=next_id(PlannedService),
                direct_payment=next_id(DirectPaymentAgreement),
                decision=next_id(PlanDecision),
                review=next_id(PlanReview),
            ),
            admin=admin,
            demo_teams=[team_ids[a.team_key] for a in managers],
            aware=aware,
        )
        self.write("RAS versions", ResourceAllocationScheme, pathway.RAS_FIELDS, rows.ras)
        self.write("assessments", Assessment, pathway.ASSESSMENT_FIELDS, rows.assessments)
        self.write(
            "eligibility determinations",
            EligibilityDetermination,
            pathway.DETERMINATION_FIELDS,
            rows.determinations,
        )
        self.write("care plans", CarePlan, pathway.PLAN_FIELDS, rows.plans)
        self.write("planned services", PlannedService, pathway.SERVICE_FIELDS, rows.services)
        self.write(
            "direct payments",
            DirectPaymentAgreement,
            pathway.DIRECT_PAYMENT_FIELDS,
            rows.direct_payments,
        )
        self.write("plan decisions", PlanDecision, pathway.DECISION_FIELDS, rows.decisions)
        self.write("plan reviews", PlanReview, pathway.REVIEW_FIELDS, rows.reviews)
        self.say(
            f"Created {self.report.counts['assessments']:,} assessments and "
            f"{self.report.counts['care plans']:,} care and support plans"
        )
        return rows.plans

    def _audit(self) -> None:
        r = self.report
        audit.record(
            None,
            AuditEvent.Action.SEED,
            summary=(
                f"Seeded a synthetic county: {r.people:,} people, {r.counts['events']:,} events, "
                f"{r.counts['workers']:,} workers (seed {r.seed}, history to {r.until.isoformat()})"
            ),
            changes={
                "seed": r.seed,
                "people": r.people,
                "until": r.until.isoformat(),
                "counts": dict(r.counts),
            },
        )


def _plan_measures(plans: list[tuple], until: dt.date) -> dict[str, float]:
    """How many approved plans have a review overdue on ``until`` (volumes.md: a realistic
    county has overdue reviews)."""
    due = [p[pathway.P_NEXT_DUE] for p in plans if p[pathway.P_STATUS] == pathway.APPROVED]
    overdue = sum(1 for day in due if day is not None and day < until)
    return {
        "approved care plans on the last day": len(due),
        "share of them with a review overdue that day": overdue / len(due) if due else 0.0,
    }


def _measures(sims: list, events: list[list], until: dt.date) -> dict[str, float]:
    """Volumes to compare with volumes.md: requests, people on long-term support, reviews."""
    year_start = until - dt.timedelta(days=364)
    requests = reviews = 0
    on_lts: set[int] = set()
    reviewed: set[int] = set()
    first_lts: dict[int, dt.date] = {}
    open_lts: set[int] = set()
    for e in events:
        kind, start, person = e[E_TYPE], e[E_START], e[E_PERSON]
        if kind == cld.REQUEST and start >= year_start:
            requests += 1
        elif kind == cld.REVIEW and start >= year_start:
            reviews += 1
            reviewed.add(person)
        elif kind == cld.SERVICE and cld.is_long_term_support(e[E_SERVICE_TYPE]):
            if e[E_END] is None or e[E_END] >= year_start:
                on_lts.add(person)
            if e[E_END] is None:
                open_lts.add(person)
            first_lts[person] = min(start, first_lts.get(person, start))
    older = sum(1 for p in sims if p.pk in on_lts and p.age >= 65)
    died = sum(1 for p in sims if p.death is not None and p.death >= year_start)
    # ASC-AFR "Reviews": people on long-term support for over 12 months, reviewed in the year.
    long_standing = {p for p in open_lts if first_lts[p] <= until - dt.timedelta(days=365)}
    return {
        "requests": requests,
        "people on long-term support": len(on_lts),
        "share of them aged 65 or over": older / len(on_lts) if on_lts else 0.0,
        "reviews": reviews,
        "share of people on long-term support for over 12 months reviewed": (
            len(long_standing & reviewed) / len(long_standing) if long_standing else 0.0
        ),
        "deaths": died,
    }
