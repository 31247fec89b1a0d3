"""Whether a worker may see a particular person: their legitimate relationship.

* A worker sees the people allocated to them or to their team (team managers: their team).
* A finance officer in a financial assessment team sees the people the council charges or may
  charge for care: those with a care and support plan awaiting approval or approved, or with a
  financial assessment (see :func:`_finance_q`). Their cases are held by practitioners' teams,
  so without this their only way in would be breaking glass.
* An AMHP sees the people whose Mental Health Act assessment they hold, while it is open and
  for ``AMHP_ACCESS_AFTER_REPORT`` after their report; the AMHP service's own workers (AMHPs
  and its managers, in a team of kind ``amhp``) see everyone with an open Mental Health Act
  assessment, so the duty AMHP can read a request before taking it (see :func:`_amhp_q`). The
  person is often not known to their team: without this, every assessment would start by
  breaking glass (ADR 0021).
* A safeguarding lead or team manager in a safeguarding adults team sees the people with a
  safeguarding concern open, or closed in the last year (:func:`_safeguarding_q`): the
  council's s42 decisions and enquiries are theirs, whoever holds the case. A lead enquirer
  sees the person whose enquiry they lead while it is open.
* Anyone else whose role allows it must break glass with a typed reason; that access lasts
  ``BREAK_GLASS_HOURS``, is audited, and is shown to the person's team manager.
* A restricted record is seen, and found in search, only by the workers named on it.

Every read of a person's data goes through :func:`person_access` (one record) or
:func:`visible_people` / :func:`searchable_people` (querysets), so an unscoped query cannot
reach a page.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from carebridge.core.access import Capability, can
from carebridge.core.models import BreakGlassAccess, RestrictedAccess
from carebridge.people.models import Person

from .models import Allocation


class Basis(enum.StrEnum):
    ALLOCATED = "allocated to you"
    TEAM = "allocated to your team"
    FINANCE = "financial assessment and charging"
    AMHP = "Mental Health Act assessment"
    SAFEGUARDING = "safeguarding concern or enquiry"
    NAMED = "named on a restricted record"
    BREAK_GLASS = "break-glass access"
    NONE = "no relationship"


@dataclass(frozen=True, slots=True)
class Access:
    allowed: bool
    basis: Basis
    can_break_glass: bool = False
    exists_for_worker: bool = True  # False: behave as if the record does not exist (restricted)
    break_glass_expires_at: object = None


def _open_allocations():
    return Allocation.objects.filter(person=OuterRef("pk"), ended_at__isnull=True)


def _relationship_q(worker) -> Q:
    allocated = Exists(_open_allocations().filter(worker=worker))
    q = Q(allocated)
    if worker.team_id:
        q |= Q(Exists(_open_allocations().filter(team_id=worker.team_id)))
    glass = BreakGlassAccess.objects.filter(
        person=OuterRef("pk"), worker=worker, expires_at__gt=timezone.now()
    )
    q |= Q(Exists(glass))
    if _in_finance_team(worker):
        q |= _finance_q()
    amhp = _amhp_q(worker)
    if amhp is not None:
        q |= amhp
    if can(worker, Capability.SAFEGUARDING_ENQUIRY):
        q |= _safeguarding_q(worker)
    return q


FINANCE_TEAM_KIND = "finance"
# Plans that the council charges, or may soon charge, for (a draft is not yet anyone's budget).
_CHARGEABLE_PLAN_STATUSES = ("submitted", "approved")


def _in_finance_team(worker) -> bool:
    if not (can(worker, Capability.EDIT_FINANCIAL) and worker.team_id):
        return False
    team_model = apps.get_model("organisations", "Team")
    return team_model.objects.filter(
        pk=worker.team_id, kind=FINANCE_TEAM_KIND, is_active=True
    ).exists()


def _finance_q() -> Q:
    """People with a plan awaiting approval or approved, or with a financial assessment."""
    plans = apps.get_model("planning", "CarePlan").objects.filter(
        person=OuterRef("pk"), status__in=_CHARGEABLE_PLAN_STATUSES
    )
    assessments = apps.get_model("finance", "FinancialAssessment").objects.filter(
        person=OuterRef("pk")
    )
    return Q(Exists(plans)) | Q(Exists(assessments))


AMHP_TEAM_KIND = "amhp"
# How long the AMHP who held an assessment keeps their access after completing the report: to
# give the hospital its copy and answer questions about it [local choice, not statutory].
AMHP_ACCESS_AFTER_REPORT = dt.timedelta(days=28)


def _amhp_q(worker) -> Q | None:
    """People whose Mental Health Act assessment the worker holds (open, or reported on
    recently), and, for the AMHP service's own workers, everyone with an open one."""
    if not can(worker, Capability.VIEW_AMHP_ROTA):
        return None
    assessments = apps.get_model("mentalhealth", "MHAAssessment").objects.filter(
        person=OuterRef("pk")
    )
    recent = Q(report_completed_at__isnull=True) | Q(
        report_completed_at__gte=timezone.now() - AMHP_ACCESS_AFTER_REPORT
    )
    q = Q(Exists(assessments.filter(recent, held_by=worker)))
    team = getattr(worker, "team", None) if worker.team_id else None
    if team is not None and team.kind == AMHP_TEAM_KIND and team.is_active:
        q |= Q(Exists(assessments.filter(report_completed_at__isnull=True)))
    return q


SAFEGUARDING_TEAM_KIND = "safeguarding"
# How long a safeguarding team keeps its relationship with a person after the concern closed:
# long enough to answer a new concern, a complaint or a Safeguarding Adults Review question.
SAFEGUARDING_DAYS_AFTER_CLOSE = 365


def _in_safeguarding_team(worker) -> bool:
    """A safeguarding decider in an active safeguarding adults team. The worker's team is
    loaded with them (``WorkerManager``), so this reads no more rows."""
    if not (can(worker, Capability.DECIDE_SAFEGUARDING) and worker.team_id):
        return False
    team = worker.team
    return team.kind == SAFEGUARDING_TEAM_KIND and team.is_active


def _safeguarding_q(worker) -> Q:
    """People with a concern open or closed within the year (a safeguarding team's decider),
    and people whose open enquiry the worker leads."""
    enquiries = apps.get_model("safeguarding", "Enquiry").objects.filter(
        person=OuterRef("pk"), lead_enquirer=worker, concluded_on__isnull=True
    )
    q = Q(Exists(enquiries))
    if _in_safeguarding_team(worker):
        since = timezone.localdate() - dt.timedelta(days=SAFEGUARDING_DAYS_AFTER_CLOSE)
        concerns = apps.get_model("safeguarding", "Concern").objects.filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=since), person=OuterRef("pk")
        )
        q |= Q(Exists(concerns))
    return q


def _named_q(worker) -> Q:
    return Q(Exists(RestrictedAccess.objects.filter(person=OuterRef("pk"), worker=worker)))


def visible_people(worker) -> QuerySet[Person]:
    """People whose record this worker may open now."""
    if not can(worker, Capability.VIEW_PERSON):
        return Person.objects.none()
    return Person.objects.filter(
        (Q(is_restricted=False) & _relationship_q(worker))
        | (Q(is_restricted=True) & _named_q(worker))
    )


def searchable_people(worker) -> QuerySet[Person]:
    """People this worker may find in search: everyone except restricted records they are not
    named on. Finding someone is not opening their record (see :func:`person_access`)."""
    if not can(worker, Capability.SEARCH_PEOPLE):
        return Person.objects.none()
    return Person.objects.filter(Q(is_restricted=False) | _named_q(worker))


def person_access(worker, person: Person) -> Access:
    if person.is_restricted:
        named = RestrictedAccess.objects.filter(person=person, worker=worker).exists()
        if named and can(worker, Capability.VIEW_PERSON):
            return Access(True, Basis.NAMED)
        return Access(False, Basis.NONE, exists_for_worker=named)
    if not can(worker, Capability.VIEW_PERSON):
        return Access(False, Basis.NONE)
    current = (
        Allocation.objects.filter(person=person, ended_at__isnull=True)
        .values("worker_id", "team_id")
        .first()
    )
    if current and current["worker_id"] == worker.pk:
        return Access(True, Basis.ALLOCATED)
    if current and worker.team_id and current["team_id"] == worker.team_id:
        return Access(True, Basis.TEAM)
    if _in_finance_team(worker) and Person.objects.filter(_finance_q(), pk=person.pk).exists():
        return Access(True, Basis.FINANCE)
    amhp = _amhp_q(worker)
    if amhp is not None and Person.objects.filter(amhp, pk=person.pk).exists():
        return Access(True, Basis.AMHP)
    if can(worker, Capability.SAFEGUARDING_ENQUIRY) and (
        Person.objects.filter(_safeguarding_q(worker), pk=person.pk).exists()
    ):
        return Access(True, Basis.SAFEGUARDING)
    glass = (
        BreakGlassAccess.objects.filter(person=person, worker=worker, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .values_list("expires_at", flat=True)
        .first()
    )
    if glass:
        return Access(True, Basis.BREAK_GLASS, break_glass_expires_at=glass)
    return Access(False, Basis.NONE, can_break_glass=can(worker, Capability.BREAK_GLASS))


def manages_team_of(worker, person: Person) -> bool:
    """A team manager whose team holds the person's case now."""
    if worker.role != "team_manager" or not worker.team_id:
        return False
    return Allocation.objects.filter(
        person=person, ended_at__isnull=True, team_id=worker.team_id
    ).exists()


def may_view_audit(worker, person: Person) -> bool:
    if can(worker, Capability.VIEW_ALL_AUDIT):
        return True
    return can(worker, Capability.VIEW_AUDIT) and manages_team_of(worker, person)
