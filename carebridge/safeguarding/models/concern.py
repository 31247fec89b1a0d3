from django.conf import settings
from django.db import models
from django.db.models import Q

from carebridge.rules import safeguarding as sg


class Concern(models.Model):
    """A safeguarding concern about an adult (Care Act 2014 s42): a sign of suspected abuse or
    neglect reported to or identified by the council, from anyone (an NHS ward, the police,
    family, a provider, the adult). Raised through the person's record: the person exists first.

    Who raised it, when the council received it, what kinds of abuse or neglect
    (:class:`ConcernRiskType`), where (location of risk), by whom (source of risk: a SAC
    category, the relationship, and the provider when a provider organisation is the source)
    and the immediate safety actions taken. The s42 decision follows (:class:`S42Decision`),
    then an enquiry or another route. ``closed_on`` is set when the concern's safeguarding work
    ends: the decision, when it took another route; the enquiry's conclusion otherwise.
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="safeguarding_concerns"
    )
    received_at = models.DateTimeField(help_text="When the council received the concern.")
    # The local date of received_at: the s42 decision duty's clock and the SAC year read it.
    received_on = models.DateField(db_index=True)
    raised_by_name = models.CharField("Name of the person raising it", max_length=200)
    raised_by_role = models.CharField("Their role", max_length=200, blank=True)
    raised_by_organisation = models.CharField("Their organisation", max_length=200, blank=True)
    source = models.CharField("Raised by", max_length=30, choices=sg.CONCERN_SOURCES)
    details = models.TextField("What the concern is")
    location_of_risk = models.CharField(max_length=30, choices=sg.LOCATION_OF_RISK)
    source_of_risk = models.CharField(max_length=20, choices=sg.SOURCE_OF_RISK)
    source_relationship = models.CharField(
        max_length=20, choices=sg.SOURCE_RELATIONSHIPS, blank=True
    )
    source_provider = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="safeguarding_concerns",
        limit_choices_to={"kind": "provider"},
        help_text="The care provider that is the source of risk, when there is one.",
    )
    immediate_actions = models.TextField("Immediate safety actions taken", blank=True)
    closed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-received_at"]),
            models.Index(fields=["closed_on", "received_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(source_provider__isnull=True) | Q(source_of_risk=sg.SERVICE_PROVIDER),
                name="concern_provider_only_when_source_is_a_provider",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("received_on")),
                name="concern_closes_after_received",
            ),
        ]

    def __str__(self) -> str:
        return f"Safeguarding concern {self.reference} ({self.received_on:%-d %B %Y})"

    @property
    def reference(self) -> str:
        return f"SG{self.pk:06d}" if self.pk else "SG (new)"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
