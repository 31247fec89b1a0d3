"""``carebridge cld validate FILE.csv``: each exit status and each format; unusable input is
refused with status 2, a message on stderr and nothing on stdout; the database is never used."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from carebridge.cli import OWN_COMMANDS, cli
from carebridge.rules.cld_validation import FIELD_NAMES, FINDING_COLUMNS
from tests.cld.rows import csv_text, row
from tests.cli_input import ROOT

CLEAN = csv_text(row("request"), row("service"))
WARNINGS_ONLY = csv_text(row("request", Gender="male"), row("service"))
FAILING = csv_text(
    row("request", NHS_Number="9434765918"),
    row("service", Event_Start_Date="2025-08-01", Event_End_Date="2025-07-01"),
    row("review", Postcode="nr12dh"),
)


def invoke(*args: str, stdin: str | bytes | None = None):
    return CliRunner().invoke(cli, ["cld", "validate", *args], input=stdin)


def write(tmp_path, text: str | bytes, name: str = "cld.csv") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return str(path)


def test_cld_is_an_own_command_not_handed_to_django():
    assert "cld" in OWN_COMMANDS


def test_a_clean_file_exits_0_with_a_passing_summary(tmp_path):
    result = invoke(write(tmp_path, CLEAN))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "Result: PASS" in result.stdout
    assert "Rows read: 2; rows with failures: 0" in result.stdout
    assert "Findings" not in result.stdout


def test_warnings_alone_exit_0_and_are_listed(tmp_path):
    result = invoke(write(tmp_path, WARNINGS_ONLY))
    assert result.exit_code == 0, result.output
    assert "Result: PASS" in result.stdout
    assert "Gender 'male' should be written exactly 'Male' [code-case]" in result.stdout


def test_a_mandatory_failure_exits_1_with_the_summary_first_then_findings_by_row(tmp_path):
    result = invoke(write(tmp_path, FAILING))
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert out.startswith("CLD validation of")
    assert "Result: FAIL - 2 failures must be corrected before submission; 1 warning\n" in out
    assert out.index("Failures by rule:") < out.index("Findings")
    assert out.index("\nRow 2\n") < out.index("\nRow 3\n") < out.index("\nRow 4\n")
    assert "Event_End_Date 2025-07-01 is before Event_Start_Date 2025-08-01" in out
    assert "not checked against a list" in out.lower()


def test_max_findings_limits_the_list_but_not_the_counts(tmp_path):
    result = invoke(write(tmp_path, FAILING), "--max-findings", "1")
    assert result.exit_code == 1
    assert "\nRow 2\n" in result.stdout and "\nRow 3\n" not in result.stdout
    assert "... and 2 more findings" in result.stdout
    assert "2 failures" in result.stdout


def test_json_has_summary_and_findings(tmp_path):
    result = invoke(write(tmp_path, FAILING), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"summary", "findings"}
    assert data["summary"]["passed"] is False
    assert data["summary"]["rows_read"] == 3 and data["summary"]["failures"] == 2
    assert data["summary"]["by_rule"]["nhs-number-check-digit"]["count"] == 1
    assert [(f["row"], f["field"], f["rule"], f["severity"]) for f in data["findings"]] == [
        (2, "NHS_Number", "nhs-number-check-digit", "fail"),
        (3, "Event_End_Date", "event-end-before-start", "fail"),
        (4, "Postcode", "postcode-format", "warning"),
    ]
    assert set(data["findings"][0]) == set(FINDING_COLUMNS)


def test_json_of_a_clean_file_has_no_findings(tmp_path):
    result = invoke(write(tmp_path, CLEAN), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["findings"] == [] and data["summary"]["passed"] is True


def test_csv_has_one_line_per_finding(tmp_path):
    result = invoke(write(tmp_path, FAILING), "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == FINDING_COLUMNS
    assert [(r["row"], r["field"], r["value"]) for r in rows] == [
        ("2", "NHS_Number", "9434765918"),
        ("3", "Event_End_Date", "2025-07-01"),
        ("4", "Postcode", "nr12dh"),
    ]


def test_standard_input(tmp_path):
    result = invoke("-", "--format", "json", stdin=CLEAN.encode())
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["rows_read"] == 2


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    result = invoke(write(tmp_path, b"\xef\xbb\xbf" + CLEAN.encode()))
    assert result.exit_code == 0, result.output


def test_header_only_exits_1_nothing_to_submit(tmp_path):
    result = invoke(write(tmp_path, csv_text()))
    assert result.exit_code == 1
    assert "no rows" in result.stdout


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "is empty"),
        (bytes(range(256)) * 4, "not UTF-8"),
        (b"\x00\x00\x00\x00", "NUL"),
        (";".join(FIELD_NAMES).encode() + b"\r\n", "comma-separated"),
        ("Nom,Prénom\r\nA,B\r\n".encode("latin-1"), "not UTF-8"),
        (b"hello world\r\n", "not a CLD header"),
        (CLEAN.encode() + b"926,\xff\xfe\r\n", "not UTF-8"),
    ],
    ids=["empty", "binary", "nul", "semicolons", "latin-1", "not-cld", "bad-bytes-late"],
)
def test_unusable_input_exits_2_with_a_message_and_no_output(tmp_path, content, words):
    result = invoke(write(tmp_path, content))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and words in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_file_exits_2(tmp_path):
    result = invoke(str(tmp_path / "nowhere.csv"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "cannot read" in result.stderr and "nowhere.csv" in result.stderr


def test_an_unknown_format_exits_2(tmp_path):
    result = invoke(write(tmp_path, CLEAN), "--format", "xml")
    assert result.exit_code == 2
    assert "xml" in result.stderr


def test_help_says_it_does_not_use_the_database():
    result = CliRunner().invoke(cli, ["cld", "validate", "--help"])
    assert result.exit_code == 0
    assert "does not use the database" in result.stdout


def test_runs_without_django_as_a_real_process(tmp_path):
    path = write(tmp_path, FAILING)
    code = (
        "import sys\n"
        "from carebridge.cli import main\n"
        "try:\n"
        f"    main(['cld', 'validate', {path!r}, '--format', 'csv'])\n"
        "except SystemExit as e:\n"
        "    print(e.code, 'django' in sys.modules, file=sys.stderr)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert r.stderr.split() == ["1", "False"], r.stderr
    assert r.stdout.startswith("row,field,value,severity,rule,message")
