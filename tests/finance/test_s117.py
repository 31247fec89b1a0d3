"""s117 aftercare is never charged: enforced by the model and the database, not only by forms
and services. Saving through the ORM, bypassing every form and service, is refused; so is a
raw SQL insert (on SQLite and PostgreSQL alike: the suite runs on both)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from carebridge.finance import s117, services
from carebridge.finance.models import ChargeDecision
from carebridge.planning.models import CarePlan, PlannedService
from tests.planning.factories import CarePlanFactory, PlannedServiceFactory

from .conftest import complete_full, fill, start
from .factories import ChargeDecisionFactory, CompletedAssessmentFactory, simple_case


@pytest.fixture
def s117_plan(person, sw):
    plan = CarePlanFactory(
        person=person, created_by=sw, status=CarePlan.Status.APPROVED,
        approved_on=timezone.localdate(),
    )  # fmt: skip
    PlannedServiceFactory(plan=plan, description="Supported living under s117", s117_aftercare=True)
    return plan


def _decision(person, **kwargs) -> ChargeDecision:
    fa = CompletedAssessmentFactory(person=person)
    defaults = {
        "person": person,
        "financial_assessment": fa,
        "weekly_amount": Decimal("52.10"),
        "valid_from": dt.date(2025, 4, 7),
        "reason": "Full financial assessment",
    }
    return ChargeDecision(**(defaults | kwargs))


def test_orm_save_refuses_a_charge_for_an_s117_plan(person, s117_plan):
    decision = _decision(person, plan=s117_plan)
    with pytest.raises(ValidationError) as e:
        decision.save()
    assert "section 117" in e.value.message_dict["weekly_amount"][0]
    with pytest.raises(ValidationError):
        ChargeDecision.objects.create(**{f: getattr(decision, f) for f in (
            "person", "plan", "financial_assessment", "weekly_amount", "valid_from", "reason"
        )})  # fmt: skip
    assert not ChargeDecision.objects.exists()


def test_orm_save_refuses_a_charge_for_a_person_with_an_open_s117_flag(person, s117_plan):
    # No plan named on the charge: the person's plan in force holds an s117 service.
    assert s117.person_has_open_s117(person.pk)
    with pytest.raises(ValidationError):
        _decision(person, plan=None).save()


def test_clean_refuses_it_too(person, s117_plan):
    with pytest.raises(ValidationError) as e:
        _decision(person, plan=s117_plan).full_clean()
    assert "weekly_amount" in e.value.message_dict


def test_a_charge_marked_s117_is_refused(person):
    with pytest.raises(ValidationError):
        _decision(person, s117_aftercare=True).save()


def test_no_charge_for_s117_is_saved_and_marked(person, s117_plan):
    decision = _decision(person, plan=s117_plan, weekly_amount=Decimal("0.00"))
    decision.save()
    assert ChargeDecision.objects.get(pk=decision.pk).s117_aftercare is True


def test_an_ended_s117_plan_no_longer_flags_the_person(person, s117_plan):
    CarePlan.objects.filter(pk=s117_plan.pk).update(status=CarePlan.Status.ENDED)
    assert not s117.person_has_open_s117(person.pk)
    _decision(person).save()  # a charge under another plan is allowed again


def test_the_database_refuses_a_positive_s117_charge(person):
    # bulk_create skips save(): only the check constraint stands in the way.
    with pytest.raises(IntegrityError), transaction.atomic():
        ChargeDecision.objects.bulk_create([_decision(person, s117_aftercare=True)])
    decision = ChargeDecisionFactory(person=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        ChargeDecision.objects.filter(pk=decision.pk).update(s117_aftercare=True)


@pytest.mark.parametrize("amount", ["0.01", "52.10"])
def test_a_raw_sql_insert_of_a_positive_s117_charge_fails(person, amount):
    fa = CompletedAssessmentFactory(person=person)
    table = connection.ops.quote_name(ChargeDecision._meta.db_table)
    # The table name comes from the model; the values are parameters.
    sql = (
        f"INSERT INTO {table} (person_id, financial_assessment_id, weekly_amount, valid_from, "  # noqa: S608
        "s117_aftercare, reason, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )
    params = [person.pk, fa.pk, Decimal(amount), dt.date(2025, 4, 7), True, "raw", timezone.now()]
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    # The same row with no charge is accepted: it is the constraint, not the statement.
    params[2] = Decimal("0.00")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    assert ChargeDecision.objects.filter(person=person, s117_aftercare=True).count() == 1
    assert connection.vendor in {"sqlite", "postgresql"}


def test_the_service_refuses_a_charge(officer, person, s117_plan):
    fa = CompletedAssessmentFactory(person=person)
    with pytest.raises(ValidationError) as e:
        services.decide_charge(
            officer, fa, plan=s117_plan, weekly_amount=Decimal("10.00"),
            valid_from=dt.date(2025, 4, 7), reason="Trying to charge",
        )  # fmt: skip
    assert "section 117" in e.value.messages[0]
    assert not ChargeDecision.objects.exists()


def test_completing_for_an_s117_plan_charges_nothing(officer, person, s117_plan):
    # The officer answered "no" to s117: the plan decides, not the box.
    fa, decision = complete_full(officer, person, simple_case(s117=False))
    assert decision.weekly_amount == Decimal("0.00")
    assert decision.s117_aftercare is True
    assert decision.reason == (
        "s117 aftercare: no charge (Mental Health Act 1983 s117; Care Act 2014 s14)"
    )
    assert fa.weekly_charge == Decimal("0.00")
    assert fa.case_input["s117"] is True
    assert any("117" in s["step"] for s in fa.result["steps"])
    assert CarePlan.objects.get(pk=s117_plan.pk).person_contribution_weekly == Decimal("0.00")


def test_declining_to_disclose_does_not_make_s117_chargeable(officer, person, s117_plan):
    fa = start(officer, person, kind="declined_to_disclose")
    fill(officer, fa, {"financial_year": "2025-26", "setting": "non_residential",
                       "weekly_care_cost": 257.6, "s117": False})  # fmt: skip
    decision = services.complete(officer, fa, version=fa.version)
    assert decision.weekly_amount == Decimal("0.00")


def test_a_plan_becoming_s117_is_recalculated_to_nothing(officer, person, approved_plan):
    fa, first = complete_full(officer, person)
    assert first.weekly_amount > 0
    PlannedService.objects.filter(plan=approved_plan).update(s117_aftercare=True)
    second = services.recalculate(officer, fa)
    assert second.weekly_amount == Decimal("0.00")
    assert second.s117_aftercare is True
    assert second.reason == s117.NO_CHARGE_REASON
    first.refresh_from_db()
    assert first.valid_to == second.valid_from  # ending a charge is allowed; history kept
