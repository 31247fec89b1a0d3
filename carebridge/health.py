"""``carebridge check``: is this installation ready to serve?"""

from __future__ import annotations

from collections.abc import Callable


def static_assets_collected() -> bool:
    """Whether collectstatic has run: GOV.UK Frontend's stylesheet is in STATIC_ROOT."""
    from django.conf import settings

    return (settings.STATIC_ROOT / "govuk" / "govuk-frontend.min.css").exists()


def run_checks(*, deploy: bool, echo: Callable[[str], None]) -> int:
    from django.core import checks
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    problems = 0

    def report(ok: bool, label: str, detail: str = "") -> None:
        nonlocal problems
        problems += 0 if ok else 1
        echo(f"[{'ok' if ok else 'FAIL'}] {label}{': ' + detail if detail else ''}")

    messages = checks.run_checks(include_deployment_checks=deploy)
    serious = [m for m in messages if m.is_serious()]
    report(not serious, "Django system checks", "; ".join(str(m) for m in serious))
    try:
        connection.ensure_connection()
        report(True, "Database connection", connection.vendor)
    except Exception as e:
        report(False, "Database connection", str(e))
        return problems
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    report(not pending, "Migrations applied", f"{len(pending)} pending" if pending else "")
    collected = static_assets_collected()
    report(collected, "Static assets collected", "" if collected else "run 'make install'")
    return problems
