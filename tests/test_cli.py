"""The command-line interface, run as a real subprocess against its own SQLite database."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "carebridge"]


def run(args, db: Path, timeout=240, **kw):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [*CLI, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, **kw
    )


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "cli.sqlite3"


def test_help_lists_own_commands_and_mentions_django(db_path):
    r = run(["--help"], db_path)
    assert r.returncode == 0
    for command in ("demo", "serve", "seed", "check"):
        assert command in r.stdout
    assert "carebridge migrate" in r.stdout


@pytest.mark.parametrize("command", ["demo", "serve", "seed", "check"])
def test_each_command_has_help(db_path, command):
    r = run([command, "--help"], db_path)
    assert r.returncode == 0, r.stderr
    assert "Usage: carebridge " + command in r.stdout


def test_django_commands_pass_through_and_check_reports(db_path):
    r = run(["check"], db_path)
    assert r.returncode != 0
    assert "Migrations applied" in r.stdout and "pending" in r.stdout
    r = run(["migrate", "--noinput", "-v", "0"], db_path)
    assert r.returncode == 0, r.stderr
    tables = {
        row[0]
        for row in sqlite3.connect(db_path).execute("select name from sqlite_master")
        if row[0]
    }
    assert {"people_person", "core_auditevent", "casework_event"} <= tables
    r = run(["check"], db_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "All checks passed." in r.stdout


def test_seed_works_on_an_empty_database_and_refuses_a_second_time(db_path):
    assert run(["migrate", "--noinput", "-v", "0"], db_path).returncode == 0
    r = run(["seed", "--people", "120", "--seed", "7", "--until", "2026-03-31"], db_path)
    assert r.returncode == 0, r.stderr
    con = sqlite3.connect(db_path)
    assert con.execute("select count(*) from people_person").fetchone()[0] >= 120
    assert con.execute("select count(*) from casework_event").fetchone()[0] > 120
    assert con.execute("select max(start_date) from casework_event").fetchone()[0] <= "2026-03-31"
    assert con.execute("select count(*) from core_auditevent where action='seed'").fetchone()[0]
    before = con.execute("select count(*) from people_person").fetchone()[0]
    r = run(["seed", "--people", "50", "--seed", "8"], db_path)
    assert r.returncode != 0
    assert "empty database" in (r.stdout + r.stderr)
    assert con.execute("select count(*) from people_person").fetchone()[0] == before


def test_seed_rejects_a_bad_date(db_path):
    r = run(["seed", "--people", "10", "--until", "2026-02-30"], db_path)
    assert r.returncode == 2
    assert "2026-02-30" in r.stderr


@pytest.mark.parametrize("years", ["0.5", "41", "many"])
def test_seed_rejects_a_history_length_out_of_range_and_writes_nothing(db_path, years):
    assert run(["migrate", "--noinput", "-v", "0"], db_path).returncode == 0
    r = run(["seed", "--people", "10", "--history-years", years], db_path)
    assert r.returncode == 2
    assert "--history-years" in r.stderr and years in r.stderr
    con = sqlite3.connect(db_path)
    assert con.execute("select count(*) from people_person").fetchone()[0] == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_runs_a_production_server_with_static_files(db_path):
    assert run(["migrate", "--noinput", "-v", "0"], db_path).returncode == 0
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{base}/health/", timeout=2) as r:  # noqa: S310
                    assert r.status == 200
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("server did not start")
        with urllib.request.urlopen(f"{base}/assets/govuk/govuk-frontend.min.css") as r:  # noqa: S310
            assert r.status == 200 and b".govuk-" in r.read(2000)
        with urllib.request.urlopen(f"{base}/sign-in/") as r:  # noqa: S310
            assert r.status == 200 and b"Sign in to carebridge" in r.read()
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert "gunicorn" in out.lower() or "Booting worker" in out
