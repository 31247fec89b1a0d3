"""Record sets several duties share (built when evaluated: no model is imported at load)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from carebridge.rules import cld


def events(event_type: str) -> QuerySet:
    from carebridge.casework.models import Event

    return Event.objects.filter(event_type=event_type, cancelled=False)


def care_act_assessments() -> QuerySet:
    """CLD Assessment events that are needs or carer's assessments (s9, s10)."""
    return events(cld.ASSESSMENT).exclude(assessment_type=cld.FINANCIAL_ASSESSMENT)


def long_term_support_open_on(as_of: dt.date) -> QuerySet:
    """Long-term support services (CLD Service_Type "Long term support: ...") running on the
    as-of date."""
    return events(cld.SERVICE).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=as_of),
        service_type__startswith=cld.LONG_TERM_SUPPORT_PREFIX,
        start_date__lte=as_of,
    )
