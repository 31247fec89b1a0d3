"""The seeded Care Act pathway: assessments, determinations, plans, direct payments and reviews
agree with the rules and with what the product itself would have written."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Count

from carebridge.assessments import answers
from carebridge.assessments.models import Assessment, EligibilityDetermination
from carebridge.casework.models import Event
from carebridge.core.access import Role
from carebridge.demo import pathway
from carebridge.demo.county import DEMO_ACCOUNTS
from carebridge.organisations.models import Team, Worker
from carebridge.planning import budget, selectors, services
from carebridge.planning import models as planning_models
from carebridge.planning.models import (
    CarePlan,
    DirectPaymentAgreement,
    PlanDecision,
    PlannedService,
    ResourceAllocationScheme,
    Review,
)
from carebridge.rules import cld, eligibility, ras, reviews

from .conftest import UNTIL

pytestmark = pytest.mark.django_db

LONG_TERM_ASSESSMENT = "Long term assessment"


def approved_plans():
    return CarePlan.objects.filter(status=CarePlan.Status.APPROVED)


def test_report_counts_match_the_database(seeded):
    for label, model in (
        ("RAS versions", ResourceAllocationScheme),
        ("assessments", Assessment),
        ("eligibility determinations", EligibilityDetermination),
        ("care plans", CarePlan),
        ("planned services", PlannedService),
        ("direct payments", DirectPaymentAgreement),
        ("plan decisions", PlanDecision),
        ("plan reviews", Review),
    ):
        assert seeded.counts[label] == model.objects.count(), label
    assert seeded.counts["assessments"] > 0
    assert seeded.counts["care plans"] > 0
    assert 0 < seeded.measures["share of them with a review overdue that day"] < 1


def test_one_ras_version_from_the_default_scheme_by_an_administrator(seeded):
    row = ResourceAllocationScheme.objects.get()
    assert row.version == 1
    assert ras.scheme_from_dict(row.scheme) == ras.DEFAULT_SCHEME
    assert row.created_by.role == Role.SYSTEM_ADMINISTRATOR
    assert row.effective_from == Event.objects.order_by("start_date").first().start_date
    # The product prices new plans with it.
    scheme, stored = services.current_scheme(UNTIL)
    assert stored == row and scheme == ras.DEFAULT_SCHEME


def test_json_fields_read_back_as_dicts_and_lists(seeded):
    a = Assessment.objects.filter(status=Assessment.Status.COMPLETED).exclude(outcomes={}).first()
    assert isinstance(a.outcomes, dict) and a.outcomes
    first = next(iter(a.outcomes.values()))
    assert isinstance(first, dict) and isinstance(first["limbs"], list)
    det = EligibilityDetermination.objects.filter(eligible=True).first()
    assert isinstance(det.outcomes_unable, list) and det.outcomes_unable
    assert isinstance(det.reasons, list) and all(isinstance(r, str) for r in det.reasons)
    plan = approved_plans().first()
    assert isinstance(plan.needs, dict) and plan.needs
    assert all(isinstance(v["means"], list) for v in plan.needs.values())
    assert isinstance(ResourceAllocationScheme.objects.get().scheme, dict)
    # JSON lookups work on the stored values (they are JSON, not strings of JSON).
    assert Assessment.objects.filter(outcomes__has_key="nutrition").exists()
    assert Assessment.objects.filter(outcomes__nutrition__limbs__0__isnull=False).exists()
    assert EligibilityDetermination.objects.filter(outcomes_unable__0="nutrition").exists()


def test_every_determination_agrees_with_the_eligibility_rules(seeded):
    completed = list(
        Assessment.objects.filter(status=Assessment.Status.COMPLETED).select_related(
            "determination", "event"
        )
    )
    assert completed
    kinds = Counter()
    for a in completed:
        det = a.determination
        result = eligibility.determine(answers.needs_for_rules(a))
        assert det.kind == a.kind == result.kind
        assert det.eligible is result.eligible
        assert det.outcomes_unable == list(result.outcomes_unable)
        assert det.reasons == list(result.reasons)
        assert det.regulation == result.regulation
        assert det.determined_on == a.completed_on
        assert det.determined_by_id == a.assessor_id
        assert det.person_id == a.person_id
        assert bool(det.prevention_advice) is not det.eligible
        # The product would have accepted these answers for completion.
        assert answers.missing_for_completion(a) == {}
        kinds[(a.kind, det.eligible)] += 1
    assert kinds[("adult", True)] and kinds[("adult", False)] and kinds[("carer", True)]


def test_assessments_follow_their_cld_events(seeded):
    for a in Assessment.objects.select_related("event", "request", "cared_for"):
        e = a.event
        assert e.person_id == a.person_id
        assert e.event_type == cld.ASSESSMENT and e.assessment_type == LONG_TERM_ASSESSMENT
        assert a.started_on == e.start_date and a.team_id == e.team_id
        if e.worker_id is not None:
            assert a.assessor_id == e.worker_id
        assert a.kind == ("carer" if e.client_type == cld.UNPAID_CARER else "adult")
        if a.status == Assessment.Status.COMPLETED:
            assert a.completed_on == e.end_date
        else:
            assert a.status == Assessment.Status.DRAFT
            assert e.end_date is None and a.completed_on is None
            assert not EligibilityDetermination.objects.filter(assessment=a).exists()
        if a.request is not None:
            assert a.request.event_type == cld.REQUEST and a.request.person_id == a.person_id
        if a.kind == "carer":
            assert a.cared_for.carers.filter(carer_id=a.person_id).exists()
        assert a.created_at <= a.updated_at


def test_assessments_that_led_to_services_are_eligible(seeded):
    led = Assessment.objects.filter(
        status=Assessment.Status.COMPLETED,
        event__outcome="Progress to support planning or services",
    )
    assert led.exists()
    assert not led.filter(determination__eligible=False).exists()
    # Most assessments that ended with advice or signposting found needs not eligible.
    advice = EligibilityDetermination.objects.filter(
        assessment__event__outcome="NFA: Information and advice or signposting"
    )
    assert advice.exists() and not advice.filter(eligible=True).exists()


def test_every_approved_plan_has_open_services_mirroring_its_events(seeded):
    plans = list(approved_plans().select_related("assessment__determination"))
    assert plans
    for plan in plans:
        assert plan.assessment.determination.eligible
        assert plan.assessment.person_id == plan.person_id
        svcs = list(plan.services.select_related("event"))
        assert svcs, plan
        for s in svcs:
            e = s.event
            assert e is not None and e.person_id == plan.person_id
            assert e.event_type == cld.SERVICE and e.end_date is None
            assert (s.service_type, s.service_component, s.delivery_mechanism) == (
                e.service_type,
                e.service_component,
                e.delivery_mechanism,
            )
            assert (s.provider_id, s.unit_cost, s.cost_frequency) == (
                e.provider_id,
                e.unit_cost,
                e.cost_frequency,
            )
            if e.planned_units_per_week is not None:
                assert s.planned_units_per_week == e.planned_units_per_week
            assert s.service_component in s.description
        assert plan.start_date == plan.approved_on == min(s.event.start_date for s in svcs)
        assert plan.approved_by.role == Role.TEAM_MANAGER
        assert plan.created_by_id == plan.assessment.assessor_id
        # What submit_plan would have insisted on.
        assert services.submission_problems(plan) == {}
        decisions = [d.decision for d in plan.decisions.all()]
        assert decisions == ["submitted", "approved"]


def test_every_person_with_open_long_term_support_after_an_eligible_assessment_has_a_plan(seeded):
    open_lts = set(
        Event.objects.filter(
            event_type=cld.SERVICE,
            end_date__isnull=True,
            service_type__startswith=cld.LONG_TERM_SUPPORT_PREFIX,
            person__assessments__determination__eligible=True,
        ).values_list("person_id", flat=True)
    )
    assert open_lts
    assert open_lts <= set(approved_plans().values_list("person_id", flat=True))


def test_indicative_budgets_come_from_the_ras(seeded):
    for plan in CarePlan.objects.select_related("assessment__determination"):
        a = plan.assessment
        assert set(plan.needs) == set(a.determination.outcomes_unable)
        if a.kind == "carer":
            assert plan.ras_version is plan.ras_points is plan.indicative_weekly is None
            continue
        outcomes = {k: a.outcomes[k]["limbs"] for k in a.determination.outcomes_unable}
        result = ras.indicative_budget(ras.DEFAULT_SCHEME, outcomes)
        assert plan.ras_version == 1
        assert (plan.ras_points, plan.indicative_weekly) == (result.points, result.weekly_amount)


def test_next_review_due_is_what_the_product_would_store(seeded):
    plans = list(approved_plans().select_related("direct_payment"))
    overdue = 0
    for plan in plans:
        schedule = services.review_schedule(plan)
        assert (plan.next_review_due, plan.next_review_kind) == (
            schedule[0].due,
            schedule[0].kind,
        )
        overdue += reviews.is_overdue(schedule[0], UNTIL)
    assert 0 < overdue < len(plans)  # a realistic county has some reviews overdue
    assert (
        not CarePlan.objects.exclude(status=CarePlan.Status.APPROVED)
        .exclude(next_review_due=None)
        .exists()
    )


def test_refreshing_the_review_schedule_changes_nothing(seeded):
    sample = list(approved_plans().order_by("pk")[:: max(1, approved_plans().count() // 15)])
    before = [(p.pk, p.next_review_due, p.next_review_kind) for p in sample]
    for plan in sample:
        services.refresh_review_schedule(plan)
    after = list(
        CarePlan.objects.filter(pk__in=[p.pk for p in sample])
        .order_by("pk")
        .values_list("pk", "next_review_due", "next_review_kind")
    )
    assert after == sorted(before)


def test_reviews_follow_completed_review_events_of_the_plan(seeded):
    rows = list(Review.objects.select_related("event", "plan"))
    assert rows
    planned_ids = dict(PlannedService.objects.values_list("event_id", "plan_id"))
    for r in rows:
        e = r.event
        assert r.status == Review.Status.COMPLETED and r.person_id == r.plan.person_id
        assert e.event_type == cld.REVIEW and e.person_id == r.person_id
        assert r.completed_on == e.end_date and r.completed_on >= r.plan.approved_on
        assert (r.cld_outcome, r.review_reason, r.method_of_review) == (
            e.outcome,
            e.review_reason,
            e.method_of_review,
        )
        assert planned_ids[e.follows_id] == r.plan_id
        unplanned = e.review_reason.startswith("Unplanned")
        assert (r.kind == reviews.UNPLANNED_REVIEW) is unplanned
        if unplanned:
            assert r.requested_on == e.start_date and r.request_reason
    assert {r.kind for r in rows} >= {reviews.FIRST_REVIEW, reviews.ANNUAL_REVIEW}


def test_direct_payments_match_the_direct_payment_services(seeded):
    agreements = list(DirectPaymentAgreement.objects.select_related("plan"))
    assert agreements
    for dp in agreements:
        plan = dp.plan
        weekly = sum(
            (s.weekly_cost for s in plan.services.all() if s.is_direct_payment), Decimal(0)
        )
        assert dp.weekly_amount == weekly == budget.summary(plan).direct_payment_weekly > 0
        if plan.status != CarePlan.Status.SUBMITTED:
            assert dp.start_date == plan.start_date
            assert dp.start_date < dp.first_payment_on <= dp.start_date + dt.timedelta(days=14)
    with_dp = {
        s.plan_id
        for s in PlannedService.objects.filter(delivery_mechanism="Direct payment")
        if s.weekly_cost > 0
    }
    assert with_dp == {dp.plan_id for dp in agreements}


def test_the_demo_team_manager_has_plans_awaiting_approval(seeded):
    tm = Worker.objects.get(username="tm.demo")
    queue = selectors.awaiting_approval(tm)
    assert len(queue) >= 1
    for plan in queue:
        assert plan.status == CarePlan.Status.SUBMITTED
        assert plan.submission is not None and plan.submission.at.date() <= UNTIL
        old = plan.supersedes
        assert old.status == CarePlan.Status.APPROVED and old.person_id == plan.person_id
        assert not plan.services.exclude(event=None).exists()  # events come on approval
        assert services.submission_problems(plan) == {}
    demo_teams = Team.objects.filter(
        workers__username__in=[a.username for a in DEMO_ACCOUNTS if a.role == "team_manager"]
    )
    submitted = CarePlan.objects.filter(status=CarePlan.Status.SUBMITTED)
    assert (
        submitted.count()
        == submitted.filter(
            person__allocations__ended_at__isnull=True, person__allocations__team__in=demo_teams
        ).count()
    )


def test_one_approved_plan_per_person(seeded):
    assert not (approved_plans().values("person").annotate(n=Count("id")).filter(n__gt=1).exists())
    plan = approved_plans().first()
    with pytest.raises(IntegrityError), transaction.atomic():
        CarePlan.objects.create(
            person=plan.person,
            assessment=plan.assessment,
            status=CarePlan.Status.APPROVED,
            created_by=plan.created_by,
        )


def test_ended_plans_are_superseded_or_finished(seeded):
    ended = list(CarePlan.objects.filter(status=CarePlan.Status.ENDED))
    assert ended
    for plan in ended:
        assert plan.end_date is not None and plan.end_date >= plan.start_date
        assert not plan.services.filter(event__end_date=None).exists()


def test_sequences_continue_after_the_seeded_rows(seeded):
    # Greater, not equal: PostgreSQL sequences do not roll back, so another test's failed
    # insert may have used a number.
    a = Assessment.objects.filter(status=Assessment.Status.COMPLETED).first()
    new = ResourceAllocationScheme.objects.create(
        version=2, scheme=ras.scheme_to_dict(ras.DEFAULT_SCHEME), effective_from=UNTIL
    )
    assert new.pk > seeded.counts["RAS versions"]
    plan = CarePlan.objects.create(person=a.person, assessment=a, created_by=a.assessor)
    assert plan.pk > seeded.counts["care plans"]
    review = Review.objects.create(
        person=a.person, plan=plan, kind=reviews.UNPLANNED_REVIEW, status="requested"
    )
    assert review.pk > seeded.counts["plan reviews"]
    again = Assessment.objects.create(
        person=a.person, kind="adult", started_on=UNTIL, assessor=a.assessor
    )
    assert again.pk > seeded.counts["assessments"]


def test_the_generator_costs_services_as_the_model_does():
    assert pathway.WEEKLY_FACTOR == planning_models.WEEKLY_FACTOR
    for frequency in (*planning_models.WEEKLY_FACTOR, "One-off", "No charge to client"):
        s = PlannedService(
            unit_cost=Decimal("123.45"),
            cost_frequency=frequency,
            planned_units_per_week=Decimal("3.50"),
        )
        assert pathway.weekly_cost(Decimal("123.45"), frequency, Decimal("3.50")) == s.weekly_cost


def test_completed_assessments_and_reviews_carry_their_cld_recording(seeded):
    """How each assessment was carried out and how far outcomes were met at each review, as a
    worker records them on completion, on the record and its CLD event alike: mostly face to
    face; mostly fully or partially met."""
    completed = Assessment.objects.filter(status=Assessment.Status.COMPLETED).select_related(
        "event"
    )
    methods = Counter()
    for a in completed:
        assert a.method_of_assessment and a.method_of_assessment == a.event.method_of_assessment
        methods[a.method_of_assessment] += 1
    assert set(methods) <= set(cld.codes(cld.METHOD_OF_ASSESSMENT))
    assert methods["Face to face"] > sum(methods.values()) / 2
    assert (
        not Assessment.objects.filter(status=Assessment.Status.DRAFT)
        .exclude(method_of_assessment="")
        .exists()
    )
    reviews_ = Review.objects.filter(status=Review.Status.COMPLETED).select_related("event")
    achieved = Counter()
    for r in reviews_:
        assert r.cld_outcomes_achieved == r.event.review_outcomes_achieved
        if cld.review_outcomes_required(r.review_reason):
            assert r.cld_outcomes_achieved
        achieved[r.cld_outcomes_achieved] += 1
    assert set(achieved) <= set(cld.codes(cld.REVIEW_OUTCOMES_ACHIEVED))
    assert achieved["Fully Met"] + achieved["Partially Met"] > 3 * achieved["Not Met"]
    unmet = Event.objects.filter(event_type=cld.ASSESSMENT, end_date__isnull=False, cancelled=False)
    assert not unmet.filter(method_of_assessment="").exists()
