"""Benchmark: batch financial assessments (charging) through the command line and in-process.

Generates N random synthetic cases (care at home and in care homes, 2024-25 and 2025-26;
deterministic for a seed) into a temporary JSON array file and a JSON Lines file, then times
``carebridge charge --input FILE`` in a subprocess for each, wall clock including process start,
JSON parsing, the assessments and writing every result with its workings. It also times the
engine in-process (``parse`` + ``assess``, and with ``as_json``). Prints a table (format,
assessments, seconds against the target of 50,000 in under 5 seconds, per second, peak memory,
PASS/FAIL) and checks every charge against an independent restatement of the rules in integer
pence. Exits 0 whatever the result: it is a benchmark, not a test.

    .venv/bin/python bench/bench_charging.py [--count 50000] [--seed 1]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_CAREBRIDGE = ROOT / ".venv" / "bin" / "carebridge"
CAREBRIDGE = str(VENV_CAREBRIDGE if VENV_CAREBRIDGE.exists() else "carebridge")
TARGET_COUNT = 50_000
TARGET_SECONDS = 5.0

# The figures are repeated here, in pence, on purpose: the check must not trust the module (or
# the data files) it checks. From charging-rates.md sections 1a to 1c.
RATES = {
    "2024-25": {
        "upper": 2325000,
        "lower": 1425000,
        "pea": 3015,
        "sc_single": 695,
        "sc_couple": 1040,
        "single_18_24": 8765,
        "single_25": 11060,
        "single_pc": 22870,
        "lone_parent": 11060,
        "couple_18": 8685,
        "couple_pc": 17460,
        "child": 10125,
        "dp_single": 4880,
        "dp_couple": 3480,
        "edp_single": 2385,
        "edp_couple": 1715,
        "carer": 5235,
        "higher": 10855,
        "lower_rate": 7265,
    },
    "2025-26": {
        "upper": 2325000,
        "lower": 1425000,
        "pea": 3065,
        "sc_single": 705,
        "sc_couple": 1060,
        "single_18_24": 8915,
        "single_25": 11250,
        "single_pc": 23260,
        "lone_parent": 11250,
        "couple_18": 8835,
        "couple_pc": 17755,
        "child": 10295,
        "dp_single": 4965,
        "dp_couple": 3540,
        "edp_single": 2425,
        "edp_couple": 1745,
        "carer": 5325,
        "higher": 11040,
        "lower_rate": 7390,
    },
}
PENSION_CREDIT_AGE = 66
COUNTED = {
    "state_pension",
    "private_pension",
    "pension_credit",
    "employment_support_allowance",
    "universal_credit",
    "attendance_allowance_lower",
    "dla_care_middle",
    "dla_care_lowest",
    "pip_daily_living_standard",
    "other",
}
HIGHER = {"attendance_allowance_higher", "dla_care_highest", "pip_daily_living_enhanced"}
DISREGARDED = {"earnings", "dla_mobility", "pip_mobility", "housing_benefit", "child_tax_credit"}
HOME_TYPES = sorted(COUNTED | HIGHER | DISREGARDED | {"savings_credit", "war_widows_pension"})


def pounds(rng: random.Random, low: float, high: float) -> float:
    return rng.randint(round(low * 100), round(high * 100)) / 100


def synthetic_case(rng: random.Random) -> dict:
    """One random case: about 60% care at home, 40% in a care home; a few never charged."""
    residential = rng.random() < 0.4
    age = rng.randint(18, 100)
    couple = rng.random() < 0.2
    band = rng.random()
    if band < 0.5:
        savings = pounds(rng, 0, 14250)
    elif band < 0.85:
        savings = pounds(rng, 14250, 23250)
    else:
        savings = pounds(rng, 23250, 60000)
    income = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(HOME_TYPES)
        item = {"type": kind, "amount": pounds(rng, 0, 260)}
        if kind == "pension_credit" and couple and rng.random() < 0.5:
            item["joint"] = True
        income.append(item)
    case = {
        "financial_year": rng.choice(("2024-25", "2025-26")),
        "setting": "residential" if residential else "non_residential",
        "age": age,
        "couple": couple,
        "dependent_children": 0 if residential or rng.random() < 0.9 else rng.randint(1, 3),
        "premiums": rng.sample(["disability", "enhanced_disability", "carer"], rng.randint(0, 2)),
        "capital": {
            "savings": savings,
            "other": rng.choice((0, 0, 0, pounds(rng, 0, 5000))),
            "main_home": rng.choice((0, 0, pounds(rng, 80000, 400000))),
        },
        "weekly_income": income,
        "weekly_housing_costs": rng.choice((0, pounds(rng, 0, 120))),
        "weekly_disability_related_expenditure": rng.choice((0, pounds(rng, 0, 40))),
        "weekly_care_cost": pounds(rng, 20, 1500),
        "s117": rng.random() < 0.03,
        "free_service": rng.choice((None,) * 30 + ("reablement_first_6_weeks",)),
        "first_permanent_admission_week": (
            rng.choice((None, rng.randint(1, 30))) if residential else None
        ),
    }
    if rng.random() < 0.1:
        case["night_care_arranged"] = True
    if residential and rng.random() < 0.1:
        case["home_occupied_by_partner_or_relative"] = True
    return case


def expected(case: dict) -> tuple[int, bool]:
    """(weekly charge in pence, full cost) restated from the reference notes' rules."""
    cost = round(case["weekly_care_cost"] * 100)
    if case["s117"] or case["free_service"]:
        return 0, False
    r = RATES[case["financial_year"]]
    residential = case["setting"] == "residential"
    cap = case["capital"]
    capital = round(cap["savings"] * 100) + round(cap["other"] * 100)
    week = case["first_permanent_admission_week"]
    if (
        residential
        and not case.get("home_occupied_by_partner_or_relative")
        and not (week is not None and week <= 12)
    ):
        capital += round(cap["main_home"] * 100)
    if capital > r["upper"]:
        return cost, True
    tariff = -(-(capital - r["lower"]) // 25000) * 100 if capital > r["lower"] else 0
    totals: dict[str, int] = {}
    for item in case["weekly_income"]:
        pence = round(item["amount"] * 100)
        if item.get("joint"):
            pence //= 2
        totals[item["type"]] = totals.get(item["type"], 0) + pence
    income = 0
    higher = 0
    for kind, pence in totals.items():
        if kind in COUNTED:
            income += pence
        elif kind in HIGHER:
            income += pence
            higher += pence
        elif kind == "savings_credit":
            income += max(0, pence - r["sc_couple" if case["couple"] else "sc_single"])
            if not residential:
                income += min(pence, r["sc_couple" if case["couple"] else "sc_single"])
        elif kind == "war_widows_pension":
            income += max(0, pence - 1000)
    if residential:
        allowances = r["pea"]
    else:
        if higher and not case.get("night_care_arranged"):
            income -= min(higher, r["higher"] - r["lower_rate"])
        pension_age = case["age"] >= PENSION_CREDIT_AGE
        if case["couple"]:
            base = r["couple_pc"] if pension_age else r["couple_18"]
        elif pension_age:
            base = r["single_pc"]
        elif case["dependent_children"]:
            base = r["lone_parent"]
        else:
            base = r["single_18_24"] if case["age"] <= 24 else r["single_25"]
        mig = base + r["child"] * case["dependent_children"]
        suffix = "couple" if case["couple"] else "single"
        for premium in case["premiums"]:
            mig += {
                "disability": r[f"dp_{suffix}"],
                "enhanced_disability": r[f"edp_{suffix}"],
                "carer": r["carer"],
            }[premium]
        allowances = (
            mig
            + round(case["weekly_housing_costs"] * 100)
            + round(case["weekly_disability_related_expenditure"] * 100)
        )
    assessed = max(0, income + tariff - allowances)
    return min(assessed, cost), False


@dataclass
class Result:
    fmt: str  # "json" or "jsonl"
    label: str
    output: Path
    count: int = 0
    seconds: float = 0.0
    peak_mb: float = 0.0
    charged: int = 0
    full_cost: int = 0
    mismatches: int = 0
    error: str = ""

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    @property
    def verdict(self) -> str:
        if self.error or self.mismatches:
            return "ERROR"
        # The target is a rate: 50,000 in under 5 seconds.
        return "PASS" if self.per_second >= TARGET_COUNT / TARGET_SECONDS else "FAIL"


def run_cli(path: Path, out_path: Path, *options: str) -> tuple[float, float, int, str]:
    """(seconds, peak MB, exit status, stderr) for one run, output written to ``out_path``.

    The peak is the child's maximum resident set size from ``wait4``. Linux carries the parent's
    peak into a child it starts, so this script keeps itself small while the command runs.
    """
    with out_path.open("wb") as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [CAREBRIDGE, "charge", "--input", str(path), *options],
            cwd=ROOT,
            stdout=out,
            stderr=err,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return seconds, usage.ru_maxrss / 1024, proc.returncode, err.read().decode()


def write_inputs(count: int, seed: int, array: Path, lines: Path, one: Path) -> None:
    """Write the same ``count`` cases as a JSON array and as JSON Lines, one at a time."""
    rng = random.Random(seed)
    with array.open("w") as a, lines.open("w") as jl:
        a.write("[")
        for i in range(count):
            text = json.dumps(synthetic_case(rng))
            a.write(("," if i else "") + "\n" + text)
            jl.write(text + "\n")
            if i == 0:
                one.write_text(text)
        a.write("\n]\n")


def measure(fmt: str, path: Path, output: Path, *options: str) -> Result:
    result = Result(fmt, " ".join(("CLI", fmt, *options)), output)
    print(f"[{result.label}] carebridge charge --input {path.name}...", flush=True)
    result.seconds, result.peak_mb, status, stderr = run_cli(path, output, *options)
    if status:
        result.error = (stderr.strip().splitlines() or [f"exit status {status}"])[-1]
    return result


def check(result: Result, count: int, seed: int) -> None:
    """Compare every charge with the independent restatement above."""
    if result.error:
        return
    with result.output.open() as f:
        outputs = (json.loads(line) for line in f) if result.fmt == "jsonl" else iter(json.load(f))
        rng = random.Random(seed)
        for got in outputs:
            result.count += 1
            charge, full = expected(synthetic_case(rng))
            result.charged += got["weekly_charge"] > 0
            result.full_cost += got["full_cost"]
            pence = round(got["weekly_charge"] * 100)
            cost = round(got["weekly_care_cost"] * 100)
            council = round(got["council_pays"] * 100)
            if pence != charge or got["full_cost"] is not full or pence + council != cost:
                result.mismatches += 1
    if result.count != count:
        result.error = f"{result.count:,} results for {count:,} inputs"


def in_process(path: Path) -> tuple[float, float, int]:
    """(seconds for parse + assess, seconds for parse + assess + as_json, assessments), with
    the input already read as JSON, in this process."""
    from carebridge.rules.charging import assess, parse

    data = json.loads(path.read_text(), parse_float=Decimal)
    gc.disable()
    try:
        started = time.perf_counter()
        for item in data:
            assess(parse(item))
        engine = time.perf_counter() - started
        started = time.perf_counter()
        for item in data:
            assess(parse(item)).as_json()
        with_json = time.perf_counter() - started
    finally:
        gc.enable()
    return engine, with_json, len(data)


def cpus() -> int:
    try:
        return min(len(os.sched_getaffinity(0)), 8)
    except AttributeError:
        return min(os.cpu_count() or 1, 8)


def print_table(results: list[Result], startup: float, engine: tuple[float, float, int]) -> None:
    header = (
        f"{'run':<22}{'assessments':>12}{'seconds':>9}{'target s':>10}{'per second':>12}"
        f"{'peak MB':>9}{'charged':>9}{'full cost':>10}  result"
    )
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        target = r.count * TARGET_SECONDS / TARGET_COUNT
        print(
            f"{r.label:<22}{r.count:>12,}{r.seconds:>9.2f}{target:>10.2f}"
            f"{r.per_second:>12,.0f}{r.peak_mb:>9.0f}{r.charged:>9,}{r.full_cost:>10,}  "
            f"{r.verdict}"
            + (f"  ({r.error})" if r.error else "")
            + (f"  ({r.mismatches:,} charges differ from the restatement)" if r.mismatches else "")
        )
    seconds, with_json, n = engine
    target = n * TARGET_SECONDS / TARGET_COUNT
    for label, s in (("engine parse+assess", seconds), ("engine + as_json", with_json)):
        verdict = "PASS" if s < target else "FAIL"
        print(f"{label:<22}{n:>12,}{s:>9.2f}{target:>10.2f}{n / s:>12,.0f}{'':>28}  {verdict}")
    print(f"\nProcess start (one assessment, included above): {startup:.2f} s.")
    print(
        f"CPUs here: {cpus()}; 1-minute load average now {os.getloadavg()[0]:.2f}. Without "
        "--jobs the command uses one worker process per CPU (at most 8) for 2,000 cases or "
        "more; --jobs 1 assesses in one process."
    )
    if all(not r.error and not r.mismatches for r in results):
        print("Every charge agrees with an independent restatement of the rules in pence.")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=TARGET_COUNT, help="assessments per run")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="carebridge-bench-charging-") as tmp_name:
        tmp = Path(tmp_name)
        array, lines, one = tmp / "cases.json", tmp / "cases.jsonl", tmp / "one.json"
        print(f"Writing {args.count:,} synthetic cases (seed {args.seed})...")
        write_inputs(args.count, args.seed, array, lines, one)
        startup, _, _, _ = run_cli(one, tmp / "out.one.json")
        runs = (
            ("json", array, ("--jobs", "1")),
            ("json", array, ()),
            ("jsonl", lines, ()),
        )
        results = [
            measure(fmt, path, tmp / f"out{i}.{fmt}", *options)
            for i, (fmt, path, options) in enumerate(runs)
        ]
        print("Checking the results...", flush=True)
        for result in results:
            check(result, args.count, args.seed)
        print("Timing the engine in-process...", flush=True)
        engine = in_process(array)
    print_table(results, startup, engine)
    sys.exit(0)


if __name__ == "__main__":
    main()
