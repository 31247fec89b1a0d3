"""The financial assessment pages, as a finance officer uses them: start, enter the figures,
calculate (every step of the workings on the page), complete, the person's charges, the plan's
personal budget and the charging letter. And what goes wrong: the engine's messages against
the field, impossible dates, negative amounts, double submission, two officers on one draft."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from html import unescape

from django.urls import reverse
from pypdf import PdfReader

from carebridge.casework.access import Basis, person_access
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.finance.models import ChargeDecision, FinancialAssessment
from carebridge.planning.models import CarePlan
from tests.core import form_data
from tests.factories import PersonFactory

from .conftest import complete_full, edit_body, start, url

FA = FinancialAssessment


def _error(html: str, field: str) -> str:
    m = re.search(
        rf'id="{re.escape(field)}-error"[^>]*>\s*<span[^>]*>Error:</span>\s*([^<]+)', html
    )
    return unescape(m.group(1).strip()) if m else ""


def test_finance_officer_reaches_people_with_a_plan(client, officer, person, approved_plan):
    assert person_access(officer, person).basis == Basis.FINANCE
    stranger = PersonFactory()  # no plan, no financial assessment: no reason to see them
    assert not person_access(officer, stranger).allowed
    client.force_login(officer)
    r = client.get(reverse("finance:overview", args=[person.person_id]))
    assert r.status_code == 200
    assert "Start a financial assessment" in r.content.decode()


def test_the_whole_journey(client, officer, person, approved_plan):
    client.force_login(officer)
    r = client.get(reverse("finance:start", args=[person.person_id]))
    assert r.status_code == 200
    assert "£257.60 a week" in r.content.decode()
    r = client.post(
        reverse("finance:start", args=[person.person_id]),
        {"kind": "full", "financial_year": "2025-26", "setting": "non_residential",
         "submission_token": form_data.token()},
    )  # fmt: skip
    fa = FA.objects.get(person=person)
    assert r.status_code == 302 and r["Location"] == url("edit", fa)

    html = client.get(url("edit", fa)).content.decode()
    assert html.count('data-testid="income-row"') == 8  # rows without JavaScript
    assert 'value="257.60"' in html  # the weekly cost of care, from the plan
    age = re.search(r'id="age" name="age"[^>]*value="(\d+)"', html)
    assert age and int(age.group(1)) == fa.case_input["age"]  # from the date of birth

    r = client.post(url("edit", fa), edit_body(fa))
    assert r.status_code == 302 and r["Location"] == url("edit", fa) + "#result"
    html = client.get(url("edit", fa)).content.decode()
    assert "£82.65 a week" in html
    assert 'data-testid="workings"' in html
    for step in ("State Pension", "Minimum Income Guarantee", "SI 2014/2672 reg 7", "Council pays"):
        assert step in html
    fa.refresh_from_db()
    assert fa.status == FA.Status.DRAFT and fa.result["weekly_charge"] == 82.65

    token = re.search(
        r'name="submission_token" value="([^"]+)"', html.split('data-testid="result"')[1]
    )
    r = client.post(
        url("complete", fa), {"version": str(fa.version), "submission_token": token.group(1)}
    )
    assert r.status_code == 302 and r["Location"] == url("detail", fa)
    html = client.get(url("detail", fa)).content.decode()
    assert "£82.65 a week" in html and "£174.95 a week" in html
    assert 'data-testid="workings"' in html and "Tariff income" in html
    plan_html = client.get(
        reverse("planning:detail", args=[person.person_id, approved_plan.pk])
    ).content.decode()
    budget = plan_html.split('data-testid="budget"')[1]
    assert "£82.65" in budget and "£174.95" in budget  # contribution and the council's share

    overview = client.get(reverse("finance:overview", args=[person.person_id])).content.decode()
    assert 'data-testid="charge-history"' in overview and "In force" in overview


def test_the_charging_letter(client, officer, person, approved_plan):
    fa, _ = complete_full(officer, person)
    client.force_login(officer)
    r = client.get(url("letter", fa))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Cache-Control"] == "no-store, private"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    text = " ".join(text.split())
    assert "What you pay towards your care" in text
    assert "You will pay £82.65 a week towards your care." in text
    assert "State Pension" in text and "Minimum Income Guarantee" in text
    assert "Asking for a review of your charge" in text
    assert "Aftercare under section 117 of the Mental Health Act 1983 is never charged for" in text
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, person=person, summary="Produced the charging letter (PDF)"
    ).exists()


def test_no_letter_for_a_draft(client, officer, person, approved_plan):
    fa = start(officer, person)
    client.force_login(officer)
    assert client.get(url("letter", fa)).status_code == 404


def test_engine_message_shown_against_the_field(client, officer, person, approved_plan):
    fa = start(officer, person)
    client.force_login(officer)
    r = client.post(
        url("edit", fa),
        edit_body(fa, financial_year="2026-27", **form_data.date_parts(
            "effective_from", __import__("datetime").date(2026, 4, 6))),
    )  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 400
    assert _error(html, "financial_year").startswith(
        "The 2026-27 charging rates are not yet published"
    )
    assert 'href="#financial_year"' in html  # the error summary links to the field
    fa.refresh_from_db()
    assert fa.result is None and fa.case_input["financial_year"] == "2026-27"  # typed work kept


def test_impossible_date(client, officer, person, approved_plan):
    fa = start(officer, person)
    client.force_login(officer)
    body = edit_body(fa, **{"effective_from-day": "31", "effective_from-month": "2"})
    r = client.post(url("edit", fa), body)
    assert r.status_code == 400
    assert _error(r.content.decode(), "effective_from") == (
        "Date the charge starts must be a real date"
    )
    assert FA.objects.get(pk=fa.pk).version == fa.version  # nothing saved


def test_date_before_the_financial_year(client, officer, person, approved_plan):
    fa = start(officer, person)
    client.force_login(officer)
    body = edit_body(
        fa, **form_data.date_parts("effective_from", __import__("datetime").date(2025, 3, 1))
    )
    r = client.post(url("edit", fa), body)
    assert r.status_code == 400
    assert _error(r.content.decode(), "effective_from").startswith(
        "The date the charge starts must be on or after 1 April 2025"
    )


def test_negative_amounts(client, officer, person, approved_plan):
    fa = start(officer, person)
    client.force_login(officer)
    body = edit_body(fa, capital_savings="-5", **{"income-1-amount": "-85.00"})
    r = client.post(url("edit", fa), body)
    html = r.content.decode()
    assert r.status_code == 400
    assert _error(html, "capital_savings") == "The savings must be £0.00 or more"
    assert _error(html, "income-1-amount") == "The amount of income 2 must be £0.00 or more"
    assert 'value="-5"' in html  # what was typed stays in the box
    assert FA.objects.get(pk=fa.pk).version == fa.version


def test_income_line_needs_type_and_amount(client, officer, person, approved_plan):
    fa = start(officer, person)
    client.force_login(officer)
    body = edit_body(fa, **{"income-2-amount": "12.00", "income-3-type": "earnings"})
    html = client.post(url("edit", fa), body).content.decode()
    assert _error(html, "income-2-type") == "Select the type of income 3"
    assert _error(html, "income-3-amount") == "Enter the amount of income 4 each week"


def test_missing_answers_for_the_calculation(client, officer, person, approved_plan):
    fa = start(officer, person)
    client.force_login(officer)
    r = client.post(url("edit", fa), edit_body(fa, age="", evidence=""))
    html = r.content.decode()
    assert r.status_code == 400
    assert _error(html, "age") == "Enter the person's age"
    assert _error(html, "evidence") == "Record the evidence you saw of income, capital and costs"
    # The draft is saved anyway: nothing typed is lost.
    assert FA.objects.get(pk=fa.pk).case_input["capital"]["savings"] == 3000.0


def test_save_a_draft_and_come_back(client, officer, person, approved_plan):
    fa = start(officer, person)
    client.force_login(officer)
    r = client.post(url("edit", fa), edit_body(fa, action="save", age="", evidence=""))
    assert r.status_code == 302 and r["Location"] == url("edit", fa)
    fa.refresh_from_db()
    assert "age" not in fa.case_input and fa.result is None


def test_double_submission_saves_once(client, officer, person, approved_plan):
    fa = start(officer, person)
    client.force_login(officer)
    body = edit_body(fa)
    first = client.post(url("edit", fa), body)
    second = client.post(url("edit", fa), body)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    fa.refresh_from_db()
    assert fa.version == 2  # one save, not two
    token = form_data.token()
    complete = {"version": str(fa.version), "submission_token": token}
    assert client.post(url("complete", fa), complete).status_code == 302
    assert client.post(url("complete", fa), complete).status_code == 302
    assert ChargeDecision.objects.filter(person=person).count() == 1


def test_two_officers_on_one_draft(make_client, officer, officer_2, person, approved_plan):
    fa = start(officer, person)
    mine, theirs = make_client(), make_client()
    mine.force_login(officer)
    theirs.force_login(officer_2)
    loaded = fa.version
    assert (
        theirs.post(
            url("edit", fa), edit_body(fa, action="save", evidence="Faisal saw the pension letters")
        ).status_code
        == 302
    )
    r = mine.post(
        url("edit", fa),
        edit_body(fa, evidence="Fran saw the bank statements", version=str(loaded)),
    )
    html = r.content.decode()
    assert r.status_code == 409
    assert "Someone else changed this" in html
    assert "saved this financial assessment at" in html
    assert "Fran saw the bank statements" in html  # what I typed is still in the box
    fa.refresh_from_db()
    assert fa.evidence == "Faisal saw the pension letters"  # theirs is not overwritten
    # Saving again (the page now carries their version) saves mine.
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    assert version == str(fa.version)
    again = mine.post(
        url("edit", fa), edit_body(fa, evidence="Fran saw the bank statements", version=version)
    )
    assert again.status_code == 302
    fa.refresh_from_db()
    assert fa.evidence == "Fran saw the bank statements"


def test_complete_from_an_old_page_is_refused(client, officer, officer_2, person, approved_plan):
    fa = start(officer, person)
    client.force_login(officer)
    client.post(url("edit", fa), edit_body(fa))
    fa.refresh_from_db()
    stale = fa.version
    other = FA.objects.get(pk=fa.pk)
    from carebridge.finance import services

    services.save_draft(officer_2, other, version=other.version, changes={"evidence": "More"})
    r = client.post(url("complete", fa), {"version": str(stale), "submission_token": "x" * 20})
    assert r.status_code == 409
    assert FA.objects.get(pk=fa.pk).status == FA.Status.DRAFT


def test_social_worker_reads_but_cannot_edit(client, county, officer, person, approved_plan):
    fa, _ = complete_full(officer, person)
    sw = county.workers[Role.SOCIAL_WORKER]
    client.force_login(sw)
    assert client.get(url("detail", fa)).status_code == 200
    assert client.get(url("letter", fa)).status_code == 200
    assert client.get(reverse("finance:start", args=[person.person_id])).status_code == 403
    r = client.post(url("recalculate", fa), {"submission_token": form_data.token()})
    assert r.status_code == 403


def test_plan_change_offers_recalculation(client, officer, person, approved_plan):
    fa, _ = complete_full(officer, person)
    CarePlan.objects.filter(pk=approved_plan.pk).update(person_contribution_weekly=None)
    approved_plan.services.update(planned_units_per_week=Decimal(21))
    client.force_login(officer)
    html = client.get(url("detail", fa)).content.decode()
    assert 'data-testid="recalculate"' in html
    assert "from £257.60 to £386.40" in html
    token = form_data.token()
    r = client.post(url("recalculate", fa), {"submission_token": token})
    assert r.status_code == 302 and r["Location"] == url("detail", fa)
    assert client.post(url("recalculate", fa), {"submission_token": token}).status_code == 302
    assert ChargeDecision.objects.filter(person=person).count() == 2
    html = client.get(url("detail", fa)).content.decode()
    assert 'data-testid="recalculate"' not in html
    assert "The charge now" in html
