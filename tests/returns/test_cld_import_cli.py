"""``carebridge cld import``: exit statuses, the report, and nothing written from a file with
problems or from bad input."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from carebridge.casework.models import Event
from carebridge.cli import cli
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.organisations.models import Organisation
from carebridge.people.models import CarerRelationship, Person
from carebridge.returns.models import CLDImport
from tests.factories import OrganisationFactory, WorkerFactory
from tests.returns.cld_files import csv_text, varied_rows, write

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def council():
    return OrganisationFactory(kind=Organisation.COUNCIL, name="Test Council", cassr_code="999")


def invoke(*args):
    return CliRunner().invoke(cli, ["cld", "import", *args])


def nothing_written() -> bool:
    return not (
        Person.objects.exists()
        or Event.objects.exists()
        or CarerRelationship.objects.exists()
        or CLDImport.objects.exists()
    )


def test_a_good_file_loads_with_exit_0_then_a_second_load_has_nothing_to_do(tmp_path):
    analyst = WorkerFactory(role=Role.PERFORMANCE_ANALYST, username="analyst")
    path = write(tmp_path, varied_rows())
    result = invoke(str(path), "--user", "analyst")
    assert result.exit_code == 0, result.output
    assert "5 people created, 16 events created, 0 unchanged, 0 updated" in result.stdout
    assert "3 carer links" in result.stdout
    assert Event.objects.filter(created_by=analyst).count() == 16
    audit = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert audit.actor_id == analyst.pk and audit.changes["counts"]["people_created"] == 5

    again = invoke(str(path), "--user", "analyst")
    assert again.exit_code == 0, again.output
    assert "0 people created, 0 events created, 21 unchanged" in again.stdout
    assert "Nothing to do" in again.stdout
    assert Person.objects.count() == 5 and Event.objects.count() == 16


def test_dry_run_says_what_would_happen_and_writes_nothing(tmp_path):
    result = invoke(str(write(tmp_path, varied_rows())), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry run, nothing written - would be: 5 people created" in result.stdout
    assert nothing_written()


def test_an_invalid_nhs_number_exits_1_naming_the_row_and_loads_nothing(tmp_path):
    rows = varied_rows()
    rows[2]["NHS_Number"] = "9999000011"  # wrong check digit
    result = invoke(str(write(tmp_path, rows)))
    assert result.exit_code == 1
    assert "was not loaded" in result.stderr and "Nothing was written" in result.stderr
    assert "row 4  NHS_Number: " in result.stderr
    assert "check digit" in result.stderr and "[nhs-number-check-digit]" in result.stderr
    assert nothing_written()
    # The refused attempt is audited (who tried to load what), with no record changed.
    audit = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert audit.changes["outcome"] == "refused"
    assert audit.changes["run_by"].startswith("operating-system user")


def test_a_person_not_yet_traced_is_loaded_without_an_nhs_number_and_reported(tmp_path):
    """A legacy system's untraced people come across (known by their council ID); the return
    fails them until they are traced, and the import says so."""
    rows = varied_rows()
    untraced = rows[0]["LA_Person_Unique_Identifier"]
    for r in rows:
        if r["LA_Person_Unique_Identifier"] == untraced:
            r["NHS_Number"] = ""
    n = sum(1 for r in rows if r["LA_Person_Unique_Identifier"] == untraced)
    result = invoke(str(write(tmp_path, rows)))
    assert result.exit_code == 0, result.output
    assert f"{n} row{'s' if n > 1 else ''} without an NHS number (accepted;" in result.stdout
    assert Person.objects.get(person_id=untraced).nhs_number in (None, "")
    assert Person.objects.count() == 5


def test_an_impossible_date_exits_1(tmp_path):
    rows = varied_rows()
    rows[5]["Event_End_Date"] = "2026-02-30"
    result = invoke(str(write(tmp_path, rows)))
    assert result.exit_code == 1
    assert "row 7  Event_End_Date: Event_End_Date 2026-02-30 is not a real date" in result.stderr
    assert nothing_written()


def test_a_row_with_too_many_values_exits_1(tmp_path):
    text = csv_text(varied_rows()).splitlines()
    text[3] += ",extra,values"
    result = invoke(str(write(tmp_path, "\r\n".join(text) + "\r\n")))
    assert result.exit_code == 1
    assert "row 4  " in result.stderr and "[row-length]" in result.stderr
    assert nothing_written()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"LA_Code;NHS_Number;Event_Type\n999;1;2\n", "semicolons"),
        (
            csv_text(varied_rows()).replace("Event_Reference,", "").encode(),
            "Event_Reference is missing",
        ),
        (b"\xff\xfe\x00L\x00A", "not UTF-8"),
        (b"", "is empty"),
        (b'LA_Code,"NHS_Number\n999,"unterminated', "header"),
    ],
    ids=["not-comma-separated", "wrong-header", "not-utf8", "empty", "malformed"],
)
def test_a_file_that_is_not_a_cld_csv_exits_2(tmp_path, content, words):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = invoke(str(path))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("carebridge cld import: ")
    assert words in result.stderr, result.stderr
    assert nothing_written()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_bad_input_exits_2(tmp_path, council):
    result = invoke(str(tmp_path / "missing.csv"))
    assert result.exit_code == 2 and "no such file" in result.stderr
    path = write(tmp_path, varied_rows())
    WorkerFactory(role=Role.SOCIAL_WORKER, username="sw")
    result = invoke(str(path), "--user", "nobody")
    assert result.exit_code == 2 and "no active worker 'nobody'" in result.stderr
    result = invoke(str(path), "--user", "sw")
    assert result.exit_code == 2 and "statutory returns" in result.stderr
    council.cassr_code = ""
    council.save()
    result = invoke(str(path))
    assert result.exit_code == 2 and "CASSR" in result.stderr
    assert nothing_written()


def test_help_gives_the_exit_statuses():
    result = CliRunner().invoke(cli, ["cld", "import", "--help"])
    assert result.exit_code == 0
    assert "Exit status: 0" in result.output and "--dry-run" in result.output
    assert "import" in CliRunner().invoke(cli, ["cld", "--help"]).output
