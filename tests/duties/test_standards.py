"""Local standards (ADR 0015): which duties a council may set, the row's constraint, the
service that adds a version, and that a standard judges only the clocks starting on or after
its date (the engine as of several dates, on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.duties import engine, services, standards, standards_service
from carebridge.duties.definitions import DUTIES
from carebridge.duties.models import DutyState, LocalStandard
from carebridge.duties.spec import Basis, Period, State
from carebridge.rules import cld
from tests.factories import EventFactory, PersonFactory, WorkerFactory

pytestmark = pytest.mark.django_db

D = dt.date
DUTY = "assessment-after-request"


@pytest.fixture
def admin():
    return WorkerFactory(role=Role.SYSTEM_ADMINISTRATOR, username="admin.x")


def request(person, on):
    return EventFactory(
        person=person, event_type=cld.REQUEST, start_date=on, end_date=None, outcome=""
    )


def due(person, as_of, duty=DUTY):
    rows = list(engine.evaluate(as_of, [duty], [person.pk]))
    return rows[0].due if rows else None


def set_standard(actor, *, today, **kw):
    kw.setdefault("duty_id", DUTY)
    kw.setdefault("unit", "days")
    kw.setdefault("amount", 20)
    kw.setdefault("note", "Cabinet, 12 November 2026, item 7")
    return standards_service.set_standard(actor, today=today, **kw)


# --- which duties ------------------------------------------------------------------------------


def test_a_council_sets_only_its_own_standards():
    assert [d.id for d in standards.settable_duties()] == [
        "assessment-after-request",
        "plan-after-eligibility",
        "amhp-report-completed",
        # s117 sets no time for the joint plan; the Code of Practice asks for it by discharge.
        "s117-plan-at-discharge",
        "safeguarding-decision",
        "safeguarding-enquiry-concluded",
    ]
    for duty in DUTIES.values():
        if duty.basis is not Basis.LOCAL:
            assert not standards.settable(duty), duty.id
            assert duty.citation in standards.why_not_settable(duty)


def test_a_recurring_local_standard_is_not_settable_as_the_engine_would_not_use_it():
    duty = DUTIES["accommodation-status-current"]
    assert duty.basis is Basis.LOCAL and duty.recurring
    assert not standards.settable(duty)
    assert "recurring" in standards.why_not_settable(duty)


def test_a_statutory_deadline_cannot_be_loosened(admin):
    """Direct payments are reviewed within 6 months of the first payment (reg 7): no setting
    may move that."""
    today = D(2026, 11, 23)
    with pytest.raises(ValidationError) as e:
        set_standard(
            admin,
            today=today,
            duty_id="direct-payment-review",
            effective_from=D(2026, 12, 1),
            unit="months",
            amount=9,
        )
    assert "cannot set its own standard" in e.value.message_dict["duty"][0]
    assert DUTIES["direct-payment-review"].citation in e.value.message_dict["duty"][0]
    assert not LocalStandard.objects.exists()
    assert not AuditEvent.objects.filter(object_type="duties.standard").exists()


def test_time_allowed_in_words():
    assert standards.time_allowed(DUTIES[DUTY]) == "28 days"
    assert standards.time_allowed(DUTIES["eligibility-recorded"]) == "the same day"
    assert standards.time_allowed(DUTIES[DUTY], Period(working_days=1)) == "1 working day"
    assert (
        standards.time_allowed(DUTIES["direct-payment-review"])
        == "6 months at first, then 12 months"
    )
    assert standards.time_allowed(DUTIES["accommodation-status-current"]) == (
        "the same day at first, then 12 months"
    )


# --- the row -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "units",
    [
        {"days": 5, "months": 1},
        {"days": 5, "working_days": 3},
        {"months": 1, "working_days": 3},
        {"days": 1, "months": 1, "working_days": 1},
    ],
)
def test_a_row_is_in_one_unit(units):
    with pytest.raises(IntegrityError), transaction.atomic():
        LocalStandard.objects.create(duty_id=DUTY, effective_from=D(2026, 1, 1), **units)


@pytest.mark.parametrize(
    ("units", "period"),
    [
        ({"days": 14}, Period(days=14)),
        ({"working_days": 20}, Period(working_days=20)),
        ({"months": 2}, Period(months=2)),
        ({}, Period(days=0)),  # the same day
    ],
)
def test_a_row_in_one_unit_or_none_is_a_period(units, period):
    row = LocalStandard.objects.create(duty_id=DUTY, effective_from=D(2026, 1, 1), **units)
    row.refresh_from_db()
    assert row.period == period
    assert standards.in_force([DUTY]) == {DUTY: [standards.Version(D(2026, 1, 1), period)]}


def test_one_row_per_duty_and_date():
    LocalStandard.objects.create(duty_id=DUTY, effective_from=D(2026, 1, 1), days=14)
    with pytest.raises(IntegrityError), transaction.atomic():
        LocalStandard.objects.create(duty_id=DUTY, effective_from=D(2026, 1, 1), days=21)


# --- the service -------------------------------------------------------------------------------


def test_setting_a_standard_saves_a_version_and_audits_it(admin):
    today = D(2026, 11, 23)
    row = set_standard(
        admin, today=today, effective_from=D(2027, 1, 4), unit="working_days", amount=20
    )
    assert (row.duty_id, row.effective_from, row.period, row.set_by) == (
        DUTY,
        D(2027, 1, 4),
        Period(working_days=20),
        admin,
    )
    assert row.note == "Cabinet, 12 November 2026, item 7"
    event = AuditEvent.objects.get(object_type="duties.standard")
    assert (event.action, event.actor_id, event.object_id) == ("create", admin.pk, str(row.pk))
    assert "20 working days from 4 January 2027" in event.summary
    assert event.changes["after"]["working_days"] == 20
    assert event.changes["after"]["effective_from"] == "2027-01-04"
    assert event.changes["in_force_before"] == {"time_allowed": "28 days", "from": None}


def test_the_note_is_kept_without_surrounding_spaces(admin):
    row = set_standard(
        admin, today=D(2026, 11, 23), effective_from=D(2026, 12, 1), note="  Cabinet  \n"
    )
    assert row.note == "Cabinet"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"duty_id": "no-such-duty"}, "duty", "Select a duty from the list"),
        ({"duty_id": "first-review"}, "duty", "cannot set its own standard"),
        ({"effective_from": None}, "effective_from", "Enter the date"),
        (
            {"effective_from": D(2026, 11, 22)},
            "effective_from",
            "today (23 November 2026) or later",
        ),
        ({"effective_from": D(2027, 11, 25)}, "effective_from", "within a year"),
        ({"unit": "weeks"}, "unit", "Select calendar days, working days or months"),
        ({"amount": None}, "amount", "Enter the time allowed"),
        ({"amount": -1}, "amount", "between 0 (the same day) and 365 calendar days"),
        ({"amount": 366}, "amount", "between 0 (the same day) and 365 calendar days"),
        ({"unit": "working_days", "amount": 0}, "amount", "between 1 and 260 working days"),
        ({"unit": "working_days", "amount": 261}, "amount", "between 1 and 260 working days"),
        ({"unit": "months", "amount": 13}, "amount", "between 1 and 12 months"),
        ({"note": "   "}, "note", "Enter the council decision"),
        ({"note": "x" * 1001}, "note", "1000 characters or fewer"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(admin, change, field, message):
    kw = {"effective_from": D(2026, 12, 1), **change}
    with pytest.raises(ValidationError) as e:
        set_standard(admin, today=D(2026, 11, 23), **kw)
    assert message in e.value.message_dict[field][0]
    assert not LocalStandard.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_edges_of_the_ranges_are_allowed(admin):
    today = D(2026, 11, 23)
    set_standard(admin, today=today, effective_from=today, amount=0)
    set_standard(admin, today=today, effective_from=D(2027, 11, 24), amount=365)
    set_standard(admin, today=today, effective_from=D(2027, 1, 1), unit="months", amount=12)
    assert LocalStandard.objects.count() == 3


def test_a_second_standard_for_the_same_duty_and_date_is_refused(admin):
    today = D(2026, 11, 23)
    set_standard(admin, today=today, effective_from=D(2026, 12, 1))
    with pytest.raises(ValidationError) as e:
        set_standard(admin, today=today, effective_from=D(2026, 12, 1), amount=10)
    assert "already a standard for this duty from 1 December 2026" in str(e.value)
    assert LocalStandard.objects.get().days == 20
    # The other duty may have its own standard from the same date.
    set_standard(
        admin, today=today, duty_id="plan-after-eligibility", effective_from=D(2026, 12, 1)
    )


def test_a_race_for_the_same_date_is_refused_by_the_constraint(admin, monkeypatch):
    """Two administrators at once: both pass the check, the database refuses the second."""
    today = D(2026, 11, 23)
    set_standard(admin, today=today, effective_from=D(2026, 12, 1))
    monkeypatch.setattr(standards_service, "_taken", lambda *a: False)
    with pytest.raises(ValidationError) as e:
        set_standard(admin, today=today, effective_from=D(2026, 12, 1), amount=10)
    assert "already a standard" in e.value.message_dict["effective_from"][0]
    assert LocalStandard.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="duties.standard").count() == 1


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SYSTEM_ADMINISTRATOR])
def test_only_an_administrator_sets_standards(role):
    worker = WorkerFactory(role=role)
    with pytest.raises(PermissionDenied):
        set_standard(worker, today=D(2026, 11, 23), effective_from=D(2026, 12, 1))
    assert not LocalStandard.objects.exists()


def test_nothing_is_half_written_when_the_refresh_fails(admin, monkeypatch):
    today = timezone.localdate()
    request(PersonFactory(), today)
    services.refresh_all()

    def broken(*args, **kwargs):
        raise RuntimeError("the engine failed")

    monkeypatch.setattr(services, "refresh_people", broken)
    with pytest.raises(RuntimeError):
        set_standard(admin, today=today, effective_from=today)
    assert not LocalStandard.objects.exists()
    assert not AuditEvent.objects.filter(object_type="duties.standard").exists()


# --- stored states -----------------------------------------------------------------------------


def test_a_standard_from_today_refreshes_the_clocks_that_started_today(admin):
    today = timezone.localdate()
    this_morning, yesterday = PersonFactory(), PersonFactory()
    request(this_morning, today)
    request(yesterday, today - dt.timedelta(days=1))
    services.refresh_all()
    assert DutyState.objects.get(person=this_morning).due == today + dt.timedelta(days=28)

    set_standard(admin, today=today, effective_from=today, amount=7)

    assert DutyState.objects.get(person=this_morning).due == today + dt.timedelta(days=7)
    # Started before the standard: judged by the one in force then.
    assert DutyState.objects.get(person=yesterday).due == today + dt.timedelta(days=27)


def test_a_standard_from_a_later_date_changes_nothing_today(admin):
    today = timezone.localdate()
    person = PersonFactory()
    request(person, today)
    services.refresh_all()
    before = list(DutyState.objects.values())
    set_standard(admin, today=today, effective_from=today + dt.timedelta(days=1), amount=7)
    assert list(DutyState.objects.values()) == before


# --- judged by the standard in force when the clock started ------------------------------------


def test_a_working_days_standard_judges_clocks_from_its_date_only(admin):
    """The council moves to 20 working days from Monday 16 March 2026 (decided on 1 March).
    Easter falls inside: Good Friday 3 April and Easter Monday 6 April 2026 are bank
    holidays."""
    before, on_the_day, later = PersonFactory(), PersonFactory(), PersonFactory()
    request(before, D(2026, 3, 13))  # Friday, the last day of the old standard
    request(on_the_day, D(2026, 3, 16))
    request(later, D(2026, 4, 1))
    assert due(on_the_day, D(2026, 3, 20)) == D(2026, 4, 13)  # 28 days, before it is set

    set_standard(
        admin,
        today=D(2026, 3, 1),
        effective_from=D(2026, 3, 16),
        unit="working_days",
        amount=20,
    )

    for as_of in (D(2026, 3, 13), D(2026, 3, 20), D(2026, 4, 30)):
        assert due(before, as_of) == D(2026, 4, 10)  # 28 calendar days: unchanged
    for as_of in (D(2026, 3, 16), D(2026, 4, 13), D(2026, 4, 30)):
        assert due(on_the_day, as_of) == D(2026, 4, 15)  # 20 working days, 2 bank holidays
        assert due(later, max(as_of, D(2026, 4, 1))) == D(2026, 5, 1)

    states = {
        as_of: {
            r.person_pk: r.state for r in engine.evaluate(as_of, [DUTY], [before.pk, on_the_day.pk])
        }
        for as_of in (D(2026, 4, 10), D(2026, 4, 14), D(2026, 4, 15), D(2026, 4, 16))
    }
    # 10 April: both due. 14 April: the old standard's clock is overdue; so would the new one
    # be under 28 days (due 13 April), but under 20 working days it is overdue from the 16th.
    assert states[D(2026, 4, 10)] == {before.pk: State.DUE, on_the_day.pk: State.DUE}
    assert states[D(2026, 4, 14)] == {before.pk: State.OVERDUE, on_the_day.pk: State.DUE}
    assert states[D(2026, 4, 15)][on_the_day.pk] == State.DUE
    assert states[D(2026, 4, 16)][on_the_day.pk] == State.OVERDUE


def test_a_later_version_replaces_an_earlier_one_from_its_own_date(admin):
    today = D(2026, 1, 1)
    set_standard(admin, today=today, effective_from=D(2026, 2, 1), amount=14)
    set_standard(admin, today=today, effective_from=D(2026, 3, 2), unit="working_days", amount=5)
    jan, feb, mar = PersonFactory(), PersonFactory(), PersonFactory()
    request(jan, D(2026, 1, 30))
    request(feb, D(2026, 2, 27))  # Friday
    request(mar, D(2026, 3, 6))  # Friday
    as_of = D(2026, 3, 10)
    assert due(jan, as_of) == D(2026, 2, 27)  # the default, 28 days
    assert due(feb, as_of) == D(2026, 3, 13)  # 14 days
    assert due(mar, as_of) == D(2026, 3, 13)  # 5 working days


def test_the_same_day_standard_is_due_on_the_day_the_clock_starts(admin):
    set_standard(admin, today=D(2026, 1, 1), effective_from=D(2026, 1, 1), amount=0)
    person = PersonFactory()
    request(person, D(2026, 1, 5))
    rows = list(engine.evaluate(D(2026, 1, 6), [DUTY], [person.pk]))
    assert (rows[0].due, rows[0].state) == (D(2026, 1, 5), State.OVERDUE)


def test_the_overview_tells_the_default_today_and_later_versions(admin):
    set_standard(admin, today=D(2026, 1, 1), effective_from=D(2026, 2, 1), amount=14)
    set_standard(admin, today=D(2026, 1, 1), effective_from=D(2026, 6, 1), amount=21)
    s = standards.overview(D(2026, 3, 1))[DUTY]
    assert (s.default, s.allowed, s.current.effective_from) == ("28 days", "14 days", D(2026, 2, 1))
    assert [v.effective_from for v in s.versions] == [D(2026, 2, 1), D(2026, 6, 1)]
    assert standards.overview(D(2026, 1, 31))[DUTY].current is None
    assert standards.overview(D(2026, 6, 1))[DUTY].allowed == "21 days"
    other = standards.overview(D(2026, 3, 1))["direct-payment-review"]
    assert (other.settable, other.versions, other.allowed) == (
        False,
        [],
        "6 months at first, then 12 months",
    )
