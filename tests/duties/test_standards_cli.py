"""``carebridge duties standards`` and ``carebridge duties set-standard`` (the contract is in
carebridge/duties/standards_cli.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from click.testing import CliRunner
from django.utils import timezone

from carebridge.cli import cli
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.duties.definitions import DUTIES
from carebridge.duties.models import LocalStandard
from carebridge.duties.standards_cli import CSV_FIELDS
from tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db

DUTY = "assessment-after-request"


@pytest.fixture
def admin():
    return WorkerFactory(username="admin.x", role=Role.SYSTEM_ADMINISTRATOR)


def invoke(*args):
    return CliRunner().invoke(cli, ["duties", *args])


def today() -> dt.date:
    return timezone.localdate()


def set_args(**overrides) -> list[str]:
    options = {
        "--duty": DUTY,
        "--from": today().isoformat(),
        "--working-days": "20",
        "--note": "Cabinet, 12 November 2026, item 7",
        "--user": "admin.x",
        **overrides,
    }
    args = ["set-standard"]
    for option, value in options.items():
        if value is not None:
            args += [option, value]
    return args


# --- listing -----------------------------------------------------------------------------------


def test_the_list_has_every_duty_with_its_default_and_versions(admin):
    LocalStandard.objects.create(
        duty_id=DUTY, effective_from=dt.date(2025, 4, 1), days=21, note="Cabinet", set_by=admin
    )
    later = today() + dt.timedelta(days=30)
    LocalStandard.objects.create(duty_id=DUTY, effective_from=later, working_days=15, note="Next")
    result = invoke("standards")
    assert result.exit_code == 0, result.output
    duties = {d["duty"]: d for d in json.loads(result.stdout)}
    assert list(duties) == list(DUTIES)
    assessment = duties[DUTY]
    assert assessment["council_may_set"] is True
    assert assessment["citation"].startswith("Care Act 2014 s9(1)")
    assert assessment["default"] == {
        "time_allowed": "28 days",
        "days": 28,
        "working_days": 0,
        "months": 0,
    }
    assert assessment["in_force_today"] == {
        "time_allowed": "21 days",
        "source": "council",
        "effective_from": "2025-04-01",
    }
    assert [
        (v["effective_from"], v["time_allowed"], v["in_force_today"], v["set_by"])
        for v in assessment["versions"]
    ] == [
        ("2025-04-01", "21 days", True, "admin.x"),
        (later.isoformat(), "15 working days", False, None),
    ]
    dp = duties["direct-payment-review"]
    assert dp["council_may_set"] is False and dp["versions"] == []
    assert dp["in_force_today"]["source"] == "default"
    assert dp["default"]["time_allowed"] == "6 months at first, then 12 months"


def test_the_list_as_csv_has_a_row_for_each_default_and_version(admin):
    LocalStandard.objects.create(duty_id=DUTY, effective_from=dt.date(2025, 4, 1), days=21)
    result = invoke("standards", "--format", "csv")
    assert result.exit_code == 0, result.output
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert tuple(reader.fieldnames) == CSV_FIELDS
    rows = list(reader)
    assert len(rows) == len(DUTIES) + 1
    mine = [
        (r["source"], r["effective_from"], r["days"], r["in_force_today"])
        for r in rows
        if r["duty"] == DUTY
    ]
    assert mine == [("default", "", "28", "no"), ("council", "2025-04-01", "21", "yes")]
    assert {r["council_may_set"] for r in rows if r["duty"] == "first-review"} == {"no"}


def test_the_list_refuses_an_unknown_format():
    result = invoke("standards", "--format", "xml")
    assert result.exit_code == 2
    assert result.stdout == "" and "json or csv" in result.stderr


# --- setting -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "period"),
    [
        ("--days", "14", (14, 0, 0)),
        ("--days", "0", (0, 0, 0)),
        ("--working-days", "20", (0, 20, 0)),
        ("--months", "1", (0, 0, 1)),
    ],
)
def test_setting_a_standard_in_each_unit(admin, option, value, period):
    result = invoke(*set_args(**{"--working-days": None, option: value}))
    assert result.exit_code == 0, result.stderr
    row = LocalStandard.objects.get()
    assert (row.days, row.working_days, row.months) == period
    assert (row.duty_id, row.effective_from, row.set_by) == (DUTY, today(), admin)
    assert f"{DUTY}: " in result.stdout and today().isoformat() in result.stdout


def test_setting_is_audited_as_the_worker_from_the_command_line(admin):
    result = invoke(*set_args())
    assert result.exit_code == 0, result.stderr
    event = AuditEvent.objects.get(object_type="duties.standard")
    row = LocalStandard.objects.get()
    assert (event.action, event.actor_id, event.source, event.object_id) == (
        "create",
        admin.pk,
        "cli",
        str(row.pk),
    )
    assert event.changes["after"]["working_days"] == 20


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"--user": "nobody"}, "No active worker 'nobody'"),
        ({"--user": "manager.x"}, "does not include setting local standards"),
        ({"--duty": "annual-reviews"}, "No duty 'annual-reviews'"),
        ({"--duty": "direct-payment-review"}, "--duty: The council cannot set its own standard"),
        ({"--from": "01/12/2026"}, "--from must be a date like"),
        ({"--from": "2026-02-30"}, "--from 2026-02-30 is not a real date"),
        ({"--from": "2020-01-01"}, "--from: The date the standard comes into force must be today"),
        ({"--days": "14"}, "one of --days, --working-days or --months"),
        ({"--working-days": None}, "one of --days, --working-days or --months"),
        ({"--working-days": "twenty"}, "--working-days must be a whole number"),
        ({"--working-days": "-5"}, "--working-days: The time allowed must be between 1 and 260"),
        ({"--working-days": "0"}, "--working-days: The time allowed must be between 1 and 260"),
        ({"--working-days": None, "--months": "24"}, "--months: The time allowed must be between"),
        ({"--working-days": None, "--days": "1000"}, "--days: The time allowed must be between"),
        ({"--note": "  "}, "--note: Enter the council decision"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_writes_nothing(admin, overrides, message):
    WorkerFactory(username="manager.x", role=Role.TEAM_MANAGER)
    result = invoke(*set_args(**overrides))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert message in result.stderr
    assert result.stderr.startswith("carebridge duties set-standard: ")
    assert not LocalStandard.objects.exists()
    assert not AuditEvent.objects.exists()


def test_running_it_twice_saves_once(admin):
    assert invoke(*set_args()).exit_code == 0
    again = invoke(*set_args(**{"--working-days": "15"}))
    assert again.exit_code == 2
    assert "--from: There is already a standard for this duty from" in again.stderr
    assert LocalStandard.objects.get().working_days == 20
    assert AuditEvent.objects.filter(object_type="duties.standard").count() == 1


def test_the_required_options_are_required(admin):
    result = invoke("set-standard", "--duty", DUTY, "--from", today().isoformat())
    assert result.exit_code == 2
    assert "Missing option" in result.stderr
    assert not LocalStandard.objects.exists()
