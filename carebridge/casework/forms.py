from __future__ import annotations

from django import forms
from django.utils import timezone

from carebridge.core.forms import GovDateField, GovFormMixin, OnceOnlyForm
from carebridge.organisations.models import Team, Worker
from carebridge.rules.local_codes import ALLOCATION_REASONS, CASE_NOTE_KINDS


class AllocationForm(GovFormMixin, forms.Form):
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.filter(is_active=True).select_related("organisation")
    )
    worker = forms.ModelChoiceField(
        label="Worker (optional)",
        required=False,
        queryset=Worker.objects.filter(is_active=True, team__isnull=False).select_related("team"),
        help_text="Leave empty to allocate to the team without a named worker.",
    )
    reason = forms.ChoiceField(
        label="Reason", choices=[("", "Select an option"), *ALLOCATION_REASONS]
    )
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].label_from_instance = lambda w: f"{w}, {w.team}"

    def clean(self):
        cleaned = super().clean()
        team, worker = cleaned.get("team"), cleaned.get("worker")
        if team and worker and worker.team_id != team.pk:
            self.add_error("worker", f"{worker} is not in {team}: choose someone in that team")
        return cleaned


class CaseNoteForm(OnceOnlyForm):
    kind = forms.ChoiceField(label="Type of contact", choices=CASE_NOTE_KINDS)
    occurred_on = GovDateField(label="Date of contact")
    subject = forms.CharField(label="Subject", max_length=200)
    text = forms.CharField(label="Note", widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("occurred_on", timezone.localdate())


class BreakGlassForm(GovFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why do you need to see this record?",
        widget=forms.Textarea,
        help_text="Your reason, your name and the time are recorded and shown to the team "
        "manager responsible for this person.",
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Not "Enter why do you need to see this record?": the same words as a too-short reason.
        self.fields["reason"].error_messages["required"] = "Explain why you need to see this record"
