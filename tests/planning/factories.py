"""Factories for plans: synthetic assessments, determinations, plans, services and decisions.

For the pages' own tests a plan is usually made through the services (see conftest.py); these
build many plans quickly, for query counts and the approvals page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from carebridge.assessments.models import Assessment, EligibilityDetermination
from carebridge.organisations.models import Organisation
from carebridge.planning.models import CarePlan, PlanDecision, PlannedService, Review
from tests.factories import OrganisationFactory, PersonFactory, WorkerFactory

COMMISSIONED = "commissioned_services"
NEEDS = {
    "nutrition": {"limbs": ["without_assistance"], "evidence": "Cannot grip pans; misses meals"},
    "personal_hygiene": {"limbs": ["pain_distress_anxiety"], "evidence": "Washing hurts"},
}


class ProviderFactory(OrganisationFactory):
    kind = Organisation.PROVIDER
    name = factory.Sequence(lambda n: f"Brackenford Home Care {n} Ltd")


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    person = factory.SubFactory(PersonFactory)
    kind = Assessment.Kind.ADULT
    status = Assessment.Status.COMPLETED
    started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=21))
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=14))
    assessor = factory.SubFactory(WorkerFactory)
    needs_arise_from_impairment_or_illness = True
    outcomes = factory.LazyFunction(lambda: dict(NEEDS))
    significant_impact_on_wellbeing = True
    wellbeing_impact = "Physical wellbeing and dignity are affected."
    substantial_difficulty_being_involved = False
    what_matters = "Staying in her own bungalow near her sister."
    strengths = "Knows exactly how she likes things done."


class DeterminationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityDetermination

    assessment = factory.SubFactory(AssessmentFactory)
    person = factory.SelfAttribute("assessment.person")
    kind = Assessment.Kind.ADULT
    eligible = True
    outcomes_unable = factory.LazyFunction(lambda: list(NEEDS))
    reasons = factory.LazyFunction(lambda: ["Unable to achieve two outcomes."])
    regulation = "The Care and Support (Eligibility Criteria) Regulations 2015, reg 2"
    determined_on = factory.SelfAttribute("assessment.completed_on")
    determined_by = factory.SelfAttribute("assessment.assessor")


class CarePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarePlan

    person = factory.SubFactory(PersonFactory)
    assessment = factory.LazyAttribute(
        lambda o: (
            DeterminationFactory(
                assessment__person=o.person, assessment__assessor=o.created_by
            ).assessment
        )
    )
    created_by = factory.SubFactory(WorkerFactory)
    updated_by = factory.SelfAttribute("created_by")
    status = CarePlan.Status.DRAFT
    needs = factory.LazyFunction(
        lambda: {
            "nutrition": {"how_met": "Carers help with lunch and tea", "means": [COMMISSIONED]},
            "personal_hygiene": {"how_met": "Morning visit to help wash", "means": [COMMISSIONED]},
        }
    )
    outcomes_wanted = "To stay at home\nTo get to the lunch club on Thursdays"
    contingency_plan = "If the carers do not arrive, her sister will call the agency."
    informal_support = "Her sister shops on Saturdays."
    ras_version = 1
    ras_points = 28
    indicative_weekly = Decimal("240.00")
    start_date = factory.LazyFunction(timezone.localdate)


class PlannedServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlannedService

    plan = factory.SubFactory(CarePlanFactory)
    description = factory.Sequence(lambda n: f"Home care visits, round {n}")
    service_type = "Long term support: Community"
    service_component = "Home support or domiciliary care"
    delivery_mechanism = "CASSR commissioned support"
    provider = factory.SubFactory(ProviderFactory)
    unit_cost = Decimal("18.40")
    cost_frequency = "Hourly"
    planned_units_per_week = Decimal("14")


class PlanDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanDecision

    plan = factory.SubFactory(CarePlanFactory)
    decision = PlanDecision.Decision.SUBMITTED
    by = factory.SelfAttribute("plan.created_by")
    at = factory.LazyFunction(timezone.now)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    plan = factory.SubFactory(CarePlanFactory)
    person = factory.SelfAttribute("plan.person")
    kind = Review.Kind.FIRST
    status = Review.Status.COMPLETED
    completed_on = factory.LazyFunction(timezone.localdate)
    method_of_review = "Service User Only"
    outcomes_achieved = "Eating regularly again; washing with help each morning."
    cld_outcome = "Continuation of support or services"
