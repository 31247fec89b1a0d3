"""Financial assessments made the way a finance officer makes them: a person with an approved
care and support plan (home care, £257.60 a week), and a finance officer in the council's
financial assessment team."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from carebridge.finance import services
from tests.core import form_data

from .factories import FinanceOfficerFactory, FinanceTeamFactory, simple_case

START = dt.date(2025, 4, 7)  # in the 2025-26 financial year, whose rates are published


@pytest.fixture
def finance_team(county):
    return FinanceTeamFactory(organisation=county.council)


@pytest.fixture
def officer(finance_team):
    return FinanceOfficerFactory(team=finance_team, username="fo", first_name="Fran")


@pytest.fixture
def officer_2(finance_team):
    return FinanceOfficerFactory(team=finance_team, username="fo2", first_name="Faisal")


@pytest.fixture
def person(county):
    return county.person_a


def start(officer, person, kind="full", year="2025-26", setting="non_residential"):
    return services.start_financial_assessment(
        officer, person, kind=kind, financial_year=year, setting=setting
    )


def fill(officer, fa, case=None, *, evidence="Bank statements seen", effective_from=START,
         **more):  # fmt: skip
    changes = {
        "case_input": case if case is not None else simple_case(),
        "evidence": evidence,
        "effective_from": effective_from,
        **more,
    }
    services.save_draft(officer, fa, version=fa.version, changes=changes)
    return fa


def complete_full(officer, person, case=None, **kwargs):
    fa = fill(officer, start(officer, person), case, **kwargs)
    decision = services.complete(officer, fa, version=fa.version)
    fa.refresh_from_db()
    return fa, decision


def url(name, fa, *extra):
    return reverse(f"finance:{name}", args=[fa.person.person_id, fa.pk, *extra])


def edit_body(fa, action="calculate", **overrides) -> dict:
    """What the full form posts: the pensioner of factories.simple_case."""
    body = {
        "financial_year": "2025-26",
        "setting": "non_residential",
        "age": "78",
        "couple": "no",
        "dependent_children": "",
        "capital_savings": "3000.00",
        "capital_other": "",
        "capital_main_home": "",
        "income-0-type": "state_pension",
        "income-0-amount": "230.25",
        "income-1-type": "private_pension",
        "income-1-amount": "85.00",
        "weekly_housing_costs": "",
        "weekly_disability_related_expenditure": "",
        "weekly_care_cost": "257.60",
        "s117": "no",
        "free_service": "",
        "evidence": "Pension statements and three months of bank statements",
        **form_data.date_parts("effective_from", START),
        "income_rows": "8",
        "version": str(fa.version),
        "submission_token": form_data.token(),
        "action": action,
    }
    body.update(overrides)
    return body


from tests.core.fast_client import client, make_client, shared_client_handler  # noqa: E402, F401
from tests.planning.conftest import (  # noqa: E402, F401
    approved_plan,
    assessment,
    manager,
    plan,
    provider,
    sw,
)
