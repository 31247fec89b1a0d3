from django.conf import settings
from django.db import models


class TeamHosting(models.Model):
    """Who manages (hosts) a team over a dated period, and under which s75 agreement.

    Days are inclusive: a row runs from ``starts_on`` to ``ends_on`` (empty: since the team's
    records began / until further notice). ``organisations.Team.organisation`` is today's
    host; these rows are its history. A team that has never moved has no rows: it has always
    been hosted by ``Team.organisation``. A transfer closes the open row (writing the row for
    the past first, if there was none) and opens the next on the effective date, so the past
    is never rewritten (ADR 0024)."""

    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="+")
    managed_by = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        "partnerships.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_teams",
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    transfer = models.ForeignKey(
        "partnerships.Transfer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The transfer that started this period, if one did.",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", models.F("starts_on").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["team"], condition=models.Q(ends_on__isnull=True), name="one_open_hosting"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="hosting_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["team", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.team_id} hosted by {self.managed_by_id} from {self.starts_on}"


class Employment(models.Model):
    """Who employs a worker, in which team, with which line manager, over a dated period
    (inclusive days, as :class:`TeamHosting`). ``Worker.team`` is today's team; a worker with
    no rows has always been in it, employed by its host."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="employments"
    )
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    employed_by = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    line_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agreement = models.ForeignKey(
        "partnerships.Agreement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    transfer = models.ForeignKey(
        "partnerships.Transfer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["worker", models.F("starts_on").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["worker"],
                condition=models.Q(ends_on__isnull=True),
                name="one_open_employment",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="employment_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["worker", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.worker_id} employed by {self.employed_by_id} from {self.starts_on}"
