import pytest

from carebridge.core.access import Role
from carebridge.core.models import AuditEvent, RestrictedAccess
from carebridge.people.models import CarerRelationship, PersonAlert
from carebridge.people.search import Criteria, search
from tests.factories import PersonFactory


@pytest.fixture
def sw(county, client):
    client.force_login(county.workers[Role.SOCIAL_WORKER])
    return county.workers[Role.SOCIAL_WORKER]


def test_link_an_unpaid_carer_by_person_id_or_nhs_number(client, sw, county):
    carer = PersonFactory(given_name="Colin", family_name="Carer")
    url = f"/people/{county.person_a.person_id}/carers/new/"
    r = client.post(url, {"carer_person_id": carer.person_id.lower(), "relationship": "child",
                          "is_main_carer": "on"})  # fmt: skip
    assert r.status_code == 302
    rel = CarerRelationship.objects.get()
    assert (rel.carer, rel.cared_for, rel.is_main_carer) == (carer, county.person_a, True)
    assert AuditEvent.objects.filter(person=carer, action="create").exists()
    page = client.get(f"/people/{county.person_a.person_id}/").content.decode()
    assert "Cared for by" in page and "Colin Carer" in page
    # Twice: a clear message, still one relationship.
    r = client.post(url, {"carer_person_id": carer.nhs_number, "relationship": "child"})
    assert r.status_code == 400 and "already recorded as a carer" in r.content.decode()
    assert CarerRelationship.objects.count() == 1


@pytest.mark.parametrize(
    ("identifier", "message"),
    [("P9999999", "No person found"), ("", "Enter carer")],
)
def test_carer_errors(client, sw, county, identifier, message):
    r = client.post(
        f"/people/{county.person_a.person_id}/carers/new/",
        {"carer_person_id": identifier, "relationship": "child"},
    )
    assert r.status_code == 400 and message in r.content.decode()
    assert not CarerRelationship.objects.exists()


def test_a_person_cannot_care_for_themselves(client, sw, county):
    p = county.person_a
    r = client.post(
        f"/people/{p.person_id}/carers/new/",
        {"carer_person_id": p.person_id, "relationship": "other"},
    )
    assert r.status_code == 400 and "cannot be recorded as their own carer" in r.content.decode()


def test_restricted_carer_cannot_be_linked_by_someone_not_named(client, sw, county):
    r = client.post(
        f"/people/{county.person_a.person_id}/carers/new/",
        {"carer_person_id": county.restricted.person_id, "relationship": "friend_neighbour"},
    )
    assert r.status_code == 400 and "No person found" in r.content.decode()


def test_alert_shows_on_the_record(client, sw, county):
    p = county.person_a
    r = client.post(
        f"/people/{p.person_id}/alerts/new/",
        {"kind": "risk_to_staff", "details": "Visit in pairs", "starts_on-day": "1",
         "starts_on-month": "1", "starts_on-year": "2026"},
    )  # fmt: skip
    assert r.status_code == 302
    assert "Visit in pairs" in client.get(f"/people/{p.person_id}/").content.decode()
    r = client.post(
        f"/people/{p.person_id}/alerts/new/",
        {"kind": "other", "details": "x", "starts_on-day": "5", "starts_on-month": "1",
         "starts_on-year": "2026", "ends_on-day": "1", "ends_on-month": "1",
         "ends_on-year": "2026"},
    )  # fmt: skip
    assert r.status_code == 400 and "end date must be the same as or after" in r.content.decode()
    assert PersonAlert.objects.count() == 1


def test_team_manager_restricts_a_record(client, county):
    manager, sw, amhp = (county.workers[r] for r in (Role.TEAM_MANAGER, Role.SOCIAL_WORKER,
                                                      Role.AMHP))  # fmt: skip
    p = county.person_a
    client.force_login(manager)
    url = f"/people/{p.person_id}/restriction/"
    r = client.post(url, {"is_restricted": "on"})
    assert r.status_code == 400 and "Name at least one worker" in r.content.decode()
    r = client.post(url, {"is_restricted": "on", "named_workers": [amhp.pk]})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.is_restricted
    assert list(RestrictedAccess.objects.filter(person=p).values_list("worker", flat=True)) == [
        amhp.pk
    ]
    # The allocated social worker, not named, can no longer find or open it.
    assert p.pk not in [h.person.pk for h in search(sw, Criteria(name=p.family_name)).hits]
    client.force_login(sw)
    assert client.get(f"/people/{p.person_id}/").status_code == 404
    client.force_login(amhp)
    assert client.get(f"/people/{p.person_id}/").status_code == 200
    entry = AuditEvent.objects.filter(person=p, summary="Restricted the record").get()
    assert entry.changes["is_restricted"] == {"before": False, "after": True}


def test_social_worker_cannot_restrict(client, sw, county):
    r = client.post(f"/people/{county.person_a.person_id}/restriction/", {"is_restricted": "on"})
    assert r.status_code == 403
    county.person_a.refresh_from_db()
    assert not county.person_a.is_restricted


def test_a_restricted_carer_is_not_named_on_the_cared_for_persons_page(client, sw, county):
    """Search hides a restricted record from workers not named on it; so must the carers
    section of someone else's page (both ways), until the worker is named."""
    from carebridge.people.record_reads import carer_relationships

    carer = PersonFactory(given_name="Rowena", family_name="Hiddenrecord", is_restricted=True)
    CarerRelationship.objects.create(carer=carer, cared_for=county.person_a, relationship="child")
    page = client.get(f"/people/{county.person_a.person_id}/").content.decode()
    assert "Hiddenrecord" not in page and carer.person_id not in page
    assert "Cared for by a person whose record is restricted" in page
    # Named on the record: the carer is shown, with a link.
    RestrictedAccess.objects.create(person=carer, worker=sw)
    page = client.get(f"/people/{county.person_a.person_id}/").content.decode()
    assert "Rowena Hiddenrecord" in page and f"/people/{carer.person_id}/" in page
    # The other way: a restricted person cared for by someone the worker may see.
    cared = PersonFactory(family_name="Secretcaredfor", is_restricted=True)
    rel = CarerRelationship.objects.create(
        carer=county.person_a, cared_for=cared, relationship="spouse"
    )
    (row,) = [r for r in carer_relationships(county.person_a.pk, sw.pk) if r.pk == rel.pk]
    assert row.cared_for.withheld and row.cared_for.full_name.strip() == ""
    page = client.get(f"/people/{county.person_a.person_id}/").content.decode()
    assert "Secretcaredfor" not in page
    assert "Unpaid carer of a person whose record is restricted" in page
