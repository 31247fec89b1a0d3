from django.conf import settings
from django.db import models

from carebridge.rules import partnerships as rules


class Agreement(models.Model):
    """A partnership agreement under s75 of the National Health Service Act 2006: the council
    delegates functions (and often staff) to an NHS trust, which hosts teams that carry them
    out. The term is ``starts_on`` to ``ends_on``, moved later by extensions and cut short by
    ``terminated_on`` (see :class:`carebridge.rules.partnerships.Term`). The hosted teams are
    the :class:`TeamHosting` rows that name the agreement."""

    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    council = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "council"},
    )
    partner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind__in": rules.NHS_PARTNER_KINDS},
    )
    functions = models.JSONField(
        default=list, help_text="Codes from rules.partnerships.DELEGABLE_FUNCTIONS"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    terminated_on = models.DateField(null=True, blank=True)
    termination_reason = models.TextField(blank=True)
    # Money: the management fee the council pays the host each year, and the pooled budget
    # (SI 2000/617 reg 7) with each party's contribution.
    management_fee = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    pooled_budget = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    council_contribution = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True
    )
    partner_contribution = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.reference})"

    def term(self, extensions=None) -> rules.Term:
        ext = self.extensions.all() if extensions is None else extensions
        return rules.Term(
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            extended_to=tuple(e.new_ends_on for e in ext),
            terminated_on=self.terminated_on,
        )

    @property
    def function_labels(self) -> list[str]:
        return [rules.FUNCTION_LABELS.get(code, code) for code in self.functions]


class AgreementExtension(models.Model):
    """An agreed extension of the term: never edited, a later one supersedes it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="extensions")
    new_ends_on = models.DateField()
    agreed_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["new_ends_on"]

    def __str__(self) -> str:
        return f"Extended to {self.new_ends_on:%-d %B %Y}"


class PerformanceCondition(models.Model):
    """A performance condition the parties agreed: a measure (a statutory duty's compliance
    rate, or one of the comparison page's measures) and its target."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="conditions")
    measure = models.CharField(max_length=60)
    target = models.DecimalField(max_digits=8, decimal_places=2)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["measure", "id"]

    def __str__(self) -> str:
        return f"{self.measure}: {self.target}"
