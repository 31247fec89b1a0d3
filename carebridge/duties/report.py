"""``carebridge duties report``: every (duty, person) row as of a date, as JSON or CSV.

The contract (issue 5; extend, never change): ``--as-of YYYY-MM-DD [--format json|csv]
[--duty ID]``; one row per (duty, person) with at least ``duty``, ``person_id`` (the council
person ID, CLD's LA_Person_Unique_Identifier), ``state``, ``clock_start``, ``due``, ``met_on``.
Dates are ISO; empty values are empty strings in CSV and null in JSON. Bad input exits with
status 2, a message on stderr and nothing on stdout. The report is person-level data: each run
is written to the audit log as an export, with who ran it (``--user``, or the operating-system
account).
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import json
import re
import sys
from collections.abc import Iterable, Iterator
from typing import IO

FIELDS = (
    "duty",
    "person_id",
    "state",
    "clock_start",
    "due",
    "met_on",
    "clock_ref",
    "met_ref",
    "worker",
    "team",
    "organisation",
    "reason",
    "last_met_on",
    "last_state",
    "basis",
    "citation",
    "explanation",
)
FORMATS = ("json", "csv")


class ReportError(ValueError):
    """Input the report cannot run with (exit status 2)."""


def parse_as_of(text: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text or ""):
        raise ReportError(f"--as-of must be a date like 2026-03-31, not {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ReportError(f"--as-of {text} is not a real date") from None


def check_duty(duty_id: str | None) -> list[str] | None:
    from .definitions import DUTIES

    if duty_id is None:
        return None
    if duty_id not in DUTIES:
        raise ReportError(f"No duty {duty_id!r}. Duties: {', '.join(DUTIES)}")
    return [duty_id]


def rows(as_of: dt.date, duty_ids: list[str] | None) -> Iterator[dict]:
    """The report's rows (names looked up before the first row is produced)."""
    from carebridge.organisations.models import Organisation, Team, Worker

    workers = {
        w.pk: str(w)
        for w in Worker.objects.select_related(None).only("first_name", "last_name", "username")
    }
    teams = dict(Team.objects.values_list("pk", "name"))
    organisations = dict(Organisation.objects.values_list("pk", "name"))
    return _rows(as_of, duty_ids, workers, teams, organisations)


def _rows(as_of, duty_ids, workers, teams, organisations) -> Iterator[dict]:
    from . import engine

    for r in engine.evaluate(as_of, duty_ids):
        duty = r.definition
        yield {
            "duty": r.duty,
            "person_id": r.person_id,
            "state": r.state.value,
            "clock_start": r.clock_start.isoformat(),
            "due": r.due.isoformat(),
            "met_on": r.met_on.isoformat() if r.met_on else None,
            "clock_ref": r.clock_ref,
            "met_ref": r.met_ref,
            "worker": workers.get(r.worker_id),
            "team": teams.get(r.team_id),
            "organisation": organisations.get(r.organisation_id),
            "reason": r.reason,
            "last_met_on": r.last_met_on.isoformat() if r.last_met_on else None,
            "last_state": r.last_state.value if r.last_state else None,
            "basis": duty.basis.value,
            "citation": duty.citation,
            "explanation": r.explanation,
        }


def write(out: IO[str], fmt: str, items: Iterable[dict]) -> int:
    n = 0
    if fmt == "csv":
        w = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        for item in items:
            w.writerow({k: "" if v is None else v for k, v in item.items()})
            n += 1
        return n
    out.write("[")
    for item in items:
        out.write(",\n" if n else "\n")
        out.write(json.dumps(item, ensure_ascii=False))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def run(as_of_text: str, fmt: str, duty_id: str | None, username: str | None) -> int:
    """Check everything, then write the report to stdout and audit it; 2 on bad input."""
    from carebridge.core import audit, context
    from carebridge.core.access import Capability, can
    from carebridge.organisations.models import Worker

    try:
        as_of = parse_as_of(as_of_text)
        if fmt not in FORMATS:
            raise ReportError(f"--format must be json or csv, not {fmt!r}")
        duty_ids = check_duty(duty_id)
        worker = None
        if username:
            worker = Worker.objects.filter(username=username, is_active=True).first()
            if worker is None:
                raise ReportError(f"No active worker {username!r}")
            if not can(worker, Capability.VIEW_COMPLIANCE):
                raise ReportError(f"{username}'s role does not include duty compliance reports")
    except ReportError as e:
        print(f"carebridge duties report: {e}", file=sys.stderr)
        return 2
    os_user = getpass.getuser()
    with context.acting(context.ActionContext(source="cli", user_agent=f"cli:{os_user}")):
        n = write(sys.stdout, fmt, rows(as_of, duty_ids))
        sys.stdout.flush()
        audit.record(
            worker,
            audit.Action.EXPORT,
            object_type="duties.report",
            summary=f"Duty report as of {as_of:%d %B %Y}: {n} rows ({fmt})",
            changes={
                "as_of": as_of.isoformat(),
                "duty": duty_id or "all",
                "format": fmt,
                "rows": n,
                "run_by": username or f"operating-system user {os_user}",
            },
        )
    return 0
