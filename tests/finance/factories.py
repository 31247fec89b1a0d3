"""Factories for financial assessments and charges: synthetic figures only.

The pages' own tests make assessments through the services (see conftest.py); these build rows
quickly, for query counts, the permission matrix and the model's own rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from carebridge.core.access import Role
from carebridge.finance.models import ChargeDecision, FinancialAssessment
from tests.factories import PersonFactory, TeamFactory, WorkerFactory

YEAR = "2025-26"

# Knowsley's published 2024/25 home-care example (charging-rates.md section 3, N1): £67.71.
KNOWSLEY_N1 = {
    "financial_year": "2024-25",
    "setting": "non_residential",
    "age": 22,
    "couple": False,
    "dependent_children": 0,
    "premiums": ["disability", "enhanced_disability"],
    "capital": {"savings": 0.0, "other": 0.0, "main_home": 0.0},
    "weekly_income": [
        {"type": "universal_credit", "amount": 167.96},
        {"type": "pip_daily_living_enhanced", "amount": 108.55},
        {"type": "pip_mobility", "amount": 75.75},
    ],
    "weekly_housing_costs": 0.0,
    "weekly_disability_related_expenditure": 12.6,
    "weekly_care_cost": 391.95,
    "s117": False,
    "free_service": None,
    "first_permanent_admission_week": None,
}


def simple_case(**overrides) -> dict:
    """A pensioner at home with a state pension and some savings."""
    case = {
        "financial_year": YEAR,
        "setting": "non_residential",
        "age": 78,
        "couple": False,
        "dependent_children": 0,
        "premiums": [],
        "capital": {"savings": 3000.0, "other": 0.0, "main_home": 0.0},
        "weekly_income": [
            {"type": "state_pension", "amount": 230.25},
            {"type": "private_pension", "amount": 85.0},
        ],
        "weekly_housing_costs": 0.0,
        "weekly_disability_related_expenditure": 0.0,
        "weekly_care_cost": 257.6,
        "s117": False,
        "free_service": None,
        "first_permanent_admission_week": None,
    }
    case.update(overrides)
    return case


class FinanceTeamFactory(TeamFactory):
    kind = "finance"
    name = factory.Sequence(lambda n: f"Financial Assessment Team {n}")


class FinanceOfficerFactory(WorkerFactory):
    role = Role.FINANCE_OFFICER
    team = factory.SubFactory(FinanceTeamFactory)


class FinancialAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancialAssessment

    person = factory.SubFactory(PersonFactory)
    status = FinancialAssessment.Status.DRAFT
    kind = FinancialAssessment.Kind.FULL
    financial_year = YEAR
    setting = FinancialAssessment.Setting.NON_RESIDENTIAL
    case_input = factory.LazyFunction(simple_case)
    evidence = "Bank statements for three months; pension award letters."
    effective_from = factory.LazyFunction(lambda: dt.date(2025, 4, 7))
    started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    started_by = factory.SubFactory(FinanceOfficerFactory)
    updated_by = factory.SelfAttribute("started_by")


class CompletedAssessmentFactory(FinancialAssessmentFactory):
    status = FinancialAssessment.Status.COMPLETED
    completed_on = factory.LazyFunction(timezone.localdate)
    assessed_by = factory.SelfAttribute("started_by")
    weekly_charge = Decimal("52.10")
    council_pays = Decimal("205.50")
    full_cost = False
    result = factory.LazyFunction(
        lambda: {
            "weekly_charge": 52.10,
            "council_pays": 205.50,
            "full_cost": False,
            "weekly_care_cost": 257.60,
            "steps": [
                {
                    "step": "Weekly cost of care",
                    "amount": 257.60,
                    "source": "input",
                    "kind": "cost",
                },
                {"step": "Weekly charge", "amount": 52.10, "source": "[S22]", "kind": "charge"},
                {"step": "Council pays", "amount": 205.50, "source": "s26", "kind": "council"},
            ],
            "unconfirmed": [],
        }
    )


class ChargeDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChargeDecision

    financial_assessment = factory.SubFactory(CompletedAssessmentFactory)
    person = factory.SelfAttribute("financial_assessment.person")
    plan = None
    weekly_amount = Decimal("52.10")
    weekly_care_cost = Decimal("257.60")
    council_pays = Decimal("205.50")
    valid_from = dt.date(2025, 4, 7)
    reason = "Full financial assessment"
    workings = factory.SelfAttribute("financial_assessment.result")
    decided_by = factory.SelfAttribute("financial_assessment.started_by")
