from django.conf import settings
from django.db import models


class SafeguardingPlanReview(models.Model):
    """A review of a safeguarding plan: when, what was found, and the next review date, or
    that the plan was closed. Added, never edited."""

    plan = models.ForeignKey("SafeguardingPlan", on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    notes = models.TextField()
    next_review_due = models.DateField(null=True, blank=True)
    closed_plan = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return f"Plan review on {self.reviewed_on:%-d %B %Y}"
