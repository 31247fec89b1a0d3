from django.conf import settings
from django.db import models

from carebridge.rules import cld
from carebridge.rules.local_codes import CONTACT_METHODS, REQUEST_SOURCES


class Event(models.Model):
    """The backbone of the record, in Client Level Data's terms: a request, assessment, service
    or review, dated, with its CLD outcome. One table for all four, as CLD is one row per event;
    type-specific fields are empty on other types. The CLD return is a projection of these rows
    and statutory duties are evaluated over them (set-based).

    Requests, assessments and reviews are *completed* when ``end_date`` is set; a service is
    open while ``end_date`` is empty.
    """

    REQUEST = cld.REQUEST
    ASSESSMENT = cld.ASSESSMENT
    SERVICE = cld.SERVICE
    REVIEW = cld.REVIEW

    class Source(models.TextChoices):
        """Where the event came from: recorded in carebridge, or loaded from a CLD file
        (``carebridge cld import``, which links it to its import in ``returns.ImportedEvent``)."""

        RECORDED = "recorded", "Recorded in carebridge"
        CLD_IMPORT = "cld_import", "Imported from a CLD file"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="events")
    event_type = models.CharField(max_length=12, choices=cld.choices(cld.EVENT_TYPE))
    client_type = models.CharField(
        max_length=40, choices=cld.choices(cld.CLIENT_TYPE), default=cld.SERVICE_USER
    )
    reference = models.CharField("Event reference", max_length=20, unique=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=80, choices=cld.choices(cld.EVENT_OUTCOME), blank=True)
    description = models.TextField(blank=True)
    follows = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sequels",
        help_text="The event this one arose from (e.g. the request an assessment followed).",
    )
    # Request
    route_of_access = models.CharField(
        max_length=60, choices=cld.choices(cld.ROUTE_OF_ACCESS), blank=True
    )
    request_source = models.CharField(max_length=30, choices=REQUEST_SOURCES, blank=True)
    contact_method = models.CharField(max_length=20, choices=CONTACT_METHODS, blank=True)
    # Assessment
    assessment_type = models.CharField(
        max_length=40, choices=cld.choices(cld.ASSESSMENT_TYPE), blank=True
    )
    method_of_assessment = models.CharField(
        max_length=40, choices=cld.choices(cld.METHOD_OF_ASSESSMENT), blank=True
    )
    # Service
    service_type = models.CharField(
        max_length=80, choices=cld.choices(cld.SERVICE_TYPE), blank=True
    )
    service_component = models.CharField(
        max_length=80, choices=cld.choices(cld.SERVICE_COMPONENT), blank=True
    )
    delivery_mechanism = models.CharField(
        max_length=40, choices=cld.choices(cld.DELIVERY_MECHANISM), blank=True
    )
    unit_cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    cost_frequency = models.CharField(
        max_length=30, choices=cld.choices(cld.COST_FREQUENCY), blank=True
    )
    planned_units_per_week = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True
    )
    provider = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "provider"},
    )
    # Review
    review_reason = models.CharField(
        max_length=80, choices=cld.choices(cld.REVIEW_REASON), blank=True
    )
    method_of_review = models.CharField(
        max_length=40, choices=cld.choices(cld.METHOD_OF_REVIEW), blank=True
    )
    review_outcomes_achieved = models.CharField(
        max_length=40, choices=cld.choices(cld.REVIEW_OUTCOMES_ACHIEVED), blank=True
    )
    # Who and where
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled = models.BooleanField(
        default=False, help_text="Recorded in error or halted: excluded from returns and duties."
    )
    # db_default too: the seed and other bulk writers insert events by column list.
    source = models.CharField(
        max_length=12, choices=Source.choices, default=Source.RECORDED, db_default=Source.RECORDED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["person", "-start_date"]),
            # A person's latest (or first) event of one type (caseload next steps, the duties
            # engine's lookups): without it a planner may walk every event of the type in date
            # order. The key last, as the lookups break ties on it, so PostgreSQL reads the
            # first row in order and stops, instead of sorting a person's events each time.
            models.Index(
                fields=["person", "event_type", "-start_date", "-id"],
                name="event_person_type_start",
            ),
            # The same by when it ended (reviews are dated by completion).
            models.Index(
                fields=["person", "event_type", "-end_date", "-id"], name="event_person_type_end"
            ),
            models.Index(fields=["event_type", "start_date"]),
            models.Index(fields=["event_type", "end_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="event_ends_on_or_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.reference}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None
