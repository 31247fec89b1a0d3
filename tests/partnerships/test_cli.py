"""``carebridge partnerships run-due``: carries out the scheduled transfers whose date has
come, says what it did, and exits 0, 1 (a failure, nothing of it changed) or 2 (bad input)."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner
from django.utils import timezone

from carebridge.casework.models import Allocation
from carebridge.cli import cli
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.organisations.models import Team
from carebridge.partnerships import transfers
from carebridge.partnerships.models import Transfer


def invoke(*args):
    return CliRunner().invoke(cli, ["partnerships", "run-due", *args])


def _scheduled(county, *, allocate=True) -> Transfer:
    if allocate:
        a = Allocation.objects.get(person=county.person_a_team, ended_at__isnull=True)
        a.worker = county.workers[Role.SOCIAL_WORKER]
        a.save()
    admin = county.workers[Role.SYSTEM_ADMINISTRATOR]
    t = transfers.draft_transfer(
        admin,
        kind=Transfer.Kind.TEAMS,
        from_organisation=county.trust,
        to_organisation=county.council,
        teams=[county.team_a],
        effective_on=timezone.localdate() + dt.timedelta(days=1),
        reason="Cabinet decision: end the s75 agreement",
    )
    transfers.confirm(admin, t, digest=transfers.preview(t).digest)
    Transfer.objects.filter(pk=t.pk).update(effective_on=timezone.localdate())
    return t


def test_nothing_due(county):
    result = invoke()
    assert result.exit_code == 0 and "No transfers due." in result.output


def test_a_due_transfer_is_carried_out_and_audited_from_the_command_line(county):
    t = _scheduled(county)
    result = invoke("--user", Role.SYSTEM_ADMINISTRATOR)
    assert result.exit_code == 0, result.output
    assert f"{t.reference} carried out: 3 of 3 open cases" in result.output
    assert Team.objects.get(pk=county.team_a.pk).organisation == county.council
    done = AuditEvent.objects.filter(summary__startswith=f"Carried out transfer {t.reference}")
    assert done.get().source == "cli"


def test_a_transfer_blocked_on_its_day_fails_and_changes_nothing(county):
    t = _scheduled(county)
    # After confirming, someone leaves the case without a named worker again.
    Allocation.objects.filter(person=county.person_a_team, ended_at__isnull=True).update(
        worker=None
    )
    result = invoke()
    assert result.exit_code == 1
    assert f"{t.reference} failed, nothing changed" in result.stderr
    t.refresh_from_db()
    assert t.status == Transfer.Status.FAILED and "no named worker" in t.failure
    assert Team.objects.get(pk=county.team_a.pk).organisation == county.trust


def test_bad_input(county):
    assert invoke("--user", "nobody").exit_code == 2
    result = invoke("--user", Role.SOCIAL_WORKER)
    assert result.exit_code == 2 and "does not manage partnerships" in result.stderr
