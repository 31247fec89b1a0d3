"""The safeguarding services: who may do what, the s42 criteria enforced (by the service and
by the database), what concluding needs, two people editing one enquiry, and bad input that
writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.organisations.models import Organisation
from carebridge.rules import safeguarding as sg
from carebridge.safeguarding import services
from carebridge.safeguarding.models import (
    Concern,
    ConcernRiskType,
    Enquiry,
    S42Decision,
    SafeguardingPlan,
)
from tests.factories import OrganisationFactory
from tests.planning.factories import ProviderFactory

from . import factories as f

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Concern.objects.count(),
        ConcernRiskType.objects.count(),
        S42Decision.objects.count(),
        Enquiry.objects.count(),
        AuditEvent.objects.count(),
    )


# --- raising a concern ----------------------------------------------------------------------------


def test_anyone_working_with_the_record_raises_a_concern_and_it_is_audited(county, nhs):
    concern = f.raise_concern(nhs, county.person_a_team)
    assert concern.received_on == timezone.localdate()
    assert set(concern.risk_types.values_list("risk_type", flat=True)) == {"physical", "financial"}
    event = AuditEvent.objects.get(object_type="safeguarding.concern", object_id=str(concern.pk))
    assert event.person_id == county.person_a_team.pk and event.actor == nhs
    assert event.changes["after"]["risk_types"] == ["physical", "financial"]


@pytest.mark.parametrize(
    "role", [Role.COMMISSIONER, Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMINISTRATOR]
)
def test_roles_without_case_records_cannot_raise_one(county, role):
    with pytest.raises(PermissionDenied):
        f.raise_concern(county.workers[role], county.person_a)
    assert Concern.objects.count() == 0


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"risk_types": []}, "risk_types"),
        ({"risk_types": ["physical", "bogus"]}, "risk_types"),
        ({"location_of_risk": "moon"}, "location_of_risk"),
        ({"source_of_risk": ""}, "source_of_risk"),
        ({"source": "x"}, "source"),
        ({"raised_by_name": "  "}, "raised_by_name"),
        ({"details": ""}, "details"),
        ({"raised_by_role": "x" * 201}, "raised_by_role"),
        ({"received_at": timezone.now() + dt.timedelta(hours=2)}, "received_at"),
        ({"source_relationship": "cousin"}, "source_relationship"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(county, sw, over, field):
    before = _counts()
    with pytest.raises(ValidationError) as e:
        f.raise_concern(sw, county.person_a, **over)
    assert field in e.value.message_dict
    assert _counts() == before


def test_a_provider_is_named_only_as_a_service_provider_source(county, sw):
    home = ProviderFactory()
    with pytest.raises(ValidationError) as e:
        f.raise_concern(sw, county.person_a, source_provider=home, source_of_risk=sg.KNOWN)
    assert "Service Provider" in e.value.message_dict["source_provider"][0]
    with pytest.raises(ValidationError) as e:
        f.raise_concern(
            sw, county.person_a, source_provider=county.trust, source_of_risk=sg.SERVICE_PROVIDER
        )
    assert e.value.message_dict["source_provider"] == ["Select a care provider"]
    ok = f.raise_concern(
        sw, county.person_a, source_provider=home, source_of_risk=sg.SERVICE_PROVIDER
    )
    assert ok.source_provider == home
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Concern.objects.filter(pk=ok.pk).update(source_of_risk=sg.KNOWN)


# --- the decision ---------------------------------------------------------------------------------


def test_a_section_42_decision_starts_an_enquiry_led_by_whoever_is_named(county, sw, lead):
    concern = f.raise_concern(sw, county.person_a)
    decision = f.decide(lead, concern, lead_enquirer=sw)
    enquiry = Enquiry.objects.get(concern=concern)
    assert (enquiry.kind, enquiry.started_on, enquiry.lead_enquirer) == (
        sg.S42_ENQUIRY,
        decision.decided_on,
        sw,
    )
    concern.refresh_from_db()
    assert concern.closed_on is None and concern.version == 2


def test_another_route_closes_the_concern_with_no_enquiry(county, sw, lead):
    concern = f.raise_concern(sw, county.person_a)
    f.decide(lead, concern, result=sg.OTHER_ROUTE, route="signpost")
    concern.refresh_from_db()
    assert concern.closed_on == concern.received_on
    assert not Enquiry.objects.exists()


def test_only_safeguarding_leads_and_team_managers_decide(county, sw):
    concern = f.raise_concern(sw, county.person_a)
    with pytest.raises(PermissionDenied):
        f.decide(sw, concern)
    f.decide(county.workers[Role.TEAM_MANAGER], concern)


def test_the_criteria_decide_the_result_and_a_refusal_writes_nothing(county, sw, lead):
    concern = f.raise_concern(sw, county.person_a)
    before = _counts()
    not_all = {**f.YES, "unable_to_protect": False}
    with pytest.raises(ValidationError) as e:
        f.decide(lead, concern, result=sg.S42_ENQUIRY, answers=not_all)
    assert "needs all three" in e.value.message_dict["result"][0]
    with pytest.raises(ValidationError) as e:
        f.decide(lead, concern, result=sg.OTHER_ENQUIRY, answers=f.YES)
    assert "must make enquiries" in e.value.message_dict["result"][0]
    assert _counts() == before
    f.decide(lead, concern, result=sg.OTHER_ENQUIRY, answers=not_all)
    assert Enquiry.objects.get(concern=concern).kind == sg.OTHER_ENQUIRY


def test_the_database_refuses_a_section_42_enquiry_without_all_three(county, sw, lead):
    concern = f.raise_concern(sw, county.person_a)
    decision = f.decide(lead, concern)
    with pytest.raises(IntegrityError), transaction.atomic():
        S42Decision.objects.filter(pk=decision.pk).update(unable_to_protect=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        S42Decision.objects.filter(pk=decision.pk).update(result=sg.OTHER_ENQUIRY)


def test_a_concern_is_decided_once(county, sw, lead):
    concern = f.raise_concern(sw, county.person_a)
    f.decide(lead, concern)
    with pytest.raises(ValidationError) as e:
        f.decide(county.workers[Role.TEAM_MANAGER], concern)
    assert "already been recorded" in e.value.messages[0]
    assert S42Decision.objects.count() == 1


def test_a_lead_enquirer_must_be_able_to_lead_one(county, sw, lead):
    concern = f.raise_concern(sw, county.person_a)
    with pytest.raises(ValidationError) as e:
        f.decide(lead, concern, lead_enquirer=county.workers[Role.COMMISSIONER])
    assert "lead_enquirer" in e.value.message_dict
    assert not S42Decision.objects.exists()


# --- the enquiry ----------------------------------------------------------------------------------


@pytest.fixture
def enquiry(county, sw, lead):
    concern = f.raise_concern(sw, county.person_a)
    f.decide(lead, concern)
    return Enquiry.objects.get(concern=concern)


def test_a_second_edit_over_an_unseen_change_is_refused_and_the_first_kept(enquiry, sw, lead):
    opened = enquiry.version
    services.update_enquiry(
        sw, enquiry, version=opened, lead_enquirer=sw, enquiry_plan="Visit on Monday"
    )
    with pytest.raises(services.Conflict) as e:
        services.update_enquiry(
            lead, enquiry, version=opened, lead_enquirer=lead, enquiry_plan="Phone the police"
        )
    assert "changed this enquiry" in str(e.value) and "have not been saved" in str(e.value)
    enquiry.refresh_from_db()
    assert (enquiry.enquiry_plan, enquiry.lead_enquirer, enquiry.version) == (
        "Visit on Monday",
        sw,
        opened + 1,
    )


def test_saving_nothing_new_changes_nothing(enquiry, sw):
    enquiry = services.update_enquiry(
        sw, enquiry, version=enquiry.version, lead_enquirer=enquiry.lead_enquirer, enquiry_plan=""
    )
    assert enquiry.version == 1


def test_outcomes_asked_need_a_date_and_expressed_ones_their_words(enquiry, sw):
    with pytest.raises(ValidationError) as e:
        services.record_outcomes_asked(
            sw,
            enquiry,
            version=1,
            msp_asked=sg.MSP_EXPRESSED,
            outcomes_asked_on=None,
            desired_outcomes="",
        )
    assert set(e.value.message_dict) == {"outcomes_asked_on", "desired_outcomes"}
    with pytest.raises(ValidationError) as e:
        services.record_outcomes_asked(
            sw,
            enquiry,
            version=1,
            msp_asked=sg.MSP_NOT_RECORDED,
            outcomes_asked_on=None,
            desired_outcomes="",
        )
    assert "msp_asked" in e.value.message_dict
    enquiry.refresh_from_db()
    assert enquiry.msp_asked == "" and enquiry.version == 1
    services.record_outcomes_asked(
        sw,
        enquiry,
        version=1,
        msp_asked=sg.MSP_NOT_ASKED,
        outcomes_asked_on=timezone.localdate(),
        desired_outcomes="",
    )
    enquiry.refresh_from_db()
    assert enquiry.outcomes_asked_on is None  # not asked: no date kept


def test_concluding_needs_the_outcomes_and_says_so(enquiry, lead):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as e:
        services.conclude(
            lead,
            enquiry,
            version=1,
            concluded_on=today,
            risk_outcome="",
            msp_achieved="",
            conclusion="",
        )
    assert set(e.value.message_dict) == {"risk_outcome", "msp_asked", "substantial_difficulty"}
    enquiry.refresh_from_db()
    assert enquiry.is_open and enquiry.version == 1


def test_concluding_closes_the_plan_and_the_concern(enquiry, sw, lead):
    today = timezone.localdate()
    enquiry = f.ready_to_conclude(sw, enquiry)
    services.save_plan(
        sw, enquiry, version=None, details="Daily visits", started_on=today, review_due=None
    )
    with pytest.raises(ValidationError) as e:
        services.conclude(
            lead,
            enquiry,
            version=enquiry.version,
            concluded_on=today,
            risk_outcome=sg.RISK_REMOVED,
            msp_achieved=sg.ACHIEVED_FULLY,
            conclusion="",
        )
    assert "plan_after" in e.value.message_dict
    services.conclude(
        lead,
        enquiry,
        version=enquiry.version,
        concluded_on=today,
        risk_outcome=sg.RISK_REMOVED,
        msp_achieved=sg.ACHIEVED_FULLY,
        conclusion="Safe",
        plan_after=sg.PLAN_CLOSE,
    )
    enquiry.refresh_from_db()
    assert enquiry.concluded_by == lead and enquiry.risk_outcome == sg.RISK_REMOVED
    assert SafeguardingPlan.objects.get(enquiry=enquiry).closed_on == today
    assert enquiry.concern.closed_on == today
    # Concluded: nothing more can be changed or added.
    with pytest.raises(ValidationError):
        services.add_action(sw, enquiry, taken_on=today, description="Late note")
    with pytest.raises(ValidationError):
        services.update_enquiry(
            sw, enquiry, version=enquiry.version, lead_enquirer=sw, enquiry_plan="x"
        )


def test_a_plan_kept_after_the_enquiry_has_a_review_date(enquiry, sw, lead):
    today = timezone.localdate()
    enquiry = f.ready_to_conclude(sw, enquiry)
    plan = services.save_plan(
        sw, enquiry, version=None, details="Visits", started_on=today, review_due=None
    )
    services.conclude(
        lead,
        enquiry,
        version=enquiry.version,
        concluded_on=today,
        risk_outcome=sg.RISK_REMAINS,
        msp_achieved=sg.ACHIEVED_PARTIALLY,
        conclusion="",
        plan_after=sg.PLAN_CONTINUE,
        plan_review_due=today + dt.timedelta(days=30),
    )
    plan.refresh_from_db()
    assert plan.is_open and plan.review_due == today + dt.timedelta(days=30)
    # Reviewed later, and closed.
    services.review_plan(
        sw, plan, reviewed_on=today, notes="Settled", close=True, next_review_due=None
    )
    plan.refresh_from_db()
    assert plan.closed_on == today and plan.review_due is None


def test_only_safeguarding_deciders_conclude(enquiry, sw):
    enquiry = f.ready_to_conclude(sw, enquiry)
    with pytest.raises(PermissionDenied):
        services.conclude(
            sw,
            enquiry,
            version=enquiry.version,
            concluded_on=timezone.localdate(),
            risk_outcome=sg.NO_RISK,
            msp_achieved=sg.ACHIEVED_FULLY,
            conclusion="",
        )


def test_the_database_refuses_a_conclusion_without_its_outcomes(enquiry):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enquiry.objects.filter(pk=enquiry.pk).update(concluded_on=timezone.localdate())


def test_advocacy_is_needed_without_an_appropriate_person(enquiry, sw, lead):
    enquiry = services.record_advocacy(
        sw,
        enquiry,
        version=1,
        substantial_difficulty=True,
        appropriate_person="",
        advocate_referred_on=None,
    )
    enquiry = services.record_outcomes_asked(
        sw,
        enquiry,
        version=enquiry.version,
        msp_asked=sg.MSP_NONE_EXPRESSED,
        outcomes_asked_on=timezone.localdate(),
        desired_outcomes="",
    )
    with pytest.raises(ValidationError) as e:
        services.conclude(
            lead,
            enquiry,
            version=enquiry.version,
            concluded_on=timezone.localdate(),
            risk_outcome=sg.NO_RISK,
            msp_achieved="",
            conclusion="",
        )
    assert "advocate" in e.value.message_dict["advocate_referred_on"][0]
    with pytest.raises(ValidationError) as e:
        services.record_advocacy(
            sw,
            enquiry,
            version=enquiry.version,
            substantial_difficulty=False,
            appropriate_person="Her son",
            advocate_referred_on=None,
        )
    assert "appropriate_person" in e.value.message_dict


def test_actions_and_meetings_are_dated_from_the_concern(enquiry, sw):
    early = enquiry.concern.received_on - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as e:
        services.add_action(sw, enquiry, taken_on=early, description="x")
    assert "on or after the concern was received" in e.value.message_dict["taken_on"][0]
    with pytest.raises(ValidationError) as e:
        services.add_meeting(sw, enquiry, held_on=None, attendees="", decisions="")
    assert set(e.value.message_dict) == {"held_on", "attendees", "decisions"}
    services.add_meeting(
        sw, enquiry, held_on=timezone.localdate(), attendees="Police", decisions="Interview"
    )
    assert enquiry.meetings.count() == 1


def test_the_plan_is_optimistically_locked(enquiry, sw, lead):
    today = timezone.localdate()
    plan = services.save_plan(
        sw, enquiry, version=None, details="A", started_on=today, review_due=None
    )
    services.save_plan(
        sw, enquiry, version=plan.version, details="B", started_on=today, review_due=None
    )
    with pytest.raises(services.Conflict):
        services.save_plan(
            lead, enquiry, version=plan.version, details="C", started_on=today, review_due=None
        )
    plan.refresh_from_db()
    assert plan.details == "B"


def test_an_organisation_that_is_not_a_provider_is_refused(county, sw):
    icb = OrganisationFactory(kind=Organisation.ICB)
    with pytest.raises(ValidationError):
        f.raise_concern(
            sw, county.person_a, source_provider=icb, source_of_risk=sg.SERVICE_PROVIDER
        )
