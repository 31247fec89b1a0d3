"""s117 aftercare (Mental Health Act 1983 s117): an episode per period of entitlement, the joint
aftercare plan, the services funded under s117 with the council's and the ICB's shares, joint
reviews and the joint decision to end. The law is in :mod:`carebridge.rules.aftercare`; the
writes go through :mod:`carebridge.mentalhealth.aftercare_services`."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.signals import post_save
from django.dispatch import receiver

from carebridge.rules import aftercare as rules


class AftercareEpisode(models.Model):
    """A period of entitlement to s117 aftercare, after one qualifying detention. It starts on
    the day the person left hospital and lasts until the council and the ICB jointly decide it
    is no longer needed, or a new qualifying detention supersedes it (Worcestershire)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="aftercare_episodes"
    )
    detention = models.ForeignKey(
        "mentalhealth.LegalStatus",
        on_delete=models.PROTECT,
        related_name="aftercare_episodes",
        help_text="The qualifying detention (s3, 37, 37/41, 45A, 47 or 48) aftercare follows.",
    )
    eligible_from = models.DateField(help_text="The day the person left hospital.")
    responsible_council = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "council"},
    )
    responsible_icb = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "icb"},
    )
    # Ordinary residence immediately before the detention (s117(3)).
    residence_address = models.CharField(max_length=300, blank=True)
    residence_postcode = models.CharField(max_length=8, blank=True)
    residence_basis = models.CharField(max_length=40, choices=rules.RESIDENCE_BASES)
    disputed = models.BooleanField(
        default=False, help_text="Which council is responsible is contested."
    )
    dispute_notes = models.TextField(blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=rules.END_REASONS, blank=True)
    ended_by_detention = models.ForeignKey(
        "mentalhealth.LegalStatus",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The new qualifying detention that superseded this aftercare.",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-eligible_from", "-id"]
        indexes = [models.Index(fields=["person", "-eligible_from"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="one_open_aftercare_per_person",
            ),
            models.UniqueConstraint(fields=["detention"], name="one_aftercare_per_detention"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="")
                | Q(ended_on__isnull=False) & ~Q(end_reason=""),
                name="aftercare_end_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("eligible_from")),
                name="aftercare_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"s117 aftercare from {self.eligible_from:%d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class AftercarePlan(models.Model):
    """The joint aftercare plan (s117(6)): the needs arising from the mental disorder, how the
    services reduce the risk of deterioration and readmission, agreed by a council worker and a
    named ICB representative. Changes are re-agreed (a new date), never silently overwritten."""

    episode = models.OneToOneField(AftercareEpisode, on_delete=models.CASCADE, related_name="plan")
    needs = models.TextField(help_text="Needs arising from or related to the mental disorder.")
    reduces_risk = models.TextField(
        help_text="How the services reduce the risk of deterioration and readmission."
    )
    council_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    icb_representative = models.CharField(max_length=200)
    icb_representative_role = models.CharField(max_length=200, blank=True)
    agreed_on = models.DateField()
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Joint aftercare plan agreed {self.agreed_on:%d %B %Y}"


class AftercareFunding(models.Model):
    """A service in the person's care plan funded under s117, and how its cost is shared
    between the council and the ICB (percentages adding up to 100). While the episode is open
    the service is never charged for (:mod:`carebridge.finance.s117`)."""

    episode = models.ForeignKey(AftercareEpisode, on_delete=models.CASCADE, related_name="funding")
    planned_service = models.ForeignKey(
        "planning.PlannedService", on_delete=models.CASCADE, related_name="s117_funding"
    )
    council_percent = models.DecimalField(max_digits=5, decimal_places=2)
    icb_percent = models.DecimalField(max_digits=5, decimal_places=2)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "planned_service"], name="one_split_per_service"
            ),
            models.CheckConstraint(
                condition=Q(council_percent__gte=0)
                & Q(icb_percent__gte=0)
                & Q(council_percent__lte=100)
                & Q(icb_percent__lte=100),
                name="aftercare_shares_in_range",
            ),
            models.CheckConstraint(
                condition=Q(council_percent=Decimal(100) - F("icb_percent")),
                name="aftercare_shares_add_up_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"Council {self.council_percent}% / ICB {self.icb_percent}%"

    @property
    def split(self) -> rules.Split:
        return rules.Split(self.council_percent, self.icb_percent)


class AftercareReview(models.Model):
    """A joint review of aftercare by the council and the ICB."""

    episode = models.ForeignKey(AftercareEpisode, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    council_attendees = models.CharField(max_length=500)
    icb_attendees = models.CharField(max_length=500)
    outcome = models.CharField(max_length=20, choices=rules.REVIEW_OUTCOMES)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["episode", "held_on"])]

    def __str__(self) -> str:
        return f"Joint review on {self.held_on:%d %B %Y}"


class AftercareEndDecision(models.Model):
    """The joint decision of the council and the ICB that aftercare is no longer needed
    (s117(2)). Only made when both agree and the person is not on a CTO."""

    episode = models.OneToOneField(
        AftercareEpisode, on_delete=models.PROTECT, related_name="end_decision"
    )
    decided_on = models.DateField()
    council_decision_maker = models.CharField(max_length=200)
    icb_decision_maker = models.CharField(max_length=200)
    reasons = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Aftercare ended jointly on {self.decided_on:%d %B %Y}"


@receiver(post_save, sender="mentalhealth.LegalStatus", dispatch_uid="aftercare_superseded")
def _new_detention_supersedes_aftercare(sender, instance, created: bool, raw: bool = False, **kw):
    """A new detention under a qualifying section ends the person's open aftercare
    (Worcestershire), however the legal status is recorded."""
    if created and not raw:
        from carebridge.mentalhealth.aftercare_services import end_for_new_detention

        end_for_new_detention(instance.created_by, instance)
