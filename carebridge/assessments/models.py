"""Needs assessments (Care Act 2014 s9) and carers' assessments (s10), and the eligibility
determination that closes them (s13, SI 2015/313).

An assessment is written as a draft that saves as the worker types (``version`` guards against
two people overwriting each other), then completed: completion runs the pure eligibility rules
(:mod:`carebridge.rules.eligibility`) and writes an :class:`EligibilityDetermination`, the
written record s13(2) requires. Each assessment is also a CLD ``Assessment`` event.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from carebridge.rules import cld


class Assessment(models.Model):
    class Kind(models.TextChoices):
        ADULT = "adult", "Needs assessment (Care Act s9)"
        CARER = "carer", "Carer's assessment (Care Act s10)"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="assessments"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    cared_for = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a carer's assessment: the adult the carer looks after.",
    )
    request = models.ForeignKey(
        "casework.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The request (CLD event) this assessment follows.",
    )
    event = models.OneToOneField(
        "casework.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessment",
        help_text="This assessment as a CLD Assessment event.",
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reassessments",
        help_text="The assessment this reassesses (after a review).",
    )
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # CLD Method_of_Assessment, recorded at completion (mandatory on every non-financial one).
    method_of_assessment = models.CharField(
        "How the assessment was carried out",
        max_length=40,
        choices=cld.choices(cld.METHOD_OF_ASSESSMENT),
        blank=True,
    )

    # Reg 2(1)(a) for an adult.
    needs_arise_from_impairment_or_illness = models.BooleanField(null=True, blank=True)
    impairment_or_illness = models.TextField(blank=True)
    # Reg 3(1)(a) and (b) for a carer.
    provides_necessary_care = models.BooleanField(null=True, blank=True)
    care_provided = models.TextField(blank=True)
    health_at_risk_of_deterioration = models.BooleanField(null=True, blank=True)
    carer_health = models.TextField(blank=True)
    carer_willing_and_able = models.TextField(
        blank=True, help_text="Whether the carer is able and willing to go on caring (s10(5)(b))."
    )
    # The outcomes (reg 2(2) / reg 3(3)): {outcome: {"limbs": [limb, ...], "evidence": "..."}}.
    outcomes = models.JSONField(default=dict, blank=True)
    fluctuating_needs = models.TextField(blank=True)
    # Reg 2(1)(c) / 3(1)(c).
    significant_impact_on_wellbeing = models.BooleanField(null=True, blank=True)
    wellbeing_impact = models.TextField(blank=True)
    # The person, not just the needs (s9(4), s1 wellbeing).
    what_matters = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    informal_support = models.TextField(blank=True)
    # Involvement and independent advocacy (s67).
    substantial_difficulty_being_involved = models.BooleanField(null=True, blank=True)
    appropriate_individual = models.CharField(
        max_length=200,
        blank=True,
        help_text="Name and relationship of an appropriate individual to support involvement.",
    )
    advocate_referred_on = models.DateField(null=True, blank=True)
    advocate = models.CharField(max_length=200, blank=True)

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.person_id} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def needs_advocate(self) -> bool:
        """s67(4)-(5): substantial difficulty being involved and no appropriate individual."""
        return bool(self.substantial_difficulty_being_involved) and not self.appropriate_individual


class EligibilityDetermination(models.Model):
    """The written record of an eligibility determination and its reasons (Care Act s13(2)),
    made once when an assessment is completed and never changed: a later determination comes
    from a reassessment."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.PROTECT, related_name="determination"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Assessment.Kind.choices)
    eligible = models.BooleanField()
    outcomes_unable = models.JSONField(default=list)
    reasons = models.JSONField(default=list)
    regulation = models.CharField(max_length=200)
    determined_on = models.DateField()
    determined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prevention_advice = models.TextField(
        blank=True,
        help_text="What can be done to meet or reduce the needs, and to prevent or delay "
        "needs developing (s13(5)); required where needs are not eligible.",
    )
    next_steps = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-determined_on", "-id"]

    def __str__(self) -> str:
        return f"{'Eligible' if self.eligible else 'Not eligible'} ({self.determined_on})"
