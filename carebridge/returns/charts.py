"""The performance page's charts: each ASCOF measure over the financial years stored, drawn as
the compliance trends are (:mod:`carebridge.duties.charts`: SVG on the server, no JavaScript,
an image with a title and a description in words, each mark carrying its figure, and the
figures in a table beside it). A rate is a line from 0 to 100%; a count (2B and 2C without the
ONS population) is bars."""

from __future__ import annotations

from carebridge.duties.charts import LEFT, PLOT_H, PLOT_W, TOP, Chart, Mark, nice_ceiling

from .models import PerformanceFigures
from .selectors import Shown


def _x(i: int, n: int) -> float:
    return round(LEFT + PLOT_W / n * (i + 0.5), 1)


def _x_labels(points: list[tuple[PerformanceFigures, Shown]]) -> list[tuple[float, str, str]]:
    n = len(points)
    return [(_x(i, n), f.year, "" if f.complete else "to date") for i, (f, _s) in enumerate(points)]


def _year(f: PerformanceFigures) -> str:
    return f.year if f.complete else f"{f.year} (year to date)"


def measure_chart(
    chart_id: str, title: str, points: list[tuple[PerformanceFigures, Shown]]
) -> Chart:
    """The measure's headline in each year: a line for a rate, bars for a count."""
    if points and points[0][1].unit != "%":
        return _count_chart(chart_id, title, points)
    n = len(points)
    ticks = [(TOP + PLOT_H * (1 - p / 100), f"{p}%") for p in (0, 25, 50, 75, 100)]
    marks, lines, run = [], [], []
    for i, (f, s) in enumerate(points):
        if s.value is None:
            if run:
                lines.append(" ".join(run))
                run = []
            continue
        x, y = _x(i, n), round(TOP + PLOT_H * (1 - float(s.value) / 100), 1)
        run.append(f"{x},{y}")
        marks.append(Mark(x, y, f"{_year(f)}: {s.text} ({s.numerator:,} of {s.denominator:,})"))
    if run:
        lines.append(" ".join(run))
    rated = [(f, s) for f, s in points if s.value is not None]
    if not rated:
        description = "No year has a figure for this measure."
    else:
        (f0, s0), (f1, s1) = rated[0], rated[-1]
        low = min(rated, key=lambda t: t[1].value)
        high = max(rated, key=lambda t: t[1].value)
        description = (
            f"{title} in each financial year from {_year(f0)} ({s0.text}) to {_year(f1)} "
            f"({s1.text}); lowest {low[1].text} in {_year(low[0])}, highest {high[1].text} in "
            f"{_year(high[0])}."
        )
    return Chart(chart_id, title, description, ticks, _x_labels(points), marks, lines)


def _count_chart(
    chart_id: str, title: str, points: list[tuple[PerformanceFigures, Shown]]
) -> Chart:
    n = len(points)
    top, step = nice_ceiling(max((s.numerator for _f, s in points), default=0))
    ticks = [(TOP + PLOT_H * (1 - v / top), f"{v:,}") for v in range(0, top + 1, step)]
    width = round(PLOT_W / max(n, 1) * 0.6, 1)
    marks = []
    for i, (f, s) in enumerate(points):
        h = round(PLOT_H * s.numerator / top, 1)
        marks.append(
            Mark(
                round(_x(i, n) - width / 2, 1),
                round(TOP + PLOT_H - h, 1),
                f"{_year(f)}: {s.numerator:,} people",
                width,
                h,
            )
        )
    if not points:
        description = "No year has been computed."
    else:
        (f0, s0), (f1, s1) = points[0], points[-1]
        description = (
            f"{title}: people counted in each financial year, from {s0.numerator:,} in "
            f"{_year(f0)} to {s1.numerator:,} in {_year(f1)}."
        )
    return Chart(chart_id, title, description, ticks, _x_labels(points), marks, kind="bar")
