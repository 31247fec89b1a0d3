"""What every file-reading command does with input it cannot read: exit 2, print nothing,
and say what is wrong (the contracts of issues 3 and 4)."""

from __future__ import annotations

import pytest

from tests.cli_input import assert_refused, run

COMMANDS = ["eligibility", "charge"]


@pytest.mark.parametrize("command", COMMANDS)
def test_missing_file(tmp_path, command):
    missing = str(tmp_path / "nowhere.json")
    assert_refused(run(command, "--input", missing), "cannot read", "nowhere.json")


@pytest.mark.parametrize("command", COMMANDS)
def test_missing_input_option(command):
    assert_refused(run(command), "--input")


@pytest.mark.parametrize("command", COMMANDS)
def test_not_utf8(tmp_path, command):
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"kind": "\xe9"}')
    assert_refused(run(command, "--input", str(path)), "UTF-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_invalid_stdin(command):
    assert_refused(run(command, "--input", "-", stdin="["), "standard input")
