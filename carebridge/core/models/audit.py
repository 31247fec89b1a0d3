from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One entry in the append-only audit log: who did what to which record, when, from where
    and why. Rows are never updated or deleted: the model refuses, and database triggers
    (migration 0002) refuse any UPDATE or DELETE that reaches the table by another route."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        VIEW = "view", "Viewed"
        SEARCH = "search", "Searched"
        BREAK_GLASS = "break_glass", "Broke glass"
        ACCESS_REFUSED = "access_refused", "Access refused"
        EXPORT = "export", "Exported"
        IMPORT = "import", "Imported"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_OUT = "sign_out", "Signed out"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SEED = "seed", "Seeded synthetic data"

    class Source(models.TextChoices):
        WEB = "web", "Web"
        CLI = "cli", "Command line"
        API = "api", "API"
        SYSTEM = "system", "System"

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    # Kept as text too, so the log still reads correctly if an account is renamed.
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    summary = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=36, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-occurred_at"]),
            models.Index(fields=["actor", "-occurred_at"]),
            models.Index(fields=["action", "-occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only: entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only: entries cannot be deleted")
