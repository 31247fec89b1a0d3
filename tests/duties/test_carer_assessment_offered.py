"""carer-assessment-offered (Care Act 2014 s10, s11(5)): small, exact case histories of an unpaid
carer and the person they care for, and the carer's state as of several dates. The same SQL
runs on SQLite and PostgreSQL; CI runs these on both."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import DateField, F, Value
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from carebridge.duties import engine
from carebridge.duties.definitions.carer_assessment_offered import _AdultOn
from carebridge.duties.models import LocalStandard
from carebridge.duties.spec import State
from carebridge.organisations.models import Organisation
from carebridge.rules import carers, cld
from tests.factories import EventFactory, PersonFactory
from tests.people.factories import CarerOfferFactory, CarerRelationshipFactory

pytestmark = pytest.mark.django_db

D = dt.date
DUTY = "carer-assessment-offered"


def state(person, as_of: dt.date):
    rows = list(engine.evaluate(as_of, [DUTY], [person.pk]))
    assert len(rows) <= 1
    return rows[0] if rows else None


def support(person, on, *, service_type="Long term support: Community", **kw):
    kw.setdefault("end_date", None)
    return EventFactory(
        person=person,
        event_type=cld.SERVICE,
        start_date=on,
        service_type=service_type,
        service_component="Home care",
        outcome="",
        route_of_access="",
        **kw,
    )


def carers_assessment(carer, on, **kw):
    kw.setdefault("end_date", None)
    kw.setdefault("outcome", "")
    kw.setdefault("client_type", cld.UNPAID_CARER)
    kw.setdefault("assessment_type", "Long term assessment")
    return EventFactory(
        person=carer, event_type=cld.ASSESSMENT, start_date=on, route_of_access="", **kw
    )


@pytest.fixture
def caring():
    """Colin cares for his mother, who has had home care since September 2025; the council
    recorded Colin as her carer on 5 January 2026."""
    rel = CarerRelationshipFactory(started_on=D(2025, 6, 1), recorded_on=D(2026, 1, 5))
    support(rel.cared_for, D(2025, 9, 1))
    return rel


class TestClock:
    def test_before_due_due_on_the_day_then_overdue(self, caring):
        carer = caring.carer
        assert state(carer, D(2026, 1, 4)) is None  # the council did not know yet
        r = state(carer, D(2026, 1, 10))
        assert (r.state, r.clock_start, r.due, r.met_on) == (
            State.DUE,
            D(2026, 1, 5),
            D(2026, 2, 2),
            None,
        )
        assert r.person_id == carer.person_id  # the row is about the carer
        assert r.clock_ref == caring.cared_for.person_id
        assert state(carer, D(2026, 2, 2)).state == State.DUE
        r = state(carer, D(2026, 2, 3))
        assert r.state == State.OVERDUE
        assert r.explanation == (
            f"Known as the unpaid carer of a person with support {caring.cared_for.person_id} "
            "on 5 January 2026; due by 2 February 2026; no carer's assessment offered yet "
            "(overdue)."
        )

    def test_an_unallocated_carers_row_answers_to_the_cared_for_persons_worker(self, caring):
        from django.utils import timezone

        from tests.factories import AllocationFactory, WorkerFactory

        when = timezone.make_aware(dt.datetime(2025, 12, 1, 9))
        worker = WorkerFactory()
        held = AllocationFactory(
            person=caring.cared_for, worker=worker, team=worker.team, started_at=when
        )
        for rows in (
            list(engine.evaluate(D(2026, 3, 1), [DUTY], [caring.carer.pk])),  # one person
            [r for r in engine.evaluate(D(2026, 3, 1), [DUTY]) if r.person_pk == caring.carer.pk],
        ):
            (r,) = rows
            assert (r.worker_id, r.team_id) == (worker.pk, held.team_id)
            assert r.organisation_id == held.team.organisation_id
        # Once the carer has a case of their own, their own worker answers for it.
        own = WorkerFactory()
        AllocationFactory(person=caring.carer, worker=own, team=own.team, started_at=when)
        r = state(caring.carer, D(2026, 3, 1))
        assert (r.worker_id, r.team_id) == (own.pk, own.team_id)

    def test_the_person_cared_for_is_not_on_the_duty(self, caring):
        assert state(caring.cared_for, D(2026, 3, 1)) is None

    def test_the_clock_starts_when_support_starts_if_later(self):
        rel = CarerRelationshipFactory(started_on=D(2025, 1, 1), recorded_on=None)
        support(rel.cared_for, D(2026, 3, 10))
        assert state(rel.carer, D(2026, 3, 9)) is None
        r = state(rel.carer, D(2026, 3, 10))
        assert (r.state, r.clock_start, r.due) == (State.DUE, D(2026, 3, 10), D(2026, 4, 7))

    def test_without_a_caring_start_the_day_it_was_recorded_starts_it(self):
        rel = CarerRelationshipFactory(started_on=None, recorded_on=D(2026, 2, 1))
        support(rel.cared_for, D(2025, 1, 1))
        assert state(rel.carer, D(2026, 2, 1)).clock_start == D(2026, 2, 1)

    def test_caring_that_starts_after_it_was_recorded_starts_the_clock_then(self):
        rel = CarerRelationshipFactory(started_on=D(2026, 4, 1), recorded_on=D(2026, 3, 1))
        support(rel.cared_for, D(2025, 1, 1))
        assert state(rel.carer, D(2026, 3, 31)) is None
        assert state(rel.carer, D(2026, 4, 1)).clock_start == D(2026, 4, 1)

    def test_no_support_no_duty(self):
        rel = CarerRelationshipFactory()
        EventFactory(person=rel.cared_for, event_type=cld.REQUEST, start_date=D(2025, 1, 1))
        support(rel.cared_for, D(2025, 2, 1), cancelled=True)
        # Support given to the carer is not support for the person cared for.
        to_carer = "Unpaid carer support: Direct to unpaid carer"
        support(rel.cared_for, D(2025, 3, 1), service_type=to_carer)
        assert state(rel.carer, D(2026, 1, 1)) is None

    def test_support_that_ended_before_the_caring_started_does_not_count(self):
        rel = CarerRelationshipFactory(started_on=D(2025, 6, 1))
        support(rel.cared_for, D(2024, 1, 1), end_date=D(2025, 5, 1))
        assert state(rel.carer, D(2026, 1, 1)) is None
        support(rel.cared_for, D(2025, 8, 1), service_type="Short term support: ST-Max")
        assert state(rel.carer, D(2026, 1, 1)).clock_start == D(2025, 8, 1)

    def test_a_young_carers_clock_starts_on_their_18th_birthday(self):
        young = PersonFactory(date_of_birth=D(2008, 2, 29))
        rel = CarerRelationshipFactory(carer=young, started_on=D(2024, 1, 1))
        support(rel.cared_for, D(2024, 1, 1))
        assert state(young, D(2026, 2, 28)) is None  # s10(3): a carer is an adult
        assert state(young, D(2026, 3, 1)).clock_start == D(2026, 3, 1)

    def test_a_past_date_is_judged_by_the_standard_then_in_force(self, caring):
        LocalStandard.objects.create(duty_id=DUTY, effective_from=D(2026, 1, 1), days=14)
        assert state(caring.carer, D(2026, 1, 10)).due == D(2026, 1, 19)
        older = CarerRelationshipFactory(started_on=D(2025, 12, 1))
        support(older.cared_for, D(2025, 1, 1))
        assert state(older.carer, D(2026, 1, 10)).due == D(2025, 12, 29)  # 28 days


class TestMet:
    def test_met_on_time_by_an_accepted_offer(self, caring):
        CarerOfferFactory(
            relationship=caring,
            offered_on=D(2026, 1, 20),
            method="phone",
            response=carers.ACCEPTED,
            responded_on=D(2026, 1, 20),
        )
        assert state(caring.carer, D(2026, 1, 19)).state == State.DUE
        r = state(caring.carer, D(2026, 1, 20))
        assert (r.state, r.met_on, r.met_ref) == (
            State.MET,
            D(2026, 1, 20),
            "(telephone, accepted)",
        )
        assert r.explanation.endswith(
            "Carer's assessment offered (telephone, accepted) on 20 January 2026, on time."
        )

    def test_met_late_by_a_late_offer(self, caring):
        CarerOfferFactory(relationship=caring, offered_on=D(2026, 2, 10), method="letter")
        # Offered after 3 February: as of then the duty was still overdue.
        assert state(caring.carer, D(2026, 2, 3)).state == State.OVERDUE
        r = state(caring.carer, D(2026, 2, 11))
        assert (r.state, r.met_on, r.met_ref) == (
            State.MET_LATE,
            D(2026, 2, 10),
            "(letter, no response yet)",
        )
        assert "8 days late" in r.explanation

    def test_met_by_a_refusal_and_the_answer_is_shown_as_it_stood(self, caring):
        CarerOfferFactory(
            relationship=caring,
            offered_on=D(2026, 1, 15),
            method="in_person",
            response=carers.DECLINED,
            responded_on=D(2026, 1, 25),
            declined_reason="I manage fine with my brother's help",
        )
        r = state(caring.carer, D(2026, 1, 20))
        assert (r.state, r.met_ref) == (State.MET, "(in person, no response yet)")
        r = state(caring.carer, D(2026, 1, 26))
        assert (r.state, r.met_on, r.met_ref) == (
            State.MET,
            D(2026, 1, 15),
            "(in person, declined)",
        )

    def test_met_by_a_carers_assessment(self, caring):
        a = carers_assessment(caring.carer, D(2026, 1, 12))
        r = state(caring.carer, D(2026, 1, 12))
        assert (r.state, r.met_on, r.met_ref) == (
            State.MET,
            D(2026, 1, 12),
            f"(assessment {a.reference} under way)",
        )

    def test_a_carers_assessment_already_under_way_meets_it_from_the_clock_start(self, caring):
        carers_assessment(caring.carer, D(2025, 12, 1), end_date=D(2026, 1, 8), outcome="x")
        r = state(caring.carer, D(2026, 1, 6))
        assert (r.state, r.met_on) == (State.MET, D(2026, 1, 5))

    def test_records_that_do_not_meet_it(self, caring):
        carer = caring.carer
        carers_assessment(carer, D(2025, 10, 1), end_date=D(2025, 11, 1))  # done before
        carers_assessment(carer, D(2026, 1, 10), cancelled=True)
        carers_assessment(carer, D(2026, 1, 11), assessment_type="Financial Assessment")
        carers_assessment(carer, D(2026, 1, 12), client_type=cld.SERVICE_USER)  # their own needs
        CarerOfferFactory(relationship=caring, offered_on=D(2025, 12, 1))  # before the clock
        assert state(carer, D(2026, 3, 1)).state == State.OVERDUE

    def test_the_earlier_of_an_offer_and_an_assessment_meets_it(self, caring):
        a = carers_assessment(caring.carer, D(2026, 1, 9))
        CarerOfferFactory(relationship=caring, offered_on=D(2026, 1, 7))
        assert state(caring.carer, D(2026, 1, 8)).met_ref == "(telephone, no response yet)"
        assert state(caring.carer, D(2026, 1, 10)).met_on == D(2026, 1, 7)
        other = CarerRelationshipFactory(started_on=D(2026, 1, 1))
        support(other.cared_for, D(2025, 1, 1))
        carers_assessment(other.carer, D(2026, 1, 3))
        CarerOfferFactory(relationship=other, offered_on=D(2026, 1, 4))
        assert state(other.carer, D(2026, 2, 1)).met_ref.startswith("(assessment")
        assert a.reference not in state(other.carer, D(2026, 2, 1)).met_ref

    def test_an_offer_recorded_under_another_relationship_counts(self, caring):
        second = CarerRelationshipFactory(carer=caring.carer, started_on=D(2025, 1, 1))
        CarerOfferFactory(relationship=second, offered_on=D(2026, 1, 6))
        assert state(caring.carer, D(2026, 1, 7)).state == State.MET


class TestNotApplicable:
    def test_the_caring_ended_before_the_offer_was_due(self, caring):
        caring.ended_on = D(2026, 1, 20)
        caring.save()
        assert state(caring.carer, D(2026, 1, 15)).state == State.DUE
        r = state(caring.carer, D(2026, 1, 21))
        assert r.state == State.NOT_APPLICABLE and "caring ended" in r.reason
        assert r.explanation.endswith("The caring ended on or before the date the offer was due.")

    def test_caring_that_ended_after_the_due_date_leaves_it_overdue(self, caring):
        caring.ended_on = D(2026, 3, 1)
        caring.save()
        assert state(caring.carer, D(2026, 4, 1)).state == State.OVERDUE

    def test_caring_that_ended_before_the_clock_would_start_has_no_clock(self):
        rel = CarerRelationshipFactory(started_on=D(2024, 1, 1), ended_on=D(2024, 6, 1))
        support(rel.cared_for, D(2024, 8, 1))
        assert state(rel.carer, D(2025, 1, 1)) is None

    def test_the_person_cared_for_died_before_the_offer_was_due(self, caring):
        mother = caring.cared_for
        mother.date_of_death = D(2026, 1, 25)
        mother.save()
        assert state(caring.carer, D(2026, 1, 24)).state == State.DUE
        r = state(caring.carer, D(2026, 1, 26))
        assert r.state == State.NOT_APPLICABLE and "person cared for died" in r.reason

    def test_the_carers_own_death(self, caring):
        carer = caring.carer
        carer.date_of_death = D(2026, 1, 25)
        carer.save()
        r = state(carer, D(2026, 2, 10))
        assert r.state == State.NOT_APPLICABLE and r.reason == engine.DIED

    def test_met_stays_met_after_the_caring_ends(self, caring):
        CarerOfferFactory(relationship=caring, offered_on=D(2026, 1, 10))
        caring.ended_on = D(2026, 1, 20)
        caring.save()
        assert state(caring.carer, D(2026, 2, 1)).state == State.MET


def test_one_carers_kept_statement_gives_what_the_full_query_gives():
    """A carer's refresh runs the compiled statement again with their key: the same rows as the
    set-based query over everyone."""
    rels = [CarerRelationshipFactory(started_on=D(2026, 1, 1 + i)) for i in range(3)]
    for i, rel in enumerate(rels):
        support(rel.cared_for, D(2025, 1, 1))
        if i:
            CarerOfferFactory(relationship=rel, offered_on=D(2026, 1, 10 * i))
    as_of = D(2026, 2, 15)
    together = {r.person_pk: r for r in engine.evaluate(as_of, [DUTY])}
    alone = {}
    for rel in rels:
        alone |= {r.person_pk: r for r in engine.evaluate(as_of, [DUTY], [rel.carer.pk])}
    assert together == alone
    assert [together[rel.carer.pk].state for rel in rels] == [
        State.OVERDUE,
        State.MET,
        State.MET,
    ]


# -- the 18th birthday in SQL is the rule's ----------------------------------------------------


@pytest.fixture
def one_row(db):
    Organisation.objects.get_or_create(name="Date arithmetic", kind="council")


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(born=st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2030, 12, 31)))
@example(born=dt.date(1930, 3, 1))
@example(born=dt.date(2008, 2, 29))
@example(born=dt.date(2008, 2, 28))
@example(born=dt.date(1999, 12, 31))
def test_the_18th_birthday_in_sql_is_the_rules(one_row, born):
    got = (
        Organisation.objects.annotate(_born=Value(born, output_field=DateField()))
        .annotate(_v=_AdultOn(F("_born")))
        .values_list("_v", flat=True)
        .first()
    )
    got = got if isinstance(got, dt.date) else dt.date.fromisoformat(str(got))
    assert got == carers.adult_on(born)


@pytest.mark.parametrize(
    ("born", "adult"),
    [
        (D(2008, 2, 29), D(2026, 3, 1)),
        (D(2008, 3, 1), D(2026, 3, 1)),
        (D(2006, 2, 28), D(2024, 2, 28)),
        (D(2008, 12, 31), D(2026, 12, 31)),
        (D(1930, 3, 1), D(1948, 3, 1)),
    ],
)
def test_adult_on(born, adult):
    from carebridge.rules.dates import age_on

    assert carers.adult_on(born) == adult
    assert age_on(born, adult) == 18 and age_on(born, adult - dt.timedelta(days=1)) == 17
