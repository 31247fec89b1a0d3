"""Transfers of teams and workers between organisations, and bulk reallocation: the dry run,
the atomic change with history kept, the reconciliation, cancelling, and an injected failure
that leaves every record as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from carebridge.assessments.models import Assessment
from carebridge.casework.models import Allocation
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.organisations.models import Team
from carebridge.partnerships import selectors, transfers
from carebridge.partnerships.models import Employment, TeamHosting, Transfer
from tests.factories import AllocationFactory, PersonFactory, TeamFactory, WorkerFactory
from tests.planning.factories import AssessmentFactory

K, S = Transfer.Kind, Transfer.Status


@pytest.fixture
def admin(county):
    return county.workers[Role.SYSTEM_ADMINISTRATOR]


def _today() -> dt.date:
    return timezone.localdate()


def _teams_home(county, admin, *, on=None, reason="Cabinet decision 2026/41: end the s75"):
    return transfers.draft_transfer(
        admin,
        kind=K.TEAMS,
        from_organisation=county.trust,
        to_organisation=county.council,
        teams=[county.team_a],
        effective_on=on or _today(),
        reason=reason,
    )


def _everything() -> dict:
    """Every row of every table a transfer writes (the transfer and audit log apart)."""
    from carebridge.duties.models import DutyState
    from carebridge.mentalhealth.models import MHAAssessment
    from carebridge.organisations.models import Worker
    from carebridge.safeguarding.models import Enquiry

    models = (Team, Worker, Allocation, TeamHosting, Employment, DutyState, Assessment)
    out = {m.__name__: sorted(map(repr, m.objects.values_list())) for m in models}
    out["mha"] = sorted(map(repr, MHAAssessment.objects.values_list()))
    out["enquiry"] = sorted(map(repr, Enquiry.objects.values_list()))
    return out


def _allocate_team_held(county):
    """The county fixture has a case held by the team with no named worker: allocate it."""
    a = Allocation.objects.get(person=county.person_a_team, ended_at__isnull=True)
    a.worker = county.workers[Role.SOCIAL_WORKER]
    a.save()


def test_preview_lists_everything_affected_and_blocks_a_case_with_no_named_worker(county, admin):
    t = _teams_home(county, admin)
    p = transfers.preview(t)
    assert [r["name"] for r in p.teams] == ["North CMHT"]
    assert p.teams[0]["from"] == "Test MH Trust" and p.teams[0]["to"] == "Test County Council"
    # every active worker in the team, with employer before and after
    assert {r["worker"] for r in p.workers} == {w.pk for w in county.workers.values()}
    nhs = next(r for r in p.workers if r["worker"] == county.workers[Role.NHS_PARTNER].pk)
    assert nhs["employer_after"] == "Test MH Trust"  # NHS colleagues keep their NHS employer
    sw = next(r for r in p.workers if r["worker"] == county.workers[Role.SOCIAL_WORKER].pk)
    assert (sw["employer_before"], sw["employer_after"]) == ("Test MH Trust", "Test County Council")
    assert {c["person"] for c in p.cases} == {
        county.person_a.pk,
        county.person_a_team.pk,
        county.restricted.pk,
    }
    assert any("has no named worker" in b for b in p.blockers)
    assert len(p.access) == len(p.workers)
    # a dry run writes nothing
    assert not TeamHosting.objects.exists() and not Employment.objects.exists()


def test_confirming_with_a_blocker_is_refused_and_changes_nothing(county, admin):
    t = _teams_home(county, admin)
    p = transfers.preview(t)
    with pytest.raises(transfers.TransferError, match="no named worker"):
        transfers.confirm(admin, t, digest=p.digest)
    t.refresh_from_db()
    assert t.status == S.DRAFT
    assert Team.objects.get(pk=county.team_a.pk).organisation == county.trust


def test_team_transfer_today_moves_the_team_keeps_history_and_reconciles(county, admin):
    _allocate_team_held(county)
    yesterday = _today() - dt.timedelta(days=1)
    t = _teams_home(county, admin)
    p = transfers.preview(t)
    assert not p.blockers
    t = transfers.confirm(admin, t, digest=p.digest)
    assert t.status == S.COMPLETED
    team = Team.objects.get(pk=county.team_a.pk)
    assert team.organisation == county.council
    # history: hosted by the trust until yesterday, by the council from today
    assert selectors.hosting_on(yesterday)[team.pk].managed_by_id == county.trust.pk
    assert selectors.hosting_on(_today())[team.pk].managed_by_id == county.council.pk
    sw = county.workers[Role.SOCIAL_WORKER]
    assert selectors.employment_on(yesterday)[sw.pk].employed_by_id == county.trust.pk
    assert selectors.employment_on(_today())[sw.pk].employed_by_id == county.council.pk
    nhs = county.workers[Role.NHS_PARTNER]
    assert selectors.employment_on(_today())[nhs.pk].employed_by_id == county.trust.pk
    manager = county.workers[Role.TEAM_MANAGER]
    assert selectors.employment_on(_today())[sw.pk].line_manager_id == manager.pk
    # the cases stay with their workers: no hand-off for the people
    assert Allocation.objects.filter(person=county.person_a).count() == 1
    r = t.reconciliation
    assert r["problems"] == []
    assert r["totals"]["cases"] == r["totals"]["cases_held"] == 3
    assert all(c["ok"] and c["worker"] and c["team"] for c in r["cases"])
    assert {c["organisation"] for c in r["cases"]} == {"Test County Council"}
    # an audit entry for the team, each worker, and the transfer's steps
    audit = AuditEvent.objects.filter(summary__contains=t.reference)
    assert audit.filter(object_type="organisations.team").count() == 1
    assert audit.filter(object_type="organisations.worker").count() == len(county.workers)
    assert audit.filter(object_type="partnerships.transfer").count() >= 3


def test_a_failure_half_way_leaves_every_record_as_it_was(county, admin, monkeypatch):
    _allocate_team_held(county)
    t = _teams_home(county, admin)
    p = transfers.preview(t)
    calls = {"n": 0}
    real = transfers._change_employment

    def fail_on_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("injected failure: the database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(transfers, "_change_employment", fail_on_third)
    before = _everything()
    with pytest.raises(RuntimeError, match="injected failure"):
        transfers.confirm(admin, t, digest=p.digest)
    assert calls["n"] == 3
    assert _everything() == before
    t.refresh_from_db()
    assert t.status == S.FAILED and "injected failure" in t.failure
    assert Team.objects.get(pk=county.team_a.pk).organisation == county.trust
    assert not TeamHosting.objects.exists() and not Employment.objects.exists()


def test_a_scheduled_transfer_waits_for_its_date_and_can_be_cancelled(county, admin):
    _allocate_team_held(county)
    t = _teams_home(county, admin, on=_today() + dt.timedelta(days=30))
    t = transfers.confirm(admin, t, digest=transfers.preview(t).digest)
    assert t.status == S.SCHEDULED
    assert Team.objects.get(pk=county.team_a.pk).organisation == county.trust
    assert transfers.run_due(admin) == []  # not due yet
    transfers.cancel(admin, t, reason="The cabinet deferred the decision")
    t.refresh_from_db()
    assert t.status == S.CANCELLED
    with pytest.raises(transfers.TransferError, match="cannot be cancelled"):
        transfers.cancel(admin, t, reason="The cabinet deferred the decision")


def test_run_due_carries_out_a_scheduled_transfer_on_its_date(county, admin):
    _allocate_team_held(county)
    t = _teams_home(county, admin, on=_today() + dt.timedelta(days=1))
    transfers.confirm(admin, t, digest=transfers.preview(t).digest)
    Transfer.objects.filter(pk=t.pk).update(effective_on=_today())  # the day has come
    [done] = transfers.run_due(admin)
    assert done.status == S.COMPLETED
    assert Team.objects.get(pk=county.team_a.pk).organisation == county.council


def test_a_stale_preview_and_a_second_confirmation_are_refused(county, admin):
    _allocate_team_held(county)
    t = _teams_home(county, admin)
    seen = transfers.preview(t).digest
    AllocationFactory(
        person=PersonFactory(), team=county.team_a, worker=county.workers[Role.SOCIAL_WORKER]
    )
    with pytest.raises(transfers.PreviewChanged):
        transfers.confirm(admin, t, digest=seen)
    transfers.confirm(admin, t, digest=transfers.preview(t).digest)
    with pytest.raises(transfers.TransferError, match="already completed"):
        transfers.confirm(admin, t, digest=transfers.preview(t).digest)


def test_the_past_cannot_be_rewritten_and_bad_input_is_explained(county, admin):
    with pytest.raises(transfers.TransferError) as e:
        _teams_home(county, admin, on=_today() - dt.timedelta(days=1))
    assert "today or in the future" in str(e.value)
    with pytest.raises(transfers.TransferError, match="at least 10 characters"):
        _teams_home(county, admin, reason="because")
    with pytest.raises(transfers.TransferError, match="agreement"):
        transfers.draft_transfer(
            admin,
            kind=K.TEAMS,
            from_organisation=county.council,
            to_organisation=county.trust,
            teams=[county.team_b],
            effective_on=_today(),
            reason="Hosting the locality team in the trust",
        )
    assert not Transfer.objects.exists()


def test_a_name_clash_in_the_new_organisation_blocks_the_transfer(county, admin):
    TeamFactory(organisation=county.council, name="North CMHT")
    p = transfers.preview(_teams_home(county, admin))
    assert any("already has a team called North CMHT" in b for b in p.blockers)


def test_only_administrators_move_teams(county):
    with pytest.raises(PermissionDenied):
        _teams_home(county, county.workers[Role.TEAM_MANAGER])
    assert not Transfer.objects.exists()


def test_moving_selected_workers_takes_their_cases_and_drafts_to_the_new_team(county, admin):
    sw = county.workers[Role.SOCIAL_WORKER]
    draft = AssessmentFactory(
        person=county.person_a,
        assessor=sw,
        team=county.team_a,
        status=Assessment.Status.DRAFT,
        completed_on=None,
    )
    t = transfers.draft_transfer(
        admin,
        kind=K.WORKERS,
        from_organisation=county.trust,
        workers=[sw],
        to_team=county.team_b,
        effective_on=_today(),
        reason="Moves to the locality team after restructure",
    )
    p = transfers.preview(t)
    assert not p.blockers, p.blockers
    assert [c["team_after"] for c in p.cases] == ["Central Locality"]
    t = transfers.confirm(admin, t, digest=p.digest)
    assert t.status == S.COMPLETED, t.failure
    sw.refresh_from_db()
    assert sw.team == county.team_b
    a = Allocation.objects.get(person=county.person_a, ended_at__isnull=True)
    assert (a.team, a.worker, a.reason) == (county.team_b, sw, "team_change")
    draft.refresh_from_db()
    assert draft.team == county.team_b and draft.is_draft
    assert selectors.employment_on(_today())[sw.pk].employed_by_id == county.council.pk
    assert t.reconciliation["problems"] == []


def test_reallocating_a_leavers_cases_shares_them_out_and_closes_the_account(county, admin):
    team = county.team_b
    leaving = county.worker_b
    others = [WorkerFactory(role=Role.SOCIAL_WORKER, team=team) for _ in range(2)]
    people = [PersonFactory() for _ in range(3)]
    for person in people:
        AllocationFactory(person=person, team=team, worker=leaving)
    manager = county.manager_b
    t = transfers.draft_reallocation(
        manager,
        leaving=leaving,
        sharing=Transfer.Sharing.SHARE,
        effective_on=_today(),
        reason="Leaves the council at the end of the month",
    )
    p = transfers.preview(t)
    assert not p.blockers, p.blockers
    assert len(p.cases) == 4  # person_b and the three
    t = transfers.confirm(manager, t, digest=p.digest)
    assert t.status == S.COMPLETED, t.failure
    leaving.refresh_from_db()
    assert not leaving.is_active
    held = Allocation.objects.filter(ended_at__isnull=True, person__in=[*people, county.person_b])
    assert sorted(held.values_list("worker_id", flat=True)) == sorted(
        [others[0].pk, others[0].pk, others[1].pk, others[1].pk]
    )
    assert t.reconciliation["totals"]["cases_held"] == 4
    assert t.cases.count() == 4


def test_a_team_manager_cannot_reallocate_another_teams_worker(county):
    with pytest.raises(PermissionDenied):
        transfers.draft_reallocation(
            county.workers[Role.TEAM_MANAGER],
            leaving=county.worker_b,
            sharing=Transfer.Sharing.SHARE,
            effective_on=_today(),
            reason="Leaves the council at the end of the month",
        )
    assert not Transfer.objects.exists()


def test_cases_go_only_to_someone_who_holds_cases(county, admin):
    with pytest.raises(transfers.TransferError, match="does not hold cases"):
        transfers.draft_reallocation(
            admin,
            leaving=county.worker_b,
            sharing=Transfer.Sharing.ONE_WORKER,
            receiving=county.workers[Role.FINANCE_OFFICER],
            effective_on=_today(),
            reason="Leaves the council at the end of the month",
        )
    assert not Transfer.objects.exists()


def test_cases_with_no_named_worker_can_go_to_the_team_manager_on_the_day(county, admin):
    t = transfers.draft_transfer(
        admin,
        kind=K.TEAMS,
        from_organisation=county.trust,
        to_organisation=county.council,
        teams=[county.team_a],
        effective_on=_today(),
        reason="Cabinet decision 2026/41: end the s75",
        waiting_cases_to_manager=True,
    )
    p = transfers.preview(t)
    assert not p.blockers, p.blockers
    manager = county.workers[Role.TEAM_MANAGER]
    waiting = next(c for c in p.cases if c["person"] == county.person_a_team.pk)
    assert waiting["worker_before"] == "" and waiting["worker_after_id"] == manager.pk
    t = transfers.confirm(admin, t, digest=p.digest)
    assert t.status == S.COMPLETED, t.failure
    a = Allocation.objects.get(person=county.person_a_team, ended_at__isnull=True)
    assert (a.team, a.worker) == (county.team_a, manager)
    assert t.reconciliation["totals"]["cases_held"] == 3


def test_a_team_manager_reallocates_within_their_own_team_only(county):
    with pytest.raises(transfers.TransferError, match="your own team"):
        transfers.draft_reallocation(
            county.manager_b,
            leaving=county.worker_b,
            sharing=Transfer.Sharing.ONE_WORKER,
            receiving=county.workers[Role.SOCIAL_WORKER],
            effective_on=_today(),
            reason="Leaves the council at the end of the month",
        )
    assert not Transfer.objects.exists()


def test_the_preview_reads_in_a_fixed_number_of_queries(county, admin):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _allocate_team_held(county)
    t = _teams_home(county, admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            transfers.preview(t)
        return len(q.captured_queries)

    few = count()
    for _ in range(10):
        w = WorkerFactory(role=Role.SOCIAL_WORKER, team=county.team_a)
        AllocationFactory(person=PersonFactory(), team=county.team_a, worker=w)
    assert count() == few
