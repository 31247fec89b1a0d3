"""Each page that writes brings back what the worker typed before their session timed out, once,
with a message saying so (ADR 0005; core.forms.form_with_kept_work): the plan pages and the
front door's contact page (the case note page is in tests/core/test_session_timeout.py)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from carebridge.core.middleware import PRESERVED_WORK_KEY

from .conftest import add_home_care, url

TYPED = "Typed before the time-out: Tuesday visits"
KEPT = "We kept what you typed before you were signed out"


def _keep(client, path, worker, field, typed):
    session = client.session
    session[PRESERVED_WORK_KEY] = {
        "path": path,
        "data": {field: [typed]},
        "owner": worker.pk,
        "saved_at": timezone.now().isoformat(),
    }
    session.save()


@pytest.fixture
def plan_with_a_direct_payment(sw, plan):
    add_home_care(
        sw,
        plan,
        description="Personal assistant",
        service_component="Direct payment",
        delivery_mechanism="Direct payment",
    )
    plan.refresh_from_db()
    return plan


@pytest.mark.parametrize(
    ("page", "field", "typed", "which"),
    [
        ("edit", "outcomes_wanted", TYPED, "plan"),
        ("add-service", "description", TYPED, "plan"),
        ("direct-payment", "start_date-year", "2031", "plan_with_a_direct_payment"),
        ("request-review", "requested_by", TYPED, "approved_plan"),
        ("review", "outcomes_achieved", TYPED, "approved_plan"),
    ],
)
def test_typed_work_comes_back_once(client, sw, request, page, field, typed, which):
    plan = request.getfixturevalue(which)
    client.force_login(sw)
    path = url(page, plan)
    _keep(client, path, sw, field, typed)
    html = client.get(path).content.decode()
    assert KEPT in html
    assert f'value="{typed}"' in html or f">{typed}<" in html
    again = client.get(path).content.decode()
    assert KEPT not in again
    assert f'value="{typed}"' not in again and f">{typed}<" not in again


def test_a_contact_typed_before_the_time_out_comes_back(client, sw, county):
    from django.urls import reverse

    client.force_login(sw)
    path = reverse("frontdoor:record-contact", args=[county.person_a.person_id])
    _keep(client, path, sw, "description", TYPED)
    html = client.get(path).content.decode()
    assert KEPT in html and TYPED in html
