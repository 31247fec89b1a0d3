from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from carebridge.rules import carers
from carebridge.rules.local_codes import (
    CARER_OFFER_METHODS,
    CARER_RELATIONSHIPS,
    RELATIONSHIP_NOT_RECORDED,
)


class CarerRelationship(models.Model):
    """An unpaid carer and the adult they care for: two people, each with their own record."""

    carer = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="caring_for")
    cared_for = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="carers")
    relationship = models.CharField(
        max_length=30, choices=[*CARER_RELATIONSHIPS, RELATIONSHIP_NOT_RECORDED]
    )
    lives_with_cared_for = models.BooleanField(default=False)
    is_main_carer = models.BooleanField(default=False)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    # The day the council recorded the relationship: it knew of the carer from then (the
    # carer-assessment-offered duty's clock cannot start earlier). Empty on records brought in
    # from elsewhere, where the caring start date stands for it.
    recorded_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(carer=models.F("cared_for")), name="carer_not_self"
            ),
            models.UniqueConstraint(
                fields=["carer", "cared_for"],
                condition=models.Q(ended_on__isnull=True),
                name="unique_current_carer_relationship",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carer_id} cares for {self.cared_for_id}"


class CarerAssessmentOffer(models.Model):
    """An offer of a carer's assessment (Care Act 2014 s10) to an unpaid carer, and their answer.

    History is kept: a later offer is a new row. The carer's answer is added to its offer once
    (``carer_offers.record_response``); any other change is a correction with a reason, audited
    (``carer_offers.correct_offer``). ``carer`` repeats the relationship's carer so the duty
    engine and the carer's page find their offers directly.
    """

    class Response(models.TextChoices):
        AWAITING = carers.AWAITING, "No response yet"
        ACCEPTED = carers.ACCEPTED, "Accepted: a carer's assessment is to follow"
        DECLINED = carers.DECLINED, "Declined"

    relationship = models.ForeignKey(
        CarerRelationship, on_delete=models.PROTECT, related_name="assessment_offers"
    )
    carer = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="carer_assessment_offers"
    )
    offered_on = models.DateField()
    method = models.CharField(max_length=20, choices=CARER_OFFER_METHODS)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    details = models.TextField(blank=True)
    response = models.CharField(max_length=10, choices=Response.choices, default=Response.AWAITING)
    responded_on = models.DateField(null=True, blank=True)
    declined_reason = models.TextField(
        blank=True, help_text="The carer's reason for declining, in their words."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    response_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response_recorded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-offered_on", "-id"]
        indexes = [models.Index(fields=["carer", "offered_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(response__in=[carers.AWAITING, *carers.ANSWERED]),
                name="carer_offer_response_known",
            ),
            models.CheckConstraint(
                condition=Q(response=carers.AWAITING, responded_on__isnull=True)
                | Q(response__in=carers.ANSWERED, responded_on__isnull=False),
                name="carer_offer_answer_is_dated",
            ),
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True) | Q(responded_on__gte=F("offered_on")),
                name="carer_offer_answer_not_before_offer",
            ),
            models.CheckConstraint(
                condition=(Q(response=carers.DECLINED) & ~Q(declined_reason=""))
                | (~Q(response=carers.DECLINED) & Q(declined_reason="")),
                name="carer_offer_reason_with_refusal",
            ),
        ]

    def __str__(self) -> str:
        return f"Carer's assessment offered to {self.carer_id} on {self.offered_on}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.relationship_id and self.carer_id and self.relationship.carer_id != self.carer_id:
            errors["carer"] = "The offer must be made to the carer in the relationship"
        if self.offered_on is not None:
            from django.utils import timezone

            errors |= carers.offer_errors(
                offered_on=self.offered_on,
                response=self.response,
                responded_on=self.responded_on,
                declined_reason=self.declined_reason,
                today=timezone.localdate(),
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_awaiting(self) -> bool:
        return self.response == self.Response.AWAITING

    @property
    def method_label(self) -> str:
        return self.get_method_display()
