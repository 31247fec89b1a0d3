"""Benchmark: seed a county-scale synthetic county on SQLite and on PostgreSQL.

For each database: create a fresh one (a temporary SQLite file; a throwaway PostgreSQL database
``carebridge_bench_seed``), migrate it, then time ``carebridge seed --people N --seed S --quiet``
in a subprocess, exactly as an operator would run it. Prints a table (database, people, events,
seconds, target, PASS/FAIL) and whether both databases hold the same county (a digest of every
seeded table). Exits 0 whatever the result: it is a benchmark, not a test.

    .venv/bin/python bench/bench_seed.py [--people 50000] [--seed 1] [--database both]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON if VENV_PYTHON.exists() else Path(sys.executable))
TARGET_SECONDS = 180.0
PG_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "carebridge_bench_seed"

COUNT_AND_DIGEST = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebridge.settings")
django.setup()
from carebridge.casework.models import Event
from carebridge.people.models import Person
people, events = Person.objects.count(), Event.objects.count()
digest = "-"
if os.environ.get("BENCH_DIGEST") == "1":
    from carebridge.demo.digest import county_digest
    digest = county_digest()
print(people, events, digest)
"""


@dataclass
class Result:
    database: str
    people: int = 0
    events: int = 0
    seconds: float = 0.0
    peak_mb: float = 0.0
    digest: str = "-"
    error: str = ""

    @property
    def verdict(self) -> str:
        if self.error:
            return "ERROR"
        return "PASS" if self.seconds <= TARGET_SECONDS else "FAIL"


def _env(url: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


# ``python -m carebridge ARGS``, reporting the process's peak memory (KiB on Linux) on exit.
CAREBRIDGE_WITH_PEAK = """
import resource, sys
from carebridge.cli import main
try:
    main(sys.argv[1:])
finally:
    print(f"peak_kib={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
"""


def _carebridge(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "-c", CAREBRIDGE_WITH_PEAK, *args],
        cwd=ROOT,
        env=_env(url),
        capture_output=True,
        text=True,
        check=False,
    )


def _peak_mb(stderr: str) -> float:
    for line in stderr.splitlines():
        if line.startswith("peak_kib="):
            return int(line.removeprefix("peak_kib=")) / 1024
    return 0.0


def _last_error(stderr: str, default: str) -> str:
    lines = [x for x in stderr.strip().splitlines() if not x.startswith("peak_kib=")]
    return lines[-1] if lines else default


def measure(database: str, url: str, args: argparse.Namespace) -> Result:
    result = Result(database)
    print(f"[{database}] migrating...", flush=True)
    done = _carebridge(url, "migrate", "--noinput", "-v", "0")
    if done.returncode:
        result.error = _last_error(done.stderr, "migrate failed")
        return result
    print(
        f"[{database}] seeding {args.people:,} people (seed {args.seed}, until {args.until})...",
        flush=True,
    )
    started = time.perf_counter()
    done = _carebridge(
        url,
        "seed",
        "--people",
        str(args.people),
        "--seed",
        str(args.seed),
        "--until",
        args.until,
        "--quiet",
    )
    result.seconds = time.perf_counter() - started
    result.peak_mb = _peak_mb(done.stderr)
    if done.returncode:
        result.error = _last_error(done.stderr, "seed failed")
        return result
    print(
        f"[{database}] seeded in {result.seconds:.1f} s; counting"
        f"{' and digesting' if args.digest else ''}...",
        flush=True,
    )
    env = _env(url) | {"BENCH_DIGEST": "1" if args.digest else "0"}
    counted = subprocess.run(
        [PYTHON, "-c", COUNT_AND_DIGEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if counted.returncode:
        result.error = (counted.stderr.strip().splitlines() or ["count failed"])[-1]
        return result
    people, events, digest = counted.stdout.split()
    result.people, result.events, result.digest = int(people), int(events), digest
    return result


def bench_sqlite(args: argparse.Namespace) -> Result:
    with tempfile.TemporaryDirectory(prefix="carebridge-bench-") as tmp:
        return measure("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", args)


def bench_postgres(args: argparse.Namespace) -> Result:
    try:
        import psycopg
    except ImportError:
        return Result("PostgreSQL", error="psycopg is not installed")
    admin = f"{PG_SERVER}/postgres"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}"')
            conn.execute(f'CREATE DATABASE "{PG_DATABASE}"')
    except psycopg.Error as e:
        return Result("PostgreSQL", error=f"cannot create {PG_DATABASE}: {e}".splitlines()[0])
    try:
        return measure("PostgreSQL", f"{PG_SERVER}/{PG_DATABASE}", args)
    finally:
        if not args.keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


def print_table(results: list[Result]) -> None:
    header = (
        f"{'database':<12}{'people':>9}{'events':>11}{'seconds':>10}{'target':>8}"
        f"{'peak MB':>9}  result"
    )
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.database:<12}{r.people:>9,}{r.events:>11,}{r.seconds:>10.1f}"
            f"{TARGET_SECONDS:>8.0f}{r.peak_mb:>9.0f}  {r.verdict}"
            + (f"  ({r.error})" if r.error else "")
        )
    digests = {r.digest for r in results if not r.error and r.digest != "-"}
    if len(digests) == 1 and len(results) > 1:
        print(f"\nSame county on every database (digest {digests.pop()[:16]}...).")
    elif len(digests) > 1:
        print("\nWARNING: the databases hold different counties (digests differ):")
        for r in results:
            print(f"  {r.database}: {r.digest}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--until",
        default=dt.date.today().isoformat(),  # noqa: DTZ011
        help="last day of history (default today; the same for every database)",
    )
    ap.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    ap.add_argument(
        "--no-digest",
        dest="digest",
        action="store_false",
        help="skip comparing the seeded data across databases",
    )
    ap.add_argument("--keep", action="store_true", help=f"keep the {PG_DATABASE} database")
    args = ap.parse_args()
    results = []
    if args.database in ("sqlite", "both"):
        results.append(bench_sqlite(args))
    if args.database in ("postgres", "both"):
        results.append(bench_postgres(args))
    print_table(results)
    sys.exit(0)


if __name__ == "__main__":
    main()
