"""Benchmark: evaluating every statutory duty for every person as of a date (issue 5).

Targets: at county scale, evaluating all duties as of a date in under 10 seconds on each
database, and within 5x the time of one full scan of the events table measured in the same
run; a person's duty states after recording an event in under 50 ms.

* "Evaluating all duties" is the engine producing every (duty, person) row as of the date,
  with its explanation, in the application (``duties.engine.evaluate``): what the CLI report
  and the nightly refresh do before writing anything.
  A county is read over a few connections at once on one snapshot (ADR 0016); the figure on
  one connection, in turn, is printed beside it.
* "One full scan of the events table" is every event row read once by the application through
  the same connection (its key columns: person, type, dates, outcome): the least any
  evaluation over the events must do.
* "After recording an event" is ``duties.services.refresh_people`` for one person: what runs in
  the request that records it (evaluate that person's duties, replace their stored states).

Uses the seeded databases of ``bench_pages.py`` (same --people and --seed; --reseed rebuilds).

    .venv/bin/python bench/bench_duties.py [--people 50000] [--seed 1] [--database both]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_pages import measure_in_each  # noqa: E402

EVALUATE_TARGET_S = 10.0
RATIO_TARGET = 5.0
REFRESH_TARGET_MS = 50.0
AS_OF = "2026-03-31"
# A long case history, as a county that has used its system for years holds.
HISTORY_YEARS = 15.0


def _measure_here(label: str, as_of_text: str) -> None:
    import datetime as dt

    import django

    django.setup()
    from django.db import connection
    from django.test import override_settings

    from carebridge.casework.models import Allocation, Event
    from carebridge.duties import concurrent, engine, services
    from carebridge.duties.definitions import DUTIES
    from carebridge.people.models import Person

    as_of = dt.date.fromisoformat(as_of_text)
    table = Event._meta.db_table
    people, events = Person.objects.count(), Event.objects.count()

    def scan() -> float:
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT person_id, event_type, start_date, end_date, outcome FROM {table}"
            )
            while cursor.fetchmany(10000):
                pass
        return time.perf_counter() - t

    scan()  # warm the cache as the evaluation will find it
    scans = [scan() for _ in range(3)]
    per_duty = {}
    rows = 0
    started = time.perf_counter()
    for duty_id in DUTIES:
        t = time.perf_counter()
        n = sum(1 for _ in engine.evaluate(as_of, [duty_id]))
        per_duty[duty_id] = (n, time.perf_counter() - t)
        rows += n
    evaluate_s = time.perf_counter() - started
    started = time.perf_counter()
    rows_all = sum(1 for _ in engine.evaluate(as_of))
    evaluate_all_s = time.perf_counter() - started
    connections = concurrent.connections_for(len(DUTIES))
    with override_settings(DUTIES_EVALUATION_CONNECTIONS=1):
        started = time.perf_counter()
        sum(1 for _ in engine.evaluate(as_of))
        one_connection_s = time.perf_counter() - started

    pks = list(
        Allocation.objects.filter(ended_at__isnull=True)
        .order_by("pk")
        .values_list("person_id", flat=True)[:2000:10]
    )
    for pk in pks[:10]:
        services.refresh_people([pk])
    refresh = []
    for pk in pks:
        t = time.perf_counter()
        services.refresh_people([pk])
        refresh.append((time.perf_counter() - t) * 1000)
    refresh.sort()
    print(
        json.dumps(
            {
                "database": label,
                "people": people,
                "events": events,
                "scan_s": statistics.median(scans),
                "evaluate_s": min(evaluate_s, evaluate_all_s),
                "connections": connections,
                "one_connection_s": one_connection_s,
                "rows": rows_all,
                "per_duty": per_duty,
                "refresh_p50": statistics.median(refresh),
                "refresh_p95": refresh[int(len(refresh) * 0.95) - 1],
                "refresh_n": len(refresh),
            }
        )
    )


def report(results: list[dict]) -> None:
    for r in results:
        ratio = r["evaluate_s"] / r["scan_s"]
        print(f"\n[{r['database']}] {r['people']:,} people, {r['events']:,} events; as of {AS_OF}")
        for duty, (n, s) in r["per_duty"].items():
            print(f"  {duty:<38} {n:>8,} rows {s:>7.2f} s")
        ok = r["evaluate_s"] < EVALUATE_TARGET_S and ratio < RATIO_TARGET
        print(
            f"  all duties: {r['rows']:,} rows in {r['evaluate_s']:.2f} s; one full scan of the "
            f"events table {r['scan_s']:.2f} s; ratio {ratio:.1f}x  "
            f"(targets < {EVALUATE_TARGET_S:.0f} s and < {RATIO_TARGET:.0f}x): "
            f"{'PASS' if ok else 'FAIL'}"
        )
        print(
            f"  (read over {r['connections']} connections at once, DUTIES_EVALUATION_CONNECTIONS; "
            f"on one connection, in turn: {r['one_connection_s']:.2f} s, "
            f"{r['one_connection_s'] / r['scan_s']:.1f}x)"
        )
        ok = r["refresh_p95"] < REFRESH_TARGET_MS
        print(
            f"  one person's duties after a change: p50 {r['refresh_p50']:.1f} ms, "
            f"p95 {r['refresh_p95']:.1f} ms over {r['refresh_n']} people "
            f"(target < {REFRESH_TARGET_MS:.0f} ms): {'PASS' if ok else 'FAIL'}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--as-of", default=AS_OF)
    ap.add_argument(
        "--history-years",
        type=float,
        default=HISTORY_YEARS,
        help="years of case history in the seeded county (a database per length)",
    )
    ap.add_argument("--reseed", action="store_true")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        _measure_here(args.measure, args.as_of)
        return
    results = measure_in_each(__file__, args, ["--as-of", args.as_of])
    report(results)


if __name__ == "__main__":
    main()
