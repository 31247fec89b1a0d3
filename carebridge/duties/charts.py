"""Charts for the compliance trends, drawn on the server as SVG (no JavaScript, no chart
library): the geometry is worked out here and ``duties/_charts.html`` writes the markup.

Each chart is an image with a title and a description that says what it shows in words
(``role="img"``, ``aria-labelledby``), every mark carries its figure as a tooltip, and the page
shows the same figures as a table beneath it, so nothing is only in the picture.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from .figures import Counts, percent

# Drawn at about the size shown in half the page's width, so the labels read at body size.
WIDTH, HEIGHT = 460, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 44
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    label: str  # the figure in words (a tooltip)
    width: float = 0
    height: float = 0


@dataclass
class Chart:
    id: str
    title: str
    description: str
    y_ticks: list[tuple[float, str]]
    x_labels: list[tuple[float, str, str]]  # x, month, year (shown under January and the first)
    marks: list[Mark] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # SVG polyline points, one per unbroken run
    kind: str = "line"
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    plot_width: int = PLOT_W
    plot_height: int = PLOT_H


def _month(d: dt.date) -> str:
    return f"{d:%B %Y}"


def _x(i: int, n: int) -> float:
    step = PLOT_W / n
    return round(LEFT + step * (i + 0.5), 1)


def _x_labels(months: list[dt.date]) -> list[tuple[float, str, str]]:
    n = len(months)
    return [
        (_x(i, n), f"{m:%b}", f"{m:%Y}" if i == 0 or m.month == 1 else "")
        for i, m in enumerate(months)
    ]


def nice_ceiling(value: int) -> tuple[int, int]:
    """A round top for a count axis and its step (4 or 5 steps): 37 -> (40, 10)."""
    if value <= 4:
        return 4, 1
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = math.ceil(next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw))
    return math.ceil(value / step) * step, step


def rate_chart(chart_id: str, title: str, months: list[tuple[dt.date, Counts]]) -> Chart:
    """The compliance rate at each month end: a line (broken where there was nothing to rate)."""
    n = len(months)
    ticks = [(TOP + PLOT_H * (1 - p / 100), f"{p}%") for p in (0, 25, 50, 75, 100)]
    marks, lines, run = [], [], []
    for i, (end, c) in enumerate(months):
        if c.rate is None:
            if run:
                lines.append(" ".join(run))
                run = []
            continue
        x, y = _x(i, n), round(TOP + PLOT_H * (1 - c.rate), 1)
        run.append(f"{x},{y}")
        marks.append(Mark(x, y, f"{_month(end)}: {percent(c.rate)} ({c.on_time} of {c.decided})"))
    if run:
        lines.append(" ".join(run))
    rated = [(end, c.rate) for end, c in months if c.rate is not None]
    if not rated:
        description = "No figure had reached its due date in these months, so there is no rate."
    else:
        (first, r0), (last, r1) = rated[0], rated[-1]
        low = min(rated, key=lambda t: t[1])
        high = max(rated, key=lambda t: t[1])
        description = (
            f"Compliance rate at each month end from {_month(first)} ({percent(r0)}) to "
            f"{_month(last)} ({percent(r1)}); lowest {percent(low[1])} in {_month(low[0])}, "
            f"highest {percent(high[1])} in {_month(high[0])}."
        )
    return Chart(
        chart_id,
        title,
        description,
        ticks,
        _x_labels([m for m, _ in months]),
        marks,
        lines,
        kind="line",
    )


def count_chart(
    chart_id: str, title: str, months: list[tuple[dt.date, int]], what: str = "overdue"
) -> Chart:
    """A count at each month end, as bars."""
    n = len(months)
    top, step = nice_ceiling(max((v for _, v in months), default=0))
    ticks = [(TOP + PLOT_H * (1 - v / top), f"{v:,}") for v in range(0, top + 1, step)]
    width = round(PLOT_W / max(n, 1) * 0.6, 1)
    marks = []
    for i, (end, value) in enumerate(months):
        h = round(PLOT_H * value / top, 1)
        marks.append(
            Mark(
                round(_x(i, n) - width / 2, 1),
                round(TOP + PLOT_H - h, 1),
                f"{_month(end)}: {value:,} {what}",
                width,
                h,
            )
        )
    if not months:
        description = "No month has been recorded."
    else:
        (first, v0), (last, v1) = months[0], months[-1]
        most = max(months, key=lambda t: t[1])
        description = (
            f"People with the duty {what} at each month end, from {v0:,} in {_month(first)} to "
            f"{v1:,} in {_month(last)}; most {most[1]:,} in {_month(most[0])}."
        )
    return Chart(
        chart_id, title, description, ticks, _x_labels([m for m, _ in months]), marks, kind="bar"
    )
