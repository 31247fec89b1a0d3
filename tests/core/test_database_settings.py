"""The database settings read from the environment at start-up: the PostgreSQL planner
settings carebridge applies per connection (POSTGRES_RANDOM_PAGE_COST, POSTGRES_JIT) and the
connections a county's duties are read over (DUTIES_EVALUATION_CONNECTIONS): default, left
alone, and refused when malformed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

PG_URL = "postgres://postgres@127.0.0.1:5432/unused"


_SETTINGS_FROM_ENV = ("POSTGRES_RANDOM_PAGE_COST", "POSTGRES_JIT", "DUTIES_EVALUATION_CONNECTIONS")


def _start_up(expression: str, **env) -> subprocess.CompletedProcess:
    """Start Django in a fresh process with these environment variables (the settings read
    from it otherwise unset) and print ``expression``."""
    code = f"import json, django; from django.conf import settings; print({expression})"
    environment = {k: v for k, v in os.environ.items() if k not in _SETTINGS_FROM_ENV}
    environment |= {"DJANGO_SETTINGS_MODULE": "carebridge.settings", "DATABASE_URL": PG_URL}
    environment |= env
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True
    )


def _options(**env) -> subprocess.CompletedProcess:
    return _start_up("json.dumps(settings.DATABASES['default'].get('OPTIONS', {}))", **env)


def test_the_ssd_setting_and_no_jit_by_default():
    out = _options()
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["options"] == "-c random_page_cost=1.1 -c jit=off"


def test_empty_leaves_the_servers_settings():
    out = _options(POSTGRES_RANDOM_PAGE_COST="", POSTGRES_JIT="")
    assert out.returncode == 0, out.stderr
    assert "options" not in json.loads(out.stdout)
    out = _options(POSTGRES_RANDOM_PAGE_COST="", POSTGRES_JIT="On")
    assert json.loads(out.stdout)["options"] == "-c jit=on"


@pytest.mark.parametrize("bad", ["yes", "1", "false"])
def test_a_malformed_jit_setting_stops_start_up_with_a_clear_message(bad):
    out = _options(POSTGRES_JIT=bad)
    assert out.returncode != 0
    assert "POSTGRES_JIT must be on or off" in out.stderr


@pytest.mark.parametrize("bad", ["fast", "-2", "0"])
def test_a_malformed_value_stops_start_up_with_a_clear_message(bad):
    out = _options(POSTGRES_RANDOM_PAGE_COST=bad)
    assert out.returncode != 0
    assert "POSTGRES_RANDOM_PAGE_COST must be a positive number" in out.stderr


@pytest.mark.django_db
def test_connections_use_it_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_dates_from_raw_sql_are_pythons():
    import datetime as dt
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from carebridge.core.dbvalues import date_from_db

    assert date_from_db(None) is None
    assert date_from_db("2026-03-31") == dt.date(2026, 3, 31)
    assert date_from_db(dt.date(2026, 3, 31)) == dt.date(2026, 3, 31)
    # 23:30 UTC on 31 March 2026 is 00:30 on 1 April in London (summer time).
    with timezone.override(ZoneInfo("Europe/London")):
        assert date_from_db("2026-03-31 23:30:00") == dt.date(2026, 4, 1)
        aware = dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC)
        assert date_from_db(aware) == dt.date(2026, 4, 1)


def _connections_setting(**env) -> subprocess.CompletedProcess:
    return _start_up("settings.DUTIES_EVALUATION_CONNECTIONS", **env)


def test_duties_evaluation_connections_default_and_set():
    out = _connections_setting()
    assert out.returncode == 0, out.stderr
    cpus = os.cpu_count() or 1
    assert int(out.stdout) == (1 if cpus < 2 else min(4, cpus + 1))
    out = _connections_setting(DUTIES_EVALUATION_CONNECTIONS=" 2 ")
    assert int(out.stdout) == 2


@pytest.mark.parametrize("bad", ["0", "many", "-1", "33", "2.5"])
def test_a_malformed_duties_evaluation_connections_stops_start_up(bad):
    out = _connections_setting(DUTIES_EVALUATION_CONNECTIONS=bad)
    assert out.returncode != 0
    assert "DUTIES_EVALUATION_CONNECTIONS must be a whole number from 1 to 32" in out.stderr
