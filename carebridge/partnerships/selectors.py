"""Reads for partnership pages: who hosted each team and employed each worker on a date
(from the dated history, falling back to today's team and host for those that never moved),
and the transfers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from carebridge.core.access import Role
from carebridge.organisations.models import Team, Worker

from .history import agreement_expression, covering, host_expression
from .models import Employment, Transfer


@dataclass(frozen=True, slots=True)
class Hosting:
    team_id: int
    managed_by_id: int
    agreement_id: int | None


@dataclass(frozen=True, slots=True)
class Employed:
    worker_id: int
    team_id: int | None
    employed_by_id: int | None
    line_manager_id: int | None
    agreement_id: int | None


def hosting_on(day: dt.date, team_ids=None) -> dict[int, Hosting]:
    """Team id -> who managed it on ``day`` and under which agreement (one query)."""
    teams = Team.objects.all() if team_ids is None else Team.objects.filter(pk__in=team_ids)
    rows = teams.annotate(
        _host=host_expression(day), _agreement=agreement_expression(day)
    ).values_list("pk", "_host", "_agreement")
    return {pk: Hosting(pk, host, agreement) for pk, host, agreement in rows}


def keeps_own_employer(role: str) -> bool:
    """NHS colleagues in a co-located team are employed by their NHS body whoever hosts the
    team; everyone else is employed by the team's host (and moves with it, TUPE)."""
    return role == Role.NHS_PARTNER


def employment_on(day: dt.date, worker_ids=None) -> dict[int, Employed]:
    """Worker id -> their team, employer and line manager on ``day``."""
    workers = (
        Worker.objects.all() if worker_ids is None else Worker.objects.filter(pk__in=worker_ids)
    )
    rows = list(workers.values_list("pk", "team_id", "team__organisation_id"))
    hosts = hosting_on(day, {team for _, team, _ in rows if team})
    managers = team_managers()
    out: dict[int, Employed] = {}
    for pk, team, org in rows:
        host = hosts[team].managed_by_id if team in hosts else org
        manager = managers.get(team)
        out[pk] = Employed(
            worker_id=pk,
            team_id=team,
            employed_by_id=host,
            line_manager_id=manager if manager != pk else None,
            agreement_id=hosts[team].agreement_id if team in hosts else None,
        )
    history = Employment.objects.filter(covering(day))
    if worker_ids is not None:
        history = history.filter(worker_id__in=worker_ids)
    for e in history:
        out[e.worker_id] = Employed(
            e.worker_id, e.team_id, e.employed_by_id, e.line_manager_id, e.agreement_id
        )
    return out


def team_managers(team_ids=None) -> dict[int, int]:
    """Team id -> its team manager today (the first active one by name)."""
    qs = Worker.objects.filter(role=Role.TEAM_MANAGER, is_active=True, team__isnull=False)
    if team_ids is not None:
        qs = qs.filter(team_id__in=team_ids)
    out: dict[int, int] = {}
    for team, pk in qs.order_by("last_name", "first_name", "pk").values_list("team_id", "pk"):
        out.setdefault(team, pk)
    return out


def transfers() -> QuerySet[Transfer]:
    return Transfer.objects.select_related(
        "from_organisation", "to_organisation", "leaving_worker", "to_team", "created_by"
    ).order_by("-created_at", "-id")
