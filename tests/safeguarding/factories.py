"""Safeguarding records for tests: a concern, decided, an enquiry concluded, made through the
services (as a worker makes them) or directly (for figures and query counts)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from carebridge.rules import safeguarding as sg
from carebridge.safeguarding import services
from carebridge.safeguarding.models import Concern, ConcernRiskType, Enquiry, S42Decision

YES = {"needs_care_and_support": True, "abuse_or_neglect": True, "unable_to_protect": True}
REASONS = {
    "needs_care_and_support": "Dementia; home care four times a day.",
    "abuse_or_neglect": "Bruising reported by the ward; son takes her pension.",
    "unable_to_protect": "Cannot manage money or tell anyone without help.",
}


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """``hour`` o'clock on ``day``, or a minute ago when that is still to come today."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
    return min(moment, timezone.now() - dt.timedelta(minutes=1))


def raise_concern(worker, person, *, received_on: dt.date | None = None, **overrides) -> Concern:
    fields = {
        "received_at": at(received_on or timezone.localdate()),
        "raised_by_name": "Staff Nurse Ada Quill",
        "raised_by_role": "Staff nurse",
        "raised_by_organisation": "Test MH Trust, Willow Ward",
        "source": "nhs_hospital_ward",
        "details": "Bruises on both arms on admission; says her son pushes her.",
        "risk_types": ["physical", "financial"],
        "location_of_risk": "own_home",
        "source_of_risk": sg.KNOWN,
        "source_relationship": "family",
        "immediate_actions": "Kept on the ward; son's visits supervised.",
    }
    fields.update(overrides)
    return services.raise_concern(worker, person, **fields)


def decide(worker, concern, *, result=sg.S42_ENQUIRY, answers=None, decided_on=None, **kw):
    answers = answers or (YES if result == sg.S42_ENQUIRY else {**YES, "unable_to_protect": False})
    return services.decide(
        worker,
        concern,
        answers=answers,
        reasons=REASONS,
        result=result,
        decided_on=decided_on or concern.received_on,
        route=kw.pop("route", "advice" if result == sg.OTHER_ROUTE else ""),
        reason=kw.pop("reason", "" if result == sg.S42_ENQUIRY else "She can protect herself."),
        **kw,
    )


def ready_to_conclude(worker, enquiry: Enquiry, *, asked_on=None) -> Enquiry:
    enquiry = services.record_outcomes_asked(
        worker, enquiry, version=enquiry.version, msp_asked=sg.MSP_EXPRESSED,
        outcomes_asked_on=asked_on or enquiry.started_on,
        desired_outcomes="I want to feel safe at home.",
    )  # fmt: skip
    return services.record_advocacy(
        worker, enquiry, version=enquiry.version, substantial_difficulty=False,
        appropriate_person="", advocate_referred_on=None,
    )  # fmt: skip


def concluded(worker, person, *, received_on, concluded_on, **conclude) -> Enquiry:
    concern = raise_concern(worker, person, received_on=received_on)
    decide(worker, concern)
    enquiry = ready_to_conclude(worker, Enquiry.objects.get(concern=concern))
    return services.conclude(
        worker, enquiry, version=enquiry.version, concluded_on=concluded_on,
        risk_outcome=conclude.pop("risk_outcome", sg.RISK_REMOVED),
        msp_achieved=conclude.pop("msp_achieved", sg.ACHIEVED_FULLY),
        conclusion="Son moved out; pension redirected.", **conclude,
    )  # fmt: skip


# --- direct rows (no service): figures and query counts -----------------------------------------


def concern_row(person, worker, *, received_on, types=("physical",), provider=None, **kw):
    c = Concern.objects.create(
        person=person,
        received_at=at(received_on),
        received_on=received_on,
        raised_by_name="A caller",
        source=kw.pop("source", "family_friend"),
        details="Details",
        location_of_risk=kw.pop("location_of_risk", "own_home"),
        source_of_risk=sg.SERVICE_PROVIDER if provider else kw.pop("source_of_risk", sg.KNOWN),
        source_provider=provider,
        created_by=worker,
        **kw,
    )
    ConcernRiskType.objects.bulk_create(ConcernRiskType(concern=c, risk_type=t) for t in types)
    return c


def enquiry_row(concern, worker, *, kind=sg.S42_ENQUIRY, started_on=None, **kw) -> Enquiry:
    started_on = started_on or concern.received_on
    yes = kind == sg.S42_ENQUIRY
    S42Decision.objects.create(
        concern=concern, needs_care_and_support=True, needs_care_and_support_reason="r",
        abuse_or_neglect=True, abuse_or_neglect_reason="r", unable_to_protect=yes,
        unable_to_protect_reason="r", result=kind, decided_on=started_on, decided_by=worker,
    )  # fmt: skip
    return Enquiry.objects.create(
        concern=concern, person=concern.person, kind=kind, started_on=started_on,
        lead_enquirer=worker, created_by=worker, **kw,
    )  # fmt: skip
