"""``carebridge duties report``: the contract councils script against (issue 5)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from click.testing import CliRunner

from carebridge.cli import cli
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.duties.report import FIELDS
from carebridge.rules import cld
from tests.factories import EventFactory, PersonFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    p = PersonFactory()
    EventFactory(
        person=p, event_type=cld.REQUEST, start_date=dt.date(2026, 1, 5), end_date=None, outcome=""
    )
    return p


def invoke(*args):
    return CliRunner().invoke(cli, ["duties", "report", *args])


def test_json_rows_carry_the_contract_fields(history):
    result = invoke("--as-of", "2026-03-01", "--duty", "assessment-after-request")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows == [
        {
            **{k: rows[0][k] for k in FIELDS},
            "duty": "assessment-after-request",
            "person_id": history.person_id,
            "state": "overdue",
            "clock_start": "2026-01-05",
            "due": "2026-02-02",
            "met_on": None,
        }
    ]
    assert "overdue" in rows[0]["explanation"]
    assert rows[0]["citation"].startswith("Care Act 2014 s9(1)")


def test_csv_has_a_header_and_the_same_rows(history):
    result = invoke("--as-of", "2026-03-01", "--format", "csv")
    assert result.exit_code == 0, result.output
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert tuple(reader.fieldnames) == FIELDS
    rows = list(reader)
    assert [(r["duty"], r["person_id"], r["state"], r["met_on"]) for r in rows] == [
        ("assessment-after-request", history.person_id, "overdue", "")
    ]


def test_before_any_clock_an_empty_report(history):
    result = invoke("--as-of", "2025-12-31")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2026-02-30"], "not a real date"),
        (["--as-of", "31/03/2026"], "like 2026-03-31"),
        (["--as-of", "2026-03-31", "--duty", "annual-reviews"], "No duty 'annual-reviews'"),
        (["--as-of", "2026-03-31", "--format", "xml"], "json or csv"),
        (["--as-of", "2026-03-31", "--user", "nobody"], "No active worker"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_output(history, args, message):
    before = AuditEvent.objects.count()
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert AuditEvent.objects.count() == before


def test_a_worker_without_a_compliance_role_is_refused(history):
    WorkerFactory(username="sw.x", role=Role.SOCIAL_WORKER)
    result = invoke("--as-of", "2026-03-31", "--user", "sw.x")
    assert result.exit_code == 2 and "does not include" in result.stderr


def test_each_run_is_audited_as_an_export(history):
    analyst = WorkerFactory(username="pa.x", role=Role.PERFORMANCE_ANALYST)
    result = invoke("--as-of", "2026-03-01", "--user", "pa.x", "--format", "csv")
    assert result.exit_code == 0
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor_id, event.source) == ("export", analyst.pk, "cli")
    assert event.changes["rows"] == 1 and event.changes["as_of"] == "2026-03-01"
    result = invoke("--as-of", "2026-03-01")
    assert "operating-system user" in AuditEvent.objects.latest("id").changes["run_by"]


def test_refresh_evaluates_everyone(history):
    from carebridge.duties.models import DutyState

    result = CliRunner().invoke(cli, ["duties", "refresh"])
    assert result.exit_code == 0, result.output
    assert "Evaluated 1 duty states" in result.output
    assert DutyState.objects.get().person == history
