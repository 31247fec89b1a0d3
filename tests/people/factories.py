"""Factories for unpaid carers: caring relationships and offers of a carer's assessment.

Offers made here skip the service's checks (for building histories quickly, in the duty
scenarios); the pages' and service's own tests go through ``people.carer_offers``."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from carebridge.people.models import CarerAssessmentOffer, CarerRelationship
from carebridge.rules import carers
from tests.factories import PersonFactory, WorkerFactory


class CarerRelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarerRelationship

    carer = factory.SubFactory(PersonFactory, given_name="Colin", date_of_birth=dt.date(1960, 5, 1))
    cared_for = factory.SubFactory(PersonFactory)
    relationship = "child"
    started_on = dt.date(2024, 6, 1)


class CarerOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarerAssessmentOffer

    relationship = factory.SubFactory(CarerRelationshipFactory)
    carer = factory.SelfAttribute("relationship.carer")
    offered_on = dt.date(2026, 1, 20)
    method = "phone"
    offered_by = factory.SubFactory(WorkerFactory)
    response = carers.AWAITING
    recorded_by = factory.SelfAttribute("offered_by")
    recorded_at = factory.LazyFunction(timezone.now)
