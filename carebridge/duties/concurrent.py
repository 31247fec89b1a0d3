"""Read a county's duties over several database connections at once, all on one view of the
data.

Evaluating every duty for everyone is one statement per duty (:mod:`carebridge.duties.engine`).
Run one after another they use one CPU of the database server; run side by side on a few
connections, the server works on several at once while the application formats the rows that
have come back (ADR 0016). The connections must see the same data, or a record written half-way
through would count in one duty and not another:

* **PostgreSQL**: a first connection opens a repeatable-read transaction and exports its
  snapshot (``pg_export_snapshot``); each reader opens its own repeatable-read transaction on
  that snapshot (``SET TRANSACTION SNAPSHOT``), as ``pg_dump --jobs`` does.
* **SQLite** (write-ahead log): a reader's view is fixed by its first read. A first connection
  takes the write lock (``BEGIN IMMEDIATE``), so nothing can be committed, while each reader
  makes its first read; then it lets go. Writers wait a moment (the busy timeout), no longer.

Only outside a transaction (a reader on another connection cannot see what this one has not
committed) and on a database other connections can open (not SQLite in memory). On SQLite, if
another connection has been writing for a second (a nightly refresh), the caller reads in turn
instead (:class:`Unavailable`). The number of
connections is ``settings.DUTIES_EVALUATION_CONNECTIONS``; 1 reads on the one connection, in
turn.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections

Statement = tuple[str, Sequence]

_SNAPSHOT_ID = re.compile(r"^[0-9A-Fa-f-]+$")


def connections_for(statements: int) -> int:
    """How many connections to read ``statements`` statements over now (1: in turn, on the
    request's own connection)."""
    wanted = int(getattr(settings, "DUTIES_EVALUATION_CONNECTIONS", 1))
    if wanted <= 1 or statements <= 1 or connection.in_atomic_block:
        return 1
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            return 1
    elif connection.vendor != "postgresql":
        return 1
    return min(wanted, statements)


def fetch_all(statements: Iterable[Statement], n: int) -> Iterator[list[tuple]]:
    """Each statement's rows, in the order given, read over ``n`` connections that all see the
    data as it stood at one moment. ``statements`` may be built lazily: the readers start on
    the first while the rest are still being built. The connections are closed when the last
    rows have been taken, or when the caller stops early."""
    futures: list[Future] = []
    tasks: queue.SimpleQueue = queue.SimpleQueue()
    stop = threading.Event()
    attached: list[Future] = [Future() for _ in range(n)]
    connect = _connection_factory()
    holder = _SnapshotHolder(connection.vendor, connect)
    readers: list[threading.Thread] = []
    try:
        snapshot = holder.open()
        for i in range(n):
            reader = threading.Thread(
                target=_read,
                args=(connect, connection.vendor, snapshot, attached[i], tasks, stop),
                name=f"duties-reader-{i + 1}",
                daemon=True,
            )
            reader.start()
            readers.append(reader)
        for statement in statements:
            futures.append(Future())
            tasks.put((statement, futures[-1]))
        for f in attached:
            f.result()  # every reader is on the snapshot (or this raises its error)
        holder.close()
        for _ in readers:
            tasks.put(None)  # no more statements
        for f in futures:
            yield f.result()
    finally:
        stop.set()
        holder.close()
        for _ in readers:
            tasks.put(None)
        for reader in readers:
            reader.join()
        for f in futures:  # a statement no reader reached (an error, or the caller stopped)
            f.cancel()


def _connection_factory() -> Callable[[], Any]:
    """Makes more connections to the database the calling thread's connection uses (its own
    settings: a test database too), for use in any thread."""
    own = connections[DEFAULT_DB_ALIAS]
    wrapper, settings_dict = type(own), own.settings_dict
    return lambda: wrapper(settings_dict, alias=DEFAULT_DB_ALIAS)


class Unavailable(Exception):
    """The connections cannot be put on one view now (SQLite: another connection has been
    writing for longer than :data:`LOCK_WAIT_MS`): read in turn instead."""


# How long SQLite's first connection waits for a writer to finish before the caller reads in
# turn (a nightly refresh can hold the write lock for seconds; readers in turn do not need it).
LOCK_WAIT_MS = 1000


class _SnapshotHolder:
    """The connection that fixes the moment: PostgreSQL's exported snapshot, or SQLite's
    write lock while the readers make their first read."""

    def __init__(self, vendor: str, connect: Callable[[], Any]) -> None:
        self.vendor = vendor
        self.connect = connect
        self.db = None
        self.in_transaction = False

    def open(self) -> str | None:
        """Fix the moment; the snapshot's id on PostgreSQL. Raises :class:`Unavailable` when
        SQLite's write lock is held elsewhere for longer than :data:`LOCK_WAIT_MS`."""
        self.db = self.connect()
        with self.db.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute(f"PRAGMA busy_timeout = {LOCK_WAIT_MS}")
                try:
                    cursor.execute("BEGIN IMMEDIATE")
                except OperationalError as error:  # "database is locked"
                    raise Unavailable(str(error)) from error
                self.in_transaction = True
                return None
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            self.in_transaction = True
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        if not _SNAPSHOT_ID.match(snapshot):
            raise RuntimeError(f"unexpected snapshot id {snapshot!r}")
        return snapshot

    def close(self) -> None:
        if self.db is None:
            return
        db, self.db = self.db, None
        try:
            if self.in_transaction:
                self.in_transaction = False
                with db.cursor() as cursor:
                    cursor.execute("ROLLBACK")
        finally:
            db.close()


def _read(
    connect: Callable[[], Any],
    vendor: str,
    snapshot: str | None,
    attached: Future,
    tasks: queue.SimpleQueue,
    stop: threading.Event,
) -> None:
    """One reader: its own connection, on the shared snapshot, taking statements until told
    there are no more (``None``)."""
    db = connect()
    try:
        try:
            with db.cursor() as cursor:
                if vendor == "sqlite":
                    cursor.execute("BEGIN")
                    cursor.execute("SELECT 1 FROM sqlite_schema LIMIT 1")  # fixes the view
                    cursor.fetchall()
                else:
                    cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    # The id is the server's own, checked above: SET takes no parameters.
                    cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
        except BaseException as error:
            attached.set_exception(error)
            return
        attached.set_result(True)
        while (task := tasks.get()) is not None:
            (sql, params), result = task
            if stop.is_set() or not result.set_running_or_notify_cancel():
                result.cancel()  # after an error elsewhere, or the caller stopped
                continue
            try:
                with db.cursor() as cursor:
                    cursor.execute(sql, params)
                    result.set_result(cursor.fetchall())
            except BaseException as error:
                result.set_exception(error)
                stop.set()
        with db.cursor() as cursor:
            cursor.execute("ROLLBACK")
    finally:
        db.close()
