"""The audit log: who created, changed, viewed and searched which record, signed in and out,
from where, in which request — append-only, down to the database — and who may read it."""

from __future__ import annotations

import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from carebridge.casework import services as casework
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.people.models import Person
from tests.conftest import PASSWORD
from tests.core import form_data

IP = "203.0.113.9"
AGENT = "Mozilla/5.0 (carebridge audit test)"
FROM = {"REMOTE_ADDR": IP, "HTTP_USER_AGENT": AGENT}
Action = AuditEvent.Action


def _new(mark: int):
    return list(AuditEvent.objects.filter(pk__gt=mark).order_by("pk"))


def _mark() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _assert_web_context(event, path: str):
    assert event.source == AuditEvent.Source.WEB
    assert event.ip_address == IP
    assert event.user_agent == AGENT
    assert event.path == path
    assert str(uuid.UUID(event.request_id)) == event.request_id


@pytest.fixture
def sw(county):
    return county.workers[Role.SOCIAL_WORKER]


# -- what is recorded --------------------------------------------------------------------------


def test_create_is_recorded_with_who_where_and_what(client, county, sw):
    client.force_login(sw)
    mark = _mark()
    response = client.post(reverse("people:create"), form_data.new_person(), **FROM)
    assert response.status_code == 302
    person = Person.objects.get(family_name="Hartley")
    event, allocated = _new(mark)
    assert (allocated.action, allocated.object_type) == (Action.CREATE, "casework.allocation")
    assert event.action == Action.CREATE
    assert (event.actor, event.person, event.object_type, event.object_id) == (
        sw,
        person,
        "people.person",
        str(person.pk),
    )
    assert event.actor_label == f"{sw.get_full_name()} ({sw.username})"
    assert event.changes["after"]["family_name"] == "Hartley"
    assert event.changes["after"]["postcode"] == "NR1 2DH"
    _assert_web_context(event, reverse("people:create"))


def test_update_records_only_what_changed_before_and_after(client, county, sw):
    person = county.person_a
    client.force_login(sw)
    mark = _mark()
    url = reverse("people:edit", args=[person.person_id])
    body = form_data.edit_person(person, phone="01603 123456", family_name="Allocated-Smith")
    assert client.post(url, body, **FROM).status_code == 302
    (event,) = [e for e in _new(mark) if e.action == Action.UPDATE]
    changes = {k: v for k, v in event.changes.items() if k != "updated_at"}  # a timestamp
    assert changes == {
        "family_name": {"before": "Allocated", "after": "Allocated-Smith"},
        "phone": {"before": "", "after": "01603 123456"},
    }
    assert "family name" in event.summary and "phone" in event.summary
    assert (event.actor, event.person) == (sw, person)
    _assert_web_context(event, url)


def test_view_is_recorded(client, county, sw):
    client.force_login(sw)
    mark = _mark()
    url = reverse("people:detail", args=[county.person_a.person_id])
    assert client.get(url, **FROM).status_code == 200
    (event,) = _new(mark)
    assert (event.action, event.actor, event.person) == (Action.VIEW, sw, county.person_a)
    assert event.summary == "Viewed the person's record"
    _assert_web_context(event, url)


def test_search_is_recorded_with_criteria_and_results(client, county, sw):
    client.force_login(sw)
    mark = _mark()
    response = client.get(reverse("people:search"), {"name": "Brian Elsewhere"}, **FROM)
    assert response.status_code == 200
    (event,) = _new(mark)
    assert (event.action, event.actor, event.person) == (Action.SEARCH, sw, None)
    assert event.changes == {
        "criteria": {"name": "Brian Elsewhere"},
        "results": [county.person_b.person_id],
    }
    _assert_web_context(event, reverse("people:search") + "?name=Brian+Elsewhere")


def test_sign_in_sign_out_and_failed_sign_in(client, county, sw):
    sign_in = reverse("core:sign-in")
    mark = _mark()
    wrong = client.post(sign_in, {"username": sw.username, "password": "wrong"}, **FROM)
    assert wrong.status_code == 400
    assert "The username or password is not right" in wrong.content.decode()
    right = client.post(sign_in, {"username": sw.username, "password": PASSWORD}, **FROM)
    assert right.status_code == 302
    out = client.post(reverse("core:sign-out"), **FROM)
    assert out.status_code == 302
    failed, signed_in, signed_out = _new(mark)

    assert (failed.action, failed.actor, failed.actor_label) == (Action.SIGN_IN_FAILED, None, "")
    assert sw.username in failed.summary and "wrong" not in failed.summary  # never the password
    _assert_web_context(failed, sign_in)
    assert (signed_in.action, signed_in.actor) == (Action.SIGN_IN, sw)
    _assert_web_context(signed_in, sign_in)
    assert (signed_out.action, signed_out.actor) == (Action.SIGN_OUT, sw)
    _assert_web_context(signed_out, reverse("core:sign-out"))
    # One request id per request.
    assert len({failed.request_id, signed_in.request_id, signed_out.request_id}) == 3


def test_one_request_id_for_everything_one_request_writes(client, county, sw):
    """Allocating writes the allocation's entry; each request is told apart by its id."""
    manager = county.workers[Role.TEAM_MANAGER]
    client.force_login(manager)
    url = reverse("casework:allocate", args=[county.person_a_team.person_id])
    mark = _mark()
    client.get(url, **FROM)
    client.post(url, form_data.allocation(county.team_a, sw), **FROM)
    viewed, allocated = _new(mark)
    assert viewed.action == Action.VIEW and allocated.action == Action.CREATE
    assert viewed.request_id != allocated.request_id
    assert allocated.changes == {
        "before": {"team": county.team_a.pk, "worker": None},
        "after": {"team": county.team_a.pk, "worker": sw.pk},
    }


def test_outside_a_request_the_source_is_system(county, sw):
    grant = casework.break_glass(sw, county.person_b, "Covering the duty desk today")
    entry = AuditEvent.objects.get(action=Action.BREAK_GLASS)
    assert (entry.object_id, entry.reason) == (str(grant.pk), "Covering the duty desk today")
    assert entry.source == AuditEvent.Source.SYSTEM
    assert entry.ip_address is None and entry.path == ""


# -- append-only -------------------------------------------------------------------------------


@pytest.fixture
def entry(county, sw):
    return AuditEvent.objects.create(
        actor=sw, action=Action.VIEW, person=county.person_a, summary="Viewed the record"
    )


def _unchanged(entry):
    fresh = AuditEvent.objects.get(pk=entry.pk)
    assert (fresh.summary, fresh.action, fresh.actor_id) == (
        "Viewed the record",
        "view",
        entry.actor_id,
    )


def test_model_refuses_save_of_an_existing_entry(entry):
    entry.summary = "Nothing to see"
    with pytest.raises(PermissionError, match="append-only"):
        entry.save()
    _unchanged(entry)


def test_model_refuses_delete(entry):
    with pytest.raises(PermissionError, match="append-only"):
        entry.delete()
    _unchanged(entry)


def _refused_by_database(operation):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        operation()


def test_database_refuses_queryset_update(entry):
    _refused_by_database(lambda: AuditEvent.objects.filter(pk=entry.pk).update(summary="x"))
    _unchanged(entry)


def test_database_refuses_queryset_delete(entry):
    _refused_by_database(lambda: AuditEvent.objects.filter(pk=entry.pk).delete())
    _refused_by_database(lambda: AuditEvent.objects.all().delete())
    _unchanged(entry)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET summary = 'x'",
        "UPDATE core_auditevent SET actor_id = NULL WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
        "DELETE FROM core_auditevent",  # no WHERE: SQLite's truncate shortcut must not apply
    ],
)
def test_database_refuses_raw_sql(entry, sql):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk] if "%s" in sql else None)

    _refused_by_database(run)
    _unchanged(entry)


def test_postgresql_refuses_truncate(entry):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's (SQLite has no such statement)")

    def run():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE core_auditevent")

    _refused_by_database(run)
    _unchanged(entry)


def test_inserting_still_works_after_refusals(entry):
    _refused_by_database(lambda: AuditEvent.objects.filter(pk=entry.pk).update(summary="x"))
    AuditEvent.objects.create(action=Action.SEED, summary="after")
    assert AuditEvent.objects.filter(summary="after").exists()


# -- who may read the log ----------------------------------------------------------------------


def _audit_page(client, worker, person):
    client.force_login(worker)
    return client.get(reverse("people:audit", args=[person.person_id]))


def test_team_manager_of_the_persons_team_reads_the_log(client, county, sw):
    client.force_login(sw)
    client.get(reverse("people:detail", args=[county.person_a.person_id]), **FROM)
    response = _audit_page(client, county.workers[Role.TEAM_MANAGER], county.person_a)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="audit-log"' in html
    assert f"{sw.get_full_name()} ({sw.username})" in html
    assert "Viewed: Viewed the person" in html
    assert IP in html


def test_changes_are_shown_before_and_after(client, county, sw):
    client.force_login(sw)
    url = reverse("people:edit", args=[county.person_a.person_id])
    client.post(url, form_data.edit_person(county.person_a, phone="01603 123456"))
    html = _audit_page(client, county.workers[Role.TEAM_MANAGER], county.person_a).content.decode()
    assert "Before and after" in html and "“” → “01603 123456”" in html


def test_administrator_reads_every_log(client, county):
    admin = county.workers[Role.SYSTEM_ADMINISTRATOR]
    for person in (county.person_a, county.person_b, county.restricted):
        assert _audit_page(client, admin, person).status_code == 200


@pytest.mark.parametrize(
    "who",
    [
        "manager_b",
        Role.SOCIAL_WORKER,
        Role.AMHP,
        Role.SAFEGUARDING_LEAD,
        Role.FINANCE_OFFICER,
        Role.NHS_PARTNER,
        Role.COMMISSIONER,
        Role.PERFORMANCE_ANALYST,
    ],
)
def test_nobody_else_reads_the_log(client, county, who):
    worker = county.manager_b if who == "manager_b" else county.workers[who]
    mark = _mark()
    response = _audit_page(client, worker, county.person_a)
    assert response.status_code == 403
    assert 'data-testid="audit-log"' not in response.content.decode()
    # The attempt is recorded as refused, never as a view.
    assert [(e.action, e.actor_id) for e in _new(mark)] == [(Action.ACCESS_REFUSED, worker.pk)]


def test_reading_the_log_follows_the_current_team(client, county):
    manager_a = county.workers[Role.TEAM_MANAGER]
    assert _audit_page(client, manager_a, county.person_a).status_code == 200
    casework.allocate(manager_a, county.person_a, team=county.team_b, reason="worker_capacity")
    assert _audit_page(client, manager_a, county.person_a).status_code == 403
    assert _audit_page(client, county.manager_b, county.person_a).status_code == 200


def test_reading_the_log_is_itself_recorded(client, county):
    manager = county.workers[Role.TEAM_MANAGER]
    mark = _mark()
    _audit_page(client, manager, county.person_a)
    (event,) = _new(mark)
    assert (event.action, event.actor, event.person) == (Action.VIEW, manager, county.person_a)
    assert event.summary == "Viewed the audit log"


def test_filter_by_action(client, county, sw):
    client.force_login(sw)
    client.get(reverse("people:detail", args=[county.person_a.person_id]))
    client.force_login(county.workers[Role.TEAM_MANAGER])
    url = reverse("people:audit", args=[county.person_a.person_id])
    html = client.get(url, {"action": "break_glass"}).content.decode()
    assert "No entries." in html
    html = client.get(url, {"action": "view"}).content.decode()
    assert sw.username in html
