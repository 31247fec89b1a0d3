"""The AMHP report: a real, tagged PDF with the person and the outcome in it, downloaded from
the assessment page by whoever may see the person, and audited as an export."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from carebridge.core.models import AuditEvent
from carebridge.mentalhealth import letters, services
from carebridge.rules import amhp

from .conftest import assessed

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def reported(sw, person, duty_amhp, hospital):
    a = assessed(person, sw, duty_amhp, amhp.DETAINED_S3, hospital=hospital)
    return services.save_report(
        duty_amhp, a, version=a.version,
        alternatives_considered="The home treatment team could not visit often enough.",
        report="She lacks insight and is at risk of serious self-neglect.\n\nSection 3 is needed.",
        complete=True,
    )  # fmt: skip


def test_the_report_is_a_pdf_with_the_person_and_the_outcome(reported, person, hospital):
    pdf = letters.report_pdf(reported)
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == f"AMHP report: {person.full_name}"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged (PDF/UA)
    text = text_of(pdf)
    assert person.full_name in text and person.person_id in text
    assert "Detained under Section 3 (admission for treatment)" in text
    assert hospital.name in text and "Willow Ward" in text
    assert "Dr Sam Section" in text and "Approved under section 12" in text
    assert "Peter Allocated" in text and "Consulted (s11(4))" in text
    assert "could not visit often enough" in text and "Section 3 is needed." in text
    assert "chapter 14" in text
    assert "Dear" not in text and "(draft" not in text
    assert reported.reference in text


def test_a_report_not_yet_completed_says_it_is_a_draft(sw, person, duty_amhp):
    a = assessed(person, sw, duty_amhp, amhp.COMMUNITY_SUPPORT)
    text = text_of(letters.report_pdf(a))
    assert "(draft, not completed)" in text and "Not yet written." in text


def test_downloading_it_is_audited(client, reported, person, sw):
    client.force_login(sw)
    url = reverse("mentalhealth:assessment-pdf", args=[person.person_id, reported.pk])
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Cache-Control"] == "no-store, private"
    assert f"amhp-report-{person.person_id}-{reported.pk}.pdf" in r["Content-Disposition"]
    exported = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, person=person).get()
    assert exported.object_id == str(reported.pk) and "AMHP report" in exported.summary
