"""The duty "amhp-report-completed": a local standard (the council's time, 5 working days by
default) from the assessment to the AMHP's report, met by that assessment's report: met, met
late, due, overdue; settable by the council; each person's stored state refreshed when the
report is completed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carebridge.duties import engine, standards
from carebridge.duties.definitions import DUTIES
from carebridge.duties.models import DutyState
from carebridge.duties.spec import Basis, Period, State
from carebridge.mentalhealth import services
from carebridge.mentalhealth.models import MHAAssessment
from carebridge.rules import amhp
from carebridge.rules.working_days import add_working_days

from .conftest import ago, assessed

pytestmark = pytest.mark.django_db
DUTY = "amhp-report-completed"


def row(person, as_of=None):
    rows = list(engine.evaluate(as_of or timezone.localdate(), [DUTY], [person.pk]))
    return rows[0] if rows else None


def report(a, by):
    return services.save_report(
        by, a, version=a.version, alternatives_considered="Crisis team", report="Reasons",
        complete=True,
    )  # fmt: skip


def _assessed_days_ago(person, sw, duty_amhp, days):
    a = assessed(person, sw, duty_amhp, amhp.NO_FURTHER_ACTION)
    at = ago(days=days)
    MHAAssessment.objects.filter(pk=a.pk).update(
        requested_at=at - dt.timedelta(hours=2),
        assessed_at=at,
        assessed_on=timezone.localtime(at).date(),
    )
    a.refresh_from_db()
    return a


def test_the_declaration():
    duty = DUTIES[DUTY]
    assert duty.basis is Basis.LOCAL and not duty.recurring
    assert duty.period == Period(working_days=5)
    assert "chapter 14" in duty.citation and "Code of Practice" in duty.citation
    assert standards.settable(duty)
    assert standards.time_allowed(duty) == "5 working days"


def test_met_on_time(sw, person, duty_amhp):
    a = report(_assessed_days_ago(person, sw, duty_amhp, 2), duty_amhp)
    r = row(person)
    assert r.state == State.MET and r.clock_ref == a.reference == r.met_ref
    assert r.due == add_working_days(a.assessed_on, 5)
    assert "AMHP report completed" in r.explanation and "on time" in r.explanation


def test_due_then_overdue_then_met_late(sw, person, duty_amhp):
    a = _assessed_days_ago(person, sw, duty_amhp, 20)
    assessed_on = a.assessed_on
    assert row(person, assessed_on).state == State.DUE
    assert row(person).state == State.OVERDUE
    assert "no amhp report completed yet (overdue)" in row(person).explanation
    report(a, duty_amhp)
    r = row(person)
    assert r.state == State.MET_LATE and r.met_on == timezone.localdate()
    # As of a date before the report: overdue then (dates decide, not typing).
    assert row(person, timezone.localdate() - dt.timedelta(days=1)).state == State.OVERDUE


def test_a_request_not_yet_assessed_starts_no_clock(sw, person, duty_amhp):
    from .conftest import request

    request(person, sw)
    assert row(person) is None


def test_the_latest_assessment_is_judged_by_its_own_report(sw, person, duty_amhp):
    first = report(_assessed_days_ago(person, sw, duty_amhp, 30), duty_amhp)
    second = _assessed_days_ago(person, sw, duty_amhp, 15)
    r = row(person)
    assert r.clock_ref == second.reference and r.state == State.OVERDUE
    assert r.met_ref != first.reference


def test_the_stored_state_is_refreshed_when_the_report_is_completed(
    sw, person, duty_amhp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        a = _assessed_days_ago(person, sw, duty_amhp, 1)
        MHAAssessment.objects.get(pk=a.pk).save()  # the update above sends no signal
    assert DutyState.objects.get(person=person, duty_id=DUTY).state == State.DUE
    with django_capture_on_commit_callbacks(execute=True):
        report(a, duty_amhp)
    assert DutyState.objects.get(person=person, duty_id=DUTY).state == State.MET
