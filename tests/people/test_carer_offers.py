"""Offering an unpaid carer an assessment (Care Act 2014 s10) from either person's page, and
recording the carer's response: bad input gets a clear message and saves nothing, a form sent
twice saves once, every write is audited on both people's records, and the carers section
shows the history and what to do next."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from carebridge.core.access import Role
from carebridge.core.models import AuditEvent, RestrictedAccess
from carebridge.people import carer_offers
from carebridge.people.models import CarerAssessmentOffer
from carebridge.rules import carers
from tests.core import form_data
from tests.factories import PersonFactory, WorkerFactory
from tests.people.factories import CarerOfferFactory, CarerRelationshipFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


@pytest.fixture
def sw(county, client):
    worker = county.workers[Role.SOCIAL_WORKER]
    client.force_login(worker)
    return worker


@pytest.fixture
def rel(county):
    """Colin cares for Anna (person_a, allocated to the social worker)."""
    carer = PersonFactory(given_name="Colin", family_name="Carer")
    return CarerRelationshipFactory(carer=carer, cared_for=county.person_a)


def offer_url(person, rel) -> str:
    return reverse("people:carer-offer", args=[person.person_id, rel.pk])


def response_url(person, offer) -> str:
    return reverse("people:carer-offer-response", args=[person.person_id, offer.pk])


def carers_section(person) -> str:
    return reverse("people:detail", args=[person.person_id]) + "#carers"


def page(response) -> str:
    return response.content.decode()


# --- recording an offer --------------------------------------------------------------------


def test_record_an_offer_from_the_cared_for_persons_page(client, sw, rel):
    anna = rel.cared_for
    r = client.get(offer_url(anna, rel))
    assert r.status_code == 200
    assert "Record an offer of a carer&#39;s assessment" in page(r)
    assert "Colin Carer, unpaid carer of" in page(r)
    body = form_data.carer_offer(sw, method="letter", details="Sent the carers' pack")
    r = client.post(offer_url(anna, rel), body)
    assert r.status_code == 302 and r["Location"] == carers_section(anna)
    offer = CarerAssessmentOffer.objects.get()
    assert (offer.carer, offer.relationship, offer.offered_on, offer.method) == (
        rel.carer,
        rel,
        TODAY,
        "letter",
    )
    assert (offer.response, offer.responded_on, offer.offered_by, offer.recorded_by) == (
        carers.AWAITING,
        None,
        sw,
        sw,
    )
    audited = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_id=str(offer.pk))
    assert sorted(audited.values_list("person_id", flat=True)) == sorted([rel.carer.pk, anna.pk])
    shown = page(client.get(reverse("people:detail", args=[anna.person_id])))
    assert "No response yet" in shown and "Sent the carers&#39; pack" in shown
    assert response_url(anna, offer) in shown


def test_record_an_offer_declined_on_the_spot_from_the_carers_page(client, sw, county):
    # The social worker holds the carer's case; the person cared for is held elsewhere.
    rel = CarerRelationshipFactory(cared_for=county.person_b)
    from tests.factories import AllocationFactory

    AllocationFactory(person=rel.carer, team=county.team_a, worker=sw)
    body = form_data.carer_offer(
        sw,
        method="in_person",
        response="declined",
        declined_reason="  My daughter helps; I don't need anything  ",
        **form_data.date_parts("responded_on", TODAY),
    )
    r = client.post(offer_url(rel.carer, rel), body)
    assert r.status_code == 302 and r["Location"] == carers_section(rel.carer)
    offer = CarerAssessmentOffer.objects.get()
    assert (offer.response, offer.responded_on, offer.declined_reason) == (
        carers.DECLINED,
        TODAY,
        "My daughter helps; I don't need anything",
    )
    assert offer.response_recorded_by == sw


def test_a_reason_is_only_for_a_refusal(client, sw, rel):
    body = form_data.carer_offer(
        sw,
        response="accepted",
        declined_reason="typed, then changed their mind",
        **form_data.date_parts("responded_on", TODAY),
    )
    r = client.post(offer_url(rel.cared_for, rel), body)
    assert r.status_code == 400
    assert "Leave the reason empty unless the carer declined" in page(r)
    assert not CarerAssessmentOffer.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"offered_on-day": "31", "offered_on-month": "2"}, "offered_on", "real date"),
        ({**form_data.date_parts("offered_on", TODAY + DAY)}, "offered_on", "today or in the past"),
        ({"method": ""}, "method", "Select how the offer was made"),
        ({"offered_by": ""}, "offered_by", "Select who made the offer"),
        (
            {"response": "declined", **form_data.date_parts("responded_on", TODAY)},
            "declined_reason",
            "Enter the carer&#39;s reason for declining, in their words",
        ),
        ({"response": "accepted"}, "responded_on", "Enter the date of the carer&#39;s response"),
        (
            {"response": "accepted", **form_data.date_parts("responded_on", TODAY + DAY)},
            "responded_on",
            "The date of the response must be today or in the past",
        ),
        (
            {
                **form_data.date_parts("offered_on", TODAY - 2 * DAY),
                "response": "accepted",
                **form_data.date_parts("responded_on", TODAY - 3 * DAY),
            },
            "responded_on",
            "must be the same as or after the date of the offer",
        ),
        (
            {**form_data.date_parts("responded_on", TODAY)},
            "responded_on",
            "Leave the date of the response empty if the carer has not answered yet",
        ),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, sw, rel, change, field, message):
    body = {**form_data.carer_offer(sw, details="Talked at the kitchen table"), **change}
    r = client.post(offer_url(rel.cared_for, rel), body)
    assert r.status_code == 400
    html = page(r)
    assert "There is a problem" in html and message in html
    assert f'href="#{field}' in html  # the summary links to the field
    assert "Talked at the kitchen table" in html  # what was typed is kept
    assert not CarerAssessmentOffer.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CREATE).exists()


def test_an_offer_sent_twice_is_saved_once(client, sw, rel):
    body = form_data.carer_offer(sw)
    first = client.post(offer_url(rel.cared_for, rel), body)
    second = client.post(offer_url(rel.cared_for, rel), body)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == carers_section(rel.cared_for)
    assert CarerAssessmentOffer.objects.count() == 1
    shown = page(client.get(second["Location"]))
    assert "The offer was already recorded: you sent it twice." in shown
    # A later offer (a new form) is a new row: the history is kept.
    assert client.post(offer_url(rel.cared_for, rel), form_data.carer_offer(sw)).status_code == 302
    assert CarerAssessmentOffer.objects.count() == 2


def test_offered_by_is_the_worker_or_someone_in_their_team(client, sw, rel, county):
    body = form_data.carer_offer(county.worker_b)  # team B
    r = client.post(offer_url(rel.cared_for, rel), body)
    assert r.status_code == 400 and "Select a valid choice" in page(r)
    colleague = WorkerFactory(team=county.team_a, first_name="Priya", last_name="Shah")
    assert "Priya Shah" in page(client.get(offer_url(rel.cared_for, rel)))
    assert (
        client.post(offer_url(rel.cared_for, rel), form_data.carer_offer(colleague)).status_code
        == 302
    )
    assert CarerAssessmentOffer.objects.get().offered_by == colleague


def test_only_a_relationship_of_the_persons(client, sw, rel, county):
    stranger = CarerRelationshipFactory()  # neither person is Anna
    assert client.get(offer_url(county.person_a, stranger)).status_code == 404
    assert (
        client.post(offer_url(county.person_a, stranger), form_data.carer_offer(sw)).status_code
        == 404
    )
    assert not CarerAssessmentOffer.objects.exists()


def test_a_restricted_carer_the_worker_is_not_named_on_does_not_exist_for_them(client, sw, county):
    hidden = PersonFactory(given_name="Hester", family_name="Hidden", is_restricted=True)
    RestrictedAccess.objects.create(person=hidden, worker=county.worker_b)
    rel = CarerRelationshipFactory(carer=hidden, cared_for=county.person_a)
    r = client.get(offer_url(county.person_a, rel))
    assert r.status_code == 404 and "Hidden" not in page(r)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS_REFUSED, person=hidden
    ).exists()


def test_no_offer_for_caring_that_has_ended(client, sw, rel):
    rel.ended_on = TODAY - DAY
    rel.save()
    r = client.post(offer_url(rel.cared_for, rel), form_data.carer_offer(sw))
    assert r.status_code == 302 and not CarerAssessmentOffer.objects.exists()
    assert "caring has ended" in page(client.get(r["Location"]))


def test_a_role_without_assessing_cannot(client, county, rel):
    client.force_login(county.workers[Role.FINANCE_OFFICER])
    r = client.post(
        offer_url(rel.cared_for, rel), form_data.carer_offer(county.workers[Role.SOCIAL_WORKER])
    )
    assert r.status_code == 403 and not CarerAssessmentOffer.objects.exists()


# --- the carer's response ------------------------------------------------------------------


@pytest.fixture
def offer(rel, sw):
    return CarerOfferFactory(relationship=rel, offered_on=TODAY - 10 * DAY, offered_by=sw)


def test_record_the_carers_refusal(client, sw, offer):
    anna = offer.relationship.cared_for
    r = client.get(response_url(anna, offer))
    assert r.status_code == 200 and "Record the carer&#39;s response" in page(r)
    r = client.post(response_url(anna, offer), form_data.carer_response(offer.version))
    assert r.status_code == 302 and r["Location"] == carers_section(anna)
    offer.refresh_from_db()
    assert (offer.response, offer.responded_on, offer.version) == (carers.DECLINED, TODAY, 2)
    assert offer.declined_reason == "I'm managing for now; I'll call if things change"
    assert (offer.response_recorded_by, offer.recorded_by) == (sw, sw)
    changes = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, object_id=str(offer.pk))
    assert changes.count() == 2  # on the carer's record and Anna's
    assert changes.first().changes["response"] == {"before": "awaiting", "after": "declined"}
    shown = page(client.get(reverse("people:detail", args=[anna.person_id])))
    assert "Declined" in shown and "I&#39;m managing for now" in shown
    assert response_url(anna, offer) not in shown


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"response": ""}, "Select whether the carer accepted or declined"),
        ({"declined_reason": "   "}, "Enter the carer&#39;s reason for declining"),
        (
            {"responded_on-day": "", "responded_on-month": "", "responded_on-year": ""},
            "Enter date of the response",
        ),
        ({"responded_on-day": "32"}, "real date"),
        ({**form_data.date_parts("responded_on", TODAY + DAY)}, "today or in the past"),
        (
            {**form_data.date_parts("responded_on", TODAY - 11 * DAY)},
            "the same as or after the date of the offer",
        ),
    ],
)
def test_a_bad_response_is_explained_and_nothing_changes(client, sw, offer, change, message):
    r = client.post(
        response_url(offer.carer, offer), form_data.carer_response(offer.version, **change)
    )
    # The carer is not allocated to anyone: the worker gets to them through Anna's page only.
    assert r.status_code == 403
    anna = offer.relationship.cared_for
    r = client.post(response_url(anna, offer), form_data.carer_response(offer.version, **change))
    assert r.status_code == 400 and "There is a problem" in page(r) and message in page(r)
    offer.refresh_from_db()
    assert (offer.response, offer.version) == (carers.AWAITING, 1)


def test_a_response_sent_twice_is_saved_once(client, sw, offer):
    anna = offer.relationship.cared_for
    body = form_data.carer_response(offer.version, response="accepted")
    first = client.post(response_url(anna, offer), body)
    second = client.post(response_url(anna, offer), body)
    assert first.status_code == second.status_code == 302
    offer.refresh_from_db()
    assert (offer.response, offer.version) == (carers.ACCEPTED, 2)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).count() == 2
    assert "The response was already recorded." in page(client.get(second["Location"]))
    # A new form for an offer already answered: sent back, nothing changed.
    r = client.post(response_url(anna, offer), form_data.carer_response(offer.version))
    assert r.status_code == 302
    offer.refresh_from_db()
    assert offer.response == carers.ACCEPTED
    assert "already recorded: accepted" in page(client.get(r["Location"]))


def test_someone_elses_change_in_between_is_not_overwritten(client, sw, offer):
    anna = offer.relationship.cared_for
    stale = offer.version
    carer_offers.correct_offer(sw, offer, version=stale, reason="Wrong method", method="email")
    r = client.post(response_url(anna, offer), form_data.carer_response(stale))
    assert r.status_code == 400 and "Someone else changed this offer" in page(r)
    offer.refresh_from_db()
    assert (offer.response, offer.method) == (carers.AWAITING, "email")
    assert f'value="{offer.version}"' in page(r)  # sent again, it saves


def test_an_accepted_offer_links_to_starting_the_carers_assessment(client, sw, offer):
    from carebridge.assessments.models import Assessment
    from carebridge.assessments.services import start_assessment

    anna, carer = offer.relationship.cared_for, offer.carer
    client.post(response_url(anna, offer), form_data.carer_response(response="accepted"))
    link = (
        reverse("assessments:start", args=[carer.person_id])
        + f"?kind=carer&amp;cared_for={anna.person_id}"
    )
    assert link in page(client.get(reverse("people:detail", args=[anna.person_id])))
    start_assessment(sw, carer, kind=Assessment.Kind.CARER, cared_for=anna)
    assert link not in page(client.get(reverse("people:detail", args=[anna.person_id])))


def test_the_start_page_takes_the_choice_from_the_link(client, sw, county):
    from tests.factories import AllocationFactory

    carer = PersonFactory()
    AllocationFactory(person=carer, team=county.team_a, worker=sw)
    url = reverse("assessments:start", args=[carer.person_id])
    html = page(client.get(url + f"?kind=carer&cared_for={county.person_a.person_id}"))
    assert 'value="carer" checked' in html and f'value="{county.person_a.person_id}"' in html


def test_an_offer_of_another_persons_relationship_is_not_found(client, sw, county, offer):
    other = CarerOfferFactory()
    assert client.get(response_url(county.person_a, other)).status_code == 404


# --- the service and the model -------------------------------------------------------------


def test_the_service_refuses_a_role_without_assessing(county, rel):
    with pytest.raises(PermissionDenied):
        carer_offers.record_offer(
            county.workers[Role.FINANCE_OFFICER],
            rel,
            offered_on=TODAY,
            method="phone",
            offered_by=county.workers[Role.SOCIAL_WORKER],
        )
    assert not CarerAssessmentOffer.objects.exists()


def test_the_service_checks_what_the_form_checks(sw, rel):
    with pytest.raises(ValidationError) as e:
        carer_offers.record_offer(
            sw, rel, offered_on=TODAY, method="phone", offered_by=sw, response=carers.DECLINED,
            responded_on=TODAY,
        )  # fmt: skip
    assert "declined_reason" in e.value.message_dict
    with pytest.raises(ValidationError, match="Select how"):
        carer_offers.record_offer(sw, rel, offered_on=TODAY, method="carrier pigeon", offered_by=sw)
    assert not CarerAssessmentOffer.objects.exists()


def test_a_response_is_added_once_then_only_corrected(sw, offer):
    carer_offers.record_response(sw, offer, version=1, response=carers.ACCEPTED, responded_on=TODAY)
    with pytest.raises(ValidationError, match="already recorded"):
        carer_offers.record_response(
            sw, offer, version=None, response=carers.DECLINED, responded_on=TODAY,
            declined_reason="Changed my mind",
        )  # fmt: skip
    fixed = carer_offers.correct_offer(
        sw,
        offer,
        version=2,
        reason="The carer rang back the same day to decline",
        response=carers.DECLINED,
        declined_reason="Changed my mind",
    )
    assert (fixed.response, fixed.declined_reason, fixed.version) == (
        carers.DECLINED,
        "Changed my mind",
        3,
    )
    entry = AuditEvent.objects.filter(summary__startswith="Corrected").first()
    assert entry.changes["response"] == {"before": "accepted", "after": "declined"}
    assert entry.changes["reason"] == "The carer rang back the same day to decline"
    with pytest.raises(carer_offers.OfferConflict):
        carer_offers.correct_offer(sw, offer, version=2, reason="Again", method="email")
    with pytest.raises(ValidationError, match="why"):
        carer_offers.correct_offer(sw, offer, version=3, reason=" ", method="email")
    with pytest.raises(ValidationError, match="Nothing was changed"):
        carer_offers.correct_offer(sw, offer, version=3, reason="Same", method=offer.method)
    with pytest.raises(ValueError, match="cannot be corrected"):
        carer_offers.correct_offer(sw, offer, version=3, reason="Move", carer=PersonFactory())


def test_a_correction_back_to_no_response_clears_the_answer(sw, offer):
    carer_offers.record_response(
        sw, offer, version=1, response=carers.DECLINED, responded_on=TODAY, declined_reason="No"
    )
    fixed = carer_offers.correct_offer(
        sw, offer, version=2, reason="Recorded against the wrong offer", response=carers.AWAITING
    )
    assert (fixed.responded_on, fixed.declined_reason, fixed.response_recorded_by) == (
        None,
        "",
        None,
    )


def test_the_model_checks_its_dates_and_carer(offer):
    offer.responded_on = TODAY
    offer.response = carers.ACCEPTED
    offer.offered_on = TODAY + DAY
    with pytest.raises(ValidationError) as e:
        offer.full_clean()
    assert set(e.value.message_dict) >= {"offered_on", "responded_on"}
    offer.offered_on = TODAY
    offer.carer = PersonFactory()
    with pytest.raises(ValidationError, match="carer in the relationship"):
        offer.full_clean()


@pytest.mark.parametrize(
    "bad",
    [
        {"response": carers.DECLINED, "responded_on": TODAY},  # no reason
        {"response": carers.ACCEPTED},  # no date
        {"responded_on": TODAY},  # dated, but no response
        {"response": carers.ACCEPTED, "responded_on": TODAY - 30 * DAY},  # before the offer
        {"declined_reason": "only with a refusal"},
        {"response": "maybe"},
    ],
)
def test_the_database_refuses_what_the_rules_refuse(sw, rel, bad):
    fields = {
        "relationship": rel,
        "carer": rel.carer,
        "offered_on": TODAY - DAY,
        "method": "phone",
        "offered_by": sw,
        "recorded_by": sw,
        "recorded_at": timezone.now(),
        **bad,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        CarerAssessmentOffer.objects.create(**fields)


def test_the_person_page_reads_offers_in_one_query_whatever_their_number(client, sw, rel):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("people:detail", args=[rel.cared_for.person_id])
    CarerOfferFactory(relationship=rel)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(6):
        CarerOfferFactory(relationship=rel, offered_by=WorkerFactory())
    CarerOfferFactory(relationship=CarerRelationshipFactory(cared_for=rel.cared_for))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
