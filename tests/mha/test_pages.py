"""The pages as workers use them: every page renders; bad input shows its message against the
field and writes nothing; a form sent twice saves once; two workers on one record; the person's
page shows the current legal status first and the history below; the rota's order and its
query count; and who reaches whom (the AMHP's relationship, ADR 0021)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from carebridge.casework.access import Basis, person_access
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.mentalhealth import services
from carebridge.mentalhealth.models import LegalStatus, MHAAssessment
from carebridge.rules import amhp
from tests.core import form_data
from tests.factories import AllocationFactory, PersonFactory

from .conftest import ago, assessed, request

pytestmark = pytest.mark.django_db


def _error(html: str, field: str) -> str:
    m = re.search(
        rf'id="{re.escape(field)}-error"[^>]*>\s*<span[^>]*>Error:</span>\s*([^<]+)', html
    )
    return unescape(m.group(1).strip()) if m else ""


def _parts(prefix, moment) -> dict[str, str]:
    local = timezone.localtime(moment)
    return {
        **form_data.date_parts(f"{prefix}_on", local.date()),
        f"{prefix}_time": f"{local:%H:%M}",
    }


def _url(name, a, *more):
    return reverse(f"mentalhealth:{name}", args=[a.person.person_id, a.pk, *more])


def _record_body(a, **kw):
    body = {
        **_parts("assessed", ago(hours=1)), "version": a.version, "location": "Home",
        "doctor_1_name": "Dr One", "doctor_1_s12": "yes", "doctor_1_known": "yes",
        "doctor_2_name": "Dr Two", "doctor_2_s12": "no", "doctor_2_known": "no",
        "nr_name": "Pat", "nr_relationship": "parent", "nr_contact": "consulted",
        "nr_objected": "no", "nr_displaced": "no", "outcome": "detained_s2",
        "submission_token": form_data.token(),
    }  # fmt: skip
    body.update(kw)
    return body


def test_every_page_renders(client, sw, person, duty_amhp, amhp_manager, hospital):
    a = assessed(person, sw, duty_amhp, amhp.DETAINED_S3, hospital=hospital)
    open_request = request(person, sw)
    client.force_login(duty_amhp)
    for url, text in (
        (reverse("mentalhealth:rota"), "AMHP rota"),
        (_url("assessment", a), "Write the AMHP report"),
        (_url("assessment-report", a), "Complete the report"),
        (_url("assessment", open_request), "Take this request"),
        (reverse("mentalhealth:assessment-request", args=[person.person_id]), "Send the request"),
    ):
        r = client.get(url)
        assert r.status_code == 200 and text in r.content.decode(), url
    client.force_login(amhp_manager)
    r = client.get(_url("assessment-allocate", open_request))
    assert r.status_code == 200 and "Allocate the assessment to an AMHP" in r.content.decode()
    client.force_login(sw)
    status = a.legal_status
    for url, text in (
        (reverse("mentalhealth:status-start", args=[person.person_id]), "Record a legal status"),
        (_url("status-end", status), "Record discharge"),
        (_url("status-replace", status), "Replace Section 3 with another section"),
    ):
        r = client.get(url)
        assert r.status_code == 200 and text in r.content.decode(), url
    html = client.get(_url("status-replace", status)).content.decode()
    assert 'value="s17a"' in html and 'value="s2"' not in html  # only what may follow s3


def test_a_bad_request_shows_its_messages_and_writes_nothing(client, sw, person):
    client.force_login(sw)
    url = reverse("mentalhealth:assessment-request", args=[person.person_id])
    r = client.post(
        url,
        {
            **form_data.date_parts("requested_on", timezone.localdate()), "requested_time": "25:70",
            "requester_name": "", "request_reason": "", "submission_token": form_data.token(),
        },
    )  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 400 and "There is a problem" in html
    assert _error(html, "requested_time") == "Enter a real time, like 14:30"
    assert _error(html, "requester_name") == "Enter name of the person asking"
    assert _error(html, "requester_role") == "Select who is asking for the assessment"
    assert not MHAAssessment.objects.exists()


def test_a_detention_without_its_requirements_is_refused_on_the_page(
    client, sw, person, duty_amhp, hospital
):
    a = request(person, sw)
    a = services.take(duty_amhp, a, version=a.version)
    client.force_login(duty_amhp)
    body = _record_body(a, doctor_2_name="", hospital="", outcome="detained_s3")
    r = client.post(_url("assessment-record", a), body)
    html = r.content.decode()
    assert r.status_code == 400
    assert "two medical recommendations" in _error(html, "doctor_2_name")
    assert _error(html, "hospital") == "Select the hospital the person is admitted to"
    assert 'value="Dr One"' in html  # what was typed is kept
    a.refresh_from_db()
    assert a.status == amhp.ALLOCATED and not LegalStatus.objects.exists()


def test_a_form_sent_twice_saves_once(client, sw, person, duty_amhp, hospital):
    a = request(person, sw)
    a = services.take(duty_amhp, a, version=a.version)
    client.force_login(duty_amhp)
    body = _record_body(a, hospital=str(hospital.pk))
    first = client.post(_url("assessment-record", a), body)
    second = client.post(_url("assessment-record", a), body)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == _url("assessment", a)
    assert LegalStatus.objects.filter(person=person).count() == 1
    assert (
        AuditEvent.objects.filter(object_type="mentalhealth.legalstatus", action="create").count()
        == 1
    )


def test_a_request_sent_twice_is_recorded_once(client, sw, person):
    client.force_login(sw)
    url = reverse("mentalhealth:assessment-request", args=[person.person_id])
    body = {
        **_parts("requested", ago(hours=1)), "requester_name": "PC Dixon",
        "requester_role": "police", "request_reason": "s136", "submission_token": form_data.token(),
    }  # fmt: skip
    assert client.post(url, body).status_code == client.post(url, body).status_code == 302
    assert MHAAssessment.objects.count() == 1


def test_two_workers_record_a_discharge_the_second_sees_the_first(client, county, sw, person):
    status = services.start_status(sw, person, section="s3", started_at=ago(days=30))
    url = _url("status-end", status)
    body = {
        **_parts("ended", ago(days=1)), "version": status.version, "end_reason": "discharged_rc",
        "submission_token": form_data.token(),
    }  # fmt: skip
    client.force_login(county.workers[Role.TEAM_MANAGER])
    assert client.post(url, body).status_code == 302
    client.force_login(sw)
    again = {**body, "end_reason": "expired", "submission_token": form_data.token()}
    r = client.post(url, again)
    assert r.status_code == 302  # already ended: back to the person's page, nothing changed
    status.refresh_from_db()
    assert status.end_reason == "discharged_rc"


def test_a_stale_report_page_is_refused_and_the_typing_kept(
    client, sw, person, duty_amhp, hospital
):
    a = assessed(person, sw, duty_amhp, amhp.DETAINED_S2, hospital=hospital)
    stale = a.version
    services.save_report(
        duty_amhp, a, version=a.version, alternatives_considered="First tab", report="",
        complete=False,
    )  # fmt: skip
    client.force_login(duty_amhp)
    r = client.post(
        _url("assessment-report", a),
        {
            "version": stale, "alternatives_considered": "Second tab", "report": "Typed here",
            "action": "complete", "submission_token": form_data.token(),
        },
    )  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 409 and 'data-testid="conflict"' in html
    assert "Typed here" in html and f'name="version" value="{stale + 1}"' in html
    a.refresh_from_db()
    assert a.alternatives_considered == "First tab" and a.status == amhp.ASSESSED


def test_the_person_page_shows_the_current_status_first_and_the_history(
    client, sw, person, duty_amhp, hospital
):
    s2 = assessed(person, sw, duty_amhp, amhp.DETAINED_S2, hospital=hospital).legal_status
    services.replace_status(sw, s2, version=s2.version, section="s3", started_at=ago(hours=1))
    client.force_login(sw)
    html = client.get(reverse("people:detail", args=[person.person_id])).content.decode()
    banner = html.index('data-testid="current-legal-status"')
    history = html.index('data-testid="legal-status-history"')
    assert banner < history < html.index('id="timeline"')
    assert "Detained under Section 3 (admission for treatment) since" in html
    assert f"at {hospital.name}" in html
    table = html[history : html.index("</table>", history)]
    assert table.index("Section 3") < table.index("Section 2")  # newest first
    assert "Replaced by another section" in table
    assert 'data-testid="mha-assessments"' in html


def test_a_cto_is_shown_as_such(client, sw, person):
    s3 = services.start_status(sw, person, section="s3", started_at=ago(days=60))
    services.replace_status(sw, s3, version=s3.version, section="s17a", started_at=ago(days=1))
    client.force_login(sw)
    html = client.get(reverse("people:detail", args=[person.person_id])).content.decode()
    assert "On a community treatment order since" in html
    assert "Record the end" in html and "Replace with another section" in html


def test_the_rota_lists_unallocated_first_then_the_longest_waiting(
    client, county, sw, duty_amhp, amhp_manager
):
    people = [PersonFactory(given_name=f"P{i}") for i in range(3)]
    for p in people:
        AllocationFactory(person=p, team=county.team_a, worker=sw)
    old = request(people[0], sw, at=ago(hours=30))
    services.take(duty_amhp, old, version=old.version)
    request(people[1], sw, at=ago(hours=3))
    request(people[2], sw, at=ago(hours=5))
    done = assessed(people[0], sw, duty_amhp, amhp.NO_FURTHER_ACTION)
    services.save_report(
        duty_amhp, done, version=done.version, alternatives_considered="a", report="b",
        complete=True,
    )  # fmt: skip
    client.force_login(amhp_manager)
    html = client.get(reverse("mentalhealth:rota")).content.decode()
    order = [m for m in re.findall(r">[A-Z0-9]+, (P\d)</a>", html)]
    assert order == ["P2", "P1", "P0"]  # completed reports are not listed
    assert "30 hours" in html and "Unallocated" in html
    assert "3 open (2 unallocated)" in html
    client.force_login(duty_amhp)
    mine = client.get(reverse("mentalhealth:rota") + "?show=mine").content.decode()
    assert re.findall(r">[A-Z0-9]+, (P\d)</a>", mine) == ["P0"]


def test_the_rota_query_count_does_not_grow(
    client, county, sw, duty_amhp, amhp_manager, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            p = PersonFactory()
            AllocationFactory(person=p, team=county.team_a, worker=sw)
            a = request(p, sw)
            services.take(duty_amhp, a, version=a.version)

    add(2)
    client.force_login(amhp_manager)
    url = reverse("mentalhealth:rota")
    with django_assert_max_num_queries(6) as small:
        assert client.get(url).status_code == 200
    add(25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count('data-testid="rota-row"') == 27


def test_the_person_page_query_count_does_not_grow_with_mha_history(
    client, sw, person, duty_amhp, hospital
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("people:detail", args=[person.person_id])
    client.force_login(sw)
    assessed(person, sw, duty_amhp, amhp.DETAINED_S2, hospital=hospital)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(5):
        current = LegalStatus.objects.get(person=person, ended_at__isnull=True)
        services.end_status(
            sw, current, version=current.version, ended_at=ago(minutes=50), reason="expired"
        )
        assessed(person, sw, duty_amhp, amhp.DETAINED_S2, hospital=hospital)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_amhp_who_holds_an_assessment_reaches_the_person(county, sw, duty_amhp):
    stranger = PersonFactory()  # held by another team
    AllocationFactory(person=stranger, team=county.team_b, worker=county.worker_b)
    other_amhp = county.workers[Role.AMHP]  # in a CMHT, not the AMHP service
    assert not person_access(duty_amhp, stranger).allowed
    a = request(stranger, county.worker_b)
    # The AMHP service sees people with an open request; an AMHP elsewhere does not.
    assert person_access(duty_amhp, stranger).basis == Basis.AMHP
    assert not person_access(other_amhp, stranger).allowed
    a = services.take(other_amhp, a, version=a.version)
    assert person_access(other_amhp, stranger).basis == Basis.AMHP
    a = services.record_assessment(
        other_amhp, a, version=a.version,
        details=services.AssessmentDetails(
            assessed_at=ago(hours=1), location="Home", outcome=amhp.NO_FURTHER_ACTION
        ),
    )  # fmt: skip
    services.save_report(
        other_amhp, a, version=a.version, alternatives_considered="a", report="b", complete=True
    )
    assert person_access(other_amhp, stranger).basis == Basis.AMHP  # for a while after
    assert not person_access(duty_amhp, stranger).allowed  # nothing open any more
    MHAAssessment.objects.filter(pk=a.pk).update(report_completed_at=ago(days=29))
    assert not person_access(other_amhp, stranger).allowed


def test_who_sees_what_on_the_assessment_page(client, county, sw, person, duty_amhp):
    a = request(person, sw)
    client.force_login(sw)
    html = client.get(_url("assessment", a)).content.decode()
    assert "Take this request" not in html and "Allocate to an AMHP" not in html
    client.force_login(county.workers[Role.TEAM_MANAGER])
    html = client.get(_url("assessment", a)).content.decode()
    assert "Allocate to an AMHP" in html and "Take this request" not in html
    a = services.take(duty_amhp, a, version=a.version)
    client.force_login(county.workers[Role.AMHP])  # another AMHP, in the person's team
    html = client.get(_url("assessment", a)).content.decode()
    assert "Record the assessment" not in html
    r = client.get(_url("assessment-record", a))
    assert r.status_code == 302 and r["Location"] == _url("assessment", a)


def test_asking_again_shows_the_open_request(client, sw, person):
    a = request(person, sw)
    client.force_login(sw)
    html = client.get(
        reverse("mentalhealth:assessment-request", args=[person.person_id])
    ).content.decode()
    assert 'data-testid="open-requests"' in html and a.reference in html
