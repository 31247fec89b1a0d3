"""``carebridge safeguarding sac --year YYYY-YY [--csv DIR] [--suppress] [--user USERNAME]``.

The Safeguarding Adults Collection figures for a financial year (:mod:`.figures`): JSON on
stdout, or with ``--csv DIR`` one CSV file per table written into DIR (their paths on stdout).
Figures only, no person's data; the run reads everyone's safeguarding records, so it is audited
as an export (who ran it, the year).

Exit status: 0 with the figures written; 2 on bad input (a malformed year, a --csv path that
is a file or cannot be written, an unknown or unauthorised --user), with a message on stderr
and nothing written.
"""

from __future__ import annotations

import csv
import getpass
import json
import sys
from pathlib import Path

PROG = "carebridge safeguarding sac"


class BadInput(ValueError):
    pass


def _worker(username: str | None):
    """The worker named by --user: active, and with statutory returns or safeguarding decisions."""
    from carebridge.core.access import Capability, can
    from carebridge.organisations.models import Worker

    if not username:
        return None
    worker = Worker.objects.filter(username=username, is_active=True).first()
    if worker is None:
        raise BadInput(f"no active worker {username!r}")
    if not (can(worker, Capability.EXPORT_RETURNS) or can(worker, Capability.DECIDE_SAFEGUARDING)):
        raise BadInput(f"{username}'s role includes neither statutory returns nor safeguarding")
    return worker


def _directory(text: str) -> Path:
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise BadInput(f"--csv {text}: is a file, not a directory")
    if not path.exists() and not path.parent.is_dir():
        raise BadInput(f"--csv {text}: its parent directory does not exist")
    return path


def run(year_text: str, csv_dir: str | None, suppress: bool, username: str | None) -> int:
    from carebridge.core import audit, context

    from . import figures

    try:
        try:
            year = figures.year_from(year_text)
        except figures.BadYear as e:
            raise BadInput(f"--year: {e}") from None
        out_dir = _directory(csv_dir) if csv_dir else None
        worker = _worker(username)
    except BadInput as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 2

    result = figures.for_year(year)
    files = figures.csv_files(result, suppress=suppress) if out_dir else {}
    if out_dir is not None:
        try:
            out_dir.mkdir(exist_ok=True)
            for name, rows in files.items():
                fields = (
                    figures.SUMMARY_FIELDS
                    if name.endswith("summary.csv")
                    else (figures.TABLE_FIELDS)
                )
                with (out_dir / name).open("w", newline="", encoding="utf-8") as f:
                    w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
                    w.writeheader()
                    w.writerows(rows)
        except OSError as e:
            print(f"{PROG}: --csv {csv_dir}: {e.strerror or e}", file=sys.stderr)
            return 2
    os_user = getpass.getuser()
    with context.acting(context.ActionContext(source="cli", user_agent=f"cli:{os_user}")):
        audit.record(
            worker,
            audit.Action.EXPORT,
            object_type="safeguarding.sac",
            summary=f"Safeguarding Adults Collection figures for {year}",
            changes={
                "year": str(year),
                "suppressed": suppress,
                "files": sorted(files),
                "run_by": username or f"operating-system user {os_user}",
            },
        )
    if out_dir is not None:
        for name in files:
            print(out_dir / name)
    else:
        json.dump(result.as_dict(suppress=suppress), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    sys.stdout.flush()
    return 0
