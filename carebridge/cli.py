"""The ``carebridge`` command line.

Own commands: ``demo``, ``serve``, ``seed``, ``check``, ``eligibility``, ``charge``, ``duties``,
``cld``, ``returns``, ``safeguarding``, ``partnerships`` (``carebridge COMMAND --help``). Any
other command is handed to Django's management commands, so ``carebridge migrate`` and
``carebridge createsuperuser`` work as ``manage.py`` would.
"""

from __future__ import annotations

import datetime as dt
import os
import sys

import click

OWN_COMMANDS = {
    "demo", "serve", "seed", "check", "eligibility", "charge", "duties", "cld", "returns",
    "safeguarding", "partnerships",
}  # fmt: skip
DEMO_PEOPLE = 3000
DEMO_SEED = 2026


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebridge.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def _database_label() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite ({db['NAME']})"
    return f"PostgreSQL ({db.get('HOST') or 'local socket'}/{db['NAME']})"


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Any Django management command also works, e.g. 'carebridge migrate'.",
)
def cli() -> None:
    """carebridge: adult social care case management for English councils."""


@cli.command()
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--workers", default=2, show_default=True, help="Server worker processes.")
def serve(port: int, host: str, workers: int) -> None:
    """Run the production web server (gunicorn, static files by WhiteNoise)."""
    _django_setup()
    _ensure_static()
    from carebridge.server import run

    run(host=host, port=port, workers=workers)


def _ensure_static() -> None:
    from carebridge.health import static_assets_collected

    if not static_assets_collected():
        _manage("collectstatic", "--noinput", "--verbosity", "0")


@cli.command()
@click.option("--people", default=DEMO_PEOPLE, show_default=True, help="People to seed.")
@click.option("--seed", "seed_value", default=DEMO_SEED, show_default=True, help="Random seed.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day of history.")
@click.option(
    "--history-years",
    type=click.FloatRange(1, 40),
    default=3.5,
    show_default=True,
    help="How many years of case history to generate before --until.",
)
@click.option("--quiet", is_flag=True, help="Print only errors.")
def seed(
    people: int, seed_value: int, until: dt.datetime | None, history_years: float, quiet: bool
) -> None:
    """Seed a synthetic county (deterministic for a seed) into an empty database.

    Every person is synthetic: NHS numbers are in the 999 test range.
    """
    _django_setup()
    from carebridge.demo.seed import DatabaseNotEmpty, seed_county

    until_date = until.date() if until else None
    try:
        report = seed_county(
            people=people,
            seed=seed_value,
            until=until_date,
            progress=None if quiet else click.echo,
            history_years=history_years,
        )
    except DatabaseNotEmpty as e:
        raise click.ClickException(str(e)) from None
    if not quiet:
        click.echo(report.summary())


@cli.command()
@click.option("--port", default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--people", default=DEMO_PEOPLE, show_default=True)
@click.option("--seed", "seed_value", default=DEMO_SEED, show_default=True)
@click.option("--no-serve", is_flag=True, help="Set up and seed, then stop.")
def demo(port: int, host: str, people: int, seed_value: int, no_serve: bool) -> None:
    """Migrate, seed a synthetic county if the database is empty, and serve."""
    _django_setup()
    click.echo(f"Database: {_database_label()}")
    _manage("migrate", "--noinput", "--verbosity", "0")
    _manage("collectstatic", "--noinput", "--verbosity", "0")
    from carebridge.demo.seed import database_is_empty, demo_sign_ins, seed_county

    if database_is_empty():
        click.echo(f"Seeding a synthetic county of {people:,} people (seed {seed_value})...")
        report = seed_county(people=people, seed=seed_value, progress=click.echo)
        click.echo(report.summary())
    else:
        click.echo("The database already has data: not seeding.")
    click.echo("")
    click.echo(f"carebridge is at http://{host}:{port}/")
    click.echo("Demo sign-ins (synthetic county; every person in it is fictional):")
    for account in demo_sign_ins():
        click.echo(f"  {account.username:<14} {account.password:<18} {account.description}")
    click.echo("")
    if no_serve:
        return
    from carebridge.server import run

    run(host=host, port=port, workers=2)


@cli.command()
@click.option("--deploy", is_flag=True, help="Also run Django's deployment checks.")
def check(deploy: bool) -> None:
    """Check the installation: settings, database, migrations and static assets."""
    _django_setup()
    from carebridge.health import run_checks

    problems = run_checks(deploy=deploy, echo=click.echo)
    if problems:
        raise click.ClickException(f"{problems} problem(s) found")
    click.echo("All checks passed.")


ELIGIBILITY_EXAMPLE = """\b
Example (one adult; prints one JSON object):
  echo '{"kind": "adult", "needs_arise_from_impairment_or_illness": true,
    "outcomes": {"nutrition": ["without_assistance"],
                 "personal_hygiene": ["pain_distress_anxiety"]},
    "significant_impact_on_wellbeing": true}' | carebridge eligibility --input -
\b
A carer: {"kind": "carer", "needs_arise_from_providing_necessary_care": true,
  "health_at_risk_of_deterioration": false, "outcomes": {...},
  "significant_impact_on_wellbeing": true}
\b
Outcomes and limbs: see carebridge/rules/eligibility.py. Invalid input exits with
status 2, a message on stderr and nothing on stdout.
"""


@cli.command(epilog=ELIGIBILITY_EXAMPLE)
@click.option(
    "--input",
    "input_path",
    required=True,
    metavar="FILE",
    help="JSON file of needs: one object, or an array of them; JSON Lines if the name ends "
    ".jsonl. '-' reads standard input.",
)
@click.option("--lines", is_flag=True, help="Read JSON Lines whatever the file name (e.g. stdin).")
def eligibility(input_path: str, lines: bool) -> None:
    """Determine eligibility under SI 2015/313 (reg 2 adults, reg 3 carers) from JSON.

    Prints, for each statement of needs, {"kind", "eligible", "outcomes_unable", "reasons",
    "regulation"}: one object for one input; a JSON array (or JSON Lines, one per input line) for
    a batch. Pure: does not use the database.
    """
    sys.exit(_eligibility(input_path, jsonl=lines or input_path.lower().endswith(".jsonl")))


def _eligibility(path: str, jsonl: bool) -> int:
    """Read and check every item, then determine and print them; on any error print only to
    stderr and return 2."""
    import gc
    import json
    from pathlib import Path

    from carebridge.rules.eligibility import InvalidNeeds, determine, parse

    # A short-lived batch that makes no reference cycles: the cycle collector would only rescan
    # the growing input again and again (it costs more than half the run time at 100,000 items).
    gc.disable()

    def fail(message: str) -> int:
        click.echo(f"Error: {message}", err=True)
        return 2

    name = "standard input" if path == "-" else path
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as e:
        return fail(f"cannot read {name}: {e.strerror or e}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return fail(f"{name} is not UTF-8 text (byte {e.start + 1})")
    del raw
    needs = []  # everything is read and checked before anything is printed
    single = False
    if jsonl:
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    needs.append(parse(json.loads(line)))
                except json.JSONDecodeError as e:
                    return fail(f"{name}, line {number}, column {e.colno}: invalid JSON: {e.msg}")
                except InvalidNeeds as e:
                    return fail(f"{name}, line {number}: {e}")
    else:
        if not text.strip():
            return fail(f"{name} is empty: expected a JSON object or an array of objects")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            return fail(f"{name}, line {e.lineno}, column {e.colno}: invalid JSON: {e.msg}")
        if isinstance(data, dict):
            data, single = [data], True
        elif not isinstance(data, list):
            return fail(f"{name}: expected a JSON object or an array of objects")
        for i, item in enumerate(data, start=1):
            try:
                needs.append(parse(item))
            except InvalidNeeds as e:
                return fail(f"{name}: {e}" if single else f"{name}, item {i}: {e}")
        del data
    del text
    # Every string in a result is carebridge's own ASCII text, so no escaping is needed.
    dumps = json.JSONEncoder(check_circular=False, ensure_ascii=False).encode
    write = sys.stdout.write
    if single:
        write(json.dumps(determine(needs[0]).as_dict(), indent=2) + "\n")
    elif jsonl:
        for start in range(0, len(needs), 1000):
            write(
                "".join(dumps(determine(n).as_dict()) + "\n" for n in needs[start : start + 1000])
            )
    elif not needs:
        write("[]\n")
    else:
        for start in range(0, len(needs), 1000):
            chunk = ",\n".join(dumps(determine(n).as_dict()) for n in needs[start : start + 1000])
            write(("[\n" if start == 0 else ",\n") + chunk)
        write("\n]\n")
    sys.stdout.flush()
    return 0


CHARGE_EXAMPLE = """\b
Example (care at home, 2024-25; worked example N1, £67.71 a week; prints one object):
  echo '{"financial_year": "2024-25", "setting": "non_residential", "age": 22,
    "couple": false, "dependent_children": 0,
    "premiums": ["disability", "enhanced_disability"],
    "capital": {"savings": 0, "other": 0, "main_home": 0},
    "weekly_income": [{"type": "universal_credit", "amount": 167.96},
                      {"type": "pip_daily_living_enhanced", "amount": 108.55},
                      {"type": "pip_mobility", "amount": 75.75}],
    "weekly_housing_costs": 0, "weekly_disability_related_expenditure": 12.60,
    "weekly_care_cost": 391.95, "s117": false, "free_service": null,
    "first_permanent_admission_week": null}' | carebridge charge --input -
\b
Keys, income types and optional extensions: see carebridge/rules/charging/engine.py.
Invalid input exits with status 2, a message on stderr and nothing on stdout.
"""


@cli.command(epilog=CHARGE_EXAMPLE)
@click.option(
    "--input",
    "input_path",
    required=True,
    metavar="FILE",
    help="JSON file of cases: one object, or an array of them; JSON Lines if the name ends "
    ".jsonl. '-' reads standard input.",
)
@click.option("--lines", is_flag=True, help="Read JSON Lines whatever the file name (e.g. stdin).")
@click.option(
    "--policy",
    "policy_path",
    metavar="FILE",
    help="JSON object of council policy settings (see carebridge/rules/charging/policy.py); "
    "settings not given take their national defaults.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Worker processes for a batch; 0 chooses (for 2,000 cases or more, one per CPU, up to "
    "8); 1 assesses in this process.",
)
def charge(input_path: str, lines: bool, policy_path: str | None, jobs: int) -> None:
    """Assess the weekly charge for care and support (Care Act 2014 s14 and s17; SI 2014/2672).

    Prints, for each case, {"weekly_charge", "council_pays", "full_cost", "free_reason",
    "assessed_contribution", "steps", ...}, amounts in pounds to the penny and every step with
    its source: one object for one input; a JSON array (or JSON Lines, one per input line) for
    a batch. Pure: does not use the database.
    """
    jsonl = lines or input_path.lower().endswith(".jsonl")
    sys.exit(_charge(input_path, jsonl=jsonl, policy_path=policy_path, jobs=jobs))


# The batch a forked worker reads: (items, JSON Lines?, policy, name of the input). Set before
# the workers are started, so that they inherit it rather than receive it pickled.
_CHARGE_BATCH: tuple = ()
_CHARGE_PARALLEL_FROM = 2000
_CHARGE_MAX_JOBS = 8


def _charge_chunk(bounds: tuple[int, int]) -> tuple[bytes, tuple[int, str] | None]:
    """Assess items ``[lo, hi)`` of the batch: (their JSON, UTF-8, one per line with a comma
    after each but the last unless JSON Lines) or, at the first invalid item, (b"", (its index,
    the message))."""
    import json
    from decimal import Decimal

    from carebridge.rules.charging import InvalidCase, InvalidPolicy, assess, parse

    items, jsonl, policy, name = _CHARGE_BATCH
    loads = json.JSONDecoder(parse_float=Decimal).decode  # amounts exactly, never as floats
    out = []
    lo, hi = bounds
    for index in range(lo, hi):
        try:
            if jsonl:
                number, line = items[index]
                try:
                    item = loads(line)
                except json.JSONDecodeError as e:
                    message = f"line {number}, column {e.colno}: invalid JSON: {e.msg}"
                    return b"", (index, f"{name}, {message}")
                out.append(assess(parse(item), policy).as_json())
            else:
                out.append(assess(parse(items[index]), policy).as_json())
        except (InvalidCase, InvalidPolicy) as e:
            where = f"line {items[index][0]}" if jsonl else f"item {index + 1}"
            return b"", (index, f"{name}, {where}: {e}")
    return ("\n" if jsonl else ",\n").join(out).encode(), None


def _charge_jobs(count: int, jobs: int) -> int:
    """The worker processes to use: ``jobs``, or if 0, for a large batch one per CPU (at most
    8). On a machine already busy, ``--jobs 1`` can be as fast."""
    if not hasattr(os, "fork"):
        return 1
    if jobs == 0:
        if count < _CHARGE_PARALLEL_FROM:
            return 1
        try:
            cpus = len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            cpus = os.cpu_count() or 1
        jobs = min(cpus, _CHARGE_MAX_JOBS)
    return max(1, min(jobs, count))


def _charge_parallel(count: int, jobs: int) -> list[tuple[bytes, tuple[int, str] | None]]:
    """Assess the batch, in order. With more than one job, split it into contiguous chunks:
    forked children assess all but the first, which this process assesses meanwhile; each child
    sends its result back through a pipe and leaves with ``os._exit`` (no interpreter shutdown
    walking the inherited batch). A chunk whose child cannot be started is assessed here."""
    import pickle

    if jobs <= 1 or count == 0:
        return [_charge_chunk((0, count))]
    size = -(-count // jobs)
    bounds = [(lo, min(lo + size, count)) for lo in range(0, count, size)]
    sys.stdout.flush()
    sys.stderr.flush()
    children: dict[int, tuple[int, int]] = {}  # chunk number -> (pid, read end of its pipe)
    for number, chunk in enumerate(bounds[1:], start=1):
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # e.g. a process limit: this process will assess the chunk
            os.close(read_end)
            os.close(write_end)
            continue
        if pid == 0:  # the child
            status = 0
            try:
                os.close(read_end)
                try:
                    result = _charge_chunk(chunk)
                except BaseException as e:  # report, never print from a child
                    result = (b"", (chunk[0], f"internal error in a worker: {e!r}"))
                    status = 1
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            finally:
                os._exit(status)
        os.close(write_end)
        children[number] = (pid, read_end)
    results = []
    for number, chunk in enumerate(bounds):
        if number not in children:
            results.append(_charge_chunk(chunk))
            continue
        pid, read_end = children[number]
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(pid, 0)
        if payload:
            results.append(pickle.loads(payload))  # noqa: S301 - our own child's result
        else:
            results.append((b"", (chunk[0], "internal error: a worker process stopped")))
    return results


def _charge(path: str, jsonl: bool, policy_path: str | None, jobs: int = 1) -> int:
    """Read, check and assess every case, then print them; on any error print only to stderr
    and return 2."""
    import gc
    import json
    from decimal import Decimal
    from pathlib import Path

    from carebridge.rules.charging import (
        DEFAULT_POLICY,
        InvalidCase,
        InvalidPolicy,
        assess,
        parse,
        policy_from_dict,
    )

    global _CHARGE_BATCH
    # As for eligibility: a batch that makes no reference cycles, so the collector only costs.
    gc.disable()

    def fail(message: str) -> int:
        click.echo(f"Error: {message}", err=True)
        return 2

    policy = DEFAULT_POLICY
    if policy_path is not None:
        try:
            policy = policy_from_dict(
                json.loads(Path(policy_path).read_text(encoding="utf-8"), parse_float=Decimal)
            )
        except OSError as e:
            return fail(f"cannot read {policy_path}: {e.strerror or e}")
        except ValueError as e:  # invalid JSON or UTF-8, or an InvalidPolicy
            return fail(f"{policy_path}: {e}")

    name = "standard input" if path == "-" else path
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as e:
        return fail(f"cannot read {name}: {e.strerror or e}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return fail(f"{name} is not UTF-8 text (byte {e.start + 1})")
    del raw
    if jsonl:
        items: list = [
            (number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()
        ]
    else:
        if not text.strip():
            return fail(f"{name} is empty: expected a JSON object or an array of objects")
        try:
            data = json.JSONDecoder(parse_float=Decimal).decode(text)
        except json.JSONDecodeError as e:
            return fail(f"{name}, line {e.lineno}, column {e.colno}: invalid JSON: {e.msg}")
        if isinstance(data, dict):
            try:
                result = assess(parse(data), policy).as_json(pretty=True)
            except (InvalidCase, InvalidPolicy) as e:
                return fail(f"{name}: {e}")
            sys.stdout.write(result + "\n")
            sys.stdout.flush()
            return 0
        if not isinstance(data, list):
            return fail(f"{name}: expected a JSON object or an array of objects")
        items = data
    del text

    # Every case is read, checked and assessed before anything is printed.
    _CHARGE_BATCH = (items, jsonl, policy, name)
    chunks = _charge_parallel(len(items), _charge_jobs(len(items), jobs))
    _CHARGE_BATCH = ()
    for _, error in chunks:
        if error is not None:
            return fail(error[1])
    out = sys.stdout.buffer
    pieces = [chunk for chunk, _ in chunks if chunk]
    if jsonl:
        for chunk in pieces:
            out.write(chunk)
            out.write(b"\n")
    elif not pieces:
        out.write(b"[]\n")
    else:
        out.write(b"[\n")
        for i, chunk in enumerate(pieces):
            if i:
                out.write(b",\n")
            out.write(chunk)
        out.write(b"\n]\n")
    out.flush()
    return 0


@cli.group()
def duties() -> None:
    """Statutory duties: who is due, overdue or met, as of any date (Care Act 2014 and more)."""


@duties.command("report")
@click.option("--as-of", "as_of", required=True, metavar="YYYY-MM-DD", help="The date to judge.")
@click.option(
    "--format", "fmt", default="json", show_default=True, metavar="json|csv", help="Output."
)
@click.option("--duty", "duty_id", metavar="ID", help="One duty (e.g. annual-review).")
@click.option(
    "--user",
    "username",
    metavar="USERNAME",
    help="The worker running the report, for the audit log (needs a compliance role).",
)
def duties_report(as_of: str, fmt: str, duty_id: str | None, username: str | None) -> None:
    """One row per (duty, person) as of a date: state, clock start, due date, date met, who
    held the case then, and why. Audited as an export."""
    _django_setup()
    from carebridge.duties.report import run

    sys.exit(run(as_of, fmt, duty_id, username))


@duties.command("snapshot")
@click.option("--month", metavar="YYYY-MM", help="One month that has ended (e.g. 2026-03).")
@click.option(
    "--months", metavar="N", help="The last N months that have ended (default: the last one)."
)
@click.option(
    "--user",
    "username",
    metavar="USERNAME",
    help="The worker recording the snapshot, for the audit log (needs a compliance role).",
)
def duties_snapshot(month: str | None, months: str | None, username: str | None) -> None:
    """Count every duty's states as of month ends, by organisation, team and worker, for the
    compliance trends. Re-running a month replaces it; each month is audited."""
    _django_setup()
    from carebridge.duties.snapshots import run

    sys.exit(run(month, months, username))


@duties.command("standards")
@click.option(
    "--format", "fmt", default="json", show_default=True, metavar="json|csv", help="Output."
)
def duties_standards(fmt: str) -> None:
    """Each duty's time allowed: its default (with the citation), whether the council may set
    its own standard, the standard in force today and the council's versions."""
    _django_setup()
    from carebridge.duties.standards_cli import run_list

    sys.exit(run_list(fmt))


@duties.command("withdraw-standard")
@click.option(
    "--duty", "duty_id", required=True, metavar="ID", help="e.g. assessment-after-request"
)
@click.option(
    "--from", "from_date", required=True, metavar="YYYY-MM-DD", help="The date it was to start."
)
@click.option("--reason", required=True, metavar="TEXT", help="Why it is withdrawn.")
@click.option(
    "--user",
    "username",
    required=True,
    metavar="USERNAME",
    help="The worker withdrawing it, for the audit log (needs a role that sets local standards).",
)
def duties_withdraw_standard(duty_id: str, from_date: str, reason: str, username: str) -> None:
    """Withdraw a local standard that has not come into force (a mistyped date or time). It
    stays in the history, marked withdrawn; one in force cannot be withdrawn. Audited."""
    _django_setup()
    from carebridge.duties.standards_cli import run_withdraw

    sys.exit(run_withdraw(duty_id, from_date, reason, username))


@duties.command("set-standard")
@click.option(
    "--duty", "duty_id", required=True, metavar="ID", help="e.g. assessment-after-request"
)
@click.option("--from", "from_date", required=True, metavar="YYYY-MM-DD", help="Today or later.")
@click.option("--days", metavar="N", help="Calendar days (0: the same day).")
@click.option(
    "--working-days", "working_days", metavar="N", help="Working days (Mon-Fri, not bank holidays)."
)
@click.option("--months", metavar="N", help="Calendar months.")
@click.option(
    "--note", required=True, metavar="TEXT", help="The council decision it puts into effect."
)
@click.option(
    "--user",
    "username",
    required=True,
    metavar="USERNAME",
    help="The worker setting it, for the audit log (needs a role that sets local standards).",
)
def duties_set_standard(
    duty_id: str,
    from_date: str,
    days: str | None,
    working_days: str | None,
    months: str | None,
    note: str,
    username: str,
) -> None:
    """Set the council's local standard for a duty from a date (a new version: earlier clocks
    keep the standard they started under). Audited."""
    _django_setup()
    from carebridge.duties.standards_cli import run_set

    sys.exit(run_set(duty_id, from_date, days, working_days, months, note, username))


@duties.command("refresh")
def duties_refresh() -> None:
    """Re-evaluate everyone's duty states as of today (run nightly: records change them as
    they are saved, but a record dated in the future only counts from its date)."""
    _django_setup()
    import time

    from carebridge.core import calendar
    from carebridge.duties.services import refresh_all

    started = time.perf_counter()
    changed = calendar.sync()
    if changed:
        click.echo(
            f"Working-day calendar: {changed:,} days brought in line with the bank holidays."
        )
    n = refresh_all()
    click.echo(f"Evaluated {n:,} duty states in {time.perf_counter() - started:.1f} s.")


@cli.group()
def cld() -> None:
    """Client Level Data (CLD Release 2), the quarterly statutory return to NHS England."""


CLD_VALIDATE_EPILOG = """\b
Exit status: 0 when no mandatory rule fails (warnings allowed); 1 when one does (the file must
be corrected before submission); 2 when the file cannot be read as a CLD CSV (missing, not
UTF-8, no CLD header), with a message on stderr and nothing on stdout.
\b
Rows are numbered as in the file (the header is row 1), as a spreadsheet shows them.
"""


@cld.command("validate", epilog=CLD_VALIDATE_EPILOG)
@click.argument("file", metavar="FILE.csv")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="text: the summary, then the findings row by row; json: {summary, findings}; "
    "csv: one line per finding (row, field, value, severity, rule, message).",
)
@click.option(
    "--max-findings",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="text only: list at most N findings (the summary still counts them all).",
)
def cld_validate(file: str, fmt: str, max_findings: int | None) -> None:
    """Check a CLD CSV file against every data-quality rule of the specification: mandatory,
    conditional and not-applicable fields, code lists, NHS numbers, dates, postcodes, costs.

    Reports each problem by row and field in plain words, with a summary. Reads only the file
    ('-' for standard input): does not use the database.
    """
    from carebridge.returns.cld_validate_cli import run

    sys.exit(run(file, fmt, max_findings))


CLD_EXPORT_EPILOG = """\b
Exit status: 0 when the file passes validation; 1 when a mandatory rule fails (the file is
still written; stderr lists each failing row with the person's council ID and page); 2 on bad
input (impossible dates, --from after --to, unknown or unauthorised --user), with a message on
stderr and nothing written.
"""


@cld.command("export", epilog=CLD_EXPORT_EPILOG)
@click.option("--from", "from_date", required=True, metavar="YYYY-MM-DD", help="Period start.")
@click.option("--to", "to_date", required=True, metavar="YYYY-MM-DD", help="Period end.")
@click.option("--out", "out_path", required=True, metavar="FILE.csv", help="The file to write.")
@click.option(
    "--user",
    "username",
    metavar="USERNAME",
    help="The worker running the export, for the audit log (needs a role for statutory returns).",
)
def cld_export(from_date: str, to_date: str, out_path: str, username: str | None) -> None:
    """Write the CLD Release 2 return for a reporting period: one row per request, assessment
    and review completed in it and per service open in it, with the person's details, then
    linking-only rows for carers known by association. Audited as an export, then validated
    (as 'carebridge cld validate'); the summary goes to stderr."""
    _django_setup()
    from carebridge.returns.cld_export_cli import run

    sys.exit(run(from_date, to_date, out_path, username))


CLD_IMPORT_EPILOG = """\b
Exit status: 0 when the file is loaded (or everything in it is already in the record); 1 when
it has problems: each invalid row is listed on stderr by row number, field and message, and
nothing is loaded; 2 on bad input (no such file, not a CLD CSV or not its header, an unknown or
unauthorised --user, no council CASSR code), with a message on stderr and nothing written.
\b
People are matched by LA_Person_Unique_Identifier and events by Event_Reference, so loading the
same file again changes nothing. A changed value is updated on what an earlier import created;
on what was recorded in carebridge it is reported as a problem. Audited as an import.
"""


@cld.command("import", epilog=CLD_IMPORT_EPILOG)
@click.argument("file", metavar="FILE.csv")
@click.option(
    "--user",
    "username",
    metavar="USERNAME",
    help="The worker running the import, for the audit log (needs a role for statutory returns).",
)
@click.option(
    "--dry-run", is_flag=True, help="Check the file against the record and say what a load "
    "would do, writing nothing."
)  # fmt: skip
def cld_import(file: str, username: str | None, dry_run: bool) -> None:
    """Load a CLD Release 2 file (for example from a legacy system) into people and events,
    all or nothing: the file is checked first (as 'carebridge cld validate', plus the council's
    LA_Code and conflicts with the record) and loaded only if nothing fails."""
    _django_setup()
    from carebridge.returns.cld_import_cli import run

    sys.exit(run(file, username, dry_run))


@cli.group()
def returns() -> None:
    """Statutory returns computed from the same events as the CLD return: the SALT-equivalent
    tables and the ASCOF measures for a financial year."""


def _returns_options(command):
    command = click.option(
        "--user",
        "username",
        metavar="USERNAME",
        help="The worker running it, for the audit log (needs a role for statutory returns).",
    )(command)
    command = click.option(
        "--format", "fmt", default="json", show_default=True, metavar="json|csv",
        help="json: every table or measure in full; csv: one line per cell or group.",
    )(command)  # fmt: skip
    return click.option(
        "--year", "year", required=True, metavar="YYYY-YY", help="Financial year, e.g. 2025-26."
    )(command)


RETURNS_EPILOG = """\b
Exit status: 0 with the figures on stdout; 2 on bad input (a malformed year, an unknown or
unauthorised --user), with a message on stderr and nothing on stdout. Audited as an export.
"""


@returns.command("salt", epilog=RETURNS_EPILOG)
@_returns_options
def returns_salt(year: str, fmt: str, username: str | None) -> None:
    """The SALT-equivalent tables (STS001, STS002a, STS002b, LTS001a, LTS001b, LTS001c, LTS003,
    LTS004) for a financial year, by the national transformation method."""
    _django_setup()
    from carebridge.returns.measures_cli import run

    sys.exit(run("salt", year, fmt, username))


@returns.command("ascof", epilog=RETURNS_EPILOG)
@_returns_options
@click.option(
    "--population-18-64", "pop_18_64", metavar="N",
    help="ONS mid-year population aged 18-64, for 2B (else its value is left empty).",
)  # fmt: skip
@click.option(
    "--population-65-plus", "pop_65_plus", metavar="N",
    help="ONS mid-year population aged 65 and over, for 2C (else its value is left empty).",
)  # fmt: skip
def returns_ascof(
    year: str, fmt: str, username: str | None, pop_18_64: str | None, pop_65_plus: str | None
) -> None:
    """The ASCOF measures computable from CLD (2A, 2B, 2C, 2E, 3D) for a financial year, each
    with its numerator, denominator and definition."""
    _django_setup()
    from carebridge.returns.measures_cli import run

    sys.exit(run("ascof", year, fmt, username, pop_18_64, pop_65_plus))


REFRESH_EPILOG = """\b
Exit status: 0 when the figures are stored; 2 on bad input (--years not a whole number from 1
to 10, an unknown or unauthorised --user, no council CASSR code), with a message on stderr and
nothing written. Audited.
"""


@returns.command("refresh", epilog=REFRESH_EPILOG)
@click.option(
    "--years", "years", metavar="N",
    help="The year in progress and the N-1 before it (default 3).",
)  # fmt: skip
@click.option(
    "--user",
    "username",
    metavar="USERNAME",
    help="The worker running it, for the audit log (needs a role for statutory returns).",
)
def returns_refresh(years: str | None, username: str | None) -> None:
    """Compute and store the performance page's figures (run nightly, beside 'carebridge duties
    refresh'): each year's SALT tables and ASCOF measures, for the council, by organisation
    (council-run or NHS trust-hosted teams) and by area (postcode district), and the readiness
    of the CLD return due now (the 12 months to the last quarter end, validated)."""
    _django_setup()
    from carebridge.returns.performance import run

    sys.exit(run(years, username))


@cli.group()
def safeguarding() -> None:
    """Safeguarding adults (Care Act 2014 s42): the Safeguarding Adults Collection figures."""


SAC_EPILOG = """\b
Exit status: 0 with the figures written (JSON on stdout, or with --csv the files' paths); 2 on
bad input (a malformed year, a --csv path that is a file or whose parent does not exist, an
unknown or unauthorised --user), with a message on stderr and nothing written. Audited as an
export.
"""


@safeguarding.command("sac", epilog=SAC_EPILOG)
@click.option(
    "--year", "year", required=True, metavar="YYYY-YY",
    help="Financial year, e.g. 2025-26 (or 2025: the year starting 1 April 2025).",
)  # fmt: skip
@click.option(
    "--csv", "csv_dir", metavar="DIR",
    help="Write one CSV file per table into DIR (made if missing) instead of JSON on stdout.",
)  # fmt: skip
@click.option(
    "--suppress", is_flag=True,
    help="Withhold counts of 1 to 4 as [c], for figures published outside the council.",
)  # fmt: skip
@click.option(
    "--user",
    "username",
    metavar="USERNAME",
    help="The worker running it, for the audit log (statutory returns or safeguarding role).",
)
def safeguarding_sac(year: str, csv_dir: str | None, suppress: bool, username: str | None) -> None:
    """The Safeguarding Adults Collection (SAC) figures for a financial year, from the concern
    and enquiry records: concerns, Section 42 and other enquiries started and concluded, and
    for concluded enquiries the type, location and source of risk, the risk outcome and Making
    Safeguarding Personal (asked; outcomes achieved)."""
    _django_setup()
    from carebridge.safeguarding.sac_cli import run

    sys.exit(run(year, csv_dir, suppress, username))


@cli.group()
def partnerships() -> None:
    """Partnerships (NHS Act 2006 s75): carry out scheduled transfers of teams and workers."""


RUN_DUE_EPILOG = """\b
Exit status: 0 when every due transfer was carried out (or none was due); 1 when any failed
(named on stderr; a failed transfer changes nothing); 2 on bad input (an unknown --user, or
one whose role does not manage partnerships). Audited.
"""


@partnerships.command("run-due", epilog=RUN_DUE_EPILOG)
@click.option(
    "--user",
    "username",
    metavar="USERNAME",
    help="The administrator running it, for the audit log (default: who confirmed each).",
)
def partnerships_run_due(username: str | None) -> None:
    """Carry out the scheduled transfers whose effective date has come (run daily): each in
    one transaction, with its reconciliation report."""
    _django_setup()
    from carebridge.partnerships.cli import run

    sys.exit(run(username))


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in OWN_COMMANDS and not argv[0].startswith("-"):
        _django_setup()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["carebridge", *argv])
        return
    cli.main(args=argv, prog_name="carebridge")


if __name__ == "__main__":
    main()
