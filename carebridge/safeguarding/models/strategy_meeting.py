from django.conf import settings
from django.db import models


class StrategyMeeting(models.Model):
    """A strategy meeting or discussion in an enquiry: when, who attended and what was
    decided. Added, never edited."""

    enquiry = models.ForeignKey("Enquiry", on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    attendees = models.TextField()
    decisions = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"Strategy meeting on {self.held_on:%-d %B %Y}"
