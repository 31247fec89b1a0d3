"""The Care Act pathway records of the synthetic county, derived from its CLD history.

Pure Python over the history's event rows (``history.EVENT_FIELDS`` lists): nothing here touches
the database. Every row is a tuple in the field order of the ``*_FIELDS`` constants below, with
primary keys assigned here, for ``writer.insert_rows``. JSON columns are JSON text (the writer
passes values through unchanged: PostgreSQL's COPY and SQLite both take JSON as text, and
Django reads them back as dicts and lists).

What is made, and how it follows the history:

* one resource allocation system (RAS) version 1 (``ras.DEFAULT_SCHEME``);
* an :class:`Assessment` for every long-term CLD Assessment event: completed ones (end date set)
  with answers, outcomes and an :class:`EligibilityDetermination` exactly as
  ``eligibility.determine`` gives it; open ones as drafts. An assessment that led to services is
  eligible; most that ended otherwise are not. An assessment ended by the person's death is left
  without one (the product would have cancelled it);
* a :class:`CarePlan` for each long-term service (or, for an unpaid carer, each carer support
  service) that follows an eligible assessment: approved while the service is open, ended once
  it has ended; a change of service at a review is a revised plan that supersedes the last one.
  Each plan has a :class:`PlannedService` mirroring its service event, a
  :class:`DirectPaymentAgreement` when a direct payment has a weekly cost, the submission and
  approval (:class:`PlanDecision`), a completed :class:`Review` for each completed review event
  of its service, and the next review due, as ``planning.services.refresh_review_schedule``
  would store it;
* about one plan in a hundred revised and awaiting approval, for people allocated to the teams
  of the demo team managers (at least three in each), so their approval queues have work.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from carebridge.rules import cld, eligibility, ras, reviews

from . import distributions as d
from .history import (
    A_TEAM,
    A_WORKER,
    E_CLIENT,
    E_END,
    E_ID,
    E_OUTCOME,
    E_PERSON,
    E_SERVICE_TYPE,
    E_START,
    E_TYPE,
    EVENT_FIELDS,
    Context,
    PersonSim,
)

DAY = dt.timedelta(days=1)
_IX = {name: i for i, name in enumerate(EVENT_FIELDS)}
E_FOLLOWS = _IX["follows_id"]
E_ASSESSMENT_TYPE = _IX["assessment_type"]
E_COMPONENT = _IX["service_component"]
E_MECHANISM = _IX["delivery_mechanism"]
E_UNIT_COST = _IX["unit_cost"]
E_FREQUENCY = _IX["cost_frequency"]
E_UNITS = _IX["planned_units_per_week"]
E_PROVIDER = _IX["provider_id"]
E_REVIEW_REASON = _IX["review_reason"]
E_METHOD = _IX["method_of_review"]
E_METHOD_OF_ASSESSMENT = _IX["method_of_assessment"]
E_OUTCOMES_ACHIEVED = _IX["review_outcomes_achieved"]
E_TEAM = _IX["team_id"]
E_WORKER = _IX["worker_id"]
E_CANCELLED = _IX["cancelled"]

RAS_FIELDS = ("id", "version", "scheme", "effective_from", "note", "created_at", "created_by_id")
ASSESSMENT_FIELDS = (
    "id",
    "person_id",
    "kind",
    "status",
    "cared_for_id",
    "request_id",
    "event_id",
    "previous_id",
    "started_on",
    "completed_on",
    "assessor_id",
    "team_id",
    "method_of_assessment",
    "needs_arise_from_impairment_or_illness",
    "impairment_or_illness",
    "provides_necessary_care",
    "care_provided",
    "health_at_risk_of_deterioration",
    "carer_health",
    "carer_willing_and_able",
    "outcomes",
    "fluctuating_needs",
    "significant_impact_on_wellbeing",
    "wellbeing_impact",
    "what_matters",
    "strengths",
    "informal_support",
    "substantial_difficulty_being_involved",
    "appropriate_individual",
    "advocate_referred_on",
    "advocate",
    "version",
    "created_at",
    "updated_at",
    "updated_by_id",
)
DETERMINATION_FIELDS = (
    "id",
    "assessment_id",
    "person_id",
    "kind",
    "eligible",
    "outcomes_unable",
    "reasons",
    "regulation",
    "determined_on",
    "determined_by_id",
    "prevention_advice",
    "next_steps",
    "created_at",
)
PLAN_FIELDS = (
    "id",
    "person_id",
    "assessment_id",
    "supersedes_id",
    "status",
    "needs",
    "outcomes_wanted",
    "contingency_plan",
    "informal_support",
    "information_and_advice",
    "ras_version",
    "ras_points",
    "indicative_weekly",
    "person_contribution_weekly",
    "start_date",
    "end_date",
    "approved_on",
    "approved_by_id",
    "next_review_due",
    "next_review_kind",
    "version",
    "created_at",
    "created_by_id",
    "updated_at",
    "updated_by_id",
)
SERVICE_FIELDS = (
    "id",
    "plan_id",
    "description",
    "service_type",
    "service_component",
    "delivery_mechanism",
    "provider_id",
    "unit_cost",
    "cost_frequency",
    "planned_units_per_week",
    "event_id",
)
DIRECT_PAYMENT_FIELDS = (
    "id",
    "plan_id",
    "weekly_amount",
    "start_date",
    "agreement_signed_on",
    "paid_to",
    "first_payment_on",
)
DECISION_FIELDS = ("id", "plan_id", "decision", "by_id", "at", "reasons")
REVIEW_FIELDS = (
    "id",
    "person_id",
    "plan_id",
    "kind",
    "status",
    "requested_on",
    "requested_by",
    "request_reason",
    "review_reason",
    "method_of_review",
    "completed_on",
    "outcomes_achieved",
    "cld_outcomes_achieved",
    "direct_payment_working",
    "cld_outcome",
    "leads_to_reassessment",
    "reviewer_id",
    "event_id",
    "created_at",
)
# Indexes into the rows above that the generator and the tests read back.
P_ID, P_PERSON, P_ASSESSMENT, P_SUPERSEDES, P_STATUS = 0, 1, 2, 3, 4
P_START, P_END, P_APPROVED_ON = 14, 15, 16
P_NEXT_DUE, P_NEXT_KIND = 18, 19

# Mirrors planning.models (kept as plain strings so this module needs no app registry).
ADULT, CARER = "adult", "carer"
DRAFT, COMPLETED = "draft", "completed"
SUBMITTED, APPROVED, ENDED = "submitted", "approved", "ended"
DP_REVIEW_KINDS = frozenset({reviews.DIRECT_PAYMENT_FIRST_REVIEW, reviews.DIRECT_PAYMENT_REVIEW})
WEEKLY_FACTOR: dict[str, Decimal] = {  # planning.models.WEEKLY_FACTOR (a test checks they agree)
    "Per session": Decimal(1),
    "Hourly": Decimal(1),
    "Daily": Decimal(1),
    "Weekly": Decimal(1),
    "Fortnightly": Decimal(1) / Decimal(2),
    "4-weekly": Decimal(1) / Decimal(4),
    "Monthly": Decimal(12) / Decimal(52),
    "Quarterly": Decimal(4) / Decimal(52),
    "Annually": Decimal(1) / Decimal(52),
}
PENNY = Decimal("0.01")
CARER_SUPPORT_PREFIX = "Unpaid carer support:"

# Chance that an assessment which did not lead to services still found eligible needs [est]:
# self-funders and people who decline support can have eligible needs; advice alone rarely.
ELIGIBLE_WITHOUT_SERVICES = {
    "NFA: Self-funded client or under 12wk disregard": 0.5,
    "NFA: Support declined": 0.35,
    d.TO_NHS: 0.25,
    d.ADMITTED: 0.15,
    "NFA: Other": 0.1,
    "NFA: No services offered for other reason": 0.1,
}
# Revisions awaiting approval in each demo team, as a share of the team's approved plans [est:
# plans are signed off within a week or two, so about 1% wait at any time], never fewer than 3.
REVISION_SHARE = 0.01
MIN_REVISIONS = 3

# --- phrase tables (synthetic; no real people) ----------------------------------------------

IMPAIRMENT = {
    "Physical Support: Personal care support": (
        "Frailty and reduced mobility after a stroke; weakness down the left side.",
        "Parkinson's disease, diagnosed some years ago, with increasing falls.",
        "Osteoarthritis in both knees and hips; walks short distances with a frame.",
        "COPD with breathlessness on exertion; uses home oxygen at night.",
        "Heart failure with swollen legs and fatigue; recent hospital admission.",
        "Multiple sclerosis with fatigue and poor balance.",
    ),
    "Physical support: Access and mobility only": (
        "Below-knee amputation; uses a wheelchair indoors.",
        "Severe arthritis limiting mobility outside the home.",
        "Spinal injury affecting mobility; independent with personal care.",
    ),
    d.MENTAL_HEALTH: (
        "Long-standing schizophrenia, supported by the community mental health team.",
        "Recurrent severe depression with periods of self-neglect.",
        "Bipolar affective disorder; several admissions in the past.",
        "Personality disorder with anxiety and periods of crisis.",
        "Psychosis, stable on medication but with poor motivation.",
    ),
    d.LEARNING_DISABILITY: (
        "Moderate learning disability and autism.",
        "Down's syndrome with a mild learning disability.",
        "Severe learning disability and epilepsy.",
        "Mild learning disability; anxious in unfamiliar places.",
    ),
    d.MEMORY: (
        "Alzheimer's disease with short-term memory loss.",
        "Vascular dementia; becomes disorientated, especially in the evening.",
        "Mixed dementia; forgets meals and medication without prompting.",
    ),
    "Sensory Support: Support for visual impairment": (
        "Registered severely sight impaired (macular degeneration).",
        "Glaucoma with very limited vision.",
    ),
    "Sensory Support: Support for hearing impairment": (
        "Profoundly deaf; uses British Sign Language.",
        "Severe hearing loss; hearing aids help only in quiet rooms.",
    ),
    "Sensory Support: Support for dual impairment": ("Deafblind: very limited sight and hearing.",),
    "Social support: Substance misuse support": (
        "Alcohol dependence with alcohol-related brain injury.",
        "Long-term drug use with poor physical health.",
    ),
    "Social Support: Asylum seeker support": (
        "Post-traumatic stress and poor physical health after travelling to the UK.",
    ),
    "Social support: Support for social isolation or other reason": (
        "Anxiety and low mood; lives alone with little contact with others.",
        "Chronic pain and fatigue; rarely leaves the house.",
    ),
}
IMPAIRMENT_OTHER = ("Long-term health condition affecting daily living.",)

ADULT_EVIDENCE = {
    "nutrition": (
        "Cannot stand long enough to prepare a meal; has lost weight since the spring.",
        "Forgets to eat unless prompted; fridge found with out-of-date food.",
        "Needs help to cut food and to use the cooker safely.",
    ),
    "personal_hygiene": (
        "Unable to get in or out of the bath; strip-washes with difficulty.",
        "Needs prompting and help to wash; has not showered for some weeks.",
        "Washing takes over an hour and leaves them exhausted.",
    ),
    "toilet_needs": (
        "Incontinent at night; needs help with pads and changing.",
        "Cannot get to the toilet in time without help; risk of falls at night.",
    ),
    "appropriately_clothed": (
        "Cannot manage buttons or fastenings; needs help to dress.",
        "Wears the same clothes for days unless prompted.",
    ),
    "use_home_safely": (
        "Several falls on the stairs; cannot get up without help.",
        "Has left the gas on; unsafe in the kitchen without supervision.",
        "Cannot use the stairs safely and now sleeps downstairs.",
    ),
    "habitable_home": (
        "Home is cluttered and unclean; bills have gone unpaid.",
        "Cannot manage cleaning or laundry; home has become unhygienic.",
    ),
    "relationships": (
        "Has lost contact with friends and family since becoming unwell.",
        "Very isolated; anxious about meeting people.",
    ),
    "work_training_education_volunteering": (
        "Wants to return to volunteering but cannot travel or cope alone.",
        "Left college course; needs support to take part in learning.",
    ),
    "local_facilities_services": (
        "Cannot use public transport alone; has not been out for weeks.",
        "Needs someone with them to go to the shops or appointments.",
    ),
    "caring_for_child": (
        "Struggles to get the children to school when unwell.",
        "Needs support to care for a teenage child at home.",
    ),
}
ADULT_ACHIEVED = (
    "Manages this independently at present.",
    "Family help with this and it is working well.",
    "Managing with equipment already in place.",
)
CARER_EVIDENCE = {
    "caring_for_child": (
        "Also looks after a young child; mornings are very difficult.",
        "Struggles to meet the needs of their own children alongside caring.",
    ),
    "caring_for_others": ("Also supports an elderly parent who lives nearby.",),
    "habitable_home": (
        "No time to keep on top of the housework; home is becoming unmanageable.",
        "Cannot keep up with laundry because of night-time incontinence.",
    ),
    "nutrition": (
        "Often skips meals because there is no time to cook.",
        "Eats irregularly; has lost weight since caring increased.",
    ),
    "relationships": (
        "Has lost touch with friends; cannot leave the person alone.",
        "Relationship with the rest of the family is under strain.",
    ),
    "work_training_education_volunteering": (
        "Has had to reduce working hours and may have to give up work.",
        "Had to give up a college course to care.",
    ),
    "local_facilities_services": (
        "Cannot get to their own GP appointments.",
        "Cannot go out for more than an hour at a time.",
    ),
    "recreational_activities": (
        "Has no time for any interests or breaks from caring.",
        "Gave up swimming and the choir since caring increased.",
    ),
}
WELLBEING_IMPACT = (
    "Low mood, anxiety and a loss of independence; the person says they feel 'trapped'.",
    "Risk to physical health and safety from falls and poor diet.",
    "Loss of dignity and control over day-to-day life.",
    "Increasing isolation and loss of contact with the community.",
    "Family relationships are under strain and the current arrangements may break down.",
)
NO_SIGNIFICANT_IMPACT = (
    "Some impact on wellbeing but it is not significant: current arrangements are working.",
    "Wellbeing is maintained with family support and universal services.",
)
WHAT_MATTERS = (
    "Staying in their own home and keeping their independence.",
    "Getting back to the allotment and seeing friends at the social club.",
    "Being able to go to church on Sundays.",
    "Keeping their dog and being able to walk her each day.",
    "Not being a burden on the family.",
    "Having a routine and knowing who is coming each day.",
    "Going back to work part time.",
    "Seeing the grandchildren regularly.",
)
STRENGTHS = (
    "Determined and keen to do as much as possible for themselves.",
    "Good relationship with neighbours who look in most days.",
    "Manages their own money and medication well.",
    "Good sense of humour; engaged well in the assessment.",
    "Close to family who live nearby.",
    "Knows what helps when they are unwell.",
)
INFORMAL_SUPPORT = (
    "Daughter visits most days and does the shopping.",
    "Son lives nearby and helps at weekends.",
    "Partner provides most of the care but is finding it harder.",
    "A neighbour collects prescriptions.",
    "No family nearby; a friend phones every evening.",
    "",
)
FLUCTUATING = (
    "Needs are worse in the evenings and after a bad night.",
    "Needs fluctuate with mental state: much higher when unwell.",
    "Good and bad days; on bad days cannot get out of bed.",
)
APPROPRIATE_INDIVIDUAL = (
    "Daughter (next of kin), who attends visits",
    "Son, who holds lasting power of attorney",
    "Sister, who supports with appointments",
    "Partner, who is involved in all decisions",
)
ADVOCATE = "Independent advocate, Wessex Advocacy Hub"
CARE_PROVIDED = (
    "Personal care morning and evening, medication and all meals.",
    "Supervision day and night; helps with washing and dressing.",
    "Emotional support, managing appointments and finances.",
    "Shopping, cooking, cleaning and taking them to appointments.",
    "Helps with mobility and toileting, including at night.",
)
CARER_HEALTH = (
    "Back pain from helping with transfers; poor sleep.",
    "Anxiety and low mood; seeing the GP.",
    "Own long-term condition is getting worse.",
    "Generally well but exhausted.",
)
CARER_WILLING = (
    "Willing to continue caring with regular breaks.",
    "Wants to keep caring but cannot continue at the current level.",
    "Willing to carry on, but not able to provide personal care at night.",
)
PREVENTION_ADVICE = (
    "Information given about local community groups, the falls prevention service and "
    "equipment to buy privately.",
    "Signposted to the voluntary sector befriending service and the carers' centre.",
    "Advice on adaptations and assistive technology; contact the front door if needs change.",
    "Referred to the community health team; information about day opportunities given.",
    "Information on paying for care and the council's information and advice service.",
)
NEXT_STEPS_ELIGIBLE = (
    "Move to care and support planning.",
    "Agree the support plan with the person and their family.",
)
NEXT_STEPS_NOT_ELIGIBLE = (
    "Close with information and advice.",
    "No further action; the person knows how to get back in touch.",
)
HOW_MET = {
    "nutrition": "Support with a hot meal at lunchtime and a snack left for the evening.",
    "personal_hygiene": "Help to wash or shower each morning.",
    "toilet_needs": "Help with toileting and continence, including at night.",
    "appropriately_clothed": "Help to dress in the morning and undress at night.",
    "use_home_safely": "Pendant alarm and support to move around the home safely.",
    "habitable_home": "Help to keep the home clean and manage laundry.",
    "relationships": "Support to keep in touch with family and friends.",
    "work_training_education_volunteering": "Support to take part in learning or volunteering.",
    "local_facilities_services": "Support to get out into the community each week.",
    "caring_for_child": "Support with the school run and the children's routines.",
    "caring_for_others": "Support so the carer can also help the other person they care for.",
    "recreational_activities": "Regular breaks so the carer can keep up their own interests.",
}
OUTCOMES_WANTED = (
    "To stay living at home safely and see family regularly.",
    "To feel less anxious and get out of the house at least twice a week.",
    "To be safe, well fed and comfortable.",
    "To keep as much independence as possible.",
    "To have a regular break from caring.",
)
CONTINGENCY = (
    "If carers cannot visit, the provider's on-call team will cover; family as back-up.",
    "If the carer is unwell, the emergency carers' card is activated.",
    "Daughter to be contacted first; out-of-hours social care if she is not available.",
    "If the placement breaks down, contact the duty team for an urgent review.",
)
INFORMATION_AND_ADVICE = (
    "Information about charging and the financial assessment given.",
    "Leaflets about the carers' centre and local groups given.",
    "Advice on assistive technology and the council's equipment service.",
    "",
)
REQUESTED_BY = {
    "Unplanned - Hospital (Planned and unplanned episodes)": (
        "Hospital Discharge Team",
        "Admitted to hospital; needs may have changed on discharge.",
    ),
    "Unplanned - Carer related": (
        "The person's main carer",
        "Carer can no longer provide the same level of support.",
    ),
    "Unplanned - Safeguarding concern": (
        "Safeguarding Adults Team",
        "Safeguarding concern raised about the care and support.",
    ),
    "Unplanned - Other Reason": (
        "The person",
        "Asked for a review because the support is not meeting their needs.",
    ),
    "Unplanned - Provider Failure": (
        "Commissioning Team",
        "The provider is handing back the package of care.",
    ),
    "Unplanned - Change in Commissioning arrangements": (
        "Commissioning Team",
        "Change in contract: the support needs to be arranged differently.",
    ),
}
OUTCOMES_ACHIEVED = {
    d.CONTINUES: (
        "Support is working well; outcomes are being met and no change is needed.",
        "Settled; the person is happy with their support.",
        "Outcomes largely met; small changes to visit times agreed with the provider.",
    ),
    d.TO_SERVICES: ("Needs have increased; the support plan needs to change.",),
    d.TO_ASSESSMENT: ("Significant change in needs: a reassessment is needed.",),
}
OUTCOMES_ACHIEVED_OTHER = ("Support ending; outcomes reviewed with the person and family.",)
DP_WORKING = (
    "Direct payment is working well; records and receipts are in order.",
    "Personal assistant in place; account reviewed and balance is reasonable.",
    "Some difficulty recruiting a personal assistant; support from the payroll service offered.",
)
PAID_TO = (("person", 80.0), ("authorised_person", 12.0), ("nominated_person", 8.0))

# Outcomes likely to be unable to be achieved, by broad need (weights in statutory order).
_ADULT_KEYS = tuple(eligibility.ADULT_OUTCOMES)
_CARER_KEYS = tuple(eligibility.CARER_OUTCOMES)
OUTCOME_WEIGHTS = {
    "physical": (8, 9, 6, 7, 8, 5, 2, 1, 5, 1),
    "mental_health": (6, 5, 1, 3, 4, 7, 7, 5, 7, 2),
    "learning_disability": (7, 6, 3, 4, 5, 5, 6, 6, 7, 1),
    "memory": (8, 7, 6, 6, 8, 6, 3, 1, 5, 1),
}
CARER_WEIGHTS = (1, 1, 4, 3, 5, 4, 4, 7)


def _need_group(psr: str) -> str:
    if psr == d.MENTAL_HEALTH or psr.startswith("Social"):
        return "mental_health"
    if psr == d.LEARNING_DISABILITY:
        return "learning_disability"
    if psr == d.MEMORY:
        return "memory"
    return "physical"


def _json(value) -> str:
    return json.dumps(value)  # as JSONField.get_prep_value writes it


def weekly_cost(unit_cost: Decimal, frequency: str, units: Decimal) -> Decimal:
    """``PlannedService.weekly_cost``."""
    factor = WEEKLY_FACTOR.get(frequency, Decimal(0))
    return (unit_cost * units * factor).quantize(PENNY)


def review_schedule(
    approved_on: dt.date,
    done: Sequence[tuple[dt.date, str]],
    first_payment_on: dt.date | None,
    requested_on: dt.date | None = None,
) -> list[reviews.ReviewDue]:
    """``planning.services.review_schedule`` for an approved plan, from its completed reviews
    as (completed_on, kind) pairs."""
    due = reviews.reviews_due(
        plan_approved_on=approved_on,
        reviews_completed=sorted(day for day, k in done if k not in DP_REVIEW_KINDS),
        first_direct_payment_on=first_payment_on,
        direct_payment_reviews_completed=sorted(day for day, k in done if k in DP_REVIEW_KINDS),
        unplanned_requested_on=requested_on,
    )
    return sorted(due, key=lambda r: r.due)


@dataclass(slots=True)
class FirstIds:
    ras: int = 1
    assessment: int = 1
    determination: int = 1
    plan: int = 1
    service: int = 1
    direct_payment: int = 1
    decision: int = 1
    review: int = 1


@dataclass(slots=True)
class Pathway:
    ras: list[tuple] = field(default_factory=list)
    assessments: list[tuple] = field(default_factory=list)
    determinations: list[tuple] = field(default_factory=list)
    plans: list[tuple] = field(default_factory=list)
    services: list[tuple] = field(default_factory=list)
    direct_payments: list[tuple] = field(default_factory=list)
    decisions: list[tuple] = field(default_factory=list)
    reviews: list[tuple] = field(default_factory=list)


@dataclass(slots=True)
class _Asmt:
    pk: int
    row: list  # the assessment event
    kind: str
    eligible: bool
    completed_on: dt.date
    assessor: int
    outcomes: dict[str, list[str]]  # outcome -> limbs (empty: achieved)
    outcomes_unable: tuple[str, ...]
    informal_support: str


@dataclass(slots=True)
class _Plan:
    pk: int
    person: int
    asmt: _Asmt
    events: list[list]
    status: str
    start: dt.date
    end: dt.date | None
    approved_by: int
    supersedes: int | None
    services: list[tuple] = field(default_factory=list)  # PlannedService rows
    dp_weekly: Decimal = Decimal(0)
    first_payment_on: dt.date | None = None
    paid_to: str = "person"
    needs: dict = field(default_factory=dict)
    texts: tuple[str, str, str] = ("", "", "")  # outcomes_wanted, contingency, information
    ras: tuple[int | None, int | None, Decimal | None] = (None, None, None)
    team: int | None = None


def generate(
    people: Sequence[PersonSim],
    events: Sequence[list],
    rng: random.Random,
    ctx: Context,
    first: FirstIds,
    *,
    admin: int | None,
    demo_teams: Sequence[int],
    aware: Callable[[dt.date, int], dt.datetime],
) -> Pathway:
    """Every pathway row for the county (see the module docstring)."""
    return _Builder(people, events, rng, ctx, first, aware).run(admin, demo_teams)


class _Builder:
    def __init__(self, people, events, rng, ctx, first: FirstIds, aware):
        self.people, self.events, self.rng, self.ctx = people, events, rng, ctx
        self.first, self.aware = first, aware
        self.out = Pathway()
        self.by_id: dict[int, list] = {}
        self.review_events: dict[int, list[list]] = {}
        self.plans: list[_Plan] = []
        self._budget_cache: dict[tuple, ras.RasResult] = {}

    # -- helpers ----------------------------------------------------------------------------

    def pick(self, options: Sequence[str]) -> str:
        return options[self.rng.randrange(len(options))]

    def worker_for(self, row: list) -> int:
        """The event's worker; a caseholder of its team (or its manager) when none is named."""
        worker = row[E_WORKER]
        if worker is not None:
            return worker
        team = row[E_TEAM]
        staff = self.ctx.caseholders.get(team)
        if staff:
            return staff[self.rng.randrange(len(staff))]
        manager = self.ctx.managers.get(team)
        if manager is not None:
            return manager
        return next(iter(self.ctx.managers.values()))

    def request_for(self, row: list) -> int | None:
        """The request this assessment follows (through a reablement service if need be)."""
        seen = 0
        follows = row[E_FOLLOWS]
        while follows is not None and seen < 5:
            prev = self.by_id.get(follows)
            if prev is None:
                return None
            if prev[E_TYPE] == cld.REQUEST:
                return prev[E_ID]
            follows, seen = prev[E_FOLLOWS], seen + 1
        return None

    # -- run --------------------------------------------------------------------------------

    def run(self, admin, demo_teams) -> Pathway:
        by_person: dict[int, list[list]] = {}
        earliest = self.ctx.start
        for row in self.events:
            self.by_id[row[E_ID]] = row
            by_person.setdefault(row[E_PERSON], []).append(row)
            if row[E_TYPE] == cld.REVIEW:
                self.review_events.setdefault(row[E_PERSON], []).append(row)
            if row[E_START] < earliest:
                earliest = row[E_START]
        self._ras(admin, earliest)
        for p in self.people:
            rows = by_person.get(p.pk)
            if rows:
                self._person(p, sorted(rows, key=lambda r: (r[E_START], r[E_ID])))
        for plan in self.plans:
            self._write_plan(plan)
        self._revisions(demo_teams)
        return self.out

    def _ras(self, admin: int | None, earliest: dt.date) -> None:
        scheme = ras.scheme_to_dict(ras.DEFAULT_SCHEME)
        self.out.ras.append(
            (
                self.first.ras,
                ras.DEFAULT_SCHEME.version,
                _json(scheme),
                earliest,
                "The council's resource allocation system when its records moved to CareBridge "
                "(synthetic example scheme).",
                self.aware(self.ctx.start, 9 * 60 + 30),
                admin,
            )
        )

    def _person(self, p: PersonSim, rows: list[list]) -> None:
        asmts: list[_Asmt] = []
        previous: dict[str, int] = {}
        for row in rows:
            if row[E_TYPE] != cld.ASSESSMENT or row[E_CANCELLED]:
                continue
            if row[E_ASSESSMENT_TYPE] != d.LONG_TERM_ASSESSMENT:
                continue
            if row[E_END] is None:
                self._draft(p, row, previous)
            elif row[E_OUTCOME] != d.DECEASED:
                a = self._completed(p, row, rows, previous)
                asmts.append(a)
        if not asmts:
            return
        prev_plan: _Plan | None = None
        services = [
            r
            for r in rows
            if r[E_TYPE] == cld.SERVICE
            and (
                cld.is_long_term_support(r[E_SERVICE_TYPE])
                or r[E_SERVICE_TYPE].startswith(CARER_SUPPORT_PREFIX)
            )
        ]
        for start, group in _by_start(services):
            asmt = next(
                (a for a in reversed(asmts) if a.eligible and a.completed_on <= start), None
            )
            if asmt is None:
                continue
            end = None if any(r[E_END] is None for r in group) else max(r[E_END] for r in group)
            supersedes = None
            if (
                prev_plan is not None
                and prev_plan.asmt is asmt
                and prev_plan.end is not None
                and prev_plan.end + DAY >= start
            ):
                supersedes = prev_plan.pk
            team = group[0][E_TEAM] if group[0][E_TEAM] is not None else asmt.row[E_TEAM]
            manager = self.ctx.managers.get(team) or self.ctx.managers.get(asmt.row[E_TEAM])
            plan = _Plan(
                pk=self.first.plan + len(self.plans),
                person=p.pk,
                asmt=asmt,
                events=group,
                status=APPROVED if end is None else ENDED,
                start=start,
                end=end,
                approved_by=manager if manager is not None else asmt.assessor,
                supersedes=supersedes,
                team=team,
            )
            self.plans.append(plan)
            prev_plan = plan

    # -- assessments -----------------------------------------------------------------------

    def _answers(self, p: PersonSim, kind: str, eligible: bool, draft: bool = False) -> dict:
        rng, pick = self.rng, self.pick
        a: dict = {}
        if kind == ADULT:
            a["needs_arise_from_impairment_or_illness"] = eligible or rng.random() < 0.9
            a["impairment_or_illness"] = pick(IMPAIRMENT.get(p.psr, IMPAIRMENT_OTHER))
            keys, weights = _ADULT_KEYS, OUTCOME_WEIGHTS[_need_group(p.psr)]
            evidence, limb_keys = ADULT_EVIDENCE, eligibility.ADULT_LIMBS
        else:
            a["provides_necessary_care"] = eligible or rng.random() < 0.95
            a["care_provided"] = pick(CARE_PROVIDED)
            a["health_at_risk_of_deterioration"] = eligible and rng.random() < 0.6
            a["carer_health"] = pick(CARER_HEALTH)
            a["carer_willing_and_able"] = pick(CARER_WILLING)
            keys, weights = _CARER_KEYS, CARER_WEIGHTS
            evidence, limb_keys = CARER_EVIDENCE, eligibility.CARER_LIMBS
        limbs_all = tuple(limb_keys)
        minimum = 2 if kind == ADULT else 1
        impact = True
        if eligible:
            n = min(len(keys), minimum + int(rng.expovariate(1 / 1.6)))
            if kind == CARER and a["health_at_risk_of_deterioration"] and rng.random() < 0.3:
                n = 0  # eligible on health grounds alone (reg 3(2)(a))
        else:
            x = rng.random()
            # Not eligible: too few outcomes, or outcomes without a significant impact.
            if x < 0.6:
                n = rng.randint(0, minimum - 1)
            else:
                n = rng.randint(minimum, minimum + 1)
                impact = False
            if kind == CARER and n == 0:
                a["health_at_risk_of_deterioration"] = False
        chosen = _weighted_sample(rng, keys, weights, n)
        outcomes: dict[str, dict] = {}
        for key in keys:  # statutory order, as the form saves them
            if key in chosen:
                count = 1 if rng.random() < 0.6 else 2
                limbs = sorted(rng.sample(limbs_all, count), key=limbs_all.index)
                outcomes[key] = {"limbs": limbs, "evidence": pick(evidence[key])}
        if kind == ADULT and rng.random() < 0.3:
            spare = [k for k in keys if k not in outcomes]
            if spare:
                key = spare[rng.randrange(len(spare))]
                outcomes[key] = {"limbs": [], "evidence": pick(ADULT_ACHIEVED)}
                outcomes = {k: outcomes[k] for k in keys if k in outcomes}
        if draft and rng.random() < 0.5:
            outcomes = dict(list(outcomes.items())[: rng.randint(0, len(outcomes))])
        a["outcomes"] = outcomes
        a["fluctuating_needs"] = pick(FLUCTUATING) if rng.random() < 0.25 else ""
        a["significant_impact_on_wellbeing"] = impact
        a["wellbeing_impact"] = pick(WELLBEING_IMPACT) if impact else pick(NO_SIGNIFICANT_IMPACT)
        a["what_matters"] = pick(WHAT_MATTERS)
        a["strengths"] = pick(STRENGTHS)
        a["informal_support"] = pick(INFORMAL_SUPPORT)
        hard = 0.4 if p.psr in (d.MEMORY, d.LEARNING_DISABILITY) else 0.05
        difficulty = kind == ADULT and rng.random() < hard
        a["substantial_difficulty_being_involved"] = difficulty
        a["appropriate_individual"] = ""
        a["advocate"] = ""
        a["advocate_referred_on"] = None
        if difficulty:
            if rng.random() < 0.7:
                a["appropriate_individual"] = pick(APPROPRIATE_INDIVIDUAL)
            else:
                a["advocate"] = ADVOCATE
        if draft:  # a draft is filled in section by section: later sections may be empty
            filled = rng.randint(1, 5)
            if filled < 5:
                a["substantial_difficulty_being_involved"] = None
                a["appropriate_individual"] = a["advocate"] = ""
            if filled < 4:
                a["what_matters"] = a["strengths"] = a["informal_support"] = ""
            if filled < 3:
                a["significant_impact_on_wellbeing"] = None
                a["wellbeing_impact"] = ""
            if filled < 2:
                a["outcomes"], a["fluctuating_needs"] = {}, ""
        return a

    def _assessment_row(
        self, pk: int, p: PersonSim, row: list, kind: str, answers: dict, status: str, **extra
    ) -> tuple:
        blank_carer = kind == ADULT
        return (
            pk,
            p.pk,
            kind,
            status,
            p.cared_for.pk if kind == CARER and p.cared_for is not None else None,
            self.request_for(row),
            row[E_ID],
            extra["previous"],
            row[E_START],
            extra["completed_on"],
            extra["assessor"],
            row[E_TEAM],
            row[E_METHOD_OF_ASSESSMENT],
            answers.get("needs_arise_from_impairment_or_illness"),
            answers.get("impairment_or_illness", ""),
            None if blank_carer else answers["provides_necessary_care"],
            "" if blank_carer else answers["care_provided"],
            None if blank_carer else answers["health_at_risk_of_deterioration"],
            "" if blank_carer else answers["carer_health"],
            "" if blank_carer else answers["carer_willing_and_able"],
            _json(answers["outcomes"]),
            answers["fluctuating_needs"],
            answers["significant_impact_on_wellbeing"],
            answers["wellbeing_impact"],
            answers["what_matters"],
            answers["strengths"],
            answers["informal_support"],
            answers["substantial_difficulty_being_involved"],
            answers["appropriate_individual"],
            answers["advocate_referred_on"],
            answers["advocate"],
            extra["version"],
            extra["created_at"],
            extra["updated_at"],
            extra["assessor"],
        )

    def _completed(self, p: PersonSim, row: list, rows: list[list], previous: dict) -> _Asmt:
        rng = self.rng
        kind = CARER if row[E_CLIENT] == cld.UNPAID_CARER else ADULT
        led_to_services = row[E_OUTCOME] == d.TO_SERVICES or any(
            r[E_FOLLOWS] == row[E_ID] and r[E_TYPE] == cld.SERVICE for r in rows
        )
        eligible = led_to_services or (
            rng.random() < ELIGIBLE_WITHOUT_SERVICES.get(row[E_OUTCOME], 0.0)
        )
        answers = self._answers(p, kind, eligible)
        started, completed = row[E_START], row[E_END]
        if answers["advocate"]:
            span = (completed - started).days
            answers["advocate_referred_on"] = started + dt.timedelta(days=rng.randint(0, span))
        outcomes = {k: v["limbs"] for k, v in answers["outcomes"].items()}
        frozen = {k: frozenset(v) for k, v in outcomes.items()}
        if kind == ADULT:
            needs = eligibility.AdultNeeds(
                needs_arise_from_impairment_or_illness=answers[
                    "needs_arise_from_impairment_or_illness"
                ],
                outcomes=frozen,
                significant_impact_on_wellbeing=answers["significant_impact_on_wellbeing"],
            )
        else:
            needs = eligibility.CarerNeeds(
                needs_arise_from_providing_necessary_care=answers["provides_necessary_care"],
                health_at_risk_of_deterioration=answers["health_at_risk_of_deterioration"],
                outcomes=frozen,
                significant_impact_on_wellbeing=answers["significant_impact_on_wellbeing"],
            )
        result = eligibility.determine(needs)
        assessor = self.worker_for(row)
        pk = self.first.assessment + len(self.out.assessments)
        started_min = rng.randint(9 * 60, 16 * 60)
        created = self.aware(started, started_min)
        done_min = rng.randint(started_min + 30 if completed == started else 9 * 60, 17 * 60 + 30)
        finished = self.aware(completed, done_min)
        self.out.assessments.append(
            self._assessment_row(
                pk,
                p,
                row,
                kind,
                answers,
                COMPLETED,
                previous=previous.get(kind),
                completed_on=completed,
                assessor=assessor,
                version=2 + rng.randint(2, 7),  # created, several saves, completed
                created_at=created,
                updated_at=finished,
            )
        )
        previous[kind] = pk
        self.out.determinations.append(
            (
                self.first.determination + len(self.out.determinations),
                pk,
                p.pk,
                kind,
                result.eligible,
                _json(list(result.outcomes_unable)),
                _json(list(result.reasons)),
                result.regulation,
                completed,
                assessor,
                "" if result.eligible else self.pick(PREVENTION_ADVICE),
                self.pick(NEXT_STEPS_ELIGIBLE if result.eligible else NEXT_STEPS_NOT_ELIGIBLE),
                finished,
            )
        )
        return _Asmt(
            pk=pk,
            row=row,
            kind=kind,
            eligible=result.eligible,
            completed_on=completed,
            assessor=assessor,
            outcomes=outcomes,
            outcomes_unable=result.outcomes_unable,
            informal_support=answers["informal_support"],
        )

    def _draft(self, p: PersonSim, row: list, previous: dict) -> None:
        rng = self.rng
        kind = CARER if row[E_CLIENT] == cld.UNPAID_CARER else ADULT
        answers = self._answers(p, kind, rng.random() < 0.7, draft=True)
        if answers["advocate"]:
            answers["advocate_referred_on"] = row[E_START]
        started = row[E_START]
        saved_on = started + dt.timedelta(
            days=rng.randint(0, max(0, (self.ctx.until - started).days))
        )
        pk = self.first.assessment + len(self.out.assessments)
        self.out.assessments.append(
            self._assessment_row(
                pk,
                p,
                row,
                kind,
                answers,
                DRAFT,
                previous=previous.get(kind),
                completed_on=None,
                assessor=self.worker_for(row),
                version=1 + rng.randint(1, 5),
                created_at=self.aware(started, rng.randint(9 * 60, 12 * 60)),
                updated_at=self.aware(saved_on, rng.randint(12 * 60, 17 * 60 + 30)),
            )
        )

    # -- plans ------------------------------------------------------------------------------

    def _budget(self, asmt: _Asmt) -> tuple[int | None, int | None, Decimal | None]:
        if asmt.kind != ADULT:
            return None, None, None  # as start_plan: no RAS for a carer's support plan
        eligible = tuple((k, tuple(asmt.outcomes.get(k, ()))) for k in asmt.outcomes_unable)
        result = self._budget_cache.get(eligible)
        if result is None:
            result = ras.indicative_budget(ras.DEFAULT_SCHEME, dict(eligible))
            self._budget_cache[eligible] = result
        return ras.DEFAULT_SCHEME.version, result.points, result.weekly_amount

    def _needs(self, asmt: _Asmt, mechanisms: set[str]) -> dict:
        rng = self.rng
        needs = {}
        for key in asmt.outcomes_unable:
            means = []
            if mechanisms - {d.DIRECT_PAYMENT}:
                means.append("commissioned_services")
            if d.DIRECT_PAYMENT in mechanisms:
                means.append("direct_payment")
            if rng.random() < 0.35:
                means.append("informal_support")
            if rng.random() < 0.15:
                means.append("community_resources")
            if rng.random() < 0.1:
                means.append("technology_enabled_care")
            if not means:
                means.append("informal_support")
            needs[key] = {"how_met": HOW_MET[key], "means": means}
        return needs

    def _service_rows(self, plan_pk: int, group: Sequence[list], with_events: bool, change=None):
        rows = []
        dp = Decimal(0)
        for r in group:
            frequency = r[E_FREQUENCY]
            units = r[E_UNITS]
            if units is None:
                units = Decimal(1) if frequency == d.ONE_OFF else Decimal(0)
            cost = r[E_UNIT_COST] if r[E_UNIT_COST] is not None else Decimal("0.00")
            if change is not None:
                cost, units = change(frequency, cost, units)
            units = units.quantize(PENNY)
            if r[E_MECHANISM] == d.DIRECT_PAYMENT:
                dp += weekly_cost(cost, frequency, units)
            rows.append(
                (
                    self.first.service + len(self.out.services) + len(rows),
                    plan_pk,
                    _describe(r[E_COMPONENT], frequency, units),
                    r[E_SERVICE_TYPE],
                    r[E_COMPONENT],
                    r[E_MECHANISM],
                    r[E_PROVIDER],
                    cost,
                    frequency,
                    units,
                    r[E_ID] if with_events else None,
                )
            )
        return rows, dp.quantize(PENNY)

    def _write_plan(self, plan: _Plan) -> None:
        rng, out, asmt = self.rng, self.out, plan.asmt
        services, plan.dp_weekly = self._service_rows(plan.pk, plan.events, True)
        plan.services = services
        mechanisms = {r[E_MECHANISM] for r in plan.events}
        plan.needs = self._needs(asmt, mechanisms)
        plan.ras = self._budget(asmt)
        plan.texts = (
            self.pick(OUTCOMES_WANTED),
            self.pick(CONTINGENCY),
            self.pick(INFORMATION_AND_ADVICE),
        )
        approved_on = plan.start
        # Written after the assessment, submitted a few days before sign-off.
        lo = asmt.completed_on
        submitted_on = max(lo, approved_on - dt.timedelta(days=rng.randint(1, 6)))
        created_on = lo + dt.timedelta(days=rng.randint(0, max(0, (submitted_on - lo).days)))
        created_at = self.aware(created_on, rng.randint(9 * 60, 11 * 60))
        submitted_at = self.aware(submitted_on, rng.randint(11 * 60, 14 * 60))
        approved_at = self.aware(approved_on, rng.randint(14 * 60, 17 * 60 + 30))
        dp_row = None
        if plan.dp_weekly > 0:
            plan.first_payment_on = approved_on + dt.timedelta(days=rng.randint(3, 14))
            plan.paid_to = _weighted(rng, PAID_TO)
            signed = max(lo, approved_on - dt.timedelta(days=rng.randint(0, 7)))
            dp_row = (
                self.first.direct_payment + len(out.direct_payments),
                plan.pk,
                plan.dp_weekly,
                approved_on,
                signed,
                plan.paid_to,
                plan.first_payment_on,
            )
            out.direct_payments.append(dp_row)
        done = self._reviews(plan)
        next_due, next_kind = None, ""
        if plan.status == APPROVED:
            schedule = review_schedule(approved_on, done, plan.first_payment_on)
            if schedule:
                next_due, next_kind = schedule[0].due, schedule[0].kind
        # Touches: created, text saved, each service added, the direct payment, submitted,
        # approved (planning.services bumps ``version`` on each).
        version = 1 + 1 + len(services) + (dp_row is not None) + 2
        ras_version, ras_points, indicative = plan.ras
        outcomes_wanted, contingency, information = plan.texts
        out.plans.append(
            (
                plan.pk,
                plan.person,
                asmt.pk,
                plan.supersedes,
                plan.status,
                _json(plan.needs),
                outcomes_wanted,
                contingency,
                asmt.informal_support,
                information,
                ras_version,
                ras_points,
                indicative,
                None,
                plan.start,
                plan.end,
                approved_on,
                plan.approved_by,
                next_due,
                next_kind,
                version,
                created_at,
                asmt.assessor,
                approved_at,
                plan.approved_by,
            )
        )
        out.services.extend(services)
        self._decision(plan.pk, "submitted", asmt.assessor, submitted_at)
        self._decision(plan.pk, "approved", plan.approved_by, approved_at)

    def _decision(self, plan_pk: int, decision: str, by: int, at: dt.datetime) -> None:
        self.out.decisions.append(
            (self.first.decision + len(self.out.decisions), plan_pk, decision, by, at, "")
        )

    def _reviews(self, plan: _Plan) -> list[tuple[dt.date, str]]:
        """Completed reviews of the plan's services, each of the kind the schedule owed then."""
        rng, out = self.rng, self.out
        ids = {r[E_ID] for r in plan.events}
        rows = [
            r
            for r in self.review_events.get(plan.person, ())
            if r[E_FOLLOWS] in ids and r[E_END] is not None and r[E_END] >= plan.start
        ]
        rows.sort(key=lambda r: (r[E_END], r[E_START], r[E_ID]))
        done: list[tuple[dt.date, str]] = []
        for r in rows:
            reason = r[E_REVIEW_REASON]
            unplanned = reason.startswith("Unplanned")
            if unplanned:
                kind = reviews.UNPLANNED_REVIEW
                requested_by, request_reason = REQUESTED_BY.get(
                    reason, ("The person", "Asked for a review.")
                )
                requested_on = r[E_START]
            else:
                schedule = review_schedule(plan.start, done, plan.first_payment_on)
                kind = schedule[0].kind if schedule else reviews.ANNUAL_REVIEW
                requested_by = request_reason = ""
                requested_on = None
            outcome = r[E_OUTCOME]
            achieved = OUTCOMES_ACHIEVED.get(outcome, OUTCOMES_ACHIEVED_OTHER)
            out.reviews.append(
                (
                    self.first.review + len(out.reviews),
                    plan.person,
                    plan.pk,
                    kind,
                    COMPLETED,
                    requested_on,
                    requested_by,
                    request_reason,
                    reason,
                    r[E_METHOD],
                    r[E_END],
                    self.pick(achieved),
                    r[E_OUTCOMES_ACHIEVED],
                    self.pick(DP_WORKING) if plan.dp_weekly > 0 else "",
                    outcome,
                    outcome == d.TO_ASSESSMENT,
                    self.worker_for(r),
                    r[E_ID],
                    self.aware(r[E_END], rng.randint(10 * 60, 17 * 60 + 30)),
                )
            )
            done.append((r[E_END], kind))
        return done

    # -- revisions awaiting approval ---------------------------------------------------------

    def _revisions(self, demo_teams: Sequence[int]) -> None:
        """About one approved plan in a hundred in each demo team has a revision awaiting
        approval (never fewer than a few), so each demo team manager has a queue."""
        rng = self.rng
        by_person = {p.pk: p for p in self.people}
        by_team: dict[int, list[tuple[_Plan, int | None]]] = {t: [] for t in demo_teams}
        for pl in self.plans:
            alloc = by_person[pl.person].open_allocation
            if pl.status == APPROVED and alloc is not None and alloc[A_TEAM] in by_team:
                by_team[alloc[A_TEAM]].append((pl, alloc[A_WORKER]))
        chosen: list[tuple[_Plan, int, int | None]] = []
        for team, candidates in by_team.items():
            n = min(len(candidates), max(MIN_REVISIONS, round(len(candidates) * REVISION_SHARE)))
            chosen += [(pl, team, worker) for pl, worker in rng.sample(candidates, n)]
        chosen.sort(key=lambda c: c[0].pk)
        next_pk = self.first.plan + len(self.plans)
        for pl, team, worker in chosen:
            self._revision(next_pk, pl, team, worker)
            next_pk += 1

    def _revision(self, pk: int, old: _Plan, team: int, worker: int | None) -> None:
        rng, out, ctx = self.rng, self.out, self.ctx
        author = worker
        if author is None:
            staff = ctx.caseholders.get(team)
            author = staff[rng.randrange(len(staff))] if staff else old.asmt.assessor
        created_on = ctx.until - dt.timedelta(days=rng.randint(2, 30))
        submitted_on = min(ctx.until, created_on + dt.timedelta(days=rng.randint(0, 6)))
        created_at = self.aware(created_on, rng.randint(9 * 60, 12 * 60))
        submitted_at = self.aware(submitted_on, rng.randint(12 * 60 + 30, 17 * 60))
        start = ctx.until + dt.timedelta(days=rng.randint(3, 21))

        def more(frequency: str, cost: Decimal, units: Decimal) -> tuple[Decimal, Decimal]:
            if frequency == d.HOURLY:
                return cost, units + rng.randint(2, 7)
            if frequency == d.PER_SESSION:
                return cost, min(Decimal(7), units + 1)
            if frequency == d.WEEKLY:
                rise = Decimal(rng.randint(105, 125)) / 100
                return (cost * rise).quantize(PENNY), units
            return cost, units

        services, dp_weekly = self._service_rows(pk, old.events, False, change=more)
        dp = dp_weekly > 0
        if dp:
            out.direct_payments.append(
                (
                    self.first.direct_payment + len(out.direct_payments),
                    pk,
                    dp_weekly,
                    start,
                    None,
                    old.paid_to,
                    None,
                )
            )
        changed = sum(
            1 for new, was in zip(services, old.services, strict=True) if new[7:10] != was[7:10]
        )
        # created (services copied), text saved, each changed service removed and re-added,
        # the direct payment, submitted.
        version = 1 + 1 + 2 * changed + dp + 1
        ras_version, ras_points, indicative = old.ras
        outcomes_wanted, contingency, information = old.texts
        out.plans.append(
            (
                pk,
                old.person,
                old.asmt.pk,
                old.pk,
                SUBMITTED,
                _json({k: dict(v) for k, v in old.needs.items()}),
                outcomes_wanted,
                contingency,
                old.asmt.informal_support,
                information,
                ras_version,
                ras_points,
                indicative,
                None,
                start,
                None,
                None,
                None,
                None,
                "",
                version,
                created_at,
                author,
                submitted_at,
                author,
            )
        )
        out.services.extend(services)
        self._decision(pk, "submitted", author, submitted_at)


def _by_start(services: list[list]) -> list[tuple[dt.date, list[list]]]:
    groups: list[tuple[dt.date, list[list]]] = []
    for r in services:
        if groups and groups[-1][0] == r[E_START]:
            groups[-1][1].append(r)
        else:
            groups.append((r[E_START], [r]))
    return groups


def _weighted_sample(rng: random.Random, keys, weights, n: int) -> set[str]:
    pool, w = list(keys), list(weights)
    chosen: set[str] = set()
    for _ in range(min(n, len(pool))):
        i = rng.choices(range(len(pool)), weights=w)[0]
        chosen.add(pool.pop(i))
        w.pop(i)
    return chosen


def _weighted(rng: random.Random, table: Sequence[tuple[str, float]]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _describe(component: str, frequency: str, units: Decimal) -> str:
    n = f"{units.normalize():f}"
    if frequency == d.HOURLY:
        return f"{component}: {n} hours a week"
    if frequency == d.PER_SESSION:
        return f"{component}: {n} {'session' if units == 1 else 'sessions'} a week"
    if frequency == d.ONE_OFF:
        return f"{component} (one-off)"
    return component
