"""Benchmark: batch eligibility determinations through the command line, start to finish.

Generates N random synthetic statements of needs (adults and carers; deterministic for a seed)
into a temporary JSON array file and a JSON Lines file, then times
``carebridge eligibility --input FILE`` in a subprocess for each, wall clock including process
start, JSON parsing, the determinations and writing the results. Prints a table (format,
determinations, seconds, determinations/second against the 10,000/s target, peak memory,
PASS/FAIL) and checks every result against an independent statement of regs 2 and 3. Exits 0
whatever the result: it is a benchmark, not a test.

    .venv/bin/python bench/bench_eligibility.py [--count 100000] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_CAREBRIDGE = ROOT / ".venv" / "bin" / "carebridge"
CAREBRIDGE = str(VENV_CAREBRIDGE if VENV_CAREBRIDGE.exists() else "carebridge")
TARGET_PER_SECOND = 10_000

# The vocabulary is repeated here on purpose: the check below must not trust the module it checks.
ADULT_OUTCOMES = (
    "nutrition",
    "personal_hygiene",
    "toilet_needs",
    "appropriately_clothed",
    "use_home_safely",
    "habitable_home",
    "relationships",
    "work_training_education_volunteering",
    "local_facilities_services",
    "caring_for_child",
)
CARER_OUTCOMES = (
    "caring_for_child",
    "caring_for_others",
    "habitable_home",
    "nutrition",
    "relationships",
    "work_training_education_volunteering",
    "local_facilities_services",
    "recreational_activities",
)
LIMBS = (
    "without_assistance",
    "pain_distress_anxiety",
    "endangers_health_safety",
    "takes_significantly_longer",
)
CARER_COUNTING = set(LIMBS[:3])


def synthetic_needs(rng: random.Random) -> dict:
    """One random statement of needs, weighted so that about half are eligible."""
    adult = rng.random() < 0.7
    pool = ADULT_OUTCOMES if adult else CARER_OUTCOMES
    outcomes = {}
    for key in rng.sample(pool, rng.randint(0, 4)):
        outcomes[key] = rng.sample(LIMBS, rng.choice((0, 1, 1, 1, 2, 3)))
    if adult:
        return {
            "kind": "adult",
            "needs_arise_from_impairment_or_illness": rng.random() < 0.9,
            "outcomes": outcomes,
            "significant_impact_on_wellbeing": rng.random() < 0.85,
        }
    return {
        "kind": "carer",
        "needs_arise_from_providing_necessary_care": rng.random() < 0.9,
        "health_at_risk_of_deterioration": rng.random() < 0.3,
        "outcomes": outcomes,
        "significant_impact_on_wellbeing": rng.random() < 0.85,
    }


def expected(needs: dict) -> tuple[bool, list[str]]:
    """Regs 2 and 3 restated from the reference notes, for checking the command's output."""
    if needs["kind"] == "adult":
        unable = [k for k in ADULT_OUTCOMES if needs["outcomes"].get(k)]
        ok = (
            needs["needs_arise_from_impairment_or_illness"]
            and len(unable) >= 2
            and needs["significant_impact_on_wellbeing"]
        )
        return ok, unable
    unable = [k for k in CARER_OUTCOMES if CARER_COUNTING & set(needs["outcomes"].get(k, ()))]
    ok = (
        needs["needs_arise_from_providing_necessary_care"]
        and (needs["health_at_risk_of_deterioration"] or len(unable) >= 1)
        and needs["significant_impact_on_wellbeing"]
    )
    return ok, unable


@dataclass
class Result:
    fmt: str
    count: int = 0
    seconds: float = 0.0
    peak_mb: float = 0.0
    eligible: int = 0
    mismatches: int = 0
    error: str = ""

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    @property
    def verdict(self) -> str:
        if self.error or self.mismatches:
            return "ERROR"
        return "PASS" if self.per_second >= TARGET_PER_SECOND else "FAIL"


def run_cli(path: Path, out_path: Path) -> tuple[float, float, int, str]:
    """(seconds, peak MB, exit status, stderr) for one run, output written to ``out_path``.

    The peak is the child's maximum resident set size from ``wait4``. Linux carries the parent's
    peak into a child it starts, so this script keeps itself small while the command runs.
    """
    with out_path.open("wb") as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [CAREBRIDGE, "eligibility", "--input", str(path)], cwd=ROOT, stdout=out, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return seconds, usage.ru_maxrss / 1024, proc.returncode, err.read().decode()


def write_inputs(count: int, seed: int, array: Path, lines: Path, one: Path) -> None:
    """Write the same ``count`` statements of needs as a JSON array and as JSON Lines, one at a
    time (so that this process stays small)."""
    rng = random.Random(seed)
    with array.open("w") as a, lines.open("w") as jl:
        a.write("[")
        for i in range(count):
            text = json.dumps(synthetic_needs(rng))
            a.write(("," if i else "") + "\n" + text)
            jl.write(text + "\n")
            if i == 0:
                one.write_text(text)
        a.write("\n]\n")


def measure(fmt: str, path: Path, tmp: Path) -> Result:
    result = Result(fmt)
    print(f"[{fmt}] carebridge eligibility --input {path.name}...", flush=True)
    result.seconds, result.peak_mb, status, stderr = run_cli(path, tmp / f"out.{fmt}")
    if status:
        result.error = (stderr.strip().splitlines() or [f"exit status {status}"])[-1]
    return result


def check(result: Result, tmp: Path, count: int, seed: int) -> None:
    """Compare every output with an independent statement of regs 2 and 3."""
    if result.error:
        return
    text = (tmp / f"out.{result.fmt}").read_text()
    outputs = (
        [json.loads(line) for line in text.splitlines()]
        if result.fmt == "jsonl"
        else json.loads(text)
    )
    result.count = len(outputs)
    if result.count != count:
        result.error = f"{result.count:,} results for {count:,} inputs"
    rng = random.Random(seed)
    for got in outputs:
        ok, unable = expected(synthetic_needs(rng))
        result.eligible += got["eligible"]
        if got["eligible"] is not ok or got["outcomes_unable"] != unable:
            result.mismatches += 1


def print_table(results: list[Result], startup: float) -> None:
    header = (
        f"{'format':<8}{'determinations':>16}{'seconds':>9}{'per second':>12}{'target':>9}"
        f"{'peak MB':>9}{'eligible':>10}  result"
    )
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.fmt:<8}{r.count:>16,}{r.seconds:>9.2f}{r.per_second:>12,.0f}"
            f"{TARGET_PER_SECOND:>9,}{r.peak_mb:>9.0f}{r.eligible:>10,}  {r.verdict}"
            + (f"  ({r.error})" if r.error else "")
            + (f"  ({r.mismatches:,} results differ from regs 2 and 3)" if r.mismatches else "")
        )
    print(f"\nProcess start (one determination, included above): {startup:.2f} s.")
    if all(not r.error and not r.mismatches for r in results):
        print("Every result agrees with an independent statement of regs 2 and 3.")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=100_000, help="determinations per run")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="carebridge-bench-eligibility-") as tmp_name:
        tmp = Path(tmp_name)
        array, lines, one = tmp / "needs.json", tmp / "needs.jsonl", tmp / "one.json"
        print(f"Writing {args.count:,} synthetic statements of needs (seed {args.seed})...")
        write_inputs(args.count, args.seed, array, lines, one)
        startup, _, _, _ = run_cli(one, tmp / "out.one")
        results = [measure("json", array, tmp), measure("jsonl", lines, tmp)]
        print("Checking the results...", flush=True)
        for result in results:
            check(result, tmp, args.count, args.seed)
    print_table(results, startup)
    sys.exit(0)


if __name__ == "__main__":
    main()
