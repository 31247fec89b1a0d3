"""The plan page and the approvals page run a fixed number of queries, whatever the size of
the plan or of the team's caseload."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carebridge.planning.models import CarePlan, PlanDecision
from tests.factories import AllocationFactory, PersonFactory

from .factories import CarePlanFactory, PlanDecisionFactory, PlannedServiceFactory, ReviewFactory

# session, worker, person, relationship, plan, services, decisions, reviews, the two reads of
# the review schedule, the audit entry, and the session save (3).
DETAIL_QUERIES = 14
# session, worker, plans awaiting approval, their services, their submissions, the count and
# page of overdue reviews, and the session save (3).
APPROVALS_QUERIES = 10


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(path)
    assert r.status_code == 200, r.content[:500]
    return len(ctx.captured_queries)


def _grow(plan, n):
    for _ in range(n):
        PlannedServiceFactory(plan=plan)
        PlanDecisionFactory(plan=plan, decision=PlanDecision.Decision.RETURNED, reasons="Again")
        ReviewFactory(plan=plan)


def test_plan_page(client, county, sw, manager, django_assert_max_num_queries):
    plan = CarePlanFactory(
        person=county.person_a,
        created_by=sw,
        status=CarePlan.Status.APPROVED,
        approved_on=timezone.localdate() - dt.timedelta(days=100),
        approved_by=manager,
    )
    path = reverse("planning:detail", args=[plan.person.person_id, plan.pk])
    client.force_login(sw)
    _grow(plan, 1)
    small = _count(client, path)
    _grow(plan, 25)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        large = _count(client, path)
    assert small == large


def _team_plan(team, worker, status, **kwargs):
    person = PersonFactory()
    AllocationFactory(person=person, team=team, worker=worker)
    plan = CarePlanFactory(person=person, created_by=worker, status=status, **kwargs)
    PlannedServiceFactory(plan=plan)
    PlannedServiceFactory(plan=plan, delivery_mechanism="Direct payment")
    if status == CarePlan.Status.SUBMITTED:
        PlanDecisionFactory(plan=plan)
    return plan


@pytest.mark.parametrize("n", [30])
def test_approvals_page(client, county, sw, manager, n, django_assert_max_num_queries):
    today = timezone.localdate()
    path = reverse("planning:approvals")
    client.force_login(manager)

    def grow(k):
        for i in range(k):
            _team_plan(county.team_a, sw, CarePlan.Status.SUBMITTED)
            _team_plan(
                county.team_a,
                sw,
                CarePlan.Status.APPROVED,
                approved_on=today - dt.timedelta(days=200),
                next_review_due=today - dt.timedelta(days=i + 1),
                next_review_kind="first_review",
            )

    grow(1)
    small = _count(client, path)
    grow(n)
    with django_assert_max_num_queries(APPROVALS_QUERIES):
        large = _count(client, path)
    assert small == large
