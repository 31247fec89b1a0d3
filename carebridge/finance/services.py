"""Changes to financial assessments and charges: start, save a draft (optimistically locked),
complete (the engine works out the charge), recalculate when the plan's cost changes, and the
charge decisions that follow. Every change is audited.

s117 aftercare is never charged (:mod:`carebridge.finance.s117`): where all the person's care is
s117 aftercare the engine is told so whatever was typed, and :func:`decide_charge` refuses a
positive charge outright; where only some is, the cost of care charged for is the cost of the
other services, and a charge above it is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from carebridge.casework.models import Event
from carebridge.casework.services import record_event
from carebridge.core import audit
from carebridge.core.access import Capability, can
from carebridge.people.models import Person
from carebridge.planning.models import CarePlan
from carebridge.rules import cld, dates
from carebridge.rules.money import money

from . import calculation, s117, selectors
from .models import ChargeDecision, FinancialAssessment

FA = FinancialAssessment
# CLD Assessment_Type (a Release 1 value still offered for recording: carebridge.rules.cld).
ASSESSMENT_TYPE = cld.FINANCIAL_ASSESSMENT
DRAFT_FIELDS = frozenset(
    {"case_input", "evidence", "effective_from", "light_touch_basis", "result"}
)
MAX_TEXT = 20_000
LATEST_START = dt.timedelta(days=366)


class DraftConflict(Exception):
    """Someone else saved the draft after this finance officer loaded it."""

    def __init__(self, current: FinancialAssessment):
        self.current = current
        who = current.updated_by or current.started_by
        at = timezone.localtime(current.updated_at).strftime("%H:%M on %d %B %Y")
        super().__init__(
            f"{who} saved this financial assessment at {at}, after you opened it. "
            "Your changes have not been saved over theirs."
        )


@dataclass(frozen=True)
class Saved:
    version: int
    saved_at: dt.datetime
    changed: tuple[str, ...]


def _require(actor, capability: Capability = Capability.EDIT_FINANCIAL) -> None:
    if not can(actor, capability):
        raise PermissionDenied(f"Your role does not allow this ({capability.value})")


def current_plan(person: Person) -> CarePlan | None:
    """The person's plan in force (approved), with its services."""
    return selectors.plan_in_force(person)


def plan_is_s117(plan: CarePlan | None) -> bool:
    """All the care under the plan is s117 aftercare: nothing may be charged."""
    return plan is not None and s117.chargeable_care(plan).wholly_s117


def s117_care(plan: CarePlan | None) -> s117.ChargeableCare | None:
    """The plan's cost divided into s117 aftercare and the rest (None: no plan)."""
    return s117.chargeable_care(plan) if plan is not None else None


def _capped_for_s117(person_id: int, plan: CarePlan | None, case_input: dict):
    """The case with its weekly cost of care capped at the cost of the care that is not s117
    aftercare, where only some of the care is (and the cap, or None when nothing changed)."""
    limit = s117.charge_limit(person_id, plan.pk if plan else None, plan=plan)
    typed = case_input.get("weekly_care_cost")
    if limit is None or limit <= 0 or isinstance(typed, bool) or typed is None:
        return case_input, None
    try:
        typed_cost = Decimal(str(typed))
    except ArithmeticError:
        return case_input, None
    if typed_cost <= limit:
        return case_input, None
    return {**case_input, "weekly_care_cost": calculation.money(limit)}, (typed_cost, limit)


def _note_s117(result: dict, capped) -> dict:
    """Say in the workings that the s117 aftercare was left out of the cost charged for."""
    if capped is None:
        return result
    typed, limit = capped
    note = {
        "step": f"Of the weekly cost of care of {money(typed)}, {money(typed - limit)} is s117 "
        f"aftercare, which is never charged for: the charge is worked out on the other "
        f"{money(limit)}",
        "amount": calculation.money(limit),
        "source": "Mental Health Act 1983 s117; R v Manchester CC, ex p Stennett [2002] UKHL 34",
        "kind": "note",
    }
    steps = list(result.get("steps", []))
    steps.insert(1 if steps else 0, note)
    return {**result, "steps": steps}


def initial_case(person: Person, *, financial_year: str, setting: str, on: dt.date) -> dict:
    """What a new assessment starts from: the year and setting, the person's age from their
    date of birth, and the weekly cost of care and s117 from the plan in force."""
    data: dict = {"financial_year": financial_year, "setting": setting}
    if person.date_of_birth:
        data["age"] = dates.age_on(person.date_of_birth, on)
    plan = current_plan(person)
    if plan is not None:
        # The cost of the care that may be charged for: s117 aftercare is left out.
        care = s117.chargeable_care(plan)
        data["weekly_care_cost"] = calculation.money(care.chargeable_weekly)
        data["s117"] = care.wholly_s117
    return data


# --- start and draft --------------------------------------------------------------------------


@transaction.atomic
def start_financial_assessment(
    actor,
    person: Person,
    *,
    kind: str,
    financial_year: str,
    setting: str = FA.Setting.NON_RESIDENTIAL,
    on: dt.date | None = None,
) -> FinancialAssessment:
    """Start a draft (a CLD Assessment event of type "Financial Assessment"). A reassessment
    carries on from the person's current assessment (income or capital changed)."""
    _require(actor)
    on = on or timezone.localdate()
    errors = {}
    if kind not in FA.Kind.values:
        errors["kind"] = "Select the kind of financial assessment"
    if financial_year not in dict(calculation.year_choices()):
        errors["financial_year"] = "Select the financial year"
    if setting not in FA.Setting.values:
        errors["setting"] = "Select where the care is given"
    if errors:
        raise ValidationError(errors)
    if FA.objects.filter(person=person, status=FA.Status.DRAFT).exists():
        raise ValidationError(
            {"kind": "There is already a draft financial assessment: carry on with that one"}
        )
    previous = FA.objects.filter(person=person, status=FA.Status.COMPLETED).first()
    case_input = initial_case(person, financial_year=financial_year, setting=setting, on=on)
    if previous is not None and previous.kind == FA.Kind.FULL and kind == FA.Kind.FULL:
        fresh = case_input
        case_input = {**previous.case_input, **fresh}
    event = record_event(
        actor,
        person,
        event_type=cld.ASSESSMENT,
        client_type=cld.SERVICE_USER,
        start_date=on,
        assessment_type=ASSESSMENT_TYPE,
        team_id=actor.team_id,
        worker=actor,
    )
    fa = FA.objects.create(
        person=person,
        kind=kind,
        financial_year=financial_year,
        setting=setting,
        case_input=case_input,
        evidence="",
        started_on=on,
        started_by=actor,
        updated_by=actor,
        event=event,
        supersedes=previous,
    )
    audit.record(
        actor,
        audit.Action.CREATE,
        person=person,
        obj=fa,
        summary=f"Started a {fa.get_kind_display()[0].lower()}{fa.get_kind_display()[1:]}"
        if kind != FA.Kind.DECLINED
        else "Recorded that the person declined to disclose their finances (draft)",
        changes={"after": audit.snapshot(fa)},
    )
    return fa


def _lock(fa: FinancialAssessment, version: int) -> FinancialAssessment:
    current = FA.objects.select_for_update().get(pk=fa.pk)
    if current.version != version:
        raise DraftConflict(current)
    return current


@transaction.atomic
def save_draft(actor, fa: FinancialAssessment, *, version: int, changes: dict) -> Saved:
    """Save what was typed into a draft. ``version`` is the one the officer loaded: if someone
    saved since, nothing is written and :class:`DraftConflict` says who and when. A change to
    the figures clears a calculation made from the old ones (unless one is saved with them)."""
    _require(actor)
    unknown = set(changes) - DRAFT_FIELDS
    if unknown:
        raise ValueError(f"Not draft fields: {sorted(unknown)}")
    current = FA.objects.select_for_update().get(pk=fa.pk)
    if current.status != FA.Status.DRAFT:
        raise ValidationError(
            {"__all__": "This financial assessment is completed and cannot be changed"}
        )
    if current.version != version:
        raise DraftConflict(current)
    changes = dict(changes)
    if "evidence" in changes:
        changes["evidence"] = (changes["evidence"] or "").replace("\r\n", "\n").strip()
        if len(changes["evidence"]) > MAX_TEXT:
            raise ValidationError({"evidence": f"Must be {MAX_TEXT:,} characters or fewer"})
    if "case_input" in changes:
        case = changes["case_input"]
        changes["financial_year"] = case.get("financial_year", current.financial_year)
        changes["setting"] = case.get("setting", current.setting)
        if case != current.case_input and "result" not in changes:
            changes["result"] = None
    before = audit.snapshot(current, list(changes))
    after = audit.plain(changes)
    changed = {k: v for k, v in changes.items() if before.get(k) != after[k]}
    now = timezone.now()
    if changed:
        FA.objects.filter(pk=current.pk).update(
            **changed, version=F("version") + 1, updated_by=actor, updated_at=now
        )
        new_version = current.version + 1
        logged = {k for k in changed if k != "result"}
        audit.record(
            actor,
            audit.Action.UPDATE,
            person=current.person,
            obj=current,
            summary="Saved a draft financial assessment"
            + (" and calculated the charge" if changed.get("result") else ""),
            changes=audit.diff({k: before[k] for k in logged}, {k: after[k] for k in logged}),
        )
    else:
        new_version = current.version
    for k, v in changed.items():
        setattr(fa, k, v)
    fa.version = new_version
    return Saved(version=new_version, saved_at=now, changed=tuple(changed))


# --- checks shared by calculating and completing ------------------------------------------------


def readiness_problems(
    fa: FinancialAssessment,
    *,
    effective_from: dt.date | None,
    evidence: str,
    today: dt.date,
    financial_year: str | None = None,
    light_touch_basis: str | None = None,
) -> dict[str, str]:
    """What stops the assessment being completed, apart from the figures themselves (the engine
    checks those). ``financial_year`` and ``light_touch_basis``: as just typed, if not saved."""
    problems: dict[str, str] = {}
    year = financial_year or fa.financial_year
    basis = fa.light_touch_basis if light_touch_basis is None else light_touch_basis
    if fa.kind == FA.Kind.LIGHT_TOUCH and not basis:
        problems["light_touch_basis"] = "Select why a light-touch assessment is enough"
    if not (evidence or "").strip():
        problems["evidence"] = (
            "Record how the person declined to disclose their finances"
            if fa.kind == FA.Kind.DECLINED
            else "Record the evidence you saw of income, capital and costs"
        )
    if effective_from is None:
        problems["effective_from"] = "Enter the date the charge starts"
    else:
        start = calculation.year_start(year)
        if effective_from < start:
            problems["effective_from"] = (
                f"The date the charge starts must be on or after {start:%-d %B %Y}, the start "
                f"of the {year} financial year"
            )
        elif effective_from > today + LATEST_START:
            problems["effective_from"] = (
                "The date the charge starts must be no more than a year from today"
            )
        else:
            current = ChargeDecision.objects.filter(
                person_id=fa.person_id, valid_to__isnull=True
            ).first()
            if current is not None and effective_from < current.valid_from:
                problems["effective_from"] = (
                    f"The date the charge starts must be on or after "
                    f"{current.valid_from:%-d %B %Y}, when the current charge started"
                )
    return problems


def s117_applies(fa: FinancialAssessment, plan: CarePlan | None) -> bool:
    return s117.applies(fa.person_id, plan.pk if plan else None)


def calculate(
    fa: FinancialAssessment,
    case_input: dict,
    plan: CarePlan | None,
    *,
    light_touch_basis: str | None = None,
    income_rows: list[int] | None = None,
) -> dict:
    """The engine's result for these figures (nothing saved). Raises ValidationError with the
    engine's message against the field it names (``income_rows``: the form row of each income
    line, so a message about the second line lands on the row it was typed in)."""
    basis = fa.light_touch_basis if light_touch_basis is None else light_touch_basis
    case_input, capped = _capped_for_s117(fa.person_id, plan, case_input)
    try:
        _, result = calculation.calculate(fa.kind, basis, case_input, s117=s117_applies(fa, plan))
    except calculation.InvalidCase as e:
        raise ValidationError(
            {calculation.field_for(e.key, income_rows or []): calculation.message_for(e)}
        ) from None
    return _note_s117(result, capped)


# --- complete ---------------------------------------------------------------------------------


@transaction.atomic
def complete(
    actor, fa: FinancialAssessment, *, version: int, on: dt.date | None = None
) -> ChargeDecision:
    """Complete the assessment: the engine works out the charge from the saved figures; the CLD
    event closes; the person's previous assessment is superseded; a charge decision starts on
    the effective date and the plan in force shows the person's contribution."""
    _require(actor)
    current = FA.objects.select_for_update().get(pk=fa.pk)
    if current.status != FA.Status.DRAFT:
        raise ValidationError({"__all__": "This financial assessment has already been completed"})
    if current.version != version:
        raise DraftConflict(current)
    on = on or timezone.localdate()
    problems = readiness_problems(
        current, effective_from=current.effective_from, evidence=current.evidence, today=on
    )
    if problems:
        raise ValidationError(problems)
    plan = current_plan(current.person)
    is_s117 = s117_applies(current, plan)
    charged_case, capped = _capped_for_s117(current.person_id, plan, current.case_input)
    try:
        _, result = calculation.calculate(
            current.kind, current.light_touch_basis, charged_case, s117=is_s117
        )
    except calculation.InvalidCase as e:
        raise ValidationError(
            {calculation.field_for(e.key, []): calculation.message_for(e)}
        ) from None
    result = _note_s117(result, capped)
    previous = (
        FA.objects.select_for_update()
        .filter(person_id=current.person_id, status=FA.Status.COMPLETED)
        .exclude(pk=current.pk)
        .first()
    )
    if previous is not None:
        FA.objects.filter(pk=previous.pk).update(
            status=FA.Status.SUPERSEDED, updated_at=timezone.now(), updated_by=actor
        )
        audit.record(
            actor,
            audit.Action.UPDATE,
            person=current.person,
            obj=previous,
            summary="Financial assessment superseded by a new one",
        )
    case_input = dict(current.case_input)
    if is_s117:
        case_input["s117"] = True
    weekly_charge = Decimal(str(result["weekly_charge"]))
    council_pays = Decimal(str(result["council_pays"]))
    FA.objects.filter(pk=current.pk).update(
        status=FA.Status.COMPLETED,
        case_input=case_input,
        result=result,
        weekly_charge=weekly_charge,
        council_pays=council_pays,
        full_cost=bool(result["full_cost"]),
        completed_on=on,
        assessed_by=actor,
        version=F("version") + 1,
        updated_by=actor,
        updated_at=timezone.now(),
    )
    if current.event_id:
        # CLD: a financial assessment has no Event_Outcome (exempt in the DHSC data quality
        # rules; see rules/data/cld_codes.csv).
        Event.objects.filter(pk=current.event_id).update(end_date=max(on, current.started_on))
    current.refresh_from_db()
    audit.record(
        actor,
        audit.Action.UPDATE,
        person=current.person,
        obj=current,
        summary=f"Completed the financial assessment: {money(weekly_charge)} a week",
        changes={"after": audit.snapshot(current, ["status", "weekly_charge", "council_pays"])},
    )
    reason = _reason_for(current, result, is_s117)
    decision = decide_charge(
        actor,
        current,
        plan=plan,
        weekly_amount=weekly_charge,
        weekly_care_cost=Decimal(str(result["weekly_care_cost"])),
        council_pays=council_pays,
        valid_from=current.effective_from,
        reason=reason,
        workings=result,
    )
    fa.refresh_from_db()
    return decision


def _reason_for(fa: FinancialAssessment, result: dict, is_s117: bool) -> str:
    if is_s117:
        return s117.NO_CHARGE_REASON
    if fa.kind == FA.Kind.DECLINED:
        return "Declined to disclose their finances: pays the full cost of care"
    if fa.kind == FA.Kind.LIGHT_TOUCH:
        return f"Light-touch financial assessment: {fa.get_light_touch_basis_display().lower()}"
    if result.get("free_reason"):
        return "Free of charge: " + next(
            (s["step"] for s in result["steps"] if s.get("kind") == "decision"), "free service"
        )
    if result.get("full_cost"):
        return "Full financial assessment: capital above the upper capital limit (full cost)"
    return "Full financial assessment"


@transaction.atomic
def decide_charge(
    actor,
    fa: FinancialAssessment,
    *,
    plan: CarePlan | None,
    weekly_amount: Decimal,
    valid_from: dt.date,
    reason: str,
    weekly_care_cost: Decimal | None = None,
    council_pays: Decimal | None = None,
    workings: dict | None = None,
    _plan_approval: bool = False,
) -> ChargeDecision:
    """Start a charge decision: the one in force ends the day this one starts (history kept),
    and the plan in force shows the contribution. Refuses a positive charge where s117
    aftercare applies, and a charge below nothing."""
    if not _plan_approval:  # a charge follows from an approved plan: no finance role needed
        _require(actor)
    weekly_amount = Decimal(weekly_amount)
    if weekly_amount < 0:
        raise ValidationError({"weekly_amount": "A charge cannot be less than £0.00"})
    refused = s117.refusal(fa.person_id, plan.pk if plan else None, weekly_amount, plan=plan)
    if refused:
        raise ValidationError({"__all__": refused})
    in_force = (
        ChargeDecision.objects.select_for_update()
        .filter(person_id=fa.person_id, valid_to__isnull=True)
        .first()
    )
    if in_force is not None:
        if valid_from < in_force.valid_from:
            raise ValidationError(
                {
                    "effective_from": f"The date the charge starts must be on or after "
                    f"{in_force.valid_from:%-d %B %Y}, when the current charge started"
                }
            )
        # An update, not save(): ending a charge is not raising one.
        ChargeDecision.objects.filter(pk=in_force.pk).update(valid_to=valid_from)
    decision = ChargeDecision.objects.create(
        person_id=fa.person_id,
        plan=plan,
        financial_assessment=fa,
        weekly_amount=weekly_amount,
        weekly_care_cost=weekly_care_cost,
        council_pays=council_pays,
        valid_from=valid_from,
        reason=reason,
        workings=workings,
        decided_by=actor,
    )
    audit.record(
        actor,
        audit.Action.CREATE,
        person=fa.person,
        obj=decision,
        summary=f"Charge of {money(weekly_amount)} a week from {valid_from:%-d %B %Y}",
        changes={
            "before": audit.snapshot(in_force, ["weekly_amount", "valid_from"])
            if in_force
            else None,
            "after": audit.snapshot(decision),
        },
        reason=reason,
    )
    if plan is not None and plan.person_contribution_weekly != weekly_amount:
        before = plan.person_contribution_weekly
        CarePlan.objects.filter(pk=plan.pk).update(person_contribution_weekly=weekly_amount)
        plan.person_contribution_weekly = weekly_amount
        audit.record(
            actor,
            audit.Action.UPDATE,
            person=fa.person,
            obj=plan,
            summary="The person's contribution to the personal budget, from the financial "
            "assessment",
            changes=audit.diff(
                {"person_contribution_weekly": None if before is None else str(before)},
                {"person_contribution_weekly": str(weekly_amount)},
            ),
        )
    return decision


# --- recalculate ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """Why the charge in force no longer matches the plan in force."""

    reason: str
    plan: CarePlan | None
    weekly_care_cost: Decimal | None
    s117: bool


def change_since(
    fa: FinancialAssessment, decision: ChargeDecision | None, plan: CarePlan | None
) -> Change | None:
    """What has changed since the charge in force was worked out (None: nothing). Compares the
    plan in force (its weekly cost and s117 services) with the charge decision."""
    if fa.status != FA.Status.COMPLETED or decision is None:
        return None
    # The cost charged for leaves out s117 aftercare (finance.s117).
    care = s117.chargeable_care(plan) if plan is not None else None
    is_s117 = care.wholly_s117 if care is not None else s117.applies(fa.person_id, None)
    cost = care.chargeable_weekly if care is not None else None
    reasons = []
    if plan is not None and plan.pk != decision.plan_id:
        reasons.append("the care and support plan has changed")
    known = cost is not None and decision.weekly_care_cost is not None
    if known and cost != decision.weekly_care_cost:
        reasons.append(
            f"the weekly cost of care has changed from {money(decision.weekly_care_cost)} "
            f"to {money(cost)}"
        )
    if is_s117 != decision.s117_aftercare:
        reasons.append(
            "all the care is now s117 aftercare" if is_s117 else "s117 aftercare has ended"
        )
    if not reasons:
        return None
    text = "; ".join(reasons)
    return Change(text[:1].upper() + text[1:], plan, cost, is_s117)


@transaction.atomic
def recalculate(actor, fa: FinancialAssessment, *, on: dt.date | None = None) -> ChargeDecision:
    """A new charge from the completed assessment's figures with the plan in force (its cost,
    its s117 services): the charge in force ends, history kept. For a change of income or
    capital, start a new financial assessment instead."""
    _require(actor)
    return _recalculate(actor, fa, on=on)


@transaction.atomic
def recalculate_after_plan_approval(actor, plan: CarePlan) -> ChargeDecision | None:
    """Called when a manager approves a plan: if the person has a completed financial
    assessment and the plan changed what they should pay (its cost, or s117), the charge is
    recalculated at once, history kept. Nothing happens otherwise."""
    fa = FA.objects.filter(person_id=plan.person_id, status=FA.Status.COMPLETED).first()
    if fa is None:
        return None
    in_force = ChargeDecision.objects.filter(
        person_id=plan.person_id, valid_to__isnull=True
    ).first()
    if change_since(fa, in_force, current_plan(fa.person)) is None:
        return None
    return _recalculate(actor, fa, plan_approval=True)


@transaction.atomic
def recalculate_after_s117_change(actor, person: Person) -> ChargeDecision | None:
    """Called when s117 aftercare starts or ends for a service (a funding split recorded, an
    episode ended): the charge follows at once, as after a plan's approval. Nothing happens
    without a completed financial assessment or a change to what the person should pay."""
    fa = FA.objects.filter(person_id=person.pk, status=FA.Status.COMPLETED).first()
    if fa is None:
        return None
    in_force = ChargeDecision.objects.filter(person_id=person.pk, valid_to__isnull=True).first()
    if change_since(fa, in_force, current_plan(fa.person)) is None:
        return None
    return _recalculate(actor, fa, plan_approval=True)


def _recalculate(
    actor, fa: FinancialAssessment, *, on: dt.date | None = None, plan_approval: bool = False
) -> ChargeDecision:
    on = on or timezone.localdate()
    current = FA.objects.select_for_update().get(pk=fa.pk)
    if current.status != FA.Status.COMPLETED:
        raise ValidationError(
            {"__all__": "Only the person's current financial assessment can be recalculated"}
        )
    in_force = ChargeDecision.objects.filter(
        person_id=current.person_id, valid_to__isnull=True
    ).first()
    plan = current_plan(current.person)
    change = change_since(current, in_force, plan)
    if change is None:
        raise ValidationError(
            {"__all__": "Nothing has changed since the charge was worked out: there is nothing "
             "to recalculate"}
        )  # fmt: skip
    case_input = dict(current.case_input)
    # The record decides (the plan and open aftercare), not what was typed at completion: a
    # charge recalculated after aftercare ends is no longer s117.
    case_input["s117"] = change.s117
    if change.weekly_care_cost is not None:
        case_input["weekly_care_cost"] = calculation.money(change.weekly_care_cost)
    case_input, capped = _capped_for_s117(current.person_id, plan, case_input)
    try:
        _, result = calculation.calculate(
            current.kind, current.light_touch_basis, case_input, s117=change.s117
        )
    except calculation.InvalidCase as e:
        raise ValidationError({"__all__": calculation.message_for(e)}) from None
    result = _note_s117(result, capped)
    starts = [in_force.valid_from] if in_force else []
    if plan is not None:
        starts.append(plan.start_date or plan.approved_on or on)
    else:
        starts.append(on)
    amount = Decimal(str(result["weekly_charge"]))
    return decide_charge(
        actor,
        current,
        plan=plan,
        weekly_amount=amount,
        weekly_care_cost=Decimal(str(result["weekly_care_cost"])),
        council_pays=Decimal(str(result["council_pays"])),
        valid_from=max(starts),
        reason=s117.NO_CHARGE_REASON if change.s117 else f"Recalculated: {change.reason}",
        workings=result,
        _plan_approval=plan_approval,
    )
