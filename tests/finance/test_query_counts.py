"""The financial assessment page and the person's charges page run a fixed number of queries,
however long the charge history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carebridge.finance.models import ChargeDecision

from .conftest import complete_full, url

# session, worker, person; the relationship (the allocation, then for a finance officer their
# team and the person's plans or assessments); the assessment and its charges; the plan in
# force and its services; the open s117 flag; the audit entry; the session save (3).
DETAIL_QUERIES = 15
# As above, with the lists of assessments and of charges instead of the one assessment.
OVERVIEW_QUERIES = 15


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(path)
    assert r.status_code == 200, r.content[:500]
    return len(ctx.captured_queries)


def _grow(fa, n):
    """n more past charges from the same assessment (history rows, already ended)."""
    for i in range(n):
        start = dt.date(2024, 4, 1) + dt.timedelta(days=i)
        ChargeDecision.objects.create(
            person_id=fa.person_id,
            financial_assessment=fa,
            weekly_amount=Decimal("10.00") + i,
            weekly_care_cost=Decimal("257.60"),
            council_pays=Decimal("247.60") - i,
            valid_from=start,
            valid_to=start,
            reason="Earlier charge",
            decided_by=fa.assessed_by,
        )


def test_financial_assessment_page(
    client, officer, person, approved_plan, django_assert_max_num_queries
):
    fa, _ = complete_full(officer, person)
    client.force_login(officer)
    path = url("detail", fa)
    small = _count(client, path)
    _grow(fa, 30)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        large = _count(client, path)
    assert small == large
    html = client.get(path).content.decode()
    assert html.count("Earlier charge") == 30


def test_charges_page(client, officer, person, approved_plan, django_assert_max_num_queries):
    fa, _ = complete_full(officer, person)
    client.force_login(officer)
    path = reverse("finance:overview", args=[person.person_id])
    small = _count(client, path)
    _grow(fa, 30)
    with django_assert_max_num_queries(OVERVIEW_QUERIES):
        large = _count(client, path)
    assert small == large
