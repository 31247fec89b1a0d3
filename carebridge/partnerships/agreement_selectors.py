"""Reads for the agreement pages: the agreements with their status on a day, one agreement's
hosted teams now and in the past, and who hosts and employs each team and worker on a date
(built on :func:`selectors.hosting_on` and :func:`selectors.employment_on`, in a fixed number
of queries whatever the number of teams and workers)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch

from carebridge.core.access import Role
from carebridge.organisations.models import Organisation, Team, Worker
from carebridge.rules import partnerships as rules

from . import selectors
from .models import Agreement, AgreementExtension, TeamHosting, Transfer

IN_FORCE, ENDED, NOT_STARTED = "in_force", "ended", "not_started"
STATUS_LABELS = {IN_FORCE: "In force", ENDED: "Ended", NOT_STARTED: "Not started"}


def status_on(agreement: Agreement, day: dt.date) -> str:
    term = agreement.term()
    if day < term.starts_on:
        return NOT_STARTED
    return IN_FORCE if term.in_force_on(day) else ENDED


@dataclass(frozen=True)
class AgreementRow:
    agreement: Agreement
    status: str
    last_day: dt.date | None
    extensions: list[AgreementExtension]
    hosted_teams: int

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _agreements():
    return Agreement.objects.select_related("council", "partner").prefetch_related(
        Prefetch("extensions", queryset=AgreementExtension.objects.order_by("new_ends_on"))
    )


def overview(day: dt.date) -> list[AgreementRow]:
    """Every agreement with its status on ``day`` and the teams hosted under it that day."""
    hosted = Counter(h.agreement_id for h in selectors.hosting_on(day).values() if h.agreement_id)
    rows = []
    for a in _agreements().order_by("-starts_on", "reference"):
        ext = list(a.extensions.all())
        rows.append(
            AgreementRow(a, status_on(a, day), a.term(ext).last_day, ext, hosted.get(a.pk, 0))
        )
    return rows


def agreement(pk: int) -> Agreement:
    return _agreements().prefetch_related("conditions").get(pk=pk)


@dataclass(frozen=True)
class HostedPeriod:
    row: TeamHosting
    current: bool


def hosted_periods(agreement: Agreement, day: dt.date) -> list[HostedPeriod]:
    """Every period a team was (or is) hosted under the agreement, current ones first."""
    rows = (
        TeamHosting.objects.filter(agreement=agreement)
        .select_related("team", "managed_by")
        .order_by("team__name", "starts_on", "pk")
    )
    out = [
        HostedPeriod(
            r,
            (r.starts_on is None or r.starts_on <= day) and (r.ends_on is None or day <= r.ends_on),
        )
        for r in rows
    ]
    return sorted(out, key=lambda p: not p.current)


def transfers_naming(agreement: Agreement):
    return Transfer.objects.filter(agreement=agreement).select_related(
        "from_organisation", "to_organisation"
    )


# --- who hosts and employs each team and worker on a date -------------------------------------


@dataclass(frozen=True)
class TeamOnDay:
    team: Team
    host: Organisation | None
    agreement: Agreement | None
    changed: bool  # hosted by someone other than today's host on that day


@dataclass(frozen=True)
class WorkerOnDay:
    worker: Worker
    team: Team | None
    employer: Organisation | None
    line_manager: Worker | None
    agreement: Agreement | None


@dataclass(frozen=True)
class HostingReport:
    day: dt.date
    teams: list[TeamOnDay]
    workers: list[WorkerOnDay]


def hosting_report(day: dt.date) -> HostingReport:
    """Every team with its host and agreement on ``day``; every active worker with their team,
    employer, line manager and agreement on ``day`` (a fixed number of queries)."""
    hosts = selectors.hosting_on(day)
    employed = selectors.employment_on(day)
    teams = {t.pk: t for t in Team.objects.select_related("organisation")}
    orgs = {o.pk: o for o in Organisation.objects.filter(kind__in=rules.HOST_KINDS)}
    agreement_ids = {h.agreement_id for h in hosts.values()} | {
        e.agreement_id for e in employed.values()
    }
    agreements = {a.pk: a for a in Agreement.objects.filter(pk__in=agreement_ids - {None})}
    workers = {
        w.pk: w
        for w in Worker.objects.only(
            "pk", "first_name", "last_name", "username", "role", "is_active", "team_id"
        )
    }

    def org(pk):
        if pk is None:
            return None
        if pk not in orgs:  # an unusual host (not a council, trust or ICB): fetch it
            orgs[pk] = Organisation.objects.get(pk=pk)
        return orgs[pk]

    team_rows = [
        TeamOnDay(
            teams[pk],
            org(h.managed_by_id),
            agreements.get(h.agreement_id),
            h.managed_by_id != teams[pk].organisation_id,
        )
        for pk, h in hosts.items()
    ]
    team_rows.sort(key=lambda r: (r.team.name, r.team.pk))
    worker_rows = [
        WorkerOnDay(
            workers[pk],
            teams.get(e.team_id),
            org(e.employed_by_id),
            workers.get(e.line_manager_id),
            agreements.get(e.agreement_id),
        )
        for pk, e in employed.items()
        if workers[pk].is_active
    ]
    worker_rows.sort(
        key=lambda r: (r.team.name if r.team else "", r.worker.last_name, r.worker.first_name,
                       r.worker.pk)
    )  # fmt: skip
    return HostingReport(day, team_rows, worker_rows)


def role_label(role: str) -> str:
    try:
        return Role(role).label
    except ValueError:
        return role
