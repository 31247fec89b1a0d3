"""Who may do what with a plan: roles (core.access) and relationships (casework.access)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.planning.models import CarePlan
from tests.core import form_data

from .conftest import url, write_plan
from .factories import CarePlanFactory


@pytest.fixture
def submitted(sw, plan):
    from carebridge.planning import services

    from .conftest import add_home_care

    write_plan(sw, plan)
    add_home_care(sw, plan)
    return services.submit_plan(sw, plan, version=plan.version)


def test_a_social_worker_cannot_approve(client, sw, submitted):
    client.force_login(sw)
    assert client.get(url("decide", submitted)).status_code == 403
    r = client.post(
        url("decide", submitted),
        {"decision": "approve", "version": str(submitted.version),
         "submission_token": form_data.token()},
    )  # fmt: skip
    assert r.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == CarePlan.Status.SUBMITTED
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS_REFUSED, actor=sw, person=submitted.person
    ).exists()


def test_the_detail_page_offers_approval_to_managers_only(client, sw, manager, submitted):
    client.force_login(sw)
    assert "Approve or return" not in client.get(url("detail", submitted)).content.decode()
    client.force_login(manager)
    page = client.get(url("detail", submitted)).content.decode()
    assert "Approve or return" in page


def test_a_manager_who_wrote_the_plan_is_warned(client, manager, county, assessment):
    from carebridge.planning import services

    plan = services.start_plan(manager, assessment)
    write_plan(manager, plan)
    from .conftest import add_home_care

    add_home_care(manager, plan)
    services.submit_plan(manager, plan, version=plan.version)
    client.force_login(manager)
    assert "You wrote this plan" in client.get(url("decide", plan)).content.decode()


def test_an_nhs_partner_can_read_but_not_edit(client, county, plan):
    nhs = county.workers[Role.NHS_PARTNER]
    client.force_login(nhs)
    assert client.get(url("detail", plan)).status_code == 200
    page = client.get(url("detail", plan)).content.decode()
    assert "Edit plan" not in page and "Submit for approval" not in page
    assert client.get(url("edit", plan)).status_code == 403
    assert client.post(url("edit", plan), {}).status_code == 403


def test_another_teams_worker_gets_the_no_relationship_page(client, county, plan):
    client.force_login(county.worker_b)
    r = client.get(url("detail", plan))
    assert r.status_code == 403
    assert 'data-testid="break-glass-form"' in r.content.decode()
    assert county.person_a.full_name in r.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS_REFUSED, actor=county.worker_b
    ).exists()


def test_a_plan_cannot_be_reached_through_another_persons_url(client, county, sw, plan):
    client.force_login(sw)
    other = county.person_a_team  # held by the same team, so the guard lets the worker in
    r = client.get(reverse("planning:detail", args=[other.person_id, plan.pk]))
    assert r.status_code == 404


def test_approvals_page_is_for_team_managers(client, county, sw, manager):
    client.force_login(sw)
    assert client.get(reverse("planning:approvals")).status_code == 403
    client.force_login(manager)
    assert client.get(reverse("planning:approvals")).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.SOCIAL_WORKER, 200),
        (Role.TEAM_MANAGER, 200),
        (Role.SYSTEM_ADMINISTRATOR, 200),
        (Role.FINANCE_OFFICER, 403),
        (Role.NHS_PARTNER, 403),
        (Role.COMMISSIONER, 403),
    ],
)
def test_who_sees_the_resource_allocation_system(client, county, role, status):
    client.force_login(county.workers[role])
    r = client.get(reverse("planning:ras"))
    assert r.status_code == status
    if status == 200:
        assert ("Save a new version" in r.content.decode()) == (role == Role.SYSTEM_ADMINISTRATOR)


def test_pages_not_about_one_person_are_not_taken_for_person_ids(db):
    from django.urls import resolve

    assert resolve(reverse("planning:approvals")).view_name == "planning:approvals"
    assert resolve(reverse("planning:ras")).view_name == "planning:ras"


def test_viewing_a_plan_is_audited(client, sw, plan):
    client.force_login(sw)
    client.get(url("detail", plan))
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, actor=sw, person=plan.person,
        summary="Viewed a care and support plan",
    ).count() == 1  # fmt: skip


def test_factory_plans_belong_to_their_person(db, county):
    plan = CarePlanFactory(person=county.person_a)
    assert plan.assessment.person == county.person_a
