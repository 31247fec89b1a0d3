"""SQLite's planner statistics are made whole again after a migration rebuilds a table (which
drops that table's statistics): carebridge.core.planner_statistics."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.signals import post_migrate

from carebridge.core import planner_statistics
from tests.factories import EventFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="PostgreSQL keeps statistics through ALTER TABLE"
    ),
]


def _sql(statement: str, params: tuple = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def _has_statistics(table: str) -> bool:
    return bool(_sql("SELECT 1 FROM sqlite_stat1 WHERE tbl = %s", (table,)))


def test_a_table_whose_statistics_a_rebuild_dropped_is_analysed_again():
    EventFactory()
    _sql("ANALYZE")
    assert _has_statistics("casework_event")
    # What a migration's table rebuild leaves: every table's statistics but this one's.
    _sql("DELETE FROM sqlite_stat1 WHERE tbl = 'casework_event'")
    assert "casework_event" in planner_statistics.tables_without_statistics()
    assert "casework_event" in planner_statistics.restore()
    assert _has_statistics("casework_event")
    assert planner_statistics.tables_without_statistics() == []


def test_a_database_never_analysed_is_left_as_it_is():
    EventFactory()
    _sql("DROP TABLE IF EXISTS sqlite_stat1")
    assert planner_statistics.restore() == []
    assert not _sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")


def test_empty_tables_are_not_analysed():
    _sql("ANALYZE")
    _sql("DELETE FROM sqlite_stat1 WHERE tbl = 'casework_event'")
    assert not _sql("SELECT 1 FROM casework_event LIMIT 1")
    assert "casework_event" not in planner_statistics.tables_without_statistics()


def test_it_runs_after_every_migrate():
    uids = [key[0] for key, *_ in post_migrate.receivers]
    assert "carebridge.core.planner_statistics" in uids
