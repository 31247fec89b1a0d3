"""The seeded county's Mental Health Act work (carebridge/demo/mental_health.py): believable
volumes and outcomes, legal status histories that obey the rules, open requests on the AMHP
rota, reports mostly on time, and the demo accounts' cases."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import F

from carebridge.casework.models import Allocation
from carebridge.duties.models import DutyState
from carebridge.mentalhealth.models import LegalStatus, MHAAssessment
from carebridge.organisations.models import Worker
from carebridge.rules import amhp
from carebridge.rules import legal_status as rules
from carebridge.rules import mental_health_act as mha

from .conftest import PEOPLE, UNTIL

pytestmark = pytest.mark.django_db


def test_volumes_and_outcomes(seeded):
    a = MHAAssessment.objects.all()
    assert seeded.counts["Mental Health Act assessments"] == a.count()
    # About 2,000 a year per 50,000 people: 0.04 a person a year over 3.5 years.
    assert 0.5 * 0.04 * PEOPLE * 3.5 <= a.count() <= 1.6 * 0.04 * PEOPLE * 3.5
    outcomes = Counter(a.exclude(outcome="").values_list("outcome", flat=True))
    detained = sum(outcomes[o] for o in amhp.DETAINS)
    assert 0.35 <= detained / sum(outcomes.values()) <= 0.7
    assert outcomes[amhp.DETAINED_S2] > outcomes[amhp.DETAINED_S3] > 0
    assert set(a.values_list("person__primary_support_reason", flat=True)) == {
        "Mental health support"
    }


def test_every_detention_is_linked_to_its_legal_status(seeded):
    for a in MHAAssessment.objects.filter(outcome__in=list(amhp.DETAINS)).select_related(
        "legal_status"
    ):
        assert a.legal_status is not None, a.reference
        assert a.legal_status.section == amhp.DETAINS[a.outcome]
        assert a.legal_status.person_id == a.person_id
        assert a.legal_status.started_at == a.assessed_at
    assert not MHAAssessment.objects.exclude(outcome__in=list(amhp.DETAINS)).exclude(
        legal_status=None
    )


def test_legal_status_histories_obey_the_rules(seeded):
    statuses = list(LegalStatus.objects.select_related("follows").order_by("started_at"))
    assert statuses
    sections = Counter(s.section for s in statuses)
    assert sections["s136"] and sections["s17a"] and sections["s2"] and sections["s3"]
    for s in statuses:
        assert s.ended_at is None or s.ended_at >= s.started_at
        assert s.started_at.date() <= UNTIL
        if s.follows is not None:
            before = s.follows.follows.section if s.follows.follows_id else ""
            how = rules.how_replaced(s.follows.section, s.section, before_old=before)
            assert how is not None and s.follows.end_reason == how.value
            assert s.follows.ended_at == s.started_at
        if s.left_hospital_on is not None:
            assert rules.is_detention_in_hospital(s.section)
            assert s.left_hospital_on >= s.ended_at.date()
    current = Counter(
        (s.person_id, mha.section(s.section).detains) for s in statuses if s.ended_at is None
    )
    assert all(n == 1 for n in current.values())
    assert LegalStatus.objects.exclude(left_hospital_on=None).exists()
    assert LegalStatus.objects.filter(section="s2", end_reason="replaced").exists()


def test_open_requests_on_the_rota_and_reports_mostly_on_time(seeded):
    statuses = Counter(MHAAssessment.objects.values_list("status", flat=True))
    assert statuses[amhp.REQUESTED] >= 2 and statuses[amhp.ALLOCATED] >= 1
    assert statuses[amhp.ASSESSED] >= 1
    assert statuses[amhp.REPORT_COMPLETED] > 0.8 * sum(statuses.values())
    duty = Counter(
        DutyState.objects.filter(duty_id="amhp-report-completed").values_list("state", flat=True)
    )
    assert duty["met"] > 0.7 * sum(duty.values())
    assert duty["met_late"] + duty["overdue"] > 0  # not perfect either
    assert not MHAAssessment.objects.filter(report_completed_on__lt=F("assessed_on")).exists()
    last = UNTIL - dt.timedelta(days=1)
    assert not MHAAssessment.objects.filter(requested_at__date__gt=last).exists()


def test_the_demo_accounts_have_mental_health_act_work(seeded):
    amhp_demo = Worker.objects.get(username="amhp.demo")
    held = MHAAssessment.objects.filter(held_by=amhp_demo)
    assert held.filter(status=amhp.ALLOCATED).exists()
    assert held.filter(status=amhp.ASSESSED).exists()
    sw = Worker.objects.get(username="sw.demo")
    theirs = Allocation.objects.filter(
        worker=sw,
        ended_at__isnull=True,
        person__date_of_death__isnull=True,
        person__primary_support_reason="Mental health support",
    ).values("person_id")
    current = set(
        LegalStatus.objects.filter(person_id__in=theirs, ended_at__isnull=True).values_list(
            "section", flat=True
        )
    )
    # Detained under s3 after a s2, on a CTO, and a request on the rota, as far as a small
    # county gives sw.demo people with mental health needs.
    n = theirs.count()
    assert n >= 1
    assert {"s3", "s17a"} & current == {"s3", "s17a"} if n >= 2 else "s3" in current
    if n >= 3:
        assert MHAAssessment.objects.filter(person_id__in=theirs, status=amhp.REQUESTED).exists()
