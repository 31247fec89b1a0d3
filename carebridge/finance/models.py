"""Financial assessments (Care Act 2014 s17; SI 2014/2672) and the charges that follow from them
(s14).

A financial assessment is written as a draft (``version`` guards against two finance officers
overwriting each other), then completed: completion runs the pure charging engine
(:mod:`carebridge.rules.charging`) on ``case_input`` and keeps its result, workings and all. Each
financial assessment is also a CLD ``Assessment`` event (type "Financial Assessment").

What the person pays each week is a :class:`ChargeDecision`: one row per period, never
rewritten. A recalculation (the plan's cost changed) or a reassessment (income or capital
changed) ends the current decision and starts a new one, so the history is kept.

s117 aftercare is never charged. That is enforced here, not only in forms and services: a
database check refuses a positive charge marked s117, and :meth:`ChargeDecision.save` and
:meth:`ChargeDecision.clean` refuse a charge for s117 aftercare: any positive charge where all
the person's care is s117 aftercare, and more than the cost of the other services where only
some is (:mod:`carebridge.finance.s117`). ``s117_aftercare`` on a decision means the charge is
nothing because all the care is s117 aftercare.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from . import s117


class FinancialAssessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETED = "completed", "Completed"
        SUPERSEDED = "superseded", "Superseded"

    class Kind(models.TextChoices):
        FULL = "full", "Full financial assessment"
        LIGHT_TOUCH = "light_touch", "Light-touch financial assessment"
        DECLINED = "declined_to_disclose", "Declined to disclose their finances"

    class LightTouchBasis(models.TextChoices):
        ABOVE_UPPER_LIMIT = (
            "above_upper_capital_limit",
            "Capital clearly above the upper capital limit: pays the full cost",
        )
        FREE_SERVICE = "free_service", "Receives only a service that is free of charge"

    class Setting(models.TextChoices):
        NON_RESIDENTIAL = "non_residential", "Care at home or in the community"
        RESIDENTIAL = "residential", "Care in a care home"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="financial_assessments"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.FULL)
    light_touch_basis = models.CharField(max_length=30, choices=LightTouchBasis.choices, blank=True)
    financial_year = models.CharField(max_length=7, help_text='Like "2025-26".')
    setting = models.CharField(
        max_length=16, choices=Setting.choices, default=Setting.NON_RESIDENTIAL
    )
    # Exactly the charging engine's input (carebridge.rules.charging.parse); in a draft, what has
    # been typed so far.
    case_input = models.JSONField(default=dict, blank=True)
    # The engine's result (Assessment.as_dict()): weekly_charge, council_pays, full_cost, steps.
    result = models.JSONField(null=True, blank=True)
    weekly_charge = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    council_pays = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    full_cost = models.BooleanField(null=True, blank=True)
    evidence = models.TextField(
        blank=True, help_text="What evidence of income, capital and costs was seen."
    )
    effective_from = models.DateField(
        null=True, blank=True, help_text="The date the charge from this assessment starts."
    )
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who completed the assessment.",
    )
    event = models.OneToOneField(
        "casework.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="financial_assessment",
        help_text="This financial assessment as a CLD Assessment event.",
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text="The previous financial assessment this one replaces.",
    )

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["person", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="draft"),
                name="one_draft_financial_assessment_per_person",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="completed"),
                name="one_current_financial_assessment_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(weekly_charge__isnull=True) | models.Q(weekly_charge__gte=0),
                name="financial_assessment_charge_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.person_id} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class ChargeDecision(models.Model):
    """What the person pays each week towards their care (Care Act 2014 s14, s26(2)(a)) from
    ``valid_from`` until ``valid_to`` (the day the next decision took over; empty while in
    force). Rows are never rewritten except to end them."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="charge_decisions"
    )
    plan = models.ForeignKey(
        "planning.CarePlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="charge_decisions",
    )
    financial_assessment = models.ForeignKey(
        FinancialAssessment, on_delete=models.PROTECT, related_name="charge_decisions"
    )
    weekly_amount = models.DecimalField(max_digits=10, decimal_places=2)
    weekly_care_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    council_pays = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField(
        null=True, blank=True, help_text="The day the next decision took over (not included)."
    )
    s117_aftercare = models.BooleanField(default=False)
    reason = models.TextField()
    workings = models.JSONField(
        null=True, blank=True, help_text="The calculation behind the amount (engine result)."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "-id"]
        indexes = [models.Index(fields=["person", "-valid_from"])]
        constraints = [
            # s117 aftercare is never charged (MHA 1983 s117; SI 2014/2672 reg 3).
            models.CheckConstraint(
                condition=~(models.Q(s117_aftercare=True) & models.Q(weekly_amount__gt=0)),
                name="no_charge_for_s117_aftercare",
            ),
            models.CheckConstraint(
                condition=models.Q(weekly_amount__gte=0), name="charge_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="charge_ends_on_or_after_start",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(valid_to__isnull=True),
                name="one_charge_in_force_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"£{self.weekly_amount} a week from {self.valid_from} for {self.person_id}"

    def save(self, *args, **kwargs) -> None:
        """Refuses (ValidationError) a positive charge where s117 aftercare applies, however
        the row is saved; a charge of nothing where it applies is marked s117."""
        self._refuse_s117_charge()
        if not self.s117_aftercare and self._s117_applies():
            self.s117_aftercare = True
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "s117_aftercare"}
        super().save(*args, **kwargs)

    @property
    def in_force(self) -> bool:
        return self.valid_to is None

    def _s117_applies(self) -> bool:
        return self.s117_aftercare or s117.applies(self.person_id, self.plan_id)

    def _refuse_s117_charge(self) -> None:
        positive = self.weekly_amount is not None and Decimal(self.weekly_amount) > 0
        if not positive:
            return
        message = (
            s117.REFUSED.format(who="the person")
            if self.s117_aftercare
            else s117.refusal(self.person_id, self.plan_id, Decimal(self.weekly_amount))
        )
        if message:
            raise ValidationError({"weekly_amount": message}, code="s117_aftercare")

    def clean(self) -> None:
        super().clean()
        self._refuse_s117_charge()
