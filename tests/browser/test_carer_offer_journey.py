"""A social worker offers an unpaid carer an assessment of their own (Care Act s10), in a real
browser: from the page of the woman he cares for, they see the offer is overdue, record it, get
told what is missing when the carer's refusal has no reason, give the reason in his words, and
see the refusal in the carers section. The duty is then met, in the same request. Every page is
checked with axe for WCAG 2.2 AA."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carebridge.duties import services as duty_services
from carebridge.duties.models import DutyState
from carebridge.people.models import CarerAssessmentOffer
from carebridge.rules import carers, cld
from tests.factories import EventFactory, PersonFactory
from tests.people.factories import CarerRelationshipFactory

from .steps import (
    given_i_am_signed_in_as,
    then_i_see,
    then_i_see_the_heading,
    then_the_error_link_takes_me_to,
    then_the_error_summary_says,
    then_the_page_is_accessible,
    when_i_fill_in_the_date,
    when_i_open,
    when_i_press,
    when_i_type,
)

pytestmark = pytest.mark.browser

REASON = "My son comes at weekends, I'm all right for now."


def test_social_worker_records_a_carers_refusal_of_an_assessment(page, county, axe_path):
    anna = county.person_a
    today = timezone.localdate()
    colin = PersonFactory(given_name="Colin", family_name="Carer")
    CarerRelationshipFactory(carer=colin, cared_for=anna, started_on=today - dt.timedelta(days=90))
    EventFactory(
        person=anna,
        event_type=cld.SERVICE,
        start_date=today - dt.timedelta(days=60),
        end_date=None,
        outcome="",
        route_of_access="",
        service_type="Long term support: Community",
        service_component="Home care",
    )
    duty_services.refresh_people([colin.pk])
    assert DutyState.objects.get(person=colin).state == "overdue"

    given_i_am_signed_in_as(page, "social_worker")
    page.goto(f"/people/{anna.person_id}/")
    then_i_see(page, "Cared for by")
    when_i_open(page, "Record an offer of a carer's assessment to Colin Carer")
    then_i_see_the_heading(page, "Record an offer of a carer's assessment")
    then_i_see(page, "Colin Carer, unpaid carer of Anna Allocated")
    then_the_page_is_accessible(page, axe_path, "the offer form")

    page.get_by_label("In person").check()
    page.get_by_role("group", name="The carer's response").get_by_label("Declined").check()
    when_i_fill_in_the_date(page, "Date of the response (if they answered)", today)
    when_i_press(page, "Record the offer")

    then_the_error_summary_says(page, "Enter the carer's reason for declining, in their words")
    then_the_page_is_accessible(page, axe_path, "the offer form with an error")
    then_the_error_link_takes_me_to(
        page,
        "Enter the carer's reason for declining, in their words",
        "If they declined: their reason, in their words",
    )
    assert not CarerAssessmentOffer.objects.exists()
    when_i_type(page, "If they declined: their reason, in their words", REASON)
    when_i_press(page, "Record the offer")

    then_i_see(page, "Recorded: the carer declined a carer's assessment")
    carers_section = page.get_by_test_id("carer-offers")
    expect(carers_section).to_contain_text("Declined")
    expect(carers_section).to_contain_text(REASON)
    then_the_page_is_accessible(page, axe_path, "the person's page with the offer")
    offer = CarerAssessmentOffer.objects.get()
    assert (offer.carer, offer.response, offer.declined_reason) == (colin, carers.DECLINED, REASON)
    state = DutyState.objects.get(person=colin)
    assert (state.state, state.met_on) == ("met_late", today)
