"""Relationship scoping: who may open whose record, breaking glass (with a reason, for a time,
seen by the person's team manager), and restricted records."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from carebridge.casework import services
from carebridge.casework.access import (
    Basis,
    person_access,
    searchable_people,
    visible_people,
)
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent, BreakGlassAccess, RestrictedAccess
from carebridge.people.search import Criteria, search
from tests.core import form_data
from tests.factories import AllocationFactory, PersonFactory

from .conftest import audit_since, last_audit_id

REASON = "Duty call: police report a welfare concern tonight"
FORM = 'data-testid="break-glass-form"'


def detail_url(person) -> str:
    return reverse("people:detail", args=[person.person_id])


def glass_url(person) -> str:
    return reverse("casework:break-glass", args=[person.person_id])


def audit_url(person) -> str:
    return reverse("people:audit", args=[person.person_id])


@pytest.fixture
def sw(county):
    """A social worker in team A."""
    return county.workers[Role.SOCIAL_WORKER]


# -- relationships -----------------------------------------------------------------------------


def test_allocated_worker_sees_the_record(client, county, sw):
    client.force_login(sw)
    response = client.get(detail_url(county.person_a))
    assert response.status_code == 200
    assert "Anna" in response.content.decode()
    assert person_access(sw, county.person_a).basis == Basis.ALLOCATED


@pytest.mark.parametrize("role", [Role.AMHP, Role.TEAM_MANAGER, Role.SAFEGUARDING_LEAD])
def test_team_member_sees_people_the_team_holds(client, county, role):
    worker = county.workers[role]
    client.force_login(worker)
    for person in (county.person_a_team, county.person_a):
        assert client.get(detail_url(person)).status_code == 200
        assert person_access(worker, person).basis == Basis.TEAM


def test_worker_in_another_team_is_refused_and_offered_break_glass(client, county):
    client.force_login(county.worker_b)
    mark = last_audit_id()
    response = client.get(detail_url(county.person_a))
    html = response.content.decode()
    assert response.status_code == 403
    assert "You do not have access to this record" in html
    assert FORM in html
    assert "Anna Allocated is not allocated to you or to your team" in html
    # The refusal is audited; nothing was viewed.
    assert [(e.action, e.person_id, e.actor_id) for e in audit_since(mark)] == [
        (AuditEvent.Action.ACCESS_REFUSED, county.person_a.pk, county.worker_b.pk)
    ]


def test_unallocated_person_needs_break_glass_too(client, county, sw):
    nobody = PersonFactory(given_name="Nora", family_name="Unallocated")
    client.force_login(sw)
    assert client.get(detail_url(nobody)).status_code == 403
    access = person_access(sw, nobody)
    assert (access.allowed, access.basis, access.can_break_glass) == (False, Basis.NONE, True)


def test_ended_allocation_is_no_longer_a_relationship(client, county, sw):
    person = PersonFactory()
    old = AllocationFactory(person=person, team=county.team_a, worker=sw)
    old.ended_at = timezone.now() - dt.timedelta(days=1)
    old.save()
    AllocationFactory(person=person, team=county.team_b, worker=county.worker_b)
    client.force_login(sw)
    assert client.get(detail_url(person)).status_code == 403


# -- break glass -------------------------------------------------------------------------------


def test_break_glass_opens_the_record_with_reason_recorded(client, county, sw):
    person = county.person_b
    client.force_login(sw)
    mark = last_audit_id()
    response = client.post(
        glass_url(person), {"reason": f"  {REASON}  ", "next": detail_url(person)}
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(person)

    grant = BreakGlassAccess.objects.get(worker=sw, person=person)
    assert grant.reason == REASON  # trimmed
    assert grant.team_at_time == county.team_b
    assert grant.expires_at - grant.granted_at == dt.timedelta(hours=settings.BREAK_GLASS_HOURS)
    event = AuditEvent.objects.get(pk__gt=mark, action=AuditEvent.Action.BREAK_GLASS)
    assert (event.actor_id, event.person_id, event.reason) == (sw.pk, person.pk, REASON)
    assert event.object_type == "core.breakglassaccess" and event.object_id == str(grant.pk)

    response = client.get(detail_url(person))
    assert response.status_code == 200
    assert "You opened this record by breaking glass" in response.content.decode()
    view = AuditEvent.objects.get(pk__gt=mark, action=AuditEvent.Action.VIEW)
    assert view.reason == "break-glass access" and view.person_id == person.pk
    assert person_access(sw, person).basis == Basis.BREAK_GLASS
    assert visible_people(sw).filter(pk=person.pk).exists()


def test_break_glass_lets_the_worker_act_on_the_record(client, county, sw):
    client.force_login(sw)
    client.post(glass_url(county.person_b), {"reason": REASON})
    assert (
        client.get(reverse("casework:add-note", args=[county.person_b.person_id])).status_code
        == 200
    )


def test_break_glass_expires_after_break_glass_hours(client, county, sw):
    person = county.person_b
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(sw)
        assert client.post(glass_url(person), {"reason": REASON}).status_code == 302
    hours = dt.timedelta(hours=settings.BREAK_GLASS_HOURS)
    with time_machine.travel(start + hours - dt.timedelta(minutes=1), tick=False):
        client.force_login(sw)  # a fresh session: the idle time-out is not what is tested here
        assert client.get(detail_url(person)).status_code == 200
    with time_machine.travel(start + hours + dt.timedelta(seconds=1), tick=False):
        client.force_login(sw)
        response = client.get(detail_url(person))
        assert response.status_code == 403
        assert FORM in response.content.decode()  # may break glass again, with a new reason
        assert not visible_people(sw).filter(pk=person.pk).exists()
        assert searchable_people(sw).filter(pk=person.pk).exists()
    assert BreakGlassAccess.objects.filter(worker=sw, person=person).count() == 1  # kept


@pytest.mark.parametrize("reason", ["", "   ", "urgent", "  urgent!  ", "123456789"])
def test_short_reason_is_refused_clearly_and_creates_nothing(client, county, sw, reason):
    client.force_login(sw)
    mark = last_audit_id()
    response = client.post(glass_url(county.person_b), {"reason": reason})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    if reason.strip():
        assert "Explain why you need to see this record (at least 10 characters)" in html
    else:
        assert "Explain why you need to see this record" in html
    assert FORM in html  # asked again
    assert not BreakGlassAccess.objects.exists()
    assert not audit_since(mark).filter(action=AuditEvent.Action.BREAK_GLASS).exists()
    assert client.get(detail_url(county.person_b)).status_code == 403


def test_ten_characters_is_enough(client, county, sw):
    client.force_login(sw)
    assert client.post(glass_url(county.person_b), {"reason": "1234567890"}).status_code == 302
    assert BreakGlassAccess.objects.filter(worker=sw, person=county.person_b).exists()


def test_no_break_glass_needed_with_a_relationship(client, county, sw):
    client.force_login(sw)
    response = client.post(glass_url(county.person_a), {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == detail_url(county.person_a)
    assert not BreakGlassAccess.objects.exists()


def test_break_glass_next_must_be_on_this_site(client, county, sw):
    client.force_login(sw)
    response = client.post(
        glass_url(county.person_b), {"reason": REASON, "next": "https://evil.example/"}
    )
    assert response["Location"] == detail_url(county.person_b)


def test_persons_team_manager_sees_break_glass_and_others_do_not(client, county, sw):
    client.force_login(sw)
    client.post(glass_url(county.person_b), {"reason": REASON})

    # manager_b: person_b's team manager.
    client.force_login(county.manager_b)
    report = client.get(reverse("casework:break-glass-report"))
    assert report.status_code == 200
    html = report.content.decode()
    assert REASON in html and "Brian Elsewhere" in html and sw.get_full_name() in html
    log = client.get(audit_url(county.person_b))
    assert log.status_code == 200
    html = log.content.decode()
    assert REASON in html and "Broke glass" in html

    # The manager of another team (team A, the worker's own) sees neither.
    manager_a = county.workers[Role.TEAM_MANAGER]
    client.force_login(manager_a)
    html = client.get(reverse("casework:break-glass-report")).content.decode()
    assert REASON not in html and "No break-glass access" in html
    mark = last_audit_id()
    assert client.get(audit_url(county.person_b)).status_code == 403
    assert [e.action for e in audit_since(mark)] == [AuditEvent.Action.ACCESS_REFUSED]

    # Administrators see every break-glass access.
    client.force_login(county.workers[Role.SYSTEM_ADMINISTRATOR])
    assert REASON in client.get(reverse("casework:break-glass-report")).content.decode()


def test_break_glass_stays_reported_to_the_team_that_held_the_case(client, county, sw):
    """If the case moves on later, the access stays reported to the team that held it then."""
    client.force_login(sw)
    client.post(glass_url(county.person_b), {"reason": REASON})
    services.allocate(
        county.manager_b, county.person_b, team=county.team_a, reason="worker_capacity"
    )
    assert BreakGlassAccess.objects.get().team_at_time_id == county.team_b.pk
    client.force_login(county.manager_b)
    assert REASON in client.get(reverse("casework:break-glass-report")).content.decode()
    client.force_login(county.workers[Role.TEAM_MANAGER])
    assert REASON not in client.get(reverse("casework:break-glass-report")).content.decode()


def test_nhs_partner_cannot_break_glass(client, county):
    partner = county.workers[Role.NHS_PARTNER]
    client.force_login(partner)
    response = client.get(detail_url(county.person_b))
    assert response.status_code == 403
    html = response.content.decode()
    assert FORM not in html
    assert "Ask the team manager of the team that holds this case" in html
    assert client.get(glass_url(county.person_b)).status_code == 403
    assert client.post(glass_url(county.person_b), {"reason": REASON}).status_code == 403
    assert not BreakGlassAccess.objects.exists()
    assert not person_access(partner, county.person_b).can_break_glass
    # ...but sees the people their team shares care of.
    assert client.get(detail_url(county.person_a_team)).status_code == 200


# -- restricted records ------------------------------------------------------------------------


def _names(results) -> set[str]:
    return {h.person.full_name for h in results.hits}


def test_restricted_record_is_hidden_from_search_for_workers_not_named(client, county, sw):
    assert "Rita Private" not in _names(search(sw, Criteria(name="Rita Private")))
    assert "Rita Private" not in _names(
        search(sw, Criteria(nhs_number=county.restricted.nhs_number))
    )
    client.force_login(sw)
    response = client.get(reverse("people:search"), {"name": "Private"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rita" not in html and county.restricted.person_id not in html
    assert "0 people found" in html
    # The search is audited without the hidden record among its results.
    event = AuditEvent.objects.get(action=AuditEvent.Action.SEARCH, actor=sw)
    assert county.restricted.person_id not in event.changes["results"]


def test_restricted_record_is_hidden_even_from_the_team_manager_not_named(client, county):
    manager = county.workers[Role.TEAM_MANAGER]
    assert "Rita Private" not in _names(search(manager, Criteria(name="Rita Private")))
    client.force_login(manager)
    assert client.get(detail_url(county.restricted)).status_code == 404


def test_restricted_record_is_not_found_and_glass_cannot_be_broken(client, county, sw):
    client.force_login(sw)
    mark = last_audit_id()
    for response in (
        client.get(detail_url(county.restricted)),
        client.get(glass_url(county.restricted)),
        client.post(glass_url(county.restricted), {"reason": REASON}),
        client.get(reverse("casework:add-note", args=[county.restricted.person_id])),
    ):
        assert response.status_code == 404
        assert "Rita" not in response.content.decode()
    assert not BreakGlassAccess.objects.exists()
    refusals = audit_since(mark)
    assert [e.action for e in refusals] == [AuditEvent.Action.ACCESS_REFUSED] * 4
    assert {e.person_id for e in refusals} == {county.restricted.pk}


def test_named_worker_finds_and_opens_restricted_record(client, county):
    amhp = county.workers[Role.AMHP]
    assert "Rita Private" in _names(search(amhp, Criteria(name="Rita Private")))
    client.force_login(amhp)
    html = client.get(reverse("people:search"), {"name": "Private"}).content.decode()
    assert "Rita" in html and "Restricted: you are named on this record" in html
    response = client.get(detail_url(county.restricted))
    assert response.status_code == 200
    assert person_access(amhp, county.restricted).basis == Basis.NAMED


def test_naming_a_worker_in_another_team_opens_the_record_to_them(client, county):
    RestrictedAccess.objects.create(person=county.restricted, worker=county.worker_b)
    client.force_login(county.worker_b)
    assert client.get(detail_url(county.restricted)).status_code == 200


def test_allocation_alone_does_not_open_a_restricted_record(client, county, sw):
    """Allocated to a worker who is not named: still hidden (naming is what counts)."""
    person = PersonFactory(given_name="Rhoda", family_name="Hidden", is_restricted=True)
    AllocationFactory(person=person, team=county.team_a, worker=sw)
    client.force_login(sw)
    assert client.get(detail_url(person)).status_code == 404
    assert not visible_people(sw).filter(pk=person.pk).exists()


# -- searchable_people vs visible_people -------------------------------------------------------


def _ids(qs) -> set[str]:
    return set(qs.values_list("person_id", flat=True))


def test_searchable_and_visible_people(county, sw):
    c = county
    everyone_open = {c.person_a.person_id, c.person_a_team.person_id, c.person_b.person_id}
    # A practitioner finds everyone except restricted records they are not named on, but opens
    # only the people they or their team hold.
    assert _ids(searchable_people(sw)) == everyone_open
    assert _ids(visible_people(sw)) == {c.person_a.person_id, c.person_a_team.person_id}
    # The named AMHP also finds and opens the restricted record.
    amhp = c.workers[Role.AMHP]
    assert _ids(searchable_people(amhp)) == everyone_open | {c.restricted.person_id}
    assert _ids(visible_people(amhp)) == {
        c.person_a.person_id,
        c.person_a_team.person_id,
        c.restricted.person_id,
    }
    # Administrators search (to answer "who looked at this record") but open no records.
    admin = c.workers[Role.SYSTEM_ADMINISTRATOR]
    assert _ids(searchable_people(admin)) == everyone_open
    assert _ids(visible_people(admin)) == set()
    # Commissioners and analysts neither find nor open anyone.
    for role in (Role.COMMISSIONER, Role.PERFORMANCE_ANALYST):
        assert _ids(searchable_people(c.workers[role])) == set()
        assert _ids(visible_people(c.workers[role])) == set()
    # Team B sees its own.
    assert _ids(visible_people(c.worker_b)) == {c.person_b.person_id}


def test_visible_people_agrees_with_person_access(county):
    """The queryset and the one-record check are the same rule."""
    workers = [*county.workers.values(), county.manager_b, county.worker_b]
    people = [county.person_a, county.person_a_team, county.person_b, county.restricted]
    BreakGlassAccess.objects.create(
        worker=county.worker_b,
        person=county.person_a_team,
        reason=REASON,
        granted_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    BreakGlassAccess.objects.create(  # expired
        worker=county.worker_b,
        person=county.person_a,
        reason=REASON,
        granted_at=timezone.now() - dt.timedelta(hours=10),
        expires_at=timezone.now() - dt.timedelta(hours=2),
    )
    for worker in workers:
        visible = set(visible_people(worker).values_list("pk", flat=True))
        searchable = set(searchable_people(worker).values_list("pk", flat=True))
        for person in people:
            access = person_access(worker, person)
            assert (person.pk in visible) == access.allowed, (worker.username, person)
            assert (person.pk in searchable) == (
                access.exists_for_worker and searchable_people(worker).exists()
            ), (worker.username, person)


def test_worker_who_adds_a_person_can_open_their_record(client, county, sw):
    client.force_login(sw)
    response = client.post(reverse("people:create"), form_data.new_person(), follow=True)
    assert response.status_code == 200
    assert "has been added" in response.content.decode()
