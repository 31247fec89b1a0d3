"""The front door: recording a contact or request for support (a CLD Request event)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carebridge.casework import services as casework
from carebridge.casework.models import Event
from carebridge.core.access import Capability
from carebridge.rules import cld


@transaction.atomic
def record_contact(
    actor,
    person,
    *,
    contact_date: dt.date,
    client_type: str,
    route_of_access: str,
    request_source: str,
    contact_method: str,
    description: str,
    outcome: str = "",
    completed_on: dt.date | None = None,
) -> Event:
    """A request for support. It is *completed* (CLD) once its outcome is decided: give both an
    outcome and a completion date, or neither (still open at the front door)."""
    casework._require(actor, Capability.RECORD_CONTACT)
    if bool(outcome) != bool(completed_on):
        raise ValidationError(
            {
                "outcome" if not outcome else "completed_on": (
                    "Give both the outcome and the date it was decided, or neither"
                )
            }
        )
    if completed_on is not None and completed_on > timezone.localdate():
        # An outcome cannot have been decided on a day still to come.
        raise ValidationError({"completed_on": "The date must be today or in the past"})
    if route_of_access not in cld.codes(cld.ROUTE_OF_ACCESS):
        raise ValidationError({"route_of_access": "Select a route of access from the list"})
    return casework.record_event(
        actor,
        person,
        event_type=cld.REQUEST,
        client_type=client_type,
        start_date=contact_date,
        end_date=completed_on,
        outcome=outcome,
        route_of_access=route_of_access,
        request_source=request_source,
        contact_method=contact_method,
        description=description,
        team=actor.team,
        worker=actor,
    )
