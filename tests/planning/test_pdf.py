"""The person's copy of their plan: a real PDF with their name, audited as an export."""

from __future__ import annotations

import io

from pypdf import PdfReader

from carebridge.core.models import AuditEvent

from .conftest import url


def test_copy_of_the_plan(client, county, sw, approved_plan):
    client.force_login(sw)
    r = client.get(url("pdf", approved_plan))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Cache-Control"] == "no-store, private"
    assert r.content.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    assert county.person_a.full_name in text
    assert "Your care and support plan" in text
    assert "£257.60" in text  # the home care, 14 hours at £18.40
    assert "Not yet known" in text  # no financial assessment yet
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT,
        actor=sw,
        person=county.person_a,
        summary="Produced a copy of the care and support plan (PDF)",
    ).exists()


def test_context_money_and_dates(sw, approved_plan):
    import datetime as dt

    from carebridge.planning import letters, selectors

    plan = selectors.plan_for(approved_plan.person, approved_plan.pk)
    context = letters.plan_context(plan)
    assert context["personal_budget"]["weekly_total"] == "£257.60"
    assert context["personal_budget"]["annual_total"] == "£13,395.20"
    assert context["personal_budget"]["indicative_weekly"] == "£240.00"
    assert context["personal_budget"]["person_contribution_weekly"] is None
    assert context["services"][0]["units_per_week"] == "14"
    assert context["services"][0]["delivery_mechanism"] == "Arranged by the council"
    assert isinstance(context["approved_on"], dt.date)
    assert context["outcomes_wanted"] == ["To stay living at home", "To eat a hot meal every day"]
    assert context["council"]["name"] == "Test County Council"
