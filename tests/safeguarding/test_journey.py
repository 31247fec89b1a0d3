"""The lead's journey through the pages: a concern from an NHS ward becomes a section 42
enquiry with the adult's outcomes asked, and concludes with them met and the plan closed."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from carebridge.core.models import AuditEvent
from carebridge.rules import safeguarding as sg
from carebridge.safeguarding.models import Concern, Enquiry, S42Decision, SafeguardingPlan
from tests.core import form_data


def _post(client, url, data):
    return client.post(url, {"submission_token": form_data.token(), **data})


def test_a_ward_concern_becomes_an_s42_enquiry_and_concludes(client, county, nhs, lead):
    person = county.person_a_team  # held by team A: the NHS partner's team shares care
    pid = person.person_id
    today = timezone.localdate()

    # The NHS partner raises the concern from the person's record.
    client.force_login(nhs)
    page = client.get(reverse("people:detail", args=[pid])).content.decode()
    assert "Raise a safeguarding concern" in page
    url = reverse("safeguarding:raise-concern", args=[pid])
    form = client.get(url)
    assert form.status_code == 200
    assert "Raise the concern" in form.content.decode()
    r = _post(client, url, {
        **form_data.date_parts("received_on", today - dt.timedelta(days=1)),
        "received_time": "09:15",
        "raised_by_name": "Nia Hollis", "raised_by_role": "Ward sister",
        "raised_by_organisation": "Test MH Trust", "source": "nhs_hospital_ward",
        "details": "Unexplained bruising; says her son takes her money.",
        "risk_types": ["physical", "financial"], "location_of_risk": "own_home",
        "source_of_risk": sg.KNOWN, "source_relationship": "family",
        "immediate_actions": "Kept on the ward.",
    })  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:3000]
    assert r["Location"] == reverse("people:detail", args=[pid]) + "#safeguarding"
    concern = Concern.objects.get(person=person)
    assert sorted(concern.risk_types.values_list("risk_type", flat=True)) == [
        "financial", "physical",
    ]  # fmt: skip
    # The partner sees that a concern is open, not what it is about.
    page = client.get(reverse("people:detail", args=[pid])).content.decode()
    assert "Awaiting decision" in page and "Unexplained bruising" not in page

    # The safeguarding lead decides: a section 42 enquiry.
    client.force_login(lead)
    overview = client.get(reverse("safeguarding:overview")).content.decode()
    assert concern.reference in overview
    page = client.get(reverse("safeguarding:concern", args=[pid, concern.pk])).content.decode()
    assert "Record the section 42 decision" in page
    url = reverse("safeguarding:decide", args=[pid, concern.pk])
    assert "Record the decision" in client.get(url).content.decode()
    r = _post(client, url, {
        "needs_care_and_support": "yes", "needs_care_and_support_reason": "Dementia.",
        "abuse_or_neglect": "yes", "abuse_or_neglect_reason": "Bruising, money taken.",
        "unable_to_protect": "yes", "unable_to_protect_reason": "Cannot tell anyone.",
        "result": sg.S42_ENQUIRY, **form_data.date_parts("decided_on", today),
        "lead_enquirer": str(lead.pk),
    })  # fmt: skip
    enquiry = Enquiry.objects.get(concern=concern)
    assert r.status_code == 302 and r["Location"] == reverse(
        "safeguarding:enquiry", args=[pid, enquiry.pk]
    )
    assert enquiry.kind == sg.S42_ENQUIRY and enquiry.lead_enquirer == lead

    # The outcomes the adult wants are asked and recorded.
    page = client.get(r["Location"]).content.decode()
    assert "Record the outcomes the adult wants" in page
    url = reverse("safeguarding:outcomes", args=[pid, enquiry.pk])
    assert "Save the outcomes" in client.get(url).content.decode()
    r = _post(client, url, {
        "msp_asked": sg.MSP_EXPRESSED, **form_data.date_parts("outcomes_asked_on", today),
        "desired_outcomes": "I want to feel safe and keep my money.", "version": "1",
    })  # fmt: skip
    assert r.status_code == 302

    # Advocacy considered; the safeguarding plan recorded.
    r = _post(client, reverse("safeguarding:advocacy", args=[pid, enquiry.pk]), {
        "substantial_difficulty": "no", "version": "2",
    })  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    url = reverse("safeguarding:plan", args=[pid, enquiry.pk])
    assert "Save the plan" in client.get(url).content.decode()
    r = _post(client, url, {
        "details": "Bank to redirect pension; daily visits.",
        **form_data.date_parts("started_on", today),
    })  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    for name in ("add-action", "add-meeting", "enquiry-edit", "plan-review"):
        assert (
            client.get(reverse(f"safeguarding:{name}", args=[pid, enquiry.pk])).status_code == 200
        )

    # Concluded: outcomes fully achieved, risk removed, the plan closed.
    url = reverse("safeguarding:conclude", args=[pid, enquiry.pk])
    assert "Conclude the enquiry" in client.get(url).content.decode()
    r = _post(client, url, {
        **form_data.date_parts("concluded_on", today), "risk_outcome": sg.RISK_REMOVED,
        "msp_achieved": sg.ACHIEVED_FULLY, "plan_after": sg.PLAN_CLOSE,
        "conclusion": "Pension redirected; son moved out.", "version": "3",
    })  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:3000]
    enquiry.refresh_from_db()
    assert enquiry.concluded_on == today and enquiry.msp_achieved == sg.ACHIEVED_FULLY
    assert SafeguardingPlan.objects.get(enquiry=enquiry).closed_on == today
    assert Concern.objects.get(pk=concern.pk).closed_on == today
    page = client.get(r["Location"]).content.decode()
    assert "Concluded" in page and "Fully achieved" in page
    assert S42Decision.objects.filter(concern=concern).count() == 1
    # Every step is in the person's audit log.
    summaries = list(
        AuditEvent.objects.filter(person=person, action__in=["create", "update"]).values_list(
            "summary", flat=True
        )
    )
    assert any("Raised a safeguarding concern" in s for s in summaries)
    assert any("Concluded the safeguarding enquiry" in s for s in summaries)
