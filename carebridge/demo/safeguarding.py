"""Safeguarding concerns and enquiries (Care Act 2014 s42) for the synthetic county.

Volumes and shapes [est, from the shares named beside each table]: about 5,000 concerns a year
for a county of about 930,000 residents (volumes.md: Norfolk 4,928 in 2021/22), which the seed
models as 50,000 people known to social care, so 0.1 concerns per known person a year; about a
third become Section 42 enquiries (England 2024-25: 185,270 of 640,240, 29%) and a few "other"
enquiries; decisions mostly within the council's 2 working days; enquiries concluding after a
few weeks, some open past the 3-month standard; the adult's desired outcomes mostly asked and
mostly achieved; some concerns about care providers, so commissioners have something to see.
Concerns received in the last days before ``until`` are still awaiting a decision.

Deterministic: every choice comes from the stage's ``random.Random``; rows are tuples in the
``*_FIELDS`` order with primary keys assigned here, written by ``writer.py`` inside the seed's
transaction. :func:`digest_tables` adds the tables to the county's digest.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections.abc import Callable, Iterable

from carebridge.rules import safeguarding as sg
from carebridge.rules.working_days import add_working_days

from . import distributions as d
from . import names_data as nd
from .history import Context

CONCERNS_PER_PERSON_YEAR = 0.1

CONCERN_FIELDS = (
    "id", "person_id", "received_at", "received_on", "raised_by_name", "raised_by_role",
    "raised_by_organisation", "source", "details", "location_of_risk", "source_of_risk",
    "source_relationship", "source_provider_id", "immediate_actions", "closed_on", "version",
    "created_at", "created_by_id",
)  # fmt: skip
RISK_TYPE_FIELDS = ("id", "concern_id", "risk_type")
DECISION_FIELDS = (
    "id", "concern_id", "needs_care_and_support", "needs_care_and_support_reason",
    "abuse_or_neglect", "abuse_or_neglect_reason", "unable_to_protect",
    "unable_to_protect_reason", "result", "route", "reason", "decided_on", "decided_by_id",
    "created_at",
)  # fmt: skip
ENQUIRY_FIELDS = (
    "id", "concern_id", "person_id", "kind", "started_on", "lead_enquirer_id", "enquiry_plan",
    "msp_asked", "outcomes_asked_on", "desired_outcomes", "msp_achieved",
    "substantial_difficulty", "appropriate_person", "advocate_referred_on", "risk_outcome",
    "concluded_on", "concluded_by_id", "conclusion", "version", "created_at", "created_by_id",
    "updated_at", "updated_by_id",
)  # fmt: skip
ACTION_FIELDS = ("id", "enquiry_id", "taken_on", "description", "recorded_by_id", "created_at")
MEETING_FIELDS = (
    "id", "enquiry_id", "held_on", "attendees", "decisions", "recorded_by_id", "created_at",
)  # fmt: skip
PLAN_FIELDS = (
    "id", "enquiry_id", "details", "started_on", "review_due", "closed_on", "version",
    "created_at", "created_by_id", "updated_at", "updated_by_id",
)  # fmt: skip
REVIEW_FIELDS = (
    "id", "plan_id", "reviewed_on", "notes", "next_review_due", "closed_plan",
    "reviewed_by_id", "created_at",
)  # fmt: skip

# Who raises concerns [est]: providers and the NHS most, then the police and families.
SOURCE = d.local_table(
    sg.CONCERN_SOURCES,
    {
        "nhs_hospital_ward": 14, "nhs_mental_health": 8, "gp": 5, "community_health": 6,
        "ambulance": 4, "police": 12, "care_provider": 22, "family_friend": 10, "self": 3,
        "council_staff": 8, "housing": 3, "voluntary_sector": 2, "cqc": 1, "other": 2,
    },
    "concern source",
)  # fmt: skip
# Type of risk: shares of risks in concluded Section 42 enquiries, England (SAC 2023-24, as
# reported: neglect about a third, then physical, psychological and financial) [est].
TYPE = d.local_table(
    sg.TYPE_OF_RISK,
    {
        "neglect": 32, "physical": 19, "psychological": 14, "financial": 14, "self_neglect": 9,
        "domestic": 8, "sexual": 4, "organisational": 4, "sexual_exploitation": 0.5,
        "modern_slavery": 0.3, "discriminatory": 0.5,
    },
    "type of risk",
)  # fmt: skip
SECOND_TYPE_P = 0.25
# Location of risk: the adult's own home 45%, care homes about a third (SAC 2019-20 as
# reported: own home 43.8%) [est].
LOCATION = d.local_table(
    sg.LOCATION_OF_RISK,
    {
        "own_home": 46, "care_home_residential": 19, "care_home_nursing": 12, "community": 7,
        "community_service": 5, "hospital_acute": 4, "hospital_mental_health": 3,
        "hospital_community": 1, "other": 3,
    },
    "location of risk",
)  # fmt: skip
# The source of risk follows the place: care homes and services mostly their staff; at home
# mostly someone the adult knows [est].
PROVIDER_P = {
    "care_home_residential": 0.8, "care_home_nursing": 0.8, "community_service": 0.75,
    "own_home": 0.2, "hospital_acute": 0.0, "hospital_mental_health": 0.0,
    "hospital_community": 0.0, "community": 0.05, "other": 0.2,
}  # fmt: skip
PROVIDER_CATEGORY = {
    "care_home_residential": ("care_home",),
    "care_home_nursing": ("nursing_home",),
    "community_service": ("day_service", "supported_living", "shared_lives"),
    "own_home": ("home_care", "reablement"),
    "other": ("supported_living",),
    "community": ("day_service",),
}
NAMED_PROVIDER_P = 0.85  # a provider organisation named (else a personal assistant, say)
UNKNOWN_P = {"community": 0.5, "own_home": 0.08}
RELATIONSHIP_KNOWN = d.local_table(
    sg.SOURCE_RELATIONSHIPS,
    {"partner": 20, "family": 35, "friend_neighbour": 12, "health_staff": 8,
     "other_resident": 12, "other": 8, "not_known": 5, "paid_staff": 0, "stranger": 0},
    "source relationship",
)  # fmt: skip

# Decisions: working days from the concern (mostly within the 2-day standard) [est].
DECISION_DAYS = ((0.45, 1), (0.27, 2), (0.18, 5), (0.10, 15))
NEVER_DECIDED_P = 0.004  # left without a decision: the overview's overdue ones
RESULT = ((0.33, sg.S42_ENQUIRY), (0.05, sg.OTHER_ENQUIRY), (0.62, sg.OTHER_ROUTE))
ROUTE = d.local_table(
    sg.ROUTES,
    {"advice": 30, "care_assessment": 20, "signpost": 25, "no_further_action": 25},
    "route",
)
# Enquiries: days to conclude, lognormal around 5 weeks (about 1 in 8 over three months).
ENQUIRY_MEDIAN_DAYS, ENQUIRY_SIGMA = 35, 0.8
STUCK_P, STUCK_DAYS = 0.06, (95, 240)  # waiting on a police investigation, a provider...
MSP_ASKED = ((0.75, sg.MSP_EXPRESSED), (0.10, sg.MSP_NONE_EXPRESSED), (0.08, sg.MSP_NOT_ASKED),
             (0.07, sg.MSP_DONT_KNOW))  # fmt: skip
# SAC: most expressed outcomes fully achieved, about a quarter partly [est].
ACHIEVED = ((0.66, sg.ACHIEVED_FULLY), (0.28, sg.ACHIEVED_PARTIALLY), (0.06, sg.ACHIEVED_NOT))
# SAC: where a risk was identified, about 9 in 10 reduced or removed [est].
OUTCOME = ((0.18, sg.RISK_REMOVED), (0.56, sg.RISK_REDUCED), (0.08, sg.RISK_REMAINS),
           (0.12, sg.NO_RISK), (0.06, sg.CEASED_AT_REQUEST))  # fmt: skip
SUBSTANTIAL_DIFFICULTY_P, APPROPRIATE_PERSON_P = 0.3, 0.7
PLAN_P, PLAN_KEPT_P, PLAN_REVIEWED_P, MEETING_P = 0.55, 0.2, 0.3, 0.25
DEMO_LEAD = "sg.demo"
DEMO_LEAD_P = 0.3

DETAILS = {
    "neglect": "Found in soiled bedding with no food in the house; carers missed visits.",
    "physical": "Unexplained bruising to both upper arms, noticed during personal care.",
    "psychological": "Says she is shouted at and threatened with being 'put in a home'.",
    "financial": "Pension withdrawn in full each week by a relative; bills unpaid.",
    "self_neglect": "House severely cluttered, no heating, refusing help with meals.",
    "domestic": "Partner seen pushing him in the street; police called by a neighbour.",
    "sexual": "Disclosed unwanted touching by another person at the service.",
    "organisational": "Several residents left without drinks and pressure care overnight.",
    "sexual_exploitation": "Visited by unknown men; money and cigarettes exchanged.",
    "modern_slavery": "Living at the workplace, papers held by the employer, unpaid.",
    "discriminatory": "Called names about his disability by staff; excluded from activities.",
}
ACTIONS = (
    "Home visit with the adult; spoke to them alone.",
    "Checked the care records and rotas with the provider's manager.",
    "Referred to the police; crime reference recorded.",
    "Bank's vulnerable customer team alerted.",
    "GP asked for a review of medication and injuries.",
    "Spoke to the adult's daughter about what she has seen.",
    "Provider asked for its own investigation report.",
)
IMMEDIATE = (
    "", "", "Adult moved to a safe room; manager informed.", "Police called.",
    "Carer removed from the rota pending investigation.", "GP asked to see the adult today.",
)  # fmt: skip
OUTCOMES_WANTED = (
    "I want to feel safe in my own home.",
    "I want my money back and for it to stop.",
    "I want to stay here but not with that carer.",
    "I don't want my son to get into trouble, I just want it to stop.",
    "I want to be left alone to live my way.",
)
PLANS = (
    "Daily welfare visits for two weeks; bank protections in place; the adult knows who to ring.",
    "Provider to retrain staff and audit pressure care weekly; family updated.",
    "Lasting power of attorney to be explored; key safe code changed.",
)
APPROPRIATE = ("Her daughter", "His wife", "Her son", "His brother", "A close friend")
ROLES = {
    "nhs_hospital_ward": ("Ward sister", "Staff nurse", "Discharge coordinator"),
    "nhs_mental_health": ("Care coordinator", "Community psychiatric nurse"),
    "gp": ("GP", "Practice nurse"),
    "community_health": ("District nurse", "Occupational therapist"),
    "ambulance": ("Paramedic",),
    "police": ("Police constable", "Detective constable"),
    "care_provider": ("Registered manager", "Senior carer"),
    "council_staff": ("Social worker", "Occupational therapist"),
    "housing": ("Housing officer",),
    "voluntary_sector": ("Support worker",),
    "cqc": ("Inspector",),
}
ORGANISATIONS = {
    "nhs_hospital_ward": "County Hospital NHS Trust",
    "nhs_mental_health": "County Mental Health NHS Trust",
    "ambulance": "Regional Ambulance Service",
    "police": "County Constabulary",
    "cqc": "Care Quality Commission",
    "council_staff": "County Council",
}
_GIVEN = ("Anna", "Ben", "Chloe", "Dev", "Ellen", "Farid", "Grace", "Hamza", "Isla", "Joe")


def _pick(rng: random.Random, table: tuple[tuple[float, str], ...]) -> str:
    r, acc = rng.random(), 0.0
    for p, value in table:
        acc += p
        if r < acc:
            return value
    return table[-1][1]


def _at(ctx: Context, day: dt.date, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=ctx.tz)


class _Ids:
    def __init__(self, first: dict[str, int]):
        self._next = dict(first)

    def __call__(self, key: str) -> int:
        pk = self._next[key]
        self._next[key] += 1
        return pk


class Rows:
    def __init__(self) -> None:
        self.concerns: list[tuple] = []
        self.risk_types: list[tuple] = []
        self.decisions: list[tuple] = []
        self.enquiries: list[tuple] = []
        self.actions: list[tuple] = []
        self.meetings: list[tuple] = []
        self.plans: list[tuple] = []
        self.reviews: list[tuple] = []


def generate(
    sims: list,
    rng: random.Random,
    ctx: Context,
    first_ids: dict[str, int],
    *,
    recorders: list[int],
    deciders: list[int],
    enquirers: list[int],
    demo_lead: int | None,
) -> Rows:
    """Every concern of the window, with its decision and enquiry, as row tuples."""
    ids = _Ids(first_ids)
    rows = Rows()
    people = [p for p in sims if not p.carer]
    if not people or not recorders or not deciders:
        return rows
    weights = list(
        itertools.accumulate(
            2.0 if (p.age >= 65 and p.profile in (d.LEGACY_LTS, d.NEW_LTS)) else 1.0 for p in people
        )
    )
    days = (ctx.until - ctx.start).days
    n = round(len(sims) * CONCERNS_PER_PERSON_YEAR * days / 365.25)
    received = sorted(ctx.start + dt.timedelta(days=rng.randrange(days + 1)) for _ in range(n))
    for day in received:
        person = None
        for _ in range(10):
            p = rng.choices(people, cum_weights=weights)[0]
            if (p.death is None or p.death > day) and p.dob <= day:
                person = p
                break
        if person is None:
            continue
        _concern(rows, ids, rng, ctx, person, day, recorders, deciders, enquirers, demo_lead)
    return rows


def _concern(rows, ids, rng, ctx, person, day, recorders, deciders, enquirers, demo_lead):
    until = ctx.until
    if day.weekday() >= 5 and rng.random() < 0.7:
        day = add_working_days(day, 1)
        if day > until:
            return
    minute = rng.randint(8 * 60, 18 * 60)
    received_at = _at(ctx, day, minute)
    source = SOURCE.pick(rng)
    location = LOCATION.pick(rng)
    provider = None
    relationship = ""
    if rng.random() < PROVIDER_P[location]:
        source_of_risk = sg.SERVICE_PROVIDER
        relationship = "paid_staff"
        categories = PROVIDER_CATEGORY.get(location, ())
        pool = [pk for c in categories for pk in ctx.providers.get(c, [])]
        if pool and rng.random() < NAMED_PROVIDER_P:
            provider = pool[rng.randrange(len(pool))]
    elif rng.random() < UNKNOWN_P.get(location, 0.03):
        source_of_risk, relationship = sg.UNKNOWN, "stranger"
    else:
        source_of_risk, relationship = sg.KNOWN, RELATIONSHIP_KNOWN.pick(rng)
    types = [TYPE.pick(rng)]
    if source_of_risk == sg.SERVICE_PROVIDER and rng.random() < 0.25:
        types = ["organisational"] if location.startswith("care_home") else types
    if rng.random() < SECOND_TYPE_P:
        second = TYPE.pick(rng)
        if second not in types:
            types.append(second)
    if "self_neglect" in types:
        source_of_risk, relationship, provider = sg.KNOWN, "other", None
    concern_id = ids("concern")
    recorder = recorders[rng.randrange(len(recorders))]
    role = rng.choice(ROLES.get(source, ("",)))
    name = f"{rng.choice(_GIVEN)} {rng.choice(nd.FAMILY_NAMES)}"
    if source == "self":
        name, role = "The adult", ""
    for t in types:
        rows.risk_types.append((ids("risk_type"), concern_id, t))

    # The decision.
    decided_on = None
    if rng.random() >= NEVER_DECIDED_P:
        wd = _pick(rng, tuple((p, str(n)) for p, n in DECISION_DAYS))
        decided_on = add_working_days(day, rng.randint(0, int(wd)))
        if decided_on > until:
            decided_on = None
    closed_on = None
    if decided_on is not None:
        result = _pick(rng, RESULT)
        decider = (
            demo_lead
            if demo_lead and rng.random() < DEMO_LEAD_P
            else deciders[rng.randrange(len(deciders))]
        )
        answers = [True, True, True]
        if result != sg.S42_ENQUIRY:
            answers[2] = False
            if result == sg.OTHER_ROUTE and rng.random() < 0.5:
                answers[1] = False
        route = ROUTE.pick(rng) if result == sg.OTHER_ROUTE else ""
        reason = "" if result == sg.S42_ENQUIRY else (
            "Has capacity and can protect themselves; wants support, not an enquiry."
        )  # fmt: skip
        rows.decisions.append((
            ids("decision"), concern_id, answers[0], "Known to adult social care; needs help "
            "with daily living.", answers[1], "Abuse or neglect is suspected." if answers[1]
            else "No abuse or neglect is suspected on what is known.", answers[2],
            "Cannot protect themselves because of their needs." if answers[2]
            else "Able to protect themselves.", result, route, reason, decided_on, decider,
            _at(ctx, decided_on, rng.randint(9 * 60, 17 * 60)),
        ))  # fmt: skip
        if result == sg.OTHER_ROUTE:
            closed_on = decided_on
        else:
            closed_on = _enquiry(
                rows, ids, rng, ctx, person, concern_id, result, decided_on, decider,
                enquirers, demo_lead, types,
            )  # fmt: skip
    rows.concerns.append((
        concern_id, person.pk, received_at, day, name, role, ORGANISATIONS.get(source, ""),
        source, DETAILS[types[0]], location, source_of_risk, relationship, provider,
        rng.choice(IMMEDIATE), closed_on, 1, received_at, recorder,
    ))  # fmt: skip


def _enquiry(rows, ids, rng, ctx, person, concern_id, kind, started, decider, enquirers,
             demo_lead, types) -> dt.date | None:  # fmt: skip
    until = ctx.until
    lead = (
        demo_lead
        if demo_lead and rng.random() < DEMO_LEAD_P
        else enquirers[rng.randrange(len(enquirers))]
    )
    length = max(3, round(rng.lognormvariate(math.log(ENQUIRY_MEDIAN_DAYS), ENQUIRY_SIGMA)))
    if rng.random() < STUCK_P:
        length = rng.randint(*STUCK_DAYS)
    concluded = started + dt.timedelta(days=length)
    if concluded > until:
        concluded = None
    end = concluded or until
    asked = _pick(rng, MSP_ASKED)
    asked_on = None
    if asked in sg.ASKED:
        asked_on = min(started + dt.timedelta(days=rng.choice((0, 1, 2, 3, 5, 7, 10))), end)
    if concluded is None and (rng.random() < 0.2 or (asked not in sg.ASKED and rng.random() < 0.7)):
        asked, asked_on = "", None  # an open enquiry: not recorded yet
    outcomes = rng.choice(OUTCOMES_WANTED) if asked == sg.MSP_EXPRESSED else ""
    difficulty = None
    appropriate = ""
    advocate = None
    if concluded is not None or rng.random() < 0.6:
        difficulty = rng.random() < SUBSTANTIAL_DIFFICULTY_P
        if difficulty:
            if rng.random() < APPROPRIATE_PERSON_P:
                appropriate = rng.choice(APPROPRIATE)
            else:
                advocate = min(started + dt.timedelta(days=rng.randint(1, 10)), end)
    outcome = achieved = ""
    concluded_by = None
    conclusion = ""
    if concluded is not None:
        outcome = _pick(rng, OUTCOME)
        achieved = _pick(rng, ACHIEVED) if asked == sg.MSP_EXPRESSED else ""
        concluded_by = decider
        conclusion = "Enquiry completed; the adult's views recorded and shared with them."
    enquiry_id = ids("enquiry")
    created = _at(ctx, started, rng.randint(9 * 60, 17 * 60))
    updated = _at(ctx, end, rng.randint(9 * 60, 17 * 60))
    rows.enquiries.append((
        enquiry_id, concern_id, person.pk, kind, started, lead,
        "Speak to the adult; gather records; agree actions with partners.", asked, asked_on,
        outcomes, achieved, difficulty, appropriate, advocate, outcome, concluded, concluded_by,
        conclusion, 1, created, decider, updated, lead,
    ))  # fmt: skip
    for _ in range(rng.randint(1, 3)):
        taken = started + dt.timedelta(days=rng.randint(0, max(0, (end - started).days)))
        rows.actions.append((
            ids("action"), enquiry_id, taken, rng.choice(ACTIONS), lead, _at(ctx, taken, 720),
        ))  # fmt: skip
    if rng.random() < MEETING_P:
        held = min(started + dt.timedelta(days=rng.randint(2, 14)), end)
        rows.meetings.append((
            ids("meeting"), enquiry_id, held, "Lead enquirer, police, provider manager, GP",
            "Police to interview; provider to suspend the carer; review in two weeks.", lead,
            _at(ctx, held, 600),
        ))  # fmt: skip
    identified = outcome in sg.RISK_IDENTIFIED or concluded is None
    if identified and rng.random() < PLAN_P:
        plan_start = min(started + dt.timedelta(days=rng.randint(1, 14)), end)
        closed = review_due = None
        if concluded is not None:
            if rng.random() < PLAN_KEPT_P:
                review_due = concluded + dt.timedelta(days=90)
            else:
                closed = concluded
        else:
            review_due = plan_start + dt.timedelta(days=28)
        plan_id = ids("plan")
        rows.plans.append((
            plan_id, enquiry_id, rng.choice(PLANS), plan_start, review_due, closed, 1,
            _at(ctx, plan_start, 660), lead, _at(ctx, closed or plan_start, 660), lead,
        ))  # fmt: skip
        mid = plan_start + dt.timedelta(days=14)
        if rng.random() < PLAN_REVIEWED_P and mid <= end and (closed is None or mid <= closed):
            rows.reviews.append((
                ids("review"), plan_id, mid, "Plan working; the adult feels safer.",
                mid + dt.timedelta(days=28), False, lead, _at(ctx, mid, 690),
            ))  # fmt: skip
    return concluded


# --- writing --------------------------------------------------------------------------------------


def seed(write: Callable, rng: random.Random, ctx: Context, sims: list) -> None:
    """Generate and write the county's safeguarding records (``seed.py`` calls this inside its
    transaction, after the people and workers; ``write`` is its counting writer)."""
    from carebridge.organisations.models import Worker

    from .writer import next_id, reset_sequences

    models = _models()
    team = ctx.teams.get
    safeguarding_team = team("safeguarding")
    recorders = [*ctx.caseholders.get(team("front_door"), []),
                 *ctx.caseholders.get(safeguarding_team, [])]  # fmt: skip
    enquirers = list(ctx.caseholders.get(safeguarding_team, []))
    deciders = [*enquirers, *([ctx.managers[safeguarding_team]]
                              if safeguarding_team in ctx.managers else [])]  # fmt: skip
    demo_lead = Worker.objects.filter(username=DEMO_LEAD).values_list("pk", flat=True).first()
    rows = generate(
        sims,
        rng,
        ctx,
        {key: next_id(model) for key, (_, model, _) in models.items()},
        recorders=recorders or deciders,
        deciders=deciders,
        enquirers=enquirers or deciders,
        demo_lead=demo_lead,
    )
    for key, (label, model, fields) in models.items():
        write(label, model, fields, getattr(rows, _ROWS[key]))
    reset_sequences([model for _, model, _ in models.values()])


_ROWS = {
    "concern": "concerns", "risk_type": "risk_types", "decision": "decisions",
    "enquiry": "enquiries", "action": "actions", "meeting": "meetings", "plan": "plans",
    "review": "reviews",
}  # fmt: skip


def _models() -> dict[str, tuple[str, type, tuple[str, ...]]]:
    """key -> (count label, model, fields), in the order they are written (parents first)."""
    from carebridge.safeguarding import models as m

    return {
        "concern": ("safeguarding concerns", m.Concern, CONCERN_FIELDS),
        "risk_type": ("safeguarding risk types", m.ConcernRiskType, RISK_TYPE_FIELDS),
        "decision": ("s42 decisions", m.S42Decision, DECISION_FIELDS),
        "enquiry": ("safeguarding enquiries", m.Enquiry, ENQUIRY_FIELDS),
        "action": ("enquiry actions", m.EnquiryAction, ACTION_FIELDS),
        "meeting": ("strategy meetings", m.StrategyMeeting, MEETING_FIELDS),
        "plan": ("safeguarding plans", m.SafeguardingPlan, PLAN_FIELDS),
        "review": ("safeguarding plan reviews", m.SafeguardingPlanReview, REVIEW_FIELDS),
    }


def digest_tables() -> Iterable[tuple[str, Iterable[tuple]]]:
    """The safeguarding tables for the county's digest, by natural keys (person IDs, dates,
    usernames), not primary keys."""
    from carebridge.safeguarding import models as m

    p = "person__person_id"
    c = ("concern__person__person_id", "concern__received_at")
    yield (
        "safeguarding concerns",
        m.Concern.objects.order_by(p, "received_at", "id").values_list(
            p, "received_at", "raised_by_name", "raised_by_role", "source", "details",
            "location_of_risk", "source_of_risk", "source_relationship",
            "source_provider__cqc_location_id", "immediate_actions", "closed_on",
            "created_by__username",
        ),
    )  # fmt: skip
    yield (
        "safeguarding risk types",
        m.ConcernRiskType.objects.order_by(*c, "risk_type").values_list(*c, "risk_type"),
    )
    yield (
        "s42 decisions",
        m.S42Decision.objects.order_by(*c).values_list(
            *c, "needs_care_and_support", "abuse_or_neglect", "unable_to_protect", "result",
            "route", "decided_on", "decided_by__username",
        ),
    )  # fmt: skip
    yield (
        "safeguarding enquiries",
        m.Enquiry.objects.order_by(*c).values_list(
            *c, "kind", "started_on", "lead_enquirer__username", "msp_asked",
            "outcomes_asked_on", "desired_outcomes", "msp_achieved", "substantial_difficulty",
            "appropriate_person", "advocate_referred_on", "risk_outcome", "concluded_on",
        ),
    )  # fmt: skip
    e = ("enquiry__concern__person__person_id", "enquiry__concern__received_at")
    yield (
        "enquiry actions",
        m.EnquiryAction.objects.order_by(*e, "taken_on", "id").values_list(
            *e, "taken_on", "description"
        ),
    )
    yield (
        "strategy meetings",
        m.StrategyMeeting.objects.order_by(*e, "held_on").values_list(*e, "held_on", "decisions"),
    )
    yield (
        "safeguarding plans",
        m.SafeguardingPlan.objects.order_by(*e).values_list(
            *e, "details", "started_on", "review_due", "closed_on"
        ),
    )
