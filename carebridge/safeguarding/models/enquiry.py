from django.conf import settings
from django.db import models
from django.db.models import Q

from carebridge.rules import safeguarding as sg


class Enquiry(models.Model):
    """A safeguarding enquiry: a Section 42 enquiry (the duty, s42(2)) or an other enquiry (the
    council's power), started by the decision on one concern.

    The lead enquirer, the enquiry plan, its actions (:class:`EnquiryAction`) and strategy
    meetings (:class:`StrategyMeeting`); Making Safeguarding Personal (the adult asked what
    outcomes they want, the outcomes, and at the end how far they were achieved); advocacy
    (s68); the safeguarding plan (:class:`SafeguardingPlan`); and the conclusion with its risk
    outcome. Optimistically locked (``version``): a second worker saving over a change they
    have not seen is refused with a message. The database refuses a conclusion without its
    risk outcome and Making Safeguarding Personal answer.
    """

    concern = models.OneToOneField("Concern", on_delete=models.PROTECT, related_name="enquiry")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="safeguarding_enquiries"
    )
    kind = models.CharField(max_length=10, choices=sg.ENQUIRY_KINDS)
    started_on = models.DateField()
    lead_enquirer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="safeguarding_enquiries",
    )
    enquiry_plan = models.TextField(blank=True)
    # Making Safeguarding Personal
    msp_asked = models.CharField(
        "Asked about desired outcomes", max_length=20, choices=sg.MSP_ASKED, blank=True
    )
    outcomes_asked_on = models.DateField(null=True, blank=True)
    desired_outcomes = models.TextField(blank=True)
    msp_achieved = models.CharField(
        "Desired outcomes achieved", max_length=10, choices=sg.MSP_ACHIEVED, blank=True
    )
    # Advocacy (s68)
    substantial_difficulty = models.BooleanField(null=True, blank=True)
    appropriate_person = models.CharField(max_length=200, blank=True)
    advocate_referred_on = models.DateField(null=True, blank=True)
    # Conclusion
    risk_outcome = models.CharField(max_length=10, choices=sg.RISK_OUTCOME, blank=True)
    concluded_on = models.DateField(null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    conclusion = models.TextField(blank=True)

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name_plural = "enquiries"
        indexes = [
            models.Index(fields=["person", "-started_on"]),
            models.Index(fields=["concluded_on", "started_on"]),
            models.Index(fields=["lead_enquirer", "concluded_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True)
                | (
                    Q(concluded_on__gte=models.F("started_on"))
                    & ~Q(risk_outcome="")
                    & ~Q(msp_asked="")
                ),
                name="enquiry_concluded_with_its_outcomes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.started_on:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.concluded_on is None

    @property
    def advocate_needed(self) -> bool:
        return sg.advocate_needed(self.substantial_difficulty, self.appropriate_person)
