"""The safeguarding pages: what each role sees, errors with nothing lost, double submissions,
two people editing one enquiry, the safeguarding team's relationship, and the provider pages
that never name the person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from carebridge.casework.access import Basis, person_access
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.rules import safeguarding as sg
from carebridge.safeguarding import services
from carebridge.safeguarding.models import Concern, Enquiry, S42Decision
from tests.core import form_data
from tests.factories import PersonFactory, TeamFactory, WorkerFactory
from tests.planning.factories import ProviderFactory

from . import factories as f

pytestmark = pytest.mark.django_db


def _concern_body(**over):
    today = timezone.localdate()
    body = {
        **form_data.date_parts("received_on", today - dt.timedelta(days=1)),
        "received_time": "14:05",
        "raised_by_name": "PC Tom Reyes",
        "raised_by_role": "Police constable",
        "source": "police",
        "details": "Neighbour reports shouting and a fall.",
        "risk_types": ["domestic"],
        "location_of_risk": "own_home",
        "source_of_risk": sg.KNOWN,
        "submission_token": form_data.token(),
    }
    body.update(over)
    return body


def test_a_concern_with_mistakes_is_shown_again_with_every_word_kept(client, county, sw):
    client.force_login(sw)
    url = reverse("safeguarding:raise-concern", args=[county.person_a.person_id])
    r = client.post(url, _concern_body(received_time="25:70", risk_types=[]))
    assert r.status_code == 400
    html = r.content.decode()
    assert "There is a problem" in html
    assert "Enter the time in the 24-hour clock" in html
    assert "Select the type of abuse or neglect (at least one)" in html
    assert "Neighbour reports shouting and a fall." in html and "PC Tom Reyes" in html
    assert not Concern.objects.exists()


def test_a_service_refusal_is_shown_against_its_field(client, county, sw):
    client.force_login(sw)
    url = reverse("safeguarding:raise-concern", args=[county.person_a.person_id])
    home = ProviderFactory()
    r = client.post(url, _concern_body(source_provider=str(home.pk)))
    assert r.status_code == 400
    assert "A provider is named only when the source of risk is a service provider" in (
        r.content.decode()
    )
    assert not Concern.objects.exists()


def test_a_concern_sent_twice_is_raised_once(client, county, sw):
    client.force_login(sw)
    url = reverse("safeguarding:raise-concern", args=[county.person_a.person_id])
    body = _concern_body()
    first = client.post(url, body)
    second = client.post(url, body)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Concern.objects.count() == 1
    page = client.get(second["Location"]).content.decode()
    assert "already raised" in page


def test_a_decision_against_the_criteria_is_refused_on_the_page(client, county, sw, lead):
    concern = f.raise_concern(sw, county.person_a)
    client.force_login(lead)
    url = reverse("safeguarding:decide", args=[county.person_a.person_id, concern.pk])
    body = {
        "needs_care_and_support": "yes",
        "needs_care_and_support_reason": "Dementia",
        "abuse_or_neglect": "yes",
        "abuse_or_neglect_reason": "Bruises",
        "unable_to_protect": "no",
        "unable_to_protect_reason": "Tells her daughter",
        "result": sg.S42_ENQUIRY,
        **form_data.date_parts("decided_on", timezone.localdate()),
        "submission_token": form_data.token(),
    }
    r = client.post(url, body)
    assert r.status_code == 400
    html = r.content.decode()
    assert "needs all three criteria" in html and "Tells her daughter" in html
    assert not S42Decision.objects.exists()
    # Another route: the concern closes and the page goes back to it.
    r = client.post(
        url,
        {
            **body,
            "result": sg.OTHER_ROUTE,
            "route": "advice",
            "reason": "Has capacity; wants advice only",
        },
    )
    assert r.status_code == 302
    assert r["Location"] == reverse(
        "safeguarding:concern", args=[county.person_a.person_id, concern.pk]
    )
    # Deciding again: the page says it is decided.
    r = client.get(url, follow=True)
    assert "already been recorded" in r.content.decode()


def test_two_people_editing_an_enquiry_the_second_is_told_and_keeps_their_words(
    client, county, sw, lead
):
    concern = f.raise_concern(sw, county.person_a)
    f.decide(lead, concern, lead_enquirer=sw)
    enquiry = Enquiry.objects.get(concern=concern)
    url = reverse("safeguarding:enquiry-edit", args=[county.person_a.person_id, enquiry.pk])
    services.update_enquiry(lead, enquiry, version=1, lead_enquirer=lead, enquiry_plan="Mine")
    client.force_login(sw)
    r = client.post(
        url,
        {
            "lead_enquirer": str(sw.pk),
            "enquiry_plan": "Theirs, typed late",
            "version": "1",
            "submission_token": form_data.token(),
        },
    )
    assert r.status_code == 409
    html = r.content.decode()
    assert "Someone else changed this" in html and "Theirs, typed late" in html
    enquiry.refresh_from_db()
    assert enquiry.enquiry_plan == "Mine"


def test_concluding_without_the_outcomes_says_what_is_missing(client, county, sw, lead):
    concern = f.raise_concern(sw, county.person_a)
    f.decide(lead, concern)
    enquiry = Enquiry.objects.get(concern=concern)
    client.force_login(lead)
    url = reverse("safeguarding:conclude", args=[county.person_a.person_id, enquiry.pk])
    r = client.post(
        url,
        {
            **form_data.date_parts("concluded_on", timezone.localdate()),
            "version": "1",
            "submission_token": form_data.token(),
        },
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "Select the risk outcome" in html
    assert "Making Safeguarding Personal" in html and 'href="#msp_asked"' in html
    assert 'id="msp_asked"' in html  # the summary row the message links to
    enquiry.refresh_from_db()
    assert enquiry.is_open


def test_the_person_page_shows_detail_only_to_those_who_do_enquiries(client, county, sw, nhs):
    person = county.person_a_team
    concern = f.raise_concern(sw, person)
    url = reverse("people:detail", args=[person.person_id])
    client.force_login(sw)
    html = client.get(url).content.decode()
    assert concern.reference in html and "Physical Abuse" in html
    client.force_login(nhs)
    html = client.get(url).content.decode()
    assert "Awaiting decision" in html
    assert concern.reference not in html and "Physical Abuse" not in html
    assert "Raise a safeguarding concern" in html


def test_a_safeguarding_team_sees_people_with_open_concerns_without_breaking_glass(county, sw):
    team = TeamFactory(organisation=county.council, name="Safeguarding Adults", kind="safeguarding")
    lead = WorkerFactory(role=Role.SAFEGUARDING_LEAD, team=team)
    person = county.person_b  # held by another team
    assert not person_access(lead, person).allowed
    concern = f.raise_concern(sw, person)
    access = person_access(lead, person)
    assert access.allowed and access.basis == Basis.SAFEGUARDING
    # A social worker in a safeguarding team does not decide: no basis of their own.
    worker = WorkerFactory(role=Role.SOCIAL_WORKER, team=team)
    assert not person_access(worker, person).allowed
    # Leading the enquiry gives one, while it is open.
    f.decide(lead, concern, lead_enquirer=worker)
    assert person_access(worker, person).basis == Basis.SAFEGUARDING


def test_the_provider_page_never_names_the_person(client, county, sw):
    home = ProviderFactory(name="Willowmere Care Home")
    person = PersonFactory(
        given_name="Philippa", family_name="Quarrington", nhs_number="9990000026"
    )
    concern = f.raise_concern(
        sw,
        person,
        source_of_risk=sg.SERVICE_PROVIDER,
        source_provider=home,
        location_of_risk="care_home_residential",
        details="Left in wet sheets all night.",
        immediate_actions="Night carer suspended.",
        raised_by_name="Daughter Ivy Quarrington",
    )
    client.force_login(county.workers[Role.COMMISSIONER])
    listing = client.get(reverse("safeguarding:providers"))
    assert listing.status_code == 200 and "Willowmere Care Home" in listing.content.decode()
    r = client.get(reverse("safeguarding:provider", args=[home.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    assert concern.reference in html and "Care Home - Residential" in html
    assert "Awaiting decision" in html and "Physical Abuse" in html
    for secret in (
        "Philippa",
        "Quarrington",
        "9990000026",
        "999 000 0026",
        person.person_id,
        "wet sheets",
        "suspended",
        "Ivy",
    ):
        assert secret not in html, secret
    views = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, object_id=str(home.pk))
    assert views.count() == 1 and views.get().person_id is None


def test_a_provider_page_is_only_for_providers(client, county):
    client.force_login(county.workers[Role.COMMISSIONER])
    assert client.get(reverse("safeguarding:provider", args=[county.trust.pk])).status_code == 404


def test_the_sac_page_for_a_year_and_a_bad_year(client, county, sw):
    f.raise_concern(sw, county.person_a)
    client.force_login(county.workers[Role.PERFORMANCE_ANALYST])
    r = client.get(reverse("safeguarding:figures"))
    assert r.status_code == 200
    assert "Safeguarding concerns received" in r.content.decode()
    r = client.get(reverse("safeguarding:figures") + "?year=2025-27")
    assert r.status_code == 400 and "the second year must follow" in r.content.decode()


def test_the_overview_flags_overdue_decisions_in_working_days(client, county, sw, lead):
    old = f.raise_concern(
        sw, county.person_a, received_on=timezone.localdate() - dt.timedelta(days=30)
    )
    client.force_login(lead)
    html = client.get(reverse("safeguarding:overview")).content.decode()
    assert old.reference in html and "Overdue" in html
    # Listing people is a view of their data: audited, with who was listed.
    event = AuditEvent.objects.get(object_type="safeguarding.overview")
    assert event.changes["listed"] == [county.person_a.person_id]
