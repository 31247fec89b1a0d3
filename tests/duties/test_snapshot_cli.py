"""``carebridge duties snapshot``: monthly counts for the compliance trends, recorded by the
engine as of each month end; re-running a month replaces it; bad input exits 2."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from django.utils import timezone

from carebridge.cli import cli
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.duties import snapshots
from carebridge.duties.models import DutySnapshot
from carebridge.rules import cld
from tests.factories import (
    AllocationFactory,
    EventFactory,
    PersonFactory,
    TeamFactory,
    WorkerFactory,
)

pytestmark = pytest.mark.django_db

D = dt.date
# Two months that have ended, whatever today is: requests are made on the 5th of the first.
FIRST, SECOND = snapshots.month_ends(timezone.localdate() - dt.timedelta(days=1), 3)[:2]
ON = FIRST.replace(day=5)


def invoke(*args):
    return CliRunner().invoke(cli, ["duties", "snapshot", *args])


def request(person, on, **kw):
    kw.setdefault("end_date", None)
    kw.setdefault("outcome", "")
    return EventFactory(person=person, event_type=cld.REQUEST, start_date=on, **kw)


@pytest.fixture
def histories():
    """Three requests on the 5th of FIRST's month: two held by a team (one by its worker), one
    by no one. Due 28 days later: due at the end of FIRST's month, overdue at SECOND's."""
    team = TeamFactory()
    worker = WorkerFactory(team=team)
    held = [PersonFactory(), PersonFactory()]
    AllocationFactory(
        person=held[0], team=team, worker=worker, started_at=timezone.now() - dt.timedelta(days=900)
    )
    AllocationFactory(person=held[1], team=team, started_at=timezone.now() - dt.timedelta(days=900))
    unheld = PersonFactory()
    for p in (*held, unheld):
        request(p, ON)
    return team, worker, held, unheld


def cells(month_end):
    return {
        (s.duty_id, s.organisation_id, s.team_id, s.worker_id, s.state): s.people
        for s in DutySnapshot.objects.filter(month_end=month_end)
    }


def test_a_month_is_counted_by_duty_holder_and_state(histories):
    team, worker, _, _ = histories
    result = invoke("--month", f"{FIRST:%Y-%m}")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{FIRST.isoformat()}: 3 duty rows counted\n"
    duty = "assessment-after-request"
    assert cells(FIRST) == {
        (duty, team.organisation_id, team.pk, worker.pk, "due"): 1,
        (duty, team.organisation_id, team.pk, None, "due"): 1,
        (duty, None, None, None, "due"): 1,
    }
    # A month later the same requests are overdue.
    assert invoke("--month", f"{SECOND:%Y-%m}").exit_code == 0
    assert sum(n for (_, _, _, _, s), n in cells(SECOND).items() if s == "overdue") == 3


def test_re_running_a_month_replaces_it(histories):
    unheld = histories[3]
    assert invoke("--month", f"{SECOND:%Y-%m}").exit_code == 0
    first = cells(SECOND)
    assert invoke("--month", f"{SECOND:%Y-%m}").exit_code == 0
    assert cells(SECOND) == first  # idempotent: no doubled counts
    # A back-dated assessment changes the second month's figure when the month is recorded again.
    EventFactory(
        person=unheld, event_type=cld.ASSESSMENT, start_date=ON + dt.timedelta(days=15),
        end_date=None, outcome="", route_of_access="", assessment_type="Long term assessment",
    )  # fmt: skip
    assert invoke("--month", f"{SECOND:%Y-%m}").exit_code == 0
    again = cells(SECOND)
    assert again[("assessment-after-request", None, None, None, "met")] == 1
    assert ("assessment-after-request", None, None, None, "overdue") not in again


def test_months_records_the_last_n_month_ends_before_today(histories):
    result = invoke("--months", "3")
    assert result.exit_code == 0, result.output
    expected = snapshots.month_ends(timezone.localdate() - dt.timedelta(days=1), 3)
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        e.isoformat() for e in expected
    ]
    # Only months with someone to count have rows; none is a month that has not ended.
    recorded = set(DutySnapshot.objects.values_list("month_end", flat=True))
    assert recorded <= set(expected)
    assert all(e < timezone.localdate() for e in expected)


def test_by_default_the_last_month_that_has_ended(histories):
    result = invoke()
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    last = snapshots.month_ends(timezone.localdate() - dt.timedelta(days=1), 1)[0]
    assert line.startswith(last.isoformat())


def test_each_month_is_audited(histories):
    analyst = WorkerFactory(username="pa.snap", role=Role.PERFORMANCE_ANALYST)
    before = AuditEvent.objects.count()
    assert invoke("--months", "2", "--user", "pa.snap").exit_code == 0
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [(e.action, e.object_type, e.actor_id, e.source) for e in events] == [
        (AuditEvent.Action.CREATE, "duties.snapshot", analyst.pk, "cli")
    ] * 2
    assert events[0].changes["run_by"] == "pa.snap"
    assert invoke("--month", f"{FIRST:%Y-%m}").exit_code == 0
    latest = AuditEvent.objects.latest("id")
    assert latest.object_id == FIRST.isoformat() and latest.changes["rows_counted"] == 3
    assert "operating-system user" in latest.changes["run_by"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2026-13"], "not a real month"),
        (["--month", "March"], "like 2026-03"),
        (["--month", "2026-3"], "like 2026-03"),
        (["--month", "2999-01"], "has not ended yet"),
        (["--months", "0"], "from 1 to 120"),
        (["--months", "abc"], "from 1 to 120"),
        (["--months", "121"], "from 1 to 120"),
        (["--month", "2020-01", "--months", "2"], "not both"),
        (["--month", "2020-01", "--user", "nobody"], "No active worker"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_writes_nothing(histories, args, message):
    before = AuditEvent.objects.count()
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert not DutySnapshot.objects.exists()
    assert AuditEvent.objects.count() == before


def test_the_current_month_has_not_ended(histories):
    result = invoke("--month", f"{timezone.localdate():%Y-%m}")
    assert result.exit_code == 2 and "has not ended yet" in result.stderr


def test_a_worker_without_a_compliance_role_is_refused(histories):
    WorkerFactory(username="sw.snap", role=Role.SOCIAL_WORKER)
    result = invoke("--month", "2020-01", "--user", "sw.snap")
    assert result.exit_code == 2 and "does not include duty compliance" in result.stderr


@pytest.mark.parametrize(
    ("through", "count", "expected"),
    [
        (D(2026, 3, 31), 2, [D(2026, 2, 28), D(2026, 3, 31)]),
        (D(2026, 3, 30), 2, [D(2026, 1, 31), D(2026, 2, 28)]),
        (D(2024, 2, 29), 1, [D(2024, 2, 29)]),
        (D(2026, 1, 15), 3, [D(2025, 10, 31), D(2025, 11, 30), D(2025, 12, 31)]),
    ],
)
def test_month_ends(through, count, expected):
    assert snapshots.month_ends(through, count) == expected


def test_the_seeds_call_records_a_year_of_month_ends(histories):
    n = snapshots.record_recent(SECOND, months=12)
    ends = sorted(DutySnapshot.objects.values_list("month_end", flat=True).distinct())
    assert ends == [FIRST, SECOND]  # the months before had no one to count
    assert n == DutySnapshot.objects.count() == 6
