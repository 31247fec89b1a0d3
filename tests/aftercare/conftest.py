"""A person discharged from hospital after detention under section 3, with an approved care and
support plan holding a home care service (£257.60 a week), a finance officer, and an ICB."""

from __future__ import annotations

import pytest
from django.utils import timezone

from carebridge.core.access import Role
from carebridge.mentalhealth import aftercare_services as services

from .factories import IcbFactory, discharged_s3


@pytest.fixture
def icb(db):
    return IcbFactory(name="NHS Wessex Integrated Care Board", ods_code="QX9")


@pytest.fixture
def person(county):
    return county.person_a


@pytest.fixture
def detention(person):
    return discharged_s3(person)


@pytest.fixture
def episode(sw, detention, county, icb):  # noqa: F811
    return services.record_eligibility(
        sw,
        detention,
        council=county.council,
        icb=icb,
        residence_basis="address_before_detention",
        residence_address="4 Mill Lane, Brackenford",
        residence_postcode="WX1 2AB",
    )


@pytest.fixture
def tm(county):
    return county.workers[Role.TEAM_MANAGER]


def agree(worker, episode, **overrides):
    fields = {
        "version": None,
        "needs": "Support to keep taking medication and to manage money when unwell",
        "reduces_risk": "Daily visits notice early signs of relapse",
        "council_worker": worker,
        "icb_representative": "Dr Priya Shah",
        "icb_representative_role": "Continuing care lead",
        "agreed_on": timezone.localdate(),
        **overrides,
    }
    return services.agree_plan(worker, episode, **fields)


from tests.core.fast_client import client, make_client, shared_client_handler  # noqa: E402, F401
from tests.finance.conftest import officer  # noqa: E402, F401
from tests.finance.factories import FinanceTeamFactory  # noqa: E402
from tests.planning.conftest import (  # noqa: E402, F401
    approved_plan,
    assessment,
    manager,
    plan,
    provider,
    sw,
)


@pytest.fixture
def finance_team(county):
    return FinanceTeamFactory(organisation=county.council)
