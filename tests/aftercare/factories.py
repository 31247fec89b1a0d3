"""Legal statuses (made directly: the Mental Health Act pages are built elsewhere) and s117
aftercare rows, synthetic only. The pages' and services' own tests go through
``mentalhealth.aftercare_services``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from carebridge.mentalhealth.models import AftercareEpisode, AftercareFunding, LegalStatus
from carebridge.organisations.models import Organisation
from tests.factories import OrganisationFactory, PersonFactory


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class LegalStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalStatus

    person = factory.SubFactory(PersonFactory)
    section = "s3"
    started_at = factory.LazyFunction(lambda: at(timezone.localdate() - dt.timedelta(days=90)))
    place = "Willow Ward"


def discharged_s3(person, *, left_on: dt.date | None = None, days: int = 60, section="s3"):
    """A detention that ended with the person leaving hospital ``left_on`` (default: 30 days
    ago), started ``days`` before that."""
    left_on = left_on or timezone.localdate() - dt.timedelta(days=30)
    return LegalStatusFactory(
        person=person,
        section=section,
        started_at=at(left_on - dt.timedelta(days=days)),
        ended_at=at(left_on, 9),
        end_reason="discharged_rc",
        left_hospital_on=left_on,
    )


class IcbFactory(OrganisationFactory):
    kind = Organisation.ICB
    name = factory.Sequence(lambda n: f"NHS Test Integrated Care Board {n}")
    ods_code = factory.Sequence(lambda n: f"Q{n:03d}")


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AftercareEpisode

    detention = factory.LazyAttribute(lambda o: discharged_s3(o.person))
    eligible_from = factory.LazyAttribute(lambda o: o.detention.left_hospital_on)
    responsible_council = factory.SubFactory(
        OrganisationFactory, kind=Organisation.COUNCIL, name="Test County Council"
    )
    responsible_icb = factory.SubFactory(IcbFactory)
    residence_basis = "address_before_detention"
    residence_address = "4 Mill Lane, Brackenford"


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AftercareFunding

    council_percent = Decimal("50.00")
    icb_percent = Decimal("50.00")
