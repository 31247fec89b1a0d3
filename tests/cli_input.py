"""Running the file-reading commands (``carebridge eligibility``, ``carebridge charge``) as real
subprocesses, and what every one of them must do with input it cannot read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(command: str, *args: str, stdin: str | None = None, timeout: int = 120):
    return subprocess.run(
        [sys.executable, "-m", "carebridge", command, *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def assert_refused(result, *words: str) -> None:
    """Exit status 2, nothing on stdout, and a message naming what is wrong."""
    assert result.returncode == 2, result
    assert result.stdout == ""
    for word in words:
        assert word in result.stderr, (word, result.stderr)


def loads_django(command: str, path: str) -> bool:
    """Run ``command --input path`` in a fresh interpreter and say whether Django was imported
    (the pure commands must not need it)."""
    code = (
        "import sys\n"
        "from carebridge.cli import main\n"
        "try:\n"
        f"    main([{command!r}, '--input', {path!r}])\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "print('django' in sys.modules, file=sys.stderr)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0, r.stderr
    return r.stderr.strip() != "False"
