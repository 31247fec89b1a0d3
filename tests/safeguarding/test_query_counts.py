"""Safeguarding lists read in a fixed number of queries, however many concerns there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carebridge.core.access import Role
from carebridge.rules import safeguarding as sg
from tests.factories import AllocationFactory, PersonFactory
from tests.planning.factories import ProviderFactory

from . import factories as f

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, r.content[:500]
    return len(ctx.captured_queries)


def _grow(county, worker, n, *, provider=None):
    today = timezone.localdate()
    for i in range(n):
        person = PersonFactory()
        AllocationFactory(person=person, team=county.team_a)
        c = f.concern_row(
            person,
            worker,
            received_on=today - dt.timedelta(days=i % 40),
            types=("physical", "neglect"),
            provider=provider,
        )
        if i % 2:
            f.enquiry_row(c, worker, kind=sg.S42_ENQUIRY if i % 4 == 1 else sg.OTHER_ENQUIRY)


def test_the_overview_does_not_grow(client, county, lead, django_assert_max_num_queries):
    client.force_login(lead)
    _grow(county, lead, 2)
    small = _queries(client, reverse("safeguarding:overview"))
    _grow(county, lead, 40)
    assert _queries(client, reverse("safeguarding:overview")) == small
    with django_assert_max_num_queries(12):
        client.get(reverse("safeguarding:overview"))


def test_the_provider_pages_do_not_grow(client, county, lead, django_assert_max_num_queries):
    home = ProviderFactory()
    client.force_login(county.workers[Role.COMMISSIONER])
    _grow(county, lead, 2, provider=home)
    urls = [reverse("safeguarding:providers"), reverse("safeguarding:provider", args=[home.pk])]
    small = [_queries(client, u) for u in urls]
    _grow(county, lead, 30, provider=home)
    _grow(county, lead, 5, provider=ProviderFactory())
    assert [_queries(client, u) for u in urls] == small
    with django_assert_max_num_queries(10):
        client.get(urls[1])


def test_the_person_page_does_not_grow_with_concerns(client, county, sw):
    person = county.person_a
    client.force_login(sw)
    url = reverse("people:detail", args=[person.person_id])
    f.concern_row(person, sw, received_on=timezone.localdate())
    small = _queries(client, url)
    for i in range(30):
        c = f.concern_row(person, sw, received_on=timezone.localdate() - dt.timedelta(days=i + 1))
        if i % 3 == 0:
            f.enquiry_row(c, sw)
    assert _queries(client, url) == small + 1  # past 20 concerns: "the latest 20 of 31"
    assert "The latest 20 of 31 concerns are shown." in client.get(url).content.decode()


def test_the_enquiry_page_does_not_grow(client, county, sw, lead):
    concern = f.raise_concern(sw, county.person_a)
    f.decide(lead, concern)
    enquiry = concern.enquiry
    client.force_login(sw)
    url = reverse("safeguarding:enquiry", args=[county.person_a.person_id, enquiry.pk])
    small = _queries(client, url)
    from carebridge.safeguarding import services

    today = timezone.localdate()
    plan = services.save_plan(
        sw,
        enquiry,
        version=None,
        details="x",
        started_on=today,
        review_due=today + dt.timedelta(days=5),
    )
    for i in range(10):
        services.add_action(sw, enquiry, taken_on=today, description=f"Action {i}")
        services.add_meeting(sw, enquiry, held_on=today, attendees="A", decisions="B")
        services.review_plan(
            sw,
            plan,
            reviewed_on=today,
            notes="ok",
            close=False,
            next_review_due=today + dt.timedelta(days=i + 1),
        )
    assert _queries(client, url) == small + 1  # the plan's reviews: one query once there is a plan
