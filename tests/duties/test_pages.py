"""Workers see their people's due and overdue duties: on the caseload (counts) and on the
person's page (each duty, its state today, why, and what would put it right)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carebridge.core.access import Role
from carebridge.duties import services
from carebridge.rules import cld
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue_request(county):
    today = timezone.localdate()
    event = EventFactory(
        person=county.person_a,
        event_type=cld.REQUEST,
        start_date=today - dt.timedelta(days=40),
        end_date=None,
        outcome="",
    )
    services.refresh_people([county.person_a.pk])
    return event


def test_the_persons_page_lists_each_duty_with_its_reason(client, county, overdue_request):
    client.force_login(county.workers[Role.SOCIAL_WORKER])
    html = client.get(f"/people/{county.person_a.person_id}/").content.decode()
    assert 'id="duties"' in html
    assert "Assessment after a request for support" in html
    assert "Overdue" in html and overdue_request.reference in html
    assert "To put it right: start the assessment" in html
    assert "Care Act 2014 s9(1)" in html
    assert 'href="https://www.legislation.gov.uk/ukpga/2014/23/section/9"' in html


def test_the_caseload_counts_overdue_duties(client, county, overdue_request):
    client.force_login(county.workers[Role.SOCIAL_WORKER])
    for order in ("due", "name"):
        html = client.get(f"/caseload/?order={order}").content.decode()
        assert "1 overdue" in html
        assert f"/people/{county.person_a.person_id}/#duties" in html


def test_a_due_row_becomes_overdue_on_the_day_after_without_a_refresh(county):
    from carebridge.duties.models import DutyState
    from carebridge.duties.selectors import state_today

    today = timezone.localdate()
    EventFactory(
        person=county.person_a,
        event_type=cld.REQUEST,
        start_date=today,
        end_date=None,
        outcome="",
    )
    services.refresh_people([county.person_a.pk])
    row = DutyState.objects.get(person=county.person_a)
    assert state_today(row, row.due) == "due"
    assert state_today(row, row.due + dt.timedelta(days=1)) == "overdue"
