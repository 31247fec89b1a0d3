"""The demo's s117 aftercare: opened from the qualifying detentions already in the database
(the Mental Health Act seeding writes them; here a test makes a few), valid by the rules, and
nothing at all without them."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db.models import F, Sum

from carebridge.demo import aftercare as demo
from carebridge.mentalhealth.models import (
    AftercareEndDecision,
    AftercareEpisode,
    AftercareFunding,
    AftercarePlan,
    AftercareReview,
)
from carebridge.organisations.models import Organisation
from carebridge.planning.models import CarePlan
from carebridge.rules import aftercare as rules
from tests.aftercare.factories import IcbFactory, LegalStatusFactory, at, discharged_s3
from tests.factories import OrganisationFactory, PersonFactory, WorkerFactory
from tests.planning.factories import CarePlanFactory, PlannedServiceFactory

pytestmark = pytest.mark.django_db
UNTIL = dt.date(2026, 3, 31)


def test_nothing_is_written_without_qualifying_detentions():
    OrganisationFactory(kind=Organisation.COUNCIL)
    IcbFactory()
    LegalStatusFactory(
        section="s2", started_at=at(UNTIL - dt.timedelta(days=28)), ended_at=at(UNTIL),
        end_reason="expired",
    )  # fmt: skip
    assert demo.seed(random.Random(1), UNTIL) == {}
    assert not AftercareEpisode.objects.exists()


@pytest.fixture
def detentions(monkeypatch):
    monkeypatch.setattr(demo, "RECORDED", 1.0)
    OrganisationFactory(kind=Organisation.COUNCIL, name="Wessex County Council")
    IcbFactory()
    worker = WorkerFactory(role="social_worker")
    people = [PersonFactory() for _ in range(6)]
    # Long ago, with an approved plan: reviews, funded services.
    discharged_s3(people[0], left_on=UNTIL - dt.timedelta(days=800))
    plan = CarePlanFactory(
        person=people[0], created_by=worker, status=CarePlan.Status.APPROVED, approved_on=UNTIL
    )
    PlannedServiceFactory(plan=plan, service_component="Home support or domiciliary care")
    PlannedServiceFactory(plan=plan, service_component="Day support")
    discharged_s3(people[1], left_on=UNTIL - dt.timedelta(days=90), section="s37")
    # Not qualifying.
    discharged_s3(people[2], left_on=UNTIL - dt.timedelta(days=90), section="s2")
    # Discharged, then detained again under s3: the first aftercare is superseded.
    discharged_s3(people[3], left_on=UNTIL - dt.timedelta(days=600))
    LegalStatusFactory(person=people[3], started_at=at(UNTIL - dt.timedelta(days=30)))
    # Moved onto a CTO, still on it: aftercare open, never ended jointly.
    s3 = LegalStatusFactory(
        person=people[4], started_at=at(UNTIL - dt.timedelta(days=900)),
        ended_at=at(UNTIL - dt.timedelta(days=800)), end_reason="replaced",
    )  # fmt: skip
    LegalStatusFactory(
        person=people[4], section="s17a", started_at=at(UNTIL - dt.timedelta(days=800)),
        follows=s3,
    )  # fmt: skip
    # Still in hospital after s3 ended: not yet.
    LegalStatusFactory(
        person=people[5], started_at=at(UNTIL - dt.timedelta(days=60)), ended_at=at(UNTIL),
        end_reason="discharged_rc",
    )  # fmt: skip
    return people


def test_aftercare_follows_the_qualifying_detentions(detentions):
    counts = demo.seed(random.Random(7), UNTIL)
    assert counts["s117 aftercare episodes"] == 4
    people = {e.person_id: e for e in AftercareEpisode.objects.all()}
    assert set(people) == {detentions[i].pk for i in (0, 1, 3, 4)}
    superseded = AftercareEpisode.objects.get(person=detentions[3])
    assert superseded.end_reason == rules.END_SUPERSEDED and superseded.ended_by_detention
    cto = AftercareEpisode.objects.get(person=detentions[4])
    assert cto.end_reason != rules.END_JOINT_DECISION
    for e in AftercareEpisode.objects.select_related("detention"):
        assert e.detention.section in {"s3", "s37", "s37_41", "s45a", "s47", "s48"}
        assert e.eligible_from <= UNTIL
    # Services: the home care shared with the ICB, the day support the council's alone.
    shares = dict(
        AftercareFunding.objects.values_list("planned_service__service_component", "icb_percent")
    )
    assert shares == {"Home support or domiciliary care": Decimal(50), "Day support": Decimal(0)}
    assert not AftercareFunding.objects.exclude(
        council_percent=Decimal(100) - F("icb_percent")
    ).exists()
    assert AftercareReview.objects.filter(episode__person=detentions[0]).exists()
    assert AftercarePlan.objects.count() <= 4
    assert (
        AftercareEndDecision.objects.count()
        == AftercareEpisode.objects.filter(end_reason=rules.END_JOINT_DECISION).count()
    )
    assert AftercareFunding.objects.aggregate(n=Sum("council_percent"))["n"] == Decimal(150)


def test_the_same_seed_gives_the_same_aftercare(detentions):
    def snapshot():
        return (
            list(AftercareEpisode.objects.order_by("pk").values_list(
                "person_id", "eligible_from", "ended_on", "end_reason", "disputed"
            )),
            list(AftercareReview.objects.order_by("pk").values_list("held_on", "outcome")),
            list(AftercarePlan.objects.order_by("pk").values_list("agreed_on")),
        )  # fmt: skip

    demo.seed(random.Random(7), UNTIL)
    first = snapshot()
    for model in (AftercareEndDecision, AftercareReview, AftercareFunding, AftercarePlan):
        model.objects.all().delete()
    AftercareEpisode.objects.all().delete()
    demo.seed(random.Random(7), UNTIL)
    second = snapshot()
    assert [r[1:] for r in first[0]] == [r[1:] for r in second[0]]
    assert first[1:] == second[1:]
