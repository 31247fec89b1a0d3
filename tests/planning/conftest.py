"""Plans made the way a worker makes them: an eligible needs assessment completed through the
assessment services, then a plan started, written and costed through the planning services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from carebridge.assessments import services as assessment_services
from carebridge.core.access import Role
from carebridge.organisations.models import Organisation
from carebridge.planning import services
from tests.core import form_data
from tests.factories import OrganisationFactory

OUTCOMES = {
    "nutrition": {
        "limbs": ["without_assistance"],
        "evidence": "Cannot grip pans or open packets because of arthritis; often misses meals.",
    },
    "personal_hygiene": {
        "limbs": ["pain_distress_anxiety"],
        "evidence": "Can wash alone but standing at the basin causes severe knee pain.",
    },
}


def complete_eligible_assessment(worker, person):
    a = assessment_services.start_assessment(worker, person, kind="adult")
    assessment_services.save_draft(
        worker,
        a,
        version=a.version,
        changes={
            "needs_arise_from_impairment_or_illness": True,
            "impairment_or_illness": "Rheumatoid arthritis in both hands and knees.",
            "outcomes": OUTCOMES,
            "significant_impact_on_wellbeing": True,
            "wellbeing_impact": "Losing weight; embarrassed about not being able to wash.",
            "what_matters": "Staying in her own bungalow near her sister.",
            "strengths": "Knows exactly how she likes things done.",
            "informal_support": "Her sister shops for her on Saturdays.",
            "substantial_difficulty_being_involved": False,
        },
    )
    assessment_services.complete_assessment(
        worker, a, version=a.version, method_of_assessment="Face to face", prevention_advice=""
    )
    return a


@pytest.fixture
def sw(county):
    return county.workers[Role.SOCIAL_WORKER]


@pytest.fixture
def manager(county):
    return county.workers[Role.TEAM_MANAGER]


@pytest.fixture
def provider(db):
    return OrganisationFactory(kind=Organisation.PROVIDER, name="Brackenford Home Care Ltd")


@pytest.fixture
def assessment(county, sw):
    return complete_eligible_assessment(sw, county.person_a)


@pytest.fixture
def plan(sw, assessment):
    return services.start_plan(sw, assessment)


def write_plan(worker, plan, **overrides):
    fields = {
        "outcomes_wanted": "To stay living at home\nTo eat a hot meal every day",
        "contingency_plan": "If the carers cannot come, her sister visits and phones the team.",
        "informal_support": "Her sister shops for her on Saturdays.",
        "information_and_advice": "Gave the leaflet on falls prevention.",
        "start_date": timezone.localdate(),
        "needs": {
            key: {
                "how_met": f"Home care visits help with this ({key}).",
                "means": ["commissioned_services"],
            }
            for key in plan.needs
        },
        **overrides,
    }
    return services.update_plan(worker, plan, version=plan.version, fields=fields)


def add_home_care(worker, plan, provider=None, **overrides):
    fields = {
        "description": "Home care: morning and teatime visits",
        "service_type": "Long term support: Community",
        "service_component": "Home support or domiciliary care",
        "delivery_mechanism": "CASSR commissioned support",
        "provider": provider,
        "unit_cost": Decimal("18.40"),
        "cost_frequency": "Hourly",
        "planned_units_per_week": Decimal("14"),
        **overrides,
    }
    return services.add_service(worker, plan, version=plan.version, **fields)


@pytest.fixture
def approved_plan(sw, manager, plan, provider):
    write_plan(sw, plan)
    add_home_care(sw, plan, provider)
    services.submit_plan(sw, plan, version=plan.version)
    return services.approve_plan(manager, plan, version=plan.version)


def service_body(version, **overrides) -> dict[str, str]:
    body = {
        "description": "Home care: morning and teatime visits",
        "service_type": "Long term support: Community",
        "service_component": "Home support or domiciliary care",
        "delivery_mechanism": "CASSR commissioned support",
        "provider": "",
        "unit_cost": "18.40",
        "cost_frequency": "Hourly",
        "planned_units_per_week": "14",
        "version": str(version),
        "submission_token": form_data.token(),
    }
    body.update(overrides)
    return body


def plan_body(plan, **overrides) -> dict:
    today = timezone.localdate()
    body = {
        "outcomes_wanted": "To stay living at home\nTo eat a hot meal every day",
        "contingency_plan": "If the carers cannot come, her sister will visit.",
        "informal_support": "Her sister shops for her on Saturdays.",
        "information_and_advice": "Gave the leaflet on falls prevention.",
        **form_data.date_parts("start_date", today),
        "version": str(plan.version),
        "submission_token": form_data.token(),
    }
    for key in plan.needs:
        body[f"need-{key}-how_met"] = f"Home care visits help with this ({key})."
        body[f"need-{key}-means"] = ["commissioned_services"]
    body.update(overrides)
    return body


def url(name, plan, *extra):
    return reverse(f"planning:{name}", args=[plan.person.person_id, plan.pk, *extra])


def add_months(day: dt.date, months: int) -> dt.date:
    from carebridge.rules.dates import add_months as _add

    return _add(day, months)


from tests.core.fast_client import client, make_client, shared_client_handler  # noqa: E402, F401
