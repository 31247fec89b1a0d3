"""The whole life of a plan through the pages: start it from an eligible assessment, cost it,
record a direct payment, submit it (first with gaps), have it returned, put it right, have it
approved, then request and record reviews."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from carebridge.casework.models import Event
from carebridge.planning import services
from carebridge.planning.models import CarePlan, PlanDecision, PlannedService, Review
from carebridge.rules import cld
from tests.core import form_data

from .conftest import add_home_care, add_months, plan_body, service_body, url, write_plan


def test_whole_journey(client, county, sw, manager, assessment, provider):
    person = county.person_a
    today = timezone.localdate()
    client.force_login(sw)

    # Start: the page says what the plan will cover.
    start_url = reverse("planning:start", args=[person.person_id, assessment.pk])
    page = client.get(start_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Managing and maintaining nutrition" in text
    assert "Maintaining personal hygiene" in text
    assert "£240.00 a week" in text  # 28 points in the example scheme
    r = client.post(start_url, {"submission_token": form_data.token()})
    plan = CarePlan.objects.get(person=person)
    assert r.status_code == 302 and r["Location"] == url("detail", plan)
    assert set(plan.needs) == {"nutrition", "personal_hygiene"}
    assert plan.indicative_weekly == Decimal("240.00") and plan.ras_points == 28

    # Two services: home care arranged by the council, a personal assistant by direct payment.
    r = client.post(url("add-service", plan), service_body(plan.version, provider=str(provider.pk)))
    assert r.status_code == 302, r.content.decode()[:2000]
    plan.refresh_from_db()
    r = client.post(
        url("add-service", plan),
        service_body(
            plan.version,
            description="Personal assistant for shopping and the lunch club",
            service_component="Direct payment",
            delivery_mechanism="Direct payment",
            unit_cost="£15.00",
            planned_units_per_week="4",
        ),
    )
    assert r.status_code == 302
    plan.refresh_from_db()
    assert [s.weekly_cost for s in plan.services.all()] == [Decimal("257.60"), Decimal("60.00")]

    # The direct payment: its amount is the direct-payment services.
    dp_page = client.get(url("direct-payment", plan))
    assert "£60.00" in dp_page.content.decode()
    r = client.post(
        url("direct-payment", plan),
        {
            **form_data.date_parts("start_date", today),
            **form_data.date_parts("agreement_signed_on", today),
            "paid_to": "person",
            **form_data.date_parts("first_payment_on", today),
            "version": str(plan.version),
            "submission_token": form_data.token(),
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    plan.refresh_from_db()
    assert plan.direct_payment.weekly_amount == Decimal("60.00")

    # Submitting with gaps shows what is missing, linked to where to put it right.
    r = client.post(
        url("submit", plan),
        {"version": str(plan.version), "submission_token": form_data.token()},
    )
    assert r.status_code == 400
    text = r.content.decode()
    assert "The plan cannot be submitted yet" in text
    assert "Record the outcomes the person wants to achieve" in text
    assert "Record a contingency plan" in text
    assert "Say how the need &#39;Managing and maintaining nutrition&#39; will be met" in text
    assert f'href="{url("edit", plan)}#contingency_plan"' in text
    assert f'href="{url("edit", plan)}#start_date-day"' in text
    plan.refresh_from_db()
    assert plan.status == CarePlan.Status.DRAFT

    # Write the plan, and submit.
    r = client.post(url("edit", plan), plan_body(plan))
    assert r.status_code == 302, r.content.decode()[:3000]
    plan.refresh_from_db()
    assert plan.contingency_plan.startswith("If the carers cannot come")
    assert plan.needs["nutrition"]["means"] == ["commissioned_services"]
    assert plan.start_date == today
    r = client.post(
        url("submit", plan), {"version": str(plan.version), "submission_token": form_data.token()}
    )
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.status == CarePlan.Status.SUBMITTED

    # The manager returns it: reasons are required.
    client.force_login(manager)
    assert client.get(url("decide", plan)).status_code == 200
    r = client.post(
        url("decide", plan),
        {"decision": "return", "reasons": "", "version": str(plan.version),
         "submission_token": form_data.token()},
    )  # fmt: skip
    assert r.status_code == 400
    assert "Enter the reasons for returning the plan" in r.content.decode()
    reasons = "Say who the sister calls at weekends when the agency office is shut."
    r = client.post(
        url("decide", plan),
        {"decision": "return", "reasons": reasons, "version": str(plan.version),
         "submission_token": form_data.token()},
    )  # fmt: skip
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.status == CarePlan.Status.RETURNED
    assert plan.decisions.get(decision=PlanDecision.Decision.RETURNED).reasons == reasons

    # The worker sees why, puts it right and resubmits.
    client.force_login(sw)
    detail = client.get(url("detail", plan)).content.decode()
    assert reasons in detail and "Returned for changes" in detail
    r = client.post(
        url("edit", plan),
        plan_body(plan, contingency_plan="At weekends her sister calls the out-of-hours line."),
    )
    assert r.status_code == 302
    plan.refresh_from_db()
    r = client.post(
        url("submit", plan), {"version": str(plan.version), "submission_token": form_data.token()}
    )
    assert r.status_code == 302

    # The manager approves: services become CLD Service events; reviews are scheduled.
    client.force_login(manager)
    plan.refresh_from_db()
    r = client.post(
        url("decide", plan),
        {"decision": "approve", "reasons": "", "version": str(plan.version),
         "submission_token": form_data.token()},
    )  # fmt: skip
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.status == CarePlan.Status.APPROVED
    assert plan.approved_on == today and plan.approved_by == manager
    events = Event.objects.filter(person=person, event_type=cld.SERVICE).order_by("pk")
    assert [
        (e.service_type, e.service_component, e.delivery_mechanism, e.unit_cost, e.cost_frequency,
         e.planned_units_per_week, e.provider_id, e.description)
        for e in events
    ] == [
        (s.service_type, s.service_component, s.delivery_mechanism, s.unit_cost, s.cost_frequency,
         s.planned_units_per_week, s.provider_id, s.description)
        for s in PlannedService.objects.filter(plan=plan).order_by("pk")
    ]  # fmt: skip
    assert events.count() == 2
    assert set(plan.services.values_list("event_id", flat=True)) == set(
        events.values_list("pk", flat=True)
    )
    assert plan.next_review_due == today + dt.timedelta(weeks=8)
    assert plan.next_review_kind == Review.Kind.FIRST
    schedule = {r.kind: r.due for r in services.review_schedule(plan)}
    assert schedule[Review.Kind.DP_FIRST] == add_months(today, 6)  # within six months
    detail = client.get(url("detail", plan)).content.decode()
    assert "Direct payment review (within 6 months)" in detail

    # A review is asked for: it is due at once.
    client.force_login(sw)
    r = client.post(
        url("request-review", plan),
        {**form_data.date_parts("requested_on", today), "requested_by": "Her sister",
         "reason": "Falls at night since the last visit.", "submission_token": form_data.token()},
    )  # fmt: skip
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.next_review_due == today and plan.next_review_kind == Review.Kind.UNPLANNED

    # The review is recorded: a CLD Review event; the next review in twelve months.
    page = client.get(url("review", plan)).content.decode()
    assert "Falls at night" in page
    r = client.post(
        url("review", plan),
        {
            **form_data.date_parts("completed_on", today),
            "method_of_review": "Service User and Carer",
            "outcomes_achieved": "Eating a hot meal every day; washing with help.",
            "direct_payment_working": "The personal assistant is reliable.",
            "cld_outcome": "Continuation of support or services",
            "leads_to_reassessment": "no",
            "submission_token": form_data.token(),
        },
    )
    assert r.status_code == 302 and r["Location"] == url("detail", plan) + "#reviews"
    review = Review.objects.get(plan=plan)
    assert review.status == Review.Status.COMPLETED and review.kind == Review.Kind.UNPLANNED
    assert review.direct_payment_working == "The personal assistant is reliable."
    assert review.event.event_type == cld.REVIEW
    assert review.event.outcome == "Continuation of support or services"
    assert review.event.method_of_review == "Service User and Carer"
    # Unplanned: how far the outcomes were met may be left blank (fields.csv).
    assert review.review_reason.startswith("Unplanned") and review.cld_outcomes_achieved == ""
    plan.refresh_from_db()
    assert plan.next_review_due == add_months(today, 12)


def test_review_next_due_in_twelve_months(client, county, sw, approved_plan):
    today = timezone.localdate()
    plan = approved_plan
    assert plan.next_review_due == today + dt.timedelta(weeks=8)
    client.force_login(sw)
    page = client.get(url("review", plan)).content.decode()
    assert "First review (6 to 8 weeks)" in page
    r = client.post(
        url("review", plan),
        {
            **form_data.date_parts("completed_on", today),
            "method_of_review": "Service User Only",
            "outcomes_achieved": "Eating regularly again.",
            "cld_outcomes_achieved": "Fully Met",
            "cld_outcome": "Continuation of support or services",
            "leads_to_reassessment": "no",
            "submission_token": form_data.token(),
        },
    )
    assert r.status_code == 302
    plan.refresh_from_db()
    review = plan.reviews.get()
    assert review.kind == Review.Kind.FIRST
    assert review.event.event_type == cld.REVIEW
    assert review.cld_outcomes_achieved == review.event.review_outcomes_achieved == "Fully Met"
    assert review.event.outcome == "Continuation of support or services"
    assert plan.next_review_due == add_months(today, 12)
    assert plan.next_review_kind == Review.Kind.ANNUAL


def test_review_that_leads_to_reassessment_goes_to_start_one(client, county, sw, approved_plan):
    client.force_login(sw)
    r = client.post(
        url("review", approved_plan),
        {
            **form_data.date_parts("completed_on", timezone.localdate()),
            "method_of_review": "Service User Only",
            "outcomes_achieved": "Needs have grown since the fall.",
            "cld_outcomes_achieved": "Not Met",
            "cld_outcome": "Progress to assessment, review or reassessment",
            "leads_to_reassessment": "yes",
            "submission_token": form_data.token(),
        },
    )
    assert r.status_code == 302
    assert r["Location"] == reverse("assessments:start", args=[county.person_a.person_id])
    follow = client.get(r["Location"])
    assert "Start the reassessment" in follow.content.decode()
    assert approved_plan.reviews.get().leads_to_reassessment


def test_review_errors_are_clear(client, county, sw, approved_plan):
    client.force_login(sw)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    r = client.post(
        url("review", approved_plan),
        {**form_data.date_parts("completed_on", tomorrow), "submission_token": form_data.token()},
    )
    assert r.status_code == 400
    text = r.content.decode()
    assert "Select who took part in the review" in text
    assert "Record what the person has achieved against their outcomes" in text
    assert "Select the outcome of the review" in text
    assert "Select yes if the review leads to a reassessment" in text
    assert not approved_plan.reviews.exists()


def test_a_revised_plan_copies_the_services_and_ends_the_old_one(
    sw, manager, county, approved_plan
):
    from .conftest import complete_eligible_assessment

    reassessment = complete_eligible_assessment(sw, county.person_a)
    revised = services.start_plan(sw, reassessment)
    assert revised.supersedes == approved_plan
    assert revised.services.count() == 1
    write_plan(sw, revised)
    add_home_care(sw, revised, description="Extra evening visit", planned_units_per_week=Decimal(3))
    services.submit_plan(sw, revised, version=revised.version)
    services.approve_plan(manager, revised, version=revised.version)
    approved_plan.refresh_from_db()
    assert approved_plan.status == CarePlan.Status.ENDED
    old_events = Event.objects.filter(pk__in=approved_plan.services.values("event_id"))
    assert all(e.end_date is not None for e in old_events)


def test_start_page_explains_when_there_is_nothing_to_plan(client, county, sw):
    from carebridge.assessments import services as assessment_services

    a = assessment_services.start_assessment(sw, county.person_a, kind="adult")
    client.force_login(sw)
    page = client.get(reverse("planning:start", args=[county.person_a.person_id, a.pk]))
    assert page.status_code == 200
    assert "Complete the assessment before writing a plan" in page.content.decode()
    r = client.post(
        reverse("planning:start", args=[county.person_a.person_id, a.pk]),
        {"submission_token": form_data.token()},
    )
    assert r.status_code == 400
    assert not CarePlan.objects.exists()


def test_remove_service(client, sw, plan):
    service = add_home_care(sw, plan)
    plan.refresh_from_db()
    client.force_login(sw)
    body = {"version": str(plan.version), "submission_token": form_data.token()}
    r = client.post(url("remove-service", plan, service.pk), body)
    assert r.status_code == 302
    assert not plan.services.exists()
    # Sent again: nothing else happens.
    r = client.post(url("remove-service", plan, service.pk), body)
    assert r.status_code == 302
    assert client.get(url("remove-service", plan, service.pk)).status_code == 405


# --- How far the outcomes were met (CLD Review_Outcomes_Achieved, fields.csv) -----------------


def _review_body(**extra):
    return {
        **form_data.date_parts("completed_on", timezone.localdate()),
        "method_of_review": "Service User Only",
        "outcomes_achieved": "Eating regularly again.",
        "cld_outcome": "Continuation of support or services",
        "leads_to_reassessment": "no",
        "submission_token": form_data.token(),
        **extra,
    }


def test_a_planned_review_without_outcomes_achieved_is_refused(client, sw, approved_plan):
    client.force_login(sw)
    page = client.get(url("review", approved_plan)).content.decode()
    assert "How far were the person&#39;s outcomes met?" in page or (
        "How far were the person's outcomes met?" in page
    )
    events = Event.objects.filter(event_type=cld.REVIEW).count()
    r = client.post(url("review", approved_plan), _review_body())
    assert r.status_code == 400
    page = r.content.decode()
    assert "fully met, partially met or not met" in page
    assert 'href="#cld_outcomes_achieved"' in page
    assert not approved_plan.reviews.exists()
    assert Event.objects.filter(event_type=cld.REVIEW).count() == events


def test_outcomes_achieved_shows_with_the_form_s_own_errors(client, sw, approved_plan):
    client.force_login(sw)
    r = client.post(url("review", approved_plan), _review_body(outcomes_achieved=""))
    assert r.status_code == 400
    page = r.content.decode()
    assert "Record what the person has achieved" in page
    assert "fully met, partially met or not met" in page


def test_the_service_refuses_a_planned_review_without_outcomes_and_checks_the_list(
    sw, approved_plan
):
    kwargs = dict(
        completed_on=timezone.localdate(),
        method_of_review="Service User Only",
        outcomes_achieved="Eating regularly again.",
        cld_outcome="Continuation of support or services",
        leads_to_reassessment=False,
    )
    with pytest.raises(ValidationError) as e:
        services.complete_review(sw, approved_plan, **kwargs)
    assert "cld_outcomes_achieved" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.complete_review(sw, approved_plan, cld_outcomes_achieved="Mostly", **kwargs)
    assert "from the options" in e.value.message_dict["cld_outcomes_achieved"][0]
    assert not approved_plan.reviews.exists()
    review = services.complete_review(
        sw, approved_plan, cld_outcomes_achieved="Partially Met", **kwargs
    )
    assert review.review_reason == "Planned"
    assert review.cld_outcomes_achieved == review.event.review_outcomes_achieved
    assert review.event.review_outcomes_achieved == "Partially Met"
