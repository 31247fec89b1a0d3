"""``carebridge duties standards`` and ``carebridge duties set-standard``.

The contract (extend, never change):

* ``standards [--format json|csv]`` lists every duty with its default time allowed, the time in
  force today, whether the council may set it, and the council's versions. JSON: one object a
  duty, with ``versions`` (oldest first). CSV: one row for each duty's default
  (``source=default``) and one for each council version (``source=council``). Dates are ISO;
  empty values are empty strings in CSV and null in JSON. Council settings, not personal data:
  not audited.
* ``set-standard --duty ID --from YYYY-MM-DD (--days N | --working-days N | --months N)
  --note TEXT --user USERNAME`` adds a version through the same service as the page, audited
  as the worker, whose role must allow setting standards. Prints what was saved; on bad input
  exits with status 2, a message on stderr, nothing on stdout and nothing written.
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import json
import re
import sys
from typing import IO

from .standards import DutyStandards

FORMATS = ("json", "csv")
CSV_FIELDS = (
    "duty",
    "title",
    "basis",
    "citation",
    "council_may_set",
    "source",
    "effective_from",
    "time_allowed",
    "days",
    "working_days",
    "months",
    "in_force_today",
    "note",
    "set_by",
    "set_at",
    # Added with withdrawal (extends the contract: earlier columns unchanged).
    "withdrawn_at",
    "withdrawn_by",
    "withdrawal_reason",
)

# The service's field -> the option that gave it (for messages).
_OPTIONS = {
    "duty": "--duty",
    "effective_from": "--from",
    "note": "--note",
    "unit": "--days, --working-days or --months",
}


class StandardsError(ValueError):
    """Input the command cannot run with (exit status 2)."""


def _period_fields(period) -> dict:
    return {"days": period.days, "working_days": period.working_days, "months": period.months}


def _version(s: DutyStandards, v) -> dict:
    return {
        "effective_from": v.effective_from.isoformat(),
        "time_allowed": s.time_allowed(v),
        **_period_fields(v.period),
        "in_force_today": s.current is not None and v.pk == s.current.pk,
        "note": v.note,
        "set_by": v.set_by.username if v.set_by else None,
        "set_at": v.set_at.isoformat(),
        "withdrawn_at": v.withdrawn_at.isoformat() if v.withdrawn_at else None,
        "withdrawn_by": v.withdrawn_by.username if v.withdrawn_by else None,
        "withdrawal_reason": v.withdrawal_reason or None,
    }


def as_json(overview: dict[str, DutyStandards]) -> list[dict]:
    return [
        {
            "duty": duty_id,
            "title": s.duty.title,
            "basis": s.duty.basis.value,
            "citation": s.duty.citation,
            "council_may_set": s.settable,
            "default": {"time_allowed": s.default, **_period_fields(s.duty.period)},
            "in_force_today": {
                "time_allowed": s.allowed,
                "source": "council" if s.current else "default",
                "effective_from": s.current.effective_from.isoformat() if s.current else None,
            },
            "versions": [_version(s, v) for v in s.versions],
        }
        for duty_id, s in overview.items()
    ]


def as_rows(overview: dict[str, DutyStandards]) -> list[dict]:
    rows = []
    for duty_id, s in overview.items():
        common = {
            "duty": duty_id,
            "title": s.duty.title,
            "basis": s.duty.basis.value,
            "citation": s.duty.citation,
            "council_may_set": "yes" if s.settable else "no",
        }
        rows.append(
            {
                **common,
                "source": "default",
                "effective_from": None,
                "time_allowed": s.default,
                **_period_fields(s.duty.period),
                "in_force_today": "yes" if s.current is None else "no",
                "note": None,
                "set_by": None,
                "set_at": None,
                "withdrawn_at": None,
                "withdrawn_by": None,
                "withdrawal_reason": None,
            }
        )
        for v in s.versions:
            row = _version(s, v)
            row["in_force_today"] = "yes" if row["in_force_today"] else "no"
            rows.append({**common, "source": "council", **row})
    return rows


def write(out: IO[str], fmt: str, overview: dict[str, DutyStandards]) -> None:
    if fmt == "csv":
        w = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
        w.writeheader()
        for row in as_rows(overview):
            w.writerow({k: "" if v is None else v for k, v in row.items()})
        return
    json.dump(as_json(overview), out, ensure_ascii=False, indent=2)
    out.write("\n")


def run_list(fmt: str) -> int:
    from django.utils import timezone

    from .standards import overview

    if fmt not in FORMATS:
        print(
            f"carebridge duties standards: --format must be json or csv, not {fmt!r}",
            file=sys.stderr,
        )
        return 2
    write(sys.stdout, fmt, overview(timezone.localdate()))
    sys.stdout.flush()
    return 0


def _date(text: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text or ""):
        raise StandardsError(f"--from must be a date like 2027-04-01, not {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise StandardsError(f"--from {text} is not a real date") from None


def _period(days: str | None, working_days: str | None, months: str | None) -> tuple[str, int]:
    given = [
        (unit, option, value)
        for unit, option, value in (
            ("days", "--days", days),
            ("working_days", "--working-days", working_days),
            ("months", "--months", months),
        )
        if value is not None
    ]
    if len(given) != 1:
        raise StandardsError("give the time allowed as one of --days, --working-days or --months")
    unit, option, value = given[0]
    if not re.fullmatch(r"-?\d+", value.strip()):
        raise StandardsError(f"{option} must be a whole number, not {value!r}")
    return unit, int(value)


def _administrator(username: str, duty_id: str):
    """The worker named by --user, if active and allowed to set standards, for a known duty;
    otherwise StandardsError."""
    from carebridge.core.access import Capability, can
    from carebridge.organisations.models import Worker

    from .definitions import DUTIES

    worker = Worker.objects.filter(username=username, is_active=True).first()
    if worker is None:
        raise StandardsError(f"No active worker {username!r}")
    if not can(worker, Capability.SET_LOCAL_STANDARDS):
        raise StandardsError(f"{username}'s role does not include setting local standards")
    if duty_id not in DUTIES:
        raise StandardsError(f"No duty {duty_id!r}. Duties: {', '.join(DUTIES)}")
    return worker


def run_set(
    duty_id: str,
    from_text: str,
    days: str | None,
    working_days: str | None,
    months: str | None,
    note: str,
    username: str,
) -> int:
    """Check everything, then save through the service (audited); 2 on bad input."""
    from django.core.exceptions import ValidationError

    from carebridge.core import context

    from . import standards_service
    from .definitions import DUTIES
    from .standards import time_allowed

    def fail(message: str) -> int:
        print(f"carebridge duties set-standard: {message}", file=sys.stderr)
        return 2

    try:
        worker = _administrator(username, duty_id)
        effective_from = _date(from_text)
        unit, amount = _period(days, working_days, months)
    except StandardsError as e:
        return fail(str(e))
    os_user = getpass.getuser()
    with context.acting(context.ActionContext(source="cli", user_agent=f"cli:{os_user}")):
        try:
            row = standards_service.set_standard(
                worker,
                duty_id=duty_id,
                effective_from=effective_from,
                unit=unit,
                amount=amount,
                note=note,
            )
        except ValidationError as e:
            option = {**_OPTIONS, "amount": f"--{unit.replace('_', '-')}"}
            return fail("; ".join(f"{option.get(k, k)}: {m[0]}" for k, m in e.message_dict.items()))
    duty = DUTIES[duty_id]
    print(
        f"{duty_id}: {time_allowed(duty, row.period)} for clocks "
        f"starting from {row.effective_from.isoformat()} (set by {username})"
    )
    return 0


def run_withdraw(duty_id: str, from_text: str, reason: str, username: str) -> int:
    """Withdraw a standard that has not come into force, through the service (audited); 2 on
    bad input, with nothing changed."""
    from django.core.exceptions import ValidationError

    from carebridge.core import context

    from . import standards_service

    def fail(message: str) -> int:
        print(f"carebridge duties withdraw-standard: {message}", file=sys.stderr)
        return 2

    try:
        worker = _administrator(username, duty_id)
        effective_from = _date(from_text)
    except StandardsError as e:
        return fail(str(e))
    os_user = getpass.getuser()
    with context.acting(context.ActionContext(source="cli", user_agent=f"cli:{os_user}")):
        try:
            row = standards_service.withdraw_standard(
                worker, duty_id=duty_id, effective_from=effective_from, reason=reason
            )
        except ValidationError as e:
            option = {**_OPTIONS, "reason": "--reason"}
            return fail("; ".join(f"{option.get(k, k)}: {m[0]}" for k, m in e.message_dict.items()))
    print(
        f"{duty_id}: the standard from {row.effective_from.isoformat()} is withdrawn "
        f"(by {username}); it will not come into force"
    )
    return 0
