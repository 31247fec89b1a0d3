"""The compliance pages' filters, read from the query string and checked: a mistyped or stale
link gets a GOV.UK error message (and a 400), never a crash or a silently different figure."""

from __future__ import annotations

import datetime as dt
import re

from django import forms

from carebridge.core.forms import GovDateField, GovFormMixin, OnceOnlyForm

from . import figures, standards
from .dashboard import BREAKDOWNS, NOT_ALLOCATED, Scope, kind_label
from .definitions import DUTIES
from .standards_service import REASON_REQUIRED

ALL = ""


def _holder_choices() -> dict[str, list[tuple[str, str]]]:
    """The organisations and teams to filter by, from one query (the organisations that hold
    teams: the council and the NHS trust hosting council functions)."""
    from carebridge.organisations.models import Team

    teams = list(Team.objects.select_related("organisation").order_by("organisation__name", "name"))
    orgs = {t.organisation.pk: t.organisation for t in teams}
    return {
        "organisation": [
            (ALL, "All organisations"),
            *((str(o.pk), f"{o.name} ({kind_label(o.kind)})") for o in orgs.values()),
            (NOT_ALLOCATED, "Not allocated"),
        ],
        "team": [
            (ALL, "All teams"),
            *((str(t.pk), f"{t.name} ({t.organisation.name})") for t in teams),
            (NOT_ALLOCATED, "Not allocated"),
        ],
    }


_NO_SUCH = {
    "organisation": "Select an organisation from the list: the one in the link does not exist",
    "team": "Select a team from the list: the one in the link does not exist",
}


class _ScopeForm(GovFormMixin, forms.Form):
    duty = forms.ChoiceField(label="Duty", required=False)
    organisation = forms.ChoiceField(label="Organisation", required=False)
    team = forms.ChoiceField(label="Team", required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["duty"].choices = [(ALL, "All duties")] + [
            (d.id, d.title) for d in DUTIES.values()
        ]
        self.fields["duty"].error_messages["invalid_choice"] = (
            "Select a duty from the list: there is no duty with that name"
        )
        choices = _holder_choices()
        for name in ("organisation", "team"):
            self.fields[name].choices = choices[name]
            self.fields[name].error_messages["invalid_choice"] = _NO_SUCH[name]

    def scope(self) -> Scope:
        d = self.cleaned_data
        return Scope(
            duty=d.get("duty") or None,
            organisation=_key(d.get("organisation")),
            team=_key(d.get("team")),
            worker=_key(d.get("worker")),
        )


def _key(value: str | None):
    if not value:
        return None
    return NOT_ALLOCATED if value == NOT_ALLOCATED else int(value)


class DashboardForm(_ScopeForm):
    by = forms.ChoiceField(label="Show figures", required=False, choices=list(BREAKDOWNS.items()))

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["by"].error_messages["invalid_choice"] = (
            "Select how to show the figures: by duty, organisation, team or worker"
        )

    def clean_by(self) -> str:
        return self.cleaned_data.get("by") or "duty"


STATES = {**figures.FIGURES, **figures.ALSO}


class PeopleForm(_ScopeForm):
    state = forms.ChoiceField(label="Figure", required=False)
    worker = forms.CharField(required=False, widget=forms.HiddenInput)
    month = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, today: dt.date, **kwargs):
        super().__init__(data, **kwargs)
        self.today = today
        self.fields["state"].choices = [(ALL, "Every figure"), *STATES.items()]
        self.fields["state"].error_messages["invalid_choice"] = (
            "Select a figure from the list: met on time, met late, overdue, due or not applicable"
        )

    def clean_worker(self) -> str:
        from carebridge.organisations.models import Worker

        value = self.cleaned_data.get("worker") or ""
        if value in (ALL, NOT_ALLOCATED):
            return value
        if not value.isdigit() or not Worker.objects.filter(pk=int(value)).exists():
            raise forms.ValidationError("The worker in the link does not exist")
        return value

    def clean_month(self) -> dt.date | None:
        from .snapshots import month_end

        value = self.cleaned_data.get("month") or ""
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{2})", value)
        if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1900:
            raise forms.ValidationError("The month in the link must be like 2026-03")
        end = month_end(int(match[1]), int(match[2]))
        if end >= self.today:
            raise forms.ValidationError("The month in the link has not ended yet")
        return end

    def clean(self):
        d = super().clean()
        if d.get("month") and not d.get("duty"):
            self.add_error("duty", "Select a duty to see the people behind a month's figure")
        if d.get("month") and d.get("state") in ("due_soon", "due_later"):
            self.add_error(
                "state", "A month's figures count due as one figure: select due, not due soon"
            )
        return d

    def figure(self) -> str | None:
        return self.cleaned_data.get("state") or None


class TrendsForm(_ScopeForm):
    pass


# --- a new local standard -------------------------------------------------------------------


class _DutyChoice(forms.ChoiceField):
    """The duties a council sets, offered in the list; any known duty id passes the form, so
    that the service says why one cannot be set (a stale page, a hand-made request)."""

    def valid_value(self, value) -> bool:
        return value in DUTIES


class _EffectiveFrom(GovDateField):
    """Messages that name the date: "The date the standard comes into force must be a real
    date"."""

    NAME = "The date the standard comes into force"

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as e:
            message = e.messages[0]
            if message.startswith("Date "):
                message = f"{self.NAME} {message.removeprefix('Date ')}"
            elif message == "Enter a date":
                message = f"Enter {self.NAME[0].lower()}{self.NAME[1:]}"
            raise forms.ValidationError(message, code="invalid") from None

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(
                f"Enter {self.NAME[0].lower()}{self.NAME[1:]}", code="required"
            )


class StandardForm(OnceOnlyForm):
    """A new version of a duty's local standard: what is typed is checked here (a real date, a
    whole number); whether it may be saved is the service's to say
    (``standards_service.check``)."""

    duty = _DutyChoice(label="Duty")
    effective_from = _EffectiveFrom(label="Date the standard comes into force")
    amount = forms.CharField(label="Time allowed", max_length=10)
    unit = forms.ChoiceField(
        label="Counted in",
        choices=[(u.key, u.label[0].upper() + u.label[1:]) for u in standards.UNITS.values()],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Council decision",
        widget=forms.Textarea,
        help_text=(
            "The decision this standard puts into effect, with who made it and when, like "
            "'Cabinet, 12 November 2026, item 7: assessments start within 20 working days'."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duty"].choices = [
            (d.id, f"{d.title} ({d.id})") for d in standards.settable_duties()
        ]
        self.fields["duty"].error_messages["invalid_choice"] = "Select a duty from the list"
        self.fields["amount"].error_messages["required"] = "Enter the time allowed"
        self.fields["amount"].error_messages["max_length"] = (
            "Enter the time allowed as a whole number, like 28"
        )
        self.fields["unit"].error_messages["required"] = (
            "Select calendar days, working days or months"
        )
        self.fields["unit"].error_messages["invalid_choice"] = (
            "Select calendar days, working days or months"
        )
        self.fields["note"].error_messages["required"] = (
            "Enter the council decision this standard puts into effect"
        )

    def clean_amount(self) -> int:
        text = self.cleaned_data["amount"].strip()
        if not re.fullmatch(r"-?\d+", text):
            raise forms.ValidationError("Enter the time allowed as a whole number, like 28")
        return int(text)


class WithdrawStandardForm(OnceOnlyForm):
    """Why a standard that has not come into force is withdrawn."""

    reason = forms.CharField(
        label="Why is this standard withdrawn?",
        widget=forms.Textarea,
        help_text="For example, 'The date was mistyped: the cabinet decision is for 2028'.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = REASON_REQUIRED
