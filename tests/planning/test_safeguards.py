"""Nothing is lost or doubled: two workers editing the same plan, a form sent twice, and input
that cannot be saved as typed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from carebridge.core.models import AuditEvent
from carebridge.planning.models import CarePlan, DirectPaymentAgreement, PlannedService
from tests.core import form_data

from .conftest import add_home_care, plan_body, service_body, url


def test_two_workers_editing_the_same_version(make_client, sw, manager, plan):
    first, second = make_client(), make_client()
    first.force_login(sw)
    second.force_login(manager)  # a team manager can write plans too
    assert first.get(url("edit", plan)).status_code == 200
    assert second.get(url("edit", plan)).status_code == 200
    loaded = plan.version

    r = first.post(url("edit", plan), plan_body(plan, contingency_plan="Sister steps in."))
    assert r.status_code == 302

    theirs = "Neighbour has a key and will check on her."
    r = second.post(
        url("edit", plan), plan_body(plan, version=str(loaded), contingency_plan=theirs)
    )
    assert r.status_code == 409
    text = r.content.decode()
    assert "Someone else changed this" in text
    assert "changed this plan at" in text and str(sw) in text
    assert theirs in text  # what they typed is still in the box
    assert f'name="version" value="{loaded + 1}"' in text  # saving again saves over
    plan.refresh_from_db()
    assert plan.contingency_plan == "Sister steps in."
    assert plan.version == loaded + 1


def test_adding_a_service_twice_with_the_same_token_adds_one(client, sw, plan):
    client.force_login(sw)
    body = service_body(plan.version)
    first = client.post(url("add-service", plan), body)
    second = client.post(url("add-service", plan), body)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == url("detail", plan)
    assert PlannedService.objects.filter(plan=plan).count() == 1
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.CREATE, object_type="planning.plannedservice"
        ).count()
        == 1
    )
    follow = client.get(second["Location"]).content.decode()
    assert "This service was already added: you sent it twice." in follow


def test_starting_twice_starts_one_plan(client, county, sw, assessment):
    from django.urls import reverse

    client.force_login(sw)
    body = {"submission_token": form_data.token()}
    start = reverse("planning:start", args=[county.person_a.person_id, assessment.pk])
    client.post(start, body)
    client.post(start, body)
    assert CarePlan.objects.filter(person=county.person_a).count() == 1


def test_submitting_twice_records_one_submission(client, sw, plan):
    from .conftest import write_plan

    write_plan(sw, plan)
    add_home_care(sw, plan)
    client.force_login(sw)
    body = {"version": str(plan.version), "submission_token": form_data.token()}
    assert client.post(url("submit", plan), body).status_code == 302
    assert client.post(url("submit", plan), body).status_code == 302
    assert plan.decisions.count() == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "The unit cost must be £0.00 or more"),
        ("-£5.00", "The unit cost must be £0.00 or more"),
        ("abc", "Enter the unit cost in pounds and pence, like 18.40"),
        ("", "Enter the unit cost in pounds and pence, like 18.40"),
        ("18.405", "no more than 2 numbers after the decimal point"),
        ("1e3", "Enter the unit cost in pounds and pence, like 18.40"),
    ],
)
def test_unit_cost_that_cannot_be_saved(client, sw, plan, typed, message):
    client.force_login(sw)
    r = client.post(url("add-service", plan), service_body(plan.version, unit_cost=typed))
    assert r.status_code == 400
    text = r.content.decode()
    assert "There is a problem" in text and message in text
    assert f'value="{typed}"' in text  # what was typed is kept
    assert not PlannedService.objects.exists()


@pytest.mark.parametrize(
    ("typed", "cost"), [("£1,234.50", Decimal("1234.50")), ("18.4", Decimal("18.40"))]
)
def test_unit_cost_as_people_type_it(client, sw, plan, typed, cost):
    client.force_login(sw)
    r = client.post(url("add-service", plan), service_body(plan.version, unit_cost=typed))
    assert r.status_code == 302
    assert PlannedService.objects.get().unit_cost == cost


def test_units_and_choices_that_cannot_be_saved(client, sw, plan):
    client.force_login(sw)
    r = client.post(
        url("add-service", plan),
        service_body(
            plan.version,
            planned_units_per_week="-1",
            service_type="Home care",  # not a CLD Release 2 value
            delivery_mechanism="",
        ),
    )
    assert r.status_code == 400
    text = r.content.decode()
    assert "Planned units per week must be 0 or more" in text
    assert "Choose service type from the options given" in text
    assert "Select delivery mechanism" in text
    assert not PlannedService.objects.exists()


def test_impossible_date(client, sw, plan):
    add_home_care(sw, plan, delivery_mechanism="Direct payment", service_component="Direct payment")
    plan.refresh_from_db()
    client.force_login(sw)
    r = client.post(
        url("direct-payment", plan),
        {
            "start_date-day": "31",
            "start_date-month": "2",
            "start_date-year": "2026",
            "paid_to": "person",
            "version": str(plan.version),
            "submission_token": form_data.token(),
        },
    )
    assert r.status_code == 400
    text = r.content.decode()
    assert "Date the direct payment starts must be a real date" in text
    assert 'href="#start_date-day"' in text
    assert not DirectPaymentAgreement.objects.exists()

    r = client.post(url("edit", plan), plan_body(plan, **{"start_date-day": "31",
                                                          "start_date-month": "2"}))  # fmt: skip
    assert r.status_code == 400
    assert "Date the plan starts must be a real date" in r.content.decode()
    plan.refresh_from_db()
    assert plan.start_date is None and plan.contingency_plan == ""


def test_direct_payment_needs_direct_payment_services(client, sw, plan):
    client.force_login(sw)
    r = client.post(
        url("direct-payment", plan),
        {
            **form_data.date_parts("start_date", timezone.localdate()),
            "paid_to": "person",
            "version": str(plan.version),
            "submission_token": form_data.token(),
        },
    )
    assert r.status_code == 400
    assert "Add the services the direct payment will buy" in r.content.decode()
    assert not DirectPaymentAgreement.objects.exists()


def test_work_typed_before_a_time_out_comes_back(client, sw, plan):
    from carebridge.core.middleware import PRESERVED_WORK_KEY

    client.force_login(sw)
    session = client.session
    session[PRESERVED_WORK_KEY] = {
        "path": url("add-service", plan),
        "owner": sw.pk,
        "saved_at": timezone.now().isoformat(),
        "data": {k: [v] for k, v in service_body(plan.version, description="Kept visit").items()},
    }
    session.save()
    page = client.get(url("add-service", plan)).content.decode()
    assert 'value="Kept visit"' in page
    assert "We kept what you typed" in page
