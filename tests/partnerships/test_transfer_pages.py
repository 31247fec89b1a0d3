"""The transfer pages through real requests: a team manager reallocates a leaver's cases
(form, preview, confirm, reconciliation), a form sent twice drafts one transfer, a stale
preview is refused with a clear message and changes nothing, and a scheduled transfer is
cancelled from its page."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from carebridge.casework.models import Allocation
from carebridge.core.access import Role
from carebridge.partnerships import transfers
from carebridge.partnerships.models import Transfer
from tests.core import form_data
from tests.factories import AllocationFactory, PersonFactory, WorkerFactory


def _reallocation_body(leaving, **extra) -> dict:
    return {
        "leaving_worker": str(leaving.pk),
        "sharing": Transfer.Sharing.SHARE,
        "reason": "Leaves the council at the end of the month",
        **form_data.date_parts("effective_on", timezone.localdate()),
        "submission_token": form_data.token(),
        **extra,
    }


def test_a_team_manager_reallocates_a_leavers_cases_through_the_pages(client, county):
    manager, leaving = county.manager_b, county.worker_b
    other = WorkerFactory(role=Role.SOCIAL_WORKER, team=county.team_b)
    client.force_login(manager)
    form = client.get("/partnerships/transfers/new/reallocation/")
    assert form.status_code == 200
    body = form.content.decode()
    assert f"{leaving} (Social worker, Central Locality)" in body
    assert "North CMHT)" not in body  # only the manager's own team

    data = _reallocation_body(leaving)
    response = client.post("/partnerships/transfers/new/reallocation/", data)
    t = Transfer.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{t.reference}/")
    again = client.post("/partnerships/transfers/new/reallocation/", data)  # sent twice
    assert again.status_code == 302 and Transfer.objects.count() == 1

    page = client.get(f"/partnerships/transfers/{t.reference}/").content.decode()
    assert "Preview: what will change" in page and county.person_b.full_name in page
    digest = transfers.preview(t).digest
    done = client.post(f"/partnerships/transfers/{t.reference}/confirm/", {"digest": digest})
    assert done.status_code == 302
    t.refresh_from_db()
    assert t.status == Transfer.Status.COMPLETED, t.failure
    a = Allocation.objects.get(person=county.person_b, ended_at__isnull=True)
    assert a.worker == other
    page = client.get(f"/partnerships/transfers/{t.reference}/").content.decode()
    assert "Reconciliation passed" in page


def test_a_stale_preview_is_refused_with_a_clear_message(client, county):
    admin = county.workers[Role.SYSTEM_ADMINISTRATOR]
    t = transfers.draft_reallocation(
        admin,
        leaving=county.worker_b,
        sharing=Transfer.Sharing.ONE_WORKER,
        receiving=county.manager_b,
        effective_on=timezone.localdate(),
        reason="Leaves the council at the end of the month",
    )
    digest = transfers.preview(t).digest
    AllocationFactory(person=PersonFactory(), team=county.team_b, worker=county.worker_b)
    client.force_login(admin)
    response = client.post(
        f"/partnerships/transfers/{t.reference}/confirm/", {"digest": digest}, follow=True
    )
    assert "The records changed since you looked at the preview" in response.content.decode()
    t.refresh_from_db()
    assert t.status == Transfer.Status.DRAFT
    assert county.worker_b.allocations.filter(ended_at__isnull=True).count() == 2


def test_bad_input_on_the_teams_form_is_explained_and_drafts_nothing(client, county):
    client.force_login(county.workers[Role.SYSTEM_ADMINISTRATOR])
    response = client.post(
        "/partnerships/transfers/new/teams/",
        {
            "from_organisation": str(county.trust.pk),
            "to_organisation": str(county.council.pk),
            "teams": str(county.team_a.pk),
            "waiting_cases": "block",
            "reason": "Cabinet decision: end the s75",
            "effective_on-day": "31",
            "effective_on-month": "2",
            "effective_on-year": str(timezone.localdate().year + 1),
            "submission_token": form_data.token(),
        },
    )
    assert response.status_code == 400
    assert "real date" in response.content.decode() or "must be" in response.content.decode()
    assert not Transfer.objects.exists()


def test_a_scheduled_transfer_is_cancelled_from_its_page(client, county):
    admin = county.workers[Role.SYSTEM_ADMINISTRATOR]
    Allocation.objects.filter(person=county.person_a_team).update(
        worker=county.workers[Role.SOCIAL_WORKER]
    )
    t = transfers.draft_transfer(
        admin,
        kind=Transfer.Kind.TEAMS,
        from_organisation=county.trust,
        to_organisation=county.council,
        teams=[county.team_a],
        effective_on=timezone.localdate() + dt.timedelta(days=7),
        reason="Cabinet decision: end the s75",
    )
    transfers.confirm(admin, t, digest=transfers.preview(t).digest)
    client.force_login(admin)
    short = client.post(
        f"/partnerships/transfers/{t.reference}/cancel/",
        {"reason": "no", "submission_token": form_data.token()},
    )
    assert short.status_code == 400 and "at least 10 characters" in short.content.decode()
    done = client.post(
        f"/partnerships/transfers/{t.reference}/cancel/",
        {"reason": "The cabinet deferred the decision", "submission_token": form_data.token()},
    )
    assert done.status_code == 302
    t.refresh_from_db()
    assert t.status == Transfer.Status.CANCELLED
