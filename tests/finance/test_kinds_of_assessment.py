"""Light-touch and declined assessments, care homes, and changing the year, through the pages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape

from carebridge.finance.models import ChargeDecision, FinancialAssessment
from tests.core import form_data

from .conftest import START, edit_body, start, url

FA = FinancialAssessment


def _short_body(fa, action="calculate", **overrides) -> dict:
    body = {
        "financial_year": "2025-26",
        "setting": "non_residential",
        "weekly_care_cost": "257.60",
        "s117": "no",
        "evidence": "Phoned on 2 April 2025: does not want to give details of her savings",
        **form_data.date_parts("effective_from", START),
        "version": str(fa.version),
        "submission_token": form_data.token(),
        "action": action,
    }
    body.update(overrides)
    return body


def _complete(client, fa):
    fa.refresh_from_db()
    r = client.post(
        url("complete", fa), {"version": str(fa.version), "submission_token": form_data.token()}
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    return ChargeDecision.objects.get(financial_assessment=fa)


def test_declined_to_disclose(client, officer, person, approved_plan):
    fa = start(officer, person, kind=FA.Kind.DECLINED)
    client.force_login(officer)
    html = client.get(url("edit", fa)).content.decode()
    assert 'name="capital_savings"' not in html  # no figures are asked for
    r = client.post(url("edit", fa), _short_body(fa))
    assert r.status_code == 302
    html = client.get(url("edit", fa)).content.decode()
    assert "£257.60 a week" in html and "Declined a financial assessment" in html
    decision = _complete(client, fa)
    assert decision.weekly_amount == Decimal("257.60")
    assert decision.reason.startswith("Declined to disclose")


def test_light_touch_needs_a_reason_then_charges_the_full_cost(client, officer, person):
    fa = start(officer, person, kind=FA.Kind.LIGHT_TOUCH)
    client.force_login(officer)
    r = client.post(url("edit", fa), _short_body(fa))
    assert r.status_code == 400
    assert "Select why a light-touch assessment is enough" in unescape(r.content.decode())
    fa.refresh_from_db()
    r = client.post(url("edit", fa), _short_body(fa, light_touch_basis="above_upper_capital_limit"))
    assert r.status_code == 302
    assert _complete(client, fa).weekly_amount == Decimal("257.60")


def test_light_touch_free_service_needs_the_service(client, officer, person):
    fa = start(officer, person, kind=FA.Kind.LIGHT_TOUCH)
    client.force_login(officer)
    r = client.post(url("edit", fa), _short_body(fa, light_touch_basis="free_service"))
    assert r.status_code == 400
    assert "Select the service that is free of charge" in r.content.decode()
    r = client.post(
        url("edit", fa),
        _short_body(fa, light_touch_basis="free_service", free_service="reablement_first_6_weeks"),
    )
    assert r.status_code == 302
    assert _complete(client, fa).weekly_amount == Decimal("0.00")


def test_care_home_home_disregarded_in_the_first_12_weeks(client, officer, person):
    fa = start(officer, person, setting="residential")
    client.force_login(officer)
    body = edit_body(
        fa,
        setting="residential",
        capital_main_home="180000.00",
        first_permanent_admission_week="3",
        weekly_care_cost="694.00",
    )
    assert client.post(url("edit", fa), body).status_code == 302
    html = unescape(client.get(url("edit", fa)).content.decode())
    assert "disregarded in week 3 of the first 12 weeks" in html
    fa.refresh_from_db()
    after = edit_body(fa, setting="residential", capital_main_home="180000.00",
                      first_permanent_admission_week="13", weekly_care_cost="694.00")  # fmt: skip
    assert client.post(url("edit", fa), after).status_code == 302
    fa.refresh_from_db()
    assert fa.result["full_cost"] is True  # the home counts after 12 weeks: above the limit
    assert fa.result["weekly_charge"] == 694.0


def test_changing_the_year_checks_the_date_against_the_new_year(client, officer, person):
    fa = start(officer, person)
    client.force_login(officer)
    body = edit_body(fa, financial_year="2024-25", **form_data.date_parts("effective_from", START))
    # 7 April 2025 is after 1 April 2024, the start of 2024-25.
    assert client.post(url("edit", fa), body).status_code == 302
    fa.refresh_from_db()
    assert fa.financial_year == "2024-25" and fa.result is not None
    body = edit_body(fa, **form_data.date_parts("effective_from", dt.date(2024, 5, 1)))
    r = client.post(url("edit", fa), body)  # back to 2025-26: May 2024 is too early
    assert r.status_code == 400
    assert re.search(r"on or after 1 April 2025, the start of the 2025-26", r.content.decode())
    fa.refresh_from_db()
    assert fa.result is None  # the old calculation does not stand for the new figures
