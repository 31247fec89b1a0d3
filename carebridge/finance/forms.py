"""Forms for financial assessments. They check what was typed and say what is wrong in GOV.UK's
words, and turn it into the charging engine's input (``case_input``); the engine itself checks
the figures against the rules and the year's rates."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from carebridge.core.forms import GovDateField, OnceOnlyForm
from carebridge.planning.forms import InvalidAmount, parse_amount

from . import calculation
from .models import FinancialAssessment

FA = FinancialAssessment
YES, NO = "yes", "no"
YES_NO = [(YES, "Yes"), (NO, "No")]
MAX_TEXT = 20_000
AMOUNT_MAX = Decimal("99999999.99")
INCOME_ROWS = 8  # rows offered without JavaScript; one more than the lines saved if more
MAX_INCOME_ROWS = 40


class DateField(GovDateField):
    """A GOV.UK date input whose messages name the date ("Date the charge starts must be a
    real date")."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as e:
            message = e.messages[0]
            if message.startswith("Date "):
                message = f"{self.label} {message.removeprefix('Date ')}"
            elif message == "Enter a date":
                message = f"Enter the {self.label[0].lower()}{self.label[1:]}"
            raise forms.ValidationError(message, code="invalid") from None


class StartForm(OnceOnlyForm):
    kind = forms.ChoiceField(
        label="What kind of financial assessment?",
        choices=FA.Kind.choices,
        widget=forms.RadioSelect,
    )
    financial_year = forms.ChoiceField(label="Financial year")
    setting = forms.ChoiceField(
        label="Where is the care given?", choices=FA.Setting.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = calculation.year_choices()
        for name, message in (
            ("kind", "Select the kind of financial assessment"),
            ("financial_year", "Select the financial year"),
            ("setting", "Select where the care is given"),
        ):
            self.fields[name].error_messages["required"] = message
            self.fields[name].error_messages["invalid_choice"] = message


# (field, label in messages, like "the savings"); all weekly amounts but capital.
MONEY_FIELDS: dict[str, tuple[str, str]] = {
    "capital_savings": ("Savings (£)", "savings"),
    "capital_other": ("Other capital (£)", "other capital"),
    "capital_main_home": ("Value of the main home (£)", "value of the main home"),
    "weekly_housing_costs": ("Housing costs each week (£)", "housing costs"),
    "weekly_disability_related_expenditure": (
        "Disability-related expenditure each week (£)",
        "disability-related expenditure",
    ),
    "weekly_care_cost": ("Weekly cost of care (£)", "weekly cost of care"),
}
# Fields each kind of assessment asks for (the others are not shown or read).
SHORT_FIELDS = (
    "financial_year",
    "setting",
    "weekly_care_cost",
    "s117",
    "evidence",
    "effective_from",
    "version",
    "submission_token",
    "income_rows",
)
LIGHT_TOUCH_FIELDS = (*SHORT_FIELDS, "light_touch_basis", "free_service")


class FinancialAssessmentForm(OnceOnlyForm):
    """The financial assessment's figures. ``kind`` decides which are asked; ``rows`` is how
    many income lines are offered (``income-<n>-type`` and ``income-<n>-amount``)."""

    financial_year = forms.ChoiceField(label="Financial year")
    setting = forms.ChoiceField(
        label="Where is the care given?", choices=FA.Setting.choices, widget=forms.RadioSelect
    )
    light_touch_basis = forms.ChoiceField(
        label="Why is a light-touch assessment enough?",
        choices=FA.LightTouchBasis.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="SI 2014/2672 reg 10: only with the person's consent, and only where the "
        "evidence makes the answer clear without a full assessment.",
    )
    age = forms.CharField(label="Age", required=False)
    couple = forms.ChoiceField(
        label="Is the person one of a couple?", choices=YES_NO, widget=forms.RadioSelect,
        required=False,
    )  # fmt: skip
    partner_age = forms.CharField(label="Partner's age (optional)", required=False)
    dependent_children = forms.CharField(label="Number of dependent children", required=False)
    premiums = forms.MultipleChoiceField(
        label="Premiums the person gets, or would get on Income Support",
        choices=calculation.PREMIUM_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="SI 2014/2672 reg 7(5). Select all that apply.",
    )
    capital_savings = forms.CharField(label=MONEY_FIELDS["capital_savings"][0], required=False)
    capital_other = forms.CharField(label=MONEY_FIELDS["capital_other"][0], required=False)
    capital_main_home = forms.CharField(label=MONEY_FIELDS["capital_main_home"][0], required=False)
    weekly_housing_costs = forms.CharField(
        label=MONEY_FIELDS["weekly_housing_costs"][0], required=False
    )
    weekly_disability_related_expenditure = forms.CharField(
        label=MONEY_FIELDS["weekly_disability_related_expenditure"][0], required=False
    )
    weekly_care_cost = forms.CharField(label=MONEY_FIELDS["weekly_care_cost"][0], required=False)
    s117 = forms.ChoiceField(
        label="Is the care aftercare under section 117 of the Mental Health Act 1983?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    free_service = forms.ChoiceField(
        label="Is the care a service that is free of charge?",
        choices=[("", "No, none of these"), *calculation.FREE_SERVICE_CHOICES],
        widget=forms.RadioSelect,
        required=False,
    )
    first_permanent_admission_week = forms.CharField(
        label="Week of the stay since a first permanent admission (optional)", required=False
    )
    circumstances = forms.MultipleChoiceField(
        label="Other circumstances",
        choices=calculation.CIRCUMSTANCES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    evidence = forms.CharField(
        label="Evidence seen", required=False, max_length=MAX_TEXT, widget=forms.Textarea
    )
    effective_from = DateField(label="Date the charge starts", required=False)
    income_rows = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, kind: str, rows: int = INCOME_ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.rows = max(INCOME_ROWS, min(rows, MAX_INCOME_ROWS))
        self.fields["financial_year"].choices = calculation.year_choices()
        if kind == FA.Kind.FULL:
            for n in range(self.rows):
                self.fields[f"income-{n}-type"] = forms.ChoiceField(
                    label=f"Type of income {n + 1}",
                    choices=[("", "Select a type of income"), *calculation.INCOME_TYPE_CHOICES],
                    required=False,
                )
                self.fields[f"income-{n}-type"].error_messages["invalid_choice"] = (
                    f"Select a listed type for income {n + 1}"
                )
                self.fields[f"income-{n}-amount"] = forms.CharField(
                    label=f"Amount of income {n + 1} each week (£)", required=False
                )
        else:
            keep = LIGHT_TOUCH_FIELDS if kind == FA.Kind.LIGHT_TOUCH else SHORT_FIELDS
            for name in list(self.fields):
                if name not in keep:
                    del self.fields[name]
        self.initial.setdefault("income_rows", self.rows)
        messages = {
            "financial_year": ("Select the financial year", "Select the financial year"),
            "setting": ("Select where the care is given", "Select where the care is given"),
            "light_touch_basis": ("", "Select why a light-touch assessment is enough"),
            "couple": ("", "Select yes if the person is one of a couple"),
            "s117": ("", "Select yes if the care is s117 aftercare"),
            "free_service": ("", "Select a free service from the list"),
            "premiums": ("", "Select premiums from the list"),
            "circumstances": ("", "Select circumstances from the list"),
        }
        for name, (required, invalid) in messages.items():
            if name in self.fields:
                if required:
                    self.fields[name].error_messages["required"] = required
                self.fields[name].error_messages["invalid_choice"] = invalid
        if "evidence" in self.fields:
            self.fields["evidence"].error_messages["max_length"] = (
                f"Evidence seen must be {MAX_TEXT:,} characters or fewer"
            )
        self.fields["version"].error_messages["required"] = "The form is out of date: open it again"

    # --- reading the boxes --------------------------------------------------------------------

    def _money(self, name: str, what: str) -> Decimal | None:
        raw = self.cleaned_data.get(name, "")
        if not (raw or "").strip():
            return None
        try:
            value = parse_amount(raw, pounds=True)
        except InvalidAmount as e:
            if str(e) == "negative":
                raise forms.ValidationError(
                    f"The {what} must be £0.00 or more", code="negative"
                ) from None
            if str(e) == "places":
                raise forms.ValidationError(
                    f"Enter the {what} in pounds and pence, like 18.40: no more than 2 numbers "
                    "after the decimal point"
                ) from None
            raise forms.ValidationError(
                f"Enter the {what} in pounds and pence, like 18.40"
            ) from None
        if value > AMOUNT_MAX:
            raise forms.ValidationError(f"The {what} must be less than £100,000,000")
        return value

    def _whole(self, name: str, what: str, low: int, high: int, example: str) -> int | None:
        raw = (self.cleaned_data.get(name) or "").strip()
        if not raw:
            return None
        if raw.startswith("-") and raw[1:].isdigit():
            raise forms.ValidationError(f"The {what} must be {low} or more")
        if not raw.isdigit():
            raise forms.ValidationError(f"Enter the {what} as a whole number, like {example}")
        value = int(raw)
        if not low <= value <= high:
            raise forms.ValidationError(f"The {what} must be between {low} and {high}")
        return value

    def clean(self):
        cleaned = super().clean()
        for name, (_, what) in MONEY_FIELDS.items():
            if name in self.fields and name not in self.errors:
                try:
                    cleaned[name] = self._money(name, what)
                except forms.ValidationError as e:
                    self.add_error(name, e)
        whole = {
            "age": ("person's age", calculation.MIN_AGE, calculation.MAX_AGE, "67"),
            "partner_age": ("partner's age", calculation.MIN_AGE, calculation.MAX_AGE, "70"),
            "dependent_children": ("number of dependent children", 0, 30, "2"),
            "first_permanent_admission_week": ("week of the stay", 1, 5200, "3"),
        }
        for name, (what, low, high, example) in whole.items():
            if name in self.fields and name not in self.errors:
                try:
                    cleaned[name] = self._whole(name, what, low, high, example)
                except forms.ValidationError as e:
                    self.add_error(name, e)
        self._clean_income(cleaned)
        if self.kind == FA.Kind.LIGHT_TOUCH:
            basis = cleaned.get("light_touch_basis")
            if basis == FA.LightTouchBasis.FREE_SERVICE and not cleaned.get("free_service"):
                self.add_error("free_service", "Select the service that is free of charge")
        return cleaned

    def _clean_income(self, cleaned) -> None:
        self.income_lines: list[tuple[int, str, Decimal]] = []
        if self.kind != FA.Kind.FULL:
            return
        for n in range(self.rows):
            kind = cleaned.get(f"income-{n}-type") or ""
            amount_name = f"income-{n}-amount"
            raw = (cleaned.get(amount_name) or "").strip()
            if f"income-{n}-type" in self.errors:
                continue
            if not kind and not raw:
                continue
            if not kind:
                self.add_error(f"income-{n}-type", f"Select the type of income {n + 1}")
                continue
            if not raw:
                self.add_error(amount_name, f"Enter the amount of income {n + 1} each week")
                continue
            try:
                amount = self._money(amount_name, f"amount of income {n + 1}")
            except forms.ValidationError as e:
                self.add_error(amount_name, e)
                continue
            self.income_lines.append((n, kind, amount))

    # --- to and from the engine's input -----------------------------------------------------

    @property
    def income_rows_used(self) -> list[int]:
        return [n for n, _, _ in self.income_lines]

    def case_input(self) -> dict:
        """The engine's input from what was typed. Boxes left empty are left out where the
        engine needs an answer (age, cost of care); otherwise empty means none."""
        d = self.cleaned_data
        money = calculation.money
        data: dict = {"financial_year": d["financial_year"], "setting": d["setting"]}
        if d.get("weekly_care_cost") is not None:
            data["weekly_care_cost"] = money(d["weekly_care_cost"])
        data["s117"] = d.get("s117") == YES
        if self.kind == FA.Kind.LIGHT_TOUCH:
            if d.get("light_touch_basis") == FA.LightTouchBasis.FREE_SERVICE:
                data["free_service"] = d.get("free_service") or None
            return data
        if self.kind != FA.Kind.FULL:
            return data
        if d.get("age") is not None:
            data["age"] = d["age"]
        data |= {
            "couple": d.get("couple") == YES,
            "dependent_children": d.get("dependent_children") or 0,
            "premiums": [p for p, _ in calculation.PREMIUM_CHOICES if p in d.get("premiums", [])],
            "capital": {
                "savings": money(d.get("capital_savings") or 0),
                "other": money(d.get("capital_other") or 0),
                "main_home": money(d.get("capital_main_home") or 0),
            },
            "weekly_income": [
                {"type": kind, "amount": money(amount)} for _, kind, amount in self.income_lines
            ],
            "weekly_housing_costs": money(d.get("weekly_housing_costs") or 0),
            "weekly_disability_related_expenditure": money(
                d.get("weekly_disability_related_expenditure") or 0
            ),
            "free_service": d.get("free_service") or None,
            "first_permanent_admission_week": d.get("first_permanent_admission_week"),
        }
        if d.get("couple") == YES and d.get("partner_age") is not None:
            data["partner_age"] = d["partner_age"]
        for key, _ in calculation.CIRCUMSTANCES:
            if key in d.get("circumstances", []):
                data[key] = True
        return data

    def calculation_problems(self) -> dict[str, str]:
        """Answers the engine needs that were left empty."""
        d = self.cleaned_data
        problems = {}
        if self.kind == FA.Kind.FULL and d.get("age") is None and "age" not in self.errors:
            problems["age"] = "Enter the person's age"
        if d.get("weekly_care_cost") is None and "weekly_care_cost" not in self.errors:
            problems["weekly_care_cost"] = "Enter the weekly cost of care"
        if (
            self.kind == FA.Kind.LIGHT_TOUCH
            and not d.get("light_touch_basis")
            and "light_touch_basis" not in self.errors
        ):
            problems["light_touch_basis"] = "Select why a light-touch assessment is enough"
        return problems

    @staticmethod
    def initial_from(fa: FinancialAssessment) -> dict:
        case = fa.case_input or {}

        def amount(value) -> str:
            return "" if value is None else f"{Decimal(str(value)):.2f}"

        def yes_no(value) -> str:
            return "" if value is None else (YES if value else NO)

        capital = case.get("capital") or {}
        initial = {
            "financial_year": case.get("financial_year", fa.financial_year),
            "setting": case.get("setting", fa.setting),
            "light_touch_basis": fa.light_touch_basis,
            "age": case.get("age", ""),
            "couple": yes_no(case.get("couple")),
            "partner_age": case.get("partner_age", ""),
            "dependent_children": case.get("dependent_children", ""),
            "premiums": list(case.get("premiums", [])),
            "capital_savings": amount(capital.get("savings")),
            "capital_other": amount(capital.get("other")),
            "capital_main_home": amount(capital.get("main_home")),
            "weekly_housing_costs": amount(case.get("weekly_housing_costs")),
            "weekly_disability_related_expenditure": amount(
                case.get("weekly_disability_related_expenditure")
            ),
            "weekly_care_cost": amount(case.get("weekly_care_cost")),
            "s117": yes_no(case.get("s117")),
            "free_service": case.get("free_service") or "",
            "first_permanent_admission_week": case.get("first_permanent_admission_week") or "",
            "circumstances": [k for k, _ in calculation.CIRCUMSTANCES if case.get(k)],
            "evidence": fa.evidence,
            "effective_from": fa.effective_from,
            "version": fa.version,
        }
        for n, line in enumerate(case.get("weekly_income") or []):
            initial[f"income-{n}-type"] = line.get("type", "")
            initial[f"income-{n}-amount"] = amount(line.get("amount"))
        return initial

    @staticmethod
    def rows_for(fa: FinancialAssessment) -> int:
        return max(INCOME_ROWS, len((fa.case_input or {}).get("weekly_income") or []) + 1)

    def income_row_fields(self) -> list[tuple]:
        return [(self[f"income-{n}-type"], self[f"income-{n}-amount"]) for n in range(self.rows)]
