"""``carebridge cld validate``: read a CLD CSV, check it (``rules.cld_validation``) and print the
report as text, JSON or CSV. Pure: reads the file only, never the database.

The findings are spooled (to memory, then to a temporary file once large) while the file is
read, so the summary can be printed first without holding a county's findings in memory.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import tempfile
from typing import IO

import click

from carebridge.rules.cld_validation import (
    FAIL,
    FINDING_COLUMNS,
    RULES,
    Finding,
    Summary,
    UnreadableFile,
    validate_csv,
)

_SPOOL_IN_MEMORY = 16 * 1024 * 1024


def run(path: str, fmt: str, max_findings: int | None = None) -> int:
    """Validate ``path`` ('-': standard input) and print the report; the exit status."""
    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            stream: IO[str] = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")
        else:
            stream = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except OSError as e:
        return _refuse(f"cannot read {name}: {e.strerror or e}")
    spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed below
        max_size=_SPOOL_IN_MEMORY, mode="w+", encoding="utf-8", newline=""
    )
    try:
        validation = validate_csv(stream, name)
        shown = _spool(validation, fmt, spool, max_findings)
        summary = validation.summary
    except UnreadableFile as e:
        return _refuse(str(e))
    except OSError as e:
        return _refuse(f"cannot read {name}: {e.strerror or e}")
    finally:
        if path != "-":
            stream.close()
    try:
        spool.seek(0)
        out = sys.stdout
        if fmt == "json":
            out.write('{"summary": ' + json.dumps(summary.as_dict(), indent=2) + ",\n")
            out.write('"findings": [\n')
            _copy(spool, out)
            out.write("]}\n")
        elif fmt == "csv":
            csv.writer(out, lineterminator="\n").writerow(FINDING_COLUMNS)
            _copy(spool, out)
        else:
            out.write(_text_summary(name, summary))
            total = summary.failures + summary.warnings
            if total:
                out.write("\nFindings (row as in the file; the header is row 1):\n")
                _copy(spool, out)
                if shown < total:
                    out.write(
                        f"\n... and {_n(total - shown, 'more finding')}: use --format csv for them "
                        "all.\n"
                    )
        out.flush()
    finally:
        spool.close()
    return 0 if summary.passed else 1


def _refuse(message: str) -> int:
    click.echo(f"Error: {message}", err=True)
    return 2


def _spool(validation, fmt: str, spool: IO[str], max_findings: int | None) -> int:
    """Write each finding to the spool in the output format; how many were written."""
    written = 0
    if fmt == "json":
        encode = json.JSONEncoder(ensure_ascii=False).encode
        for f in validation:
            spool.write((",\n" if written else "") + encode(f.as_dict()))
            written += 1
        if written:
            spool.write("\n")
    elif fmt == "csv":
        w = csv.writer(spool, lineterminator="\n")
        for f in validation:
            w.writerow((f.row, f.field, f.value, f.severity, f.rule, f.message))
            written += 1
    else:
        last_row = None
        for f in validation:
            if max_findings is not None and written >= max_findings:
                continue  # keep reading: the summary counts every finding
            if f.row != last_row:
                spool.write(f"\nRow {f.row}{' (header)' if f.row == 1 else ''}\n")
                last_row = f.row
            spool.write(_text_line(f))
            written += 1
    return written


def _text_line(f: Finding) -> str:
    label = "FAIL   " if f.severity == FAIL else "warning"
    where = f"{f.field}: " if f.field else ""
    return f"  {label} {where}{f.message} [{f.rule}]\n"


def _text_summary(name: str, s: Summary) -> str:
    lines = [f"CLD validation of {name}"]
    if s.passed:
        lines.append(
            f"Result: PASS - no mandatory rule fails ({_n(s.warnings, 'warning')} worth correcting)"
        )
    else:
        lines.append(
            f"Result: FAIL - {_n(s.failures, 'failure')} must be corrected before submission; "
            f"{_n(s.warnings, 'warning')}"
        )
    lines.append(
        f"Rows read: {s.rows_read:,}; rows with failures: {s.rows_with_failures:,}; "
        f"rows with warnings only: {s.rows_with_warnings_only:,}"
    )
    for severity, heading in ((FAIL, "Failures"), ("warning", "Warnings")):
        counts = [(n, r) for r, n in s.by_rule.items() if RULES[r].severity == severity]
        if counts:
            lines.append(f"{heading} by rule:")
            lines.extend(f"  {n:>8,}  {RULES[r].title} [{r}]" for n, r in sorted(counts, key=_most))
    for heading, counter in (
        ("Failures by field", s.failures_by_field),
        ("Warnings by field", s.warnings_by_field),
    ):
        if counter:
            lines.append(f"{heading}:")
            lines.extend(f"  {n:>8,}  {field}" for field, n in counter.most_common())
    lines.append(
        "Not checked against a list (no published Release 2 values): "
        + ", ".join(s.as_dict()["values_not_checked"])  # type: ignore[arg-type]
    )
    return "\n".join(lines) + "\n"


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _most(item: tuple[int, str]) -> tuple[int, str]:
    return (-item[0], item[1])


def _copy(spool: IO[str], out: IO[str]) -> None:
    while chunk := spool.read(1024 * 1024):
        out.write(chunk)
