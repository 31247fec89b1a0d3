"""Form building blocks for the GOV.UK Design System: dates typed in three boxes, one-time
submission tokens, and error messages in GOV.UK's words."""

from __future__ import annotations

import datetime as dt
import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from carebridge.rules import dates

from .models import SubmissionReceipt


class DateParts(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes (``name-day``, ``name-month``...)."""

    template_name = ""  # rendered by the Jinja macro, not Django's widget templates

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]

    def value_from_datadict(self, data, files, name):
        return [data.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")]

    def value_omitted_from_data(self, data, files, name):
        return all(f"{name}-{p}" not in data for p in ("day", "month", "year"))


class GovDateField(forms.Field):
    widget = DateParts

    def to_python(self, value):
        if not value or not any(value):
            return None
        try:
            return dates.from_parts(*value)
        except dates.InvalidDate as e:
            raise forms.ValidationError(str(e), code="invalid") from None

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(f"Enter {self.label.lower()}", code="required")


class GovFormMixin:
    """Required-field messages that name the field, as the GOV.UK Design System asks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = (field.label or "").lower()
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
                field.error_messages["required"] = f"Select {label}"
            elif not isinstance(field, GovDateField):
                field.error_messages["required"] = f"Enter {label}"


class OnceOnlyForm(GovFormMixin, forms.Form):
    """A form that can be submitted only once: see :class:`SubmissionReceipt`."""

    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", secrets.token_urlsafe(24))


def as_int(value, default: int) -> int:
    """A posted number (a form's version, say), or ``default`` when it is missing or not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def kind_of(field: forms.Field) -> str:
    """How a page draws a field (see the ``fields`` macro in core/_fields.html)."""
    widget = field.widget
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(field, GovDateField):
        return "date"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(field, forms.ModelChoiceField):
        return "select"
    if isinstance(field, forms.ChoiceField):
        options = [c for c in field.choices if c[0] != ""]
        if len(options) == 2:
            return "radios_inline"
        return "radios" if len(options) <= 6 else "select"
    return "input"


class Layout:
    """A form drawn field by field in order by the ``fields`` macro (core/_fields.html)."""

    cleaned_data: dict

    def values(self) -> dict:
        """What was typed, as the service takes it (the one-time token apart)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "submission_token"}

    def layout(self, skip: tuple[str, ...] = ()) -> list[dict]:
        """The visible fields in order, each with how to draw it."""
        return [
            {"kind": kind_of(bf.field), "field": bf}
            for bf in self  # type: ignore[attr-defined]
            if bf.name not in skip and kind_of(bf.field) != "hidden"
        ]


class LaidOutForm(Layout, OnceOnlyForm):
    """A one-time form drawn by the ``fields`` macro."""


class DuplicateSubmission(Exception):
    def __init__(self, result_url: str):
        super().__init__(result_url)
        self.result_url = result_url


def previous_result(token: str) -> str | None:
    if not token:
        return None
    return (
        SubmissionReceipt.objects.filter(token=token).values_list("result_url", flat=True).first()
    )


def claim_submission(token: str, worker, result_url: str) -> None:
    """Call inside the transaction that saves the form: a second submission with the same token
    fails the unique constraint and rolls back, so nothing is saved twice."""
    if not token:
        return
    try:
        with transaction.atomic():
            SubmissionReceipt.objects.create(token=token, worker=worker, result_url=result_url)
    except IntegrityError:
        raise DuplicateSubmission(previous_result(token) or result_url) from None


def submit_once(request, token: str, call, result_url):
    """Run a service call and claim the form's one-time token in the same transaction: a second
    submission of the same form raises DuplicateSubmission and saves nothing. ``result_url`` is
    a URL, or a function of the call's result giving one."""
    with transaction.atomic():
        result = call()
        url = result_url(result) if callable(result_url) else result_url
        claim_submission(token, request.user, url)
    return result


def already_submitted(request, message: str):
    """The answer to a form submitted a second time: a redirect to the first submission's
    result with ``message``, or None if this is the first time."""
    from django.contrib import messages
    from django.shortcuts import redirect

    url = previous_result(request.POST.get("submission_token", ""))
    if url:
        messages.info(request, message)
        return redirect(url)
    return None


def form_errors(form) -> dict[str, str]:
    """Field -> first message, the shape every page's error summary takes."""
    return {k: v[0] for k, v in form.errors.items()}


def validation_errors(e: ValidationError) -> dict[str, str]:
    """A service's ValidationError as field -> first message ("__all__" when not per field)."""
    if hasattr(e, "message_dict"):
        return {k: v[0] for k, v in e.message_dict.items()}
    return {"__all__": e.messages[0]}


def form_with_kept_work(request, form_class, *, initial=None, **kwargs):
    """A page's form on GET: bound to the work kept for this page when the worker's session
    timed out (once, with a message saying so; ADR 0005), otherwise unbound with ``initial``.
    Returns the form and the kept data (None when there was none)."""
    from django.contrib import messages

    from .middleware import KEPT_WORK_MESSAGE, take_preserved_work

    kept = take_preserved_work(request)
    if kept is None:
        return form_class(initial=initial, **kwargs), None
    messages.info(request, KEPT_WORK_MESSAGE)
    return form_class(kept, **kwargs), kept
