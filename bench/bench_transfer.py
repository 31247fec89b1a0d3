"""Benchmark: transferring the trust-hosted teams of a county back to the council (issue 8; no
target is set: these are the figures a council can expect, and a check that the query count
of the preview does not grow with the caseload).

On the seeded county of bench_pages.py (same --people and --seed), as the administrator: the
dry-run preview (the service, and the transfer page that shows it), then confirming and
carrying out the transfer with its reconciliation, each timed with its query count, and the
numbers moved. Everything is rolled back at the end, so the database can be used again.

    .venv/bin/python bench/bench_transfer.py [--people 50000] [--seed 1] [--database both]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_pages import prepare  # noqa: E402


class _RollBack(Exception):
    pass


def _measure_here(label: str) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from carebridge.demo.county import TRUST_NAME
    from carebridge.organisations.models import Organisation, Team, Worker
    from carebridge.partnerships import transfers
    from carebridge.partnerships.models import Transfer

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    admin = Worker.objects.get(username="admin.demo")
    trust = Organisation.objects.get(name=TRUST_NAME)
    council = Organisation.objects.get(kind=Organisation.COUNCIL)
    teams = list(Team.objects.filter(organisation=trust))
    print(f"\n[{label}] {len(teams)} trust-hosted teams", flush=True)

    def timed(name, fn):
        with CaptureQueriesContext(connection) as q:
            started = time.perf_counter()
            result = fn()
            ms = (time.perf_counter() - started) * 1000
        print(f"  {name:44} {ms:8.0f} ms {len(q.captured_queries):6} queries", flush=True)
        return result

    try:
        with transaction.atomic():
            t = transfers.draft_transfer(
                admin,
                kind=Transfer.Kind.TEAMS,
                from_organisation=trust,
                to_organisation=council,
                teams=teams,
                effective_on=timezone.localdate(),
                reason="Benchmark: the s75 agreement ends",
                waiting_cases_to_manager=True,
            )
            p = timed("preview (dry run, the service)", lambda: transfers.preview(t))
            client = Client()
            client.force_login(admin)
            url = f"/partnerships/transfers/{t.reference}/"
            client.get(url)
            r = timed("the transfer page with its preview", lambda: client.get(url))
            assert r.status_code == 200
            print(
                f"  moving: {len(p.teams)} teams, {len(p.workers)} workers, {len(p.cases):,} "
                f"open cases, {p.duty_count:,} open duties, {len(p.drafts)} drafts; "
                f"blockers: {len(p.blockers)}",
                flush=True,
            )
            done = timed(
                "confirm: carry out and reconcile",
                lambda: transfers.confirm(admin, t, digest=p.digest),
            )
            totals = done.reconciliation["totals"]
            print(
                f"  reconciliation: {totals['cases_held']:,} of {totals['cases']:,} cases held, "
                f"{totals['duties_lost']} duties lost, {totals['drafts_kept']} of "
                f"{totals['drafts']} drafts kept, problems: {done.reconciliation['problems']}",
                flush=True,
            )
            raise _RollBack
    except _RollBack:
        pass


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=50000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        _measure_here(args.measure)
        return
    for db in ["sqlite", "postgres"] if args.database == "both" else [args.database]:
        url = prepare(db, args.people, args.seed, False)
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "carebridge.settings"}
        subprocess.run([sys.executable, __file__, "--measure", db], cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    main()
