from django.conf import settings
from django.db import models

from carebridge.rules import cld


class _StatusHistory(models.Model):
    """A dated history: each row is a status that applied from ``valid_from``; the current
    status is the latest row that has started. Rows are corrected, never rewritten."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    valid_from = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["-valid_from", "-id"]

    def __str__(self) -> str:
        return f"{self.status} from {self.valid_from}"


class AccommodationStatusRecord(_StatusHistory):
    status = models.CharField(max_length=120, choices=cld.choices(cld.ACCOMMODATION_STATUS))
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="accommodation_history"
    )

    class Meta(_StatusHistory.Meta):
        indexes = [models.Index(fields=["person", "-valid_from"])]


class EmploymentStatusRecord(_StatusHistory):
    status = models.CharField(max_length=80, choices=cld.choices(cld.EMPLOYMENT_STATUS))
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="employment_history"
    )

    class Meta(_StatusHistory.Meta):
        indexes = [models.Index(fields=["person", "-valid_from"])]
