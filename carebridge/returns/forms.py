"""The performance page's choices, read from the query string: an unknown year, measure, team
or period in a link is a GOV.UK error message with status 400, never a crash or another
figure."""

from __future__ import annotations

import datetime as dt

from django import forms

from . import performance


class YearForm(forms.Form):
    year = forms.ChoiceField(label="Financial year", required=False)
    measure = forms.ChoiceField(label="Measure compared by area", required=False)

    def __init__(self, data, *, years: list[str], measures: list[tuple[str, str]]) -> None:
        super().__init__(data)
        # The latest first, as a selector lists them.
        self.fields["year"].choices = [(y, y) for y in reversed(years)]
        self.fields["measure"].choices = measures
        self.fields["year"].error_messages["invalid_choice"] = (
            "Choose a financial year that has figures"
        )
        self.fields["measure"].error_messages["invalid_choice"] = "Choose an ASCOF measure"


class TeamForm(forms.Form):
    team = forms.ChoiceField(label="Team holding the case", required=False)

    def __init__(self, data, *, teams: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.fields["team"].choices = [("", "All teams"), *teams]
        self.fields["team"].error_messages["invalid_choice"] = "Choose a team in this return"


def periods(today: dt.date) -> list[tuple[str, str]]:
    """The periods a CLD file can be downloaded for: the rolling 12 months to each of the last
    four quarter ends (the return due now first), then the recent financial years."""
    out = []
    end = today
    for _ in range(4):
        start, end = performance.return_period(end)
        out.append((start, end, f"12 months to {end:%-d %B %Y}"))
    for year in reversed(performance.recent_years(today)):
        label = f"Financial year {year}" + ("" if year.end < today else " (to date)")
        out.append((year.start, min(year.end, today), label))
    seen: dict[str, str] = {}
    for start, stop, label in out:
        seen.setdefault(f"{start.isoformat()}_{stop.isoformat()}", label)
    return list(seen.items())


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label="Reporting period")

    def __init__(self, data, *, today: dt.date) -> None:
        super().__init__(data)
        self.fields["period"].choices = periods(today)
        self.fields["period"].error_messages.update(
            {
                "invalid_choice": "Choose a reporting period from the list",
                "required": "Choose a reporting period",
            }
        )

    def dates(self) -> tuple[dt.date, dt.date]:
        start, end = self.cleaned_data["period"].split("_")
        return dt.date.fromisoformat(start), dt.date.fromisoformat(end)
