"""The seeded offers of a carer's assessment: valid by the rules, made only where the duty has a
clock, by workers of the county, and a realistic mix on the compliance figures."""

from __future__ import annotations

from collections import Counter

import pytest

from carebridge.casework.models import Event
from carebridge.demo import carer_offers as demo
from carebridge.duties.models import DutyState
from carebridge.people.models import CarerAssessmentOffer, CarerRelationship
from carebridge.rules import carers, cld

from .conftest import UNTIL

pytestmark = pytest.mark.django_db
DUTY = "carer-assessment-offered"


def _relationships():
    return list(
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


def _support():
    rows = Event.objects.filter(event_type=cld.SERVICE).values_list(
        *(demo.EVENT_FIELDS[i] for i in range(len(demo.EVENT_FIELDS)))
    )
    return demo._support_by_person([list(r) for r in rows])


def test_offers_are_valid_and_made_while_the_clock_runs(seeded):
    offers = list(CarerAssessmentOffer.objects.select_related("relationship", "offered_by"))
    assert seeded.counts["carer assessment offers"] == len(offers) > 0
    support = _support()
    clocks = {r[0]: demo.clock_start(r, support.get(r[2], [])) for r in _relationships()}
    for o in offers:
        assert o.carer_id == o.relationship.carer_id
        assert not carers.offer_errors(
            offered_on=o.offered_on,
            response=o.response,
            responded_on=o.responded_on,
            declined_reason=o.declined_reason,
            today=UNTIL,
        )
        clock = clocks[o.relationship_id]
        assert clock is not None and clock <= o.offered_on <= UNTIL
        assert o.offered_by.is_active and o.recorded_by_id == o.offered_by_id


def test_a_realistic_mix(seeded):
    answers = Counter(CarerAssessmentOffer.objects.values_list("response", flat=True))
    assert set(answers) == {carers.ACCEPTED, carers.DECLINED, carers.AWAITING}
    states = Counter(DutyState.objects.filter(duty_id=DUTY).values_list("state", flat=True))
    assert states["met"] > states["met_late"] > 0
    assert states["overdue"] + states["due"] > 0


def test_the_seed_and_the_duty_agree_on_when_each_clock_started(seeded):
    support = _support()
    latest = {}
    for r in _relationships():
        clock = demo.clock_start(r, support.get(r[2], []))
        if clock is not None and clock <= UNTIL:
            latest[r[1]] = max(latest.get(r[1], clock), clock)
    stored = dict(DutyState.objects.filter(duty_id=DUTY).values_list("person_id", "clock_start"))
    assert stored == latest


def test_the_duty_agrees_with_a_plain_reading_of_the_seeded_records(seeded):
    """Each carer's state worked out in Python, record by record, as the definition's docstring
    describes it: the same as the engine's set-based SQL."""
    import datetime as dt

    from django.db.models import Q

    from carebridge.duties import engine
    from carebridge.people.models import Person

    support = _support()
    offers: dict[int, list[dt.date]] = {}
    for carer, day in CarerAssessmentOffer.objects.values_list("carer_id", "offered_on"):
        offers.setdefault(carer, []).append(day)
    assessed: dict[int, list[tuple]] = {}
    rows = (
        Event.objects.filter(
            event_type=cld.ASSESSMENT, client_type=cld.UNPAID_CARER, cancelled=False
        )
        .filter(~Q(assessment_type=cld.FINANCIAL_ASSESSMENT))
        .values_list("person_id", "start_date", "end_date")
    )
    for person, start, end in rows:
        assessed.setdefault(person, []).append((start, end))
    died = dict(Person.objects.values_list("pk", "date_of_death"))
    latest: dict[int, tuple] = {}
    for r in _relationships():
        clock = demo.clock_start(r, support.get(r[2], []))
        if (
            clock is not None
            and clock <= UNTIL
            and (r[1] not in latest or clock >= latest[r[1]][0])
        ):
            latest[r[1]] = (clock, r)
    expected = {}
    for carer, (clock, r) in latest.items():
        due = clock + dt.timedelta(days=carers.OFFER_DAYS)
        candidates = [d for d in offers.get(carer, []) if d >= clock]
        candidates += [max(s, clock) for s, e in assessed.get(carer, []) if e is None or e >= clock]
        met = min(candidates, default=None)
        met = met if met is not None and met <= UNTIL else None
        # The caring ended, or either of them died, by the date and on or before the due date.
        ends = [x for x in (r[5], r[8], died[carer]) if x is not None and x <= min(UNTIL, due)]
        if met is not None:
            state = "met" if met <= due else "met_late"
        elif ends:
            state = "not_applicable"
        else:
            state = "overdue" if due < UNTIL else "due"
        expected[carer] = (state, clock, met)
    got = {
        r.person_pk: (r.state.value, r.clock_start, r.met_on)
        for r in engine.evaluate(UNTIL, [DUTY])
    }
    assert got == expected
