"""Minimal valid bodies for every form that writes, shared by the access, audit, time-out and
double-submission tests."""

from __future__ import annotations

import datetime as dt
import secrets

from django.utils import timezone

from carebridge.rules import cld
from carebridge.rules.local_codes import (
    ALERT_KINDS,
    ALLOCATION_REASONS,
    CARER_RELATIONSHIPS,
    CASE_NOTE_KINDS,
    CONTACT_METHODS,
    REQUEST_SOURCES,
)


def date_parts(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def token() -> str:
    return secrets.token_urlsafe(24)


def new_person(**overrides) -> dict[str, str]:
    body = {
        "given_name": "Olive",
        "family_name": "Hartley",
        **date_parts("date_of_birth", dt.date(1941, 11, 4)),
        "gender": "Female",
        "ethnicity": "White: Irish",
        "primary_support_reason": "Support with memory and cognition",
        "postcode": "NR1 2DH",
        "submission_token": token(),
    }
    body.update(overrides)
    return body


def edit_person(person, **overrides) -> dict[str, str]:
    body = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "nhs_number": person.nhs_number or "",
        "nhs_number_status": person.nhs_number_status,
        **date_parts("date_of_birth", person.date_of_birth),
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "primary_support_reason": person.primary_support_reason,
        "postcode": person.postcode,
        "phone": "01603 000000",
        "version": str(person.version),
    }
    body.update(overrides)
    return body


def status(field_name: str) -> dict[str, str]:
    return {
        "status": cld.choices(field_name)[0][0],
        **date_parts("valid_from", timezone.localdate()),
    }


def allocation(team, worker=None, **overrides) -> dict[str, str]:
    body = {
        "team": str(team.pk),
        "worker": str(worker.pk) if worker else "",
        "reason": ALLOCATION_REASONS[1][0],
        "note": "Caseload balancing after the duty meeting",
    }
    body.update(overrides)
    return body


def case_note(**overrides) -> dict[str, str]:
    body = {
        "kind": CASE_NOTE_KINDS[1][0],
        **date_parts("occurred_on", timezone.localdate()),
        "subject": "Call with daughter about discharge",
        "text": "Daughter worried about the return home; agreed to visit on Friday.",
        "submission_token": token(),
    }
    body.update(overrides)
    return body


def contact(**overrides) -> dict[str, str]:
    body = {
        **date_parts("contact_date", timezone.localdate()),
        "client_type": cld.SERVICE_USER,
        "request_source": REQUEST_SOURCES[1][0],
        "contact_method": CONTACT_METHODS[0][0],
        "route_of_access": "Discharge from Hospital",
        "description": "Ward asks for support at home after discharge.",
        "outcome": "",
        "submission_token": token(),
    }
    body.update(overrides)
    return body


def break_glass(reason: str = "Urgent safeguarding call from the police") -> dict[str, str]:
    return {"reason": reason}


def carer(carer_person) -> dict[str, str]:
    return {"carer_person_id": carer_person.person_id, "relationship": CARER_RELATIONSHIPS[0][0]}


def alert() -> dict[str, str]:
    return {
        "kind": ALERT_KINDS[0][0],
        "details": "Dog at the property: call before visiting",
        **date_parts("starts_on", timezone.localdate()),
    }


def restriction(*named_workers) -> dict:
    return {"is_restricted": "on", "named_workers": [str(w.pk) for w in named_workers]}


def carer_offer(offered_by, **overrides) -> dict[str, str]:
    body = {
        **date_parts("offered_on", timezone.localdate()),
        "method": "phone",
        "offered_by": str(offered_by.pk),
        "response": "awaiting",
        "submission_token": token(),
    }
    body.update(overrides)
    return body


def carer_response(version: int = 1, **overrides) -> dict[str, str]:
    body = {
        "response": "declined",
        "declined_reason": "I'm managing for now; I'll call if things change",
        **date_parts("responded_on", timezone.localdate()),
        "version": str(version),
        "submission_token": token(),
    }
    if overrides.get("response", "declined") != "declined":
        del body["declined_reason"]  # a reason goes with a refusal only
    body.update(overrides)
    return body
