"""Fixtures for the synthetic county generator: one small seeded county per test module.

The seed runs inside a transaction that is rolled back when the module's tests are done (the
audit log is append-only, so a flush between tests would be refused). Each test runs in its own
savepoint inside it, as ``django_db`` tests do.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from carebridge.demo.seed import SeedReport, seed_county

UNTIL = dt.date(2026, 3, 31)
PEOPLE = 300
SEED = 7


class _Discard(Exception):
    """Raised to roll back a seed after reading what it wrote."""


def seed_then_discard(
    read, *, people: int, seed: int, until: dt.date | None = UNTIL, progress=None, **options
):
    """Seed into the (empty) test database, return ``read(report)``, then roll it all back, so
    the next call starts from an empty database again."""
    result = None
    try:
        with transaction.atomic():
            report = seed_county(
                people=people, seed=seed, until=until, progress=progress, **options
            )
            result = read(report)
            raise _Discard
    except _Discard:
        pass
    return result


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> SeedReport:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield seed_county(people=PEOPLE, seed=SEED, until=UNTIL)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
