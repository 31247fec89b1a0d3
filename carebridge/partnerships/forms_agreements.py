"""Forms for the agreement pages. They check what was typed (dates, numbers, choices) and say
what is wrong in GOV.UK's words; the rules (date order, money, extensions, which team can be
hosted) live in :mod:`carebridge.partnerships.agreements`."""

from __future__ import annotations

from django import forms

from carebridge.core.forms import GovDateField, LaidOutForm
from carebridge.organisations.models import Organisation, Team
from carebridge.rules import partnerships as rules

from . import agreements

OUT_OF_DATE = "The form is out of date: open it again"


def _money(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text="In pounds, for example 125000.00",
        error_messages={
            "invalid": f"The {label.lower()} must be an amount of money, like 125000.00",
            "max_decimal_places": f"The {label.lower()} must be in pounds and pence",
            "max_digits": f"The {label.lower()} is too large",
            "max_whole_digits": f"The {label.lower()} is too large",
        },
    )


def _text(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=agreements.MAX_TEXT,
        widget=forms.Textarea,
        help_text=help_text,
        error_messages={
            "max_length": f"{label} must be {agreements.MAX_TEXT:,} characters or fewer"
        },
    )


class AgreementForm(LaidOutForm):
    reference = forms.CharField(
        label="Reference", max_length=40, help_text="As written on the agreement"
    )
    title = forms.CharField(label="Title", max_length=200)
    council = forms.ModelChoiceField(
        label="Council", queryset=Organisation.objects.filter(kind=Organisation.COUNCIL)
    )
    partner = forms.ModelChoiceField(
        label="NHS partner",
        queryset=Organisation.objects.filter(kind__in=rules.NHS_PARTNER_KINDS).order_by("name"),
        help_text="The NHS trust or integrated care board the functions are delegated to",
    )
    functions = forms.MultipleChoiceField(
        label="Functions delegated",
        choices=rules.DELEGABLE_FUNCTIONS,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = GovDateField(label="Date the agreement starts")
    ends_on = GovDateField(
        label="Date the agreement ends",
        required=False,
        help_text="As first agreed; record extensions separately. Leave empty if it runs "
        "until ended by notice.",
    )
    management_fee = _money("Management fee each year")
    pooled_budget = _money("Pooled budget")
    council_contribution = _money("Council's contribution")
    partner_contribution = _money("Partner's contribution")
    notes = _text("Notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["functions"].error_messages["required"] = (
            "Select the functions the council delegates"
        )
        self.fields["starts_on"].error_messages["required"] = "Enter the date the agreement starts"

    @staticmethod
    def initial_for(a) -> dict:
        return {
            "reference": a.reference,
            "title": a.title,
            "council": a.council_id,
            "partner": a.partner_id,
            "functions": list(a.functions),
            "starts_on": a.starts_on,
            "ends_on": a.ends_on,
            "management_fee": a.management_fee,
            "pooled_budget": a.pooled_budget,
            "council_contribution": a.council_contribution,
            "partner_contribution": a.partner_contribution,
            "notes": a.notes,
        }


class ExtendForm(LaidOutForm):
    new_ends_on = GovDateField(label="New end date")
    agreed_on = GovDateField(label="Date the extension was agreed")
    note = _text("Note", help_text="For example, the decision that agreed it")


class EndForm(LaidOutForm):
    terminated_on = GovDateField(label="Last day the agreement runs")
    reason = _text("Reason it ends early", required=True)


class ConditionForm(LaidOutForm):
    measure = forms.ChoiceField(label="Measure", choices=())
    target = forms.DecimalField(
        label="Target",
        max_digits=8,
        decimal_places=2,
        help_text="A compliance rate in per cent (at least), or a number of days, hand-offs "
        "or cases (at most)",
        error_messages={"invalid": "The target must be a number, like 85 or 28"},
    )
    description = _text("Description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = agreements.measure_choices()


class TeamForm(LaidOutForm):
    """Any active team is accepted (the service says why a team cannot be hosted); the page
    offers the teams the partner manages today (``offered``)."""

    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.filter(is_active=True),
        help_text="The teams the partner manages today",
    )

    def __init__(self, *args, offered=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = list(offered)
        # Shown: the partner's teams; accepted: any active team (the service says why not).
        self.fields["team"].choices = [("", "Select a team")] + [
            (t.pk, t.name) for t in self.offered
        ]
