"""The scenario of issue 8 on the seeded county: the council ends its s75 agreement and brings
the trust-hosted teams back. The preview, the transfer, the reconciliation report showing every
open case allocated, an audit entry for each change, and the comparison of a past period
unchanged by it (history is not rewritten)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carebridge.casework.models import Allocation
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.organisations.models import Organisation, Team, Worker
from carebridge.partnerships import comparison, selectors, transfers
from carebridge.partnerships.models import Transfer

pytestmark = pytest.mark.django_db


def test_the_trust_hosted_teams_come_back_to_the_council(seeded):
    council = Organisation.objects.get(kind=Organisation.COUNCIL)
    trust = Organisation.objects.get(kind=Organisation.NHS_TRUST, ods_code="RX9")
    hosted = list(Team.objects.filter(organisation=trust).order_by("name"))
    assert len(hosted) == 4  # the four community mental health teams
    admin = Worker.objects.get(username="admin.demo")
    today = timezone.localdate()
    last_year = (today - dt.timedelta(days=365), today - dt.timedelta(days=1))
    before_figures = comparison.hosted_vs_council(*last_year)

    t = transfers.draft_transfer(
        admin,
        kind=Transfer.Kind.TEAMS,
        from_organisation=trust,
        to_organisation=council,
        teams=hosted,
        effective_on=today,
        reason="Cabinet decision: the s75 agreement ends; mental health social work returns",
        waiting_cases_to_manager=True,
    )
    p = transfers.preview(t)
    assert not p.blockers, p.blockers
    open_cases = Allocation.objects.filter(team__in=hosted, ended_at__isnull=True).count()
    assert len(p.cases) == open_cases > 0
    moving = Worker.objects.filter(team__in=hosted, is_active=True).count()
    assert len(p.workers) == moving

    t = transfers.confirm(admin, t, digest=p.digest)
    assert t.status == Transfer.Status.COMPLETED, t.failure
    r = t.reconciliation
    assert r["problems"] == []
    assert r["totals"]["cases"] == r["totals"]["cases_held"] == open_cases
    assert r["totals"]["duties_lost"] == 0
    assert r["totals"]["drafts"] == r["totals"]["drafts_kept"]
    held = Allocation.objects.filter(team__in=hosted, ended_at__isnull=True)
    assert not held.filter(worker__isnull=True).exists()
    assert set(Team.objects.filter(pk__in=[x.pk for x in hosted]).values_list(
        "organisation", flat=True)) == {council.pk}  # fmt: skip
    # NHS colleagues stay employed by the trust; everyone else by the council from today
    employed = selectors.employment_on(today)
    for w in Worker.objects.filter(team__in=hosted, is_active=True):
        want = trust.pk if w.role == Role.NHS_PARTNER else council.pk
        assert employed[w.pk].employed_by_id == want
    # an audit entry for every team and every worker changed
    audit = AuditEvent.objects.filter(summary__contains=t.reference)
    assert audit.filter(object_type="organisations.team").count() == 4
    assert audit.filter(object_type="organisations.worker").count() == moving
    # the past is not rewritten: last year's hosted figures are the same after the transfer
    assert comparison.hosted_vs_council(*last_year).measures == before_figures.measures
