"""Side-by-side bars for the comparison page, drawn on the server as SVG (as the duties
trends are: an image with a title and a description in words, each bar's figure as a
tooltip and as text beside it, and the same figures in a table below)."""

from __future__ import annotations

from dataclasses import dataclass

from carebridge.duties.charts import nice_ceiling

from .comparison import Comparison, Measure

WIDTH, BAR_H, GAP, LEFT, RIGHT, TOP = 460, 22, 8, 170, 90, 6


@dataclass(frozen=True)
class Bar:
    y: int
    width: float
    label: str
    shown: str


@dataclass(frozen=True)
class Bars:
    id: str
    title: str
    description: str
    bars: list[Bar]
    width: int = WIDTH
    height: int = 0
    left: int = LEFT


def bars(measure: Measure, comparison: Comparison) -> Bars:
    values = [measure.figures[c.key].value for c in comparison.columns]
    if measure.unit == "percent":
        top = 1.0
    else:
        top = float(nice_ceiling(int(max((v or 0) for v in values) + 0.999))[0]) or 1.0
    plot = WIDTH - LEFT - RIGHT
    out = []
    words = []
    for i, col in enumerate(comparison.columns):
        f = measure.figures[col.key]
        w = 0.0 if f.value is None else round(plot * min(f.value / top, 1.0), 1)
        out.append(Bar(TOP + i * (BAR_H + GAP), w, col.label, f.shown))
        words.append(f"{col.label}: {f.shown}")
    return Bars(
        f"chart-{measure.key}",
        measure.label,
        "; ".join(words) + ".",
        out,
        height=TOP * 2 + len(out) * (BAR_H + GAP),
    )


def headline(comparison: Comparison) -> list[Bars]:
    keys = (
        "duties-overall",
        "review-timeliness",
        "days-to-assessed",
        "handoffs-mean",
        "weekly-budget",
        "caseload-mean",
    )
    by_key = {m.key: m for m in comparison.measures}
    return [bars(by_key[k], comparison) for k in keys if k in by_key]
