"""Reading the compliance pages as a user would: the figures table and the list of people."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from carebridge.duties.figures import FIGURES, figure_of

_ROW = re.compile(r'<tr class="govuk-table__row" data-row="([^"]+)">(.*?)</tr>', re.S)
_CELL = re.compile(r'data-figure="([a-z_]+)">(?:<a [^>]*>)?([^<]+)')


def figures_table(html: str) -> dict[str, dict[str, int | str]]:
    """row key -> figure -> the number shown (the rate as its text): every figure on the page."""
    table = html[html.index('data-testid="compliance-figures"') :]
    table = table[: table.index("</table>")]
    out = {}
    for key, body in _ROW.findall(table):
        cells = {}
        for figure, text in _CELL.findall(body):
            text = text.strip()
            cells[figure] = text if figure == "rate" else int(text.replace(",", ""))
        out[key] = cells
    return out


_MONTH = re.compile(r'<tr class="govuk-table__row" data-month="([^"]+)">(.*?)</tr>', re.S)


def trend_table(html: str, duty: str) -> dict[str, dict[str, int | str]]:
    """month end (ISO) -> figure -> the number shown, from a duty's table on the trends page."""
    table = html[html.index(f'data-testid="trend-{duty}"') :]
    table = table[: table.index("</table>")]
    out = {}
    for month, body in _MONTH.findall(table):
        out[month] = {
            figure: text.strip() if figure == "rate" else int(text.strip().replace(",", ""))
            for figure, text in _CELL.findall(body)
        }
    return out


def listed_people(html: str) -> list[str]:
    """The council person IDs listed behind a figure, in order."""
    return re.findall(r'<tr class="govuk-table__row" data-person="([^"]+)">', html)


def read_csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def report_counts(rows, today, key) -> dict[str, Counter]:
    """The CLI report's rows counted as the dashboard counts them: key(row) -> figure -> n."""
    import datetime as dt

    out: dict[str, Counter] = {}
    for r in rows:
        figure = figure_of(r["state"], dt.date.fromisoformat(r["due"]), today)
        out.setdefault(key(r), Counter())[figure] += 1
    return out


def as_numbers(counter: Counter) -> dict[str, int]:
    return {f: counter.get(f, 0) for f in FIGURES}
