"""The host of every team on a date as one SQL-level queryset, for set-based readers (the
duties engine, the comparison): team LEFT JOIN the hosting row covering the day, falling back
to today's ``Team.organisation`` for a team with no row that day (as
:func:`carebridge.partnerships.selectors.hosting_on` does)."""

from __future__ import annotations

import datetime as dt

from django.db.models import BigIntegerField, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from carebridge.organisations.models import Team

from .models import TeamHosting


def covering(day: dt.date, prefix: str = "") -> Q:
    """Rows whose inclusive ``starts_on``..``ends_on`` (empty: open) covers ``day``."""
    s, e = f"{prefix}starts_on", f"{prefix}ends_on"
    return (Q(**{f"{s}__isnull": True}) | Q(**{f"{s}__lte": day})) & (
        Q(**{f"{e}__isnull": True}) | Q(**{f"{e}__gte": day})
    )


def host_expression(day: dt.date, team_ref: str = "pk", fallback: str = "organisation_id"):
    """The organisation hosting the team at ``team_ref`` on ``day`` (a correlated lookup)."""
    row = (
        TeamHosting.objects.filter(covering(day), team_id=OuterRef(team_ref))
        .order_by(F("starts_on").desc(nulls_last=True), "-pk")
        .values("managed_by_id")[:1]
    )
    return Coalesce(Subquery(row), F(fallback), output_field=BigIntegerField())


def team_hosts(day: dt.date) -> QuerySet:
    """(team pk, host organisation pk) on ``day`` for every team: one query."""
    return Team.objects.annotate(_host=host_expression(day)).values_list("pk", "_host")
