"""The council's own standards for duties the law gives no deadline (versioned), and each
person's duty states as of today, kept current as records change (for caseloads and the
compliance dashboard; the engine can always recompute them for any date)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce


class LocalStandard(models.Model):
    """A council's time allowed for a duty, in force from a date. A past clock is judged by the
    standard in force when it started; rows are added, never changed (written only by
    :mod:`carebridge.duties.standards_service`).

    The time is in calendar days, working days or months: at most one of the three is not
    zero, as in :class:`~carebridge.duties.spec.Period`. All three zero is "the same day" (0
    calendar days): the due date is the day the clock starts.

    A version that has not come into force may be withdrawn (``withdrawn_at``): it stays in
    the history and never judges a clock."""

    duty_id = models.CharField(max_length=60)
    effective_from = models.DateField()
    days = models.PositiveIntegerField(default=0)
    months = models.PositiveIntegerField(default=0)
    working_days = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now_add=True)
    # Withdrawn before it came into force (a mistyped date or time): kept, and shown, but never
    # in force. A standard that has started cannot be withdrawn (it has judged clocks).
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["duty_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["duty_id", "effective_from"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_live_standard_per_duty_and_date",
            ),
            # At most one unit is used (all zero: the same day).
            models.CheckConstraint(
                condition=models.Q(months=0, working_days=0)
                | models.Q(days=0, working_days=0)
                | models.Q(days=0, months=0),
                name="standard_in_one_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.duty_id} from {self.effective_from}"

    @property
    def period(self):
        from .spec import Period

        return Period(days=self.days, months=self.months, working_days=self.working_days)


class DutyState(models.Model):
    """A person's state on one duty as of ``evaluated_on`` (refreshed in the request that
    changes one of their records, and nightly). Due and overdue are told apart when read, by
    the due date, so a row does not go stale at midnight."""

    duty_id = models.CharField(max_length=60)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="duty_states"
    )
    state = models.CharField(max_length=20)
    clock_start = models.DateField()
    due = models.DateField()
    met_on = models.DateField(null=True, blank=True)
    clock_ref = models.CharField(max_length=40, blank=True)
    met_ref = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    explanation = models.TextField()
    last_met_on = models.DateField(null=True, blank=True)
    last_state = models.CharField(max_length=20, blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    evaluated_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["duty_id", "person"], name="one_state_per_duty")
        ]
        indexes = [
            models.Index(fields=["worker", "state", "due"]),
            models.Index(fields=["team", "state", "due"]),
            models.Index(fields=["duty_id", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.duty_id} {self.person_id}: {self.state}"


class DutySnapshot(models.Model):
    """How many people were in each state of a duty at the end of a month, by who held their
    cases then (organisation, team, worker): the compliance trends. Filled by the engine as of
    each month end (``carebridge duties snapshot``); re-recording a month replaces its rows in
    one transaction. Aggregate counts only: no person is named here."""

    month_end = models.DateField()
    duty_id = models.CharField(max_length=60)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.PROTECT, null=True, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    state = models.CharField(max_length=20)
    people = models.PositiveIntegerField()
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            # One row per cell; a case held by no one (null) is a cell too, hence Coalesce.
            models.UniqueConstraint(
                models.F("month_end"),
                models.F("duty_id"),
                Coalesce("organisation", 0),
                Coalesce("team", 0),
                Coalesce("worker", 0),
                models.F("state"),
                name="one_snapshot_count_per_cell",
            ),
            models.CheckConstraint(condition=models.Q(people__gt=0), name="snapshot_counts_people"),
        ]
        indexes = [models.Index(fields=["month_end", "duty_id"])]

    def __str__(self) -> str:
        return f"{self.month_end} {self.duty_id} {self.state}: {self.people}"
