"""``carebridge eligibility``, run as a real subprocess: pure, no database, strict about input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "carebridge", "eligibility"]

ADULT = {
    "kind": "adult",
    "needs_arise_from_impairment_or_illness": True,
    "outcomes": {
        "nutrition": ["without_assistance"],
        "personal_hygiene": ["pain_distress_anxiety"],
    },
    "significant_impact_on_wellbeing": True,
}
CARER = {
    "kind": "carer",
    "needs_arise_from_providing_necessary_care": True,
    "health_at_risk_of_deterioration": False,
    "outcomes": {"recreational_activities": ["takes_significantly_longer"]},
    "significant_impact_on_wellbeing": True,
}
KEYS = {"eligible", "outcomes_unable", "reasons", "regulation"}


def run(*args, stdin=None):
    return subprocess.run(
        [*CLI, *args], cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=60
    )


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def check_result(out, eligible):
    assert KEYS <= set(out) <= KEYS | {"kind"}
    assert out["eligible"] is eligible
    assert out["regulation"].startswith("The Care and Support (Eligibility Criteria) Regulations")


def test_single_object(tmp_path):
    r = run("--input", write(tmp_path, "one.json", json.dumps(ADULT)))
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    out = json.loads(r.stdout)
    check_result(out, True)
    assert out["outcomes_unable"] == ["nutrition", "personal_hygiene"]


def test_array_batch(tmp_path):
    r = run("--input", write(tmp_path, "many.json", json.dumps([ADULT, CARER, ADULT])))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [o["eligible"] for o in out] == [True, False, True]
    for o in out:
        assert set(o) >= KEYS
    assert any("does not count for carers" in reason for reason in out[1]["reasons"])


def test_empty_array(tmp_path):
    r = run("--input", write(tmp_path, "none.json", "[]"))
    assert r.returncode == 0 and json.loads(r.stdout) == []


def test_jsonl_batch_prints_one_line_per_input(tmp_path):
    text = "\n".join(json.dumps(x) for x in (CARER, ADULT)) + "\n\n"
    r = run("--input", write(tmp_path, "many.jsonl", text))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 2
    check_result(json.loads(lines[0]), False)
    check_result(json.loads(lines[1]), True)


def test_stdin_object_and_lines():
    r = run("--input", "-", stdin=json.dumps(ADULT))
    assert r.returncode == 0, r.stderr
    check_result(json.loads(r.stdout), True)
    r = run("--input", "-", "--lines", stdin=json.dumps(ADULT) + "\n" + json.dumps(CARER))
    assert r.returncode == 0, r.stderr
    assert [json.loads(x)["eligible"] for x in r.stdout.splitlines()] == [True, False]


def test_does_not_set_up_django(tmp_path):
    path = write(tmp_path, "one.json", json.dumps(ADULT))
    code = (
        "import sys\n"
        "from carebridge.cli import main\n"
        "try:\n"
        f"    main(['eligibility', '--input', {path!r}])\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "print('django' in sys.modules, file=sys.stderr)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip() == "False"


def test_help_has_an_example():
    r = run("--help")
    assert r.returncode == 0
    assert "Example" in r.stdout and "--input" in r.stdout
    top = subprocess.run(
        [sys.executable, "-m", "carebridge", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "eligibility" in top.stdout


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("bad.json", '{"kind": "adult",\n "outcomes": }', ["line 2, column 14", "invalid JSON"]),
        ("empty.json", "  \n", ["empty"]),
        ("scalar.json", "42", ["JSON object or an array"]),
        ("kind.json", json.dumps({**ADULT, "kind": "child"}), ['"child"', '"adult", "carer"']),
        (
            "limb.json",
            json.dumps({**ADULT, "outcomes": {"nutrition": ["prompting"]}}),
            ['"prompting"', "outcomes.nutrition"],
        ),
        (
            "bool.json",
            json.dumps({**CARER, "health_at_risk_of_deterioration": 0}),
            ["health_at_risk_of_deterioration", "true or false"],
        ),
        (
            "batch.json",
            json.dumps([ADULT, CARER, {**CARER, "outcomes": {"toilet_needs": []}}]),
            ["item 3", '"toilet_needs"'],
        ),
        ("items.json", json.dumps([ADULT, "adult"]), ["item 2", "JSON object"]),
        (
            "batch.jsonl",
            json.dumps(ADULT) + "\n\n" + json.dumps({**ADULT, "extra": 1}) + "\n",
            ["line 3", '"extra"'],
        ),
        (
            "broken.jsonl",
            json.dumps(ADULT) + '\n{"kind": \n',
            ["line 2, column 10", "invalid JSON"],
        ),
    ],
)
def test_invalid_input_exits_2_with_message_and_no_output(tmp_path, name, text, words):
    r = run("--input", write(tmp_path, name, text))
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.startswith("Error: ")
    for word in words:
        assert word in r.stderr


def test_missing_file(tmp_path):
    r = run("--input", str(tmp_path / "nowhere.json"))
    assert r.returncode == 2
    assert r.stdout == ""
    assert "cannot read" in r.stderr and "nowhere.json" in r.stderr


def test_missing_input_option():
    r = run()
    assert r.returncode == 2
    assert r.stdout == ""
    assert "--input" in r.stderr


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"kind": "\xe9"}')
    r = run("--input", str(path))
    assert r.returncode == 2 and r.stdout == "" and "UTF-8" in r.stderr


def test_invalid_stdin():
    r = run("--input", "-", stdin="[")
    assert r.returncode == 2
    assert r.stdout == ""
    assert "standard input" in r.stderr
