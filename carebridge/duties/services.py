"""Keeping each person's duty states current (``DutyState``), so caseloads are never stale.

When a record that a duty reads is saved or deleted (an event, an allocation, an assessment,
a plan, a review, a charge...), the person is marked, and once the transaction commits, in the
same request, their duty states are evaluated again as of today (a few milliseconds: the same
set-based queries, for one person). Bulk loads (the demo seed, an import) suspend this with
:func:`deferred` and call :func:`refresh_all` once at the end; a nightly
``carebridge duties refresh`` picks up what time alone changes (a record dated in the future
coming into force).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from . import engine
from .models import DutyState

log = logging.getLogger(__name__)

_pending: ContextVar[set[int] | None] = ContextVar("duties_pending", default=None)
_deferred: ContextVar[set[int] | None] = ContextVar("duties_deferred", default=None)
BATCH = 5000


def _state(r: engine.Result, today: dt.date) -> DutyState:
    return DutyState(
        duty_id=r.duty,
        person_id=r.person_pk,
        state=r.state.value,
        clock_start=r.clock_start,
        due=r.due,
        met_on=r.met_on,
        clock_ref=r.clock_ref[:40],
        met_ref=r.met_ref[:40],
        reason=r.reason,
        explanation=r.explanation,
        last_met_on=r.last_met_on,
        last_state=r.last_state.value if r.last_state else "",
        worker_id=r.worker_id,
        team_id=r.team_id,
        organisation_id=r.organisation_id,
        evaluated_on=today,
    )


def refresh_people(person_pks: Iterable[int], *, today: dt.date | None = None) -> int:
    """Re-evaluate these people's duties as of today and replace their stored states."""
    pks = sorted(set(person_pks))
    if not pks:
        return 0
    today = today or timezone.localdate()
    rows = [_state(r, today) for r in engine.evaluate(today, person_pks=pks)]
    with transaction.atomic():
        DutyState.objects.filter(person_id__in=pks).delete()
        DutyState.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def refresh_all(*, today: dt.date | None = None) -> int:
    """Re-evaluate everyone's duties as of today (nightly, and after a bulk load)."""
    today = today or timezone.localdate()
    n = 0
    with transaction.atomic():
        DutyState.objects.all().delete()
        batch: list[DutyState] = []
        for r in engine.evaluate(today):
            batch.append(_state(r, today))
            if len(batch) >= BATCH:
                DutyState.objects.bulk_create(batch)
                n += len(batch)
                batch = []
        DutyState.objects.bulk_create(batch)
        n += len(batch)
    return n


@contextlib.contextmanager
def deferred() -> Iterator[set[int]]:
    """Collect the people whose records change inside the block instead of refreshing each on
    commit; the caller refreshes them (or everyone) at the end."""
    token = _deferred.set(set())
    try:
        yield _deferred.get()
    finally:
        _deferred.reset(token)


def mark(person_pk: int | None) -> None:
    """A record of this person changed: refresh their duties when the transaction commits."""
    if person_pk is None:
        return
    held = _deferred.get()
    if held is not None:
        held.add(person_pk)
        return
    pending = _pending.get()
    if pending is None:
        pending = set()
        _pending.set(pending)
    pending.add(person_pk)
    # One callback per change (cheap); the first to run refreshes everyone pending. After a
    # rollback the callbacks are dropped and the next commit refreshes the leftovers too
    # (harmless: a refresh is idempotent). robust: a failed refresh is logged, and the
    # nightly refresh repairs it, rather than failing a request whose data is already saved.
    transaction.on_commit(_flush, robust=True)


def _flush() -> None:
    pending = _pending.get()
    if pending:
        people = set(pending)
        pending.clear()
        refresh_people(people)


# --- which records, and whose --------------------------------------------------------------


def _watched() -> dict:
    """model -> how to find the person, or people, whose duties read an instance."""
    from carebridge.assessments.models import Assessment, EligibilityDetermination
    from carebridge.casework.models import Allocation, Event
    from carebridge.finance.models import ChargeDecision, FinancialAssessment
    from carebridge.mentalhealth.models import (
        AftercareEpisode,
        AftercarePlan,
        AftercareReview,
        MHAAssessment,
    )
    from carebridge.people.models import (
        AccommodationStatusRecord,
        CarerAssessmentOffer,
        CarerRelationship,
        Person,
    )
    from carebridge.planning.models import CarePlan, DirectPaymentAgreement, PlannedService, Review
    from carebridge.safeguarding.models import Concern, Enquiry, S42Decision

    def own(instance):
        return instance.person_id

    def via_plan(instance):
        plans = CarePlan.objects.filter(pk=instance.plan_id)
        return plans.values_list("person_id", flat=True).first()

    def via_episode(instance):
        episodes = AftercareEpisode.objects.filter(pk=instance.episode_id)
        return episodes.values_list("person_id", flat=True).first()

    def carers_of(person_pk) -> list[int]:
        # carer-assessment-offered is about the carer, and reads the cared-for person's
        # support and death.
        rels = CarerRelationship.objects.filter(cared_for_id=person_pk)
        return list(rels.values_list("carer_id", flat=True))

    def event(instance):
        if instance.event_type == Event.SERVICE:
            return [instance.person_id, *carers_of(instance.person_id)]
        return instance.person_id

    return {
        Event: event,
        Allocation: own,
        Assessment: own,
        EligibilityDetermination: own,
        CarePlan: own,
        Review: own,
        FinancialAssessment: own,
        ChargeDecision: own,
        AccommodationStatusRecord: own,
        MHAAssessment: own,
        PlannedService: via_plan,
        DirectPaymentAgreement: via_plan,
        CarerRelationship: lambda instance: instance.carer_id,
        CarerAssessmentOffer: lambda instance: instance.carer_id,
        Person: lambda instance: [instance.pk, *carers_of(instance.pk)],
        AftercareEpisode: own,
        AftercarePlan: via_episode,
        AftercareReview: via_episode,
        Concern: own,
        Enquiry: own,
        S42Decision: lambda instance: (
            Concern.objects.filter(pk=instance.concern_id)
            .values_list("person_id", flat=True)
            .first()
        ),
    }


def connect() -> None:
    """Called from the app's ready(): watch the records the duties read."""
    for model, person_of in _watched().items():

        def changed(sender, instance, person_of=person_of, **kwargs):
            if kwargs.get("raw"):  # loading fixtures
                return
            try:
                people = person_of(instance)
                for pk in people if isinstance(people, list) else [people]:
                    mark(pk)
            except Exception:  # never let duty bookkeeping break the write itself
                log.exception("Could not mark %s for a duty refresh", sender.__name__)

        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"duties-{model}")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"duties-d-{model}")
