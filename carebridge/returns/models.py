"""The returns app's records.

Where records loaded from a CLD file came from (``carebridge cld import``, ADR 0018):

* ``CLDImport``: one load of one file: who ran it, the file's name and SHA-256, the period it
  reports and what it did;
* ``ImportedPerson`` / ``ImportedEvent``: each person and event the load created or updated, so
  an auditor can see where a record came from (and the import knows which records are its own
  to update on a later load);
* ``ImportedFundingStatus``: a legacy file's Client_Funding_Status. The record derives the
  funding status from the charge decision in force (``finance.ChargeDecision``); a legacy status
  has no decision or amounts behind it, so it is kept here, dated and tied to its file, and the
  export uses it only when no charge decision is in force;
* ``ImportedAdultsCaredFor``: a carer's No_of_adults_being_cared_for where it is more than the
  adults the file links them to (the record otherwise counts the carer's relationships).

The performance page's stored figures (ADR 0019): the SALT tables and ASCOF measures of each
financial year, for the council and for parts of it, and the readiness of the CLD return the
council is preparing. Computing a year at county scale takes tens of seconds, so the figures are
computed by ``carebridge returns refresh`` (nightly, and on seeding) or the page's "Refresh
figures" button, and read from here. Written only by :mod:`carebridge.returns.performance`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from carebridge.rules import cld


class CLDImport(models.Model):
    """One load of a CLD file into the record (audited as an import too)."""

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256 of the file", max_length=64, db_index=True)
    la_code = models.CharField("LA_Code", max_length=3)
    period_start = models.DateField()
    period_end = models.DateField()
    rows = models.PositiveIntegerField()
    counts = models.JSONField(default=dict, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    run_by = models.CharField(max_length=200, help_text="The worker, or the operating-system user.")

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = "CLD import"

    def __str__(self) -> str:
        return f"CLD import of {self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"


class ImportAction(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"


class ImportedPerson(models.Model):
    batch = models.ForeignKey(CLDImport, on_delete=models.PROTECT, related_name="people")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=8, choices=ImportAction.choices)

    class Meta:
        indexes = [models.Index(fields=["person", "action"])]

    def __str__(self) -> str:
        return f"{self.action} person {self.person_id} in import {self.batch_id}"


class ImportedEvent(models.Model):
    batch = models.ForeignKey(CLDImport, on_delete=models.PROTECT, related_name="events")
    event = models.ForeignKey("casework.Event", on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=8, choices=ImportAction.choices)

    class Meta:
        indexes = [models.Index(fields=["event", "action"])]

    def __str__(self) -> str:
        return f"{self.action} event {self.event_id} in import {self.batch_id}"


class _ImportedValue(models.Model):
    """A person-level value read from a legacy CLD file that the record has no other home for,
    as at ``as_at`` (the file's period end), tied to the import that brought it."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    as_at = models.DateField()
    batch = models.ForeignKey(CLDImport, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True
        ordering = ["-as_at", "-id"]
        indexes = [models.Index(fields=["person", "as_at"])]


class ImportedFundingStatus(_ImportedValue):
    """Client_Funding_Status from a legacy file. The export uses it only when no charge
    decision is in force (which then says what the person pays)."""

    status = models.CharField(max_length=60, choices=cld.choices(cld.CLIENT_FUNDING_STATUS))

    class Meta(_ImportedValue.Meta):
        verbose_name = "imported funding status"
        verbose_name_plural = "imported funding statuses"

    def __str__(self) -> str:
        return f"{self.status} as at {self.as_at} (imported)"


class ImportedAdultsCaredFor(_ImportedValue):
    """No_of_adults_being_cared_for from a legacy file, where it counts more adults than the
    file links the carer to (it links only service users in the submission, so the others are
    not known by ID). The export writes the larger of this and the carer's relationships."""

    adults = models.PositiveSmallIntegerField()

    class Meta(_ImportedValue.Meta):
        verbose_name = "imported number of adults cared for"
        verbose_name_plural = "imported numbers of adults cared for"

    def __str__(self) -> str:
        return f"cares for {self.adults} adults as at {self.as_at} (imported)"


class PerformanceFigures(models.Model):
    """One financial year's figures for one group of people: the whole council (``overall``),
    the people held by council-run teams, NHS trust-hosted teams or no team
    (``organisation``), or those living in one postcode district (``area``).

    ``salt`` (the SALT tables, for the council only) and ``ascof`` (every measure, by its
    groups) hold the rules' ``as_dict()`` output, unsuppressed; small numbers are withheld when
    a breakdown is shown (:mod:`carebridge.rules.returns.breakdown`)."""

    OVERALL = "overall"
    ORGANISATION = "organisation"
    AREA = "area"
    BREAKDOWNS = [(OVERALL, "Council"), (ORGANISATION, "By organisation"), (AREA, "By area")]

    year = models.CharField(max_length=7)  # "2025-26"
    breakdown = models.CharField(max_length=20, choices=BREAKDOWNS)
    # "" for the council; "council", "nhs_trust" or "none"; a postcode district or "unknown".
    group = models.CharField(max_length=40, blank=True)
    label = models.CharField(max_length=100)
    # The last day the figures count: the year end, or the day computed in a year in progress.
    as_of = models.DateField()
    people = models.PositiveIntegerField(default=0)  # people in the cohort (this group)
    rows = models.PositiveIntegerField(default=0)  # CLD rows read (this group's)
    salt = models.JSONField(default=dict, blank=True)
    ascof = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["year", "breakdown", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "breakdown", "group"], name="one_figures_row_per_year_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.breakdown} {self.label}"

    @property
    def complete(self) -> bool:
        """Whether the whole year had passed when the figures were computed."""
        return self.as_of >= dt.date(int(self.year[:4]) + 1, 3, 31)


class ReturnReadiness(models.Model):
    """The CLD return for a reporting period as the record would produce it, validated: the
    rule summary (``summary``: failures and warnings by rule and by field), counts by the team
    holding each row's person (``by_team``) and each failing row (``failing``: row in the file,
    person key and council ID, team, the fields and rules that fail; no names). The latest
    refresh replaces it."""

    period_start = models.DateField()
    period_end = models.DateField()
    rows = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict)
    by_team = models.JSONField(default=list)
    failing = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"CLD readiness {self.period_start} to {self.period_end}"


class RefreshRun(models.Model):
    """A refresh of the figures asked for from the performance page, run in the background
    (:mod:`carebridge.returns.refresh_runs`): who asked, when, and how it ended. At most one
    runs at a time (a second press, or a second analyst, is told it is running)."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    STATUSES = [(RUNNING, "Running"), (DONE, "Done"), (FAILED, "Failed")]

    year = models.CharField(max_length=7)  # the year in progress, "2026-27"
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default=RUNNING)
    seconds = models.FloatField(null=True, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="running"),
                name="one_refresh_running",
            )
        ]

    def __str__(self) -> str:
        return f"Refresh of {self.year} ({self.status})"
