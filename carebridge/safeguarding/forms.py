"""Forms for safeguarding pages. They check what was typed (dates, times, choices) and say what
is wrong in GOV.UK's words; the rules about concerns and enquiries (what a decision or a
conclusion needs) live in the services and :mod:`carebridge.rules.safeguarding`."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone

from carebridge.core.forms import GovDateField, LaidOutForm
from carebridge.rules import safeguarding as sg

from . import selectors

YES, NO = "yes", "no"
YES_NO = [(YES, "Yes"), (NO, "No")]
OUT_OF_DATE = "The form is out of date: open it again"
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def _text(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=sg.MAX_TEXT,
        widget=forms.Textarea,
        help_text=help_text,
        error_messages={"max_length": f"{label} must be {sg.MAX_TEXT:,} characters or fewer"},
    )


def _short(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=200,
        help_text=help_text,
        error_messages={"max_length": f"{label} must be 200 characters or fewer"},
    )


def _yes_no(value: str | None) -> bool | None:
    return {YES: True, NO: False}.get(value or "")


def _as_yes_no(value: bool | None) -> str:
    return "" if value is None else (YES if value else NO)


class OnceOnly(LaidOutForm):
    pass


class _Versioned(OnceOnly):
    version = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": OUT_OF_DATE,
                                 "invalid": OUT_OF_DATE})  # fmt: skip


class ConcernForm(OnceOnly):
    received_on = GovDateField(label="Date the concern was received", required=False)
    received_time = forms.CharField(
        label="Time it was received",
        required=False,
        max_length=5,
        help_text="Use the 24-hour clock, for example 14:30",
    )
    raised_by_name = _short("Name of the person raising the concern", required=True)
    raised_by_role = _short("Their role", help_text="For example, ward sister or police officer")
    raised_by_organisation = _short("Their organisation", help_text="Leave empty for family")
    source = forms.ChoiceField(label="Who raised the concern", choices=sg.CONCERN_SOURCES)
    details = _text(
        "What the concern is",
        required=True,
        help_text="What was seen, heard or told, by whom, and when. Write facts, not opinions.",
    )
    risk_types = forms.MultipleChoiceField(
        label="Type of abuse or neglect",
        choices=sg.TYPE_OF_RISK,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select types of abuse or neglect from the list"},
    )
    location_of_risk = forms.ChoiceField(
        label="Where the abuse or neglect happened or may happen", choices=sg.LOCATION_OF_RISK
    )
    source_of_risk = forms.ChoiceField(label="Who the source of risk is", choices=sg.SOURCE_OF_RISK)
    source_relationship = forms.ChoiceField(
        label="Their relationship to the adult (optional)",
        choices=[("", "Select an option"), *sg.SOURCE_RELATIONSHIPS],
        required=False,
    )
    source_provider = forms.ModelChoiceField(
        label="The care provider (if a provider is the source of risk)",
        queryset=selectors.providers(),
        required=False,
        error_messages={"invalid_choice": "Select a care provider from the list"},
    )
    immediate_actions = _text(
        "Immediate safety actions taken",
        help_text="For example, police called, the adult moved to a safe place, a carer "
        "suspended pending investigation.",
    )

    def clean(self):
        data = super().clean()
        text = (data.get("received_time") or "").strip()
        day = data.get("received_on")
        if day is None and "received_on" not in self.errors:
            self.add_error("received_on", "Enter the date the concern was received")
        if not text:
            self.add_error("received_time", "Enter the time the concern was received")
        else:
            m = _TIME.match(text)
            if not m:
                self.add_error(
                    "received_time", "Enter the time in the 24-hour clock, for example 14:30"
                )
            elif day is not None:
                data["received_at"] = timezone.make_aware(
                    dt.datetime.combine(day, dt.time(int(m.group(1)), int(m.group(2))))
                )
        if not data.get("risk_types") and "risk_types" not in self.errors:
            self.add_error("risk_types", "Select the type of abuse or neglect (at least one)")
        return data

    @classmethod
    def initial_for(cls, worker) -> dict:
        """Who is raising it: the worker, until they say otherwise (a worker taking a call
        from a ward types the caller's details)."""
        now = timezone.localtime()
        team = getattr(worker, "team", None)
        organisation = team.organisation if team else None
        source = "council_staff"
        if organisation is not None and organisation.kind == "nhs_trust":
            source = "nhs_mental_health" if team.kind == "cmht" else "nhs_hospital_ward"
        return {
            "received_on": now.date(),
            "received_time": f"{now:%H:%M}",
            "raised_by_name": worker.get_full_name(),
            "raised_by_role": worker.job_title or worker.get_role_display(),
            "raised_by_organisation": organisation.name if organisation else "",
            "source": source,
        }


class DecisionForm(OnceOnly):
    needs_care_and_support = forms.ChoiceField(
        label=sg.CRITERIA[0][1], choices=YES_NO, required=False
    )
    needs_care_and_support_reason = _text("Reason")
    abuse_or_neglect = forms.ChoiceField(label=sg.CRITERIA[1][1], choices=YES_NO, required=False)
    abuse_or_neglect_reason = _text("Reason")
    unable_to_protect = forms.ChoiceField(label=sg.CRITERIA[2][1], choices=YES_NO, required=False)
    unable_to_protect_reason = _text("Reason")
    result = forms.ChoiceField(label="What the council will do", choices=sg.RESULTS, required=False)
    route = forms.ChoiceField(
        label="The route the concern takes instead",
        choices=[("", "Select an option"), *sg.ROUTES],
        required=False,
    )
    reason = _text(
        "Reason for the decision",
        help_text="Needed for an other enquiry or another route: why, and what the adult wants.",
    )
    decided_on = GovDateField(label="Date of the decision", required=False)
    lead_enquirer = forms.ModelChoiceField(
        label="Lead enquirer (for an enquiry)",
        queryset=selectors.lead_enquirers(),
        required=False,
        error_messages={"invalid_choice": "Select a lead enquirer from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each reason box names its criterion: (a), (b) or (c).
        for key, text in sg.CRITERIA:
            self.fields[f"{key}_reason"].label = f"Reason for your answer to {text[:3]}"

    def answers(self) -> dict[str, bool | None]:
        return {k: _yes_no(self.cleaned_data.get(k)) for k in sg.CRITERION_KEYS}

    def reasons(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(f"{k}_reason", "") for k in sg.CRITERION_KEYS}


class EnquiryForm(_Versioned):
    lead_enquirer = forms.ModelChoiceField(
        label="Lead enquirer",
        queryset=selectors.lead_enquirers(),
        required=False,
        error_messages={"invalid_choice": "Select a lead enquirer from the list"},
    )
    enquiry_plan = _text(
        "Enquiry plan",
        help_text="What the enquiry will find out, who will do what, and by when.",
    )


class OutcomesForm(_Versioned):
    msp_asked = forms.ChoiceField(
        label="Was the adult (or their representative) asked what outcomes they want?",
        choices=sg.MSP_ASKED_RECORDABLE,
        required=False,
    )
    outcomes_asked_on = GovDateField(label="Date they were asked", required=False)
    desired_outcomes = _text(
        "The outcomes they want",
        help_text='In their own words where possible, for example "I want to feel safe at '
        'home" or "I want my money back".',
    )


class AdvocacyForm(_Versioned):
    substantial_difficulty = forms.ChoiceField(
        label="Would the adult have substantial difficulty being involved in the enquiry?",
        choices=YES_NO,
        required=False,
        help_text="Understanding, retaining, using or weighing the information, or "
        "communicating their views (Care Act 2014 s68).",
    )
    appropriate_person = _short(
        "Appropriate person to support them (if there is one)",
        help_text="Name and relationship. Leave empty if there is nobody appropriate: an "
        "independent advocate must then be arranged.",
    )
    advocate_referred_on = GovDateField(
        label="Date an independent advocate was referred", required=False
    )

    def values(self) -> dict:
        return {**super().values(), "substantial_difficulty": _yes_no(
            self.cleaned_data.get("substantial_difficulty"))}  # fmt: skip


class ActionForm(OnceOnly):
    taken_on = GovDateField(label="Date of the action", required=False)
    description = _text("What was done", required=True)


class MeetingForm(OnceOnly):
    held_on = GovDateField(label="Date of the meeting", required=False)
    attendees = _text("Who attended", required=True, help_text="Names, roles and organisations.")
    decisions = _text("What was decided", required=True)


class PlanForm(OnceOnly):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    details = _text(
        "The safeguarding plan",
        required=True,
        help_text="What will be done to keep the adult safe, by whom, and how the adult will "
        "know who to contact.",
    )
    started_on = GovDateField(label="Date the plan starts", required=False)
    review_due = GovDateField(label="Date of the first review (optional)", required=False)


class PlanReviewForm(OnceOnly):
    reviewed_on = GovDateField(label="Date of the review", required=False)
    notes = _text("What the review found", required=True)
    outcome = forms.ChoiceField(
        label="What happens to the plan",
        choices=[("continue", "Keep the plan in place"), ("close", "Close the plan")],
    )
    next_review_due = GovDateField(label="Date of the next review", required=False)

    def values(self) -> dict:
        values = super().values()
        values["close"] = values.pop("outcome") == "close"
        return values


class ConcludeForm(_Versioned):
    concluded_on = GovDateField(label="Date the enquiry concluded", required=False)
    risk_outcome = forms.ChoiceField(label="Risk outcome", choices=sg.RISK_OUTCOME, required=False)
    msp_achieved = forms.ChoiceField(
        label="How far were the outcomes the adult wanted achieved?",
        choices=sg.MSP_ACHIEVED,
        required=False,
    )
    plan_after = forms.ChoiceField(
        label="The safeguarding plan", choices=sg.PLAN_AFTER, required=False
    )
    plan_review_due = GovDateField(label="Date the plan is next reviewed", required=False)
    conclusion = _text(
        "Summary of the enquiry's findings",
        help_text="What was found, what was done, and what the adult said about the outcome.",
    )


def initial_yes_no(value: bool | None) -> str:
    return _as_yes_no(value)
