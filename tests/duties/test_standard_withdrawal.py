"""Withdrawing a local standard before it comes into force (a mistyped date or time): the
service, the page and ``carebridge duties withdraw-standard``. A standard in force has judged
clocks and cannot be withdrawn; a withdrawn one stays in the history and never judges one."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carebridge.cli import cli
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.duties import engine, standards, standards_service
from carebridge.duties.definitions import DUTIES
from carebridge.duties.models import LocalStandard
from carebridge.rules import cld
from tests.core import form_data
from tests.factories import EventFactory, PersonFactory, WorkerFactory

pytestmark = pytest.mark.django_db

DUTY = "assessment-after-request"
TODAY = dt.date(2026, 11, 22)
LATER = dt.date(2027, 4, 1)


@pytest.fixture
def admin():
    return WorkerFactory(role=Role.SYSTEM_ADMINISTRATOR, username="admin.w")


def set_later(admin, day=LATER, amount=20):
    return standards_service.set_standard(
        admin, duty_id=DUTY, effective_from=day, unit="days", amount=amount,
        note="Cabinet", today=TODAY,
    )  # fmt: skip


def withdraw(admin, day=LATER, reason="The year was mistyped", today=TODAY):
    return standards_service.withdraw_standard(
        admin, duty_id=DUTY, effective_from=day, reason=reason, today=today
    )


# --- the service -------------------------------------------------------------------------------


def test_a_later_standard_is_withdrawn_kept_and_audited(admin):
    row = set_later(admin)
    withdrawn = withdraw(admin, reason="  The year was mistyped  ")
    assert withdrawn.pk == row.pk
    row.refresh_from_db()
    assert row.withdrawn_at is not None and row.withdrawn_by == admin
    assert row.withdrawal_reason == "The year was mistyped"
    event = AuditEvent.objects.filter(object_type="duties.standard").order_by("-pk").first()
    assert event.action == AuditEvent.Action.UPDATE
    assert "Withdrew the local standard" in event.summary and "1 April 2027" in event.summary
    assert event.changes["before"]["withdrawn_at"] is None
    assert event.changes["after"]["withdrawal_reason"] == "The year was mistyped"


def test_a_withdrawn_standard_never_judges_a_clock(admin):
    set_later(admin, amount=5)
    person = PersonFactory()
    EventFactory(person=person, event_type=cld.REQUEST, start_date=LATER, end_date=None, outcome="")
    [row] = engine.evaluate(LATER, [DUTY], [person.pk])
    assert row.due == LATER + dt.timedelta(days=5)
    withdraw(admin)
    [row] = engine.evaluate(LATER, [DUTY], [person.pk])
    assert row.due == LATER + dt.timedelta(days=DUTIES[DUTY].period.days)  # the default
    assert standards.in_force([DUTY]) == {}
    overview = standards.overview(LATER)[DUTY]
    assert overview.current is None and len(overview.versions) == 1  # kept in the history


def DUTIES_DEFAULT_DAYS() -> int:
    from carebridge.duties.definitions import DUTIES

    return DUTIES[DUTY].period.days


def test_after_withdrawal_a_new_standard_may_take_the_same_date(admin):
    set_later(admin, amount=20)
    withdraw(admin)
    again = set_later(admin, amount=25)
    assert again.period.days == 25
    assert [v.period.days for v in standards.in_force([DUTY])[DUTY]] == [25]


@pytest.mark.parametrize("started", [TODAY, TODAY - dt.timedelta(days=30)])
def test_a_standard_in_force_cannot_be_withdrawn(admin, started):
    row = LocalStandard.objects.create(duty_id=DUTY, effective_from=started, days=20, note="x")
    with pytest.raises(ValidationError) as e:
        withdraw(admin, day=started)
    assert "cannot be withdrawn" in e.value.message_dict["effective_from"][0]
    row.refresh_from_db()
    assert row.withdrawn_at is None
    assert not AuditEvent.objects.filter(object_type="duties.standard").exists()


def test_withdrawing_twice_or_a_standard_that_does_not_exist_says_so(admin):
    set_later(admin)
    withdraw(admin)
    with pytest.raises(ValidationError) as e:
        withdraw(admin)
    assert "already been withdrawn" in e.value.message_dict["effective_from"][0]
    with pytest.raises(ValidationError) as e:
        withdraw(admin, day=LATER + dt.timedelta(days=1))
    assert "There is no standard" in e.value.message_dict["effective_from"][0]


def test_a_reason_is_required_and_nothing_changes_without_one(admin):
    row = set_later(admin)
    with pytest.raises(ValidationError) as e:
        withdraw(admin, reason="   ")
    assert e.value.message_dict["reason"] == ["Enter why the standard is withdrawn"]
    row.refresh_from_db()
    assert row.withdrawn_at is None


@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.PERFORMANCE_ANALYST])
def test_only_an_administrator_withdraws(admin, role):
    set_later(admin)
    with pytest.raises(PermissionDenied):
        withdraw(WorkerFactory(role=role))


# --- the page ----------------------------------------------------------------------------------


def _url(day=LATER):
    return f"/compliance/standards/{DUTY}/{day.isoformat()}/withdraw/"


@pytest.fixture
def signed_in(client, county):
    client.force_login(county.workers[Role.SYSTEM_ADMINISTRATOR])
    return client


def test_the_standards_page_offers_withdrawal_only_for_later_standards(signed_in):
    client = signed_in
    today = timezone.localdate()
    later = today + dt.timedelta(days=40)
    LocalStandard.objects.create(duty_id=DUTY, effective_from=today, days=20, note="now")
    LocalStandard.objects.create(duty_id=DUTY, effective_from=later, days=25, note="later")
    html = client.get("/compliance/standards/").content.decode()
    links = re.findall(r'href="(/compliance/standards/[^"]+/withdraw/)"', html)
    assert links == [_url(later)]


def test_the_administrator_withdraws_a_standard_on_the_page(signed_in):
    client = signed_in
    later = timezone.localdate() + dt.timedelta(days=40)
    LocalStandard.objects.create(duty_id=DUTY, effective_from=later, days=25, note="Cabinet")
    page = client.get(_url(later))
    assert page.status_code == 200 and 'data-testid="withdraw-form"' in page.content.decode()
    data = {"reason": "Mistyped", "submission_token": form_data.token()}
    first = client.post(_url(later), data)
    second = client.post(_url(later), data)  # sent twice
    assert first.status_code == second.status_code == 302
    assert first["Location"] == f"/compliance/standards/#duty-{DUTY}"
    assert LocalStandard.objects.get().withdrawn_at is not None
    assert AuditEvent.objects.filter(object_type="duties.standard").count() == 1
    html = client.get("/compliance/standards/").content.decode()
    assert "Withdrawn" in html and "Mistyped" in html


def test_a_missing_reason_gets_an_error_summary_and_nothing_changes(signed_in):
    client = signed_in
    later = timezone.localdate() + dt.timedelta(days=40)
    LocalStandard.objects.create(duty_id=DUTY, effective_from=later, days=25, note="Cabinet")
    response = client.post(_url(later), {"reason": "", "submission_token": form_data.token()})
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Enter why the standard is withdrawn" in html
    assert LocalStandard.objects.get().withdrawn_at is None


@pytest.mark.parametrize("day", ["2027-02-30", "tomorrow"])
def test_no_such_standard_is_not_found(signed_in, day):
    client = signed_in
    response = client.get(f"/compliance/standards/{DUTY}/{day}/withdraw/")
    assert response.status_code == 404


# --- the command line --------------------------------------------------------------------------


def invoke(*args):
    return CliRunner().invoke(cli, ["duties", "withdraw-standard", *args])


def test_the_cli_withdraws_and_the_list_shows_it(admin):
    later = timezone.localdate() + dt.timedelta(days=40)
    LocalStandard.objects.create(duty_id=DUTY, effective_from=later, days=25, note="Cabinet")
    result = invoke("--duty", DUTY, "--from", later.isoformat(), "--reason", "Mistyped",
                    "--user", "admin.w")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "withdrawn" in result.stdout
    listed = json.loads(CliRunner().invoke(cli, ["duties", "standards"]).stdout)
    [version] = next(d for d in listed if d["duty"] == DUTY)["versions"]
    assert version["withdrawn_by"] == "admin.w" and version["withdrawal_reason"] == "Mistyped"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2027-02-30"], "is not a real date"),
        (["--user", "nobody"], "No active worker"),
        (["--duty", "no-such-duty"], "No duty"),
        (["--reason", " "], "--reason: Enter why the standard is withdrawn"),
        (["--from", "today"], "--from must be a date"),
    ],
)
def test_the_cli_refuses_bad_input_with_status_2_and_changes_nothing(admin, args, message):
    later = timezone.localdate() + dt.timedelta(days=40)
    LocalStandard.objects.create(duty_id=DUTY, effective_from=later, days=25, note="Cabinet")
    options = {"--duty": DUTY, "--from": later.isoformat(), "--reason": "Mistyped",
               "--user": "admin.w"}  # fmt: skip
    options.update(dict(zip(args[::2], args[1::2], strict=True)))
    result = invoke(*[x for pair in options.items() for x in pair])
    assert result.exit_code == 2
    assert message in result.stderr
    assert LocalStandard.objects.get().withdrawn_at is None


def test_the_cli_refuses_a_standard_in_force(admin):
    today = timezone.localdate()
    LocalStandard.objects.create(duty_id=DUTY, effective_from=today, days=25, note="Cabinet")
    result = invoke("--duty", DUTY, "--from", today.isoformat(), "--reason", "x",
                    "--user", "admin.w")  # fmt: skip
    assert result.exit_code == 2
    assert "cannot be withdrawn" in result.stderr
