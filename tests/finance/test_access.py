"""Who reaches a person's financial assessment: finance officers in a financial assessment team
reach the people the council charges or may charge (a plan awaiting approval or approved, or a
financial assessment); anyone else by the usual relationships. Only finance roles edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carebridge.casework.access import Basis, person_access, visible_people
from carebridge.core.access import Role
from carebridge.core.models import RestrictedAccess
from carebridge.planning.models import CarePlan
from tests.factories import AllocationFactory, PersonFactory
from tests.planning.factories import CarePlanFactory

from .factories import CompletedAssessmentFactory, FinanceOfficerFactory


@pytest.fixture
def held_elsewhere(county):
    person = PersonFactory(given_name="Hattie", family_name="Elsewhere")
    AllocationFactory(person=person, team=county.team_b, worker=county.worker_b)
    return person


@pytest.mark.parametrize(
    ("status", "reached"),
    [
        (CarePlan.Status.DRAFT, False),  # not yet anyone's budget
        (CarePlan.Status.SUBMITTED, True),
        (CarePlan.Status.APPROVED, True),
        (CarePlan.Status.ENDED, False),
    ],
)
def test_plan_status_decides(officer, held_elsewhere, county, status, reached):
    CarePlanFactory(person=held_elsewhere, created_by=county.worker_b, status=status)
    access = person_access(officer, held_elsewhere)
    assert access.allowed is reached
    assert (access.basis == Basis.FINANCE) is reached
    assert visible_people(officer).filter(pk=held_elsewhere.pk).exists() is reached


def test_a_financial_assessment_is_enough(officer, held_elsewhere):
    CompletedAssessmentFactory(person=held_elsewhere)
    assert person_access(officer, held_elsewhere).basis == Basis.FINANCE


def test_only_in_a_financial_assessment_team(county, held_elsewhere):
    CompletedAssessmentFactory(person=held_elsewhere)
    in_a_cmht = county.workers[Role.FINANCE_OFFICER]
    assert not person_access(in_a_cmht, held_elsewhere).allowed
    # Nor does a practitioner placed in the finance team get it: it is the finance role's.
    sw_in_finance = FinanceOfficerFactory(role=Role.SOCIAL_WORKER)
    assert not person_access(sw_in_finance, held_elsewhere).allowed


def test_restricted_records_stay_restricted(officer, county):
    CompletedAssessmentFactory(person=county.restricted)
    assert not person_access(officer, county.restricted).allowed
    assert not visible_people(officer).filter(pk=county.restricted.pk).exists()
    RestrictedAccess.objects.create(person=county.restricted, worker=officer)
    assert person_access(officer, county.restricted).basis == Basis.NAMED


def test_refused_without_a_relationship(client, officer, held_elsewhere):
    client.force_login(officer)
    r = client.get(reverse("finance:overview", args=[held_elsewhere.person_id]))
    assert r.status_code == 403
    assert 'data-testid="break-glass-form"' in r.content.decode()
