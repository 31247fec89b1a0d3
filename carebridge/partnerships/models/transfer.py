from django.conf import settings
from django.db import models


class Transfer(models.Model):
    """One operation that moves teams, or selected workers, from one employing organisation to
    another on an effective date, or reallocates a leaving worker's cases (ADR 0024).

    Drafted, previewed (a dry run: every worker, open case, allocation, open duty, draft and
    access right affected), confirmed, then carried out in one transaction on the effective
    date (at once when that is today; otherwise by ``carebridge partnerships run-due``), with
    a reconciliation report kept on the row. Scheduled transfers can be cancelled before
    their date. A failure leaves every record as it was; the attempt is kept as ``failed``."""

    class Kind(models.TextChoices):
        TEAMS = "teams", "Move teams to another organisation"
        WORKERS = "workers", "Move selected workers to another team"
        REALLOCATION = "reallocation", "Reallocate a leaving worker's cases"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    class Sharing(models.TextChoices):
        ONE_WORKER = "one_worker", "All to one worker"
        SHARE = "share", "Share among the team's practitioners, fewest cases first"

    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    from_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    to_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    agreement = models.ForeignKey(
        "partnerships.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers",
        help_text="The agreement the moved teams are hosted under (none: run by the council).",
    )
    teams = models.ManyToManyField("organisations.Team", related_name="+", blank=True)
    workers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    to_team = models.ForeignKey(
        "organisations.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    leaving_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sharing = models.CharField(max_length=20, choices=Sharing.choices, blank=True)
    receiving_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    effective_on = models.DateField()
    waiting_cases_to_manager = models.BooleanField(
        default=False,
        help_text="Cases the moving teams hold with no named worker go to the team's manager "
        "on the day, so every open case has a named worker (teams transfers).",
    )
    reason = models.TextField()
    preview = models.JSONField(null=True, blank=True)
    preview_digest = models.CharField(max_length=64, blank=True)
    reconciliation = models.JSONField(null=True, blank=True)
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    carried_out_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    cancel_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        indexes = [models.Index(fields=["status", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_kind_display()} on {self.effective_on:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)


class TransferCase(models.Model):
    """A reallocation's choice for one open case: who holds it from the effective date."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="cases")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    to_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["transfer", "person"], name="one_choice_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.to_worker_id}"
