from django.conf import settings
from django.db import models
from django.db.models import Q


class SafeguardingPlan(models.Model):
    """The safeguarding plan an enquiry puts in place: what is done to keep the adult safe, by
    whom, and when it is reviewed (:class:`SafeguardingPlanReview`). Closed when no longer
    needed (at a review or when the enquiry concludes), or kept in place with a review date
    after the enquiry concludes."""

    enquiry = models.OneToOneField("Enquiry", on_delete=models.PROTECT, related_name="plan")
    details = models.TextField()
    started_on = models.DateField()
    review_due = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
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
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("started_on")),
                name="safeguarding_plan_closes_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Safeguarding plan from {self.started_on:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
