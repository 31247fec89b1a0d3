from django.conf import settings
from django.db import models


class BreakGlassAccess(models.Model):
    """A worker's time-limited access to a person outside their relationships, with the reason
    they typed. Visible to the person's team manager and to administrators."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_accesses"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="break_glass_accesses"
    )
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    team_at_time = models.ForeignKey(
        "organisations.Team",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        help_text="The person's allocated team when glass was broken: whose manager is told.",
    )

    class Meta:
        ordering = ["-granted_at"]
        indexes = [
            models.Index(fields=["worker", "person", "expires_at"]),
            models.Index(fields=["team_at_time", "-granted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.worker} → {self.person_id} at {self.granted_at:%Y-%m-%d %H:%M}"


class RestrictedAccess(models.Model):
    """A worker named on a restricted record: only named workers may find or open it."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="restricted_access"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="restricted_records"
    )
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    named_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "worker"], name="unique_restricted_access")
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} named on {self.person_id}"
