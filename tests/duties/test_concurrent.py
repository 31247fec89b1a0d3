"""A county's duties read over several connections at once (``duties.concurrent``, ADR 0016):
the same rows as read in turn, on one view of the data however writes interleave, and no
connection left open whether the caller finishes, stops early or meets an error.

PostgreSQL is tested in-process on committed data; SQLite (a file database: other connections
cannot open the test suite's in-memory one) through the CLI in a subprocess.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from django.db import DataError, connection, transaction
from django.test import override_settings

from carebridge.casework.models import Event
from carebridge.demo.seed import seed_county
from carebridge.duties import concurrent, engine
from tests.factories import EventFactory, PersonFactory

ROOT = Path(__file__).resolve().parent.parent.parent
AS_OF = dt.date(2026, 3, 31)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="in-process readers need PostgreSQL (see module)"
)


@pytest.fixture
def committed(transactional_db, django_db_blocker):
    """Data other connections can see: committed, and flushed after the test (the hook in
    tests/conftest.py)."""


def _backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def _back_to(baseline: int) -> int:
    """The server's count of connections to this database once the closed ones have gone (a
    backend leaves a moment after its client closes)."""
    deadline = time.monotonic() + 5
    while (now := _backends()) != baseline and time.monotonic() < deadline:
        time.sleep(0.05)
    return now


@pytest.mark.django_db
def test_in_turn_inside_a_transaction_where_other_connections_cannot_see_its_writes():
    with override_settings(DUTIES_EVALUATION_CONNECTIONS=4):
        assert connection.in_atomic_block  # each test runs in one
        assert concurrent.connections_for(11) == 1


def test_how_many_connections_outside_a_transaction(committed):
    with override_settings(DUTIES_EVALUATION_CONNECTIONS=3):
        if connection.vendor == "sqlite":  # the suite's database is in memory
            assert concurrent.connections_for(11) == 1
        else:
            assert concurrent.connections_for(11) == 3
            assert concurrent.connections_for(2) == 2
        assert concurrent.connections_for(1) == 1
        with transaction.atomic():
            assert concurrent.connections_for(11) == 1
    with override_settings(DUTIES_EVALUATION_CONNECTIONS=1):
        assert concurrent.connections_for(11) == 1


@postgres_only
def test_a_county_read_side_by_side_is_the_county_read_in_turn(committed, monkeypatch):
    seed_county(people=150, seed=7, until=AS_OF)
    with override_settings(DUTIES_EVALUATION_CONNECTIONS=1):
        in_turn = list(engine.evaluate(AS_OF))
    calls = []
    real = concurrent.fetch_all

    def spy(statements, n):
        calls.append(n)
        return real(statements, n)

    monkeypatch.setattr(concurrent, "fetch_all", spy)
    with override_settings(DUTIES_EVALUATION_CONNECTIONS=3):
        side_by_side = list(engine.evaluate(AS_OF))
    assert calls == [3]
    assert len(in_turn) > 150
    assert side_by_side == in_turn


def write_once_readers_are_attached(monkeypatch, write) -> None:
    """Make ``write()`` commit after every reader has fixed its view (and the first
    connection has let go) but before any reader runs a statement: the moment a reader
    without the shared view would see it."""
    written = threading.Event()
    real_close, real_read = concurrent._SnapshotHolder.close, concurrent._read

    def close(self):
        was_open = self.db is not None
        real_close(self)
        if was_open:
            write()
            written.set()

    class Held:
        def __init__(self, tasks):
            self.tasks = tasks

        def get(self):
            written.wait(10)
            return self.tasks.get()

    def read(connect, vendor, snapshot, attached, tasks, stop):
        real_read(connect, vendor, snapshot, attached, Held(tasks), stop)

    monkeypatch.setattr(concurrent._SnapshotHolder, "close", close)
    monkeypatch.setattr(concurrent, "_read", read)


@postgres_only
def test_readers_see_one_snapshot_though_a_write_commits_before_they_read(committed, monkeypatch):
    EventFactory()
    before = Event.objects.count()
    # Committed at once: the test's connection is in no transaction.
    write_once_readers_are_attached(monkeypatch, lambda: EventFactory(person=PersonFactory()))
    count = ("SELECT count(*) FROM casework_event", ())
    assert list(concurrent.fetch_all([count, count, count], 2)) == [[(before,)]] * 3
    assert Event.objects.count() == before + 1


@postgres_only
def test_an_error_reaches_the_caller_and_every_connection_is_closed(committed):
    baseline = _backends()
    statements = [("SELECT 1", ()), ("SELECT 1 / 0", ()), ("SELECT 2", ()), ("SELECT 3", ())]
    rows = concurrent.fetch_all(statements, 2)
    with pytest.raises(DataError):
        list(rows)
    assert _back_to(baseline) == baseline


@postgres_only
def test_stopping_early_closes_every_connection(committed):
    baseline = _backends()
    rows = concurrent.fetch_all([(f"SELECT {i}", ()) for i in range(8)], 3)
    assert next(rows) == [(0,)]
    rows.close()
    assert _back_to(baseline) == baseline


# --- SQLite: a file database, in a subprocess -----------------------------------------------


def _carebridge(db: Path, *args: str, connections: int = 1) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DUTIES_EVALUATION_CONNECTIONS": str(connections),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "carebridge", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def sqlite_county(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("concurrent") / "county.sqlite3"
    _carebridge(db, "migrate", "--noinput", "-v", "0")
    _carebridge(db, "seed", "--people", "150", "--seed", "7", "--until", "2026-03-31", "--quiet")
    return db


def test_sqlite_file_the_report_read_side_by_side_is_the_report_read_in_turn(sqlite_county):
    args = ("duties", "report", "--as-of", "2026-03-31", "--format", "csv")
    in_turn = _carebridge(sqlite_county, *args, connections=1).stdout
    side_by_side = _carebridge(sqlite_county, *args, connections=3).stdout
    assert in_turn.count("\n") > 150
    assert side_by_side == in_turn


def test_sqlite_file_while_another_connection_writes_the_duties_are_read_in_turn(sqlite_county):
    script = textwrap.dedent(
        """
        import datetime as dt, json, time
        import django
        django.setup()
        from django.test import override_settings
        from carebridge.duties import concurrent, engine

        as_of = dt.date(2026, 3, 31)
        with override_settings(DUTIES_EVALUATION_CONNECTIONS=1):
            in_turn = list(engine.evaluate(as_of))
        assert concurrent.connections_for(11) == 3
        started = time.monotonic()
        side_by_side = list(engine.evaluate(as_of))  # a writer holds the lock throughout
        print(json.dumps({
            "same": side_by_side == in_turn,
            "rows": len(in_turn),
            "waited": time.monotonic() - started,
        }))
        """
    )
    writer = sqlite3.connect(sqlite_county, timeout=0)
    try:
        writer.execute("BEGIN IMMEDIATE")  # a long write, such as the nightly refresh
        seen = _script(sqlite_county, script, connections=3)
    finally:
        writer.rollback()
        writer.close()
    assert seen["same"] and seen["rows"] > 150
    # It waited for the lock for a moment (concurrent.LOCK_WAIT_MS), then read in turn.
    assert seen["waited"] >= concurrent.LOCK_WAIT_MS / 1000


def _script(db: Path, script: str, connections: int) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DUTIES_EVALUATION_CONNECTIONS": str(connections),
        "DJANGO_SETTINGS_MODULE": "carebridge.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sqlite_file_readers_see_one_view_though_a_write_commits_before_they_read(sqlite_county):
    script = textwrap.dedent(
        """
        import json
        import django
        django.setup()
        import pytest
        from carebridge.casework.models import Event
        from carebridge.duties import concurrent
        from tests.duties.test_concurrent import write_once_readers_are_attached

        def write():  # on this process's own connection, committed at once
            copy = Event.objects.order_by("pk").first()
            copy.pk = None
            copy.reference += "-copy"
            copy.save()

        before = Event.objects.count()
        assert concurrent.connections_for(3) == 2
        with pytest.MonkeyPatch.context() as monkeypatch:
            write_once_readers_are_attached(monkeypatch, write)
            count = ("SELECT count(*) FROM casework_event", ())
            counted = [r[0][0] for r in concurrent.fetch_all([count, count, count], 2)]
        after = Event.objects.count()
        print(json.dumps({"before": before, "after": after, "counted": counted}))
        """
    )
    seen = _script(sqlite_county, script, connections=2)
    assert seen["after"] == seen["before"] + 1
    assert seen["counted"] == [seen["before"]] * 3


@postgres_only
def test_statements_built_lazily_come_back_in_order(committed):
    built = []

    def statements():
        for i in range(5):
            built.append(i)
            yield f"SELECT {i}", ()

    rows = concurrent.fetch_all(statements(), 2)
    assert list(rows) == [[(i,)] for i in range(5)]
    assert built == list(range(5))
