"""``carebridge partnerships run-due [--user USERNAME]``: carry out the scheduled transfers
whose effective date has come (run daily, early in the morning, by the council's scheduler).

Each transfer is carried out in its own transaction with its reconciliation; one that fails is
kept as failed with the reason (nothing of it changed) and the others still run. Audited: every
change is recorded against the worker named by --user, or the worker who confirmed the
transfer, from the command line.

Exit status: 0 when every due transfer was carried out (or none was due); 1 when any failed
(each named on stderr); 2 on bad input (an unknown or inactive --user, or one whose role does
not manage partnerships), with nothing done.
"""

from __future__ import annotations

import getpass
import sys

PROG = "carebridge partnerships run-due"


def run(username: str | None) -> int:
    from carebridge.core import context
    from carebridge.core.access import Capability, can
    from carebridge.organisations.models import Worker

    from . import transfers
    from .models import Transfer

    worker = None
    if username:
        worker = Worker.objects.filter(username=username, is_active=True).first()
        if worker is None:
            print(f"{PROG}: no active worker {username!r}", file=sys.stderr)
            return 2
        if not can(worker, Capability.MANAGE_PARTNERSHIPS):
            print(f"{PROG}: {username}'s role does not manage partnerships", file=sys.stderr)
            return 2
    agent = f"cli:{getpass.getuser()}"
    with context.acting(context.ActionContext(source="cli", user_agent=agent)):
        done = transfers.run_due(worker)
    failed = 0
    for t in done:
        if t.status == Transfer.Status.COMPLETED:
            totals = t.reconciliation["totals"]
            print(
                f"{t.reference} carried out: {totals['cases_held']} of {totals['cases']} open "
                f"cases held by a named worker and team; {totals['duties_lost']} open duties lost"
            )
        else:
            failed += 1
            print(f"{t.reference} failed, nothing changed: {t.failure}", file=sys.stderr)
    if not done:
        print("No transfers due.")
    return 1 if failed else 0
