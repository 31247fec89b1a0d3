"""The local standards page (/compliance/standards/): who reads it, who sets a standard, and
what bad input gets. Who may open it at all is also in tests/access/test_permission_matrix."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.duties import services
from carebridge.duties.models import LocalStandard
from tests.core import form_data

from .histories import request

pytestmark = pytest.mark.django_db

URL = "/compliance/standards/"
DUTY = "assessment-after-request"


@pytest.fixture
def admin(client, county):
    client.force_login(county.workers[Role.SYSTEM_ADMINISTRATOR])
    return client


def as_role(client, county, role):
    client.force_login(county.workers[role])
    return client


def body(**overrides) -> dict[str, str]:
    data = {
        "duty": DUTY,
        **form_data.date_parts("effective_from", timezone.localdate()),
        "amount": "20",
        "unit": "working_days",
        "note": "Cabinet, 12 November 2026, item 7",
        "submission_token": form_data.token(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def summary(html: str) -> list[str]:
    box = html[html.index("govuk-error-summary") :]
    box = box[: box.index("</ul>")]
    return [re.sub(r"\s+", " ", m).strip() for m in re.findall(r'<a href="[^"]*">(.*?)</a>', box)]


@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.PERFORMANCE_ANALYST])
def test_managers_and_analysts_read_the_standards_without_a_form(client, county, role):
    LocalStandard.objects.create(
        duty_id=DUTY,
        effective_from=dt.date(2025, 4, 1),
        days=21,
        note="Cabinet, March 2025",
        set_by=county.workers[Role.SYSTEM_ADMINISTRATOR],
    )
    html = as_role(client, county, role).get(URL).content.decode()
    row = html[html.index(f'data-duty="{DUTY}"') :]
    row = row[: row.index("</tr>")]
    assert "Care Act 2014 s9(1)" in row and "28 days" in row and "21 days" in row
    assert "council standard from 1 April 2025" in row
    dp = html[html.index('data-duty="direct-payment-review"') :]
    dp = dp[: dp.index("</tr>")]
    assert "6 months at first, then 12 months" in dp and "cannot be changed here" in dp
    # The history: when, what, who and the council decision.
    history = html[html.index(f'data-testid="versions-{DUTY}"') :]
    assert "1 April 2025" in history and "In force" in history
    assert "Cabinet, March 2025" in history
    assert str(county.workers[Role.SYSTEM_ADMINISTRATOR]) in history
    assert 'data-testid="standard-form"' not in html
    assert "Back to the compliance figures" in html


@pytest.mark.parametrize(
    "role", [r for r in Role if r not in (Role.TEAM_MANAGER, Role.PERFORMANCE_ANALYST)]
)
def test_other_roles_but_the_administrator_cannot_read_them(client, county, role):
    response = as_role(client, county, role).get(URL)
    assert response.status_code == (200 if role == Role.SYSTEM_ADMINISTRATOR else 403)


def test_a_manager_cannot_set_a_standard(client, county):
    response = as_role(client, county, Role.TEAM_MANAGER).post(URL, body())
    assert response.status_code == 403
    assert not LocalStandard.objects.exists()


def test_the_administrator_sets_a_standard(admin, county):
    response = admin.get(f"{URL}?duty=plan-after-eligibility")
    html = response.content.decode()
    assert 'data-testid="standard-form"' in html
    # Only the duties a council may set are offered; the link preselects the duty.
    options = re.findall(r'<option value="([^"]*)"( selected)?', html)
    assert [v for v, _ in options if v] == [
        DUTY,
        "plan-after-eligibility",
        "amhp-report-completed",
        "s117-plan-at-discharge",
        "safeguarding-decision",
        "safeguarding-enquiry-concluded",
    ]
    assert ("plan-after-eligibility", " selected") in options
    assert "Back to the compliance figures" not in html  # administrators do not read figures

    response = admin.post(URL, body())
    assert response.status_code == 302
    assert response["Location"] == f"{URL}#duty-{DUTY}"
    row = LocalStandard.objects.get()
    assert (row.duty_id, row.effective_from, row.working_days, row.set_by_id) == (
        DUTY,
        timezone.localdate(),
        20,
        county.workers[Role.SYSTEM_ADMINISTRATOR].pk,
    )
    event = AuditEvent.objects.get(object_type="duties.standard")
    assert (event.action, event.object_id, event.source) == ("create", str(row.pk), "web")

    html = admin.get(URL).content.decode()
    assert "20 working days for clocks starting from" in html  # the success message
    row_html = html[html.index(f'data-duty="{DUTY}"') :]
    assert "20 working days" in row_html[: row_html.index("</tr>")]


def test_sending_the_form_twice_saves_once(admin):
    data = body()
    first = admin.post(URL, data)
    second = admin.post(URL, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert LocalStandard.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="duties.standard").count() == 1
    assert "already saved" in admin.get(URL).content.decode()


def _yesterday():
    return timezone.localdate() - dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"effective_from-day": "31", "effective_from-month": "2"}, "must be a real date"),
        ({"effective_from-day": "", "effective_from-month": "", "effective_from-year": ""},
         "Enter the date the standard comes into force"),
        ({"effective_from-year": ""}, "must include a year"),
        (form_data.date_parts("effective_from", _yesterday()), "today"),
        ({"amount": "-3"}, "between 1 and 260 working days"),
        ({"amount": "300"}, "between 1 and 260 working days"),
        ({"amount": "0"}, "between 1 and 260 working days"),
        ({"amount": "twenty"}, "whole number"),
        ({"amount": "2.5"}, "whole number"),
        ({"amount": ""}, "Enter the time allowed"),
        ({"amount": "400", "unit": "days"}, "between 0 (the same day) and 365 calendar days"),
        ({"amount": "13", "unit": "months"}, "between 1 and 12 months"),
        ({"unit": None}, "Select calendar days, working days or months"),
        ({"unit": "fortnights"}, "Select calendar days, working days or months"),
        ({"duty": "direct-payment-review"}, "cannot set its own standard"),
        ({"duty": "annual-reviews"}, "Select a duty from the list"),
        ({"duty": None}, "Select duty"),
        ({"note": "  "}, "Enter the council decision"),
    ],
)  # fmt: skip
def test_bad_input_gets_an_error_summary_and_keeps_what_was_typed(admin, overrides, message):
    response = admin.post(URL, body(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert any(message in m for m in summary(html)), summary(html)
    assert html.count(message) >= 2  # in the summary and by the field
    assert "<title>Error:" in html
    assert not LocalStandard.objects.exists()
    assert not AuditEvent.objects.filter(object_type="duties.standard").exists()
    if overrides.get("note") is None and "note" not in overrides:
        assert "Cabinet, 12 November 2026, item 7" in html  # the typed note is kept


def test_a_duplicate_date_for_the_duty_is_refused(admin):
    assert admin.post(URL, body()).status_code == 302
    response = admin.post(URL, body(amount="15"))
    assert response.status_code == 400
    assert "already a standard for this duty from" in " ".join(summary(response.content.decode()))
    assert LocalStandard.objects.get().working_days == 20


def test_the_error_summary_links_to_each_field(admin):
    html = admin.post(
        URL, body(duty=None, unit=None, amount="x", note="", **{"effective_from-day": "32"})
    ).content.decode()
    box = html[html.index("govuk-error-summary") :]
    for anchor in ("#duty", "#effective_from-day", "#amount", "#unit", "#note"):
        assert f'href="{anchor}"' in box, anchor
    for field_id in (
        'id="duty"',
        'id="effective_from-day"',
        'id="amount"',
        'id="unit"',
        'id="note"',
    ):
        assert field_id in html


def test_the_page_reads_in_a_few_queries(admin, county, django_assert_max_num_queries):
    for i in range(10):
        LocalStandard.objects.create(
            duty_id=DUTY if i % 2 else "plan-after-eligibility",
            effective_from=dt.date(2020 + i, 4, 1),
            days=20 + i,
            note=f"Decision {i}",
            set_by=county.workers[Role.SYSTEM_ADMINISTRATOR],
        )
    # The session and worker, and saving the session (5); the standards with who set them (1).
    with django_assert_max_num_queries(6):
        html = admin.get(URL).content.decode()
    assert html.count("Decision ") == 10


def test_the_dashboard_shows_the_time_allowed_for_each_duty(client, county):
    today = timezone.localdate()
    LocalStandard.objects.create(
        duty_id=DUTY, effective_from=today - dt.timedelta(days=30), working_days=20
    )
    request(county.person_a, 3)
    services.refresh_all()
    html = as_role(client, county, Role.TEAM_MANAGER).get("/compliance/").content.decode()
    row = html[html.index(f'data-row="{DUTY}"') :]
    row = row[: row.index("</tr>")]
    assert "time allowed: 20 working days (council standard)" in row
    assert 'href="/compliance/standards/"' in html
