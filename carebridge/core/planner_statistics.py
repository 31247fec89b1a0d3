"""Keep SQLite's query-planner statistics whole after a migration.

On SQLite, a migration that adds a NOT NULL column (or alters most columns) rebuilds the table:
Django creates a new table, copies the rows and drops the old one, and dropping it drops its
rows in ``sqlite_stat1``. A database that had been analysed (the demo seed runs ANALYZE, as a
database administrator would after a bulk load) is then left with statistics for every table
but that one, and the planner, guessing for it alone, can choose a plan hundreds of times
slower: after casework 0007 added ``Event.source``, the annual-review duty on a
135,000-person county went from seconds to over twenty minutes, each row searching every
review in a date range instead of the person's own.

So after ``migrate`` (``post_migrate``), on an SQLite database that has statistics, each table
that holds rows but has none is analysed again. A database never analysed is left as it is:
the planner then guesses for every table alike. PostgreSQL keeps its statistics through
``ALTER TABLE`` (and autovacuum refreshes them).
"""

from __future__ import annotations

from django.db import connections


def tables_without_statistics(using: str = "default") -> list[str]:
    """SQLite tables that hold rows but have no planner statistics, when others have them."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return []
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT IN (SELECT tbl FROM sqlite_stat1) ORDER BY name"
        )
        names = [row[0] for row in cursor.fetchall()]
        out = []
        for name in names:
            quoted = connection.ops.quote_name(name)
            cursor.execute(f"SELECT 1 FROM {quoted} LIMIT 1")  # noqa: S608 - a table name
            if cursor.fetchone() is not None:
                out.append(name)
        return out


def restore(using: str = "default") -> list[str]:
    """Analyse the tables :func:`tables_without_statistics` finds; the tables analysed."""
    names = tables_without_statistics(using)
    if names:
        connection = connections[using]
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")
    return names


def after_migrate(sender, using: str = "default", **kwargs) -> None:
    """``post_migrate`` receiver (sent once per app: the first call does the work)."""
    restore(using)
