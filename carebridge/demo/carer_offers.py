"""Offers of a carer's assessment (Care Act 2014 s10) for the synthetic county's unpaid carers,
so the carer-assessment-offered duty shows a realistic mix: most carers offered on time, some
late, some never; answers accepted, declined (with the carer's reason) or not yet given; now and
then a second offer after a refusal.

Each offer is made only where the duty has a clock, worked out as the duty does (see
``duties/definitions/carer_assessment_offered.py``): from the later of the caring starting, the
carer's 18th birthday and the cared-for person's first long- or short-term support still running
then. It is made by the worker who held the cared-for person's case that day (or a caseholder of
their team). Rows are tuples in ``OFFER_FIELDS`` order, written by ``writer.py``; the seed's
transaction holds the caring relationships and events already written.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence

from carebridge.rules import carers, cld
from carebridge.rules.local_codes import CARER_OFFER_METHODS

from . import distributions as d
from .history import (
    A_END,
    A_PERSON,
    A_START,
    A_TEAM,
    A_WORKER,
    E_END,
    E_PERSON,
    E_SERVICE_TYPE,
    E_START,
    E_TYPE,
    EVENT_FIELDS,
    Context,
)

OFFER_FIELDS = (
    "id",
    "relationship_id",
    "carer_id",
    "offered_on",
    "method",
    "offered_by_id",
    "details",
    "response",
    "responded_on",
    "declined_reason",
    "recorded_by_id",
    "recorded_at",
    "response_recorded_by_id",
    "response_recorded_at",
    "version",
)
O_OFFERED_ON, O_RESPONSE = OFFER_FIELDS.index("offered_on"), OFFER_FIELDS.index("response")

# Shares [est]: councils report offering most known carers an assessment, many late, and a
# sizeable share of carers declining (ADASS/Carers UK surveys describe the pattern, not figures
# this seed could cite, so these are estimates for a plausible dashboard).
NEVER_OFFERED = 0.14
ON_TIME = 0.62  # of those offered
LATE_DAYS = (29, 240)
REPEAT_AFTER_REFUSAL = 0.15
ANSWER_WITHIN_DAYS = 21
METHOD = d.local_table(
    CARER_OFFER_METHODS,
    {
        "in_person": 38,
        "phone": 30,
        "letter": 18,
        "email": 8,
        "video": 3,
        "text_message": 2,
        "other": 1,
    },
    "carer offer method",
)
ANSWER = {carers.ACCEPTED: 0.45, carers.DECLINED: 0.38, carers.AWAITING: 0.17}
DECLINED_REASONS = (
    "I'm managing fine at the moment, thank you.",
    "My sister and I share the caring; we don't need anything just now.",
    "I don't see myself as a carer, he's my husband.",
    "I haven't got time for an assessment with work and the children.",
    "Maybe later in the year when things settle down.",
    "We had a bad experience before and I'd rather not.",
    "I only help with shopping, I don't need support.",
)
DETAILS = (
    "Gave the carers' information pack and the carers' support service number.",
    "Talked through what a carer's assessment covers, including breaks from caring.",
    "Offered during the cared-for person's review at home.",
    "Explained the assessment is free and is about the carer's own needs.",
    "",
    "",
    "",
)
_CANCELLED = EVENT_FIELDS.index("cancelled")
_SUPPORT = (cld.LONG_TERM_SUPPORT_PREFIX, cld.SHORT_TERM_SUPPORT_PREFIX)


def _support_by_person(
    events: Sequence[Sequence],
) -> dict[int, list[tuple[dt.date, dt.date | None]]]:
    """person -> their long- and short-term support services as (start, end), by start."""
    out: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
    for e in events:
        if e[E_TYPE] != cld.SERVICE or e[_CANCELLED]:
            continue
        if not (e[E_SERVICE_TYPE] or "").startswith(_SUPPORT):
            continue
        out.setdefault(e[E_PERSON], []).append((e[E_START], e[E_END]))
    for spells in out.values():
        spells.sort(key=lambda s: s[0])
    return out


def clock_start(rel: tuple, support: list[tuple[dt.date, dt.date | None]]) -> dt.date | None:
    """When the carer-assessment-offered duty's clock starts for a relationship row
    ``(pk, carer, cared_for, started_on, recorded_on, ended_on, carer_born, ...)``; None when it
    never does (no support while the caring runs)."""
    _pk, _carer, _cared_for, started, recorded, ended, born = rel[:7]
    caring = started or recorded
    if caring is None:
        return None
    begins = max(caring, recorded or caring, carers.adult_on(born))
    first = next((s for s, e in support if e is None or e > begins), None)
    if first is None:
        return None
    clock = max(begins, first)
    if ended is not None and ended <= clock:
        return None
    return clock


def _holder(allocations: dict[int, list[list]], person: int, day: dt.date) -> tuple[int, int]:
    """(team, worker or 0) holding the person's case at the end of ``day``."""
    held = (0, 0)
    for a in allocations.get(person, ()):
        if a[A_START] <= day and (a[A_END] is None or a[A_END] > day):
            held = (a[A_TEAM], a[A_WORKER] or 0)
    return held


def offer_rows(
    relationships: Sequence[tuple],
    events: Sequence[Sequence],
    allocations: Sequence[Sequence],
    rng: random.Random,
    ctx: Context,
    first_id: int,
    aware: Callable[[dt.date, int], dt.datetime],
) -> list[tuple]:
    """Offers for relationship rows ``(pk, carer, cared_for, started_on, recorded_on,
    ended_on, carer_born, carer_died, cared_for_died)``, in pk order."""
    support = _support_by_person(events)
    by_person: dict[int, list[list]] = {}
    for a in allocations:
        by_person.setdefault(a[A_PERSON], []).append(a)
    rows: list[tuple] = []
    for rel in relationships:
        pk, carer, cared_for, _s, _r, ended, _born, carer_died, cared_for_died = rel
        clock = clock_start(rel, support.get(cared_for, []))
        if clock is None or clock > ctx.until or rng.random() < NEVER_OFFERED:
            continue
        due = clock + dt.timedelta(days=carers.OFFER_DAYS)
        if rng.random() < ON_TIME:
            offered = clock + dt.timedelta(days=rng.randint(0, carers.OFFER_DAYS))
        else:
            offered = due + dt.timedelta(days=rng.randint(*LATE_DAYS) - carers.OFFER_DAYS)
        last = min(x for x in (ctx.until, ended, carer_died, cared_for_died) if x is not None)
        while offered <= last:
            team, worker = _holder(by_person, cared_for, offered)
            worker = worker or _caseholder(rng, ctx, team)
            if not worker:
                break
            row = _offer(rng, first_id + len(rows), pk, carer, offered, worker, last, aware)
            rows.append(row)
            if row[O_RESPONSE] != carers.DECLINED or rng.random() >= REPEAT_AFTER_REFUSAL:
                break
            offered = offered + dt.timedelta(days=rng.randint(180, 420))  # asked again
    return rows


def _caseholder(rng: random.Random, ctx: Context, team: int) -> int:
    workers = ctx.caseholders.get(team) or []
    if workers:
        return workers[rng.randrange(len(workers))]
    return ctx.managers.get(team, 0)


def _offer(rng, pk, relationship, carer, offered, worker, last, aware) -> tuple:
    method = METHOD.pick(rng)
    answer = rng.choices(list(ANSWER), weights=list(ANSWER.values()))[0]
    if method == "in_person" and answer != carers.AWAITING and rng.random() < 0.6:
        answered = offered  # answered there and then
    else:
        answered = offered + dt.timedelta(days=rng.randint(0, ANSWER_WITHIN_DAYS))
    if answer != carers.AWAITING and answered > last:
        answer = carers.AWAITING  # not answered by the end of the history
    reason = DECLINED_REASONS[rng.randrange(len(DECLINED_REASONS))]
    recorded_at = aware(offered, rng.randint(9 * 60, 17 * 60))
    answered_at = aware(answered, rng.randint(9 * 60, 17 * 60))
    if answer == carers.AWAITING:
        return (
            pk, relationship, carer, offered, method, worker,
            DETAILS[rng.randrange(len(DETAILS))],
            answer, None, "", worker, recorded_at, None, None, 1,
        )  # fmt: skip
    return (
        pk, relationship, carer, offered, method, worker,
        DETAILS[rng.randrange(len(DETAILS))],
        answer, answered, reason if answer == carers.DECLINED else "", worker, recorded_at,
        worker, max(answered_at, recorded_at), 1 if answered == offered else 2,
    )  # fmt: skip


def seed(write, rng: random.Random, ctx: Context, events, allocations, aware) -> None:
    """Generate and write the offers, after the caring relationships and events (``seed.py``
    calls this inside its transaction; ``write`` is its counting writer)."""
    from carebridge.people.models import CarerAssessmentOffer, CarerRelationship

    from .writer import next_id, reset_sequences

    relationships = list(
        CarerRelationship.objects.order_by("pk").values_list(
            "pk",
            "carer_id",
            "cared_for_id",
            "started_on",
            "recorded_on",
            "ended_on",
            "carer__date_of_birth",
            "carer__date_of_death",
            "cared_for__date_of_death",
        )
    )
    rows = offer_rows(
        relationships, events, allocations, rng, ctx, next_id(CarerAssessmentOffer), aware
    )
    write("carer assessment offers", CarerAssessmentOffer, OFFER_FIELDS, rows)
    reset_sequences([CarerAssessmentOffer])
