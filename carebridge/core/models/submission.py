from django.conf import settings
from django.db import models


class SubmissionReceipt(models.Model):
    """Makes form submissions idempotent: every form carries a one-time token; the first
    submission stores the token with what it created, and a repeat (double click, browser
    resubmit, retry after a time-out) is answered with the original result instead of a
    second record."""

    token = models.CharField(max_length=64, unique=True)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)
    result_url = models.CharField(max_length=300)

    def __str__(self) -> str:
        return self.token
