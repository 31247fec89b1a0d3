"""Fixtures for Mental Health Act work: the test county (tests/conftest.py) with an AMHP service
team of the council (an AMHP and its manager), and helpers that take an assessment through its
steps by the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carebridge.core.access import Role
from carebridge.mentalhealth import services
from carebridge.rules import amhp
from tests.factories import TeamFactory, WorkerFactory


@pytest.fixture
def amhp_team(county):
    return TeamFactory(organisation=county.council, name="AMHP Service", kind="amhp")


@pytest.fixture
def duty_amhp(amhp_team):
    return WorkerFactory(
        role=Role.AMHP, team=amhp_team, username="duty.amhp", first_name="Dee", last_name="Uty"
    )


@pytest.fixture
def amhp_manager(amhp_team):
    return WorkerFactory(role=Role.TEAM_MANAGER, team=amhp_team, username="amhp.manager")


@pytest.fixture
def sw(county):
    return county.workers[Role.SOCIAL_WORKER]


@pytest.fixture
def person(county):
    return county.person_a  # allocated to the social worker in team A (a CMHT)


@pytest.fixture
def hospital(county):
    return county.trust


def ago(**kw) -> dt.datetime:
    return (timezone.now() - dt.timedelta(**kw)).replace(second=0, microsecond=0)


def request(person, by, *, at=None, **kw):
    kw.setdefault("requester_name", "Dr Ada Example")
    kw.setdefault("requester_role", "gp")
    kw.setdefault("request_reason", "Not eating, hearing voices telling her to leave home.")
    return services.request_assessment(by, person, requested_at=at or ago(hours=6), **kw)


def details(
    outcome=amhp.DETAINED_S3, *, at=None, hospital=None, **kw
) -> services.AssessmentDetails:
    fields = {
        "assessed_at": at or ago(hours=2),
        "location": "Her home, 12 Example Road",
        "outcome": outcome,
        "doctor_1_name": "Dr Sam Section",
        "doctor_1_s12": True,
        "doctor_1_known": False,
        "doctor_2_name": "Dr Gail Practitioner",
        "doctor_2_s12": False,
        "doctor_2_known": True,
        "nr_name": "Peter Allocated",
        "nr_relationship": "child",
        "nr_contact": amhp.NR_CONSULTED,
        "hospital": hospital if outcome in amhp.DETAINS else None,
        "hospital_place": "Willow Ward" if outcome in amhp.DETAINS else "",
    }
    fields.update(kw)
    return services.AssessmentDetails(**fields)


def assessed(person, by, amhp_worker, outcome=amhp.DETAINED_S3, *, hospital=None, **kw):
    """An assessment requested by ``by``, taken and recorded by ``amhp_worker``."""
    a = request(person, by)
    a = services.take(amhp_worker, a, version=a.version)
    return services.record_assessment(
        amhp_worker, a, version=a.version, details=details(outcome, hospital=hospital, **kw)
    )
