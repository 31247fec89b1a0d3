"""The s117 pages as a worker uses them: the person is discharged after s3, aftercare starts,
the joint plan is agreed and a home care service under s117 is funded (and never charged);
clear messages, nothing half-written, double submissions and two people editing at once; the
register and its CSV."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.mentalhealth.models import AftercareEpisode, AftercareFunding, AftercarePlan
from tests.core import form_data

from .conftest import agree
from .factories import EpisodeFactory, FundingFactory

TODAY = timezone.localdate


def _eligibility_body(county, the_icb, **overrides):
    return {
        "council": str(county.council.pk),
        "icb": str(the_icb.pk),
        "residence_basis": "address_before_detention",
        "residence_address": "4 Mill Lane, Brackenford",
        "residence_postcode": "WX1 2AB",
        "disputed": "no",
        "submission_token": form_data.token(),
        **overrides,
    }


def test_the_journey_discharge_to_free_home_care(
    client, sw, officer, person, detention, county, icb, approved_plan
):
    client.force_login(sw)
    page = client.get(reverse("people:detail", args=[person.person_id])).content.decode()
    assert "s117 aftercare" in page and "Record s117 aftercare" in page
    url = reverse("aftercare:record-eligibility", args=[person.person_id, detention.pk])
    assert "Record eligibility" in client.get(url).content.decode()
    r = client.post(url, _eligibility_body(county, icb))
    assert r.status_code == 302 and r["Location"] == f"/people/{person.person_id}/aftercare/"
    episode = AftercareEpisode.objects.get(person=person)
    overview = client.get(r["Location"]).content.decode()
    assert "Agree the joint aftercare plan" in overview
    assert "Add a service funded under s117" in overview
    r = client.post(
        reverse("aftercare:plan", args=[person.person_id, episode.pk]),
        {
            "needs": "Medication support", "reduces_risk": "Early signs of relapse noticed",
            "council_worker": str(sw.pk), "icb_representative": "Dr Priya Shah",
            **form_data.date_parts("agreed_on", TODAY()), "version": "",
            "submission_token": form_data.token(),
        },
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    service = approved_plan.services.get()
    add = reverse("aftercare:add-service", args=[person.person_id, episode.pk])
    assert service.description in client.get(add).content.decode()
    r = client.post(
        add,
        {
            "planned_service": str(service.pk), "given_as": "percentages",
            "council_percent": "50", "icb_percent": "50", "submission_token": form_data.token(),
        },
    )  # fmt: skip
    assert r.status_code == 302
    overview = client.get(r["Location"]).content.decode()
    assert "No charge (s117)" in overview and "£128.80" in overview
    # The finance officer's assessment charges nothing for it.
    from carebridge.finance import s117
    from tests.finance.conftest import complete_full

    _, decision = complete_full(officer, person)
    assert decision.weekly_amount == 0 and decision.reason == s117.NO_CHARGE_REASON
    client.force_login(officer)
    charges = client.get(reverse("finance:overview", args=[person.person_id])).content.decode()
    assert "£0.00" in charges and "s117 aftercare is never charged for" in charges


def test_bad_input_is_explained_and_nothing_is_saved(client, sw, person, detention, county, icb):
    client.force_login(sw)
    url = reverse("aftercare:record-eligibility", args=[person.person_id, detention.pk])
    r = client.post(url, _eligibility_body(county, icb, icb="", disputed="yes"))
    html = r.content.decode()
    assert r.status_code == 400
    assert "Select the integrated care board responsible for aftercare" in html
    assert not AftercareEpisode.objects.exists()
    r = client.post(url, _eligibility_body(county, icb, disputed="yes", dispute_notes=""))
    assert (
        r.status_code == 400 and "Say which councils dispute responsibility" in r.content.decode()
    )
    assert not AftercareEpisode.objects.exists()


def test_a_double_submission_records_once(client, sw, person, detention, county, icb):
    client.force_login(sw)
    url = reverse("aftercare:record-eligibility", args=[person.person_id, detention.pk])
    body = _eligibility_body(county, icb)
    first = client.post(url, body)
    second = client.post(url, body)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert AftercareEpisode.objects.count() == 1


def test_the_second_of_two_plan_edits_gets_a_clear_message(client, sw, tm, person, episode):
    agree(sw, episode)
    client.force_login(tm)
    url = reverse("aftercare:plan", args=[person.person_id, episode.pk])
    body = {
        "needs": "Changed from a stale page", "reduces_risk": "x", "council_worker": str(sw.pk),
        "icb_representative": "Dr Shah", **form_data.date_parts("agreed_on", TODAY()),
        "version": "1", "submission_token": form_data.token(),
    }  # fmt: skip
    agree(sw, episode, version=1, needs="The first edit")
    r = client.post(url, body)
    assert r.status_code == 400
    assert "Someone else changed this record" in r.content.decode()
    assert AftercarePlan.objects.get().needs == "The first edit"


def test_a_split_that_does_not_add_up_is_explained(client, sw, person, episode, approved_plan):
    client.force_login(sw)
    r = client.post(
        reverse("aftercare:add-service", args=[person.person_id, episode.pk]),
        {
            "planned_service": str(approved_plan.services.get().pk), "given_as": "amounts",
            "council_weekly": "100", "icb_weekly": "100", "submission_token": form_data.token(),
        },
    )  # fmt: skip
    assert r.status_code == 400
    assert "weekly cost of £257.60 (they add up to £200.00)" in r.content.decode()
    assert not AftercareFunding.objects.exists()


def test_ending_on_a_cto_is_refused_on_the_page(client, tm, person, episode):
    from .factories import LegalStatusFactory

    LegalStatusFactory(person=person, section="s17a", started_at=timezone.now())
    episode.refresh_from_db()
    client.force_login(tm)
    url = reverse("aftercare:end", args=[person.person_id, episode.pk])
    assert "aftercare cannot end now" in client.get(url).content.decode()
    r = client.post(
        url,
        {
            **form_data.date_parts("decided_on", TODAY()), "council_decision_maker": "Terry",
            "council_agrees": "yes", "icb_decision_maker": "Dr Shah", "icb_agrees": "yes",
            "reasons": "Well", "version": str(episode.version),
            "submission_token": form_data.token(),
        },
    )  # fmt: skip
    assert r.status_code == 400 and "community treatment order" in r.content.decode()
    episode.refresh_from_db()
    assert episode.is_open


# --- the register -------------------------------------------------------------------------------


@pytest.fixture
def several(county, sw):
    from carebridge.planning.models import CarePlan
    from tests.factories import AllocationFactory, PersonFactory
    from tests.planning.factories import CarePlanFactory, PlannedServiceFactory

    def make(n):
        for _ in range(n):
            p = PersonFactory()
            AllocationFactory(person=p, team=county.team_a, worker=sw)
            e = EpisodeFactory(person=p, responsible_council=county.council)
            plan = CarePlanFactory(
                person=p, created_by=sw, status=CarePlan.Status.APPROVED, approved_on=TODAY()
            )
            FundingFactory(
                episode=e, planned_service=PlannedServiceFactory(plan=plan),
                council_percent=Decimal(100), icb_percent=Decimal(0),
            )  # fmt: skip

    return make


def test_the_register_lists_open_aftercare_without_n_plus_one(
    client, county, tm, several, django_assert_max_num_queries
):
    several(2)
    client.force_login(tm)
    with django_assert_max_num_queries(14):
        small = client.get(reverse("aftercare:register"))
    several(8)
    with django_assert_max_num_queries(14):
        large = client.get(reverse("aftercare:register"))
    assert large.content.decode().count("No charge") == 0  # the register shows the split
    assert large.content.decode().count("(100.00% / 0.00%)") == 10
    assert small.status_code == 200
    assert AuditEvent.objects.filter(object_type="mentalhealth.s117_register").exists()


def test_the_register_csv_reports_s117_as_such(client, county, several):
    several(3)
    client.force_login(county.workers[Role.PERFORMANCE_ANALYST])
    r = client.get(reverse("aftercare:register-csv"))
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert len(rows) == 3
    assert {row["charged"] for row in rows} == {"No"}
    assert {row["council_percent"] for row in rows} == {"100.00"}
    assert all(row["name"] == "" for row in rows)  # an analyst sees council person IDs only
    assert AuditEvent.objects.filter(action="export").exists()
