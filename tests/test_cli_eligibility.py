"""``carebridge eligibility``, run as a real subprocess: pure, no database, strict about input."""

from __future__ import annotations

import json

import pytest

from tests import cli_input

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
    return cli_input.run("eligibility", *args, stdin=stdin, timeout=60)


write = cli_input.write


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
    assert not cli_input.loads_django("eligibility", write(tmp_path, "one.json", json.dumps(ADULT)))


def test_help_has_an_example():
    r = run("--help")
    assert r.returncode == 0
    assert "Example" in r.stdout and "--input" in r.stdout
    top = cli_input.run("--help")
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
    cli_input.assert_refused(r, *words)
    assert r.stderr.startswith("Error: ")
