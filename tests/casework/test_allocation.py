"""Allocation: who holds a person's case. A reallocation ends the current allocation and starts
the next (history kept, one open at a time, enforced by the database); the worker must be in the
chosen team; only team managers allocate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from carebridge.casework import services
from carebridge.casework.models import Allocation
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from tests.core import form_data
from tests.factories import AllocationFactory, PersonFactory, WorkerFactory


@pytest.fixture
def manager(county):
    return county.workers[Role.TEAM_MANAGER]


def _allocations(person):
    return list(
        Allocation.objects.filter(person=person)
        .order_by("started_at", "pk")
        .values_list("team_id", "worker_id", "ended_at")
    )


def _state(person):
    return _allocations(person), AuditEvent.objects.filter(person=person).count()


def _url(person) -> str:
    return reverse("casework:allocate", args=[person.person_id])


# -- the service -------------------------------------------------------------------------------


def test_reallocation_ends_the_previous_allocation_and_keeps_history(county, manager):
    person = county.person_a
    first = Allocation.objects.get(person=person)
    at = timezone.now()
    new = services.allocate(
        manager,
        person,
        team=county.team_b,
        worker=county.worker_b,
        reason="worker_left",
        note="Moved on discharge",
        at=at,
    )
    first.refresh_from_db()
    assert first.ended_at == at
    assert (new.team, new.worker, new.started_at, new.ended_at) == (
        county.team_b,
        county.worker_b,
        at,
        None,
    )
    assert (new.allocated_by, new.reason, new.note) == (
        manager,
        "worker_left",
        "Moved on discharge",
    )
    assert Allocation.objects.filter(person=person).count() == 2
    assert Allocation.objects.filter(person=person, ended_at__isnull=True).get() == new

    # And again: every hand-off stays in the history, in order.
    later = at + dt.timedelta(days=3)
    services.allocate(manager, person, team=county.team_a, reason="worker_capacity", at=later)
    assert _allocations(person) == [
        (county.team_a.pk, county.workers[Role.SOCIAL_WORKER].pk, at),
        (county.team_b.pk, county.worker_b.pk, later),
        (county.team_a.pk, None, None),
    ]


def test_first_allocation_of_a_new_person(county, manager):
    person = PersonFactory()
    services.allocate(manager, person, team=county.team_a, reason="new_request")
    assert _allocations(person) == [(county.team_a.pk, None, None)]


def test_allocation_is_audited_with_before_and_after(county, manager):
    sw = county.workers[Role.SOCIAL_WORKER]
    services.allocate(
        manager, county.person_a, team=county.team_b, worker=county.worker_b, reason="worker_left"
    )
    event = AuditEvent.objects.get(person=county.person_a, action=AuditEvent.Action.CREATE)
    assert event.actor == manager
    assert event.changes == {
        "before": {"team": county.team_a.pk, "worker": sw.pk},
        "after": {"team": county.team_b.pk, "worker": county.worker_b.pk},
    }
    assert event.summary == f"Allocated to {county.worker_b} ({county.team_b})"


def test_reallocation_moves_who_may_open_the_record(client, county, manager):
    sw = county.workers[Role.SOCIAL_WORKER]
    detail = reverse("people:detail", args=[county.person_a.person_id])
    services.allocate(
        manager, county.person_a, team=county.team_b, worker=county.worker_b, reason="worker_left"
    )
    client.force_login(sw)
    assert client.get(detail).status_code == 403
    client.force_login(county.worker_b)
    assert client.get(detail).status_code == 200


def test_only_one_open_allocation_is_allowed_by_the_database(county):
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.create(
            person=county.person_a,
            team=county.team_b,
            started_at=timezone.now(),
            reason="new_request",
        )
    assert Allocation.objects.filter(person=county.person_a, ended_at__isnull=True).count() == 1


def test_an_allocation_cannot_end_before_it_starts(county):
    current = Allocation.objects.get(person=county.person_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(pk=current.pk).update(
            ended_at=current.started_at - dt.timedelta(seconds=1)
        )


def test_worker_must_be_in_the_chosen_team(county, manager):
    before = _state(county.person_a)
    with pytest.raises(ValidationError) as e:
        services.allocate(
            manager,
            county.person_a,
            team=county.team_a,
            worker=county.worker_b,
            reason="worker_left",
        )
    assert e.value.message_dict == {
        "worker": [f"{county.worker_b} is not a member of {county.team_a}"]
    }
    assert _state(county.person_a) == before


def test_same_worker_and_team_again_is_refused(county, manager):
    sw = county.workers[Role.SOCIAL_WORKER]
    before = _state(county.person_a)
    with pytest.raises(ValidationError, match="already allocated to this worker and team"):
        services.allocate(manager, county.person_a, team=county.team_a, worker=sw, reason="x")
    assert _state(county.person_a) == before


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.TEAM_MANAGER])
def test_only_team_managers_allocate(county, role):
    before = _state(county.person_a)
    with pytest.raises(PermissionDenied):
        services.allocate(
            county.workers[role], county.person_a, team=county.team_b, reason="worker_left"
        )
    assert _state(county.person_a) == before


# -- the page ----------------------------------------------------------------------------------


def test_allocation_page_shows_the_current_team(client, county, manager):
    client.force_login(manager)
    response = client.get(_url(county.person_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Allocate Anna Allocated" in html
    assert f'<option value="{county.team_a.pk}" selected' in html
    assert county.team_b.name in html


def test_allocating_through_the_page(client, county, manager):
    client.force_login(manager)
    response = client.post(
        _url(county.person_a_team),
        form_data.allocation(county.team_a, county.workers[Role.AMHP]),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[county.person_a_team.person_id])
    assert _allocations(county.person_a_team)[-1] == (
        county.team_a.pk,
        county.workers[Role.AMHP].pk,
        None,
    )
    page = client.get(response["Location"]).content.decode()
    assert "The case has been allocated" in page


def test_page_refuses_a_worker_from_another_team_clearly(client, county, manager):
    client.force_login(manager)
    before = _state(county.person_a)
    response = client.post(
        _url(county.person_a), form_data.allocation(county.team_a, county.worker_b)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert f"{county.worker_b} is not in {county.team_a}: choose someone in that team" in html
    assert _state(county.person_a) == before


def test_page_refuses_the_same_allocation_again(client, county, manager):
    client.force_login(manager)
    before = _state(county.person_a)
    body = form_data.allocation(county.team_a, county.workers[Role.SOCIAL_WORKER])
    response = client.post(_url(county.person_a), body)
    assert response.status_code == 400
    assert "The case is already allocated to this worker and team" in response.content.decode()
    assert _state(county.person_a) == before


def test_page_asks_for_team_and_reason(client, county, manager):
    client.force_login(manager)
    before = _state(county.person_a)
    response = client.post(_url(county.person_a), {})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select team" in html and "Select reason" in html
    assert _state(county.person_a) == before


def test_inactive_worker_cannot_be_chosen(client, county, manager):
    gone = WorkerFactory(team=county.team_a, is_active=False)
    client.force_login(manager)
    before = _state(county.person_a)
    response = client.post(_url(county.person_a), form_data.allocation(county.team_a, gone))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert _state(county.person_a) == before


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.TEAM_MANAGER])
def test_page_is_for_team_managers_only(client, county, role):
    client.force_login(county.workers[role])
    before = _state(county.person_a_team)
    response = client.post(
        _url(county.person_a_team), form_data.allocation(county.team_b, county.worker_b)
    )
    assert response.status_code == 403
    assert _allocations(county.person_a_team) == before[0]


def test_manager_of_another_team_needs_a_relationship(client, county):
    client.force_login(county.manager_b)
    before = _state(county.person_a)
    response = client.post(_url(county.person_a), form_data.allocation(county.team_b))
    assert response.status_code == 403
    assert _allocations(county.person_a) == before[0]


def test_allocation_history_survives_many_handoffs(county, manager):
    person = PersonFactory()
    AllocationFactory(person=person, team=county.team_a, worker=None)
    start = timezone.now()
    for i in range(5):
        team = county.team_b if i % 2 == 0 else county.team_a
        services.allocate(
            manager, person, team=team, reason="worker_capacity", at=start + dt.timedelta(hours=i)
        )
    rows = Allocation.objects.filter(person=person)
    assert rows.count() == 6
    assert rows.filter(ended_at__isnull=True).count() == 1
    ended = list(rows.filter(ended_at__isnull=False).order_by("started_at"))
    for previous, following in zip(ended, list(rows.order_by("started_at"))[1:], strict=True):
        assert previous.ended_at == following.started_at  # no gap, no overlap
