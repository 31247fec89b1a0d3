"""A fingerprint of a seeded county, to show that a seed is deterministic.

Rows are read by natural keys (person IDs, event references, usernames, team and organisation
names) rather than primary keys, and values are rendered the same way on every database, so
the same ``(people, seed, until)`` gives the same digest on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from carebridge.casework.models import Allocation, CaseNote, Event
from carebridge.core.models import RestrictedAccess
from carebridge.organisations.models import Organisation, Team, Worker
from carebridge.people.models import (
    AccommodationStatusRecord,
    CarerRelationship,
    EmploymentStatusRecord,
    Person,
    PersonAlert,
    PersonName,
    PersonNameKey,
)


def _text(value) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
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
                "service_type",
                "service_component",
                "delivery_mechanism",
                "unit_cost",
                "cost_frequency",
                "planned_units_per_week",
                "provider__cqc_location_id",
                "review_reason",
                "method_of_review",
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
    for label, rows in tables:
        _feed(h, label, rows.iterator(chunk_size=20_000))
    return h.hexdigest()
