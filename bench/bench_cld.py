"""Benchmark: the statutory returns at county scale (issue 6).

Targets: a 12-month CLD export for a county-scale data set (about 40,000 requests and 17,000
people on long-term support) in under 30 seconds; validation of the same file in under 15
seconds; the SALT tables and ASCOF measures together in under 30 seconds.

* "Export" is ``returns.cld_export.write`` for the 12 months ending on the period end: what
  ``carebridge cld export`` does before it validates.
* "Validation" is ``rules.cld_validation.validate_csv`` over that file, every finding read:
  what ``carebridge cld validate`` does.
* "SALT and ASCOF" is ``returns.measures.compute`` for the financial year ending on the period
  end: it reads the CLD rows of that year and the one before it (for look-backs) from the
  record, then computes every table and measure once.

It uses the seeded databases of ``bench_pages.py`` (same --people, --seed and --history-years;
--reseed rebuilds them).

    .venv/bin/python bench/bench_cld.py [--people 50000] [--seed 1] [--database both]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_pages import measure_in_each  # noqa: E402

EXPORT_TARGET_S = 30.0
VALIDATE_TARGET_S = 15.0
MEASURES_TARGET_S = 30.0
PERIOD_END = "2026-03-31"  # a financial year's end
HISTORY_YEARS = 15.0


def _measure_here(label: str, period_end: str) -> None:
    import datetime as dt

    import django

    django.setup()
    from carebridge.organisations.models import Organisation
    from carebridge.returns import cld_export, measures
    from carebridge.rules import cld
    from carebridge.rules.cld_validation import validate_csv
    from carebridge.rules.returns import Year

    end = dt.date.fromisoformat(period_end)
    start = dt.date(end.year - 1, end.month, end.day) + dt.timedelta(days=1)
    if not Organisation.objects.filter(kind=Organisation.COUNCIL).exclude(cassr_code="").exists():
        raise SystemExit("the seeded county has no council CASSR code")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cld.csv"
        t = time.perf_counter()
        with path.open("w", newline="", encoding="utf-8") as f:
            projection = cld_export.write(f, start, end)
        export_s = time.perf_counter() - t
        size = path.stat().st_size
        t = time.perf_counter()
        with path.open(encoding="utf-8-sig", newline="") as f:
            validation = validate_csv(f, str(path))
            findings = sum(1 for _ in validation)
            summary = validation.summary
        validate_s = time.perf_counter() - t
    year = Year(end.year - 1)
    t = time.perf_counter()
    figures = measures.compute(year)
    measures_s = time.perf_counter() - t
    # The performance page's "Refresh figures" (returns.performance): the year's figures with
    # their breakdowns by organisation and area, and the readiness of the return due.
    from carebridge.returns import performance

    la_code = cld_export.council_code()
    today = end + dt.timedelta(days=1)
    t = time.perf_counter()
    groups = performance.compute_year(year, today, la_code)
    year_s = time.perf_counter() - t
    t = time.perf_counter()
    performance.readiness(*performance.return_period(today), la_code)
    readiness_s = time.perf_counter() - t
    by_type = dict(projection.by_event_type)
    lts = figures.salt["LTS001a"].sections[0].total if "LTS001a" in figures.salt else None
    print(
        json.dumps(
            {
                "database": label,
                "period": f"{start} to {end}",
                "rows": projection.rows,
                "by_type": by_type,
                "requests": by_type.get(cld.REQUEST, 0),
                "lts_people": lts,
                "file_mb": size / 1e6,
                "export_s": export_s,
                "validate_s": validate_s,
                "findings": findings,
                "failures_by_field": dict(summary.failures_by_field.most_common(5)),
                "measures_s": measures_s,
                "measures_rows": figures.rows,
                "year": str(year),
                "refresh_year_s": year_s,
                "refresh_groups": len(groups),
                "readiness_s": readiness_s,
            }
        )
    )


def report(results: list[dict]) -> None:
    for r in results:
        print(f"\n[{r['database']}] CLD return {r['period']}: {r['rows']:,} rows "
              f"({r['file_mb']:.1f} MB); {r['requests']:,} requests; "
              f"{r['lts_people']:,} people on long-term support (LTS001a)")  # fmt: skip
        print("  rows by type: " + ", ".join(f"{k} {v:,}" for k, v in sorted(r["by_type"].items())))
        ok = r["export_s"] < EXPORT_TARGET_S
        print(f"  export:     {r['export_s']:6.2f} s (target < {EXPORT_TARGET_S:.0f} s): "
              f"{'PASS' if ok else 'FAIL'}")  # fmt: skip
        ok = r["validate_s"] < VALIDATE_TARGET_S
        print(f"  validation: {r['validate_s']:6.2f} s, {r['findings']:,} findings "
              f"(target < {VALIDATE_TARGET_S:.0f} s): {'PASS' if ok else 'FAIL'}")  # fmt: skip
        if r["failures_by_field"]:
            print(f"    mandatory failures by field: {r['failures_by_field']}")
        ok = r["measures_s"] < MEASURES_TARGET_S
        print(f"  SALT + ASCOF {r['year']}: {r['measures_s']:6.2f} s from {r['measures_rows']:,} "
              f"CLD rows over two years (target < {MEASURES_TARGET_S:.0f} s): "
              f"{'PASS' if ok else 'FAIL'}")  # fmt: skip
        if "refresh_year_s" in r:
            from carebridge.server import WORKER_TIMEOUT_S

            page = r["refresh_year_s"] + r["readiness_s"]
            print(f"  performance page refresh: {page:6.2f} s (the year with "
                  f"{r['refresh_groups']} groups {r['refresh_year_s']:.2f} s, readiness "
                  f"{r['readiness_s']:.2f} s; the web server allows {WORKER_TIMEOUT_S} s)")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--period-end", default=PERIOD_END)
    ap.add_argument("--history-years", type=float, default=HISTORY_YEARS)
    ap.add_argument("--reseed", action="store_true")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        _measure_here(args.measure, args.period_end)
        return
    results = measure_in_each(__file__, args, ["--period-end", args.period_end])
    report(results)


if __name__ == "__main__":
    main()
