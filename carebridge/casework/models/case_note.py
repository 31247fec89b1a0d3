from django.conf import settings
from django.db import models

from carebridge.rules.local_codes import CASE_NOTE_KINDS


class CaseNote(models.Model):
    """A contemporaneous case recording. Notes are never edited: a correction is a new note."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_notes")
    kind = models.CharField(max_length=30, choices=CASE_NOTE_KINDS)
    occurred_at = models.DateTimeField(help_text="When the contact or activity happened.")
    subject = models.CharField(max_length=200)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["person", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.subject} ({self.occurred_at:%Y-%m-%d})"
