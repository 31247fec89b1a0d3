from django.conf import settings
from django.db import models

from carebridge.rules.local_codes import ALERT_KINDS


class PersonAlert(models.Model):
    """A warning shown at the top of the person's record (risk to staff, communication need...)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=30, choices=ALERT_KINDS)
    details = models.TextField()
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.starts_on}"
