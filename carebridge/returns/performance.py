"""Computing and storing the performance page's figures (ADR 0019): each financial year's SALT
tables and ASCOF measures, for the council and by organisation and area, and the readiness of
the CLD return the council is preparing.

The figures are those of ``carebridge returns salt|ascof`` (:mod:`carebridge.returns.measures`):
the same CLD rows (:func:`carebridge.returns.cld_export.rows`, the year and the one before it),
the same cohort. The rows are read once per year; the cohort is built once and split by person
for the breakdowns (:func:`carebridge.rules.returns.breakdown.split`).

Who a person counts under (the organisation breakdown, and the readiness by team): the team
holding their case at the end of the period, as the duties engine attributes cases
(:func:`carebridge.duties.engine.holders`); for someone whose case closed during the period, the
team that held it last in it; nobody: "Not allocated". The organisation is council-run or
hosted by the NHS trust from ``Organisation.kind``. Area is the postcode district (outward code)
of the CLD Postcode field; a blank or malformed postcode is "Unknown".

Readiness: the return due now is the rolling 12 months to the last quarter end before today
(rules.md s2: a rolling 12-month period every quarter), produced and validated as ``carebridge
cld export`` does, with each failing row's person and team kept (council ID, no names).

``carebridge returns refresh`` (:func:`run`) is the nightly job; the demo seed calls
:func:`record_on_seeding`; the page's "Refresh figures" calls :func:`refresh`.
"""

from __future__ import annotations

import datetime as dt
import getpass
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from carebridge.rules import postcode
from carebridge.rules.cld_validation import FAIL, FIELD_NAMES, CLDValidator, Finding
from carebridge.rules.returns import Cohort, Year, ascof_measures, salt_tables
from carebridge.rules.returns.breakdown import split

from . import cld_export, measures
from .models import PerformanceFigures, ReturnReadiness

DEFAULT_YEARS = 3  # the year in progress and the two before it
MAX_YEARS = 10
NOT_ALLOCATED = "none"
UNKNOWN_AREA = "unknown"
ORGANISATION_GROUPS = {
    "council": "Council-run teams",
    "nhs_trust": "Teams hosted by the NHS trust",
    NOT_ALLOCATED: "Not allocated",
}
ORGANISATION_ORDER = list(ORGANISATION_GROUPS)

_PERSON_ID = FIELD_NAMES.index("LA_Person_Unique_Identifier")
_POSTCODE = FIELD_NAMES.index("Postcode")


class RefreshError(ValueError):
    """Input the refresh cannot run with (exit status 2)."""


# --- periods ----------------------------------------------------------------------------------


def financial_year(day: dt.date) -> Year:
    return Year(day.year if day.month >= 4 else day.year - 1)


def recent_years(today: dt.date, count: int = DEFAULT_YEARS) -> list[Year]:
    """The financial year containing ``today`` and the ``count - 1`` before it, oldest first."""
    current = financial_year(today).first
    return [Year(first) for first in range(current - count + 1, current + 1)]


def return_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The CLD return due now: the 12 months to the last quarter end before today (rules.md
    s2: a rolling 12-month period every quarter, the end date the last day of a quarter)."""
    end = dt.date(today.year, ((today.month - 1) // 3) * 3 + 1, 1) - dt.timedelta(days=1)
    return end.replace(year=end.year - 1) + dt.timedelta(days=1), end


# --- who holds each person's case -------------------------------------------------------------


def holding_teams(start: dt.date, end: dt.date) -> dict[int, int]:
    """person pk -> the team holding their case at the end of ``end``, or for a case closed
    during [start, end], the team that held it last in it (two queries)."""
    from carebridge.casework.models import Allocation
    from carebridge.duties import engine

    teams = {person: team for person, (_worker, team) in engine.holders(end).items()}
    ended = (
        Allocation.objects.filter(
            ended_at__isnull=False,
            ended_at__gte=_start_of(start),
            started_at__lt=_start_of(end + dt.timedelta(days=1)),
        )
        .order_by("person_id", "ended_at", "pk")
        .values_list("person_id", "team_id")
    )
    last: dict[int, int] = {}
    for person, team in ended.iterator(chunk_size=5000):
        last[person] = team  # the last one read ended latest
    for person, team in last.items():
        teams.setdefault(person, team)
    return teams


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


@dataclass(frozen=True)
class TeamInfo:
    name: str
    organisation: str
    kind: str  # Organisation.kind: council or nhs_trust


def team_info() -> dict[int, TeamInfo]:
    from carebridge.organisations.models import Team

    return {
        pk: TeamInfo(name, org, kind)
        for pk, name, org, kind in Team.objects.values_list(
            "pk", "name", "organisation__name", "organisation__kind"
        )
    }


# --- a year's figures -------------------------------------------------------------------------


@dataclass
class _Read:
    """What one read of a year's CLD rows gives: the cohort and, by person, how many rows and
    their postcode (person details are as at the period end, the same on each row)."""

    cohort: Cohort
    rows: int = 0
    pk_of: dict[str, int] = field(default_factory=dict)  # LA person ID -> person pk
    rows_of: Counter = field(default_factory=Counter)  # person pk -> rows
    postcode_of: dict[int, str] = field(default_factory=dict)


def _read(year: Year, la_code: str) -> _Read:
    start = dt.date(year.start.year - measures.LOOK_BACK_YEARS, year.start.month, year.start.day)
    pk_of: dict[str, int] = {}
    rows_of: Counter = Counter()
    postcode_of: dict[int, str] = {}

    def rows() -> Iterator[dict]:
        for pk, row in cld_export.rows(start, year.end, la_code):
            pk_of[row[_PERSON_ID]] = pk
            rows_of[pk] += 1
            postcode_of[pk] = row[_POSTCODE]
            yield row

    cohort = Cohort.build(rows(), year, columns=FIELD_NAMES)
    return _Read(cohort, sum(rows_of.values()), pk_of, rows_of, postcode_of)


def organisation_groups(teams: dict[int, int], info: dict[int, TeamInfo]) -> dict[int, str]:
    """person pk -> "council", "nhs_trust" (the holding team's organisation kind)."""
    return {person: info[team].kind for person, team in teams.items() if team in info}


def area_of(text: str) -> str:
    return postcode.district(text) or UNKNOWN_AREA


def compute_year(
    year: Year, today: dt.date, la_code: str, now: dt.datetime | None = None
) -> list[PerformanceFigures]:
    """The year's figures (unsaved): the council's (SALT and ASCOF), then ASCOF by
    organisation and by area."""
    now = now or timezone.now()
    as_of = min(year.end, today)
    read = _read(year, la_code)
    cohort = read.cohort

    def figures(breakdown: str, group: str, label: str, part: Cohort, rows: int, salt=False):
        return PerformanceFigures(
            year=str(year),
            breakdown=breakdown,
            group=group,
            label=label,
            as_of=as_of,
            people=len(part.by_person),
            rows=rows,
            salt={c: t.as_dict() for c, t in salt_tables(part, year).items()} if salt else {},
            # jsonb keeps no key order: each measure's groups in the rules' order, kept as a list.
            ascof={
                c: {**m.as_dict(), "groups": list(m.figures)}
                for c, m in ascof_measures(part, year).items()
            },
            computed_at=now,
        )

    out = [figures(PerformanceFigures.OVERALL, "", "Council", cohort, read.rows, salt=True)]
    kinds = organisation_groups(holding_teams(year.start, as_of), team_info())
    by_org = {pk: kinds.get(pk, NOT_ALLOCATED) for pk in read.rows_of}
    by_area = {pk: area_of(read.postcode_of.get(pk, "")) for pk in read.rows_of}
    for breakdown, group_of_pk, label_of in (
        (PerformanceFigures.ORGANISATION, by_org, lambda g: ORGANISATION_GROUPS.get(g, g)),
        (PerformanceFigures.AREA, by_area, lambda g: "Unknown" if g == UNKNOWN_AREA else g),
    ):
        rows_in: Counter = Counter()
        for pk, n in read.rows_of.items():
            rows_in[group_of_pk[pk]] += n

        def group_of(la_id: str, g=group_of_pk, default=breakdown) -> str:
            pk = read.pk_of.get(la_id)
            if pk is None:
                return NOT_ALLOCATED if default == PerformanceFigures.ORGANISATION else UNKNOWN_AREA
            return g[pk]

        for group, part in sorted(split(cohort, group_of).items()):
            out.append(figures(breakdown, group, label_of(group), part, rows_in[group]))
    return out


# --- the readiness of the return --------------------------------------------------------------


def readiness(
    start: dt.date, end: dt.date, la_code: str, now: dt.datetime | None = None
) -> ReturnReadiness:
    """The return for [start, end] as the record would produce it, validated (unsaved)."""
    teams = holding_teams(start, end)
    info = team_info()
    validator = CLDValidator(FIELD_NAMES)
    by_row: dict[int, list[Finding]] = defaultdict(list)
    person_of_row: list[int] = []
    person_ids: dict[int, str] = {}
    rows_in_team: Counter = Counter()
    number = 1  # the header is row 1
    for pk, values in cld_export.rows(start, end, la_code):
        number += 1
        person_of_row.append(pk)
        person_ids[pk] = values[_PERSON_ID]
        rows_in_team[teams.get(pk)] += 1
        for finding in validator.check_row(number, values):
            by_row[finding.row].append(finding)
    for finding in validator.finish():
        by_row[finding.row].append(finding)

    counts: dict[int | None, Counter] = defaultdict(Counter)
    people_failing: dict[int | None, set[int]] = defaultdict(set)
    failing = []
    for row, findings in sorted(by_row.items()):
        if not 2 <= row <= len(person_of_row) + 1:
            continue  # about the file as a whole
        pk = person_of_row[row - 2]
        team = teams.get(pk)
        fails = [f for f in findings if f.severity == FAIL]
        counts[team]["failures"] += len(fails)
        counts[team]["warnings"] += len(findings) - len(fails)
        if fails:
            counts[team]["rows_failing"] += 1
            people_failing[team].add(pk)
            failing.append(
                {
                    "row": row,
                    "person": pk,
                    "person_id": person_ids[pk],
                    "team": team,
                    "fields": list(dict.fromkeys(f.field or f.rule for f in fails)),
                    "rules": list(dict.fromkeys(f.rule for f in fails)),
                }
            )
    by_team = []
    for team in set(rows_in_team) | set(counts):
        t = info.get(team) if team is not None else None
        by_team.append(
            {
                "team": team,
                "label": t.name if t else "Not allocated",
                "organisation": t.organisation if t else "",
                "kind": t.kind if t else NOT_ALLOCATED,
                "rows": rows_in_team[team],
                "failures": counts[team]["failures"],
                "warnings": counts[team]["warnings"],
                "rows_failing": counts[team]["rows_failing"],
                "people_failing": len(people_failing[team]),
            }
        )
    by_team.sort(key=lambda t: (t["team"] is None, t["organisation"], t["label"].lower()))
    return ReturnReadiness(
        period_start=start,
        period_end=end,
        rows=len(person_of_row),
        summary=validator.summary.as_dict(),
        by_team=by_team,
        failing=failing,
        computed_at=now or timezone.now(),
    )


# --- refreshing -------------------------------------------------------------------------------


@dataclass
class Refreshed:
    years: dict[str, int] = field(default_factory=dict)  # year -> CLD rows read
    seconds: dict[str, float] = field(default_factory=dict)
    readiness: ReturnReadiness | None = None


def refresh(
    years: list[Year],
    worker=None,
    *,
    today: dt.date | None = None,
    with_readiness: bool = True,
    run_by: str = "",
    audited: bool = True,
) -> Refreshed:
    """Compute the years' figures (and the readiness of the return due now), then replace the
    stored ones in one transaction with the audit event (none when ``audited`` is false: the
    demo seed's own event covers what it writes). Raises ``cld_export.ExportError``
    when the council has no CASSR code (nothing is written)."""
    from carebridge.core import audit

    today = today or timezone.localdate()
    la_code = cld_export.council_code()
    now = timezone.now()
    done = Refreshed()
    rows: list[PerformanceFigures] = []
    for year in years:
        started = time.perf_counter()
        computed = compute_year(year, today, la_code, now)
        rows += computed
        done.years[str(year)] = computed[0].rows
        done.seconds[str(year)] = round(time.perf_counter() - started, 1)
    if with_readiness:
        started = time.perf_counter()
        done.readiness = readiness(*return_period(today), la_code, now)
        done.seconds["readiness"] = round(time.perf_counter() - started, 1)
    with transaction.atomic():
        PerformanceFigures.objects.filter(year__in=[str(y) for y in years]).delete()
        PerformanceFigures.objects.bulk_create(rows, batch_size=500)
        if done.readiness is not None:
            ReturnReadiness.objects.all().delete()
            done.readiness.save()
        changes: dict = {"years": done.years, "seconds": done.seconds}
        if done.readiness is not None:
            r = done.readiness
            changes["readiness"] = {
                "period_start": r.period_start.isoformat(),
                "period_end": r.period_end.isoformat(),
                "rows": r.rows,
                "failures": r.summary.get("failures", 0),
                "warnings": r.summary.get("warnings", 0),
            }
        if run_by:
            changes["run_by"] = run_by
        if not audited:
            return done
        audit.record(
            worker,
            audit.Action.CREATE,
            object_type="returns.performance",
            summary=(
                "Performance figures computed for "
                + ", ".join(str(y) for y in years)
                + (" and the CLD return's readiness" if with_readiness else "")
            ),
            changes=changes,
        )
    return done


def record_on_seeding(until: dt.date) -> int:
    """The demo seed's call: the figures of the recent years and the readiness as of its last
    day of history. Returns how many figure rows were stored."""
    refresh(recent_years(until), today=until, audited=False)
    return PerformanceFigures.objects.count()


# --- the command line -------------------------------------------------------------------------


def parse_years(text: str | None) -> int:
    if text is None:
        return DEFAULT_YEARS
    if not re.fullmatch(r"\d{1,3}", text.strip()) or not 1 <= int(text) <= MAX_YEARS:
        raise RefreshError(f"--years must be a whole number from 1 to {MAX_YEARS}, not {text!r}")
    return int(text)


def run(years_text: str | None, username: str | None) -> int:
    """``carebridge returns refresh``: 0 when stored; 2 on bad input (a message on stderr,
    nothing written)."""
    from carebridge.core import context

    from .cld_export_cli import BadInput, returns_worker

    prog = "carebridge returns refresh"
    today = timezone.localdate()
    try:
        count = parse_years(years_text)
        worker = returns_worker(username)
        cld_export.council_code()
    except (RefreshError, BadInput, cld_export.ExportError) as e:
        print(f"{prog}: {e}", file=sys.stderr)
        return 2
    os_user = getpass.getuser()
    with context.acting(context.ActionContext(source="cli", user_agent=f"cli:{os_user}")):
        done = refresh(
            recent_years(today, count),
            worker,
            today=today,
            run_by=username or f"operating-system user {os_user}",
        )
    for year, rows in done.years.items():
        print(f"{year}: {rows:,} CLD rows read in {done.seconds[year]:.1f} s", flush=True)
    if done.readiness is not None:
        r = done.readiness
        print(
            f"CLD return {r.period_start} to {r.period_end}: {r.rows:,} rows, "
            f"{r.summary.get('failures', 0):,} failures, {r.summary.get('warnings', 0):,} "
            f"warnings ({done.seconds['readiness']:.1f} s)",
            flush=True,
        )
    return 0
