from __future__ import annotations

from django import forms
from django.utils import timezone

from carebridge.core.forms import GovDateField, OnceOnlyForm
from carebridge.rules import cld
from carebridge.rules.local_codes import CONTACT_METHODS, REQUEST_SOURCES


def _blank(choices):
    return [("", "Select an option"), *choices]


class ContactForm(OnceOnlyForm):
    contact_date = GovDateField(label="Date of contact")
    client_type = forms.ChoiceField(
        label="Who is the request about?",
        choices=[
            (cld.SERVICE_USER, "The person, for their own care and support"),
            (cld.UNPAID_CARER, "The person as an unpaid carer"),
        ],
        initial=cld.SERVICE_USER,
    )
    request_source = forms.ChoiceField(label="Who made contact", choices=_blank(REQUEST_SOURCES))
    contact_method = forms.ChoiceField(label="How", choices=_blank(CONTACT_METHODS))
    route_of_access = forms.ChoiceField(
        label="Route of access (CLD)", choices=_blank(cld.choices(cld.ROUTE_OF_ACCESS))
    )
    description = forms.CharField(
        label="What is the request about?", widget=forms.Textarea, max_length=5000
    )
    outcome = forms.ChoiceField(
        label="Outcome (if decided)",
        required=False,
        choices=_blank(cld.choices(cld.EVENT_OUTCOME)),
        help_text="Leave empty if the request is still open.",
    )
    completed_on = GovDateField(label="Date the outcome was decided", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("contact_date", timezone.localdate())
        # Question-style labels do not make good "Enter ..." messages: say it in GOV.UK's words.
        for name, message in {
            "client_type": "Select who the request is about",
            "contact_method": "Select how the contact was made",
            "route_of_access": "Select the route of access",
            "description": "Enter what the request is about",
        }.items():
            self.fields[name].error_messages["required"] = message
