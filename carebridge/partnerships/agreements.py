"""Changes to s75 partnership agreements (National Health Service Act 2006 s75; SI 2000/617).

Every write goes through here: the acting worker's role is checked (MANAGE_PARTNERSHIPS), the
input against :mod:`carebridge.rules.partnerships`, the change is made in one transaction and
audited on the agreement. Nothing is half-written: a refusal raises ``ValidationError`` (field ->
message) before anything is saved. Agreements are optimistically locked (``version``): saving
over a change the worker has not seen raises :class:`Conflict` and saves nothing.

Linking a team to an agreement never rewrites a closed :class:`TeamHosting` row: the open row
is given the agreement (written first, since always, when the team has no history), or, when
the team was under another agreement, closed yesterday and a new row opened today.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carebridge.core import audit
from carebridge.core.access import Capability, can
from carebridge.duties.definitions import DUTIES
from carebridge.organisations.models import Organisation, Team
from carebridge.rules import partnerships as rules

from . import selectors
from .models import Agreement, AgreementExtension, PerformanceCondition, TeamHosting

MAX_TEXT = 5000

# Measures a performance condition can name besides a statutory duty's compliance rate (the
# comparison page's measures). Each: (code, label, "at least" or "at most" reads better).
OTHER_MEASURES: tuple[tuple[str, str], ...] = (
    ("days_request_to_assessment", "Days from a request for support to the assessment"),
    ("days_request_to_plan", "Days from a request for support to the care and support plan"),
    ("handoffs_per_person", "Hand-offs between workers per person"),
    ("caseload_per_worker", "Open cases per practitioner"),
)


def measure_choices() -> list[tuple[str, str]]:
    """Every measure a condition may name: duties' compliance rates, then the other measures."""
    duties = [(pk, f"Compliance: {d.title}") for pk, d in DUTIES.items()]
    return duties + list(OTHER_MEASURES)


def measure_label(code: str) -> str:
    return dict(measure_choices()).get(code, code)


AGREEMENT_FIELDS = (
    "reference",
    "title",
    "council",
    "partner",
    "functions",
    "starts_on",
    "ends_on",
    "management_fee",
    "pooled_budget",
    "council_contribution",
    "partner_contribution",
    "notes",
)
_MONEY = ("management_fee", "pooled_budget", "council_contribution", "partner_contribution")
_MONEY_LABELS = {
    "management_fee": "management fee",
    "pooled_budget": "pooled budget",
    "council_contribution": "council's contribution",
    "partner_contribution": "partner's contribution",
}


class Conflict(Exception):
    """Someone else changed the agreement after this worker opened it: nothing was saved."""

    def __init__(self, current: Agreement):
        self.current = current
        super().__init__(
            "Someone else changed this agreement after you opened it. Your changes have not "
            "been saved over theirs: check the agreement below and make your changes again."
        )


def _require(actor) -> None:
    if not can(actor, Capability.MANAGE_PARTNERSHIPS):
        raise PermissionDenied("Your role does not allow you to manage partnership agreements.")


def _d(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _text(errors: dict, name: str, value, label: str, *, required: bool, limit: int) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        errors[name] = f"Enter the {label}"
    elif len(text) > limit:
        errors[name] = f"The {label} must be {limit:,} characters or fewer"
    return text


def _clean_agreement(values: dict, *, exclude_pk: int | None = None) -> dict:
    """Check an agreement's fields; return them cleaned or raise ValidationError."""
    errors: dict[str, str] = {}
    out: dict = {}
    out["reference"] = _text(
        errors, "reference", values.get("reference"), "reference", required=True, limit=40
    )
    if out["reference"] and "reference" not in errors:
        clash = Agreement.objects.filter(reference__iexact=out["reference"])
        if exclude_pk is not None:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            errors["reference"] = f"Another agreement already has the reference {out['reference']}"
    out["title"] = _text(errors, "title", values.get("title"), "title", required=True, limit=200)
    council = values.get("council")
    if council is None:
        errors["council"] = "Select the council"
    elif not isinstance(council, Organisation) or council.kind != Organisation.COUNCIL:
        errors["council"] = "Select a council: the council delegates its functions"
    out["council"] = council
    partner = values.get("partner")
    if partner is None:
        errors["partner"] = "Select the NHS partner"
    elif not isinstance(partner, Organisation) or partner.kind not in rules.NHS_PARTNER_KINDS:
        errors["partner"] = "Select an NHS trust or an integrated care board as the partner"
    out["partner"] = partner
    functions = list(values.get("functions") or [])
    unknown = [f for f in functions if f not in rules.FUNCTION_LABELS]
    if not functions:
        errors["functions"] = "Select the functions the council delegates"
    elif unknown:
        errors["functions"] = f"Not a function that can be delegated: {', '.join(unknown)}"
    # In the code list's order, each once.
    out["functions"] = [code for code, _ in rules.DELEGABLE_FUNCTIONS if code in functions]
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on is None:
        errors["starts_on"] = "Enter the date the agreement starts"
    elif ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = (
            f"The end date must be the same as or after the start date ({_d(starts_on)})"
        )
    out["starts_on"], out["ends_on"] = starts_on, ends_on
    for name in _MONEY:
        amount = values.get(name)
        if amount is not None:
            amount = Decimal(amount).quantize(Decimal("0.01"))
            if amount < 0:
                errors[name] = f"The {_MONEY_LABELS[name]} must be £0 or more"
        out[name] = amount
    pooled = out["pooled_budget"]
    shares = [out[n] for n in ("council_contribution", "partner_contribution")]
    if "pooled_budget" not in errors and any(s is not None for s in shares):
        if pooled is None:
            errors["pooled_budget"] = "Enter the pooled budget the contributions are paid into"
        elif not any(n in errors for n in ("council_contribution", "partner_contribution")):
            total = sum((s for s in shares if s is not None), Decimal(0))
            if total > pooled:
                errors["council_contribution"] = (
                    f"The contributions (£{total:,.2f}) must not be more than the pooled "
                    f"budget (£{pooled:,.2f})"
                )
    out["notes"] = _text(errors, "notes", values.get("notes"), "notes", required=False,
                         limit=MAX_TEXT)  # fmt: skip
    _raise(errors)
    return out


def _locked(agreement: Agreement, version: int | None) -> Agreement:
    current = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if version is not None and current.version != version:
        raise Conflict(current)
    return current


def _snapshot(agreement: Agreement) -> dict:
    return audit.snapshot(agreement, [f"{n}_id" if n in ("council", "partner") else n
                                      for n in (*AGREEMENT_FIELDS, "terminated_on",
                                                "termination_reason")])  # fmt: skip


# --- agreements ---------------------------------------------------------------------------------


@transaction.atomic
def record_agreement(actor, **values) -> Agreement:
    """Record a new agreement (its term, the functions delegated and the money)."""
    _require(actor)
    cleaned = _clean_agreement(values)
    agreement = Agreement.objects.create(created_by=actor, **cleaned)
    audit.record(
        actor,
        audit.Action.CREATE,
        obj=agreement,
        summary=f"Recorded the partnership agreement {agreement.reference}",
        changes={"before": {}, "after": _snapshot(agreement)},
    )
    return agreement


@transaction.atomic
def update_agreement(actor, agreement: Agreement, *, version: int, **values) -> Agreement:
    """Change an agreement's details (``version``: the one the worker opened)."""
    _require(actor)
    current = _locked(agreement, version)
    cleaned = _clean_agreement(values, exclude_pk=current.pk)
    ended = current.terminated_on
    if ended is not None and cleaned["starts_on"] > ended:
        raise ValidationError(
            {"starts_on": f"The agreement was ended on {_d(ended)}: it cannot start after that"}
        )
    before = _snapshot(current)
    for name, value in cleaned.items():
        setattr(current, name, value)
    after = _snapshot(current)
    if before == after:
        return current
    current.version += 1
    current.save()
    audit.record(
        actor,
        audit.Action.UPDATE,
        obj=current,
        summary=f"Changed the partnership agreement {current.reference}",
        changes=audit.diff(before, after),
    )
    return current


@transaction.atomic
def extend_agreement(
    actor,
    agreement: Agreement,
    *,
    new_ends_on: dt.date | None,
    agreed_on: dt.date | None,
    note: str = "",
    version: int | None = None,
) -> AgreementExtension:
    """Record an agreed extension: the term runs to ``new_ends_on``."""
    _require(actor)
    current = _locked(agreement, version)
    errors: dict[str, str] = {}
    term = current.term()
    if current.terminated_on is not None:
        errors["__all__"] = (
            f"The agreement was ended early on {_d(current.terminated_on)}: it cannot be extended"
        )
    if new_ends_on is None:
        errors["new_ends_on"] = "Enter the new end date"
    elif "__all__" not in errors:
        try:
            rules.check_extension(term.last_day, new_ends_on)
        except rules.DateOrderError as e:
            errors["new_ends_on"] = str(e)
    if agreed_on is None:
        errors["agreed_on"] = "Enter the date the extension was agreed"
    elif agreed_on > timezone.localdate():
        errors["agreed_on"] = "The date it was agreed must be today or in the past"
    note = _text(errors, "note", note, "note", required=False, limit=MAX_TEXT)
    _raise(errors)
    before = {"last_day": term.last_day.isoformat()}
    extension = AgreementExtension.objects.create(
        agreement=current, new_ends_on=new_ends_on, agreed_on=agreed_on, note=note,
        recorded_by=actor,
    )  # fmt: skip
    current.version += 1
    current.save(update_fields=["version"])
    audit.record(
        actor,
        audit.Action.UPDATE,
        obj=current,
        summary=f"Extended the partnership agreement {current.reference} to {_d(new_ends_on)}",
        changes={
            "before": before,
            "after": {
                "last_day": new_ends_on.isoformat(),
                "extension": audit.snapshot(extension, ["new_ends_on", "agreed_on", "note"]),
            },
        },
    )
    return extension


@transaction.atomic
def end_agreement(
    actor,
    agreement: Agreement,
    *,
    terminated_on: dt.date | None,
    reason: str,
    version: int | None = None,
) -> Agreement:
    """End the agreement early (by notice): ``terminated_on`` is the last day it runs."""
    _require(actor)
    current = _locked(agreement, version)
    errors: dict[str, str] = {}
    if current.terminated_on is not None:
        errors["__all__"] = f"The agreement was already ended on {_d(current.terminated_on)}"
    last = current.term().last_day
    if terminated_on is None:
        errors["terminated_on"] = "Enter the last day the agreement runs"
    elif terminated_on < current.starts_on:
        errors["terminated_on"] = (
            f"The agreement cannot end before it started ({_d(current.starts_on)})"
        )
    elif last is not None and terminated_on > last:
        errors["terminated_on"] = (
            f"The agreement already ends on {_d(last)}: an early end must be on or before then"
        )
    reason = _text(errors, "reason", reason, "reason it ends early", required=True,
                   limit=MAX_TEXT)  # fmt: skip
    _raise(errors)
    before = audit.snapshot(current, ["terminated_on", "termination_reason"])
    current.terminated_on, current.termination_reason = terminated_on, reason
    current.version += 1
    current.save(update_fields=["terminated_on", "termination_reason", "version"])
    audit.record(
        actor,
        audit.Action.UPDATE,
        obj=current,
        summary=f"Ended the partnership agreement {current.reference} on {_d(terminated_on)}",
        changes=audit.diff(before, audit.snapshot(current, list(before))),
        reason=reason,
    )
    return current


# --- performance conditions ----------------------------------------------------------------------


@transaction.atomic
def add_condition(
    actor, agreement: Agreement, *, measure: str, target, description: str = ""
) -> PerformanceCondition:
    _require(actor)
    current = _locked(agreement, None)
    errors: dict[str, str] = {}
    if not measure:
        errors["measure"] = "Select the measure"
    elif measure not in dict(measure_choices()):
        errors["measure"] = "Select a statutory duty or one of the listed measures"
    if target is None or target == "":
        errors["target"] = "Enter the target"
    else:
        target = Decimal(target)
        if target < 0:
            errors["target"] = "The target must be 0 or more"
        elif measure in DUTIES and target > 100:
            errors["target"] = "A compliance target is a percentage: 100 or less"
    description = _text(errors, "description", description, "description", required=False,
                        limit=MAX_TEXT)  # fmt: skip
    _raise(errors)
    condition = PerformanceCondition.objects.create(
        agreement=current, measure=measure, target=target, description=description
    )
    audit.record(
        actor,
        audit.Action.UPDATE,
        obj=current,
        summary=f"Added a performance condition to {current.reference}: "
        f"{measure_label(measure)}, target {target}",
        changes={
            "before": {},
            "after": {
                "condition": audit.snapshot(condition, ["id", "measure", "target", "description"])
            },
        },
    )
    return condition


@transaction.atomic
def remove_condition(actor, condition: PerformanceCondition) -> Agreement:
    _require(actor)
    current = _locked(condition.agreement, None)
    before = audit.snapshot(condition, ["id", "measure", "target", "description"])
    before["id"] = condition.pk
    condition.delete()
    audit.record(
        actor,
        audit.Action.UPDATE,
        obj=current,
        summary=f"Removed a performance condition from {current.reference}: "
        f"{measure_label(before['measure'])}",
        changes={"before": {"condition": before}, "after": {}},
    )
    return current


# --- hosted teams --------------------------------------------------------------------------------


def teams_it_may_host(agreement: Agreement, today: dt.date | None = None) -> list[Team]:
    """The active teams the agreement's partner manages today and that are not yet hosted
    under it (those it can take on)."""
    today = today or timezone.localdate()
    hosts = selectors.hosting_on(today)
    ids = [
        pk
        for pk, h in hosts.items()
        if h.managed_by_id == agreement.partner_id and h.agreement_id != agreement.pk
    ]
    return list(Team.objects.filter(pk__in=ids, is_active=True).order_by("name"))


def _row(row: TeamHosting | None) -> dict:
    if row is None:
        return {}
    return audit.snapshot(row, ["id", "team_id", "managed_by_id", "agreement_id", "starts_on",
                                "ends_on"])  # fmt: skip


@transaction.atomic
def link_team(actor, agreement: Agreement, team: Team | None, *, today: dt.date | None = None):
    """Host ``team`` under ``agreement`` from now on (it must be managed by the partner)."""
    _require(actor)
    today = today or timezone.localdate()
    current = _locked(agreement, None)
    if team is None:
        raise ValidationError({"team": "Select the team"})
    team = Team.objects.select_for_update().get(pk=team.pk)
    last = current.term().last_day
    if last is not None and last < today:
        raise ValidationError(
            {"__all__": f"The agreement ended on {_d(last)}: no team can be hosted under it now"}
        )
    host_id = selectors.hosting_on(today, [team.pk])[team.pk].managed_by_id
    if host_id != current.partner_id:
        host = Organisation.objects.get(pk=host_id)
        raise ValidationError(
            {"team": f"{team.name} is managed by {host.name}: only a team managed by "
             f"{current.partner.name} can be hosted under this agreement"}
        )  # fmt: skip
    rows = TeamHosting.objects.select_for_update().filter(team=team)
    open_row = rows.filter(ends_on__isnull=True).first()
    before = _row(open_row)
    if open_row is not None and open_row.agreement_id == current.pk:
        raise ValidationError({"team": f"{team.name} is already hosted under this agreement"})
    if open_row is not None and open_row.starts_on is not None and open_row.starts_on > today:
        raise ValidationError(
            {"team": f"{team.name}'s hosting changes on {_d(open_row.starts_on)}: link it to "
             "the agreement from then"}
        )  # fmt: skip
    closed = None
    if open_row is None:
        ended = [r.ends_on for r in rows if r.ends_on is not None]
        starts = max(ended) + dt.timedelta(days=1) if ended else None
        row = TeamHosting.objects.create(
            team=team, managed_by_id=host_id, agreement=current, starts_on=starts
        )
    elif open_row.agreement_id is None or open_row.starts_on == today:
        # Not yet under any agreement, or opened today: the open row says so from its start.
        open_row.agreement = current
        open_row.save(update_fields=["agreement"])
        row = open_row
    else:
        # Under another agreement until yesterday: close that period, open this one today.
        open_row.ends_on = rules.day_before(today)
        open_row.save(update_fields=["ends_on"])
        closed = open_row
        row = TeamHosting.objects.create(
            team=team, managed_by_id=host_id, agreement=current, starts_on=today
        )
    current.version += 1
    current.save(update_fields=["version"])
    audit.record(
        actor,
        audit.Action.UPDATE,
        obj=current,
        summary=f"Hosted {team.name} under the partnership agreement {current.reference}",
        changes={
            "before": {"hosting": before},
            "after": {"hosting": _row(row), **({"closed": _row(closed)} if closed else {})},
        },
    )
    return row
