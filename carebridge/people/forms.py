from __future__ import annotations

from django import forms
from django.utils import timezone

from carebridge.core.forms import GovDateField, GovFormMixin, OnceOnlyForm
from carebridge.organisations.models import Organisation
from carebridge.rules import carers as carer_rules
from carebridge.rules import cld
from carebridge.rules import nhs_number as nhs
from carebridge.rules.local_codes import ALERT_KINDS, CARER_OFFER_METHODS, CARER_RELATIONSHIPS


def _blank(choices):
    return [("", "Select an option"), *choices]


class SearchForm(GovFormMixin, forms.Form):
    nhs_number = forms.CharField(label="NHS number", required=False, max_length=20)
    name = forms.CharField(label="Name", required=False, max_length=200)
    date_of_birth = GovDateField(label="Date of birth", required=False)
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)


class PersonForm(OnceOnlyForm):
    title = forms.CharField(label="Title (optional)", required=False, max_length=20)
    given_name = forms.CharField(label="Given name", max_length=100)
    family_name = forms.CharField(label="Family name", max_length=100)
    preferred_name = forms.CharField(
        label="Preferred name (optional)", required=False, max_length=100
    )
    previous_family_name = forms.CharField(
        label="Previous family name (optional)",
        required=False,
        max_length=100,
        help_text="For example, a family name before marriage. Search finds people by it.",
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        required=False,
        max_length=20,
        help_text="10 digits, like 943 476 5919",
    )
    nhs_number_status = forms.ChoiceField(
        label="NHS number verification status",
        required=False,
        choices=_blank(list(nhs.VERIFICATION_STATUS.items())),
    )
    date_of_birth = GovDateField(label="Date of birth")
    date_of_death = GovDateField(label="Date of death (if the person has died)", required=False)
    gender = forms.ChoiceField(label="Gender", choices=cld.choices(cld.GENDER))
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=_blank(cld.choices(cld.ETHNICITY)))
    address_line_1 = forms.CharField(label="Address line 1", required=False, max_length=200)
    address_line_2 = forms.CharField(
        label="Address line 2 (optional)", required=False, max_length=200
    )
    town = forms.CharField(label="Town or city", required=False, max_length=100)
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    phone = forms.CharField(label="Phone (optional)", required=False, max_length=30)
    email = forms.EmailField(label="Email (optional)", required=False)
    gp_practice = forms.ModelChoiceField(
        label="GP practice (optional)",
        required=False,
        queryset=Organisation.objects.filter(kind=Organisation.GP_PRACTICE, is_active=True),
    )
    primary_support_reason = forms.ChoiceField(
        label="Primary support reason",
        choices=cld.choices(cld.PRIMARY_SUPPORT_REASON),
        initial=cld.UNKNOWN,
    )
    communication_needs = forms.CharField(
        label="Communication needs (optional)", required=False, widget=forms.Textarea
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["previous_family_name"]


class StatusForm(GovFormMixin, forms.Form):
    status = forms.ChoiceField(label="Status")
    valid_from = GovDateField(label="From")

    def __init__(self, *args, field_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _blank(cld.choices(field_name))
        self.fields["status"].error_messages["required"] = "Select a status"
        self.initial.setdefault("valid_from", timezone.localdate())


class CarerForm(GovFormMixin, forms.Form):
    carer_person_id = forms.CharField(
        label="Carer's council person ID or NHS number",
        max_length=20,
        help_text="The carer needs their own record: find or add them first.",
    )
    relationship = forms.ChoiceField(
        label="Relationship to the person", choices=_blank(CARER_RELATIONSHIPS)
    )
    lives_with_cared_for = forms.BooleanField(label="Lives with the person", required=False)
    is_main_carer = forms.BooleanField(label="Main carer", required=False)
    started_on = GovDateField(label="Caring since (optional)", required=False)


class AlertForm(GovFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Type of alert", choices=_blank(ALERT_KINDS))
    details = forms.CharField(label="Details", widget=forms.Textarea, max_length=2000)
    starts_on = GovDateField(label="From")
    ends_on = GovDateField(label="Until (optional)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("starts_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "The end date must be the same as or after the start")
        return cleaned


class RestrictionForm(GovFormMixin, forms.Form):
    is_restricted = forms.BooleanField(label="Restrict this record", required=False)
    named_workers = forms.ModelMultipleChoiceField(
        label="Workers who may find and open it",
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named_workers"].queryset = workers

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_restricted") and not cleaned.get("named_workers"):
            self.add_error("named_workers", "Name at least one worker who may open the record")
        return cleaned


# --- offers of a carer's assessment (Care Act 2014 s10) -----------------------------------------


class _WorkerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


def _offer_errors(form: forms.Form, cleaned: dict, offered_on) -> None:
    """The rules' checks (carebridge.rules.carers), on the form's own fields."""
    response = cleaned.get("response")
    if response is None:
        return
    problems = carer_rules.offer_errors(
        offered_on=offered_on,
        response=response,
        responded_on=cleaned.get("responded_on"),
        declined_reason=cleaned.get("declined_reason", ""),
        today=timezone.localdate(),
    )
    for field, message in problems.items():
        if field in form.fields and field not in form.errors:
            form.add_error(field, message)


class CarerOfferForm(OnceOnlyForm):
    offered_on = GovDateField(label="Date of the offer")
    method = forms.ChoiceField(
        label="How was the offer made?", choices=CARER_OFFER_METHODS, widget=forms.RadioSelect
    )
    offered_by = _WorkerChoice(label="Who made the offer?", queryset=None)
    details = forms.CharField(
        label="Details (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        help_text="For example, the information about support for carers you gave them.",
    )
    response = forms.ChoiceField(
        label="The carer's response",
        choices=carer_rules.RESPONSES,
        widget=forms.RadioSelect,
        initial=carer_rules.AWAITING,
    )
    responded_on = GovDateField(label="Date of the response (if they answered)", required=False)
    declined_reason = forms.CharField(
        label="If they declined: their reason, in their words",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )

    def __init__(self, *args, worker, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        from carebridge.organisations.models import Worker

        same_team = Q(team_id=worker.team_id) if worker.team_id else Q(pk=worker.pk)
        self.fields["offered_by"].queryset = Worker.objects.filter(
            same_team | Q(pk=worker.pk), is_active=True
        ).order_by("first_name", "last_name", "pk")
        self.initial.setdefault("offered_by", worker.pk)
        self.initial.setdefault("offered_on", timezone.localdate())
        self.fields["method"].error_messages["required"] = "Select how the offer was made"
        self.fields["offered_by"].error_messages["required"] = "Select who made the offer"
        self.fields["response"].error_messages["required"] = "Select the carer's response"

    def clean(self):
        cleaned = super().clean()
        _offer_errors(self, cleaned, cleaned.get("offered_on"))
        return cleaned


class CarerResponseForm(OnceOnlyForm):
    response = forms.ChoiceField(
        label="The carer's response",
        choices=[c for c in carer_rules.RESPONSES if c[0] in carer_rules.ANSWERED],
        widget=forms.RadioSelect,
    )
    responded_on = GovDateField(label="Date of the response")
    declined_reason = forms.CharField(
        label="If they declined: their reason, in their words",
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, offered_on, **kwargs):
        super().__init__(*args, **kwargs)
        self.offered_on = offered_on
        self.initial.setdefault("responded_on", timezone.localdate())
        self.fields["response"].error_messages["required"] = (
            "Select whether the carer accepted or declined"
        )
        self.fields["responded_on"].error_messages["required"] = (
            "Enter the date of the carer's response"
        )

    def clean(self):
        cleaned = super().clean()
        _offer_errors(self, cleaned, self.offered_on)
        return cleaned
