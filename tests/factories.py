"""Factories for tests: synthetic people only (NHS numbers in the 999 test range)."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.utils import timezone

from carebridge.casework.models import Allocation, CaseNote, Event
from carebridge.core.access import Role
from carebridge.organisations.models import Organisation, Team, Worker
from carebridge.people.models import Person, PersonName
from carebridge.people.services import rebuild_name_keys
from carebridge.rules import cld
from carebridge.rules.nhs_number import check_digit

_nhs_counter = itertools.count(100001)


def next_test_nhs_number() -> str:
    while True:
        nine = f"999{next(_nhs_counter):06d}"
        c = check_digit(nine)
        if c is not None:
            return f"{nine}{c}"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.COUNCIL
    name = factory.Sequence(lambda n: f"Test Council {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    kind = "locality"


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"worker{n}")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Worker{n}")
    role = Role.SOCIAL_WORKER
    team = factory.SubFactory(TeamFactory)
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    person_id = factory.Sequence(lambda n: f"T{n:07d}")
    nhs_number = factory.LazyFunction(next_test_nhs_number)
    nhs_number_status = "01"
    given_name = "Jane"
    family_name = factory.Sequence(lambda n: f"Testperson{chr(97 + n % 26)}{n}")
    date_of_birth = dt.date(1950, 3, 27)
    gender = "Female"
    ethnicity = "White: English, Welsh, Scottish, Northern Irish or British"
    postcode = "NR1 2DH"
    postcode_compact = "NR12DH"
    primary_support_reason = "Mental health support"

    @factory.post_generation
    def names(obj, create, extracted, **kwargs):
        if not create:
            return
        PersonName.objects.create(
            person=obj,
            kind=PersonName.Kind.CURRENT,
            given_name=obj.given_name,
            family_name=obj.family_name,
        )
        for given, family in extracted or []:
            PersonName.objects.create(
                person=obj, kind=PersonName.Kind.PREVIOUS, given_name=given, family_name=family
            )
        rebuild_name_keys(obj)


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    worker = None
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))
    reason = "new_request"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    person = factory.SubFactory(PersonFactory)
    event_type = cld.REQUEST
    reference = factory.Sequence(lambda n: f"EVT{n:08d}")
    start_date = dt.date(2025, 1, 6)
    end_date = dt.date(2025, 1, 7)
    outcome = "NFA: Information and advice or signposting"
    route_of_access = "Community / Other route"


class CaseNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseNote

    person = factory.SubFactory(PersonFactory)
    kind = "phone_call"
    occurred_at = factory.LazyFunction(timezone.now)
    subject = "Telephone call"
    text = "Spoke with the person about their support."
    author = factory.SubFactory(WorkerFactory)
