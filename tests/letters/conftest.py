"""Synthetic letter contexts: fictional people, a fictional council, plain dicts (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from carebridge.letters.contexts import (
    CareAndSupportPlanContext,
    CouncilContext,
    EligibilityDeterminationContext,
    PersonContext,
    RecipientContext,
    SignedByContext,
)


def council() -> CouncilContext:
    return {
        "name": "Exampleshire County Council",
        "address_lines": ["County Hall", "1 Example Street", "Exampletown"],
        "postcode": "EX1 1AA",
        "phone": "0300 123 4567",
        "email": "adultcare@exampleshire.example",
        "website": "www.exampleshire.example/adultcare",
    }


def recipient() -> RecipientContext:
    return {
        "name": "Ms Ada Testperson",
        "address_lines": ["Flat 2", "10 Sample Road", "Exampletown"],
        "postcode": "EX2 3BB",
        "salutation": "Ms Testperson",
    }


def person() -> PersonContext:
    return {
        "name": "Ada Testperson",
        "person_id": "P-000123",
        "date_of_birth": dt.date(1948, 3, 9),
        "nhs_number": "9434765919",
    }


def signed_by() -> SignedByContext:
    return {
        "name": "Sam Workerperson",
        "job_title": "Social Worker",
        "team": "Exampletown Locality Team",
    }


@pytest.fixture
def eligibility_context() -> EligibilityDeterminationContext:
    return {
        "council": council(),
        "recipient": recipient(),
        "person": person(),
        "letter_date": dt.date(2026, 11, 22),
        "reference": "ELIG-2026-0042",
        "signed_by": signed_by(),
        "kind": "adult",
        "eligible": True,
        "determination_date": dt.date(2026, 11, 20),
        "outcomes": [
            {
                "label": "Managing and maintaining nutrition",
                "unable": True,
                "limbs": ["You cannot do this without help"],
                "evidence": "You cannot stand long enough to cook.\n\nYou often miss meals.",
            },
            {
                "label": "Maintaining personal hygiene",
                "unable": True,
                "limbs": [
                    "Doing it causes you significant pain, distress or anxiety",
                    "It takes you much longer than would normally be expected",
                ],
                "evidence": "Washing takes over an hour and leaves you exhausted.",
            },
            {
                "label": "Being able to make use of the home safely",
                "unable": False,
                "limbs": [],
                "evidence": "You move around your flat safely with your frame.",
            },
        ],
        "reasons": [
            "Your needs come from arthritis and heart failure.",
            "You are unable to achieve two of the outcomes in the regulations.",
            "This has a significant effect on your physical wellbeing and your dignity.",
        ],
        "regulation": (
            "the Care and Support (Eligibility Criteria) Regulations 2015, regulation 2"
        ),
        "prevention_advice": "",
        "next_steps": "We will contact you within two weeks to plan your support with you.",
    }


@pytest.fixture
def not_eligible_context(
    eligibility_context: EligibilityDeterminationContext,
) -> EligibilityDeterminationContext:
    context = eligibility_context.copy()
    context["eligible"] = False
    context["outcomes"] = [
        {**outcome, "unable": False, "limbs": []} for outcome in eligibility_context["outcomes"]
    ]
    context["reasons"] = ["You are able to achieve all of the outcomes in the regulations."]
    context["prevention_advice"] = (
        "Exampletown Community Kitchen delivers hot meals: phone 0300 765 4321.\n\n"
        "A falls prevention class meets every Tuesday at the library.\n"
        "Ask your GP about a pharmacy medicines review."
    )
    return context


@pytest.fixture
def plan_context() -> CareAndSupportPlanContext:
    return {
        "council": council(),
        "recipient": recipient(),
        "person": person(),
        "letter_date": dt.date(2026, 11, 22),
        "reference": "PLAN-2026-0007",
        "signed_by": signed_by(),
        "plan_status": "Approved",
        "approved_on": dt.date(2026, 11, 21),
        "approved_by": "Jo Managerperson, Team Manager",
        "eligible_needs": [
            {
                "label": "Managing and maintaining nutrition",
                "how_met": "A care worker helps you prepare lunch and tea every day.",
            },
            {
                "label": "Maintaining personal hygiene",
                "how_met": "A care worker helps you wash each morning.",
            },
        ],
        "outcomes_wanted": [
            "To stay living in my own flat",
            "To get to the lunch club on Thursdays",
        ],
        "what_matters": "Staying close to my daughter.\n\nKeeping my cat.",
        "strengths": "You know exactly how you like things done.",
        "services": [
            {
                "description": "Home care: morning and lunchtime visits",
                "service_type": "Home care",
                "delivery_mechanism": "Arranged by the council",
                "provider": "Sample Homecare Ltd",
                "unit_cost": "£18.40",
                "units_per_week": "14",
                "weekly_cost": "£257.60",
            },
            {
                "description": "Lunch club on Thursdays",
                "service_type": "Day opportunities",
                "delivery_mechanism": "Direct payment",
                "provider": None,
                "unit_cost": "£12.00",
                "units_per_week": "1",
                "weekly_cost": "£12.00",
            },
        ],
        "personal_budget": {
            "weekly_total": "£269.60",
            "annual_total": "£14,058.57",
            "person_contribution_weekly": "£45.10",
            "person_contribution_note": "From your financial assessment of 1 November 2026.",
            "council_weekly": "£224.50",
            "indicative_weekly": "£250.00",
            "direct_payment_weekly": "£12.00",
        },
        "direct_payment": {
            "amount_weekly": "£12.00",
            "start_date": dt.date(2026, 12, 1),
            "agreement_signed_on": dt.date(2026, 11, 21),
            "paid_to": "You",
        },
        "contingency_plan": "If your care worker does not arrive, phone Sample Homecare Ltd.",
        "informal_support": "Your daughter does your shopping every Saturday.",
        "review_due": dt.date(2027, 2, 21),
    }
