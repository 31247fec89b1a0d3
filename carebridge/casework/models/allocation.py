from django.conf import settings
from django.db import models

from carebridge.rules.local_codes import ALLOCATION_REASONS


class Allocation(models.Model):
    """Who holds a person's case: a team, and usually a named worker in it, over a dated
    period. A reallocation ends one row and starts the next, so every hand-off is kept.
    At most one allocation per person is open (``ended_at`` empty)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="allocations"
    )
    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=30, choices=ALLOCATION_REASONS)
    note = models.TextField(blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_allocation_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="allocation_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["worker", "ended_at"]),
            models.Index(fields=["team", "ended_at"]),
            models.Index(fields=["person", "-started_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.worker or self.team} from {self.started_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
