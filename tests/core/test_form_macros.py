"""core/forms.html writes out GOV.UK Frontend's input and date-input markup instead of calling
govukInput and govukDateInput (they cost more than the rest of a search page). These tests
render both ways over a matrix of parameters and require the same HTML, so the fast macros
can never drift from the design system's markup, including after a GOV.UK Frontend upgrade."""

from __future__ import annotations

import functools
import itertools
import re

import pytest
from django import forms
from django.template import engines

from carebridge.core.forms import GovDateField

REFERENCE = """
{%- from "govuk_frontend_jinja/components/input/macro.html" import govukInput -%}
{%- from "govuk_frontend_jinja/components/date-input/macro.html" import govukDateInput -%}
{%- macro ref_input(field, errors, hint=None, classes="", type="text", autocomplete=None,
    spellcheck=None, inputmode=None, label_classes="govuk-label--s") -%}
  {{ govukInput({
    "id": field.name, "name": field.name, "type": type,
    "label": {"text": field.label, "classes": label_classes},
    "hint": {"text": hint or field.help_text} if (hint or field.help_text) else None,
    "value": field.value() if field.value() is not none else "",
    "classes": classes,
    "autocomplete": autocomplete, "spellcheck": spellcheck, "inputmode": inputmode,
    "errorMessage": {"text": errors[field.name]} if errors and errors.get(field.name) else None
  }) }}
{%- endmacro -%}
{%- macro ref_date(field, errors, hint="For example, 27 3 1950") -%}
  {% set parts = field.value() if field.value() is sequence and field.value() is not string
     else field.field.widget.decompress(field.value()) %}
  {% set err = errors and errors.get(field.name) %}
  {{ govukDateInput({
    "id": field.name, "namePrefix": field.name,
    "fieldset": {"legend": {"text": field.label, "classes": "govuk-fieldset__legend--s"}},
    "hint": {"text": hint} if hint else None,
    "errorMessage": {"text": errors[field.name]} if err else None,
    "items": [
      {"name": "day", "label": "Day", "classes": "govuk-input--width-2"
        ~ (" govuk-input--error" if err else ""), "value": parts[0]},
      {"name": "month", "label": "Month", "classes": "govuk-input--width-2"
        ~ (" govuk-input--error" if err else ""), "value": parts[1]},
      {"name": "year", "label": "Year", "classes": "govuk-input--width-4"
        ~ (" govuk-input--error" if err else ""), "value": parts[2]}
    ]
  }) }}
{%- endmacro -%}
"""


class SampleForm(forms.Form):
    name = forms.CharField(label="Full name", required=False)
    nhs_number = forms.CharField(
        label="NHS number", required=False, help_text="Ten digits, like 943 476 5919"
    )
    date_of_birth = GovDateField(label="Date of birth", required=False)


def _normalise(html: str) -> str:
    """Whitespace is not markup: collapse it, and drop it between and inside tags' edges."""
    html = re.sub(r"\s+", " ", html).strip()
    html = re.sub(r">\s+", ">", html)
    html = re.sub(r"\s+<", "<", html)
    return re.sub(r"\s+>", ">", html)


@functools.cache
def _template(source: str):
    return engines["jinja2"].env.from_string(source)


def _render(source: str, **context) -> str:
    return _normalise(_template(source).render(**context))


def _both(call: str, **context) -> tuple[str, str]:
    fast = _render('{% import "core/forms.html" as f %}{{ f.' + call + " }}", **context)
    reference = _render(REFERENCE + "{{ ref_" + call + " }}", **context)
    return fast, reference


INPUT_OPTIONS = {
    "hint": [None, "Full name or family name <b>"],
    "classes": ["", "govuk-input--width-10"],
    "type": ["text", "email"],
    "autocomplete": [None, "off"],
    "spellcheck": [None, False, True],
    "inputmode": [None, "numeric"],
}


@pytest.mark.parametrize("field_name", ["name", "nhs_number"])
@pytest.mark.parametrize("value", [None, "", "O'Brien & <Sons>"])
@pytest.mark.parametrize("error", [None, "Enter a name using letters"])
def test_input_markup_is_govuk_frontends(field_name, value, error):
    data = {field_name: value} if value is not None else None
    form = SampleForm(data)
    errors = {field_name: error} if error else {}
    for combo in itertools.product(*INPUT_OPTIONS.values()):
        kwargs = dict(zip(INPUT_OPTIONS, combo, strict=True))
        args = ", ".join(f"{k}={k}" for k in kwargs)
        fast, reference = _both(
            f"input(form[field_name], errors, {args})",
            form=form,
            field_name=field_name,
            errors=errors,
            **kwargs,
        )
        assert fast == reference, kwargs
        assert f'id="{field_name}"' in fast
        assert ("govuk-error-message" in fast) == bool(error)


def test_input_label_classes_are_passed_through():
    form = SampleForm()
    fast, reference = _both('input(form["name"], {}, label_classes="govuk-label--m")', form=form)
    assert fast == reference
    assert 'class="govuk-label govuk-label--m"' in fast


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"date_of_birth-day": "", "date_of_birth-month": "", "date_of_birth-year": ""},
        {"date_of_birth-day": "31", "date_of_birth-month": "2", "date_of_birth-year": "1950"},
        {"date_of_birth-day": "<x>", "date_of_birth-month": "", "date_of_birth-year": "19"},
    ],
)
@pytest.mark.parametrize("error", [None, "Date of birth must be a real date"])
@pytest.mark.parametrize("hint", ["For example, 27 3 1950", ""])
def test_date_markup_is_govuk_frontends(data, error, hint):
    form = SampleForm(data)
    errors = {"date_of_birth": error} if error else {}
    fast, reference = _both(
        'date(form["date_of_birth"], errors, hint=hint)', form=form, errors=errors, hint=hint
    )
    assert fast == reference


def test_date_markup_with_an_initial_date():
    import datetime as dt

    form = SampleForm(initial={"date_of_birth": dt.date(1950, 3, 27)})
    fast, reference = _both('date(form["date_of_birth"], {})', form=form)
    assert fast == reference
    assert 'value="27"' in fast
