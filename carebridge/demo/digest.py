"""A fingerprint of a seeded county, to show that a seed is deterministic.

Rows are read by natural keys (person IDs, event references, usernames, team and organisation
names) rather than primary keys, and values are rendered the same way on every database, so
the same ``(people, seed, until)`` gives the same digest on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable

from carebridge.assessments.models import Assessment, EligibilityDetermination
from carebridge.casework.models import Allocation, CaseNote, Event
from carebridge.core.models import RestrictedAccess
from carebridge.mentalhealth.models import LegalStatus, MHAAssessment
from carebridge.organisations.models import Organisation, Team, Worker
from carebridge.people.models import (
    AccommodationStatusRecord,
    CarerAssessmentOffer,
    CarerRelationship,
    EmploymentStatusRecord,
    Person,
    PersonAlert,
    PersonName,
    PersonNameKey,
)
from carebridge.planning.models import (
    CarePlan,
    DirectPaymentAgreement,
    PlanDecision,
    PlannedService,
    ResourceAllocationScheme,
    Review,
)

from . import partnerships, safeguarding


def _text(value) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dict | list):
        # JSON: PostgreSQL's jsonb does not keep key order, SQLite's text does.
        return json.dumps(value, sort_keys=True)
    return "" if value is None else str(value)


def _feed(h, label: str, rows: Iterable[tuple]) -> None:
    h.update(label.encode())
    for row in rows:
        h.update("\x1f".join(_text(v) for v in row).encode())
        h.update(b"\x1e")


def county_digest() -> str:
    """SHA-256 over every seeded table, in a stable order."""
    h = hashlib.sha256()
    p = "person__person_id"
    tables = [
        (
            "organisations",
            Organisation.objects.order_by(
                "kind", "name", "ods_code", "cqc_location_id"
            ).values_list(
                "kind", "name", "ons_code", "cassr_code", "ods_code", "cqc_location_id", "postcode"
            ),
        ),
        ("teams", Team.objects.order_by("name").values_list("name", "kind", "organisation__name")),
        (
            "workers",
            Worker.objects.order_by("username").values_list(
                "username",
                "first_name",
                "last_name",
                "role",
                "team__name",
                "is_staff",
                "is_superuser",
                "job_title",
                "professional_registration",
                "date_joined",
            ),
        ),
        (
            "people",
            Person.objects.order_by("person_id").values_list(
                "person_id",
                "nhs_number",
                "nhs_number_status",
                "title",
                "given_name",
                "family_name",
                "preferred_name",
                "date_of_birth",
                "date_of_death",
                "gender",
                "ethnicity",
                "address_line_1",
                "address_line_2",
                "town",
                "postcode",
                "phone",
                "email",
                "gp_practice__ods_code",
                "primary_support_reason",
                "communication_needs",
                "is_restricted",
                "created_at",
            ),
        ),
        (
            "names",
            PersonName.objects.order_by(p, "kind", "family_name", "given_name").values_list(
                p, "kind", "given_name", "family_name", "used_from", "used_until"
            ),
        ),
        (
            "name keys",
            PersonNameKey.objects.order_by(p, "part", "key").values_list(p, "part", "key"),
        ),
        (
            "accommodation",
            AccommodationStatusRecord.objects.order_by(p, "valid_from").values_list(
                p, "valid_from", "status"
            ),
        ),
        (
            "employment",
            EmploymentStatusRecord.objects.order_by(p, "valid_from").values_list(
                p, "valid_from", "status"
            ),
        ),
        (
            "carers",
            CarerRelationship.objects.order_by(
                "carer__person_id", "cared_for__person_id"
            ).values_list(
                "carer__person_id",
                "cared_for__person_id",
                "relationship",
                "lives_with_cared_for",
                "is_main_carer",
                "started_on",
                "ended_on",
            ),
        ),
        (
            "allocations",
            Allocation.objects.order_by(p, "started_at", "id").values_list(
                p, "team__name", "worker__username", "started_at", "ended_at", "reason"
            ),
        ),
        (
            "events",
            Event.objects.order_by("reference").values_list(
                "reference",
                p,
                "event_type",
                "client_type",
                "start_date",
                "end_date",
                "outcome",
                "follows__reference",
                "route_of_access",
                "request_source",
                "contact_method",
                "assessment_type",
                "method_of_assessment",
                "service_type",
                "service_component",
                "delivery_mechanism",
                "unit_cost",
                "cost_frequency",
                "planned_units_per_week",
                "provider__cqc_location_id",
                "review_reason",
                "method_of_review",
                "review_outcomes_achieved",
                "team__name",
                "worker__username",
            ),
        ),
        (
            "alerts",
            PersonAlert.objects.order_by(p, "starts_on", "id").values_list(
                p, "kind", "details", "starts_on", "ends_on", "raised_by__username"
            ),
        ),
        (
            "notes",
            CaseNote.objects.order_by(p, "occurred_at", "id").values_list(
                p, "kind", "occurred_at", "subject", "text", "author__username"
            ),
        ),
        (
            "restricted",
            RestrictedAccess.objects.order_by(p, "worker__username").values_list(
                p, "worker__username", "named_by__username"
            ),
        ),
    ]
    tables += _pathway_tables()
    tables.append(_carer_offers_table())
    tables += _mental_health_tables()
    tables.extend(safeguarding.digest_tables())
    tables.extend(partnerships.digest_tables())
    for label, rows in tables:
        _feed(h, label, rows.iterator(chunk_size=20_000))
    return h.hexdigest()


def _pathway_tables() -> list[tuple[str, Iterable[tuple]]]:
    """Assessments, determinations, plans and reviews, keyed by their CLD events where they have
    one, and plans by person and creation time."""
    p = "person__person_id"
    plan = ("plan__person__person_id", "plan__created_at")
    return [
        (
            "ras",
            ResourceAllocationScheme.objects.order_by("version").values_list(
                "version", "scheme", "effective_from", "note", "created_at", "created_by__username"
            ),
        ),
        (
            "assessments",
            Assessment.objects.order_by(p, "started_on", "event__reference", "id").values_list(
                p,
                "event__reference",
                "kind",
                "status",
                "cared_for__person_id",
                "request__reference",
                "previous__event__reference",
                "started_on",
                "completed_on",
                "assessor__username",
                "team__name",
                "method_of_assessment",
                "needs_arise_from_impairment_or_illness",
                "impairment_or_illness",
                "provides_necessary_care",
                "care_provided",
                "health_at_risk_of_deterioration",
                "carer_health",
                "carer_willing_and_able",
                "outcomes",
                "fluctuating_needs",
                "significant_impact_on_wellbeing",
                "wellbeing_impact",
                "what_matters",
                "strengths",
                "informal_support",
                "substantial_difficulty_being_involved",
                "appropriate_individual",
                "advocate_referred_on",
                "advocate",
                "version",
                "created_at",
                "updated_at",
                "updated_by__username",
            ),
        ),
        (
            "determinations",
            EligibilityDetermination.objects.order_by(
                p, "determined_on", "assessment__event__reference", "id"
            ).values_list(
                p,
                "assessment__event__reference",
                "kind",
                "eligible",
                "outcomes_unable",
                "reasons",
                "regulation",
                "determined_on",
                "determined_by__username",
                "prevention_advice",
                "next_steps",
                "created_at",
            ),
        ),
        (
            "plans",
            CarePlan.objects.order_by(p, "created_at", "id").values_list(
                p,
                "created_at",
                "assessment__event__reference",
                "supersedes__created_at",
                "status",
                "needs",
                "outcomes_wanted",
                "contingency_plan",
                "informal_support",
                "information_and_advice",
                "ras_version",
                "ras_points",
                "indicative_weekly",
                "person_contribution_weekly",
                "start_date",
                "end_date",
                "approved_on",
                "approved_by__username",
                "next_review_due",
                "next_review_kind",
                "version",
                "created_by__username",
                "updated_at",
                "updated_by__username",
            ),
        ),
        (
            "planned services",
            PlannedService.objects.order_by(*plan, "id").values_list(
                *plan,
                "description",
                "service_type",
                "service_component",
                "delivery_mechanism",
                "provider__cqc_location_id",
                "unit_cost",
                "cost_frequency",
                "planned_units_per_week",
                "event__reference",
            ),
        ),
        (
            "direct payments",
            DirectPaymentAgreement.objects.order_by(*plan).values_list(
                *plan,
                "weekly_amount",
                "start_date",
                "agreement_signed_on",
                "paid_to",
                "first_payment_on",
            ),
        ),
        (
            "plan decisions",
            PlanDecision.objects.order_by(*plan, "at", "id").values_list(
                *plan, "decision", "by__username", "at", "reasons"
            ),
        ),
        (
            "reviews",
            Review.objects.order_by(p, "completed_on", "event__reference", "id").values_list(
                p,
                "event__reference",
                *plan,
                "kind",
                "status",
                "requested_on",
                "requested_by",
                "request_reason",
                "review_reason",
                "method_of_review",
                "completed_on",
                "outcomes_achieved",
                "cld_outcomes_achieved",
                "direct_payment_working",
                "cld_outcome",
                "leads_to_reassessment",
                "reviewer__username",
            ),
        ),
    ]


def _carer_offers_table() -> tuple[str, Iterable[tuple]]:
    """Offers of a carer's assessment, by carer, date and the person cared for."""
    carer, cared_for = "carer__person_id", "relationship__cared_for__person_id"
    return (
        "carer assessment offers",
        CarerAssessmentOffer.objects.order_by(carer, "offered_on", cared_for, "id").values_list(
            carer,
            cared_for,
            "offered_on",
            "method",
            "offered_by__username",
            "details",
            "response",
            "responded_on",
            "declined_reason",
            "recorded_by__username",
            "recorded_at",
            "response_recorded_by__username",
            "response_recorded_at",
            "version",
        ),
    )


def _mental_health_tables() -> list[tuple[str, Iterable[tuple]]]:
    """Legal statuses by person and start; Mental Health Act assessments by reference."""
    p = "person__person_id"
    return [
        (
            "legal statuses",
            LegalStatus.objects.order_by(p, "started_at", "section").values_list(
                p,
                "section",
                "started_at",
                "ended_at",
                "end_reason",
                "left_hospital_on",
                "hospital__ods_code",
                "place",
                "follows__section",
                "follows__started_at",
                "notes",
                "version",
                "created_by__username",
            ),
        ),
        (
            "Mental Health Act assessments",
            MHAAssessment.objects.order_by("reference").values_list(
                "reference",
                p,
                *(
                    f.attname if not f.is_relation else f"{f.name}__username"
                    for f in MHAAssessment._meta.concrete_fields
                    if f.name not in ("id", "reference", "person", "hospital", "legal_status")
                ),
                "hospital__ods_code",
                "legal_status__section",
                "legal_status__started_at",
            ),
        ),
    ]
