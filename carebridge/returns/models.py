"""The performance page's stored figures (ADR 0018): the SALT tables and ASCOF measures of each
financial year, for the council and for parts of it, and the readiness of the CLD return the
council is preparing. Computing a year at county scale takes tens of seconds, so the figures are
computed by ``carebridge returns refresh`` (nightly, and on seeding) or the page's "Refresh
figures" button, and read from here. Written only by :mod:`carebridge.returns.performance`."""

from __future__ import annotations

import datetime as dt

from django.db import models


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
