"""Care and support plans (Care Act 2014 s24-25), personal budgets (s26), direct payments
(s31-33) and reviews (s27).

A plan meets the eligible needs of one completed assessment. It is drafted, submitted to a team
manager, and approved or returned with reasons (:class:`PlanDecision` keeps every step). On
approval each planned service becomes a CLD ``Service`` event and the review schedule starts
(:mod:`carebridge.rules.reviews`); ``next_review_due`` holds the earliest review owed so that
caseloads can sort and filter on it in SQL.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from carebridge.rules import cld
from carebridge.rules.money import money
from carebridge.rules.ras import WEEKS_PER_YEAR

# How each need is met (s24(1), s25(1)(e)); the keys are stored.
MEANS_OF_MEETING_NEEDS = [
    ("commissioned_services", "Services the council arranges"),
    ("direct_payment", "Direct payment"),
    ("informal_support", "Family, friends and other informal support"),
    ("community_resources", "Community groups and universal services"),
    ("technology_enabled_care", "Technology-enabled care"),
]

# Units per week multiply the unit cost for these frequencies; the others are weekly
# equivalents of a longer period.
WEEKLY_FACTOR: dict[str, Decimal] = {
    "Per session": Decimal(1),
    "Hourly": Decimal(1),
    "Daily": Decimal(1),
    "Weekly": Decimal(1),
    "Fortnightly": Decimal(1) / Decimal(2),
    "4-weekly": Decimal(1) / Decimal(4),
    "Monthly": Decimal(12) / Decimal(WEEKS_PER_YEAR),
    "Quarterly": Decimal(4) / Decimal(WEEKS_PER_YEAR),
    "Annually": Decimal(1) / Decimal(WEEKS_PER_YEAR),
}


class ResourceAllocationScheme(models.Model):
    """A version of the council's resource allocation system (points per need -> pounds).
    Versions are never edited: an administrator saves a new one, and each plan records the
    version that priced it."""

    version = models.PositiveIntegerField(unique=True)
    scheme = models.JSONField(help_text="carebridge.rules.ras.scheme_to_dict()")
    effective_from = models.DateField()
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"RAS version {self.version} from {self.effective_from}"


class CarePlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Awaiting approval"
        RETURNED = "returned", "Returned for changes"
        APPROVED = "approved", "Approved"
        ENDED = "ended", "Ended"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="plans")
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.PROTECT, related_name="plans"
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text="The plan this revises (after a review or reassessment).",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # {outcome: {"how_met": "...", "means": [key, ...]}} for each eligible need.
    needs = models.JSONField(default=dict, blank=True)
    outcomes_wanted = models.TextField(blank=True)
    contingency_plan = models.TextField(blank=True)
    informal_support = models.TextField(blank=True)
    information_and_advice = models.TextField(blank=True)
    # Personal budget (s26): indicative from the RAS, final = sum of costed services.
    ras_version = models.PositiveIntegerField(null=True, blank=True)
    ras_points = models.PositiveIntegerField(null=True, blank=True)
    indicative_weekly = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    person_contribution_weekly = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="From the financial assessment; empty until one is done.",
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    next_review_due = models.DateField(null=True, blank=True, db_index=True)
    next_review_kind = models.CharField(max_length=40, blank=True)

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="approved"),
                name="one_approved_plan_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Care and support plan for {self.person_id} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}


class PlannedService(models.Model):
    """A costed service in a plan; on approval it becomes a CLD Service event."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="services")
    description = models.CharField(max_length=200)
    service_type = models.CharField(max_length=80, choices=cld.choices(cld.SERVICE_TYPE))
    service_component = models.CharField(max_length=80, choices=cld.choices(cld.SERVICE_COMPONENT))
    delivery_mechanism = models.CharField(
        max_length=40, choices=cld.choices(cld.DELIVERY_MECHANISM)
    )
    provider = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "provider"},
    )
    unit_cost = models.DecimalField(max_digits=10, decimal_places=2)
    cost_frequency = models.CharField(max_length=30, choices=cld.choices(cld.COST_FREQUENCY))
    planned_units_per_week = models.DecimalField(max_digits=8, decimal_places=2)
    s117_aftercare = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Provided as aftercare under s117 of the Mental Health Act 1983: never "
        "charged for (see carebridge.finance).",
    )
    event = models.OneToOneField(
        "casework.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit_cost__gte=0), name="service_unit_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(planned_units_per_week__gte=0),
                name="service_units_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def weekly_cost(self) -> Decimal:
        factor = WEEKLY_FACTOR.get(self.cost_frequency, Decimal(0))
        return (self.unit_cost * self.planned_units_per_week * factor).quantize(Decimal("0.01"))

    @property
    def is_direct_payment(self) -> bool:
        return self.delivery_mechanism == "Direct payment"


class DirectPaymentAgreement(models.Model):
    """A direct payment (s31-33): the agreement, amount and dates. Reviewed within six months
    of the first payment, then at least every twelve (Care and Support (Direct Payments)
    Regulations 2014, reg 7)."""

    class PaidTo(models.TextChoices):
        PERSON = "person", "The person"
        AUTHORISED_PERSON = "authorised_person", "An authorised person (s32, lacks capacity)"
        NOMINATED_PERSON = "nominated_person", "A nominated person"

    plan = models.OneToOneField(CarePlan, on_delete=models.CASCADE, related_name="direct_payment")
    weekly_amount = models.DecimalField(max_digits=10, decimal_places=2)
    start_date = models.DateField()
    agreement_signed_on = models.DateField(null=True, blank=True)
    paid_to = models.CharField(max_length=20, choices=PaidTo.choices, default=PaidTo.PERSON)
    first_payment_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Direct payment {money(self.weekly_amount)}/week from {self.start_date}"


class PlanDecision(models.Model):
    """Each step of a plan's approval: submitted, approved or returned (with reasons)."""

    class Decision(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for approval"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned for changes"

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.by} at {self.at:%Y-%m-%d %H:%M}"


class Review(models.Model):
    """A review of a care and support plan (s27): planned, of a direct payment, or unplanned
    (on request). Records what the person achieved and the CLD review outcome; may lead to a
    reassessment and a revised plan."""

    class Kind(models.TextChoices):
        FIRST = "first_review", "First review (6 to 8 weeks)"
        ANNUAL = "annual_review", "Planned review (at least every 12 months)"
        DP_FIRST = "direct_payment_first_review", "Direct payment review (within 6 months)"
        DP = "direct_payment_review", "Direct payment review (at least every 12 months)"
        UNPLANNED = "unplanned_review", "Unplanned review (on request)"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        COMPLETED = "completed", "Completed"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="reviews")
    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    requested_on = models.DateField(null=True, blank=True)
    requested_by = models.CharField(max_length=200, blank=True)
    request_reason = models.TextField(blank=True)
    review_reason = models.CharField(
        max_length=80, choices=cld.choices(cld.REVIEW_REASON), blank=True
    )
    method_of_review = models.CharField(
        max_length=40, choices=cld.choices(cld.METHOD_OF_REVIEW), blank=True
    )
    completed_on = models.DateField(null=True, blank=True)
    outcomes_achieved = models.TextField(blank=True)
    # CLD Review_Outcomes_Achieved: how far the outcomes were met (mandatory on planned reviews).
    cld_outcomes_achieved = models.CharField(
        "Outcomes achieved (CLD)",
        max_length=40,
        choices=cld.choices(cld.REVIEW_OUTCOMES_ACHIEVED),
        blank=True,
    )
    direct_payment_working = models.TextField(blank=True)
    cld_outcome = models.CharField(
        max_length=80, choices=cld.choices(cld.EVENT_OUTCOME), blank=True
    )
    leads_to_reassessment = models.BooleanField(default=False)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    event = models.OneToOneField(
        "casework.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "-requested_on", "-id"]
        indexes = [
            models.Index(fields=["plan", "status"]),
            # A plan's first completed review (the first-review duty), read in order.
            models.Index(fields=["plan", "completed_on", "id"], name="review_plan_completed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"
