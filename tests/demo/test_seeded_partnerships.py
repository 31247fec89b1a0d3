"""The seeded county's s75 agreement: the trust hosts the four CMHTs under it."""

from __future__ import annotations

import datetime as dt

import pytest

from carebridge.demo.county import COUNCIL_NAME, TRUST_NAME
from carebridge.organisations.models import Team
from carebridge.partnerships import selectors
from carebridge.partnerships.agreement_selectors import IN_FORCE, status_on
from carebridge.partnerships.models import Agreement, TeamHosting

from .conftest import UNTIL

pytestmark = pytest.mark.django_db


def test_the_wessex_agreement_hosts_the_four_cmhts(seeded):
    a = Agreement.objects.select_related("council", "partner").get()
    assert a.reference == "WCC-WPT-S75-2019"
    assert (a.council.name, a.partner.name) == (COUNCIL_NAME, TRUST_NAME)
    assert a.term().last_day == dt.date(2027, 3, 31)
    assert [(e.new_ends_on, e.agreed_on) for e in a.extensions.all()] == [
        (dt.date(2027, 3, 31), dt.date(2023, 11, 15))
    ]
    assert status_on(a, UNTIL) == IN_FORCE
    assert a.council_contribution + a.partner_contribution <= a.pooled_budget
    assert sorted(a.conditions.values_list("measure", flat=True)) == [
        "annual-review",
        "days_request_to_assessment",
        "handoffs_per_person",
    ]
    rows = TeamHosting.objects.filter(agreement=a)
    cmhts = set(Team.objects.filter(kind="cmht").values_list("pk", flat=True))
    assert {r.team_id for r in rows} == cmhts and len(cmhts) == 4
    assert all(r.starts_on == dt.date(2019, 4, 1) and r.ends_on is None for r in rows)
    hosts = selectors.hosting_on(UNTIL)
    assert {pk for pk, h in hosts.items() if h.agreement_id == a.pk} == cmhts
    assert seeded.counts["partnership agreements"] == 1
    assert seeded.counts["team hosting periods"] == 4
