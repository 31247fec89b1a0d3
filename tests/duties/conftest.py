"""Fixtures for the compliance dashboard's tests: a small county with one duty in every
figure today (see histories.py)."""

from __future__ import annotations

import pytest

from carebridge.core.access import Role

from .histories import with_duties_in_every_figure


@pytest.fixture
def histories(county):
    return with_duties_in_every_figure(county)


@pytest.fixture
def manager(client, histories):
    client.force_login(histories.workers[Role.TEAM_MANAGER])  # team A
    return client


@pytest.fixture
def analyst(client, histories):
    client.force_login(histories.workers[Role.PERFORMANCE_ANALYST])
    return client
