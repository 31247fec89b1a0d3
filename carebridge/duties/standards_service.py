"""Setting a local standard: the one way ``LocalStandard`` rows are written (the standards
page and ``carebridge duties set-standard``).

A standard is a council decision, applied from a date: a new version is added, never an old one
changed, so every past date is still judged by the standard then in force (ADR 0015). It may
start today or later, not earlier: a standard dated in the past would change judgements already
made and reported (the dashboard, monthly snapshots, CLD-based returns) for clocks that started
before the council decided. Who may set one: roles with ``SET_LOCAL_STANDARDS``
(:mod:`carebridge.core.access`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from carebridge.core import audit
from carebridge.core.access import Capability, can

from . import services, standards
from .definitions import DUTIES
from .models import DutyState, LocalStandard

MAX_NOTE = 1000


def _d(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def check(
    duty_id: str,
    effective_from: dt.date | None,
    unit: str,
    amount: int | None,
    note: str,
    *,
    today: dt.date,
) -> dict[str, str]:
    """What is wrong with a new standard, field -> message (empty when it can be saved).
    The fields are the page's: ``duty``, ``effective_from``, ``unit``, ``amount``, ``note``."""
    errors: dict[str, str] = {}
    duty = DUTIES.get(duty_id)
    if duty is None:
        errors["duty"] = "Select a duty from the list"
    elif not standards.settable(duty):
        errors["duty"] = (
            f"The council cannot set its own standard for “{duty.title}”. "
            f"{standards.why_not_settable(duty)}"
        )
    if effective_from is None:
        errors["effective_from"] = "Enter the date the standard comes into force"
    elif effective_from < today:
        errors["effective_from"] = (
            f"The date the standard comes into force must be today ({_d(today)}) or later: "
            "a standard cannot change how past dates were judged"
        )
    elif (effective_from - today).days > standards.MOST_DAYS_AHEAD:
        errors["effective_from"] = (
            "The date the standard comes into force must be within a year from today"
        )
    elif duty is not None and _taken(duty_id, effective_from):
        errors["effective_from"] = _already(effective_from)
    u = standards.UNITS.get(unit)
    if u is None:
        errors["unit"] = "Select calendar days, working days or months"
    elif amount is None:
        errors["amount"] = "Enter the time allowed, as a whole number"
    elif not u.least <= amount <= u.most:
        least = "0 (the same day)" if u.least == 0 else str(u.least)
        errors["amount"] = f"The time allowed must be between {least} and {u.most} {u.label}"
    if not note.strip():
        errors["note"] = "Enter the council decision this standard puts into effect"
    elif len(note.strip()) > MAX_NOTE:
        errors["note"] = f"The note must be {MAX_NOTE} characters or fewer"
    return errors


def _already(effective_from: dt.date) -> str:
    return (
        f"There is already a standard for this duty from {_d(effective_from)}. Standards are "
        "never changed: choose another date"
    )


def _taken(duty_id: str, effective_from: dt.date) -> bool:
    return LocalStandard.objects.filter(
        duty_id=duty_id, effective_from=effective_from, withdrawn_at__isnull=True
    ).exists()


@transaction.atomic
def set_standard(
    actor,
    *,
    duty_id: str,
    effective_from: dt.date | None,
    unit: str,
    amount: int | None,
    note: str,
    today: dt.date | None = None,
) -> LocalStandard:
    """Add a version of a duty's local standard, audited; raise ValidationError (field ->
    message, as :func:`check`) and write nothing on bad input."""
    if not can(actor, Capability.SET_LOCAL_STANDARDS):
        raise PermissionDenied("Your role does not allow setting the council's local standards.")
    today = today or timezone.localdate()
    errors = check(duty_id, effective_from, unit, amount, note, today=today)
    if errors:
        raise ValidationError(errors)
    period = standards.UNITS[unit].period(amount)
    before = standards.overview(today)[duty_id]
    try:
        with transaction.atomic():  # another worker saved the same date a moment ago
            row = LocalStandard.objects.create(
                duty_id=duty_id,
                effective_from=effective_from,
                days=period.days,
                months=period.months,
                working_days=period.working_days,
                note=note.strip(),
                set_by=actor,
            )
    except IntegrityError:  # the unique (duty, date) constraint
        raise ValidationError({"effective_from": _already(effective_from)}) from None
    duty = DUTIES[duty_id]
    audit.record(
        actor,
        audit.Action.CREATE,
        obj=row,
        object_type="duties.standard",
        summary=(
            f"Set the local standard for {duty.title}: {standards.time_allowed(duty, period)} "
            f"from {_d(effective_from)}"
        ),
        changes={
            "after": audit.snapshot(
                row, ["duty_id", "effective_from", "days", "working_days", "months", "note"]
            ),
            "in_force_before": {
                "time_allowed": before.allowed,
                "from": before.current.effective_from.isoformat() if before.current else None,
            },
        },
    )
    _refresh_clocks_from(duty_id, effective_from, today)
    return row


def _refresh_clocks_from(duty_id: str, effective_from: dt.date, today: dt.date) -> int:
    """Re-evaluate the stored states the new standard changes, in the same transaction.

    A standard judges the clocks that start on or after its date. It starts today at the
    earliest, and a stored state describes a clock started by today, so only clocks that
    started today (a request recorded this morning, when the standard starts today) change
    now; a standard from a later date changes nothing today. Each later clock is judged by it
    when it starts: recording the record that starts it refreshes the person, and the nightly
    ``carebridge duties refresh`` covers records dated ahead. Monthly snapshots are of months
    that have ended, before the standard's date, so none changes."""
    if effective_from > today:
        return 0
    people = DutyState.objects.filter(duty_id=duty_id, clock_start__gte=effective_from)
    return services.refresh_people(people.values_list("person_id", flat=True), today=today)


REASON_REQUIRED = "Enter why the standard is withdrawn"


@transaction.atomic
def withdraw_standard(
    actor,
    *,
    duty_id: str,
    effective_from: dt.date | None,
    reason: str,
    today: dt.date | None = None,
) -> LocalStandard:
    """Withdraw a version of a duty's local standard that has not come into force (a mistyped
    date or time), audited; raise ValidationError (field -> message) and change nothing on
    bad input. The version stays in the history, marked withdrawn. One that has come into
    force cannot be withdrawn: clocks have been judged by it (set a new version instead)."""
    if not can(actor, Capability.SET_LOCAL_STANDARDS):
        raise PermissionDenied("Your role does not allow changing the council's local standards.")
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if duty_id not in DUTIES:
        errors["duty"] = "Choose a duty"
    if effective_from is None:
        errors["effective_from"] = "Enter the date the standard was to start"
    if not (reason or "").strip():
        errors["reason"] = REASON_REQUIRED
    if errors:
        raise ValidationError(errors)
    row = (
        LocalStandard.objects.select_for_update()
        .filter(duty_id=duty_id, effective_from=effective_from, withdrawn_at__isnull=True)
        .first()
    )
    if row is None:
        withdrawn = LocalStandard.objects.filter(
            duty_id=duty_id, effective_from=effective_from, withdrawn_at__isnull=False
        ).exists()
        raise ValidationError(
            {
                "effective_from": (
                    f"The standard from {_d(effective_from)} has already been withdrawn"
                    if withdrawn
                    else f"There is no standard for this duty from {_d(effective_from)}"
                )
            }
        )
    if row.effective_from <= today:
        raise ValidationError(
            {
                "effective_from": (
                    f"The standard from {_d(row.effective_from)} is in force: cases have been "
                    "judged by it, so it cannot be withdrawn. Set a new standard from today "
                    "or later instead"
                )
            }
        )
    before = audit.snapshot(row, ["withdrawn_at", "withdrawal_reason"])
    row.withdrawn_at = timezone.now()
    row.withdrawn_by = actor
    row.withdrawal_reason = reason.strip()
    row.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    duty = DUTIES[duty_id]
    audit.record(
        actor,
        audit.Action.UPDATE,
        obj=row,
        object_type="duties.standard",
        summary=(
            f"Withdrew the local standard for {duty.title} from {_d(row.effective_from)} "
            f"({standards.time_allowed(duty, row.period)}) before it came into force"
        ),
        changes={
            "before": before,
            "after": audit.snapshot(row, ["withdrawn_at", "withdrawal_reason"]),
        },
    )
    return row
