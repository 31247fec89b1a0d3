"""Fast inserts of plain tuples for the seed: COPY on PostgreSQL, ``executemany`` on SQLite.

The seed writes a few million rows. Building a model instance per row and letting
``bulk_create`` compile each batch costs more than generating the data, so the seed hands this
module tuples in a stated field order, with primary keys it assigned itself. Column names come
from the models' ``_meta``, so a renamed column cannot be missed. Any other database falls back
to ``bulk_create``.

The seed uses this inside its transaction, only on tables it has checked are empty of the rows
it writes (see ``seed.py``), with primary keys it assigned; sequences are reset afterwards
(:func:`reset_sequences`). The CLD import (``returns.cld_import``) uses it inside its
transaction for rows without primary keys, which the database assigns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import connection, models

SQLITE_BATCH = 20_000
FALLBACK_BATCH = 2_000


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple]) -> int:
    """Insert ``rows`` (tuples in ``fields`` order, by attname, e.g. ``person_id``)."""
    if not rows:
        return 0
    columns = [model._meta.get_field(name) for name in fields]  # names or attnames
    if connection.vendor == "postgresql":
        _copy(model, columns, rows)
    elif connection.vendor == "sqlite":
        _executemany(model, columns, rows)
    else:
        _bulk_create(model, fields, rows)
    return len(rows)


def _copy(model: type[models.Model], columns: list[models.Field], rows: Iterable[tuple]) -> None:
    qn = connection.ops.quote_name
    sql = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(c.column) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _executemany(
    model: type[models.Model], columns: list[models.Field], rows: Sequence[tuple]
) -> None:
    qn = connection.ops.quote_name
    # Table and column names come from the model's _meta, quoted; values are parameters.
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} "  # noqa: S608
        f"({', '.join(qn(c.column) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    # SQLite stores aware datetimes as naive text in the connection's time zone, exactly as
    # the ORM does (DatabaseOperations.adapt_datetimefield_value); the rest adapt natively.
    adapt = connection.ops.adapt_datetimefield_value
    dt_idx = [i for i, c in enumerate(columns) if c.get_internal_type() == "DateTimeField"]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), SQLITE_BATCH):
            batch = rows[start : start + SQLITE_BATCH]
            if dt_idx:
                batch = [_adapted(row, dt_idx, adapt) for row in batch]
            cursor.executemany(sql, batch)


def _adapted(row: tuple, indexes: list[int], adapt) -> tuple:
    values = list(row)
    for i in indexes:
        values[i] = adapt(values[i])
    return tuple(values)


def _bulk_create(model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> None:
    objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
    model.objects.bulk_create(objs, batch_size=FALLBACK_BATCH)


def reset_sequences(model_list: Sequence[type[models.Model]]) -> None:
    """After inserting explicit primary keys: move each table's id sequence past the max id.

    PostgreSQL needs this; SQLite's AUTOINCREMENT already continues from the largest id.
    """
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if not statements:
        return
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def next_id(model: type[models.Model]) -> int:
    """The first free primary key of a table (1 on an empty table)."""
    top = model.objects.aggregate(top=models.Max("pk"))["top"]
    return (top or 0) + 1
