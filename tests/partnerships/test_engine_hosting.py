"""The duties engine attributes each row to the team's host on the evaluated date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carebridge.duties import engine
from carebridge.organisations.models import Organisation
from carebridge.partnerships.history import team_hosts
from carebridge.partnerships.models import TeamHosting
from tests.factories import AllocationFactory, EventFactory, OrganisationFactory, TeamFactory

pytestmark = pytest.mark.django_db

DUTY = "assessment-after-request"


@pytest.fixture
def moved():
    today = timezone.localdate()
    council = OrganisationFactory(kind=Organisation.COUNCIL)
    trust = OrganisationFactory(kind=Organisation.NHS_TRUST, name="Test Trust")
    team = TeamFactory(organisation=council)  # today's host
    TeamHosting.objects.create(team=team, managed_by=trust, ends_on=today - dt.timedelta(days=1))
    TeamHosting.objects.create(team=team, managed_by=council, starts_on=today)
    request = EventFactory(start_date=today - dt.timedelta(days=200), end_date=None, outcome="")
    AllocationFactory(
        person=request.person,
        team=team,
        started_at=timezone.now() - dt.timedelta(days=300),
    )
    return today, council, trust, team, request.person


def _orgs(as_of, person_pks=None):
    return {r.organisation_id for r in engine.evaluate(as_of, [DUTY], person_pks)}


def test_everyone_as_of_last_month_is_the_trust_and_today_the_council(moved):
    today, council, trust, _team, _person = moved
    assert _orgs(today - dt.timedelta(days=30)) == {trust.pk}
    assert _orgs(today) == {council.pk}


def test_one_person_as_well(moved):
    today, council, trust, _team, person = moved
    assert _orgs(today - dt.timedelta(days=30), [person.pk]) == {trust.pk}
    assert _orgs(today, [person.pk]) == {council.pk}
    assert _orgs(today - dt.timedelta(days=1), [person.pk, person.pk + 999]) == {trust.pk}


def test_a_team_that_never_moved_keeps_its_organisation(moved, django_assert_num_queries):
    today, _council, trust, team, _person = moved
    other = TeamFactory()
    with django_assert_num_queries(1):
        hosts = dict(team_hosts(today - dt.timedelta(days=400)))
    assert hosts[other.pk] == other.organisation_id
    assert hosts[team.pk] == trust.pk
