"""The team manager's list of plans to approve and reviews overdue, and the council's resource
allocation system."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from carebridge.core.access import Role
from carebridge.planning import services
from carebridge.planning.models import CarePlan, ResourceAllocationScheme
from carebridge.rules.eligibility import ADULT_LIMBS, ADULT_OUTCOMES
from tests.core import form_data
from tests.factories import AllocationFactory, PersonFactory

from .factories import CarePlanFactory, PlanDecisionFactory, PlannedServiceFactory


def _plan(team, worker, status, family_name, **kwargs):
    person = PersonFactory(family_name=family_name)
    AllocationFactory(person=person, team=team, worker=worker)
    plan = CarePlanFactory(person=person, created_by=worker, status=status, **kwargs)
    PlannedServiceFactory(plan=plan)  # £257.60 a week
    if status == CarePlan.Status.SUBMITTED:
        PlanDecisionFactory(plan=plan, by=worker)
    return plan


def test_team_managers_see_their_teams_plans(client, county, sw, manager):
    today = timezone.localdate()
    _plan(county.team_a, sw, CarePlan.Status.SUBMITTED, "Waitingperson")
    _plan(county.team_b, county.worker_b, CarePlan.Status.SUBMITTED, "Otherteam")
    _plan(county.team_a, sw, CarePlan.Status.DRAFT, "Stilldrafting")
    for days, name in ((3, "Slightlylate"), (40, "Verylate")):
        _plan(
            county.team_a, sw, CarePlan.Status.APPROVED, name,
            approved_on=today - dt.timedelta(days=200),
            next_review_due=today - dt.timedelta(days=days), next_review_kind="first_review",
        )  # fmt: skip
    _plan(
        county.team_a, sw, CarePlan.Status.APPROVED, "Notyetdue",
        approved_on=today, next_review_due=today + dt.timedelta(weeks=8),
    )  # fmt: skip
    client.force_login(manager)
    text = client.get(reverse("planning:approvals")).content.decode()
    assert "WAITINGPERSON" in text and "OTHERTEAM" not in text and "STILLDRAFTING" not in text
    assert "£257.60" in text and "+£17.60" in text  # against £240.00 indicative
    assert str(sw) in text
    assert "Reviews overdue (2)" in text
    assert text.index("VERYLATE") < text.index("SLIGHTLYLATE")  # most overdue first
    assert "NOTYETDUE" not in text

    client.force_login(county.manager_b)
    text = client.get(reverse("planning:approvals")).content.decode()
    assert "OTHERTEAM" in text and "WAITINGPERSON" not in text


def _ras_body(**overrides):
    body = {f"outcome-{k}": "12" for k in ADULT_OUTCOMES}
    body |= {f"limb-{k}": "3" for k in ADULT_LIMBS}
    body |= {
        "bands": "0: 0.00\n10: 130.00\n30: 400.00\n60: 950.00",
        **form_data.date_parts("effective_from", timezone.localdate()),
        "note": "Uplift for the 2026 fee rates.",
        "submission_token": form_data.token(),
    }
    body.update(overrides)
    return body


def test_an_administrator_saves_a_new_version(client, county):
    admin = county.workers[Role.SYSTEM_ADMINISTRATOR]
    client.force_login(admin)
    page = client.get(reverse("planning:ras"))
    assert "built-in example" in page.content.decode()
    body = _ras_body()
    r = client.post(reverse("planning:ras"), body)
    assert r.status_code == 302
    assert client.post(reverse("planning:ras"), body).status_code == 302  # sent twice
    row = ResourceAllocationScheme.objects.get()
    assert row.version == 1 and row.created_by == admin
    scheme, current = services.current_scheme()
    assert current == row
    assert scheme.outcome_points["nutrition"] == 12
    assert scheme.bands[1] == (10, Decimal("130.00"))
    text = client.get(reverse("planning:ras")).content.decode()
    assert "In force" in text and "Uplift for the 2026 fee rates." in text


def test_bad_schemes_are_explained(client, county):
    client.force_login(county.workers[Role.SYSTEM_ADMINISTRATOR])
    r = client.post(
        reverse("planning:ras"),
        _ras_body(**{"outcome-nutrition": "ten", "bands": "0: 0.00\nforty pounds"}),
    )
    assert r.status_code == 400
    text = r.content.decode()
    assert "must be a whole number" in text
    assert "Line 2 of the bands" in text
    r = client.post(reverse("planning:ras"), _ras_body(bands="5: 10.00\n20: 100.00"))
    assert r.status_code == 400
    assert "the first band must start at 0 points" in r.content.decode()
    assert not ResourceAllocationScheme.objects.exists()


def test_only_administrators_save_versions(client, county):
    client.force_login(county.workers[Role.TEAM_MANAGER])
    assert client.post(reverse("planning:ras"), _ras_body()).status_code == 403
    assert not ResourceAllocationScheme.objects.exists()
