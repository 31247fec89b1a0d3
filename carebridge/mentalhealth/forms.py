"""Forms for Mental Health Act work. Each checks what was typed (dates, times, choices); the
services check the rules and the record."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone

from carebridge.core.forms import GovDateField, OnceOnlyForm
from carebridge.organisations.models import Organisation, Worker
from carebridge.rules import amhp
from carebridge.rules import legal_status as status_rules
from carebridge.rules import mental_health_act as mha

from . import services

YES_NO = (("yes", "Yes"), ("no", "No"))
_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.]?(\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time(text: str) -> dt.time:
    """A time as people type it: 14:30, 14.30, 1430, 2:30pm, 9am."""
    m = _TIME.match(text or "")
    if not m:
        raise forms.ValidationError("Enter a time like 14:30", code="invalid")
    hour, minute, half = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise forms.ValidationError("Enter a time like 2:30pm or 14:30", code="invalid")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise forms.ValidationError("Enter a real time, like 14:30", code="invalid")
    return dt.time(hour, minute)


class TimeField(forms.Field):
    """A time typed in a text box (GOV.UK has no time component): see :func:`parse_time`."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Use the 24-hour clock, for example 14:30")
        super().__init__(**kwargs)

    def to_python(self, value):
        text = (value or "").strip()[:20]
        return parse_time(text) if text else None


def moment(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    """The date and time typed, in the council's time zone."""
    if day is None or time is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, time))


def _now_parts(initial: dict, prefix: str) -> None:
    now = timezone.localtime()
    initial.setdefault(f"{prefix}_on", now.date())
    initial.setdefault(f"{prefix}_time", f"{now:%H:%M}")


def _yes(value: str) -> bool:
    return value == "yes"


class _Hospital(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


def _hospitals():
    """NHS trusts: the provider register holds care providers too, which are not hospitals (an
    independent hospital can be named in the ward or site box)."""
    return Organisation.objects.filter(kind=Organisation.NHS_TRUST, is_active=True).order_by("name")


class RequestForm(OnceOnlyForm):
    requested_on = GovDateField(label="Date of the request")
    requested_time = TimeField(label="Time of the request")
    requester_name = forms.CharField(label="Name of the person asking", max_length=200)
    requester_role = forms.ChoiceField(
        label="Who is asking for the assessment?",
        choices=amhp.REQUESTERS,
        widget=forms.RadioSelect,
    )
    requester_phone = forms.CharField(
        label="Their phone number (optional)", required=False, max_length=40
    )
    request_reason = forms.CharField(
        label="Why is an assessment needed?",
        widget=forms.Textarea,
        max_length=services.MAX_TEXT,
        help_text="What is happening now, risks to the person or others, and where they are.",
    )
    section_considered = forms.ChoiceField(
        label="Section being considered (optional)",
        choices=[("", "Not known yet"), *amhp.CONSIDERED],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _now_parts(self.initial, "requested")
        self.fields["requester_role"].error_messages["required"] = (
            "Select who is asking for the assessment"
        )

    @property
    def requested_at(self) -> dt.datetime | None:
        d = self.cleaned_data
        return moment(d.get("requested_on"), d.get("requested_time"))


class VersionForm(OnceOnlyForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AllocateForm(VersionForm):
    held_by = forms.ModelChoiceField(label="AMHP", queryset=Worker.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_by"].queryset = services.amhps()
        self.fields["held_by"].label_from_instance = lambda w: (
            f"{w.get_full_name() or w.username}{f', {w.team.name}' if w.team_id else ''}"
        )
        self.fields["held_by"].error_messages["required"] = "Select an AMHP"


class AssessmentForm(VersionForm):
    assessed_on = GovDateField(label="Date of the assessment")
    assessed_time = TimeField(label="Time of the assessment")
    location = forms.CharField(
        label="Where did the assessment take place?",
        max_length=200,
        help_text="For example, the person's home, an emergency department or a place of safety.",
    )
    section_considered = forms.ChoiceField(
        label="Section considered",
        choices=[("", "Not recorded"), *amhp.CONSIDERED],
        required=False,
    )
    doctor_1_name = forms.CharField(label="First doctor's name", max_length=200, required=False)
    doctor_1_s12 = forms.ChoiceField(
        label="Is the first doctor approved under section 12?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="no",
    )
    doctor_1_known = forms.ChoiceField(
        label="Did the first doctor know the person before (previous acquaintance)?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="no",
    )
    doctor_2_name = forms.CharField(label="Second doctor's name", max_length=200, required=False)
    doctor_2_s12 = forms.ChoiceField(
        label="Is the second doctor approved under section 12?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="no",
    )
    doctor_2_known = forms.ChoiceField(
        label="Did the second doctor know the person before (previous acquaintance)?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="no",
    )
    acquaintance_reason = forms.CharField(
        label="If neither doctor knew the person before: why that was not practicable",
        widget=forms.Textarea,
        required=False,
        max_length=services.MAX_TEXT,
    )
    nr_name = forms.CharField(label="Nearest relative's name", max_length=200, required=False)
    nr_relationship = forms.ChoiceField(
        label="Who they are to the person",
        choices=[("", "Select an option"), *amhp.NR_RELATIONSHIPS],
        required=False,
    )
    nr_contact = forms.ChoiceField(
        label="The nearest relative",
        choices=amhp.NR_CONTACT,
        widget=forms.RadioSelect,
        required=False,
    )
    nr_reason = forms.CharField(
        label="If not consulted or informed: why not",
        widget=forms.Textarea,
        required=False,
        max_length=services.MAX_TEXT,
    )
    nr_objected = forms.ChoiceField(
        label="Does the nearest relative object to an application?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="no",
    )
    nr_displaced = forms.ChoiceField(
        label="Has the county court displaced the nearest relative (s29)?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="no",
        help_text="If so, record the acting nearest relative the court appointed above.",
    )
    outcome = forms.ChoiceField(
        label="Outcome of the assessment", choices=amhp.OUTCOMES, widget=forms.RadioSelect
    )
    hospital = _Hospital(
        label="Hospital (if admitted)",
        queryset=Organisation.objects.none(),
        required=False,
    )
    hospital_place = forms.CharField(
        label="Ward or hospital site (optional)", max_length=200, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _now_parts(self.initial, "assessed")
        self.fields["hospital"].queryset = _hospitals()
        self.fields["outcome"].error_messages["required"] = "Select the outcome of the assessment"

    def details(self) -> services.AssessmentDetails:
        d = self.cleaned_data
        return services.AssessmentDetails(
            assessed_at=moment(d.get("assessed_on"), d.get("assessed_time")),
            location=d["location"],
            outcome=d["outcome"],
            section_considered=d.get("section_considered", ""),
            doctor_1_name=d.get("doctor_1_name", ""),
            doctor_1_s12=_yes(d["doctor_1_s12"]),
            doctor_1_known=_yes(d["doctor_1_known"]),
            doctor_2_name=d.get("doctor_2_name", ""),
            doctor_2_s12=_yes(d["doctor_2_s12"]),
            doctor_2_known=_yes(d["doctor_2_known"]),
            acquaintance_reason=d.get("acquaintance_reason", ""),
            nr_name=d.get("nr_name", ""),
            nr_relationship=d.get("nr_relationship", ""),
            nr_contact=d.get("nr_contact", ""),
            nr_reason=d.get("nr_reason", ""),
            nr_objected=_yes(d["nr_objected"]),
            nr_displaced=_yes(d["nr_displaced"]),
            hospital=d.get("hospital"),
            hospital_place=d.get("hospital_place", ""),
        )


class ReportForm(VersionForm):
    alternatives_considered = forms.CharField(
        label="Alternatives to detention you considered",
        widget=forms.Textarea,
        required=False,
        max_length=services.MAX_TEXT,
        help_text="Less restrictive options: support at home, crisis or home treatment, "
        "informal admission, and why they would or would not work.",
    )
    report = forms.CharField(
        label="Your report: what you found and the reasons for your decision",
        widget=forms.Textarea,
        required=False,
        max_length=services.MAX_TEXT,
        help_text="The interview, the views of the person, the doctors and the nearest "
        "relative, and why you did or did not make an application.",
    )


class _StatusForm(OnceOnlyForm):
    started_on = GovDateField(label="Date it started")
    started_time = TimeField(label="Time it started")
    hospital = _Hospital(
        label="Hospital (for a detention)", queryset=Organisation.objects.none(), required=False
    )
    place = forms.CharField(
        label="Ward, place of safety or address (optional)", max_length=200, required=False
    )
    notes = forms.CharField(
        label="Notes (optional)",
        widget=forms.Textarea,
        required=False,
        max_length=services.MAX_TEXT,
        help_text="For example, the papers received and from whom.",
    )

    def __init__(self, *args, sections: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        _now_parts(self.initial, "started")
        self.fields["hospital"].queryset = _hospitals()
        self.fields["section"] = forms.ChoiceField(
            label="Section",
            choices=[("", "Select an option")] + [(c, dict(mha.CHOICES)[c]) for c in sections],
        )
        self.fields["section"].error_messages["required"] = "Select the section"
        self.order_fields(["section", "started_on", "started_time"])

    @property
    def started_at(self) -> dt.datetime | None:
        d = self.cleaned_data
        return moment(d.get("started_on"), d.get("started_time"))


class StartStatusForm(_StatusForm):
    def __init__(self, *args, **kwargs):
        super().__init__(
            *args, sections=[s.code for s in mha.SECTIONS if s.code != mha.CTO], **kwargs
        )


class ReplaceStatusForm(_StatusForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    left_hospital_on = GovDateField(
        label="Day the person left hospital (if they did, for example on a CTO)", required=False
    )

    def __init__(self, *args, old: str, before_old: str = "", **kwargs):
        super().__init__(
            *args, sections=status_rules.followers(old, before_old=before_old), **kwargs
        )


END_REASONS = [
    (value, label)
    for value, label in mha.END_REASON_CHOICES
    if value not in status_rules.BY_REPLACEMENT
]


class EndStatusForm(VersionForm):
    ended_on = GovDateField(label="Date it ended")
    ended_time = TimeField(label="Time it ended")
    end_reason = forms.ChoiceField(
        label="Why did it end?", choices=END_REASONS, widget=forms.RadioSelect
    )
    left_hospital_on = GovDateField(
        label="Day the person left hospital (after a detention)", required=False
    )
    notes = forms.CharField(
        label="Notes (optional)",
        widget=forms.Textarea,
        required=False,
        max_length=services.MAX_TEXT,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _now_parts(self.initial, "ended")
        self.fields["end_reason"].error_messages["required"] = "Select why it ended"

    @property
    def ended_at(self) -> dt.datetime | None:
        d = self.cleaned_data
        return moment(d.get("ended_on"), d.get("ended_time"))
