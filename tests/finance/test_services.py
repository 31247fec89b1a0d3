"""The financial assessment services: start (a CLD assessment event), drafts with optimistic
locking, completion with the engine's charge, superseding, the charge history and the personal
budget, recalculation when the plan changes, light-touch and declined assessments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carebridge.casework.models import Event
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.finance import services
from carebridge.finance.models import ChargeDecision, FinancialAssessment
from carebridge.planning import budget
from carebridge.planning import services as planning_services
from carebridge.planning.models import CarePlan
from tests.planning.conftest import add_home_care, write_plan

from .conftest import START, complete_full, fill, start
from .factories import KNOWSLEY_N1, simple_case

FA = FinancialAssessment


def test_start_records_a_financial_assessment_event(officer, person, approved_plan):
    fa = start(officer, person)
    event = Event.objects.get(pk=fa.event_id)
    assert event.event_type == "Assessment"
    assert event.assessment_type == "Financial Assessment"
    assert event.end_date is None
    # Starts from what is known: the age from the date of birth, the plan's cost, no s117.
    assert fa.case_input["weekly_care_cost"] == 257.6
    assert fa.case_input["s117"] is False
    assert isinstance(fa.case_input["age"], int)
    assert AuditEvent.objects.filter(object_id=str(fa.pk), action="create").exists()


def test_only_finance_roles_may_start(county, person):
    with pytest.raises(PermissionDenied):
        start(county.workers[Role.SOCIAL_WORKER], person)


def test_one_draft_at_a_time(officer, person):
    start(officer, person)
    with pytest.raises(ValidationError) as e:
        start(officer, person)
    assert "already a draft" in e.value.message_dict["kind"][0]


def test_save_draft_is_version_locked(officer, officer_2, person):
    fa = start(officer, person)
    loaded = fa.version
    services.save_draft(officer, fa, version=loaded, changes={"evidence": "Bank statements"})
    other = FA.objects.get(pk=fa.pk)
    with pytest.raises(services.DraftConflict) as e:
        services.save_draft(officer_2, other, version=loaded, changes={"evidence": "Nothing"})
    assert "saved this financial assessment at" in str(e.value)
    assert FA.objects.get(pk=fa.pk).evidence == "Bank statements"


def test_complete_works_out_the_charge_and_sets_the_contribution(officer, person, approved_plan):
    fa, decision = complete_full(officer, person)
    assert fa.status == FA.Status.COMPLETED
    assert fa.weekly_charge == Decimal("82.65")
    assert fa.council_pays == Decimal("174.95")
    assert fa.full_cost is False
    assert fa.result["steps"][0]["step"] == "Weekly cost of care"
    assert all({"step", "amount", "source"} <= set(s) for s in fa.result["steps"])
    assert Event.objects.get(pk=fa.event_id).end_date is not None
    assert decision.weekly_amount == Decimal("82.65")
    assert decision.valid_from == START and decision.valid_to is None
    assert decision.plan_id == approved_plan.pk
    plan = CarePlan.objects.get(pk=approved_plan.pk)
    assert plan.person_contribution_weekly == Decimal("82.65")
    summary = budget.summary(plan)
    assert summary.council_weekly == Decimal("174.95")


def test_knowsley_worked_example_to_the_penny(officer, person):
    _, decision = complete_full(
        officer, person, dict(KNOWSLEY_N1), effective_from=dt.date(2024, 4, 8)
    )
    assert decision.weekly_amount == Decimal("67.71")


def test_a_reassessment_supersedes_and_keeps_the_history(officer, person, approved_plan):
    first, one = complete_full(officer, person)
    second = start(officer, person)
    assert second.supersedes_id == first.pk
    # Carries on from the last figures: the officer changes what changed.
    assert second.case_input["weekly_income"] == first.case_input["weekly_income"]
    case = simple_case(weekly_income=[{"type": "state_pension", "amount": 230.25}])
    fill(officer, second, case, effective_from=dt.date(2025, 6, 2))
    two = services.complete(officer, second, version=second.version)
    first.refresh_from_db()
    one.refresh_from_db()
    assert first.status == FA.Status.SUPERSEDED
    assert one.valid_to == dt.date(2025, 6, 2)
    assert two.valid_to is None and two.weekly_amount < one.weekly_amount
    assert ChargeDecision.objects.filter(person=person).count() == 2


def test_a_charge_cannot_start_before_the_one_in_force(officer, person):
    complete_full(officer, person, effective_from=dt.date(2025, 6, 2))
    fa = fill(officer, start(officer, person), effective_from=dt.date(2025, 5, 1))
    with pytest.raises(ValidationError) as e:
        services.complete(officer, fa, version=fa.version)
    assert "on or after 2 June 2025" in e.value.message_dict["effective_from"][0]


def test_approving_a_revised_plan_recalculates_the_charge(
    officer, sw, manager, person, approved_plan
):
    fa, first = complete_full(officer, person)
    with pytest.raises(ValidationError):
        services.recalculate(officer, fa)  # nothing has changed
    # A revised plan with more care is approved: the charge follows at once, history kept.
    revision = planning_services.start_plan(sw, approved_plan.assessment)
    write_plan(sw, revision)
    add_home_care(sw, revision, description="Evening visit", planned_units_per_week=Decimal(7))
    planning_services.submit_plan(sw, revision, version=revision.version)
    planning_services.approve_plan(manager, revision, version=revision.version)
    second = ChargeDecision.objects.filter(person=person).order_by("-pk").first()
    first.refresh_from_db()
    assert second.pk != first.pk
    assert first.valid_to == second.valid_from
    assert second.plan_id == revision.pk
    assert second.weekly_care_cost == Decimal("386.40")
    assert second.reason.startswith("Recalculated: ") and "£386.40" in second.reason
    assert CarePlan.objects.get(pk=revision.pk).person_contribution_weekly == second.weekly_amount
    assert ChargeDecision.objects.filter(person=person).count() == 2
    with pytest.raises(ValidationError):
        services.recalculate(officer, fa)  # already up to date


def test_approving_a_plan_with_s117_aftercare_stops_the_charge(
    officer, sw, manager, person, approved_plan
):
    _fa, first = complete_full(officer, person)
    assert first.weekly_amount > 0
    revision = planning_services.start_plan(sw, approved_plan.assessment)
    write_plan(sw, revision)
    revision.services.update(s117_aftercare=True)
    revision.refresh_from_db()
    planning_services.submit_plan(sw, revision, version=revision.version)
    planning_services.approve_plan(manager, revision, version=revision.version)
    now = ChargeDecision.objects.get(person=person, valid_to__isnull=True)
    assert now.weekly_amount == 0 and now.s117_aftercare
    assert CarePlan.objects.get(pk=revision.pk).person_contribution_weekly == 0


def test_declined_to_disclose_pays_the_full_cost(officer, person, approved_plan):
    fa = start(officer, person, kind=FA.Kind.DECLINED)
    fill(officer, fa, {"financial_year": "2025-26", "setting": "non_residential",
                       "weekly_care_cost": 257.6, "s117": False},
         evidence="Phoned on 2 April: does not want to give details of her savings.")  # fmt: skip
    decision = services.complete(officer, fa, version=fa.version)
    fa.refresh_from_db()
    assert fa.full_cost is True
    assert decision.weekly_amount == Decimal("257.60")
    assert decision.council_pays == Decimal("0.00")
    assert any("Declined" in s["step"] for s in fa.result["steps"])


def test_light_touch_above_the_upper_limit_pays_the_full_cost(officer, person):
    fa = start(officer, person, kind=FA.Kind.LIGHT_TOUCH)
    fill(officer, fa, {"financial_year": "2025-26", "setting": "non_residential",
                       "weekly_care_cost": 300.0, "s117": False},
         light_touch_basis=FA.LightTouchBasis.ABOVE_UPPER_LIMIT)  # fmt: skip
    decision = services.complete(officer, fa, version=fa.version)
    fa.refresh_from_db()
    assert decision.weekly_amount == Decimal("300.00")
    assert "£23,250.00" in fa.result["steps"][1]["step"]
    assert "reg 10" in fa.result["steps"][1]["source"]


def test_light_touch_free_service_is_not_charged(officer, person):
    fa = start(officer, person, kind=FA.Kind.LIGHT_TOUCH)
    fill(officer, fa, {"financial_year": "2025-26", "setting": "non_residential",
                       "weekly_care_cost": 300.0, "s117": False,
                       "free_service": "reablement_first_6_weeks"},
         light_touch_basis=FA.LightTouchBasis.FREE_SERVICE)  # fmt: skip
    decision = services.complete(officer, fa, version=fa.version)
    assert decision.weekly_amount == Decimal("0.00")
    assert decision.reason.startswith("Light-touch")


def test_light_touch_needs_a_basis(officer, person):
    fa = fill(officer, start(officer, person, kind=FA.Kind.LIGHT_TOUCH))
    with pytest.raises(ValidationError) as e:
        services.complete(officer, fa, version=fa.version)
    assert "light_touch_basis" in e.value.message_dict


def test_complete_needs_evidence_and_a_date(officer, person):
    fa = start(officer, person)
    services.save_draft(officer, fa, version=fa.version, changes={"case_input": simple_case()})
    with pytest.raises(ValidationError) as e:
        services.complete(officer, fa, version=fa.version)
    assert set(e.value.message_dict) == {"evidence", "effective_from"}


def test_engine_errors_name_the_field(officer, person):
    fa = fill(officer, start(officer, person), simple_case(financial_year="2026-27"),
              effective_from=dt.date(2026, 4, 6))  # fmt: skip
    with pytest.raises(ValidationError) as e:
        services.complete(officer, fa, version=fa.version)
    message = e.value.message_dict["financial_year"][0]
    assert message.startswith("The 2026-27 charging rates are not yet published")
    assert FA.objects.get(pk=fa.pk).status == FA.Status.DRAFT
