from django.conf import settings
from django.db import models


class EnquiryAction(models.Model):
    """A dated action taken in an enquiry (a visit, a call to the police, a check of records).
    Added, never edited: a correction is a new action."""

    enquiry = models.ForeignKey("Enquiry", on_delete=models.CASCADE, related_name="actions")
    taken_on = models.DateField()
    description = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_on", "id"]

    def __str__(self) -> str:
        return f"Action on {self.taken_on:%-d %B %Y}"
