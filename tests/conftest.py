"""Shared fixtures: a small county with two teams (one hosted by the NHS trust), a worker of
every role, and people allocated to each team."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import pytest
from django.db import connection

from carebridge.core.access import Role
from carebridge.organisations.models import Organisation

from .factories import (
    AllocationFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    WorkerFactory,
)

PASSWORD = "correct-horse-battery"

_APPEND_ONLY = importlib.import_module("carebridge.core.migrations.0003_audit_append_only")


def _run_sql(statements: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for sql in statements.get(connection.vendor, []):
            cursor.execute(sql)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Let pytest-django empty the database after a transactional test (a live-server test,
    or one whose data other connections must see), audit log included.

    Such a test cannot roll back; the database is flushed instead, and the audit log's
    append-only triggers (core migration 0003, ADR 0006) rightly refuse that. They are lifted
    for the flush only, on the test database, and put back straight after.
    """
    funcargs = getattr(item, "funcargs", None) or {}
    blocker = funcargs.get("django_db_blocker")
    flushing = blocker is not None and "transactional_db" in funcargs
    test_database = connection.settings_dict["NAME"]
    if flushing:
        with blocker.unblock():
            _run_sql({"sqlite": _APPEND_ONLY.SQLITE_DOWN, "postgresql": _APPEND_ONLY.POSTGRES_DOWN})
    try:
        return (yield)
    finally:
        # After the session's last test the test database is gone: nothing to put back.
        if flushing and connection.settings_dict["NAME"] == test_database:
            with blocker.unblock():
                _run_sql({"sqlite": _APPEND_ONLY.SQLITE_UP, "postgresql": _APPEND_ONLY.POSTGRES_UP})


def pytest_configure(config):
    """Tests hash passwords with a fast hasher: the strength of PBKDF2 is not what they test.
    The performance page's refresh runs within the request, so a test sees its result (the
    background thread has tests of its own: tests/returns/test_refresh_runs.py)."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PERFORMANCE_REFRESH_IN_BACKGROUND = False


@dataclass
class County:
    council: object
    trust: object
    team_a: object  # trust-hosted CMHT
    team_b: object  # council locality team
    workers: dict  # role -> worker in team A (managers: one per team)
    manager_b: object
    worker_b: object
    person_a: object  # allocated to workers["social_worker"] in team A
    person_a_team: object  # allocated to team A with no named worker
    person_b: object  # allocated to worker_b in team B
    restricted: object  # restricted, in team A, names workers["amhp"]


@pytest.fixture
def county(db) -> County:
    from carebridge.core.models import RestrictedAccess

    council = OrganisationFactory(
        kind=Organisation.COUNCIL, name="Test County Council", cassr_code="999"
    )
    trust = OrganisationFactory(kind=Organisation.NHS_TRUST, name="Test MH Trust", ods_code="RX9")
    team_a = TeamFactory(organisation=trust, name="North CMHT", kind="cmht")
    team_b = TeamFactory(organisation=council, name="Central Locality", kind="locality")
    workers = {role: WorkerFactory(role=role, team=team_a, username=role) for role in Role.values}
    workers[Role.SYSTEM_ADMINISTRATOR].is_staff = True
    workers[Role.SYSTEM_ADMINISTRATOR].save()
    manager_b = WorkerFactory(role=Role.TEAM_MANAGER, team=team_b, username="manager_b")
    worker_b = WorkerFactory(role=Role.SOCIAL_WORKER, team=team_b, username="worker_b")
    person_a = PersonFactory(given_name="Anna", family_name="Allocated")
    AllocationFactory(person=person_a, team=team_a, worker=workers[Role.SOCIAL_WORKER])
    person_a_team = PersonFactory(given_name="Tom", family_name="Teamheld")
    AllocationFactory(person=person_a_team, team=team_a, worker=None)
    person_b = PersonFactory(given_name="Brian", family_name="Elsewhere")
    AllocationFactory(person=person_b, team=team_b, worker=worker_b)
    restricted = PersonFactory(given_name="Rita", family_name="Private", is_restricted=True)
    AllocationFactory(person=restricted, team=team_a, worker=workers[Role.AMHP])
    RestrictedAccess.objects.create(person=restricted, worker=workers[Role.AMHP])
    return County(
        council,
        trust,
        team_a,
        team_b,
        workers,
        manager_b,
        worker_b,
        person_a,
        person_a_team,
        person_b,
        restricted,
    )


@pytest.fixture
def sign_in(client):
    def _sign_in(worker):
        client.force_login(worker)
        return client

    return _sign_in
