"""Benchmark: the Care Act pathway pages at county scale (issue 3).

Targets: assessment and plan pages server time p95 under 150 ms at 50,000 people; saving a
draft assessment as the worker types (autosave) under 50 ms server time.

Server time is the whole Django request cycle in-process (middleware, session, access checks,
audit writes, queries, templates) with Django's test client against a seeded county; no network.
It uses the same seeded databases as ``bench_pages.py`` (var/bench/ and PostgreSQL database
carebridge_bench_pages_<N>_<seed>), seeding them on first use.

    .venv/bin/python bench/bench_pathway.py [--people 50000] [--seed 1] [--database sqlite|postgres|both] [--reseed]

Prints a table; exits 0 (a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pages import ROOT, prepare

SAMPLES = 200
WARMUP = 10
PAGE_TARGET_MS = 150.0
AUTOSAVE_TARGET_MS = 50.0


def _measure_here(label: str, seed: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from carebridge.assessments import services as assessment_services
    from carebridge.assessments.models import Assessment
    from carebridge.casework.models import Allocation, Event
    from carebridge.organisations.models import Worker
    from carebridge.people.models import Person
    from carebridge.planning.models import CarePlan

    rng = random.Random(seed)
    worker = Worker.objects.get(username="sw.demo")
    manager = Worker.objects.get(username="tm.demo")
    team_people = list(
        Allocation.objects.filter(team_id=worker.team_id, ended_at__isnull=True)
        .filter(person__is_restricted=False)
        .values_list("person_id", flat=True)
    )
    plans = list(
        CarePlan.objects.filter(person_id__in=team_people).select_related("person").order_by("pk")
    )
    if not plans:
        raise SystemExit("No care plans in this database: rerun with --reseed")
    completed = list(
        Assessment.objects.filter(person_id__in=team_people, status="completed")
        .select_related("person")
        .order_by("pk")
    )
    # Drafts to type into: one per person without one, made once and reused by later runs.
    people = Person.objects.filter(pk__in=rng.sample(team_people, min(60, len(team_people))))
    drafts = []
    for p in people:
        d = Assessment.objects.filter(person=p, kind="adult", status="draft").first()
        if d is None:
            d = assessment_services.start_assessment(worker, p, kind="adult")
        drafts.append(d)

    def section(a, slug):
        return reverse("assessments:section", args=[a.person.person_id, a.pk, slug])

    gets = {
        "assessment: a section (draft)": [
            section(drafts[i % len(drafts)], ("needs", "outcomes", "wellbeing")[i % 3])
            for i in range(SAMPLES)
        ],
        "assessment: check and complete": [
            section(drafts[i % len(drafts)], "check") for i in range(SAMPLES)
        ],
        "assessment: completed record": [
            reverse("assessments:detail", args=[a.person.person_id, a.pk])
            for a in (completed * (SAMPLES // max(len(completed), 1) + 1))[:SAMPLES]
        ],
        "plan page": [
            reverse("planning:detail", args=[p.person.person_id, p.pk])
            for p in (plans * (SAMPLES // len(plans) + 1))[:SAMPLES]
        ],
        "caseload with next steps": ["/caseload/?scope=mine"] * SAMPLES,
        "team caseload by due date": ["/caseload/?scope=team&order=due"] * SAMPLES,
        "approvals and overdue reviews": [reverse("planning:approvals")] * SAMPLES,
    }
    results = []
    for kind, urls in gets.items():
        c = Client()
        c.force_login(manager if ("team" in kind or "approvals" in kind) else worker)
        for u in urls[:WARMUP]:
            c.get(u)
        times, queries = [], set()
        for u in urls:
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                r = c.get(u)
                times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, (u, r.status_code)
            queries.add(len(ctx.captured_queries))
        results.append(_row(label, kind, times, queries, PAGE_TARGET_MS))

    # Autosave: the worker types into the outcomes evidence; each save carries the version the
    # last one returned, as the browser does.
    c = Client()
    c.force_login(worker)
    versions = {d.pk: Assessment.objects.get(pk=d.pk).version for d in drafts}
    times, queries = [], set()
    for i in range(SAMPLES + WARMUP):
        d = drafts[i % len(drafts)]
        data = {
            "version": versions[d.pk],
            "outcomes-shown": "1",
            "outcome-nutrition": ["without_assistance"],
            "outcome-nutrition-evidence": f"Forgets meals unless prompted ({i})",
            "fluctuating_needs": "Worse in winter" + "." * (i % 5),
        }
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            r = c.post(section(d, "outcomes"), data, HTTP_X_CAREBRIDGE_AUTOSAVE="1")
            elapsed = (time.perf_counter() - t) * 1000
        assert r.status_code == 200, r.content
        versions[d.pk] = r.json()["version"]
        if i >= WARMUP:
            times.append(elapsed)
            queries.add(len(ctx.captured_queries))
    results.append(_row(label, "assessment: autosave (POST)", times, queries, AUTOSAVE_TARGET_MS))
    first = results[0]
    first["people"] = Person.objects.count()
    first["events"] = Event.objects.count()
    first["plans"] = CarePlan.objects.count()
    first["assessments"] = Assessment.objects.count()
    print(json.dumps(results))


def _row(label, kind, times, queries, target) -> dict:
    ts = sorted(times)
    return {
        "database": label,
        "kind": kind,
        "n": len(ts),
        "p50": statistics.median(ts),
        "p95": ts[int(len(ts) * 0.95) - 1],
        "queries": sorted(queries),
        "target": target,
    }


def measure(url: str, label: str, seed: int) -> list[dict]:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "carebridge.settings"}
    subprocess.run(
        [sys.executable, "-m", "carebridge", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    out = subprocess.run(
        [sys.executable, __file__, "--measure", label, "--seed", str(seed)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode != 0:
        print(out.stdout, out.stderr)
        raise SystemExit(f"measurement failed on {label}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(rows: list[dict]) -> None:
    header = f"{'database':<10} {'page':<32} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'target':>7} {'queries':>8}  result"
    print()
    print(header)
    print("-" * len(header))
    for r in rows:
        q = r["queries"]
        qs = f"{q[0]}-{q[-1]}" if len(q) > 1 else str(q[0])
        ok = r["p95"] < r["target"]
        print(
            f"{r['database']:<10} {r['kind']:<32} {r['n']:>4} {r['p50']:>8.1f} {r['p95']:>8.1f} "
            f"{r['target']:>7.0f} {qs:>8}  {'PASS' if ok else 'FAIL'}"
        )
    for r in rows:
        if "people" in r:
            print(
                f"[{r['database']}] {r['people']:,} people, {r['events']:,} events, "
                f"{r['assessments']:,} assessments, {r['plans']:,} care plans"
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
