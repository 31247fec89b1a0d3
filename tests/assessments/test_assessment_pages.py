"""A needs assessment and a carer's assessment through the web pages: drafts saved section by
section and by autosave, conflicts between two workers, advocacy, completion with the
eligibility determination, and the CLD event."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carebridge.assessments.models import Assessment, EligibilityDetermination
from carebridge.casework.models import Event
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent

AUTOSAVE = {"HTTP_X_CAREBRIDGE_AUTOSAVE": "1"}


def section_url(a, slug):
    return reverse("assessments:section", args=[a.person.person_id, a.pk, slug])


@pytest.fixture
def worker(county):
    return county.workers[Role.SOCIAL_WORKER]


@pytest.fixture
def started(county, worker, sign_in):
    client = sign_in(worker)
    r = client.post(
        reverse("assessments:start", args=[county.person_a.person_id]), {"kind": "adult"}
    )
    assert r.status_code == 302
    a = Assessment.objects.get(person=county.person_a)
    assert r["Location"] == section_url(a, "needs")
    return client, a


def post(client, a, slug, data, **extra):
    a.refresh_from_db()
    return client.post(section_url(a, slug), {"version": a.version, **data}, **extra)


def fill_eligible(client, a):
    assert (
        post(
            client,
            a,
            "needs",
            {"needs_arise_from_impairment_or_illness": "yes", "impairment_or_illness": "Psychosis"},
        ).status_code
        == 302
    )
    assert (
        post(
            client,
            a,
            "outcomes",
            {
                "outcomes-shown": "1",
                "outcome-nutrition": ["without_assistance"],
                "outcome-nutrition-evidence": "Forgets to eat without prompting",
                "outcome-habitable_home": ["endangers_health_safety", "pain_distress_anxiety"],
                "outcome-habitable_home-evidence": "Hoarding blocks the exits",
            },
        ).status_code
        == 302
    )
    assert (
        post(
            client,
            a,
            "wellbeing",
            {
                "significant_impact_on_wellbeing": "yes",
                "wellbeing_impact": "Isolated, losing weight",
            },
        ).status_code
        == 302
    )
    assert (
        post(
            client, a, "person", {"what_matters": "Keeping my cat", "strengths": "Good humour"}
        ).status_code
        == 302
    )
    assert (
        post(client, a, "involvement", {"substantial_difficulty_being_involved": "no"}).status_code
        == 302
    )


def test_starting_opens_a_cld_assessment_event(started):
    _, a = started
    assert a.event.event_type == Event.ASSESSMENT
    assert a.event.end_date is None
    assert a.status == Assessment.Status.DRAFT


def test_a_second_draft_of_the_same_kind_is_refused(started, county):
    client, _ = started
    r = client.post(
        reverse("assessments:start", args=[county.person_a.person_id]), {"kind": "adult"}
    )
    assert r.status_code == 400
    assert "already a draft" in r.content.decode()
    assert Assessment.objects.filter(person=county.person_a).count() == 1


def test_sections_save_and_complete_with_an_eligible_determination(started):
    client, a = started
    fill_eligible(client, a)
    check = client.get(section_url(a, "check"))
    assert check.status_code == 200
    assert "The needs meet the eligibility criteria" in check.content.decode()
    a.refresh_from_db()
    r = client.post(
        section_url(a, "check"),
        {"version": a.version, "method_of_assessment": "Face to face", "prevention_advice": ""},
    )
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == Assessment.Status.COMPLETED
    d = a.determination
    assert d.eligible is True
    assert d.outcomes_unable == ["nutrition", "habitable_home"]
    assert any("Managing and maintaining nutrition" in reason for reason in d.reasons)
    a.event.refresh_from_db()
    assert a.event.end_date == a.completed_on
    assert a.event.outcome == "Progress to support planning or services"
    page = client.get(reverse("assessments:detail", args=[a.person.person_id, a.pk]))
    assert "Eligible needs" in page.content.decode()


def test_not_eligible_needs_require_prevention_advice(started):
    client, a = started
    post(client, a, "needs", {"needs_arise_from_impairment_or_illness": "yes"})
    post(
        client,
        a,
        "outcomes",
        {
            "outcomes-shown": "1",
            "outcome-nutrition": ["without_assistance"],
            "outcome-nutrition-evidence": "Needs prompting",
        },
    )
    post(client, a, "wellbeing", {"significant_impact_on_wellbeing": "no"})
    post(client, a, "involvement", {"substantial_difficulty_being_involved": "no"})
    a.refresh_from_db()
    r = client.post(
        section_url(a, "check"),
        {"version": a.version, "method_of_assessment": "Face to face", "prevention_advice": " "},
    )
    assert r.status_code == 400
    assert "prevent or delay needs" in r.content.decode()
    assert not EligibilityDetermination.objects.exists()
    r = client.post(
        section_url(a, "check"),
        {
            "version": a.version,
            "method_of_assessment": "Face to face",
            "prevention_advice": "Community meals service; pharmacy prompts",
        },
    )
    assert r.status_code == 302
    d = EligibilityDetermination.objects.get()
    assert d.eligible is False
    assert d.prevention_advice.startswith("Community meals")
    a.refresh_from_db()
    assert a.event.outcome == "NFA: Information and advice or signposting"


def test_completion_lists_what_is_missing_and_saves_nothing(started):
    client, a = started
    post(
        client,
        a,
        "outcomes",
        {"outcomes-shown": "1", "outcome-nutrition": ["without_assistance"]},
    )
    check = client.get(section_url(a, "check")).content.decode()
    assert "give your evidence" in check
    assert "impairment or illness" in check
    a.refresh_from_db()
    r = client.post(
        section_url(a, "check"),
        {"version": a.version, "method_of_assessment": "Face to face", "prevention_advice": "x"},
    )
    assert r.status_code == 400
    a.refresh_from_db()
    assert a.status == Assessment.Status.DRAFT
    assert not EligibilityDetermination.objects.exists()


def test_autosave_saves_each_change_and_returns_the_new_version(started):
    client, a = started
    r = post(client, a, "needs", {"impairment_or_illness": "Bipolar disorder"}, **AUTOSAVE)
    assert r.status_code == 200
    body = r.json()
    assert body["saved"] is True
    assert body["version"] == a.version + 1
    a.refresh_from_db()
    assert a.impairment_or_illness == "Bipolar disorder"
    # Typing on: the next autosave carries the version the last one returned.
    r = client.post(
        section_url(a, "needs"),
        {"version": body["version"], "impairment_or_illness": "Bipolar affective disorder"},
        **AUTOSAVE,
    )
    assert r.status_code == 200
    a.refresh_from_db()
    assert a.impairment_or_illness == "Bipolar affective disorder"
    saves = AuditEvent.objects.filter(summary__startswith="Saved draft", person=a.person)
    assert saves.count() == 2


def test_two_workers_on_one_draft_are_told_not_overwritten(started, county, client):
    client_a, a = started
    loaded_version = a.version
    # A second worker in the team saves first.
    from django.test import Client

    other = Client()
    other.force_login(county.workers[Role.TEAM_MANAGER])
    r = other.post(
        section_url(a, "person"),
        {"version": loaded_version, "what_matters": "Seeing my grandchildren"},
    )
    assert r.status_code == 302
    # The first worker's autosave, from the version they loaded, is refused.
    r = client_a.post(
        section_url(a, "person"),
        {"version": loaded_version, "what_matters": "Going to church"},
        **AUTOSAVE,
    )
    assert r.status_code == 409
    assert "after you opened it" in r.json()["conflict"]
    a.refresh_from_db()
    assert a.what_matters == "Seeing my grandchildren"
    # Without JavaScript: the page says so and keeps what they typed in the box.
    r = client_a.post(
        section_url(a, "person"), {"version": loaded_version, "what_matters": "Going to church"}
    )
    assert r.status_code == 409
    page = r.content.decode()
    assert "Someone else changed this" in page
    assert "Going to church" in page
    a.refresh_from_db()
    assert a.what_matters == "Seeing my grandchildren"


def test_impossible_date_is_refused_and_other_answers_still_saved(started):
    client, a = started
    r = post(
        client,
        a,
        "involvement",
        {
            "substantial_difficulty_being_involved": "yes",
            "advocate_referred_on-day": "31",
            "advocate_referred_on-month": "2",
            "advocate_referred_on-year": "2026",
            "advocate": "County Advocacy Service",
        },
    )
    assert r.status_code == 400
    assert "Date must be a real date" in r.content.decode().replace("date must", "Date must")
    a.refresh_from_db()
    assert a.substantial_difficulty_being_involved is True
    assert a.advocate == "County Advocacy Service"
    assert a.advocate_referred_on is None


def test_no_appropriate_individual_means_an_advocate_must_be_referred(started):
    client, a = started
    fill_eligible(client, a)
    post(
        client,
        a,
        "involvement",
        {"substantial_difficulty_being_involved": "yes", "appropriate_individual": ""},
    )
    check = client.get(section_url(a, "check")).content.decode()
    assert "refer an independent" in check
    post(
        client,
        a,
        "involvement",
        {
            "advocate_referred_on-day": "2",
            "advocate_referred_on-month": "11",
            "advocate_referred_on-year": "2026",
            "advocate": "County Advocacy Service",
        },
    )
    a.refresh_from_db()
    assert a.advocate_referred_on is not None
    assert "refer an independent" not in client.get(section_url(a, "check")).content.decode()


def test_carer_assessment_ignores_takes_significantly_longer(county, worker, sign_in):
    client = sign_in(worker)
    carer = county.person_a_team
    r = client.post(
        reverse("assessments:start", args=[carer.person_id]),
        {"kind": "carer", "cared_for": county.person_a.person_id},
    )
    assert r.status_code == 302
    a = Assessment.objects.get(person=carer)
    assert a.cared_for == county.person_a
    assert r["Location"] == section_url(a, "caring")
    post(
        client,
        a,
        "caring",
        {"provides_necessary_care": "yes", "health_at_risk_of_deterioration": "no"},
    )
    # Not a carer limb: refused, never counted.
    r = post(
        client,
        a,
        "outcomes",
        {
            "outcomes-shown": "1",
            "outcome-recreational_activities": ["takes_significantly_longer"],
            "outcome-recreational_activities-evidence": "No time for anything",
        },
    )
    assert r.status_code == 400
    post(
        client,
        a,
        "wellbeing",
        {"significant_impact_on_wellbeing": "yes", "wellbeing_impact": "Exhausted"},
    )
    post(client, a, "involvement", {"substantial_difficulty_being_involved": "no"})
    a.refresh_from_db()
    r = client.post(
        section_url(a, "check"),
        {
            "version": a.version,
            "method_of_assessment": "Face to face",
            "prevention_advice": "Carers' centre",
        },
    )
    assert r.status_code == 302
    d = EligibilityDetermination.objects.get(assessment=a)
    assert d.eligible is False
    assert d.regulation.endswith("regulation 3")
    a.event.refresh_from_db()
    assert a.event.client_type == "Unpaid carer"


def test_carer_cannot_be_recorded_as_caring_for_an_unknown_person(county, worker, sign_in):
    client = sign_in(worker)
    r = client.post(
        reverse("assessments:start", args=[county.person_a.person_id]),
        {"kind": "carer", "cared_for": "P9999999"},
    )
    assert r.status_code == 400
    assert "person ID of the adult" in r.content.decode()
    assert not Assessment.objects.exists()


def test_completed_assessment_cannot_be_changed(started):
    client, a = started
    fill_eligible(client, a)
    a.refresh_from_db()
    client.post(
        section_url(a, "check"), {"version": a.version, "method_of_assessment": "Face to face"}
    )
    a.refresh_from_db()
    r = post(client, a, "person", {"what_matters": "changed"}, **AUTOSAVE)
    assert r.status_code == 409
    a.refresh_from_db()
    assert a.what_matters == "Keeping my cat"


def test_nhs_partner_may_read_but_not_assess(started, county, client):
    _, a = started
    client.force_login(county.workers[Role.NHS_PARTNER])
    assert client.get(section_url(a, "needs")).status_code == 403
    r = client.post(section_url(a, "needs"), {"version": a.version, "impairment_or_illness": "x"})
    assert r.status_code == 403
    a.refresh_from_db()
    assert a.impairment_or_illness == ""


def test_another_teams_worker_cannot_reach_the_draft(started, county, client):
    _, a = started
    client.force_login(county.worker_b)
    r = client.post(section_url(a, "needs"), {"version": a.version, "impairment_or_illness": "x"})
    assert r.status_code == 403
    a.refresh_from_db()
    assert a.impairment_or_illness == ""


def test_cancelling_marks_the_event_cancelled(started):
    client, a = started
    url = reverse("assessments:cancel", args=[a.person.person_id, a.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Person moved out of area"}).status_code == 302
    a.refresh_from_db()
    assert a.status == Assessment.Status.CANCELLED
    a.event.refresh_from_db()
    assert a.event.cancelled is True


def test_a_reassessment_carries_on_from_the_last_assessment(started, county):
    client, a = started
    fill_eligible(client, a)
    a.refresh_from_db()
    client.post(
        section_url(a, "check"), {"version": a.version, "method_of_assessment": "Face to face"}
    )
    r = client.post(
        reverse("assessments:start", args=[county.person_a.person_id]), {"kind": "adult"}
    )
    assert r.status_code == 302
    again = Assessment.objects.filter(person=county.person_a).order_by("-pk").first()
    assert again.previous == a
    assert again.what_matters == "Keeping my cat"
    assert again.status == Assessment.Status.DRAFT


def test_completing_twice_makes_one_determination(started):
    client, a = started
    fill_eligible(client, a)
    a.refresh_from_db()
    body = {"version": a.version, "method_of_assessment": "Face to face", "prevention_advice": ""}
    first = client.post(section_url(a, "check"), body)
    second = client.post(section_url(a, "check"), body)
    detail = reverse("assessments:detail", args=[a.person.person_id, a.pk])
    assert first["Location"] == detail and second["Location"] == detail
    assert EligibilityDetermination.objects.filter(assessment=a).count() == 1
    assert Event.objects.filter(event_type=Event.ASSESSMENT, person=a.person).count() == 1


# --- How the assessment was carried out (CLD Method_of_Assessment, fields.csv) ----------------


def test_completing_without_how_it_was_carried_out_is_refused_and_saves_nothing(started):
    client, a = started
    fill_eligible(client, a)
    a.refresh_from_db()
    r = client.post(section_url(a, "check"), {"version": a.version, "prevention_advice": ""})
    assert r.status_code == 400
    page = r.content.decode()
    assert "Select how the assessment was carried out" in page
    assert 'href="#method_of_assessment"' in page  # in the error summary, linked to the radios
    a.refresh_from_db()
    assert a.status == Assessment.Status.DRAFT and a.method_of_assessment == ""
    assert not EligibilityDetermination.objects.exists()
    a.event.refresh_from_db()
    assert a.event.end_date is None and a.event.method_of_assessment == ""


def test_a_method_not_on_the_list_is_refused(started):
    client, a = started
    fill_eligible(client, a)
    a.refresh_from_db()
    body = {"version": a.version, "method_of_assessment": "Carrier pigeon", "prevention_advice": ""}
    r = client.post(section_url(a, "check"), body)
    assert r.status_code == 400
    assert "Select how the assessment was carried out from the options" in r.content.decode()
    assert not EligibilityDetermination.objects.exists()


def test_the_method_is_offered_and_recorded_on_the_assessment_and_its_cld_event(started):
    client, a = started
    fill_eligible(client, a)
    page = client.get(section_url(a, "check")).content.decode()
    assert "How was the assessment carried out?" in page
    for method in ("Face to face", "Telephone", "Video call", "Other"):
        assert f'value="{method}"' in page
    a.refresh_from_db()
    body = {"version": a.version, "method_of_assessment": "Video call", "prevention_advice": ""}
    assert client.post(section_url(a, "check"), body).status_code == 302
    a.refresh_from_db()
    a.event.refresh_from_db()
    assert a.method_of_assessment == a.event.method_of_assessment == "Video call"


def test_a_financial_assessment_event_may_be_completed_without_a_method(county, worker):
    from carebridge.assessments import services

    a = services.start_assessment(
        worker, county.person_a, kind="adult", assessment_type="Financial Assessment"
    )
    services.save_draft(
        worker,
        a,
        version=a.version,
        changes={
            "needs_arise_from_impairment_or_illness": False,
            "outcomes": {},
            "significant_impact_on_wellbeing": False,
            "substantial_difficulty_being_involved": False,
        },
    )
    services.complete_assessment(
        worker, a, version=a.version, method_of_assessment="", prevention_advice="Leaflets"
    )
    a.refresh_from_db()
    assert a.status == Assessment.Status.COMPLETED and a.method_of_assessment == ""
