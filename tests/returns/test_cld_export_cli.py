"""``carebridge cld export``: exit statuses, nothing written on bad input, the audit record, the
validation summary linking each failing row to the person's page."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from carebridge.cli import cli
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.organisations.models import Organisation
from carebridge.rules.cld_validation import FIELD_NAMES
from tests.factories import EventFactory, OrganisationFactory, PersonFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def council():
    return OrganisationFactory(kind=Organisation.COUNCIL, name="Test Council", cassr_code="999")


def invoke(*args):
    return CliRunner().invoke(cli, ["cld", "export", *args])


def period(out, *extra):
    return invoke("--from", "2025-04-01", "--to", "2026-03-31", "--out", str(out), *extra)


def test_a_passing_file_exits_0_and_is_audited(tmp_path):
    p = PersonFactory()
    EventFactory(person=p, start_date=dt.date(2025, 5, 1), end_date=dt.date(2025, 5, 2))
    analyst = WorkerFactory(role=Role.PERFORMANCE_ANALYST, username="analyst")
    out = tmp_path / "cld.csv"
    result = period(out, "--user", "analyst")
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(FIELD_NAMES) and len(lines) == 2
    assert "Validation: PASS" in result.stderr
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, object_type="returns.cld")
    assert event.actor_id == analyst.pk
    assert event.changes["rows"] == 1
    assert event.changes["period_start"] == "2025-04-01"
    assert event.changes["period_end"] == "2026-03-31"
    assert [f.name for f in tmp_path.iterdir()] == ["cld.csv"]  # no temporary file left


def test_mandatory_failures_exit_1_with_each_row_linked_to_the_person(tmp_path):
    p = PersonFactory(nhs_number=None)
    EventFactory(person=p, start_date=dt.date(2025, 5, 1), end_date=dt.date(2025, 5, 2))
    out = tmp_path / "cld.csv"
    result = period(out)
    assert result.exit_code == 1, result.output
    assert out.exists()  # still written, to be corrected at source
    assert "Validation: FAIL" in result.stderr
    assert "NHS_Number" in result.stderr
    assert f"row 2  {p.person_id}  /people/{p.person_id}/  NHS_Number" in result.stderr
    # Run by the operating-system user when no --user is given.
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, object_type="returns.cld")
    assert event.changes["run_by"].startswith("operating-system user")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2025-02-30", "--to", "2026-03-31"), "--from 2025-02-30 is not a real date"),
        (("--from", "1/4/2025", "--to", "2026-03-31"), "--from must be a date like"),
        (("--from", "2026-04-01", "--to", "2026-03-31"), "is after --to"),
    ],
)
def test_bad_dates_exit_2_and_write_nothing(tmp_path, args, message):
    out = tmp_path / "cld.csv"
    result = invoke(*args, "--out", str(out))
    assert result.exit_code == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []
    assert not AuditEvent.objects.filter(object_type="returns.cld").exists()


def test_unknown_or_unauthorised_user_exits_2(tmp_path):
    WorkerFactory(role=Role.SOCIAL_WORKER, username="sw")
    out = tmp_path / "cld.csv"
    result = period(out, "--user", "nobody")
    assert result.exit_code == 2 and "no active worker 'nobody'" in result.stderr
    result = period(out, "--user", "sw")
    assert result.exit_code == 2 and "statutory returns" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_and_missing_council_code_exit_2(tmp_path, council):
    result = period(tmp_path / "nowhere" / "cld.csv")
    assert result.exit_code == 2 and "does not exist" in result.stderr
    council.cassr_code = ""
    council.save()
    result = period(tmp_path / "cld.csv")
    assert result.exit_code == 2 and "CASSR" in result.stderr
    assert list(tmp_path.iterdir()) == []
