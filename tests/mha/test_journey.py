"""The journey the browser test will take, through the pages with Django's client: a social
worker asks for an assessment from the person's page; the duty AMHP takes it from the rota,
records a detention under Section 3 at a hospital and writes the report; later the social worker
records the discharge with the day the person left hospital."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone

from carebridge.mentalhealth.models import LegalStatus, MHAAssessment
from carebridge.rules import amhp
from tests.core import form_data

from .conftest import ago


def _parts(prefix: str, moment) -> dict[str, str]:
    local = timezone.localtime(moment)
    return {
        **form_data.date_parts(f"{prefix}_on", local.date()),
        f"{prefix}_time": f"{local:%H:%M}",
    }


def test_detained_under_section_3_then_discharged(client, county, sw, person, duty_amhp, hospital):
    page = reverse("people:detail", args=[person.person_id])
    client.force_login(sw)
    html = client.get(page).content.decode()
    assert "Request a Mental Health Act assessment" in html
    assert "No Mental Health Act legal status recorded." in html

    url = reverse("mentalhealth:assessment-request", args=[person.person_id])
    assert client.get(url).status_code == 200
    r = client.post(
        url,
        {
            **_parts("requested", ago(hours=3)),
            "requester_name": "Dr Ada Example",
            "requester_role": "gp",
            "request_reason": "Not eating; hearing voices.",
            "section_considered": "s3",
            "submission_token": form_data.token(),
        },
    )
    a = MHAAssessment.objects.get(person=person)
    assert r.status_code == 302 and r["Location"] == reverse(
        "mentalhealth:assessment", args=[person.person_id, a.pk]
    )
    assert a.status == amhp.REQUESTED and a.reference == f"MHA{a.pk:06d}"

    client.force_login(duty_amhp)
    rota = client.get(reverse("mentalhealth:rota")).content.decode()
    assert "ALLOCATED, Anna" in rota and "Take" in rota
    r = client.post(
        reverse("mentalhealth:assessment-take", args=[person.person_id, a.pk]),
        {"version": a.version, "submission_token": form_data.token()},
    )
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == amhp.ALLOCATED and a.held_by == duty_amhp

    record = reverse("mentalhealth:assessment-record", args=[person.person_id, a.pk])
    assert "Record the assessment" in client.get(record).content.decode()
    r = client.post(
        record,
        {
            **_parts("assessed", ago(hours=1)),
            "version": a.version,
            "location": "Her home",
            "section_considered": "s3",
            "doctor_1_name": "Dr Sam Section", "doctor_1_s12": "yes", "doctor_1_known": "no",
            "doctor_2_name": "Dr Gail Practitioner", "doctor_2_s12": "no", "doctor_2_known": "yes",
            "nr_name": "Peter Allocated", "nr_relationship": "child", "nr_contact": "consulted",
            "nr_objected": "no", "nr_displaced": "no",
            "outcome": "detained_s3", "hospital": hospital.pk, "hospital_place": "Willow Ward",
            "submission_token": form_data.token(),
        },
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:3000]
    a.refresh_from_db()
    status = LegalStatus.objects.get(person=person)
    assert a.status == amhp.ASSESSED and a.legal_status == status
    assert (status.section, status.hospital, status.place) == ("s3", hospital, "Willow Ward")

    report = reverse("mentalhealth:assessment-report", args=[person.person_id, a.pk])
    r = client.post(
        report,
        {
            "version": a.version,
            "alternatives_considered": "Home treatment team: refused.",
            "report": "Detention is the least restrictive option now.",
            "action": "complete",
            "submission_token": form_data.token(),
        },
    )
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == amhp.REPORT_COMPLETED
    pdf = client.get(reverse("mentalhealth:assessment-pdf", args=[person.person_id, a.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")

    client.force_login(sw)
    html = client.get(page).content.decode()
    assert "Detained under Section 3 (admission for treatment) since" in html
    assert "Record discharge" in html
    end = reverse("mentalhealth:status-end", args=[person.person_id, status.pk])
    assert "Record discharge" in client.get(end).content.decode()
    today = timezone.localdate()
    r = client.post(
        end,
        {
            **_parts("ended", ago(minutes=30)),
            "version": status.version,
            "end_reason": "discharged_rc",
            **form_data.date_parts("left_hospital_on", today),
            "submission_token": form_data.token(),
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    status.refresh_from_db()
    assert status.end_reason == "discharged_rc" and status.left_hospital_on == today
    html = client.get(page).content.decode()
    assert "Not subject to the Mental Health Act now." in html
    assert re.search(r"left hospital \d+ \w+ \d{4}", html)
