"""The Wessex s75 partnership agreement for the synthetic county (NHS Act 2006 s75).

Wessex County Council delegates its adult mental health social care functions to Wessex
Partnership NHS Foundation Trust, which hosts the four community mental health teams (county.py:
the trust-hosted teams). Starts 1 April 2019 for five years, extended in November 2023 to
31 March 2027; a management fee and a pooled budget with each party's contribution (synthetic
figures, of the order a county's mental health s75 pool runs at [est]); three performance
conditions; and a hosting row under the agreement from its start for each trust-hosted team.

A handful of rows, written with the ORM inside the seed's transaction; nothing random, so the
same ``until`` gives the same rows. :func:`digest_tables` adds them to the county's digest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from carebridge.core.access import Role
from carebridge.organisations.models import Worker
from carebridge.partnerships.models import (
    Agreement,
    AgreementExtension,
    PerformanceCondition,
    TeamHosting,
)

from .county import TEAMS, County

REFERENCE = "WCC-WPT-S75-2019"
STARTS_ON = dt.date(2019, 4, 1)
ENDS_ON = dt.date(2024, 3, 31)
EXTENDED_TO = dt.date(2027, 3, 31)
EXTENSION_AGREED_ON = dt.date(2023, 11, 15)
FUNCTIONS = [
    "assessment",
    "eligibility",
    "care_planning",
    "reviews",
    "safeguarding",
    "s117",
    "direct_payments",
]
# Synthetic money [est]: a management fee for hosting the teams, and a pooled budget for the
# care packages of the people the CMHTs support, mostly from the council.
MANAGEMENT_FEE = Decimal("185000.00")
POOLED_BUDGET = Decimal("6400000.00")
COUNCIL_CONTRIBUTION = Decimal("4950000.00")
PARTNER_CONTRIBUTION = Decimal("1450000.00")
CONDITIONS = (
    ("annual-review", Decimal(85), "Reviews at least every 12 months: 85% or more on time"),
    ("days_request_to_assessment", Decimal(28), "Assessment within 28 days of a request"),
    ("handoffs_per_person", Decimal(1), "No more than one hand-off between workers a person"),
)


def seed(county: County, until: dt.date) -> dict[str, int]:
    """Write the agreement (when ``until`` is on or after its start); return the counts."""
    if until < STARTS_ON:
        return {}
    admin = (
        Worker.objects.filter(role=Role.SYSTEM_ADMINISTRATOR)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    agreement = Agreement.objects.create(
        reference=REFERENCE,
        title="Adult mental health social care: section 75 partnership agreement",
        council_id=county.council_id,
        partner_id=county.trust_id,
        functions=FUNCTIONS,
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        management_fee=MANAGEMENT_FEE,
        pooled_budget=POOLED_BUDGET,
        council_contribution=COUNCIL_CONTRIBUTION,
        partner_contribution=PARTNER_CONTRIBUTION,
        notes="The trust hosts the four community mental health teams; council social workers "
        "are seconded to it. Synthetic figures.",
        created_by_id=admin,
    )
    extensions = 0
    if admin is not None and until >= EXTENSION_AGREED_ON:
        AgreementExtension.objects.create(
            agreement=agreement,
            new_ends_on=EXTENDED_TO,
            agreed_on=EXTENSION_AGREED_ON,
            note="Extended by the Health and Wellbeing Board while the council reviews the model",
            recorded_by_id=admin,
        )
        extensions = 1
    PerformanceCondition.objects.bulk_create(
        PerformanceCondition(agreement=agreement, measure=m, target=t, description=d)
        for m, t, d in CONDITIONS
    )
    hosted = [county.team_ids[spec.key] for spec in TEAMS if spec.host == "trust"]
    TeamHosting.objects.bulk_create(
        TeamHosting(
            team_id=team, managed_by_id=county.trust_id, agreement=agreement, starts_on=STARTS_ON
        )
        for team in hosted
    )
    return {
        "partnership agreements": 1,
        "agreement extensions": extensions,
        "performance conditions": len(CONDITIONS),
        "team hosting periods": len(hosted),
    }


def digest_tables() -> Iterable[tuple[str, Iterable[tuple]]]:
    """The partnership tables for the county's digest, by natural keys."""
    yield (
        "partnership agreements",
        Agreement.objects.order_by("reference").values_list(
            "reference", "title", "council__name", "partner__name", "functions", "starts_on",
            "ends_on", "terminated_on", "management_fee", "pooled_budget",
            "council_contribution", "partner_contribution", "created_by__username",
        ),
    )  # fmt: skip
    yield (
        "agreement extensions",
        AgreementExtension.objects.order_by("agreement__reference", "new_ends_on").values_list(
            "agreement__reference", "new_ends_on", "agreed_on", "note", "recorded_by__username"
        ),
    )
    yield (
        "performance conditions",
        PerformanceCondition.objects.order_by("agreement__reference", "measure").values_list(
            "agreement__reference", "measure", "target", "description"
        ),
    )
    yield (
        "team hosting",
        TeamHosting.objects.order_by("team__name", "starts_on").values_list(
            "team__name", "managed_by__name", "agreement__reference", "starts_on", "ends_on"
        ),
    )
