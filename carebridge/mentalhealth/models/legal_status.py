from django.conf import settings
from django.db import models
from django.db.models import F, Q

from carebridge.rules import mental_health_act as mha


class LegalStatus(models.Model):
    """A period during which a person was subject to the Mental Health Act 1983: detained under a
    section, held under a holding power or in a place of safety, on a community treatment order
    or under guardianship.

    The person's legal status history is these rows in order. A period is never rewritten: a
    section replaced by another (s2 by s3, s3 by a CTO) ends with ``replaced`` and the new one
    ``follows`` it. ``left_hospital_on`` is the day the person left hospital after ceasing to be
    detained (the same day or later: they may stay on informally), which is when s117 aftercare
    starts for a qualifying section (:func:`carebridge.rules.mental_health_act.qualifies_for_s117`).
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="legal_statuses"
    )
    section = models.CharField(max_length=10, choices=mha.CHOICES)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=24, choices=mha.END_REASON_CHOICES, blank=True)
    left_hospital_on = models.DateField(null=True, blank=True)
    hospital = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The NHS trust or hospital provider where the person was detained.",
    )
    place = models.CharField(
        max_length=200, blank=True, help_text="Ward, place of safety or address."
    )
    follows = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_by",
        help_text="The status this one replaced (s2 by s3, s3 by a CTO).",
    )
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name_plural = "legal statuses"
        indexes = [models.Index(fields=["person", "-started_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="legal_status_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, end_reason="")
                | Q(ended_at__isnull=False) & ~Q(end_reason=""),
                name="legal_status_end_has_reason",
            ),
            # One detention at a time, one community status (CTO, guardianship) at a time: a
            # change of section ends the old row as the new one starts (rules.legal_status).
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_at__isnull=True, section__in=mha.DETAINING),
                name="one_current_detention_per_person",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_at__isnull=True, section__in=mha.COMMUNITY),
                name="one_current_community_status_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{mha.section(self.section).label} from {self.started_at:%d %B %Y}"

    @property
    def rule(self) -> mha.Section:
        return mha.section(self.section)

    @property
    def is_current(self) -> bool:
        return self.ended_at is None
