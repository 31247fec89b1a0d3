"""s117 aftercare in the charging engine: a home care service funded under open aftercare is
never charged for (£0 a week, with the reason), a charge is refused with a clear message, and
the person's other Care Act services stay chargeable (only the aftercare is free)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carebridge.finance import s117
from carebridge.finance import services as finance
from carebridge.finance.models import ChargeDecision
from carebridge.mentalhealth import aftercare_services as services
from carebridge.planning import services as planning
from tests.finance.conftest import complete_full
from tests.finance.factories import simple_case
from tests.planning.conftest import add_home_care, write_plan

from .test_services import _end


def _fund(sw, episode, service):
    return services.record_funding(
        sw, episode, planned_service=service, given_as="percentages",
        council_percent=Decimal(50), icb_percent=Decimal(50),
    )  # fmt: skip


def test_home_care_under_s117_produces_no_charge(officer, sw, person, episode, approved_plan):
    _fund(sw, episode, approved_plan.services.get())
    assert s117.applies(person.pk, approved_plan.pk)
    fa, decision = complete_full(officer, person, simple_case(s117=False))
    assert decision.weekly_amount == Decimal("0.00")
    assert decision.s117_aftercare is True
    assert decision.reason == s117.NO_CHARGE_REASON
    assert fa.case_input["s117"] is True


def test_a_charge_for_it_is_refused_with_a_clear_message(
    officer, sw, person, episode, approved_plan
):
    _fund(sw, episode, approved_plan.services.get())
    fa, _ = complete_full(officer, person)
    with pytest.raises(ValidationError) as e:
        finance.decide_charge(
            officer, fa, plan=approved_plan, weekly_amount=Decimal("25.00"),
            valid_from=timezone.localdate() + dt.timedelta(days=1), reason="Trying",
        )  # fmt: skip
    assert e.value.messages[0] == s117.REFUSED.format(who="the person")
    with pytest.raises(ValidationError):
        ChargeDecision(
            person=person, plan=None, financial_assessment=fa, weekly_amount=Decimal("1.00"),
            valid_from=timezone.localdate(), reason="ORM",
        ).save()  # fmt: skip


def test_funding_a_service_recalculates_an_existing_charge_to_nothing(
    officer, sw, person, episode, approved_plan
):
    _, first = complete_full(officer, person)
    assert first.weekly_amount > 0
    _fund(sw, episode, approved_plan.services.get())
    now = ChargeDecision.objects.get(person=person, valid_to__isnull=True)
    assert now.weekly_amount == 0 and now.s117_aftercare and now.reason == s117.NO_CHARGE_REASON


def test_the_joint_end_makes_the_service_chargeable_again(
    officer, sw, tm, person, episode, approved_plan
):
    _fund(sw, episode, approved_plan.services.get())
    complete_full(officer, person)
    _end(tm, episode)
    now = ChargeDecision.objects.get(person=person, valid_to__isnull=True)
    assert now.weekly_amount > 0 and not now.s117_aftercare
    assert now.reason == "Recalculated: S117 aftercare has ended"


@pytest.fixture
def mixed_plan(sw, manager, assessment, approved_plan, provider):
    """A revision with the home care (to be s117) and a day centre for a physical need
    (£42.00 a week), approved."""
    revision = planning.start_plan(sw, assessment)
    write_plan(sw, revision)
    revision.refresh_from_db()
    add_home_care(
        sw, revision, provider, description="Day centre (arthritis)",
        service_type="Long term support: Community", service_component="Day support",
        unit_cost=Decimal("42.00"), cost_frequency="Per session",
        planned_units_per_week=Decimal("1"),
    )  # fmt: skip
    revision.refresh_from_db()
    planning.submit_plan(sw, revision, version=revision.version)
    return planning.approve_plan(manager, revision, version=revision.version)


def test_other_care_act_services_stay_chargeable(officer, sw, person, episode, mixed_plan):
    home_care = mixed_plan.services.get(description__startswith="Home care")
    _fund(sw, episode, home_care)
    care = s117.chargeable_care(mixed_plan)
    assert care.s117_weekly == home_care.weekly_cost
    assert care.chargeable_weekly == Decimal("42.00")
    assert not s117.applies(person.pk, mixed_plan.pk)
    assert s117.charge_limit(person.pk, mixed_plan.pk) == Decimal("42.00")
    # The officer types the whole cost: the charge is worked out on the other care only.
    fa, decision = complete_full(officer, person, simple_case(weekly_care_cost=299.6))
    assert Decimal("0") < decision.weekly_amount <= Decimal("42.00")
    assert not decision.s117_aftercare
    assert any(
        "s117 aftercare, which is never charged for" in s["step"] for s in fa.result["steps"]
    )
    # Above the cost of the other care is refused, saying why.
    with pytest.raises(ValidationError) as e:
        finance.decide_charge(
            officer, fa, plan=mixed_plan, weekly_amount=Decimal("100.00"),
            valid_from=timezone.localdate() + dt.timedelta(days=1), reason="Too much",
        )  # fmt: skip
    assert e.value.messages[0].startswith("A charge cannot be more than £42.00 a week")


def test_a_new_assessment_starts_from_the_chargeable_cost(officer, sw, person, episode, mixed_plan):
    _fund(sw, episode, mixed_plan.services.get(description__startswith="Home care"))
    case = finance.initial_case(person, financial_year="2025-26", setting="non_residential",
                                on=timezone.localdate())  # fmt: skip
    assert case["weekly_care_cost"] == 42.0 and case["s117"] is False


def test_open_aftercare_and_no_plan_is_not_charged(person, episode):
    assert s117.person_has_open_s117(person.pk)
    assert s117.applies(person.pk, None)


def test_the_finance_page_says_what_is_free(client, officer, sw, person, episode, mixed_plan):
    from tests.finance.conftest import start

    _fund(sw, episode, mixed_plan.services.get(description__startswith="Home care"))
    fa = start(officer, person)
    client.force_login(officer)
    html = client.get(
        f"/people/{person.person_id}/financial-assessments/{fa.pk}/edit/"
    ).content.decode()
    assert "Only the other care (£42.00 a week) can be charged for" in html
