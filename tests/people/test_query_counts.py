"""The busiest pages run a fixed number of queries, whatever the size of the history."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carebridge.core.access import Role
from tests.factories import AllocationFactory, CaseNoteFactory, EventFactory, PersonFactory


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, r.content[:500]
    return len(ctx.captured_queries)


def _grow_history(person, worker, n):
    for i in range(n):
        EventFactory(person=person, start_date=dt.date(2024, 1, 1) + dt.timedelta(days=i))
        CaseNoteFactory(person=person, author=worker)


def test_person_page_query_count_does_not_grow(client, county):
    worker = county.workers[Role.SOCIAL_WORKER]
    client.force_login(worker)
    person = county.person_a
    url = f"/people/{person.person_id}/"
    _grow_history(person, worker, 2)
    small = _queries(client, url)
    _grow_history(person, worker, 80)
    large = _queries(client, url)
    assert small == large
    assert _queries(client, url + "?timeline_page=2") == large


def test_caseload_query_count_does_not_grow(client, county):
    worker = county.workers[Role.SOCIAL_WORKER]
    client.force_login(worker)
    small = _queries(client, "/caseload/")
    for _ in range(30):
        p = PersonFactory()
        AllocationFactory(person=p, team=county.team_a, worker=worker)
        EventFactory(person=p)
    large = _queries(client, "/caseload/")
    assert small == large


@pytest.mark.parametrize("query", [{"name": "Smith"}, {"postcode": "NR1"}])
def test_search_query_count_does_not_grow(client, county, query):
    from carebridge.people.search import common_family_keys

    client.force_login(county.workers[Role.SOCIAL_WORKER])
    PersonFactory(family_name="Smith")
    common_family_keys(refresh=True)
    small = _queries(client, "/people/?" + "&".join(f"{k}={v}" for k, v in query.items()))
    for i in range(25):
        p = PersonFactory(family_name="Smith", given_name=f"Given{i}", names=[("X", "Smyth")])
        AllocationFactory(person=p, team=county.team_b, started_at=timezone.now())
    from carebridge.people.search import common_family_keys

    common_family_keys(refresh=True)  # Smith is now common: the shortcut is taken
    large = _queries(client, "/people/?" + "&".join(f"{k}={v}" for k, v in query.items()))
    assert small == large
