"""Forms for the s117 aftercare pages. They read what was typed; the rules (a split adding up,
both bodies agreeing, no end on a CTO...) are checked by :mod:`.aftercare_services`."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from carebridge.core.forms import GovDateField, OnceOnlyForm
from carebridge.organisations.models import Organisation, Worker
from carebridge.rules import aftercare as rules

YES, NO = "yes", "no"
YES_NO = [(YES, "Yes"), (NO, "No")]
SPLIT_KINDS = [("percentages", "As percentages"), ("amounts", "As weekly amounts (£)")]


def _money_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=10,
        decimal_places=2,
        error_messages={
            "invalid": f"{label} must be an amount of money, like 125.50",
            "max_decimal_places": f"{label} must be in pounds and pence",
            "max_digits": f"{label} is too large",
        },
    )


def _percent_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=5,
        decimal_places=2,
        error_messages={
            "invalid": f"{label} must be a number, like 50",
            "max_decimal_places": f"{label} must have no more than 2 decimal places",
            "max_digits": f"{label} must be between 0% and 100%",
        },
    )


class EligibilityForm(OnceOnlyForm):
    council = forms.ModelChoiceField(
        label="Responsible council",
        queryset=Organisation.objects.filter(kind=Organisation.COUNCIL, is_active=True),
        help_text="Where the person was ordinarily resident immediately before they were "
        "detained (s117(3)).",
    )
    icb = forms.ModelChoiceField(
        label="Responsible integrated care board",
        queryset=Organisation.objects.filter(kind=Organisation.ICB, is_active=True),
    )
    residence_basis = forms.ChoiceField(
        label="How ordinary residence was decided",
        choices=rules.RESIDENCE_BASES,
        widget=forms.RadioSelect,
    )
    residence_address = forms.CharField(
        label="Address immediately before detention", required=False, max_length=300
    )
    residence_postcode = forms.CharField(label="Postcode", required=False, max_length=8)
    disputed = forms.ChoiceField(
        label="Is it disputed which council is responsible?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    dispute_notes = forms.CharField(
        label="If disputed: which councils, and why", required=False, widget=forms.Textarea
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("disputed", NO)
        self.fields["council"].error_messages["required"] = (
            "Select the council responsible for aftercare"
        )
        self.fields["icb"].error_messages["required"] = (
            "Select the integrated care board responsible for aftercare"
        )
        self.fields["residence_basis"].error_messages["required"] = (
            "Select how the person's ordinary residence was decided"
        )
        self.fields["disputed"].error_messages["required"] = (
            "Select whether responsibility is disputed"
        )


class PlanForm(OnceOnlyForm):
    needs = forms.CharField(
        label="Needs arising from the person's mental disorder",
        widget=forms.Textarea,
        max_length=20_000,
    )
    reduces_risk = forms.CharField(
        label="How the aftercare services reduce the risk of deterioration and readmission",
        widget=forms.Textarea,
        max_length=20_000,
    )
    council_worker = forms.ModelChoiceField(
        label="Agreed for the council by", queryset=Worker.objects.none()
    )
    icb_representative = forms.CharField(label="Agreed for the ICB by (name)", max_length=200)
    icb_representative_role = forms.CharField(
        label="Their role in the ICB", required=False, max_length=200
    )
    agreed_on = GovDateField(label="Date the plan was agreed")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, worker, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = {worker.pk} | ({current.pk} if current is not None else set())
        team = Worker.objects.filter(is_active=True, team_id=worker.team_id)
        self.fields["council_worker"].queryset = (
            team | Worker.objects.filter(pk__in=ids)
        ).order_by("first_name", "last_name", "pk")
        self.initial.setdefault("council_worker", (current or worker).pk)
        self.initial.setdefault("agreed_on", timezone.localdate())
        self.fields["council_worker"].error_messages["required"] = (
            "Select the council worker who agreed the plan"
        )
        self.fields["needs"].error_messages["required"] = (
            "Enter the needs arising from the person's mental disorder"
        )
        self.fields["reduces_risk"].error_messages["required"] = (
            "Enter how the services reduce the risk of deterioration and readmission"
        )
        self.fields["icb_representative"].error_messages["required"] = (
            "Enter the name of the ICB representative who agreed the plan"
        )


class FundingForm(OnceOnlyForm):
    planned_service = forms.ModelChoiceField(
        label="Service in the care plan", queryset=None, empty_label=None
    )
    given_as = forms.ChoiceField(
        label="How is the split given?", choices=SPLIT_KINDS, widget=forms.RadioSelect
    )
    council_percent = _percent_field("The council's share (%)")
    icb_percent = _percent_field("The ICB's share (%)")
    council_weekly = _money_field("The council's weekly amount")
    icb_weekly = _money_field("The ICB's weekly amount")
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("given_as", "percentages")
        field = self.fields["planned_service"]
        if services is None:
            del self.fields["planned_service"]
        else:
            field.queryset = services
            field.label_from_instance = lambda s: (
                f"{s.description} ({s.service_component}, £{s.weekly_cost:,.2f} a week)"
            )
            field.error_messages["required"] = "Select the service funded under s117"
            field.error_messages["invalid_choice"] = (
                "Select a service from the person's current care plan"
            )
        self.fields["given_as"].error_messages["required"] = (
            "Select whether the split is given in percentages or weekly amounts"
        )


class ReviewForm(OnceOnlyForm):
    held_on = GovDateField(label="Date of the review")
    council_attendees = forms.CharField(
        label="Who attended for the council", max_length=500, widget=forms.Textarea
    )
    icb_attendees = forms.CharField(
        label="Who attended for the ICB", max_length=500, widget=forms.Textarea
    )
    outcome = forms.ChoiceField(
        label="Outcome", choices=rules.REVIEW_OUTCOMES, widget=forms.RadioSelect
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("held_on", timezone.localdate())
        self.fields["outcome"].error_messages["required"] = "Select the outcome of the review"
        self.fields["council_attendees"].error_messages["required"] = (
            "Enter who attended for the council: a joint review needs both bodies"
        )
        self.fields["icb_attendees"].error_messages["required"] = (
            "Enter who attended for the ICB: a joint review needs both bodies"
        )


class EndForm(OnceOnlyForm):
    decided_on = GovDateField(label="Date of the decision")
    council_decision_maker = forms.CharField(
        label="The council's decision maker (name and role)", max_length=200
    )
    council_agrees = forms.ChoiceField(
        label="Has the council decided the person no longer needs aftercare?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    icb_decision_maker = forms.CharField(
        label="The ICB's decision maker (name and role)", max_length=200
    )
    icb_agrees = forms.ChoiceField(
        label="Has the ICB decided the person no longer needs aftercare?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label="Why the person no longer needs aftercare", widget=forms.Textarea
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, who in (("council_agrees", "the council"), ("icb_agrees", "the ICB")):
            self.fields[key].error_messages["required"] = f"Select whether {who} has decided"
        self.fields["council_decision_maker"].error_messages["required"] = (
            "Enter the name of the council's decision maker"
        )
        self.fields["icb_decision_maker"].error_messages["required"] = (
            "Enter the name of the ICB's decision maker"
        )
        self.fields["reasons"].error_messages["required"] = (
            "Enter why the person no longer needs aftercare"
        )
