"""Person search: each kind, combined, typos and previous names, scoping, and bad input."""

import datetime as dt

import pytest

from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.people.search import Criteria, SearchError, search
from tests.factories import AllocationFactory, PersonFactory


@pytest.fixture
def people(county):
    smith = PersonFactory(
        given_name="Margaret",
        family_name="Smith",
        date_of_birth=dt.date(1938, 5, 2),
        postcode="NR2 4AB",
        postcode_compact="NR24AB",
        names=[("Margaret", "Thistlethwaite")],
    )
    AllocationFactory(person=smith, team=county.team_b)
    johnson = PersonFactory(
        given_name="Peter",
        family_name="Johnson",
        date_of_birth=dt.date(1960, 1, 9),
        postcode="IP1 1AA",
        postcode_compact="IP11AA",
    )
    other_smith = PersonFactory(
        given_name="John", family_name="Smith", postcode="NR2 4XY", postcode_compact="NR24XY"
    )
    return {"smith": smith, "johnson": johnson, "other_smith": other_smith}


def ids(results):
    return [h.person.pk for h in results.hits]


@pytest.mark.parametrize(
    "typed",
    ["Smith", "smith", "Smyth", "Smiht", "Smit", "Margaret Smith", "Margret Smith", "Smith, M"],
)
def test_name_with_typos_finds_the_person(county, people, typed):
    worker = county.workers[Role.SOCIAL_WORKER]
    assert people["smith"].pk in ids(search(worker, Criteria(name=typed)))


def test_given_name_ranks_the_right_smith_first(county, people):
    worker = county.workers[Role.SOCIAL_WORKER]
    hits = search(worker, Criteria(name="John Smith")).hits
    assert hits[0].person == people["other_smith"]


def test_previous_name_finds_the_person_and_says_so(county, people):
    worker = county.workers[Role.SOCIAL_WORKER]
    hits = search(worker, Criteria(name="Thistlethwaite")).hits
    assert [h.person for h in hits] == [people["smith"]]
    assert hits[0].matched_previous_name
    hits = search(worker, Criteria(name="Thistlethwayte")).hits  # and with a typo
    assert [h.person for h in hits] == [people["smith"]]


def test_unrelated_names_do_not_match(county, people):
    worker = county.workers[Role.SOCIAL_WORKER]
    assert ids(search(worker, Criteria(name="Okonkwo"))) == []


def test_nhs_number_dob_and_postcode(county, people):
    worker = county.workers[Role.SOCIAL_WORKER]
    smith = people["smith"]
    n = smith.nhs_number
    assert ids(search(worker, Criteria(nhs_number=f"{n[:3]} {n[3:6]} {n[6:]}"))) == [smith.pk]
    assert ids(search(worker, Criteria(date_of_birth=dt.date(1938, 5, 2)))) == [smith.pk]
    assert ids(search(worker, Criteria(postcode="nr2 4ab"))) == [smith.pk]
    # The first part of a postcode finds everyone in that district.
    assert set(ids(search(worker, Criteria(postcode="NR2")))) == {
        smith.pk,
        people["other_smith"].pk,
    }
    # Combined criteria narrow.
    both = search(worker, Criteria(name="Smith", postcode="NR2 4XY"))
    assert ids(both) == [people["other_smith"].pk]


@pytest.mark.parametrize(
    ("criteria", "field", "message"),
    [
        (Criteria(), "name", "Enter an NHS number, a name, a date of birth or a postcode"),
        (Criteria(nhs_number="123"), "nhs_number", "10 digits"),
        (Criteria(nhs_number="9434765918"), "nhs_number", "check digit"),
        (Criteria(postcode="!!"), "postcode", "Enter a full postcode"),
    ],
)
def test_bad_search_input_is_explained(county, criteria, field, message):
    with pytest.raises(SearchError) as e:
        search(county.workers[Role.SOCIAL_WORKER], criteria)
    assert message in e.value.errors[field]


def test_search_page_shows_relationship_and_audits(client, county, people):
    worker = county.workers[Role.SOCIAL_WORKER]
    client.force_login(worker)
    r = client.get("/people/", {"name": "Smith"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Another team" in html and "Not allocated" in html
    entry = AuditEvent.objects.get(action="search", actor=worker)
    assert entry.changes["criteria"] == {"name": "Smith"}
    assert set(entry.changes["results"]) == {
        people["smith"].person_id,
        people["other_smith"].person_id,
    }


def test_search_page_bad_date(client, county):
    client.force_login(county.workers[Role.SOCIAL_WORKER])
    r = client.get(
        "/people/",
        {"date_of_birth-day": "32", "date_of_birth-month": "1", "date_of_birth-year": "1950"},
    )
    assert r.status_code == 400
    assert "Date must be a real date" in r.content.decode()
    assert 'href="#date_of_birth-day"' in r.content.decode()


def test_a_common_family_name_gives_the_same_page_as_the_full_ranking(county, monkeypatch):
    """Bare common surnames take a shortcut (the exact matches in name order); it must give the
    same page as ranking every candidate, including people found by a previous name."""
    from carebridge.people import search as search_module

    worker = county.workers[Role.SOCIAL_WORKER]
    for i in range(30):
        PersonFactory(given_name=f"Given{i:02d}", family_name="Jones")
    PersonFactory(given_name="Ann", family_name="Jonas")  # near miss: must not displace
    PersonFactory(given_name="Zoe", family_name="Brown", names=[("Zoe", "Jones")])
    assert "n:jones" in search_module.common_family_keys(refresh=True)
    fast = search(worker, Criteria(name="Jones"))
    monkeypatch.setattr(search_module, "_common_family_name", lambda qs, family: None)
    slow = search(worker, Criteria(name="Jones"))
    assert fast.truncated and slow.truncated
    assert ids(fast) == ids(slow)
    assert fast.hits[0].person.family_name == "Brown"  # an exact previous name counts
    assert len(fast.hits) == search_module.MAX_RESULTS
    assert all(h.person.family_name in {"Jones", "Brown"} for h in fast.hits)
    assert [h.matched_previous_name for h in fast.hits] == [
        h.matched_previous_name for h in slow.hits
    ]
