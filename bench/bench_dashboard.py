"""Benchmark: the compliance dashboard's pages at county scale (issue 5; no target is set:
these are the figures a council can expect, and a check that the query count stays fixed).

Server time of each page (the whole Django request cycle in-process, as bench_pages.py
measures it), median of 5 after a warm-up, for a team manager (people listed by name only where
their team holds the case) and a performance analyst (by council person ID), with the number of
queries. Uses the seeded databases of bench_duties.py (same --people, --seed, --history-years).

    .venv/bin/python bench/bench_dashboard.py [--people 50000] [--seed 1] [--history-years 15] [--database both]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_pages import prepare  # noqa: E402

PAGES = (
    "/compliance/",
    "/compliance/?by=organisation",
    "/compliance/?by=team",
    "/compliance/?by=worker",
    "/compliance/people/?duty=annual-review&state=overdue",
    "/compliance/people.csv?duty=annual-review&state=overdue",
    "/compliance/trends/",
    "/compliance/standards/",
)
USERS = ("tm.demo", "pa.demo")


def _measure_here(label: str) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from carebridge.organisations.models import Worker

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    print(f"\n[{label}]")
    for username in USERS:
        client = Client()
        client.force_login(Worker.objects.get(username=username))
        for url in PAGES:
            client.get(url)
            times = []
            for _ in range(5):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - started) * 1000)
            print(
                f"  {username:8} {url:58} {response.status_code} "
                f"{statistics.median(times):6.0f} ms {len(queries.captured_queries):3} queries",
                flush=True,
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--history-years", type=float, default=15.0)
    ap.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        _measure_here(args.measure)
        return
    for db in ["sqlite", "postgres"] if args.database == "both" else [args.database]:
        url = prepare(db, args.people, args.seed, False, args.history_years)
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "carebridge.settings"}
        subprocess.run([sys.executable, __file__, "--measure", db], cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    main()
