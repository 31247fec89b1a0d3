"""Same inputs, same county; different seed, different county; a full database is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carebridge.casework.models import Event
from carebridge.core.models import AuditEvent
from carebridge.demo.digest import county_digest
from carebridge.demo.seed import DatabaseNotEmpty, database_is_empty, seed_county
from carebridge.organisations.models import Worker
from carebridge.people.models import Person

from .conftest import UNTIL, seed_then_discard

pytestmark = pytest.mark.django_db


def digest(people: int, seed: int, until: dt.date = UNTIL) -> str:
    return seed_then_discard(lambda _report: county_digest(), people=people, seed=seed, until=until)


def test_the_same_inputs_give_the_same_county():
    first = digest(180, 11)
    assert database_is_empty()  # rolled back: the second seed starts from empty again
    assert digest(180, 11) == first


def test_a_different_seed_or_until_gives_a_different_county():
    base = digest(150, 1)
    assert digest(150, 2) != base
    assert digest(150, 1, UNTIL - dt.timedelta(days=30)) != base


def test_until_defaults_to_today():
    def read(report):
        return report.until, Event.objects.order_by("-start_date").first().start_date

    until, latest = seed_then_discard(read, people=60, seed=3, until=None)
    assert until == timezone.localdate()
    assert latest <= until


def test_a_database_with_people_or_workers_is_refused_and_nothing_is_written():
    assert database_is_empty()
    seed_county(people=40, seed=5, until=UNTIL)
    assert not database_is_empty()
    counts = (
        Person.objects.count(),
        Worker.objects.count(),
        Event.objects.count(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(DatabaseNotEmpty, match="empty database"):
        seed_county(people=40, seed=6, until=UNTIL)
    assert counts == (
        Person.objects.count(),
        Worker.objects.count(),
        Event.objects.count(),
        AuditEvent.objects.count(),
    )


def test_workers_alone_make_the_database_not_empty():
    Worker.objects.create(username="someone", role="social_worker")
    assert not database_is_empty()
    with pytest.raises(DatabaseNotEmpty):
        seed_county(people=10, seed=1, until=UNTIL)
    assert not Person.objects.exists()


@pytest.mark.parametrize("people", [1, 2, 9, 25])
def test_tiny_counties_seed(people):
    def read(report):
        return report.counts["people"], Person.objects.count(), Worker.objects.count()

    assert seed_then_discard(read, people=people, seed=4) == (people, people, 35)


def test_progress_is_reported():
    messages: list[str] = []
    seed_then_discard(lambda _report: None, people=30, seed=9, progress=messages.append)
    assert any(m.startswith("Created 30 people") for m in messages)
    assert any("events" in m for m in messages)


def test_people_must_be_positive():
    with pytest.raises(ValueError, match="at least one"):
        seed_county(people=0, seed=1, until=UNTIL)


def test_a_longer_history_reaches_further_back_and_holds_more():
    five_years_before = UNTIL - dt.timedelta(days=round(5 * 365.25))

    def read(report):
        early = Event.objects.filter(event_type="Review", start_date__lt=five_years_before)
        return early.count(), Event.objects.count()

    early_default, events_default = seed_then_discard(read, people=400, seed=3)
    early_long, events_long = seed_then_discard(read, people=400, seed=3, history_years=15)
    # The default history starts 3.5 years back (only the early history of people already on
    # long-term support then is older); a 15-year one has years of reviews before that.
    assert early_long > early_default + 100
    assert events_long > events_default


@pytest.mark.parametrize("years", [0.5, 41])
def test_a_history_length_out_of_range_is_refused(years):
    with pytest.raises(ValueError, match="between 1 and 40 years"):
        seed_county(people=10, seed=1, history_years=years)
    assert database_is_empty()
