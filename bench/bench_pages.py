"""Benchmark: person search (each kind) and the person's page at county scale.

Targets (issue 2): server time p95 under 100 ms at 50,000 people, and under 5x the server time
of a trivial authenticated page measured in the same run; a fixed number of queries per page
whatever the size of the history.

"Server time" is the whole Django request cycle in-process (middleware, session, access checks,
audit write, queries, template rendering), measured with Django's test client against a seeded
database: no network. The trivial page is an authenticated page rendering the full GOV.UK layout
with no data (the 'your work' page of a commissioner).

    .venv/bin/python bench/bench_pages.py [--people 50000] [--seed 1] [--database sqlite|postgres|both]

Seeded databases are kept (var/bench/, and PostgreSQL database carebridge_bench_pages_<N>) and
reused by later runs; --reseed rebuilds them. Prints a table; exits 0 (a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
SAMPLES = 200
WARMUP = 20
P95_TARGET_MS = 100.0
RATIO_TARGET = 5.0


def sh(args, env=None, check=True):
    return subprocess.run(args, cwd=ROOT, env=env, check=check, capture_output=True, text=True)


def prepare(
    database: str, people: int, seed: int, reseed: bool, history_years: float | None = None
) -> str:
    """The seeded database for these settings (made on first use, migrated every time).
    ``history_years`` other than the seeder's default gives a database of its own."""
    env = dict(os.environ)
    years = f"-{history_years:g}y".replace(".", "p") if history_years else ""
    if database == "sqlite":
        path = ROOT / "var" / "bench" / f"pages-{people}-{seed}{years}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if reseed:
            for p in path.parent.glob(path.name + "*"):
                p.unlink()
        url = f"sqlite:///{path}"
        fresh = not path.exists()
    else:
        name = f"carebridge_bench_pages_{people}_{seed}{years.replace('-', '_')}"
        exists = sh(
            ["psql", f"{PG}/postgres", "-tAc", f"select 1 from pg_database where datname='{name}'"]
        ).stdout.strip()
        if exists and reseed:
            sh(["psql", f"{PG}/postgres", "-qc", f"drop database {name}"])
            exists = ""
        if not exists:
            sh(["psql", f"{PG}/postgres", "-qc", f"create database {name}"])
        url = f"{PG}/{name}"
        fresh = not exists
    env["DATABASE_URL"] = url
    # Always: a database seeded by an earlier version gets later migrations (new indexes).
    sh([sys.executable, "-m", "carebridge", "migrate", "--noinput", "-v", "0"], env=env)
    if fresh:
        print(f"[{database}] seeding {people:,} people (seed {seed})...", flush=True)
        t = time.perf_counter()
        sh(
            [sys.executable, "-m", "carebridge", "seed", "--people", str(people), "--seed",
             str(seed), "--quiet",
             *(["--history-years", f"{history_years:g}"] if history_years else [])],
            env=env,
        )  # fmt: skip
        print(f"[{database}] seeded in {time.perf_counter() - t:.0f}s", flush=True)
    return url


def measure_in_each(script: str, args, extra: list[str]) -> list[dict]:
    """Run ``script --measure DB *extra`` against each seeded database ``args`` names
    (--database, --people, --seed, --reseed, --history-years), in a process of its own, and
    collect the JSON each prints last."""
    import json

    dbs = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = []
    for db in dbs:
        url = prepare(db, args.people, args.seed, args.reseed, args.history_years)
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "carebridge.settings"}
        out = subprocess.run(
            [sys.executable, script, "--measure", db, *extra],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            print(out.stdout, out.stderr)
            raise SystemExit(f"measurement failed on {db}")
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def measure(url: str, label: str, seed: int) -> list[dict]:
    """Run in a subprocess per database so Django is configured once for that database."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "carebridge.settings"}
    out = subprocess.run(
        [sys.executable, __file__, "--measure", label, "--seed", str(seed)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        print(out.stdout, out.stderr)
        raise SystemExit(f"measurement failed on {label}")
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def _measure_here(label: str, seed: int) -> None:
    import json

    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from carebridge.casework.models import Allocation, Event
    from carebridge.organisations.models import Worker
    from carebridge.people.models import Person, PersonName

    rng = random.Random(seed)
    worker = Worker.objects.get(username="sw.demo")
    trivial_worker = Worker.objects.get(username="comm.demo")
    people_total = Person.objects.count()
    events_total = Event.objects.count()

    # People the worker may open (allocated to their team), the ones with most history first.
    team_people = list(
        Allocation.objects.filter(team_id=worker.team_id, ended_at__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    from django.db.models import Count

    busiest = list(
        Person.objects.filter(pk__in=team_people, is_restricted=False)
        .annotate(n=Count("events"))
        .order_by("-n")
        .values_list("person_id", "n")[:20]
    )
    sample_ids = [pid for pid, _ in busiest] + list(
        Person.objects.filter(pk__in=rng.sample(team_people, min(180, len(team_people))))
        .filter(is_restricted=False)
        .values_list("person_id", flat=True)
    )
    sample_people = list(Person.objects.filter(is_restricted=False).order_by("?")[:400])
    names = list(PersonName.objects.filter(person__in=sample_people[:200]))

    def typo(word: str) -> str:
        if len(word) < 5:
            return word
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]

    kinds: dict[str, list[str]] = {
        "trivial page (baseline)": ["/caseload/"] * SAMPLES,
        "search: NHS number": [
            f"/people/?nhs_number={p.nhs_number}" for p in sample_people if p.nhs_number
        ][:SAMPLES],
        "search: name with a typo": [
            f"/people/?name={n.given_name}+{typo(n.family_name)}" for n in names
        ][:SAMPLES],
        "search: family name only": [f"/people/?name={typo(n.family_name)}" for n in names][
            :SAMPLES
        ],
        "search: date of birth": [
            f"/people/?date_of_birth-day={p.date_of_birth.day}&date_of_birth-month={p.date_of_birth.month}"
            f"&date_of_birth-year={p.date_of_birth.year}"
            for p in sample_people
        ][:SAMPLES],
        "search: postcode": [
            f"/people/?postcode={p.postcode.replace(' ', '+')}" for p in sample_people if p.postcode
        ][:SAMPLES],
        "person's page": [f"/people/{pid}/" for pid in sample_ids][:SAMPLES],
    }
    # Interleave the kinds round-robin, so load from anything else on the machine falls on every
    # kind alike and the ratio to the trivial page stays fair.
    clients = {}
    for kind in kinds:
        c = Client()
        c.force_login(trivial_worker if kind.startswith("trivial") else worker)
        clients[kind] = c
        for u in kinds[kind][:WARMUP]:
            c.get(u)
    times: dict[str, list[float]] = {k: [] for k in kinds}
    queries: dict[str, set[int]] = {k: set() for k in kinds}
    for i in range(SAMPLES):
        for kind, urls in kinds.items():
            if i >= len(urls):
                continue
            reset_queries()  # Django also resets the log at each request start
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                r = clients[kind].get(urls[i])
                times[kind].append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, (urls[i], r.status_code)
            queries[kind].add(len(ctx.captured_queries))
    results = []
    for kind in kinds:
        ts = sorted(times[kind])
        results.append(
            {
                "database": label,
                "kind": kind,
                "n": len(ts),
                "p50": statistics.median(ts),
                "p95": ts[int(len(ts) * 0.95) - 1],
                "max": ts[-1],
                "queries": sorted(queries[kind]),
                "people": people_total,
                "events": events_total,
                "busiest_history": busiest[0][1] if busiest else 0,
            }
        )
    print(json.dumps(results))


def report(rows: list[dict]) -> None:
    baseline = {r["database"]: r["p95"] for r in rows if r["kind"].startswith("trivial")}
    print()
    header = f"{'database':<10} {'page':<26} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'x trivial':>9} {'queries':>9}  result"
    print(header)
    print("-" * len(header))
    for r in rows:
        ratio = r["p95"] / baseline[r["database"]]
        trivial = r["kind"].startswith("trivial")
        ok = trivial or (r["p95"] < P95_TARGET_MS and ratio < RATIO_TARGET)
        q = (
            "-".join(str(x) for x in (r["queries"][0], r["queries"][-1]))
            if len(r["queries"]) > 1
            else str(r["queries"][0])
        )
        print(
            f"{r['database']:<10} {r['kind']:<26} {r['n']:>4} {r['p50']:>8.1f} {r['p95']:>8.1f} "
            f"{ratio:>9.2f} {q:>9}  {'' if trivial else ('PASS' if ok else 'FAIL')}"
        )
    first = rows[0]
    print(
        f"\n{first['people']:,} people, {first['events']:,} events; busiest person's page in the "
        f"sample has {first['busiest_history']} events. Targets: p95 < {P95_TARGET_MS:.0f} ms and "
        f"< {RATIO_TARGET:.0f}x the trivial page; queries per page constant (a range means the "
        "count varied with the data)."
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--reseed", action="store_true")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        _measure_here(args.measure, args.seed)
        return
    dbs = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    rows = []
    for db in dbs:
        url = prepare(db, args.people, args.seed, args.reseed)
        rows += measure(url, db, args.seed)
    report(rows)


if __name__ == "__main__":
    main()
