"""Helpers for access tests: put a worker in a given relationship with a person, and take a
fingerprint of everything a page could write, to prove a refused request wrote nothing."""

from __future__ import annotations

import pytest
from django.db import transaction

from carebridge.assessments.models import Assessment, EligibilityDetermination
from carebridge.casework.models import Allocation, CaseNote, Event
from carebridge.core.access import Role
from carebridge.core.models import (
    AuditEvent,
    BreakGlassAccess,
    RestrictedAccess,
    SubmissionReceipt,
)
from carebridge.duties.models import LocalStandard
from carebridge.finance.models import ChargeDecision, FinancialAssessment
from carebridge.mentalhealth.models import LegalStatus, MHAAssessment
from carebridge.partnerships.models import (
    Agreement,
    AgreementExtension,
    PerformanceCondition,
    TeamHosting,
)
from carebridge.people.models import (
    AccommodationStatusRecord,
    CarerAssessmentOffer,
    CarerRelationship,
    EmploymentStatusRecord,
    Person,
    PersonAlert,
    PersonName,
)
from carebridge.planning.models import (
    CarePlan,
    DirectPaymentAgreement,
    PlanDecision,
    PlannedService,
    ResourceAllocationScheme,
    Review,
)
from carebridge.returns.models import PerformanceFigures, ReturnReadiness
from carebridge.safeguarding.models import (
    Concern,
    ConcernRiskType,
    Enquiry,
    EnquiryAction,
    S42Decision,
    SafeguardingPlan,
    SafeguardingPlanReview,
    StrategyMeeting,
)
from tests.factories import AllocationFactory, PersonFactory

# The worker's relationship with the person whose page is opened.
ALLOCATED = "allocated"  # allocated to the worker (in their own team)
TEAM = "team"  # held by the worker's team, no named worker
NONE = "none"  # held by another team
RESTRICTED_NAMED = "restricted_named"  # restricted record naming the worker
RESTRICTED_UNNAMED = "restricted_unnamed"  # restricted record not naming the worker
RELATIONSHIPS = (ALLOCATED, TEAM, NONE, RESTRICTED_NAMED, RESTRICTED_UNNAMED)


def person_in_relationship(county, worker, relationship: str) -> Person:
    """A person with whom ``worker`` (a team A worker, or None for anonymous) has the
    given relationship."""
    if relationship == ALLOCATED:
        person = PersonFactory(given_name="Alice", family_name="Mine")
        AllocationFactory(person=person, team=worker.team, worker=worker)
        return person
    if relationship == TEAM:
        return county.person_a_team
    if relationship == NONE:
        return county.person_b
    if relationship == RESTRICTED_NAMED:
        if worker is not None and worker.role != Role.AMHP:
            RestrictedAccess.objects.create(person=county.restricted, worker=worker)
        return county.restricted
    if relationship == RESTRICTED_UNNAMED:
        if worker is None or worker.role != Role.AMHP:
            return county.restricted
        person = PersonFactory(given_name="Ursula", family_name="Unnamed", is_restricted=True)
        AllocationFactory(person=person, team=county.team_a, worker=None)
        RestrictedAccess.objects.create(person=person, worker=county.worker_b)
        return person
    raise ValueError(relationship)


WRITABLE = (
    Person,
    PersonName,
    Allocation,
    CaseNote,
    Event,
    BreakGlassAccess,
    RestrictedAccess,
    AccommodationStatusRecord,
    EmploymentStatusRecord,
    CarerRelationship,
    CarerAssessmentOffer,
    PersonAlert,
    SubmissionReceipt,
    CarePlan,
    PlannedService,
    DirectPaymentAgreement,
    PlanDecision,
    Review,
    ResourceAllocationScheme,
    Assessment,
    EligibilityDetermination,
    FinancialAssessment,
    ChargeDecision,
    LocalStandard,
    PerformanceFigures,
    ReturnReadiness,
    MHAAssessment,
    LegalStatus,
    Concern,
    ConcernRiskType,
    S42Decision,
    Enquiry,
    EnquiryAction,
    StrategyMeeting,
    SafeguardingPlan,
    SafeguardingPlanReview,
    Agreement,
    AgreementExtension,
    PerformanceCondition,
    TeamHosting,
)


def data_fingerprint() -> dict:
    """Row counts of every table a page can write (except the audit log), plus each person's
    version, so an unchanged fingerprint means nothing was written."""
    counts = {m.__name__: m.objects.count() for m in WRITABLE}
    counts["person_versions"] = tuple(
        Person.objects.order_by("pk").values_list("version", flat=True)
    )
    counts["assessment_versions"] = tuple(
        Assessment.objects.order_by("pk").values_list("pk", "version", "status")
    )
    counts["plan_versions"] = tuple(
        CarePlan.objects.order_by("pk").values_list("pk", "version", "status")
    )
    counts["financial_assessment_versions"] = tuple(
        FinancialAssessment.objects.order_by("pk").values_list("pk", "version", "status")
    )
    counts["carer_offers"] = tuple(
        CarerAssessmentOffer.objects.order_by("pk").values_list("pk", "version", "response")
    )
    counts["charges"] = tuple(
        ChargeDecision.objects.order_by("pk").values_list("pk", "weekly_amount", "valid_to")
    )
    counts["performance_figures"] = tuple(
        PerformanceFigures.objects.order_by("pk").values_list("pk", "computed_at")
    )
    counts["mha_assessments"] = tuple(
        MHAAssessment.objects.order_by("pk").values_list("pk", "version", "status", "held_by_id")
    )
    counts["legal_statuses"] = tuple(
        LegalStatus.objects.order_by("pk").values_list("pk", "version", "ended_at")
    )
    counts["enquiries"] = tuple(
        Enquiry.objects.order_by("pk").values_list("pk", "version", "concluded_on")
    )
    counts["safeguarding_plans"] = tuple(
        SafeguardingPlan.objects.order_by("pk").values_list("pk", "version", "closed_on")
    )
    counts["agreements"] = tuple(
        Agreement.objects.order_by("pk").values_list("pk", "version", "terminated_on")
    )
    counts["open_allocations"] = tuple(
        Allocation.objects.filter(ended_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "team_id", "worker_id")
    )
    return counts


def last_audit_id() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def audit_since(mark: int):
    return AuditEvent.objects.filter(pk__gt=mark).order_by("pk")


@pytest.fixture
def fingerprint():
    return data_fingerprint


@pytest.fixture(scope="module")
def shared_county(django_db_setup, django_db_blocker):
    """The shared ``county`` (tests/conftest.py), built once per module inside a transaction
    that is rolled back after the module. Each test still runs in its own savepoint inside it
    (pytest-django's ``db``), so tests stay isolated; only the Python objects are shared, so a
    test using this must not change them (re-read from the database instead)."""
    from tests.conftest import county as county_fixture

    build = county_fixture._get_wrapped_function()
    with django_db_blocker.unblock(), transaction.atomic():
        yield build(None)
        transaction.set_rollback(True)


from tests.core.fast_client import client, make_client, shared_client_handler  # noqa: E402, F401
