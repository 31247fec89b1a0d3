"""Adding and changing a person: clear errors for bad input, nothing half-saved, no silent
overwrites when two people edit the same record."""

import datetime as dt

import pytest
from django.utils import timezone

from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.people.models import Person, PersonName, PersonNameKey
from tests.factories import PersonFactory, next_test_nhs_number

VALID = {
    "given_name": "Olive",
    "family_name": "Hartley",
    "date_of_birth-day": "4",
    "date_of_birth-month": "11",
    "date_of_birth-year": "1941",
    "gender": "Female",
    "ethnicity": "White: Irish",
    "primary_support_reason": "Support with memory and cognition",
    "postcode": "nr1 2dh",
    "submission_token": "",
}


def _counts():
    return (
        Person.objects.count(),
        PersonName.objects.count(),
        PersonNameKey.objects.count(),
        AuditEvent.objects.filter(action="create").count(),
    )


@pytest.fixture
def social_worker(county, client):
    client.force_login(county.workers[Role.SOCIAL_WORKER])
    return county.workers[Role.SOCIAL_WORKER]


def test_add_person(client, social_worker):
    nhs = next_test_nhs_number()
    r = client.post("/people/new/", {**VALID, "nhs_number": f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"})
    assert r.status_code == 302
    person = Person.objects.get(nhs_number=nhs)
    assert r.url == f"/people/{person.person_id}/"
    assert person.person_id.startswith("P") and len(person.person_id) == 8
    assert person.postcode == "NR1 2DH" and person.postcode_compact == "NR12DH"
    assert person.nhs_number_status == "02"  # present, not traced
    assert person.names.get().kind == "current"
    assert PersonNameKey.objects.filter(person=person, part="f", key="n:hartley").exists()
    entry = AuditEvent.objects.get(person=person, action="create", object_type="people.person")
    assert entry.actor == social_worker and entry.changes["after"]["family_name"] == "Hartley"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"nhs_number": "943 476 5918"}, "nhs_number", "check digit does not match"),
        ({"nhs_number": "12345"}, "nhs_number", "must be 10 digits long"),
        (
            {"date_of_birth-day": "1", "date_of_birth-month": "1", "date_of_birth-year": "2090"},
            "date_of_birth",
            "Date of birth must be today or in the past",
        ),
        (
            {"date_of_birth-day": "31", "date_of_birth-month": "2", "date_of_birth-year": "1950"},
            "date_of_birth",
            "Date must be a real date",
        ),
        (
            {"date_of_death-day": "1", "date_of_death-month": "1", "date_of_death-year": "1940"},
            "date_of_death",
            "Date of death must be the same as or after date of birth",
        ),
        ({"given_name": ""}, "given_name", "Enter given name"),
        ({"postcode": "XX"}, "postcode", "Enter a real postcode"),
    ],
)
def test_bad_input_is_refused_clearly_and_nothing_is_saved(
    client, social_worker, change, field, message
):
    before = _counts()
    r = client.post("/people/new/", {**VALID, **change})
    assert r.status_code == 400
    html = r.content.decode()
    assert message in html
    assert "There is a problem" in html  # GOV.UK error summary
    assert f'href="#{field}' in html  # the summary links to the field
    assert _counts() == before
    # What was typed is still in the form.
    assert 'value="Hartley"' in html or change.get("family_name") == ""


def test_duplicate_nhs_number_offers_the_existing_record(client, social_worker, county):
    existing = county.person_a
    before = _counts()
    r = client.post("/people/new/", {**VALID, "nhs_number": existing.nhs_number})
    assert r.status_code == 400
    html = r.content.decode()
    assert "A person with this NHS number is already recorded" in html
    assert f"/people/{existing.person_id}/" in html and "Open the existing record" in html
    assert _counts() == before


def test_duplicate_of_a_restricted_record_does_not_reveal_who(client, social_worker, county):
    r = client.post("/people/new/", {**VALID, "nhs_number": county.restricted.nhs_number})
    html = r.content.decode()
    assert r.status_code == 400
    assert "restricted record" in html
    assert county.restricted.family_name not in html


def _edit_form(person, **changes):
    data = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth-day": str(person.date_of_birth.day),
        "date_of_birth-month": str(person.date_of_birth.month),
        "date_of_birth-year": str(person.date_of_birth.year),
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "primary_support_reason": person.primary_support_reason,
        "nhs_number": person.nhs_number,
        "nhs_number_status": person.nhs_number_status,
        "postcode": person.postcode,
        "version": str(person.version),
    }
    data.update(changes)
    return data


def test_edit_keeps_previous_name_and_audits_before_and_after(client, social_worker, county):
    person = county.person_a
    r = client.post(f"/people/{person.person_id}/edit/", _edit_form(person, family_name="Newname"))
    assert r.status_code == 302
    person.refresh_from_db()
    assert person.family_name == "Newname" and person.version == 2
    kinds = {n.family_name: n.kind for n in person.names.all()}
    assert kinds == {"Allocated": "previous", "Newname": "current"}
    entry = AuditEvent.objects.filter(person=person, action="update").get()
    assert entry.changes["family_name"] == {"before": "Allocated", "after": "Newname"}
    # The old name still finds the person.
    assert PersonNameKey.objects.filter(person=person, key="n:allocated").exists()


def test_two_people_editing_the_same_record(client, county, django_user_model):
    """The second save is refused with the first person's change shown; nothing is lost."""
    person = county.person_a
    first, second = county.workers[Role.SOCIAL_WORKER], county.workers[Role.TEAM_MANAGER]
    form_v1 = _edit_form(person)  # both open the form at version 1
    client.force_login(first)
    r = client.post(f"/people/{person.person_id}/edit/", {**form_v1, "phone": "01603 000111"})
    assert r.status_code == 302
    client.force_login(second)
    r = client.post(f"/people/{person.person_id}/edit/", {**form_v1, "town": "Norwich"})
    assert r.status_code == 409
    html = r.content.decode()
    assert "Someone else changed this record while you were editing it" in html
    assert "01603 000111" in html  # their change is shown
    assert 'value="Norwich"' in html  # my typing is kept in the form
    person.refresh_from_db()
    assert person.phone == "01603 000111" and person.town == "" and person.version == 2
    # Saving again (the form now carries version 2) applies my change on top of theirs.
    r = client.post(
        f"/people/{person.person_id}/edit/",
        {**form_v1, "town": "Norwich", "phone": "01603 000111", "version": "2"},
    )
    assert r.status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.town, person.version) == ("01603 000111", "Norwich", 3)


def test_accommodation_history_is_dated_and_kept(client, social_worker, county):
    person = county.person_a
    url = f"/people/{person.person_id}/accommodation/"
    for day, status in (("1", "Tenant: Private landlord"), ("2", "Registered care home")):
        r = client.post(
            url,
            {
                "status": status,
                "valid_from-day": day,
                "valid_from-month": "3",
                "valid_from-year": "2025",
            },
        )
        assert r.status_code == 302
    statuses = list(person.accommodation_history.values_list("status", flat=True))
    assert statuses == ["Registered care home", "Tenant: Private landlord"]
    future = timezone.localdate() + dt.timedelta(days=3)
    r = client.post(
        url,
        {
            "status": "Refuge",
            "valid_from-day": str(future.day),
            "valid_from-month": str(future.month),
            "valid_from-year": str(future.year),
        },
    )
    assert r.status_code == 400 and "must be today or in the past" in r.content.decode()
    assert person.accommodation_history.count() == 2


def test_roles_that_cannot_add_people(client, county):
    for role in (Role.FINANCE_OFFICER, Role.NHS_PARTNER, Role.COMMISSIONER):
        client.force_login(county.workers[role])
        before = Person.objects.count()
        assert client.post("/people/new/", VALID).status_code == 403
        assert Person.objects.count() == before


def test_person_factory_has_valid_nhs_numbers(db):
    from carebridge.rules.nhs_number import is_valid

    assert is_valid(PersonFactory().nhs_number)
