from django.conf import settings
from django.db import models
from django.db.models import Q

from carebridge.rules import safeguarding as sg


class S42Decision(models.Model):
    """The decision on a concern (Care Act 2014 s42): each of the three s42(1) criteria answered
    yes or no with the reason, and what follows: a Section 42 enquiry (all three met: the
    duty), an other enquiry (the council's power) or another route, with the reason. Recorded
    once, by a safeguarding lead or team manager; never edited. The database refuses a Section
    42 enquiry unless all three are met, and anything else when they are."""

    concern = models.OneToOneField("Concern", on_delete=models.PROTECT, related_name="decision")
    needs_care_and_support = models.BooleanField()
    needs_care_and_support_reason = models.TextField()
    abuse_or_neglect = models.BooleanField()
    abuse_or_neglect_reason = models.TextField()
    unable_to_protect = models.BooleanField()
    unable_to_protect_reason = models.TextField()
    result = models.CharField(max_length=10, choices=sg.RESULTS)
    route = models.CharField(max_length=30, choices=sg.ROUTES, blank=True)
    reason = models.TextField(blank=True)
    decided_on = models.DateField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        result=sg.S42_ENQUIRY,
                        needs_care_and_support=True,
                        abuse_or_neglect=True,
                        unable_to_protect=True,
                    )
                    | (
                        ~Q(result=sg.S42_ENQUIRY)
                        & (
                            Q(needs_care_and_support=False)
                            | Q(abuse_or_neglect=False)
                            | Q(unable_to_protect=False)
                        )
                    )
                ),
                name="s42_enquiry_if_and_only_if_all_criteria_met",
            ),
            models.CheckConstraint(
                condition=Q(result=sg.OTHER_ROUTE, route__gt="")
                | (~Q(result=sg.OTHER_ROUTE) & Q(route="")),
                name="s42_decision_route_only_for_other_route",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_result_display()} ({self.decided_on:%-d %B %Y})"

    @property
    def criteria(self) -> list[tuple[str, bool, str]]:
        """(criterion in words, answer, reason) in the Act's order."""
        return [
            (text, getattr(self, key), getattr(self, f"{key}_reason")) for key, text in sg.CRITERIA
        ]

    @property
    def leads_to_enquiry(self) -> bool:
        return self.result in (sg.S42_ENQUIRY, sg.OTHER_ENQUIRY)
