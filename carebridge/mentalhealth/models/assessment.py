from django.conf import settings
from django.db import models
from django.db.models import Q

from carebridge.rules import amhp


class MHAAssessment(models.Model):
    """A Mental Health Act assessment: requested, allocated to an AMHP, carried out (with its
    outcome) and written up in the AMHP's report (Mental Health Act 1983 s11-s13; Code of
    Practice 2015 chapter 14).

    An outcome that detains starts the person's :class:`LegalStatus` in the same transaction,
    linked here (``legal_status``). It is not a Care Act event: no CLD ``Event`` is written, so
    the assessment never reaches the Client Level Data return. ``assessed_on`` and
    ``report_completed_on`` are the local dates of the two times, which the duty
    ``amhp-report-completed`` reads."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="mha_assessments"
    )
    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(max_length=20, choices=amhp.STATUSES, default=amhp.REQUESTED)

    # The request
    requested_at = models.DateTimeField()
    requester_name = models.CharField(max_length=200)
    requester_role = models.CharField(max_length=30, choices=amhp.REQUESTERS)
    requester_phone = models.CharField(max_length=40, blank=True)
    request_reason = models.TextField()
    section_considered = models.CharField(max_length=4, choices=amhp.CONSIDERED, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    # Allocation
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mha_assessments",
        help_text="The AMHP who holds the assessment.",
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # The assessment
    assessed_at = models.DateTimeField(null=True, blank=True)
    assessed_on = models.DateField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    doctor_1_name = models.CharField(max_length=200, blank=True)
    doctor_1_s12 = models.BooleanField(default=False)
    doctor_1_known = models.BooleanField(default=False)
    doctor_2_name = models.CharField(max_length=200, blank=True)
    doctor_2_s12 = models.BooleanField(default=False)
    doctor_2_known = models.BooleanField(default=False)
    acquaintance_reason = models.TextField(blank=True)
    nr_name = models.CharField(max_length=200, blank=True)
    nr_relationship = models.CharField(max_length=20, choices=amhp.NR_RELATIONSHIPS, blank=True)
    nr_contact = models.CharField(max_length=20, choices=amhp.NR_CONTACT, blank=True)
    nr_reason = models.TextField(blank=True)
    nr_objected = models.BooleanField(default=False)
    nr_displaced = models.BooleanField(default=False)
    outcome = models.CharField(max_length=30, choices=amhp.OUTCOMES, blank=True)
    hospital = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hospital_place = models.CharField(max_length=200, blank=True)
    legal_status = models.OneToOneField(
        "mentalhealth.LegalStatus",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mha_assessment",
        help_text="The detention this assessment's outcome started.",
    )

    # The AMHP's report
    alternatives_considered = models.TextField(blank=True)
    report = models.TextField(blank=True)
    report_completed_at = models.DateTimeField(null=True, blank=True)
    report_completed_on = models.DateField(null=True, blank=True)

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "Mental Health Act assessment"
        indexes = [
            models.Index(fields=["person", "-requested_at"]),
            models.Index(fields=["status", "requested_at"]),
            models.Index(fields=["held_by", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=amhp.REQUESTED) | Q(held_by__isnull=False),
                name="mha_assessment_allocated_has_amhp",
            ),
            models.CheckConstraint(
                condition=Q(status__in=(amhp.REQUESTED, amhp.ALLOCATED))
                | Q(assessed_at__isnull=False, assessed_on__isnull=False) & ~Q(outcome=""),
                name="mha_assessment_assessed_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status=amhp.REPORT_COMPLETED)
                | Q(report_completed_at__isnull=False, report_completed_on__isnull=False),
                name="mha_assessment_report_completed_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"Mental Health Act assessment {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in amhp.OPEN

    @property
    def detains(self) -> bool:
        return self.outcome in amhp.DETAINS

    @property
    def outcome_text(self) -> str:
        return amhp.outcome_label(self.outcome) if self.outcome else ""

    @property
    def requester_text(self) -> str:
        return amhp.requester_label(self.requester_role)

    @property
    def doctors(self) -> list[amhp.Doctor]:
        return [
            amhp.Doctor(self.doctor_1_name, self.doctor_1_s12, self.doctor_1_known),
            amhp.Doctor(self.doctor_2_name, self.doctor_2_s12, self.doctor_2_known),
        ]
