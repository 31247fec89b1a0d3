"""``carebridge returns salt|ascof --year YYYY-YY [--format json|csv] [--user USERNAME]``.

The SALT-equivalent tables or the ASCOF measures for a financial year, computed from the same
events as the CLD return (:mod:`carebridge.returns.measures`). The output holds only figures,
no person's data. The run reads everyone's records, so it is audited as an export: who ran it,
the year, and how many CLD rows were read.

Exit status: 0 with the figures on stdout; 2 on bad input (a malformed year, an unknown or
unauthorised --user, a population that is not a positive whole number), with a message on
stderr and nothing on stdout.
"""

from __future__ import annotations

import csv
import getpass
import json
import sys

from .cld_export_cli import BadInput, returns_worker

FORMATS = ("json", "csv")


def _population(option: str, text: str | None) -> int | None:
    if text is None:
        return None
    t = text.strip().replace(",", "")
    if not t.isdigit() or int(t) == 0:
        raise BadInput(f"{option} must be a positive whole number (ONS mid-year estimate)")
    return int(t)


def run(
    what: str,
    year_text: str,
    fmt: str,
    username: str | None,
    population_18_64: str | None = None,
    population_65_plus: str | None = None,
) -> int:
    from carebridge.core import audit, context
    from carebridge.rules.returns import InvalidYear, Year

    from . import cld_export, measures

    prog = f"carebridge returns {what}"
    try:
        if fmt not in FORMATS:
            raise BadInput(f"--format must be json or csv, not {fmt!r}")
        try:
            year = Year.parse(year_text)
        except InvalidYear as e:
            raise BadInput(f"--year: {e}") from None
        pop_young = _population("--population-18-64", population_18_64)
        pop_old = _population("--population-65-plus", population_65_plus)
        worker = returns_worker(username)
        la_code = cld_export.council_code()
    except (BadInput, cld_export.ExportError) as e:
        print(f"{prog}: {e}", file=sys.stderr)
        return 2

    figures = measures.compute(
        year,
        salt=what == "salt",
        ascof=what == "ascof",
        population_18_64=pop_young,
        population_65_plus=pop_old,
        la_code=la_code,
    )
    os_user = getpass.getuser()
    with context.acting(context.ActionContext(source="cli", user_agent=f"cli:{os_user}")):
        audit.record(
            worker,
            audit.Action.EXPORT,
            object_type=f"returns.{what}",
            summary=f"{'SALT tables' if what == 'salt' else 'ASCOF measures'} for {year}",
            changes={
                "year": str(year),
                "cld_rows_read": figures.rows,
                "run_by": username or f"operating-system user {os_user}",
            },
        )
    out = sys.stdout
    if fmt == "json":
        items = figures.salt if what == "salt" else figures.ascof
        key = "tables" if what == "salt" else "measures"
        json.dump(
            {"year": str(year), key: {code: item.as_dict() for code, item in items.items()}},
            out,
            ensure_ascii=False,
            indent=2,
        )
        out.write("\n")
    else:
        fields = measures.SALT_CSV_FIELDS if what == "salt" else measures.ASCOF_CSV_FIELDS
        rows = measures.salt_rows(figures) if what == "salt" else measures.ascof_rows(figures)
        w = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    out.flush()
    return 0
