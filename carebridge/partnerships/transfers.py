"""Transfers: moving teams, or selected workers, between employing organisations on an
effective date, and reallocating a leaving worker's cases, as one operation (ADR 0024).

1. :func:`draft_transfer` / :func:`draft_reallocation` record what is asked for.
2. :func:`preview` is the dry run: every worker, open case, allocation, open duty, draft and
   access right affected, and what would block the change. It reads; it writes nothing.
3. :func:`confirm` checks the preview the manager saw is still true (its digest), keeps it on
   the transfer, and carries the transfer out at once when its date is today, or schedules it.
4. :func:`carry_out` makes every change in one transaction: new dated hosting and employment
   rows (the old ones closed the day before, never rewritten), allocations, drafts, the duties
   of everyone affected re-judged, an audit entry for each change; then :func:`reconcile`
   proves every open case has a named worker and team, and no open duty or draft was lost.
   Any failure, the reconciliation's included, rolls everything back; the attempt is kept as
   ``failed`` with the reason.
5. :func:`cancel` stops a scheduled transfer before its date; :func:`run_due` carries out the
   scheduled transfers whose date has come (``carebridge partnerships run-due``, daily).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from carebridge.assessments.models import Assessment
from carebridge.casework.access import visible_people
from carebridge.casework.models import Allocation
from carebridge.core import audit
from carebridge.core.access import Capability, Role, can
from carebridge.core.models import BreakGlassAccess, RestrictedAccess
from carebridge.duties import services as duty_services
from carebridge.duties.figures import OPEN as OPEN_DUTY_STATES
from carebridge.duties.models import DutyState
from carebridge.mentalhealth.models import MHAAssessment
from carebridge.organisations.models import Organisation, Team, Worker
from carebridge.planning.models import CarePlan
from carebridge.rules import amhp
from carebridge.rules import partnerships as rules
from carebridge.safeguarding.models import Enquiry

from . import selectors
from .models import Agreement, Employment, TeamHosting, Transfer, TransferCase

K, S = Transfer.Kind, Transfer.Status
# Roles that can take a leaving worker's cases when they are shared out; one named worker who
# takes them all may also be the team's manager (who holds cases waiting for allocation).
RECEIVING_ROLES = (Role.SOCIAL_WORKER, Role.AMHP, Role.SAFEGUARDING_LEAD)
ONE_RECEIVER_ROLES = (*RECEIVING_ROLES, Role.TEAM_MANAGER)
MIN_REASON = 10


class TransferError(ValidationError):
    """A transfer that cannot go ahead as asked (the message says why)."""


class PreviewChanged(Exception):
    """The records changed after the manager looked at the preview: look again."""


class ReconciliationFailed(Exception):
    def __init__(self, report: dict):
        super().__init__("; ".join(report["problems"]) or "reconciliation failed")
        self.report = report


def _require_manage(actor, transfer: Transfer | None = None) -> None:
    if can(actor, Capability.MANAGE_PARTNERSHIPS):
        return
    if (
        transfer is not None
        and transfer.kind == K.REALLOCATION
        and may_reallocate(actor, transfer.leaving_worker)
    ):
        return
    raise PermissionDenied("Your role does not allow you to move teams, workers or caseloads.")


def may_reallocate(actor, leaving: Worker | None) -> bool:
    """Administrators for anyone; a team manager for a worker in their own team."""
    if can(actor, Capability.MANAGE_PARTNERSHIPS):
        return True
    return (
        leaving is not None
        and can(actor, Capability.ALLOCATE)
        and actor.team_id is not None
        and leaving.team_id == actor.team_id
    )


def _reference() -> str:
    last = Transfer.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return f"TR-{last + 1:06d}"


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise TransferError(
            {"reason": f"Say why (the decision behind it), at least {MIN_REASON} characters"}
        )
    return reason


def _check_date(effective_on: dt.date) -> None:
    try:
        rules.check_effective_date(effective_on, timezone.localdate())
    except rules.DateOrderError as e:
        raise TransferError({"effective_on": str(e)}) from None


# --- drafting ------------------------------------------------------------------------------


@transaction.atomic
def draft_transfer(
    actor,
    *,
    kind: str,
    from_organisation: Organisation,
    to_organisation: Organisation | None = None,
    teams: Iterable[Team] = (),
    workers: Iterable[Worker] = (),
    to_team: Team | None = None,
    agreement: Agreement | None = None,
    effective_on: dt.date,
    reason: str,
    waiting_cases_to_manager: bool = False,
) -> Transfer:
    """Record a transfer of teams (to another organisation) or of workers (to another team)."""
    _require_manage(actor)
    reason = _check_reason(reason)
    _check_date(effective_on)
    teams, workers = list(teams), list(workers)
    if kind == K.TEAMS:
        if to_organisation is None:
            raise TransferError({"to_organisation": "Select the organisation the teams move to"})
        if to_organisation == from_organisation:
            raise TransferError(
                {"to_organisation": "Select a different organisation from the current one"}
            )
        if not teams:
            raise TransferError({"teams": "Select at least one team to move"})
        if to_organisation.kind == Organisation.COUNCIL and agreement is not None:
            raise TransferError(
                {"agreement": "Teams the council runs itself are not hosted under an agreement"}
            )
        if to_organisation.kind != Organisation.COUNCIL and agreement is None:
            raise TransferError(
                {"agreement": "Select the s75 agreement the teams will be hosted under"}
            )
    elif kind == K.WORKERS:
        if to_team is None:
            raise TransferError({"to_team": "Select the team the workers join"})
        if not workers:
            raise TransferError({"workers": "Select at least one worker to move"})
        to_organisation = to_team.organisation
    else:
        raise TransferError({"kind": "Select what to move"})
    transfer = Transfer.objects.create(
        reference=_reference(),
        kind=kind,
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        agreement=agreement,
        to_team=to_team,
        effective_on=effective_on,
        reason=reason,
        waiting_cases_to_manager=waiting_cases_to_manager and kind == K.TEAMS,
        created_by=actor,
    )
    transfer.teams.set(teams)
    transfer.workers.set(workers)
    audit.record(
        actor,
        audit.Action.CREATE,
        obj=transfer,
        summary=f"Drafted transfer {transfer.reference}: {transfer.get_kind_display()}",
        changes={"after": _describe(transfer)},
        reason=reason,
    )
    return transfer


@transaction.atomic
def draft_reallocation(
    actor,
    *,
    leaving: Worker,
    sharing: str,
    receiving: Worker | None = None,
    effective_on: dt.date,
    reason: str,
) -> Transfer:
    """Record the reallocation of a leaving worker's open cases (and what else they hold)."""
    if not may_reallocate(actor, leaving):
        raise PermissionDenied("You can reallocate the cases of workers in your own team only.")
    reason = _check_reason(reason)
    _check_date(effective_on)
    if not leaving.is_active:
        raise TransferError({"leaving_worker": f"{leaving} has already left"})
    if sharing == Transfer.Sharing.ONE_WORKER:
        if receiving is None:
            raise TransferError({"receiving_worker": "Select who takes the cases"})
        if receiving.pk == leaving.pk:
            raise TransferError({"receiving_worker": "Select someone other than the leaver"})
        if not receiving.is_active:
            raise TransferError({"receiving_worker": f"{receiving} has left"})
        if receiving.role not in ONE_RECEIVER_ROLES:
            raise TransferError(
                {"receiving_worker": f"{receiving} does not hold cases: select a practitioner"}
            )
        if not can(actor, Capability.MANAGE_PARTNERSHIPS) and receiving.team_id != actor.team_id:
            raise TransferError(
                {
                    "receiving_worker": "Select someone in your own team (administrators can "
                    "move cases between teams)"
                }
            )
    elif sharing != Transfer.Sharing.SHARE:
        raise TransferError({"sharing": "Select how to share out the cases"})
    else:
        receiving = None
    org = leaving.team.organisation if leaving.team_id else None
    transfer = Transfer.objects.create(
        reference=_reference(),
        kind=K.REALLOCATION,
        from_organisation=org,
        to_organisation=org,
        leaving_worker=leaving,
        sharing=sharing,
        receiving_worker=receiving,
        effective_on=effective_on,
        reason=reason,
        created_by=actor,
    )
    audit.record(
        actor,
        audit.Action.CREATE,
        obj=transfer,
        summary=f"Drafted reallocation {transfer.reference} of {leaving}'s cases",
        changes={"after": _describe(transfer)},
        reason=reason,
    )
    return transfer


def _describe(t: Transfer) -> dict:
    return {
        "reference": t.reference,
        "kind": t.kind,
        "from": t.from_organisation_id,
        "to": t.to_organisation_id,
        "agreement": t.agreement_id,
        "teams": sorted(t.teams.values_list("pk", flat=True)) if t.pk else [],
        "workers": sorted(t.workers.values_list("pk", flat=True)) if t.pk else [],
        "to_team": t.to_team_id,
        "leaving_worker": t.leaving_worker_id,
        "sharing": t.sharing,
        "receiving_worker": t.receiving_worker_id,
        "effective_on": t.effective_on.isoformat(),
    }


# --- the dry run ---------------------------------------------------------------------------


@dataclass
class Preview:
    """Everything the transfer would change, as plain data (kept on the transfer as JSON)."""

    teams: list[dict] = field(default_factory=list)
    workers: list[dict] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)
    duties: list[dict] = field(default_factory=list)
    drafts: list[dict] = field(default_factory=list)
    access: list[dict] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "teams": self.teams,
            "workers": self.workers,
            "cases": self.cases,
            "duties": self.duties,
            "drafts": self.drafts,
            "access": self.access,
            "blockers": self.blockers,
            "warnings": self.warnings,
        }

    @property
    def digest(self) -> str:
        return hashlib.sha256(
            json.dumps(self.as_json(), sort_keys=True, default=str).encode()
        ).hexdigest()

    @property
    def duty_count(self) -> int:
        return sum(d["open"] for d in self.duties)


def _name(w: Worker | None) -> str:
    return str(w) if w is not None else ""


def _org_names(ids: Iterable[int | None]) -> dict[int, str]:
    return dict(Organisation.objects.filter(pk__in={i for i in ids if i}).values_list("pk", "name"))


def preview(transfer: Transfer) -> Preview:
    """The dry run: what :func:`carry_out` would change, and what blocks it."""
    if transfer.kind == K.TEAMS:
        return _preview_teams(transfer)
    if transfer.kind == K.WORKERS:
        return _preview_workers(transfer)
    return _preview_reallocation(transfer)


def _preview_teams(t: Transfer) -> Preview:
    p = Preview()
    today = timezone.localdate()
    teams = list(t.teams.select_related("organisation").order_by("name"))
    team_ids = [team.pk for team in teams]
    to = t.to_organisation
    clashes = set(
        Team.objects.filter(organisation=to, name__in=[x.name for x in teams])
        .exclude(pk__in=team_ids)
        .values_list("name", flat=True)
    )
    hosting = selectors.hosting_on(today, team_ids)
    agreements = dict(Agreement.objects.values_list("pk", "reference"))
    for team in teams:
        now = hosting[team.pk]
        if team.organisation_id != t.from_organisation_id:
            p.blockers.append(
                f"{team.name} is managed by {team.organisation.name}, not "
                f"{t.from_organisation.name}"
            )
        if team.name in clashes:
            p.blockers.append(
                f"{to.name} already has a team called {team.name}: rename one of them first"
            )
        p.teams.append(
            {
                "team": team.pk,
                "name": team.name,
                "from": team.organisation.name,
                "to": to.name,
                "agreement_before": agreements.get(now.agreement_id, ""),
                "agreement_after": agreements.get(t.agreement_id, ""),
            }
        )
    if t.agreement_id is not None:
        agreement = t.agreement
        if agreement.partner_id != to.pk:
            p.blockers.append(f"The agreement {agreement.reference} is not with {to.name}")
        elif not agreement.term().in_force_on(t.effective_on):
            p.blockers.append(
                f"The agreement {agreement.reference} is not in force on {t.effective_on:%-d %B %Y}"
            )
    workers = list(
        Worker.objects.filter(team_id__in=team_ids, is_active=True).order_by(
            "team__name", "last_name", "first_name", "pk"
        )
    )
    employed = selectors.employment_on(today, [w.pk for w in workers])
    managers = selectors.team_managers(team_ids)
    orgs = _org_names([e.employed_by_id for e in employed.values()] + [to.pk])
    names = dict((w.pk, _name(w)) for w in Worker.objects.filter(pk__in=managers.values()))
    for w in workers:
        e = employed[w.pk]
        keeps = selectors.keeps_own_employer(w.role)
        after = e.employed_by_id if keeps else to.pk
        manager = managers.get(w.team_id)
        p.workers.append(
            {
                "worker": w.pk,
                "name": _name(w),
                "role": w.get_role_display(),
                "team": w.team.name,
                "employer_before": orgs.get(e.employed_by_id, ""),
                "employer_after": orgs.get(after, ""),
                "line_manager_before": names.get(e.line_manager_id, "")
                if e.line_manager_id
                else "",
                "line_manager_after": names.get(manager, "") if manager != w.pk else "",
                "note": "NHS colleague: stays with their NHS employer, co-located in the team"
                if keeps
                else "",
            }
        )
    allocations = Allocation.objects.filter(team_id__in=team_ids, ended_at__isnull=True)

    def after(a: Allocation) -> tuple[int, int | None]:
        if a.worker_id is None and t.waiting_cases_to_manager:
            return a.team_id, managers.get(a.team_id)
        return a.team_id, a.worker_id

    _cases(p, allocations, after)
    _duties(p, [c["person"] for c in p.cases])
    _drafts(
        p,
        Q(person_id__in=[c["person"] for c in p.cases])
        | Q(assessor_id__in=[w.pk for w in workers]),
        people=[c["person"] for c in p.cases],
        holders={w.pk for w in workers},
    )
    p.access = _access_rows(
        workers,
        lambda w: "Keeps access through the team: the team is the same, only its employer changes",
    )
    return p


def _preview_workers(t: Transfer) -> Preview:
    p = Preview()
    today = timezone.localdate()
    to_team = t.to_team
    workers = list(t.workers.select_related("team").order_by("last_name", "first_name", "pk"))
    if not to_team.is_active:
        p.blockers.append(f"{to_team.name} is closed")
    employed = selectors.employment_on(today, [w.pk for w in workers])
    host = selectors.hosting_on(t.effective_on, [to_team.pk])[to_team.pk].managed_by_id
    manager = selectors.team_managers([to_team.pk]).get(to_team.pk)
    orgs = _org_names([e.employed_by_id for e in employed.values()] + [host])
    names = dict(
        (x.pk, _name(x))
        for x in Worker.objects.filter(
            pk__in=[manager, *[e.line_manager_id for e in employed.values()]]
        )
    )
    for w in workers:
        if not w.is_active:
            p.blockers.append(f"{_name(w)} has left")
        if w.team_id == to_team.pk:
            p.blockers.append(f"{_name(w)} is already in {to_team.name}")
        e = employed[w.pk]
        after = e.employed_by_id if selectors.keeps_own_employer(w.role) else host
        p.workers.append(
            {
                "worker": w.pk,
                "name": _name(w),
                "role": w.get_role_display(),
                "team": f"{w.team.name if w.team_id else '(none)'} → {to_team.name}",
                "employer_before": orgs.get(e.employed_by_id, ""),
                "employer_after": orgs.get(after, ""),
                "line_manager_before": names.get(e.line_manager_id, ""),
                "line_manager_after": names.get(manager, "") if manager != w.pk else "",
                "note": "Their open cases move with them to the new team",
            }
        )
    worker_ids = [w.pk for w in workers]
    allocations = Allocation.objects.filter(worker_id__in=worker_ids, ended_at__isnull=True)
    _cases(p, allocations, lambda a: (to_team.pk, a.worker_id), to_team=to_team)
    _duties(p, [c["person"] for c in p.cases])
    _drafts(
        p,
        Q(assessor_id__in=worker_ids),
        people=[c["person"] for c in p.cases],
        holders=set(worker_ids),
    )
    old_team_people = Counter(
        Allocation.objects.filter(
            team_id__in={w.team_id for w in workers}, ended_at__isnull=True
        ).values_list("team_id", flat=True)
    )
    new_team_people = Allocation.objects.filter(team=to_team, ended_at__isnull=True).count()
    mine = Counter(allocations.values_list("worker_id", flat=True))

    def relationship(w: Worker) -> str:
        lose = old_team_people.get(w.team_id, 0) - mine.get(w.pk, 0)
        return (
            f"Loses team access to {lose} people held by {w.team.name if w.team_id else ''}"
            f" but not allocated to them; gains team access to {new_team_people} people "
            f"held by {to_team.name}; keeps their own {mine.get(w.pk, 0)} cases"
        )

    p.access = _access_rows(workers, relationship)
    return p


def _preview_reallocation(t: Transfer) -> Preview:
    p = Preview()
    leaving = t.leaving_worker
    allocations = list(
        Allocation.objects.filter(worker=leaving, ended_at__isnull=True)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "pk")
    )
    chosen = _share_out(t, allocations, p)
    receivers = {w.pk: w for w in Worker.objects.filter(pk__in=set(chosen.values()))}
    _cases(
        p,
        Allocation.objects.filter(pk__in=[a.pk for a in allocations]),
        lambda a: (
            receivers[chosen[a.person_id]].team_id if a.person_id in chosen else None,
            chosen.get(a.person_id),
        ),
    )
    _duties(p, [c["person"] for c in p.cases])
    _drafts(
        p,
        Q(assessor=leaving),
        people=[c["person"] for c in p.cases],
        holders={leaving.pk},
        new_owner=lambda person: chosen.get(person),
        receivers=receivers,
    )
    p.workers.append(
        {
            "worker": leaving.pk,
            "name": _name(leaving),
            "role": leaving.get_role_display(),
            "team": leaving.team.name if leaving.team_id else "",
            "employer_before": leaving.team.organisation.name if leaving.team_id else "",
            "employer_after": "",
            "line_manager_before": "",
            "line_manager_after": "",
            "note": f"Leaves on {t.effective_on:%-d %B %Y}: can no longer sign in",
        }
    )
    p.access = _access_rows([leaving], lambda w: "All access ends: the account is closed")
    return p


def _share_out(t: Transfer, allocations: list[Allocation], p: Preview) -> dict[int, int]:
    """person pk -> the worker who takes the case."""
    if not allocations:
        return {}
    if t.sharing == Transfer.Sharing.ONE_WORKER:
        r = t.receiving_worker
        if not r.is_active:
            p.blockers.append(f"{_name(r)} has left")
        if r.team_id is None:
            p.blockers.append(f"{_name(r)} is not in a team")
        return {a.person_id: r.pk for a in allocations}
    team_id = t.leaving_worker.team_id
    loads = dict(
        Worker.objects.filter(team_id=team_id, is_active=True, role__in=RECEIVING_ROLES)
        .exclude(pk=t.leaving_worker_id)
        .annotate(
            n=Count("allocations", filter=Q(allocations__ended_at__isnull=True)),
        )
        .values_list("pk", "n")
    )
    if not loads:
        p.blockers.append("No one else in the team can take the cases: choose one worker")
        return {}
    out = {}
    for a in allocations:
        pk = min(loads, key=lambda k: (loads[k], k))
        out[a.person_id] = pk
        loads[pk] += 1
    return out


def _cases(p: Preview, allocations, after, *, to_team: Team | None = None) -> None:
    rows = list(
        allocations.select_related("person", "team", "worker").order_by(
            "person__family_name", "person__given_name", "pk"
        )
    )
    new_ids = {after(a) for a in rows}
    teams = dict(Team.objects.filter(pk__in={t for t, _ in new_ids}).values_list("pk", "name"))
    workers = {
        w.pk: w for w in Worker.objects.filter(pk__in={w for _, w in new_ids if w is not None})
    }
    for a in rows:
        team_after, worker_after = after(a)
        w = workers.get(worker_after)
        row = {
            "person": a.person_id,
            "person_id": a.person.person_id,
            "name": a.person.full_name,
            "team_before": a.team.name,
            "worker_before": _name(a.worker),
            "team_after": teams.get(team_after, ""),
            "worker_after": _name(w),
            "team_after_id": team_after,
            "worker_after_id": worker_after,
        }
        p.cases.append(row)
        if w is None:
            p.blockers.append(
                f"{row['name']} ({row['person_id']}) has no named worker: allocate the case "
                "before the transfer"
            )
        elif not w.is_active:
            p.blockers.append(
                f"{row['name']} ({row['person_id']}) is held by {_name(w)}, who has left"
            )
        elif to_team is None and w.team_id != team_after:
            p.blockers.append(
                f"{row['name']} ({row['person_id']}) is held by {_name(w)}, who is not in "
                f"{row['team_after']}"
            )


def _duties(p: Preview, people: list[int]) -> None:
    counts = Counter(
        DutyState.objects.filter(person_id__in=people, state__in=OPEN_DUTY_STATES).values_list(
            "duty_id", flat=True
        )
    )
    p.duties = [{"duty": d, "open": n} for d, n in sorted(counts.items())]


def _drafts(
    p: Preview,
    assessment_q: Q,
    *,
    people: list[int],
    holders: set[int],
    new_owner=None,
    receivers=None,
) -> None:
    """Drafts and open work that must not be lost: draft assessments, draft or returned plans,
    Mental Health Act assessments held and safeguarding enquiries led by the workers."""
    for a in (
        Assessment.objects.filter(assessment_q, status=Assessment.Status.DRAFT)
        .select_related("person", "assessor")
        .order_by("pk")
    ):
        owner = a.assessor_id
        if new_owner is not None and a.assessor_id in holders:
            owner = new_owner(a.person_id)
            if owner is None:
                p.blockers.append(
                    f"The draft {a.get_kind_display().lower()} for {a.person.person_id} is not "
                    "on the leaver's caseload: give it to its case holder first"
                )
        p.drafts.append(
            {
                "kind": "assessment",
                "pk": a.pk,
                "person": a.person_id,
                "person_id": a.person.person_id,
                "what": f"Draft {a.get_kind_display().lower()}",
                "owner_before": _name(a.assessor),
                "owner_after_id": owner,
            }
        )
    for plan in (
        CarePlan.objects.filter(
            person_id__in=people, status__in=(CarePlan.Status.DRAFT, CarePlan.Status.RETURNED)
        )
        .select_related("person")
        .order_by("pk")
    ):
        p.drafts.append(
            {
                "kind": "care_plan",
                "pk": plan.pk,
                "person": plan.person_id,
                "person_id": plan.person.person_id,
                "what": f"Care and support plan ({plan.get_status_display().lower()})",
                "owner_before": "",
                "owner_after_id": None,
            }
        )
    for m in MHAAssessment.objects.filter(
        held_by_id__in=holders, status__in=(amhp.ALLOCATED, amhp.ASSESSED)
    ).select_related("person", "held_by"):
        if new_owner is not None:
            if m.status == amhp.ASSESSED:
                p.blockers.append(
                    f"{_name(m.held_by)} must complete the AMHP report for {m.person.person_id} "
                    "before leaving (only the AMHP who assessed can write it)"
                )
            what = "Mental Health Act assessment: back to the AMHP rota"
        else:
            what = "Mental Health Act assessment: stays with its AMHP"
        p.drafts.append(
            {
                "kind": "mha_assessment",
                "pk": m.pk,
                "person": m.person_id,
                "person_id": m.person.person_id,
                "what": what,
                "owner_before": _name(m.held_by),
                "owner_after_id": None if new_owner is not None else m.held_by_id,
            }
        )
    for e in Enquiry.objects.filter(
        lead_enquirer_id__in=holders, concluded_on__isnull=True
    ).select_related("person", "lead_enquirer"):
        owner = e.lead_enquirer_id
        if new_owner is not None:
            owner = new_owner(e.person_id)
            r = (receivers or {}).get(owner)
            if r is None or not can(r, Capability.SAFEGUARDING_ENQUIRY):
                p.blockers.append(
                    f"The safeguarding enquiry for {e.person.person_id} needs a new lead "
                    "enquirer: change it on the enquiry first"
                )
        p.drafts.append(
            {
                "kind": "enquiry",
                "pk": e.pk,
                "person": e.person_id,
                "person_id": e.person.person_id,
                "what": "Safeguarding enquiry (lead enquirer)",
                "owner_before": _name(e.lead_enquirer),
                "owner_after_id": owner,
            }
        )


def _access_rows(workers: list[Worker], relationship) -> list[dict]:
    """Each worker's access: how their relationship to people's records changes, and the
    break-glass grants open and restricted records they are named on (two queries)."""
    pks = [w.pk for w in workers]
    glass = Counter(
        BreakGlassAccess.objects.filter(
            worker_id__in=pks, expires_at__gt=timezone.now()
        ).values_list("worker_id", flat=True)
    )
    named = Counter(
        RestrictedAccess.objects.filter(worker_id__in=pks).values_list("worker_id", flat=True)
    )
    return [
        {
            "worker": w.pk,
            "name": _name(w),
            "relationship": relationship(w),
            "break_glass": glass.get(w.pk, 0),
            "restricted": named.get(w.pk, 0),
        }
        for w in workers
    ]


# --- confirming, carrying out, cancelling ------------------------------------------------------


def confirm(actor, transfer: Transfer, *, digest: str) -> Transfer:
    """Confirm the preview the manager saw (``digest``): carry it out now if its date is
    today, otherwise schedule it. A second confirmation changes nothing."""
    _require_manage(actor, transfer)
    with transaction.atomic():
        t = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if t.status != S.DRAFT:
            raise TransferError(
                f"Transfer {t.reference} is already {t.get_status_display().lower()}"
            )
        _check_date(t.effective_on)
        p = preview(t)
        if p.digest != digest:
            raise PreviewChanged(
                "The records changed since you looked at the preview: check the new preview "
                "and confirm again"
            )
        if p.blockers:
            raise TransferError(p.blockers[0])
        t.preview, t.preview_digest = p.as_json(), p.digest
        t.status, t.confirmed_by, t.confirmed_at = S.SCHEDULED, actor, timezone.now()
        t.save(
            update_fields=["preview", "preview_digest", "status", "confirmed_by", "confirmed_at"]
        )
        if t.kind == K.REALLOCATION:
            TransferCase.objects.bulk_create(
                TransferCase(transfer=t, person_id=c["person"], to_worker_id=c["worker_after_id"])
                for c in p.cases
            )
        audit.record(
            actor,
            audit.Action.UPDATE,
            obj=t,
            summary=f"Confirmed transfer {t.reference} for {t.effective_on:%-d %B %Y}: "
            f"{len(p.workers)} workers, {len(p.cases)} open cases, {p.duty_count} open duties, "
            f"{len(p.drafts)} drafts",
        )
    if t.effective_on <= timezone.localdate():
        return carry_out(actor, t)
    return t


def cancel(actor, transfer: Transfer, *, reason: str) -> Transfer:
    _require_manage(actor, transfer)
    reason = _check_reason(reason)
    with transaction.atomic():
        t = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if t.status not in (S.DRAFT, S.SCHEDULED):
            raise TransferError(
                f"Transfer {t.reference} is {t.get_status_display().lower()}: it cannot be "
                "cancelled"
            )
        if t.status == S.SCHEDULED and t.effective_on <= timezone.localdate():
            raise TransferError(
                f"Transfer {t.reference} takes effect today: it can no longer be cancelled"
            )
        t.status, t.cancelled_by, t.cancelled_at, t.cancel_reason = (
            S.CANCELLED,
            actor,
            timezone.now(),
            reason,
        )
        t.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
        audit.record(
            actor,
            audit.Action.UPDATE,
            obj=t,
            summary=f"Cancelled transfer {t.reference}",
            reason=reason,
        )
    return t


def carry_out(actor, transfer: Transfer) -> Transfer:
    """Make every change in one transaction and prove it with the reconciliation; on any
    failure nothing changes and the transfer is kept as failed, with the reason."""
    try:
        with transaction.atomic():
            t = Transfer.objects.select_for_update().get(pk=transfer.pk)
            if t.status != S.SCHEDULED:
                raise TransferError(
                    f"Transfer {t.reference} is {t.get_status_display().lower()}, not scheduled"
                )
            if t.effective_on > timezone.localdate():
                raise TransferError(f"Transfer {t.reference} takes effect on {t.effective_on}")
            p = preview(t)
            if p.blockers:
                raise TransferError("; ".join(p.blockers))
            before = _before(p)
            with duty_services.deferred() as changed:
                _apply(actor, t, p)
            duty_services.refresh_people(set(changed) | set(before.people))
            report = reconcile(t, p, before)
            if report["problems"]:
                raise ReconciliationFailed(report)
            t.status, t.carried_out_at, t.reconciliation = S.COMPLETED, timezone.now(), report
            t.save(update_fields=["status", "carried_out_at", "reconciliation"])
            audit.record(
                actor,
                audit.Action.UPDATE,
                obj=t,
                summary=f"Carried out transfer {t.reference}: reconciliation passed "
                f"({report['totals']['cases']} open cases, each with a named worker and team)",
            )
            return t
    except Exception as e:
        _record_failure(actor, transfer, e)
        raise


def _record_failure(actor, transfer: Transfer, e: Exception) -> None:
    message = e.messages[0] if isinstance(e, ValidationError) else str(e)
    report = e.report if isinstance(e, ReconciliationFailed) else None
    with transaction.atomic():
        t = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if t.status != S.SCHEDULED:
            return  # not ours to mark: someone else completed or cancelled it
        t.status, t.failure = S.FAILED, message[:2000]
        if report is not None:
            t.reconciliation = report
        t.save(update_fields=["status", "failure", "reconciliation"])
        audit.record(
            actor,
            audit.Action.UPDATE,
            obj=t,
            summary=f"Transfer {t.reference} failed and changed nothing: {message[:200]}",
        )


def run_due(actor=None, *, today: dt.date | None = None) -> list[Transfer]:
    """Carry out every scheduled transfer whose date has come (oldest first). A failure is
    kept on its transfer and the others still run."""
    today = today or timezone.localdate()
    done = []
    due = Transfer.objects.filter(status=S.SCHEDULED, effective_on__lte=today).order_by(
        "effective_on", "pk"
    )
    for t in list(due):
        try:
            done.append(carry_out(actor or t.confirmed_by, t))
        except Exception:
            t.refresh_from_db()
            done.append(t)
    return done


# --- the changes ----------------------------------------------------------------------------


def _moment(t: Transfer) -> dt.datetime:
    """When allocations change: now on the effective date (a late run: that day's start)."""
    if t.effective_on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(t.effective_on, dt.time.min))


def _apply(actor, t: Transfer, p: Preview) -> None:
    if t.kind == K.TEAMS:
        for row in p.teams:
            _move_team(actor, t, Team.objects.select_for_update().get(pk=row["team"]))
        for w in Worker.objects.filter(pk__in=[r["worker"] for r in p.workers]):
            _change_employment(actor, t, w, team=w.team)
        if t.waiting_cases_to_manager:
            _waiting_to_manager(actor, t, p)
    elif t.kind == K.WORKERS:
        for w in Worker.objects.filter(pk__in=[r["worker"] for r in p.workers]):
            _move_worker(actor, t, w)
    else:
        _reallocate(actor, t, p)


def _move_team(actor, t: Transfer, team: Team) -> None:
    before = selectors.hosting_on(t.effective_on, [team.pk])[team.pk]
    _close_hosting(team, t.effective_on, before)
    TeamHosting.objects.create(
        team=team,
        managed_by=t.to_organisation,
        agreement=t.agreement,
        starts_on=t.effective_on,
        transfer=t,
    )
    old = team.organisation
    team.organisation = t.to_organisation
    team.save(update_fields=["organisation"])
    audit.record(
        actor,
        audit.Action.UPDATE,
        obj=team,
        summary=f"{team.name}: managed by {t.to_organisation.name} from "
        f"{t.effective_on:%-d %B %Y} (was {old.name}), transfer {t.reference}",
        changes={
            "before": {"organisation": old.pk, "agreement": before.agreement_id},
            "after": {"organisation": t.to_organisation_id, "agreement": t.agreement_id},
        },
        reason=t.reason,
    )


def _close_hosting(team: Team, effective_on: dt.date, now: selectors.Hosting) -> None:
    """End the open hosting row the day before (writing it first if the team had no history:
    it was hosted by its organisation since its records began)."""
    last_day = rules.day_before(effective_on)
    open_row = (
        TeamHosting.objects.select_for_update().filter(team=team, ends_on__isnull=True).first()
    )
    if open_row is None:
        TeamHosting.objects.create(
            team=team,
            managed_by_id=now.managed_by_id,
            agreement_id=now.agreement_id,
            ends_on=last_day,
        )
        return
    if open_row.starts_on is not None and open_row.starts_on > last_day:
        raise TransferError(
            f"{team.name} already changed host on {open_row.starts_on}: a transfer cannot "
            "take effect on or before that day"
        )
    open_row.ends_on = last_day
    open_row.save(update_fields=["ends_on"])


def _change_employment(
    actor, t: Transfer, w: Worker, *, team: Team | None, ends: bool = False
) -> None:
    """Close the worker's employment the day before the effective date and (unless they
    leave) open the next: employer, team and line manager from that day."""
    last_day = rules.day_before(t.effective_on)
    before = selectors.employment_on(last_day, [w.pk])[w.pk]
    open_row = Employment.objects.select_for_update().filter(worker=w, ends_on__isnull=True).first()
    if open_row is None:
        Employment.objects.create(
            worker=w,
            team_id=before.team_id,
            employed_by_id=before.employed_by_id,
            line_manager_id=before.line_manager_id,
            agreement_id=before.agreement_id,
            ends_on=last_day,
        )
    else:
        if open_row.starts_on is not None and open_row.starts_on > last_day:
            raise TransferError(f"{_name(w)}'s employment already changes on {open_row.starts_on}")
        open_row.ends_on = last_day
        open_row.save(update_fields=["ends_on"])
    if ends:
        after = {"employed_by": None, "team": None, "line_manager": None}
    else:
        host = selectors.hosting_on(t.effective_on, [team.pk])[team.pk]
        employer = (
            before.employed_by_id if selectors.keeps_own_employer(w.role) else host.managed_by_id
        )
        manager = selectors.team_managers([team.pk]).get(team.pk)
        manager = manager if manager != w.pk else None
        Employment.objects.create(
            worker=w,
            team=team,
            employed_by_id=employer,
            line_manager_id=manager,
            agreement_id=host.agreement_id,
            starts_on=t.effective_on,
            transfer=t,
        )
        after = {"employed_by": employer, "team": team.pk, "line_manager": manager}
    audit.record(
        actor,
        audit.Action.UPDATE,
        obj=w,
        summary=f"{_name(w)}: employment from {t.effective_on:%-d %B %Y} under transfer "
        f"{t.reference}" + (" (leaves)" if ends else ""),
        changes={
            "before": {
                "employed_by": before.employed_by_id,
                "team": before.team_id,
                "line_manager": before.line_manager_id,
            },
            "after": after,
        },
        reason=t.reason,
    )


def _waiting_to_manager(actor, t: Transfer, p: Preview) -> None:
    """Cases held by a moving team with no named worker: to the team's manager on the day."""
    at = _moment(t)
    managers = {
        w.pk: w for w in Worker.objects.filter(pk__in={c["worker_after_id"] for c in p.cases})
    }
    planned = {c["person"]: c for c in p.cases}
    waiting = Allocation.objects.select_for_update().filter(
        team_id__in=[x["team"] for x in p.teams], ended_at__isnull=True, worker__isnull=True
    )
    for a in waiting.select_related("team"):
        manager = managers[planned[a.person_id]["worker_after_id"]]
        _reallocate_one(actor, t, a, team=a.team, worker=manager, at=at, reason="other")


def _move_worker(actor, t: Transfer, w: Worker) -> None:
    to_team = t.to_team
    at = _moment(t)
    for a in Allocation.objects.select_for_update().filter(worker=w, ended_at__isnull=True):
        _reallocate_one(actor, t, a, team=to_team, worker=w, at=at, reason="team_change")
    Assessment.objects.filter(assessor=w, status=Assessment.Status.DRAFT).update(team=to_team)
    _change_employment(actor, t, w, team=to_team)  # before the team changes: it reads it
    w.team = to_team
    w.save(update_fields=["team"])


def _reallocate(actor, t: Transfer, p: Preview) -> None:
    at = _moment(t)
    leaving = t.leaving_worker
    choices = {c.person_id: c.to_worker for c in t.cases.select_related("to_worker")}
    for a in Allocation.objects.select_for_update().filter(worker=leaving, ended_at__isnull=True):
        w = choices.get(a.person_id)
        if w is None:
            raise TransferError(f"No one was chosen to take the case of person {a.person_id}")
        _reallocate_one(actor, t, a, team=w.team, worker=w, at=at, reason="worker_left")
    owners = {d["pk"]: d["owner_after_id"] for d in p.drafts}
    for a in Assessment.objects.filter(assessor=leaving, status=Assessment.Status.DRAFT):
        new = Worker.objects.get(pk=owners[a.pk])
        a.assessor, a.team = new, new.team
        a.save(update_fields=["assessor", "team"])
        audit.record(
            actor,
            audit.Action.UPDATE,
            person=a.person,
            obj=a,
            summary=f"Draft assessment handed from {_name(leaving)} to {_name(new)} "
            f"(transfer {t.reference})",
        )
    for m in MHAAssessment.objects.filter(held_by=leaving, status=amhp.ALLOCATED):
        m.held_by, m.status = None, amhp.REQUESTED
        m.save(update_fields=["held_by", "status"])
        audit.record(
            actor,
            audit.Action.UPDATE,
            person=m.person,
            obj=m,
            summary=f"Mental Health Act assessment returned to the AMHP rota: {_name(leaving)} "
            f"leaves (transfer {t.reference})",
        )
    for e in Enquiry.objects.filter(lead_enquirer=leaving, concluded_on__isnull=True):
        new = Worker.objects.get(pk=owners[e.pk])
        e.lead_enquirer = new
        e.save(update_fields=["lead_enquirer"])
        audit.record(
            actor,
            audit.Action.UPDATE,
            person=e.person,
            obj=e,
            summary=f"Lead enquirer changed from {_name(leaving)} to {_name(new)} "
            f"(transfer {t.reference})",
        )
    _change_employment(actor, t, leaving, team=None, ends=True)
    leaving.is_active = False
    leaving.save(update_fields=["is_active"])


def _reallocate_one(actor, t: Transfer, a: Allocation, *, team, worker, at, reason: str) -> None:
    ended = max(at, a.started_at)
    a.ended_at = ended
    a.save(update_fields=["ended_at"])
    new = Allocation.objects.create(
        person_id=a.person_id,
        team=team,
        worker=worker,
        started_at=ended,
        reason=reason,
        note=f"Transfer {t.reference}",
        allocated_by=actor,
    )
    duty_services.mark(a.person_id)
    audit.record(
        actor,
        audit.Action.CREATE,
        person=a.person,
        obj=new,
        summary=f"Allocated to {_name(worker)} ({team}) by transfer {t.reference}",
        changes={
            "before": {"team": a.team_id, "worker": a.worker_id},
            "after": {"team": team.pk, "worker": worker.pk},
        },
        reason=t.reason,
    )


# --- the reconciliation --------------------------------------------------------------------


@dataclass
class Before:
    people: list[int]
    open_duties: set[tuple[str, int]]


def _before(p: Preview) -> Before:
    people = [c["person"] for c in p.cases]
    duties = set(
        DutyState.objects.filter(person_id__in=people, state__in=OPEN_DUTY_STATES).values_list(
            "duty_id", "person_id"
        )
    )
    return Before(people, duties)


def reconcile(t: Transfer, p: Preview, before: Before) -> dict:
    """Prove the transfer on day one: every open case has a named, active worker in the team
    that holds it, as planned; every open duty is still open and answered for by a team; every
    draft is still a draft its owner can open; every worker can still open their cases."""
    problems: list[str] = []
    people = before.people
    open_now = {
        a.person_id: a
        for a in Allocation.objects.filter(
            person_id__in=people, ended_at__isnull=True
        ).select_related("team", "worker", "person")
    }
    hosts = selectors.hosting_on(t.effective_on, {a.team_id for a in open_now.values()})
    orgs = _org_names(h.managed_by_id for h in hosts.values())
    planned = {c["person"]: c for c in p.cases}
    cases = []
    for pk in people:
        a = open_now.get(pk)
        ok = (
            a is not None
            and a.worker is not None
            and a.worker.is_active
            and a.worker.team_id == a.team_id
            and a.team_id == planned[pk]["team_after_id"]
            and a.worker_id == planned[pk]["worker_after_id"]
        )
        if not ok:
            problems.append(f"{planned[pk]['person_id']} is not held as planned")
        cases.append(
            {
                "person_id": planned[pk]["person_id"],
                "name": planned[pk]["name"],
                "team": a.team.name if a else "",
                "worker": _name(a.worker) if a else "",
                "organisation": orgs.get(hosts[a.team_id].managed_by_id, "") if a else "",
                "ok": ok,
            }
        )
    after_states = {
        (d, person): team
        for d, person, team in DutyState.objects.filter(person_id__in=people).values_list(
            "duty_id", "person_id", "team_id"
        )
    }
    still_open = set(
        DutyState.objects.filter(person_id__in=people, state__in=OPEN_DUTY_STATES).values_list(
            "duty_id", "person_id"
        )
    )
    lost = before.open_duties - still_open
    if lost:
        problems.append(f"{len(lost)} open duties were lost")
    unheld = [k for k in still_open if after_states.get(k) is None]
    if unheld:
        problems.append(f"{len(unheld)} open duties are answered for by no team")
    drafts = _check_drafts(p, problems)
    by_worker = defaultdict(list)
    for a in open_now.values():
        if a.worker is not None:
            by_worker[a.worker].append(a.person_id)
    for w, pks in by_worker.items():
        seen = visible_people(w).filter(pk__in=pks).count()
        if seen != len(pks):
            problems.append(f"{_name(w)} cannot open {len(pks) - seen} of their cases")
    return {
        "checked_at": timezone.now().isoformat(),
        "effective_on": t.effective_on.isoformat(),
        "problems": problems,
        "totals": {
            "cases": len(people),
            "cases_held": sum(1 for c in cases if c["ok"]),
            "open_duties_before": len(before.open_duties),
            "open_duties_after": len(still_open),
            "duties_lost": len(lost),
            "drafts": len(drafts),
            "drafts_kept": sum(1 for d in drafts if d["ok"]),
            "workers": len(p.workers),
        },
        "cases": cases,
        "drafts": drafts,
    }


def _check_drafts(p: Preview, problems: list[str]) -> list[dict]:
    out = []
    models = {
        "assessment": Assessment,
        "care_plan": CarePlan,
        "mha_assessment": MHAAssessment,
        "enquiry": Enquiry,
    }
    for d in p.drafts:
        obj = models[d["kind"]].objects.filter(pk=d["pk"]).first()
        ok = obj is not None
        owner = None
        if ok and d["kind"] == "assessment":
            ok = obj.status == Assessment.Status.DRAFT and obj.assessor_id == d["owner_after_id"]
            owner = obj.assessor
        elif ok and d["kind"] == "care_plan":
            ok = obj.is_editable
        elif ok and d["kind"] == "mha_assessment":
            ok = obj.held_by_id == d["owner_after_id"]
        elif ok and d["kind"] == "enquiry":
            ok = obj.concluded_on is None and obj.lead_enquirer_id == d["owner_after_id"]
            owner = obj.lead_enquirer
        if ok and owner is not None:
            ok = owner.is_active and visible_people(owner).filter(pk=d["person"]).exists()
        if not ok:
            problems.append(f"{d['what']} for {d['person_id']} was not kept")
        out.append({**{k: d[k] for k in ("person_id", "what", "owner_before")}, "ok": ok})
    return out
