"""Filters of the continuity and comparison pages: a period (GOV.UK date inputs), a
grouping, and the before-and-after mode's teams, split date and months."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from carebridge.core.forms import GovDateField
from carebridge.rules.dates import add_months

from .continuity import BY

MAX_MONTHS = 36


class PeriodForm(forms.Form):
    start = GovDateField(label="From", required=False)
    end = GovDateField(label="To", required=False)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or add_months(end, -12) + dt.timedelta(days=1)
        if start > end:
            self.add_error("end", "The end of the period must be the same as or after its start")
        elif end > today:
            self.add_error("end", "The end of the period must be today or in the past")
        data["start"], data["end"] = start, end
        return data

    def params(self) -> dict[str, str]:
        s, e = self.cleaned_data["start"], self.cleaned_data["end"]
        out = {}
        for name, d in (("start", s), ("end", e)):
            out |= {f"{name}-day": d.day, f"{name}-month": d.month, f"{name}-year": d.year}
        return {k: str(v) for k, v in out.items()}


class ContinuityForm(PeriodForm):
    by = forms.ChoiceField(label="Group by", choices=list(BY.items()), required=False)

    def clean_by(self):
        return self.cleaned_data.get("by") or "team"

    def params(self) -> dict[str, str]:
        return super().params() | {"by": self.cleaned_data["by"]}


class BeforeAfterForm(forms.Form):
    """``?teams=1,2&split=YYYY-MM-DD&months=N``: the link a completed transfer's page gives."""

    teams = forms.CharField()
    split = forms.DateField(input_formats=["%Y-%m-%d"])
    months = forms.IntegerField(min_value=1, max_value=MAX_MONTHS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].error_messages["required"] = "Choose the teams to compare"
        self.fields["split"].error_messages |= {
            "required": "Enter the date to compare before and after",
            "invalid": "The date to compare before and after must be a real date, as YYYY-MM-DD",
        }
        self.fields["months"].error_messages |= {
            "min_value": f"Months must be between 1 and {MAX_MONTHS}",
            "max_value": f"Months must be between 1 and {MAX_MONTHS}",
            "invalid": "Months must be a whole number",
        }

    def clean_teams(self) -> list[int]:
        raw = [p.strip() for p in self.cleaned_data["teams"].split(",") if p.strip()]
        if not raw or not all(p.isdigit() for p in raw):
            raise forms.ValidationError("Teams must be a list of team numbers, such as 3,7")
        return sorted({int(p) for p in raw})

    def clean_months(self) -> int:
        return self.cleaned_data.get("months") or 12

    def clean_split(self) -> dt.date:
        split = self.cleaned_data["split"]
        if split > timezone.localdate():
            raise forms.ValidationError(
                "The date to compare before and after must not be in the future"
            )
        return split

    def params(self) -> dict[str, str]:
        d = self.cleaned_data
        return {
            "teams": ",".join(str(t) for t in d["teams"]),
            "split": d["split"].isoformat(),
            "months": str(d["months"]),
        }
