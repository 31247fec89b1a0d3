"""Safeguarding tests use the shared county (tests/conftest.py): every role in team A."""

from __future__ import annotations

import pytest

from carebridge.core.access import Role


@pytest.fixture
def lead(county):
    return county.workers[Role.SAFEGUARDING_LEAD]


@pytest.fixture
def sw(county):
    return county.workers[Role.SOCIAL_WORKER]


@pytest.fixture
def nhs(county):
    return county.workers[Role.NHS_PARTNER]
