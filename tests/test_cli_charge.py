"""``carebridge charge``, run as a real subprocess: pure, no database, strict about input."""

from __future__ import annotations

import json

import pytest

from tests import cli_input

# Worked example N1 (charging-rates.md section 3; Knowsley 2024/25 [S14]): £67.71 a week.
HOME = {
    "financial_year": "2024-25",
    "setting": "non_residential",
    "age": 22,
    "couple": False,
    "dependent_children": 0,
    "premiums": ["disability", "enhanced_disability"],
    "capital": {"savings": 0, "other": 0, "main_home": 0},
    "weekly_income": [
        {"type": "universal_credit", "amount": 167.96},
        {"type": "pip_daily_living_enhanced", "amount": 108.55},
        {"type": "pip_mobility", "amount": 75.75},
    ],
    "weekly_housing_costs": 0,
    "weekly_disability_related_expenditure": 12.60,
    "weekly_care_cost": 391.95,
    "s117": False,
    "free_service": None,
    "first_permanent_admission_week": None,
}
# Worked example R1 (Knowsley 2024/25, care home [S14]): £209.70 a week.
CARE_HOME = {
    **HOME,
    "setting": "residential",
    "age": 90,
    "premiums": [],
    "capital": {"savings": 17050.91, "other": 0, "main_home": 0},
    "weekly_income": [
        {"type": "state_pension", "amount": 227.55},
        {"type": "savings_credit", "amount": 7.25},
    ],
    "weekly_disability_related_expenditure": 0,
    "weekly_care_cost": 685.37,
}
S117 = {**HOME, "s117": True}
KEYS = {"weekly_charge", "council_pays", "full_cost", "steps"}


def run(*args, stdin=None):
    return cli_input.run("charge", *args, stdin=stdin, timeout=120)


write = cli_input.write


def check_result(out, charge):
    assert set(out) >= KEYS
    assert out["weekly_charge"] == charge
    assert round(out["weekly_charge"] + out["council_pays"], 2) == out["weekly_care_cost"]
    for s in out["steps"]:
        assert {"step", "amount", "source", "kind"} == set(s) and s["source"]


def test_single_object(tmp_path):
    r = run("--input", write(tmp_path, "one.json", json.dumps(HOME)))
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    out = json.loads(r.stdout)
    check_result(out, 67.71)
    assert out["council_pays"] == 324.24 and out["full_cost"] is False
    assert '"weekly_charge": 67.71,' in r.stdout
    assert '"amount": 0.00' in r.stdout  # amounts always with two decimal places
    assert out["references"]["S14"].startswith("Knowsley")


def test_array_batch(tmp_path):
    r = run("--input", write(tmp_path, "many.json", json.dumps([HOME, CARE_HOME, S117])))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [o["weekly_charge"] for o in out] == [67.71, 209.70, 0.0]
    assert out[1]["council_pays"] == 475.67
    assert out[2]["free_reason"] == "s117_aftercare"


def test_empty_array(tmp_path):
    r = run("--input", write(tmp_path, "none.json", "[]"))
    assert r.returncode == 0 and json.loads(r.stdout) == []


def test_jsonl_batch_prints_one_line_per_input(tmp_path):
    text = "\n".join(json.dumps(x) for x in (CARE_HOME, HOME)) + "\n\n"
    r = run("--input", write(tmp_path, "many.jsonl", text))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 2
    check_result(json.loads(lines[0]), 209.70)
    check_result(json.loads(lines[1]), 67.71)


def test_stdin_object_and_lines():
    r = run("--input", "-", stdin=json.dumps(HOME))
    assert r.returncode == 0, r.stderr
    check_result(json.loads(r.stdout), 67.71)
    r = run("--input", "-", "--lines", stdin=json.dumps(HOME) + "\n" + json.dumps(S117))
    assert r.returncode == 0, r.stderr
    assert [json.loads(x)["weekly_charge"] for x in r.stdout.splitlines()] == [67.71, 0]


def test_council_policy_file(tmp_path):
    policy = write(
        tmp_path,
        "policy.json",
        json.dumps({"name": "Devon-style", "disregard_night_care_element": False}),
    )
    r = run("--input", write(tmp_path, "one.json", json.dumps(HOME)), "--policy", policy)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["weekly_charge"] == 103.61  # the £35.90 night care element is counted
    assert out["policy"] == "Devon-style"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"night_care": true}', ['unknown setting "night_care"']),
        ('{"flat_rate_dre": -5}', ["flat_rate_dre", "£0 or more"]),
        ("{", ["policy.json", "Expecting"]),
    ],
)
def test_invalid_policy_file(tmp_path, text, words):
    policy = write(tmp_path, "policy.json", text)
    r = run("--input", write(tmp_path, "one.json", json.dumps(HOME)), "--policy", policy)
    assert r.returncode == 2 and r.stdout == ""
    for word in words:
        assert word in r.stderr


def test_worker_processes_give_the_same_results_in_order(tmp_path):
    cases = []
    for i in range(37):
        base = (HOME, CARE_HOME, S117)[i % 3]
        cases.append({**base, "weekly_care_cost": 100 + i})
    array = write(tmp_path, "many.json", json.dumps(cases))
    lines = write(tmp_path, "many.jsonl", "\n".join(json.dumps(c) for c in cases))
    one = run("--input", array, "--jobs", "1")
    assert one.returncode == 0, one.stderr
    for args in (("--input", array, "--jobs", "3"), ("--input", array, "--jobs", "8")):
        r = run(*args)
        assert r.returncode == 0, r.stderr
        assert r.stdout == one.stdout
    r = run("--input", lines, "--jobs", "4")
    assert r.returncode == 0, r.stderr
    assert [json.loads(x) for x in r.stdout.splitlines()] == json.loads(one.stdout)
    assert [o["weekly_care_cost"] for o in json.loads(one.stdout)] == [100 + i for i in range(37)]


def test_worker_processes_report_the_first_invalid_item(tmp_path):
    cases = [HOME] * 30
    cases[25] = {**HOME, "age": 12}
    cases[28] = {**HOME, "s117": "no"}
    r = run("--input", write(tmp_path, "many.json", json.dumps(cases)), "--jobs", "3")
    assert r.returncode == 2 and r.stdout == ""
    assert "item 26" in r.stderr and '"age"' in r.stderr
    text = "\n".join(json.dumps(c) for c in [*cases[:20], {**HOME, "age": 12}])
    r = run("--input", write(tmp_path, "many.jsonl", text), "--jobs", "2")
    assert r.returncode == 2 and r.stdout == "" and "line 21" in r.stderr


def test_does_not_set_up_django(tmp_path):
    assert not cli_input.loads_django("charge", write(tmp_path, "one.json", json.dumps(HOME)))


def test_help_has_an_example():
    r = run("--help")
    assert r.returncode == 0
    assert "Example" in r.stdout and "--input" in r.stdout and "--policy" in r.stdout
    top = cli_input.run("--help")
    assert "charge" in top.stdout and "eligibility" in top.stdout


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("bad.json", '{"age": 22,\n "setting": }', ["line 2, column 13", "invalid JSON"]),
        ("empty.json", "  \n", ["empty"]),
        ("scalar.json", "42", ["JSON object or an array"]),
        (
            "year.json",
            json.dumps({**HOME, "financial_year": "2023-24"}),
            ['"2023-24"', '"2024-25", "2025-26"'],
        ),
        (
            "unpublished.json",
            json.dumps({**HOME, "financial_year": "2026-27"}),
            ["2026-27", "not yet published", "lower capital limit"],
        ),
        (
            "negative.json",
            json.dumps({**HOME, "weekly_care_cost": -1}),
            ['"weekly_care_cost"', "negative"],
        ),
        (
            "type.json",
            json.dumps({**HOME, "weekly_income": [{"type": "salary", "amount": 1}]}),
            ['"salary"', "weekly_income[0].type"],
        ),
        ("bool.json", json.dumps({**HOME, "couple": 0}), ["couple", "true or false"]),
        (
            "batch.json",
            json.dumps([HOME, CARE_HOME, {**HOME, "premiums": ["severe"]}]),
            ["item 3", '"severe"'],
        ),
        ("items.json", json.dumps([HOME, "home"]), ["item 2", "JSON object"]),
        (
            "batch.jsonl",
            json.dumps(HOME) + "\n\n" + json.dumps({**HOME, "extra": 1}) + "\n",
            ["line 3", '"extra"'],
        ),
        (
            "broken.jsonl",
            json.dumps(HOME) + '\n{"age": \n',
            ["line 2, column 9", "invalid JSON"],
        ),
    ],
)
def test_invalid_input_exits_2_with_message_and_no_output(tmp_path, name, text, words):
    r = run("--input", write(tmp_path, name, text))
    cli_input.assert_refused(r, *words)
    assert r.stderr.startswith("Error: ")


def test_a_batch_is_assessed_here_when_a_worker_cannot_be_started(tmp_path, monkeypatch, capsys):
    import gc

    from carebridge import cli

    def no_fork():
        raise OSError("no more processes")

    monkeypatch.setattr(cli.os, "fork", no_fork)
    path = write(tmp_path, "many.json", json.dumps([HOME, CARE_HOME, S117]))
    try:
        assert cli._charge(path, jsonl=False, policy_path=None, jobs=3) == 0
    finally:
        gc.enable()  # the command turns the collector off for its batch
    out = json.loads(capsys.readouterr().out)
    assert [o["weekly_charge"] for o in out] == [67.71, 209.70, 0.0]
