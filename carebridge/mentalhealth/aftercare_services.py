"""Writes for s117 aftercare: record eligibility (with the responsible council and ICB), agree
the joint plan, record the services funded under s117 and their split, record joint reviews,
and the joint decision to end. Each takes the acting worker, checks their role, validates
against :mod:`carebridge.rules.aftercare`, writes in one transaction and is audited. A change
to which services are s117 aftercare recalculates the person's charge at once
(:func:`carebridge.finance.services.recalculate_after_s117_change`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from carebridge.core import audit
from carebridge.core.access import Capability, can
from carebridge.organisations.models import Organisation
from carebridge.planning.models import CarePlan, PlannedService
from carebridge.rules import aftercare as rules
from carebridge.rules import mental_health_act as mha
from carebridge.rules.money import money

from .models import (
    AftercareEndDecision,
    AftercareEpisode,
    AftercareFunding,
    AftercarePlan,
    AftercareReview,
    LegalStatus,
)

MAX_TEXT = 20_000
MAX_NAME = 200


class AftercareConflict(Exception):
    """Someone else changed the record after this worker opened it."""

    def __init__(self, current):
        super().__init__("Changed by someone else")
        self.current = current


CONFLICT_MESSAGE = (
    "Someone else changed this record while you were on this page. Nothing has been saved: "
    "check what is recorded now, then try again."
)


def _require(actor, capability: Capability = Capability.RECORD_AFTERCARE) -> None:
    if not can(actor, capability):
        raise PermissionDenied(f"Your role does not allow this ({capability.value})")


def _d(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def _local_date(at: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(at) if at is not None else None


def _text(value: str | None) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def _required_text(errors: dict, key: str, value: str, message: str, limit: int = MAX_TEXT):
    value = _text(value)
    if not value:
        errors[key] = message
    elif len(value) > limit:
        errors[key] = f"Must be {limit:,} characters or fewer"
    return value


def _date_not_future(errors: dict, key: str, value, what: str, today: dt.date) -> None:
    if value is None:
        errors[key] = f"Enter {what}"
    elif value > today:
        errors[key] = f"{what[:1].upper()}{what[1:]} must be today or in the past"


# --- eligibility --------------------------------------------------------------------------------


def cto_following(detention: LegalStatus) -> LegalStatus | None:
    """The community treatment order that followed this detention, if one did."""
    return (
        LegalStatus.objects.filter(follows=detention, section=mha.CTO)
        .order_by("started_at")
        .first()
    )


def eligibility_of(detention: LegalStatus, cto: LegalStatus | None = None) -> rules.Eligibility:
    cto = cto if cto is not None else cto_following(detention)
    return rules.eligibility(
        section=detention.section,
        ended_on=_local_date(detention.ended_at),
        left_hospital_on=detention.left_hospital_on,
        cto_started_on=_local_date(cto.started_at) if cto else None,
    )


def on_cto(person_id: int) -> bool:
    """The person is a community patient now (a current CTO)."""
    return LegalStatus.objects.filter(
        person_id=person_id, section=mha.CTO, ended_at__isnull=True
    ).exists()


@transaction.atomic
def record_eligibility(
    actor,
    detention: LegalStatus,
    *,
    council: Organisation | None,
    icb: Organisation | None,
    residence_basis: str,
    residence_address: str = "",
    residence_postcode: str = "",
    disputed: bool = False,
    dispute_notes: str = "",
) -> AftercareEpisode:
    """Record that aftercare started after ``detention`` (from the day the person left hospital),
    with the responsible council and ICB. An open episode after an earlier detention ends,
    superseded by this one (Worcestershire)."""
    _require(actor)
    detention = LegalStatus.objects.select_for_update().get(pk=detention.pk)
    person = detention.person
    result = eligibility_of(detention)
    if not result.eligible:
        raise ValidationError({"__all__": result.reason})
    if AftercareEpisode.objects.filter(detention=detention).exists():
        raise ValidationError(
            {"__all__": "Aftercare after this detention is already recorded"}
        )  # fmt: skip
    errors: dict[str, str] = {}
    if council is None or council.kind != Organisation.COUNCIL:
        errors["council"] = "Select the council responsible for aftercare"
    if icb is None or icb.kind != Organisation.ICB:
        errors["icb"] = "Select the integrated care board responsible for aftercare"
    if residence_basis not in dict(rules.RESIDENCE_BASES):
        errors["residence_basis"] = "Select how the person's ordinary residence was decided"
    address = _text(residence_address)
    postcode = _text(residence_postcode).upper()
    if len(address) > 300:
        errors["residence_address"] = "Must be 300 characters or fewer"
    if len(postcode) > 8:
        errors["residence_postcode"] = "Enter a real postcode, like WX1 2AB"
    if residence_basis == "address_before_detention" and not address and not postcode:
        errors["residence_address"] = (
            "Enter the address where the person lived immediately before they were detained"
        )
    notes = _text(dispute_notes)
    if disputed and not notes:
        errors["dispute_notes"] = "Say which councils dispute responsibility, and why"
    if errors:
        raise ValidationError(errors)
    open_episode = (
        AftercareEpisode.objects.select_for_update()
        .filter(person=person, ended_on__isnull=True)
        .first()
    )
    if open_episode is not None:
        started = _local_date(detention.started_at)
        if not rules.superseded_by(open_episode.eligible_from, started):
            since = _d(open_episode.eligible_from)
            raise ValidationError(
                {
                    "__all__": f"The person already has aftercare from {since}, after a later "
                    "detention: this earlier detention no longer gives a duty (Worcestershire)"
                }
            )
        _supersede(actor, open_episode, detention)
    episode = AftercareEpisode.objects.create(
        person=person,
        detention=detention,
        eligible_from=result.from_date,
        responsible_council=council,
        responsible_icb=icb,
        residence_address=address,
        residence_postcode=postcode,
        residence_basis=residence_basis,
        disputed=disputed,
        dispute_notes=notes if disputed else "",
        created_by=actor,
    )
    audit.record(
        actor,
        audit.Action.CREATE,
        person=person,
        obj=episode,
        summary=f"Recorded s117 aftercare from {_d(episode.eligible_from)} "
        f"({result.reason}); responsible: {council.name} and {icb.name}"
        + (" (disputed)" if disputed else ""),
        changes={"after": audit.snapshot(episode)},
    )
    return episode


def _close(actor, episode: AftercareEpisode, ended_on: dt.date, reason: str, summary: str,
           *, why: str, changes=None, detention: LegalStatus | None = None) -> None:  # fmt: skip
    """End the episode (one update, audited); the charge and the duties follow."""
    AftercareEpisode.objects.filter(pk=episode.pk).update(
        ended_on=ended_on,
        end_reason=reason,
        ended_by_detention=detention,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    audit.record(
        actor,
        audit.Action.UPDATE,
        person=episode.person,
        obj=episode,
        summary=summary,
        reason=why,
        changes=changes,
    )
    _recalculate_charge(actor, episode.person)


def _supersede(actor, episode: AftercareEpisode, detention: LegalStatus) -> None:
    ended_on = max(_local_date(detention.started_at), episode.eligible_from)
    summary = (
        f"s117 aftercare from {_d(episode.eligible_from)} ended on {_d(ended_on)}: superseded "
        f"by new detention under {detention.rule.label} (Worcestershire)"
    )
    _close(
        actor, episode, ended_on, rules.END_SUPERSEDED, summary, why=rules.WORCESTERSHIRE,
        detention=detention,
    )  # fmt: skip


@transaction.atomic
def end_for_new_detention(actor, detention: LegalStatus) -> AftercareEpisode | None:
    """A new detention under a qualifying section ends the person's open aftercare
    (Worcestershire); the new detention is the basis for a new episode once they leave
    hospital. Returns the episode ended, if any."""
    if not mha.qualifies_for_s117(detention.section):
        return None
    episode = (
        AftercareEpisode.objects.select_for_update()
        .filter(person_id=detention.person_id, ended_on__isnull=True)
        .exclude(detention=detention)
        .first()
    )
    if episode is None:
        return None
    if not rules.superseded_by(episode.eligible_from, _local_date(detention.started_at)):
        return None
    _supersede(actor, episode, detention)
    episode.refresh_from_db()
    return episode


# --- the joint plan -----------------------------------------------------------------------------


def _open(episode: AftercareEpisode) -> AftercareEpisode:
    current = AftercareEpisode.objects.select_for_update().get(pk=episode.pk)
    if current.ended_on is not None:
        raise ValidationError(
            {"__all__": f"This aftercare ended on {_d(current.ended_on)} and cannot be changed"}
        )
    return current


@transaction.atomic
def agree_plan(
    actor,
    episode: AftercareEpisode,
    *,
    version: int | None,
    needs: str,
    reduces_risk: str,
    council_worker,
    icb_representative: str,
    icb_representative_role: str = "",
    agreed_on: dt.date | None,
) -> AftercarePlan:
    """Record the joint aftercare plan as agreed by the council worker and the named ICB
    representative (or a change to it, agreed again). ``version``: the plan's version the worker
    loaded (None for a new plan)."""
    _require(actor)
    current_episode = _open(episode)
    existing = AftercarePlan.objects.select_for_update().filter(episode=current_episode).first()
    if existing is not None and existing.version != version:
        raise AftercareConflict(existing)
    if existing is None and version is not None:
        raise AftercareConflict(None)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    needs = _required_text(
        errors, "needs", needs, "Enter the needs arising from the person's mental disorder"
    )
    reduces_risk = _required_text(
        errors,
        "reduces_risk",
        reduces_risk,
        "Enter how the services reduce the risk of deterioration and readmission",
    )
    icb_rep = _required_text(
        errors,
        "icb_representative",
        icb_representative,
        "Enter the name of the ICB representative who agreed the plan",
        MAX_NAME,
    )
    role = _text(icb_representative_role)
    if len(role) > MAX_NAME:
        errors["icb_representative_role"] = f"Must be {MAX_NAME} characters or fewer"
    if council_worker is None or not council_worker.is_active:
        errors["council_worker"] = "Select the council worker who agreed the plan"
    _date_not_future(errors, "agreed_on", agreed_on, "the date the plan was agreed", today)
    if errors:
        raise ValidationError(errors)
    fields = {
        "needs": needs,
        "reduces_risk": reduces_risk,
        "council_worker": council_worker,
        "icb_representative": icb_rep,
        "icb_representative_role": role,
        "agreed_on": agreed_on,
    }
    if existing is None:
        plan = AftercarePlan.objects.create(episode=current_episode, updated_by=actor, **fields)
        audit.record(
            actor,
            audit.Action.CREATE,
            person=current_episode.person,
            obj=plan,
            summary=f"Joint s117 aftercare plan agreed on {_d(agreed_on)} with "
            f"{icb_rep} (ICB) and {council_worker} (council)",
            changes={"after": audit.snapshot(plan)},
        )
        return plan
    names = [k if k != "council_worker" else "council_worker_id" for k in fields]
    before = audit.snapshot(existing, names)
    AftercarePlan.objects.filter(pk=existing.pk).update(
        **fields, version=F("version") + 1, updated_by=actor, updated_at=timezone.now()
    )
    existing.refresh_from_db()
    audit.record(
        actor,
        audit.Action.UPDATE,
        person=current_episode.person,
        obj=existing,
        summary=f"Joint s117 aftercare plan changed and agreed again on {_d(agreed_on)}",
        changes=audit.diff(before, audit.snapshot(existing, names)),
    )
    return existing


# --- services funded under s117 -----------------------------------------------------------------


def fundable_services(episode: AftercareEpisode):
    """The person's planned services that could be funded under this aftercare: those of
    their plan in force or a revision under way, not already funded under it."""
    return (
        PlannedService.objects.filter(plan__person_id=episode.person_id)
        .exclude(plan__status=CarePlan.Status.ENDED)
        .exclude(s117_funding__episode=episode)
        .select_related("plan")
        .order_by("-plan__created_at", "pk")
    )


def _split(
    service: PlannedService,
    *,
    given_as: str,
    council_percent: Decimal | None,
    icb_percent: Decimal | None,
    council_weekly: Decimal | None,
    icb_weekly: Decimal | None,
) -> rules.Split:
    try:
        if given_as == "amounts":
            return rules.split_from_amounts(service.weekly_cost, council_weekly, icb_weekly)
        if given_as == "percentages":
            return rules.split_from_percentages(council_percent, icb_percent)
    except rules.SplitError as e:
        raise ValidationError(e.errors) from None
    raise ValidationError(
        {"given_as": "Select whether the split is given in percentages or weekly amounts"}
    )


@transaction.atomic
def record_funding(
    actor,
    episode: AftercareEpisode,
    *,
    planned_service: PlannedService | None,
    given_as: str,
    council_percent: Decimal | None = None,
    icb_percent: Decimal | None = None,
    council_weekly: Decimal | None = None,
    icb_weekly: Decimal | None = None,
    notes: str = "",
) -> AftercareFunding:
    """Record that a service in the person's care plan is funded under s117, and the council's
    and the ICB's shares of its cost (percentages adding up to 100, or weekly amounts adding up
    to its cost). The service is not charged for while the aftercare lasts."""
    _require(actor)
    current = _open(episode)
    if planned_service is None:
        raise ValidationError({"planned_service": "Select the service funded under s117"})
    service = (
        PlannedService.objects.select_related("plan")
        .filter(pk=planned_service.pk, plan__person_id=current.person_id)
        .exclude(plan__status=CarePlan.Status.ENDED)
        .first()
    )
    if service is None:
        raise ValidationError(
            {"planned_service": "Select a service from the person's current care plan"}
        )
    if AftercareFunding.objects.filter(episode=current, planned_service=service).exists():
        raise ValidationError(
            {"planned_service": "This service is already funded under this aftercare"}
        )
    split = _split(
        service,
        given_as=given_as,
        council_percent=council_percent,
        icb_percent=icb_percent,
        council_weekly=council_weekly,
        icb_weekly=icb_weekly,
    )
    notes = _text(notes)
    if len(notes) > MAX_TEXT:
        raise ValidationError({"notes": f"Must be {MAX_TEXT:,} characters or fewer"})
    funding = AftercareFunding.objects.create(
        episode=current,
        planned_service=service,
        council_percent=split.council_percent,
        icb_percent=split.icb_percent,
        notes=notes,
        created_by=actor,
    )
    council, icb = split.amounts(service.weekly_cost)
    audit.record(
        actor,
        audit.Action.CREATE,
        person=current.person,
        obj=funding,
        summary=f"{service.description} funded under s117: council {split.council_percent}% "
        f"({money(council)} a week), ICB {split.icb_percent}% ({money(icb)} a week); never "
        "charged for",
        changes={"after": audit.snapshot(funding)},
    )
    _recalculate_charge(actor, current.person)
    return funding


@transaction.atomic
def change_funding(
    actor,
    funding: AftercareFunding,
    *,
    version: int,
    given_as: str,
    council_percent: Decimal | None = None,
    icb_percent: Decimal | None = None,
    council_weekly: Decimal | None = None,
    icb_weekly: Decimal | None = None,
    notes: str = "",
) -> AftercareFunding:
    _require(actor)
    current = (
        AftercareFunding.objects.select_for_update()
        .select_related("planned_service", "episode__person")
        .get(pk=funding.pk)
    )
    if current.version != version:
        raise AftercareConflict(current)
    _open(current.episode)
    split = _split(
        current.planned_service,
        given_as=given_as,
        council_percent=council_percent,
        icb_percent=icb_percent,
        council_weekly=council_weekly,
        icb_weekly=icb_weekly,
    )
    notes = _text(notes)
    if len(notes) > MAX_TEXT:
        raise ValidationError({"notes": f"Must be {MAX_TEXT:,} characters or fewer"})
    names = ["council_percent", "icb_percent", "notes"]
    before = audit.snapshot(current, names)
    AftercareFunding.objects.filter(pk=current.pk).update(
        council_percent=split.council_percent,
        icb_percent=split.icb_percent,
        notes=notes,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    current.refresh_from_db()
    audit.record(
        actor,
        audit.Action.UPDATE,
        person=current.episode.person,
        obj=current,
        summary=f"Changed the s117 funding split of {current.planned_service.description}: "
        f"council {split.council_percent}%, ICB {split.icb_percent}%",
        changes=audit.diff(before, audit.snapshot(current, names)),
    )
    return current


def carry_funding(old: PlannedService, new: PlannedService) -> None:
    """A plan revision copies a service: its funding under open aftercare goes with it (called
    by :func:`carebridge.planning.services.start_plan`)."""
    for f in AftercareFunding.objects.filter(planned_service=old, episode__ended_on__isnull=True):
        AftercareFunding.objects.create(
            episode_id=f.episode_id,
            planned_service=new,
            council_percent=f.council_percent,
            icb_percent=f.icb_percent,
            notes=f.notes,
            created_by=f.created_by,
        )


# --- joint reviews ------------------------------------------------------------------------------


@transaction.atomic
def record_review(
    actor,
    episode: AftercareEpisode,
    *,
    held_on: dt.date | None,
    council_attendees: str,
    icb_attendees: str,
    outcome: str,
    notes: str = "",
) -> AftercareReview:
    """A joint review by the council and the ICB: who attended from each, and the outcome."""
    _require(actor)
    current = _open(episode)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    _date_not_future(errors, "held_on", held_on, "the date of the review", today)
    if "held_on" not in errors and held_on < current.eligible_from:
        errors["held_on"] = (
            f"The date of the review must be on or after {_d(current.eligible_from)}, when "
            "aftercare started"
        )
    council = _required_text(
        errors,
        "council_attendees",
        council_attendees,
        "Enter who attended for the council: a joint review needs both bodies",
        500,
    )
    icb = _required_text(
        errors,
        "icb_attendees",
        icb_attendees,
        "Enter who attended for the ICB: a joint review needs both bodies",
        500,
    )
    if outcome not in dict(rules.REVIEW_OUTCOMES):
        errors["outcome"] = "Select the outcome of the review"
    notes = _text(notes)
    if len(notes) > MAX_TEXT:
        errors["notes"] = f"Must be {MAX_TEXT:,} characters or fewer"
    if errors:
        raise ValidationError(errors)
    review = AftercareReview.objects.create(
        episode=current,
        held_on=held_on,
        council_attendees=council,
        icb_attendees=icb,
        outcome=outcome,
        notes=notes,
        recorded_by=actor,
    )
    audit.record(
        actor,
        audit.Action.CREATE,
        person=current.person,
        obj=review,
        summary=f"Joint s117 aftercare review on {_d(held_on)}: "
        f"{dict(rules.REVIEW_OUTCOMES)[outcome].lower()}",
        changes={"after": audit.snapshot(review)},
    )
    return review


# --- the joint decision to end ------------------------------------------------------------------


@transaction.atomic
def end_aftercare(
    actor,
    episode: AftercareEpisode,
    *,
    version: int,
    decided_on: dt.date | None,
    council_decision_maker: str,
    icb_decision_maker: str,
    council_agrees: bool,
    icb_agrees: bool,
    reasons: str,
) -> AftercareEndDecision:
    """End aftercare on the joint decision of the council and the ICB that the person no
    longer needs it (s117(2)). Refused while the person is on a CTO, and unless both agree."""
    _require(actor, Capability.END_AFTERCARE)
    current = AftercareEpisode.objects.select_for_update().get(pk=episode.pk)
    if current.version != version:
        raise AftercareConflict(current)
    if current.ended_on is not None:
        raise ValidationError(
            {"__all__": f"This aftercare already ended on {_d(current.ended_on)}"}
        )
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the decision"
    else:
        errors.update(
            rules.end_refusal(
                on_cto=on_cto(current.person_id),
                council_agrees=council_agrees,
                icb_agrees=icb_agrees,
                decided_on=decided_on,
                eligible_from=current.eligible_from,
                today=today,
            )
        )
    if "__all__" in errors:  # on a CTO: nothing else matters
        raise ValidationError({"__all__": errors["__all__"]})
    council = _required_text(
        errors,
        "council_decision_maker",
        council_decision_maker,
        "Enter the name of the council's decision maker",
        MAX_NAME,
    )
    icb = _required_text(
        errors,
        "icb_decision_maker",
        icb_decision_maker,
        "Enter the name of the ICB's decision maker",
        MAX_NAME,
    )
    reasons = _required_text(
        errors, "reasons", reasons, "Enter why the person no longer needs aftercare"
    )
    if errors:
        raise ValidationError(errors)
    decision = AftercareEndDecision.objects.create(
        episode=current,
        decided_on=decided_on,
        council_decision_maker=council,
        icb_decision_maker=icb,
        reasons=reasons,
        recorded_by=actor,
    )
    summary = (
        f"s117 aftercare ended on {_d(decided_on)} by joint decision of {council} (council) and "
        f"{icb} (ICB)"
    )
    _close(
        actor, current, decided_on, rules.END_JOINT_DECISION, summary, why=reasons,
        changes={"after": audit.snapshot(decision)},
    )  # fmt: skip
    return decision


def _recalculate_charge(actor, person) -> None:
    """The charge follows the services that are s117 aftercare; the duties are read again (an
    episode ended by an update sends no signal)."""
    from carebridge.duties.services import mark
    from carebridge.finance.services import recalculate_after_s117_change

    mark(person.pk)
    recalculate_after_s117_change(actor, person)
