"""``carebridge cld export``: write the CLD return for a period, audit it, validate it.

``--from YYYY-MM-DD --to YYYY-MM-DD --out FILE.csv [--user USERNAME]``. The file is written to a
temporary file beside ``--out`` and renamed into place once complete, so a failed run leaves no
half-written file. The run is audited as an export (who, period, rows). The written file is then
checked by the CLD validator (``rules.cld_validation``, the same checks as ``carebridge cld
validate``); the summary goes to stderr with, for each row that fails, the person's council ID
and the page in carebridge where it can be corrected at source.

Exit status: 0 when the file passes; 1 when a mandatory rule fails (the file is still written);
2 on bad input, with a message on stderr and nothing written.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
import sys
import tempfile
from pathlib import Path

from carebridge.rules.cld_validation import FAIL, RULES, validate_csv

PROG = "carebridge cld export"


class BadInput(ValueError):
    """Input the export cannot run with (exit status 2)."""


def parse_date(option: str, text: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text or ""):
        raise BadInput(f"{option} must be a date like 2026-03-31, not {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{option} {text} is not a real date") from None


def returns_worker(username: str | None):
    """The worker named by --user, if active and allowed statutory returns (None: none named,
    the operating-system user is recorded instead); otherwise BadInput."""
    from carebridge.core.access import Capability, can
    from carebridge.organisations.models import Worker

    if not username:
        return None
    worker = Worker.objects.filter(username=username, is_active=True).first()
    if worker is None:
        raise BadInput(f"no active worker {username!r}")
    if not can(worker, Capability.EXPORT_RETURNS):
        raise BadInput(f"{username}'s role does not include statutory returns")
    return worker


def run(from_text: str, to_text: str, out_path: str, username: str | None) -> int:
    from django.urls import reverse

    from carebridge.core import audit, context

    from . import cld_export

    try:
        start = parse_date("--from", from_text)
        end = parse_date("--to", to_text)
        if start > end:
            raise BadInput(f"--from {start} is after --to {end}")
        out = Path(out_path)
        if out.is_dir():
            raise BadInput(f"--out {out_path} is a folder: give a file name")
        if not out.parent.is_dir():
            raise BadInput(f"--out {out_path}: folder {out.parent} does not exist")
        worker = returns_worker(username)
        la_code = cld_export.council_code()
    except (BadInput, cld_export.ExportError) as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        return 2

    os_user = getpass.getuser()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
            projection = cld_export.write(f, start, end, la_code)
        os.replace(tmp_name, out)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    with context.acting(context.ActionContext(source="cli", user_agent=f"cli:{os_user}")):
        audit.record(
            worker,
            audit.Action.EXPORT,
            object_type="returns.cld",
            summary=f"CLD return {start:%d %B %Y} to {end:%d %B %Y}: {projection.rows} rows",
            changes={
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "la_code": la_code,
                "rows": projection.rows,
                "by_event_type": dict(projection.by_event_type),
                "file": out.name,
                "run_by": username or f"operating-system user {os_user}",
            },
        )

    # Validate the file as written (the same checks as ``carebridge cld validate``).
    failing_rows: dict[int, list[str]] = {}  # row in file -> fields failing
    with out.open(encoding="utf-8-sig", newline="") as f:
        validation = validate_csv(f, str(out))
        for finding in validation:
            if finding.severity == FAIL and finding.row > 1:
                failing_rows.setdefault(finding.row, []).append(finding.field or finding.rule)
        summary = validation.summary

    err = sys.stderr
    print(
        f"{PROG}: wrote {out} - {projection.rows:,} rows for {start} to {end} "
        f"(LA_Code {la_code}): "
        + ", ".join(f"{n:,} {kind}" for kind, n in sorted(projection.by_event_type.items())),
        file=err,
    )
    if summary.passed:
        print(
            f"Validation: PASS - no mandatory rule fails ({summary.warnings:,} warnings)", file=err
        )
        return 0
    print(
        f"Validation: FAIL - {summary.failures:,} failures on {summary.rows_with_failures:,} rows "
        f"must be corrected before submission; {summary.warnings:,} warnings",
        file=err,
    )
    counts = [(n, r) for r, n in summary.by_rule.items() if RULES[r].severity == FAIL]
    print("Failures by field:", file=err)
    for name, n in summary.failures_by_field.most_common():
        print(f"  {n:>8,}  {name}", file=err)
    print("Failures by rule:", file=err)
    for n, r in sorted(counts, key=lambda item: (-item[0], item[1])):
        print(f"  {n:>8,}  {RULES[r].title} [{r}]", file=err)
    # Each failing row, with whose it is and where to correct it.
    print("Rows to correct at source (row in file, council person ID, page, fields):", file=err)
    for row, fields in sorted(failing_rows.items()):
        index = row - 2  # the header is row 1
        if not 0 <= index < len(projection.person_of_row):
            continue
        person_id = projection.person_ids[projection.person_of_row[index]]
        url = reverse("people:detail", args=[person_id])
        print(f"  row {row}  {person_id}  {url}  {', '.join(dict.fromkeys(fields))}", file=err)
    return 1
