"""s117 services in the CLD return are never shown as chargeable: the person's
Client_Funding_Status is "Fully social care funded" while aftercare is open, with or without a
charge decision."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from carebridge.finance.models import ChargeDecision
from carebridge.returns import cld_export
from carebridge.rules import cld
from tests.factories import EventFactory, PersonFactory
from tests.finance.factories import CompletedAssessmentFactory

from .factories import EpisodeFactory, discharged_s3

START, END = dt.date(2025, 4, 1), dt.date(2026, 3, 31)


def _rows():
    out = io.StringIO()
    cld_export.write(out, START, END, la_code="999")
    out.seek(0)
    return list(csv.DictReader(out))


@pytest.fixture
def s117_home_care(county):
    person = PersonFactory()
    EventFactory(
        person=person, event_type=cld.SERVICE, start_date=dt.date(2025, 6, 1),
        service_type="Long term support: Community",
        service_component="Home support or domiciliary care",
        delivery_mechanism="CASSR commissioned support", end_date=None,
    )  # fmt: skip
    detention = discharged_s3(person, left_on=dt.date(2025, 5, 30))
    EpisodeFactory(person=person, detention=detention)
    return person


def _funding(person) -> set[str]:
    rows = [r for r in _rows() if r["LA_Person_Unique_Identifier"] == person.person_id]
    assert rows
    return {r["Client_Funding_Status"] for r in rows}


def test_open_aftercare_without_a_charge_is_fully_social_care_funded(s117_home_care):
    assert _funding(s117_home_care) == {"Fully social care funded"}


def test_an_s117_charge_decision_is_fully_social_care_funded(s117_home_care):
    fa = CompletedAssessmentFactory(person=s117_home_care)
    ChargeDecision.objects.create(
        person=s117_home_care, financial_assessment=fa, weekly_amount=Decimal("0.00"),
        valid_from=dt.date(2025, 6, 1), reason="s117", s117_aftercare=True,
    )  # fmt: skip
    assert _funding(s117_home_care) == {"Fully social care funded"}


def test_without_aftercare_the_status_is_unknown(county):
    person = PersonFactory()
    EventFactory(
        person=person, event_type=cld.SERVICE, start_date=dt.date(2025, 6, 1), end_date=None
    )
    assert _funding(person) == {"Unknown"}
