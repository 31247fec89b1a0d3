"""Letters render to real, tagged PDFs whose text says what the context says."""

from __future__ import annotations

import io
import logging
import re
from typing import Any

import pytest
from pypdf import PdfReader

from carebridge.letters.render import (
    ASSETS_DIR,
    _LetterFetcher,
    pdf_response,
    render_html,
    render_pdf,
    safe_filename,
)

ELIGIBILITY = "letters/eligibility_determination.html"
PLAN = "letters/care_and_support_plan.html"


def pdf_text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Lines wrap wherever the layout put them: compare with single spaces.
    return reader, re.sub(r"\s+", " ", text)


@pytest.fixture
def weasyprint_errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """WeasyPrint logs PDF/UA problems (no lang, image without alt...) as errors."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    return caplog.records


def assert_tagged_pdf_ua(reader: PdfReader, title: str) -> None:
    root: Any = reader.trailer["/Root"]
    assert reader.metadata is not None
    assert reader.metadata.title == title
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in xmp
    assert title.encode() in xmp


def test_eligible_adult_letter(eligibility_context, weasyprint_errors):
    title = "Eligibility decision for Ada Testperson"
    pdf = render_pdf(ELIGIBILITY, eligibility_context, title=title)

    assert pdf.startswith(b"%PDF-")
    reader, text = pdf_text(pdf)
    assert len(reader.pages) >= 1
    assert_tagged_pdf_ua(reader, title)
    assert reader.metadata.creation_date.date().isoformat() == "2026-11-22"
    assert "Ada Testperson" in text
    assert "943 476 5919" in text
    assert "22 November 2026" in text
    assert "Your needs are eligible for care and support." in text
    assert "not eligible" not in text
    for outcome in eligibility_context["outcomes"]:
        assert outcome["label"] in text
    for reason in eligibility_context["reasons"]:
        assert reason in text
    assert "Unable to achieve" in text and "Able to achieve" in text
    assert "It takes you much longer than would normally be expected" in text
    assert "section 13(2) of the Care Act 2014" in text
    assert "section 13(5)" not in text
    assert "OFFICIAL-SENSITIVE: personal" in text
    assert f"Page 1 of {len(reader.pages)}" in text
    assert "Exampleshire County Council" in text
    assert "0300 123 4567" in text
    assert "Sam Workerperson" in text and "Exampletown Locality Team" in text
    assert "Local Government and Social Care Ombudsman" in text
    assert not [r for r in weasyprint_errors if r.levelno >= logging.ERROR]


def test_not_eligible_letter_gives_s13_5_advice(not_eligible_context, weasyprint_errors):
    pdf = render_pdf(ELIGIBILITY, not_eligible_context, title="Eligibility decision")

    _, text = pdf_text(pdf)
    assert "Your needs are not eligible for care and support." in text
    assert "What can help you now and in the future" in text
    assert "Exampletown Community Kitchen delivers hot meals" in text
    assert "A falls prevention class meets every Tuesday" in text
    assert "section 13(5) of the Care Act" in text
    assert "You are able to achieve all of the outcomes in the regulations." in text
    assert not [r for r in weasyprint_errors if r.levelno >= logging.ERROR]


def test_carer_letter_wording(not_eligible_context):
    context = {**not_eligible_context, "kind": "carer"}
    html = render_html(ELIGIBILITY, context, title="Carer eligibility decision")

    assert "Your needs as a carer: our decision" in html
    assert "Your needs are not eligible for support as a carer." in html
    assert "needs for support in the" in re.sub(r"\s+", " ", html)


def test_multi_paragraph_text_becomes_paragraphs(not_eligible_context):
    html = render_html(ELIGIBILITY, not_eligible_context, title="t")

    assert "<p>Exampletown Community Kitchen delivers hot meals: phone 0300 765 4321.</p>" in html
    assert (
        "<p>A falls prevention class meets every Tuesday at the library.<br>"
        "Ask your GP about a pharmacy medicines review.</p>"
    ) in html


def test_care_and_support_plan(plan_context, weasyprint_errors):
    title = "Care and support plan for Ada Testperson"
    pdf = render_pdf(PLAN, plan_context, title=title)

    assert pdf.startswith(b"%PDF-")
    reader, text = pdf_text(pdf)
    assert len(reader.pages) >= 1
    assert_tagged_pdf_ua(reader, title)
    assert "Your care and support plan" in text
    assert "Ada Testperson" in text
    for need in plan_context["eligible_needs"]:
        assert need["label"] in text
    for outcome in plan_context["outcomes_wanted"]:
        assert outcome in text
    assert "£269.60" in text  # weekly budget
    assert "£14,058.57" in text
    assert "£45.10" in text and "£224.50" in text
    assert "Sample Homecare Ltd" in text and "£257.60" in text
    assert "Not yet chosen" in text  # the service without a provider
    assert "21 February 2027" in text  # review due
    assert "1 December 2026" in text  # direct payment start
    assert "section 25(9)" in text
    assert not [r for r in weasyprint_errors if r.levelno >= logging.ERROR]


def test_plan_tables_have_header_cells(plan_context):
    html = render_html(PLAN, plan_context, title="t")

    assert html.count('<th scope="col"') >= 10
    assert '<th scope="row">Managing and maintaining nutrition</th>' in html


def test_plan_without_direct_payment_or_contribution(plan_context):
    budget = {
        **plan_context["personal_budget"],
        "person_contribution_weekly": None,
        "person_contribution_note": "Your financial assessment is not finished yet.",
        "direct_payment_weekly": None,
    }
    context = {
        **plan_context,
        "personal_budget": budget,
        "direct_payment": None,
        "review_due": None,
        "approved_on": None,
        "approved_by": None,
        "strengths": "",
    }
    _, text = pdf_text(render_pdf(PLAN, context, title="Plan"))

    assert "Not yet known" in text
    assert "Your financial assessment is not finished yet." in text
    assert "You are not getting a direct payment." in text
    assert "We will agree with you when to review your plan." in text
    assert "Not recorded." in text


def test_user_text_is_escaped_and_shown_literally(plan_context):
    context = {
        **plan_context,
        "what_matters": "<script>alert('x')</script> matters to me",
        "services": [
            {**plan_context["services"][0], "provider": "O'Brien & Sons <Care>"},
        ],
        "recipient": {**plan_context["recipient"], "name": "Mr Dara O'Brien & Family"},
    }
    html = render_html(PLAN, context, title="Plan")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "O&#39;Brien &amp; Sons &lt;Care&gt;" in html

    _, text = pdf_text(render_pdf(PLAN, context, title="Plan"))
    assert "<script>alert('x')</script> matters to me" in text
    assert "O'Brien & Sons <Care>" in text
    assert "Mr Dara O'Brien & Family" in text


def test_same_context_draws_the_same_pdf(eligibility_context):
    first = render_pdf(ELIGIBILITY, eligibility_context, title="Decision")
    second = render_pdf(ELIGIBILITY, eligibility_context, title="Decision")
    assert first == second


def test_pdf_response_headers():
    response = pdf_response(b"%PDF-1.7 test", "eligibility-ELIG-2026-0042.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="eligibility-ELIG-2026-0042.pdf"'
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Length"] == str(len(b"%PDF-1.7 test"))
    assert response.content == b"%PDF-1.7 test"

    download = pdf_response(b"%PDF-", "plan.pdf", inline=False)
    assert download["Content-Disposition"] == 'attachment; filename="plan.pdf"'


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("plan.pdf", "plan.pdf"),
        ("plan", "plan.pdf"),
        ('../../etc/passwd"\r\nX-Evil: 1', "etc-passwd-X-Evil-1.pdf"),
        ("Zoë Ñúñez plan.PDF", "Zoe-Nunez-plan.pdf"),
        ("", "letter.pdf"),
        ("////", "letter.pdf"),
    ],
)
def test_safe_filename(given, expected):
    assert safe_filename(given) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/logo.png",
        "file:///etc/passwd",
        f"{ASSETS_DIR.as_uri()}/../render.py",
    ],
)
def test_letters_fetch_nothing_outside_their_assets(url):
    with pytest.raises(ValueError, match="may not fetch"):
        _LetterFetcher().fetch(url)
