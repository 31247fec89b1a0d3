"""Forms for care and support plans, services, direct payments, reviews and the resource
allocation system. They check what was typed and say what is wrong in GOV.UK's words; the rules
about plans themselves (what can change when, what a submission needs) live in services."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone

from carebridge.core.forms import GovDateField, OnceOnlyForm
from carebridge.organisations.models import Organisation
from carebridge.rules import cld
from carebridge.rules.eligibility import ADULT_LIMBS, ADULT_OUTCOMES

from .models import MEANS_OF_MEETING_NEEDS, DirectPaymentAgreement

PENNY = Decimal("0.01")
YES, NO = "yes", "no"
YES_NO = [(YES, "Yes"), (NO, "No")]
MAX_TEXT = 20_000

# "18.40", "£1,234.50", "14", ".5": digits with optional thousands commas and decimals.
_NUMBER = re.compile(r"^(\d+|\d{1,3}(,\d{3})+)?(\.\d+)?$")


class InvalidAmount(ValueError):
    pass


def parse_amount(raw: str, *, pounds: bool) -> Decimal:
    """A number typed by a person, as a Decimal (never a float). Raises InvalidAmount with
    "invalid", "negative" or "places" as its message."""
    text = (raw or "").strip().replace(" ", "")
    negative = text.startswith("-")
    text = text.removeprefix("-")
    if pounds:
        text = text.removeprefix("£")
        if not negative and text.startswith("-"):
            negative, text = True, text[1:]
    if not text or text == "." or not _NUMBER.match(text):
        raise InvalidAmount("invalid")
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise InvalidAmount("invalid") from None
    if negative and value != 0:
        raise InvalidAmount("negative")
    if value != value.quantize(PENNY):
        raise InvalidAmount("places")
    return value.quantize(PENNY)


class _Date(GovDateField):
    """A GOV.UK date input whose messages name the date: "Date of the review must be a real
    date", "Enter the date of the review"."""

    def _name(self) -> str:
        return (self.label or "Date").removesuffix(" (optional)")

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as e:
            message = e.messages[0]
            if message.startswith("Date "):
                message = f"{self._name()} {message.removeprefix('Date ')}"
            elif message == "Enter a date":
                message = f"Enter the {self._name()[0].lower()}{self._name()[1:]}"
            raise forms.ValidationError(message, code="invalid") from None

    def validate(self, value):
        if value is None and self.required:
            name = self._name()
            raise forms.ValidationError(f"Enter the {name[0].lower()}{name[1:]}", code="required")


def _text_field(label: str, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=MAX_TEXT, widget=forms.Textarea, **kwargs
    )


class PlanForm(OnceOnlyForm):
    """The plan's own words (s25(1)): with a "how it is met" box and means for each eligible
    need. The need fields are added per plan: ``need-<key>-how_met`` and ``need-<key>-means``."""

    outcomes_wanted = _text_field(
        "Outcomes the person wants to achieve",
        help_text="In their own words where possible. Put each outcome on its own line: "
        "each line is a separate item in the person's copy of the plan.",
    )
    informal_support = _text_field("Support from family, friends and the community")
    contingency_plan = _text_field(
        "Contingency plan",
        help_text="What happens if the support breaks down: who to phone, who steps in.",
    )
    information_and_advice = _text_field(
        "Information and advice given",
        help_text="What the person was told about reducing or preventing needs (s25(1)(f)).",
    )
    start_date = _Date(label="Date the plan starts", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, needs: dict[str, str], **kwargs):
        """``needs``: eligible need key -> label, in the plan's order."""
        super().__init__(*args, **kwargs)
        self.needs = needs
        for key, label in needs.items():
            self.fields[f"need-{key}-how_met"] = _text_field(f"How the need will be met: {label}")
            self.fields[f"need-{key}-means"] = forms.MultipleChoiceField(
                label=f"Means of meeting the need: {label}",
                choices=MEANS_OF_MEETING_NEEDS,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": "Choose from the listed means"},
            )
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = (
                    f"{field.label} must be {MAX_TEXT:,} characters or fewer"
                )
            if name == "version":
                field.error_messages["required"] = "The form is out of date: open it again"

    @staticmethod
    def initial_from(plan) -> dict:
        initial = {
            "outcomes_wanted": plan.outcomes_wanted,
            "informal_support": plan.informal_support,
            "contingency_plan": plan.contingency_plan,
            "information_and_advice": plan.information_and_advice,
            "start_date": plan.start_date,
            "version": plan.version,
        }
        for key, answer in (plan.needs or {}).items():
            initial[f"need-{key}-how_met"] = answer.get("how_met", "")
            initial[f"need-{key}-means"] = list(answer.get("means", []))
        return initial

    def plan_fields(self) -> dict:
        """What services.update_plan takes."""
        d = self.cleaned_data
        return {
            "outcomes_wanted": d["outcomes_wanted"],
            "informal_support": d["informal_support"],
            "contingency_plan": d["contingency_plan"],
            "information_and_advice": d["information_and_advice"],
            "start_date": d["start_date"],
            "needs": {
                key: {"how_met": d[f"need-{key}-how_met"], "means": d[f"need-{key}-means"]}
                for key in self.needs
            },
        }

    def need_rows(self) -> list[dict]:
        return [
            {
                "key": key,
                "label": label,
                "how_met": self[f"need-{key}-how_met"],
                "means": self[f"need-{key}-means"],
            }
            for key, label in self.needs.items()
        ]


class _Choice(forms.ChoiceField):
    def __init__(self, label: str, field: str):
        super().__init__(label=label, choices=[("", "Select an option"), *cld.choices(field)])
        self.error_messages["invalid_choice"] = f"Choose {label.lower()} from the options given"


class ServiceForm(OnceOnlyForm):
    description = forms.CharField(
        label="Description",
        max_length=200,
        help_text="What the service is, as the person would say it: for example, "
        "'Morning and evening visits to help with washing and meals'.",
    )
    service_type = _Choice("Service type", cld.SERVICE_TYPE)
    service_component = _Choice("Service component", cld.SERVICE_COMPONENT)
    delivery_mechanism = _Choice("Delivery mechanism", cld.DELIVERY_MECHANISM)
    provider = forms.ModelChoiceField(
        label="Provider (optional)",
        required=False,
        queryset=Organisation.objects.filter(kind=Organisation.PROVIDER, is_active=True).order_by(
            "name", "pk"
        ),
        help_text="Leave empty if no provider has been chosen yet, or the person will arrange "
        "it with a direct payment.",
        error_messages={"invalid_choice": "Select a provider from the list"},
    )
    unit_cost = forms.CharField(label="Unit cost (£)", required=False)
    cost_frequency = _Choice("Cost frequency", cld.COST_FREQUENCY)
    planned_units_per_week = forms.CharField(label="Planned units per week", required=False)
    s117_aftercare = forms.BooleanField(
        label="This service is aftercare under section 117 of the Mental Health Act 1983",
        required=False,
        help_text="s117 aftercare is free: no charge can be made for it.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    UNIT_COST_MAX = Decimal("99999999.99")
    UNITS_MAX = Decimal("999999.99")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].error_messages["max_length"] = (
            "Description must be 200 characters or fewer"
        )
        self.fields["version"].error_messages["required"] = "The form is out of date: open it again"

    def clean_unit_cost(self) -> Decimal:
        message = "Enter the unit cost in pounds and pence, like 18.40"
        try:
            value = parse_amount(self.cleaned_data.get("unit_cost", ""), pounds=True)
        except InvalidAmount as e:
            if str(e) == "negative":
                raise forms.ValidationError("The unit cost must be £0.00 or more") from None
            if str(e) == "places":
                raise forms.ValidationError(
                    "Enter the unit cost in pounds and pence, like 18.40: no more than 2 "
                    "numbers after the decimal point"
                ) from None
            raise forms.ValidationError(message) from None
        if value > self.UNIT_COST_MAX:
            raise forms.ValidationError("The unit cost must be less than £100,000,000")
        return value

    def clean_planned_units_per_week(self) -> Decimal:
        message = "Enter the planned units per week as a number, like 14 or 3.5"
        try:
            value = parse_amount(self.cleaned_data.get("planned_units_per_week", ""), pounds=False)
        except InvalidAmount as e:
            if str(e) == "negative":
                raise forms.ValidationError("Planned units per week must be 0 or more") from None
            if str(e) == "places":
                raise forms.ValidationError(
                    "Planned units per week can have no more than 2 numbers after the decimal "
                    "point, like 3.25"
                ) from None
            raise forms.ValidationError(message) from None
        if value > self.UNITS_MAX:
            raise forms.ValidationError("Planned units per week must be less than 1,000,000")
        return value

    def service_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "description": d["description"].strip(),
            "service_type": d["service_type"],
            "service_component": d["service_component"],
            "delivery_mechanism": d["delivery_mechanism"],
            "provider": d["provider"],
            "unit_cost": d["unit_cost"],
            "cost_frequency": d["cost_frequency"],
            "planned_units_per_week": d["planned_units_per_week"],
            "s117_aftercare": bool(d.get("s117_aftercare")),
        }


class DirectPaymentForm(OnceOnlyForm):
    start_date = _Date(label="Date the direct payment starts")
    agreement_signed_on = _Date(
        label="Date the direct payment agreement was signed (optional)", required=False
    )
    paid_to = forms.ChoiceField(
        label="Who is the direct payment paid to?",
        choices=DirectPaymentAgreement.PaidTo.choices,
        widget=forms.RadioSelect,
    )
    first_payment_on = _Date(label="Date of the first payment (optional)", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_to"].error_messages["required"] = "Select who the payment is paid to"
        self.fields["version"].error_messages["required"] = "The form is out of date: open it again"


class DecisionForm(OnceOnlyForm):
    APPROVE, RETURN = "approve", "return"

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (APPROVE, "Approve the plan and personal budget"),
            (RETURN, "Return the plan for changes"),
        ],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label="Reasons",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea,
        help_text="Needed when you return the plan: say what must change. When you approve, "
        "anything you add is kept with the decision.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].error_messages["required"] = (
            "Select whether to approve the plan or return it for changes"
        )
        self.fields["version"].error_messages["required"] = "The form is out of date: open it again"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not (cleaned.get("reasons") or "").strip():
            self.add_error("reasons", "Enter the reasons for returning the plan")
        return cleaned


class RequestReviewForm(OnceOnlyForm):
    requested_on = _Date(label="Date the review was asked for")
    requested_by = forms.CharField(
        label="Who asked for the review?",
        max_length=200,
        help_text="For example, 'The person', or 'Her daughter, Sarah Hughes'.",
    )
    reason = forms.CharField(
        label="Why has a review been asked for?", max_length=MAX_TEXT, widget=forms.Textarea
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("requested_on", timezone.localdate())
        self.fields["reason"].error_messages["required"] = "Enter why a review has been asked for"
        self.fields["requested_by"].error_messages["required"] = "Enter who asked for the review"


class ReviewForm(OnceOnlyForm):
    completed_on = _Date(label="Date of the review")
    method_of_review = forms.ChoiceField(
        label="Who took part in the review?",
        choices=cld.choices(cld.METHOD_OF_REVIEW),
        widget=forms.RadioSelect,
    )
    outcomes_achieved = forms.CharField(
        label="What the person has achieved against their outcomes",
        max_length=MAX_TEXT,
        widget=forms.Textarea,
    )
    cld_outcomes_achieved = forms.ChoiceField(
        label="How far were the person's outcomes met?",
        choices=cld.choices(cld.REVIEW_OUTCOMES_ACHIEVED),
        required=False,  # planned reviews only: the service says so (fields.csv)
        widget=forms.RadioSelect,
        help_text="Required for a planned review. Recorded for the Client Level Data return.",
    )
    direct_payment_working = forms.CharField(
        label="How the direct payment is working",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea,
        help_text="Whether it is still the right way to meet the needs, and how it is being "
        "managed and spent.",
    )
    cld_outcome = forms.ChoiceField(
        label="Outcome of the review",
        choices=[("", "Select an option"), *cld.choices(cld.EVENT_OUTCOME)],
    )
    leads_to_reassessment = forms.ChoiceField(
        label="Does the review lead to a reassessment?", choices=YES_NO, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("completed_on", timezone.localdate())
        self.fields["method_of_review"].error_messages["required"] = (
            "Select who took part in the review"
        )
        self.fields["outcomes_achieved"].error_messages["required"] = (
            "Record what the person has achieved against their outcomes"
        )
        self.fields["cld_outcome"].error_messages["required"] = "Select the outcome of the review"
        self.fields["leads_to_reassessment"].error_messages["required"] = (
            "Select yes if the review leads to a reassessment"
        )


_BAND_LINE = re.compile(r"^\s*(\d+)\s*(?:points?)?\s*[:=]\s*£?\s*([\d,]*\.?\d*)\s*$", re.IGNORECASE)


class RasForm(OnceOnlyForm):
    """A new version of the resource allocation system: points for each adult outcome and
    each limb of reg 2(3), and bands typed one a line as "points: weekly amount"."""

    bands = forms.CharField(
        label="Bands",
        widget=forms.Textarea,
        help_text="One band a line, lowest first, as 'points: weekly amount', like '20: 240.00'. "
        "The first band starts at 0 points.",
    )
    effective_from = _Date(label="Date this version comes into force")
    note = forms.CharField(
        label="What changed and why (optional)", required=False, widget=forms.Textarea
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in ADULT_OUTCOMES.items():
            self.fields[f"outcome-{key}"] = forms.CharField(label=label)
        for key, label in ADULT_LIMBS.items():
            self.fields[f"limb-{key}"] = forms.CharField(label=label)
        self.fields["bands"].error_messages["required"] = "Enter the bands, one a line"
        for name, field in self.fields.items():
            if name.startswith(("outcome-", "limb-")):
                field.error_messages["required"] = f"Enter the points for: {field.label}"

    @staticmethod
    def initial_from(scheme) -> dict:
        initial = {f"outcome-{k}": v for k, v in scheme.outcome_points.items()}
        initial |= {f"limb-{k}": v for k, v in scheme.limb_points.items()}
        initial["bands"] = "\n".join(f"{p}: {amount:.2f}" for p, amount in scheme.bands)
        return initial

    def outcome_fields(self):
        return [self[f"outcome-{k}"] for k in ADULT_OUTCOMES]

    def limb_fields(self):
        return [self[f"limb-{k}"] for k in ADULT_LIMBS]

    def clean(self):
        cleaned = super().clean()
        for name in list(cleaned):
            if name.startswith(("outcome-", "limb-")):
                raw = str(cleaned[name]).strip()
                if not raw.isdigit():
                    self.add_error(
                        name,
                        f"Points for '{self.fields[name].label}' must be a whole number, "
                        "0 or more, like 10",
                    )
                else:
                    cleaned[name] = int(raw)
        if "bands" in cleaned:
            bands = []
            for n, line in enumerate(cleaned["bands"].splitlines(), start=1):
                if not line.strip():
                    continue
                match = _BAND_LINE.match(line)
                try:
                    amount = parse_amount(match.group(2), pounds=True) if match else None
                except InvalidAmount:
                    amount = None
                if match is None or amount is None:
                    self.add_error(
                        "bands",
                        f"Line {n} of the bands: write it as 'points: weekly amount', like "
                        "'20: 240.00'",
                    )
                    break
                bands.append({"min_points": int(match.group(1)), "weekly_amount": f"{amount}"})
            else:
                cleaned["band_list"] = bands
        return cleaned

    def scheme_data(self) -> dict:
        d = self.cleaned_data
        return {
            "outcome_points": {k: d[f"outcome-{k}"] for k in ADULT_OUTCOMES},
            "limb_points": {k: d[f"limb-{k}"] for k in ADULT_LIMBS},
            "bands": d["band_list"],
        }
