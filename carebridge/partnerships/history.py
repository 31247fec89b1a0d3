"""Who hosted each team on a date, the one home of the rule (ADR 0024): the hosting row
covering the day (``rules.partnerships.covers``), falling back to today's
``Team.organisation`` for a team with no row that day.

* As SQL, for set-based readers (the duties engine, :func:`selectors.hosting_on`):
  :func:`host_expression`, :func:`agreement_expression`, :func:`team_hosts`.
* In memory for many dates at once (the comparison, month by month): :class:`Hosts`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import BigIntegerField, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from carebridge.organisations.models import Organisation, Team
from carebridge.rules import partnerships as rules

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


def agreement_expression(day: dt.date, team_ref: str = "pk"):
    """The agreement the team at ``team_ref`` was hosted under on ``day`` (none: run by its
    host outside any agreement, or no history that day)."""
    return Subquery(
        TeamHosting.objects.filter(covering(day), team_id=OuterRef(team_ref))
        .order_by(F("starts_on").desc(nulls_last=True), "-pk")
        .values("agreement_id")[:1],
        output_field=BigIntegerField(),
    )


def team_hosts(day: dt.date) -> QuerySet:
    """(team pk, host organisation pk) on ``day`` for every team: one query."""
    return Team.objects.annotate(_host=host_expression(day)).values_list("pk", "_host")


class Hosts:
    """Every team's host on any date, from the hosting history (three queries, once)."""

    def __init__(self) -> None:
        self.today = dict(Team.objects.values_list("pk", "organisation_id"))
        self.kinds = dict(Organisation.objects.values_list("pk", "kind"))
        self.history: dict[int, list[tuple]] = defaultdict(list)
        for team, org, s, e in TeamHosting.objects.order_by("starts_on", "pk").values_list(
            "team_id", "managed_by_id", "starts_on", "ends_on"
        ):
            self.history[team].append((org, s, e))

    def host(self, team: int | None, day: dt.date) -> int | None:
        if team is None:
            return None
        for org, s, e in reversed(self.history.get(team, ())):
            if rules.covers(s, e, day):
                return org
        return self.today.get(team)

    def kind(self, team: int | None, day: dt.date) -> str | None:
        """The kind of organisation that hosted the team on ``day``."""
        return self.kinds.get(self.host(team, day))
