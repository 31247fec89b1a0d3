"""``carebridge cld import FILE.csv [--user USERNAME] [--dry-run]``: load a CLD file into the
record (``returns.cld_import``), all or nothing, and say what it did.

Exit status: 0 loaded (or nothing to do); 1 the file has problems (each listed on stderr by row
and field; nothing loaded); 2 bad input (no such file, not a CLD CSV, an unknown or unauthorised
--user, no council CASSR code), with a message on stderr and nothing written.
"""

from __future__ import annotations

import getpass
import sys

from carebridge.rules.cld_validation import RULES

from .cld_export_cli import BadInput, returns_worker

PROG = "carebridge cld import"


def run(path: str, username: str | None, dry_run: bool) -> int:
    from carebridge.core import context

    from . import cld_export, cld_import

    err = sys.stderr
    try:
        worker = returns_worker(username)
        la_code = cld_export.council_code()
    except (BadInput, cld_export.ExportError) as e:
        print(f"{PROG}: {e}", file=err)
        return 2
    os_user = getpass.getuser()
    run_by = username or f"operating-system user {os_user}"
    try:
        with context.acting(context.ActionContext(source="cli", user_agent=f"cli:{os_user}")):
            result = cld_import.import_file(
                path, la_code=la_code, worker=worker, run_by=run_by, dry_run=dry_run
            )
    except cld_import.BadFile as e:
        print(f"{PROG}: {e}", file=err)
        return 2

    parsed = result.parsed
    if result.problems:
        rows = len({p.row for p in result.problems})
        print(
            f"{PROG}: {parsed.name} was not loaded: {_n(len(result.problems), 'problem')} on "
            f"{_n(rows, 'row')} (rows as numbered in the file; the header is row 1). Nothing "
            "was written: correct the file (or the record) and run the import again.",
            file=err,
        )
        for p in result.problems:
            where = f"{p.field}: " if p.field else ""
            print(f"  row {p.row}  {where}{p.message} [{p.rule}]", file=err)
        _notes(parsed, err)
        return 1

    c = result.counts
    assert c is not None
    out = sys.stdout
    lead = "dry run, nothing written - would be: " if dry_run else ""
    print(
        f"{PROG}: {parsed.name} ({parsed.rows:,} rows): {lead}"
        f"{c.people_created:,} people created, {c.events_created:,} events created, "
        f"{c.people_unchanged + c.events_unchanged:,} unchanged, "
        f"{c.people_updated + c.events_updated:,} updated",
        file=out,
    )
    print(
        f"  people: {c.people_created:,} created, {c.people_updated:,} updated, "
        f"{c.people_unchanged:,} unchanged",
        file=out,
    )
    print(
        f"  events: {c.events_created:,} created, {c.events_updated:,} updated, "
        f"{c.events_unchanged:,} unchanged",
        file=out,
    )
    extras = [
        (c.carer_links_created, "carer links"),
        (c.accommodation_statuses, "accommodation statuses"),
        (c.employment_statuses, "employment statuses"),
        (c.funding_statuses, "funding statuses (imported)"),
        (c.adults_cared_for, "numbers of adults cared for (imported)"),
        (c.organisations_created, "GP practices and providers"),
    ]
    if any(n for n, _ in extras):
        print("  also: " + ", ".join(f"{n:,} {what}" for n, what in extras if n), file=out)
    if not c.changed_anything and not dry_run:
        print("  Nothing to do: everything in the file is already in the record.", file=out)
    if result.batch_pk and not dry_run:
        print(f"  Recorded as CLD import {result.batch_pk} (SHA-256 {parsed.sha256}).", file=out)
    _notes(parsed, out)
    return 0


def _notes(parsed, out) -> None:
    if parsed.untraced_rows:
        print(
            f"  {_n(parsed.untraced_rows, 'row')} without an NHS number "
            "(accepted; the CLD return fails them until each person is traced on the Personal "
            "Demographics Service and the number recorded)",
            file=out,
        )
    if parsed.warnings:
        total = sum(parsed.warnings.values())
        print(
            f"  {_n(total, 'validation warning')} (accepted; 'carebridge cld validate' lists "
            "them): "
            + ", ".join(f"{RULES[r].title} ({n:,})" for r, n in parsed.warnings.most_common()),
            file=out,
        )
    if parsed.not_held:
        print(
            "  Not held by the record, so not loaded: "
            + ", ".join(f"{name} ({n:,} rows)" for name, n in sorted(parsed.not_held.items())),
            file=out,
        )


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
