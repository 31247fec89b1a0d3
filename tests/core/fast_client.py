"""A test client that does not rebuild the middleware chain for every test.

Django's test client loads the middleware once per client; WhiteNoise's middleware indexes
every static file when it loads (about 0.2 s here), so a fresh client per test costs more than
most of these tests. The handler holds no per-request state, so one per process is shared;
each test still gets its own client (its own cookies and session).

Import both fixtures into a conftest.py to use them.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.test.client import ClientHandler


@pytest.fixture(scope="session")
def shared_client_handler() -> ClientHandler:
    return ClientHandler(enforce_csrf_checks=False)


@pytest.fixture
def make_client(shared_client_handler):
    def _make() -> Client:
        c = Client()
        c.handler = shared_client_handler
        return c

    return _make


@pytest.fixture
def client(make_client) -> Client:
    return make_client()
