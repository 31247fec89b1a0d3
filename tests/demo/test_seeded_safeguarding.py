"""The seeded safeguarding records: volumes at the county's scale, a realistic conversion to
Section 42 enquiries, the rules the services enforce held by every row, and something for the
safeguarding lead and the commissioner to see."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from carebridge.core.access import Role
from carebridge.demo import safeguarding as demo
from carebridge.duties.models import DutyState
from carebridge.organisations.models import Organisation, Worker
from carebridge.rules import safeguarding as sg
from carebridge.safeguarding import selectors
from carebridge.safeguarding.models import Concern, Enquiry, S42Decision

from .conftest import PEOPLE, UNTIL

pytestmark = pytest.mark.django_db


def test_about_a_tenth_of_known_people_have_a_concern_a_year(seeded):
    year = Concern.objects.filter(received_on__gt=UNTIL - dt.timedelta(days=365)).count()
    expected = PEOPLE * demo.CONCERNS_PER_PERSON_YEAR
    assert 0.6 * expected <= year <= 1.4 * expected
    assert seeded.counts["safeguarding concerns"] == Concern.objects.count()


def test_about_a_third_of_decided_concerns_become_section_42_enquiries(seeded):
    results = Counter(S42Decision.objects.values_list("result", flat=True))
    decided = sum(results.values())
    assert 0.22 <= results[sg.S42_ENQUIRY] / decided <= 0.45
    assert results[sg.OTHER_ENQUIRY] > 0 and results[sg.OTHER_ROUTE] > results[sg.S42_ENQUIRY]


def test_every_row_keeps_the_rules(seeded):
    for d in S42Decision.objects.all():
        met = d.needs_care_and_support and d.abuse_or_neglect and d.unable_to_protect
        assert (d.result == sg.S42_ENQUIRY) == met
        assert d.decided_on >= d.concern.received_on
    for e in Enquiry.objects.filter(concluded_on__isnull=False):
        assert e.risk_outcome and e.msp_asked
        assert bool(e.msp_achieved) == (e.msp_asked == sg.MSP_EXPRESSED)
        assert e.concern.closed_on == e.concluded_on
        assert e.substantial_difficulty is not None
        assert not e.advocate_needed or e.advocate_referred_on is not None
    # A concern is closed exactly when its work ended: another route, or a concluded enquiry.
    for c in Concern.objects.select_related("decision", "enquiry"):
        decision = getattr(c, "decision", None)
        enquiry = getattr(c, "enquiry", None)
        if decision is None or (enquiry is not None and enquiry.concluded_on is None):
            assert c.closed_on is None
        else:
            assert c.closed_on is not None


def test_most_adults_are_asked_and_most_outcomes_are_met(seeded):
    concluded = Enquiry.objects.filter(concluded_on__isnull=False)
    asked = Counter(concluded.values_list("msp_asked", flat=True))
    assert (asked[sg.MSP_EXPRESSED] + asked[sg.MSP_NONE_EXPRESSED]) / sum(asked.values()) > 0.7
    achieved = Counter(concluded.exclude(msp_achieved="").values_list("msp_achieved", flat=True))
    assert achieved[sg.ACHIEVED_FULLY] > achieved[sg.ACHIEVED_NOT]


def test_the_lead_and_the_commissioner_have_something_to_see(seeded):
    lead = Worker.objects.get(username=demo.DEMO_LEAD)
    overview = selectors.overview(lead, UNTIL)
    assert overview.awaiting or overview.enquiries
    assert Enquiry.objects.filter(lead_enquirer=lead).exists()
    providers = selectors.provider_list()
    assert providers and all(r["concerns"] for r in providers)
    org = Organisation.objects.get(pk=providers[0]["pk"])
    assert selectors.provider_concerns(org)
    assert Worker.objects.filter(role=Role.COMMISSIONER, username="comm.demo").exists()


def test_the_duties_are_evaluated_for_the_seeded_records(seeded):
    states = Counter(
        DutyState.objects.filter(duty_id="safeguarding-decision").values_list("state", flat=True)
    )
    assert states["met"] > states["met_late"] > 0
