"""Typed results of the SALT-equivalent tables and ASCOF measures (plain data, JSON-ready)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Section:
    """One grid of a SALT table (e.g. "Table 1a" of LTS001a): counts by row x column label."""

    name: str
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: Counter[tuple[str, str]] = field(default_factory=Counter)

    def cell(self, row: str, column: str) -> int:
        if row not in self.row_labels or column not in self.column_labels:
            raise KeyError(f"{self.name} has no cell ({row!r}, {column!r})")
        return self.cells[(row, column)]

    def row_total(self, row: str) -> int:
        return sum(self.cell(row, c) for c in self.column_labels)

    def column_total(self, column: str) -> int:
        return sum(self.cell(r, column) for r in self.row_labels)

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    def grid(self) -> list[list[int]]:
        return [[self.cells[(r, c)] for c in self.column_labels] for r in self.row_labels]

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "columns": list(self.column_labels),
            "rows": [
                {"label": r, "cells": row, "total": sum(row)}
                for r, row in zip(self.row_labels, self.grid(), strict=True)
            ],
            "total": self.total,
        }


def section(
    name: str, rows: Iterable[str], columns: Iterable[str], counts: Counter[tuple[str, str]]
) -> Section:
    rows_t, cols_t = tuple(rows), tuple(columns)
    stray = [k for k in counts if k[0] not in rows_t or k[1] not in cols_t]
    if stray:  # a programming error: every counted cell must have a label
        raise ValueError(f"{name}: cells outside the table labels: {stray[:3]}")
    return Section(name, rows_t, cols_t, Counter(counts))


@dataclass(frozen=True)
class Table:
    """A SALT-equivalent table: its code (e.g. "LTS001a"), title, source and grids."""

    code: str
    title: str
    source: str
    sections: tuple[Section, ...]

    def section(self, name: str) -> Section:
        for s in self.sections:
            if s.name == name:
                return s
        raise KeyError(f"{self.code} has no section {name!r}")

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "title": self.title,
            "source": self.source,
            "sections": [s.as_dict() for s in self.sections],
        }


@dataclass(frozen=True)
class Figure:
    """Numerator, denominator and value of one group of a measure (value None if undefined)."""

    numerator: int
    denominator: int | None
    value: Decimal | None

    def as_dict(self) -> dict[str, object]:
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": None if self.value is None else str(self.value),
        }


def one_dp(x: Decimal) -> Decimal:
    """round(x, 1) as DHSC's SQL ROUND does (half away from zero)."""
    return x.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percentage(numerator: int, denominator: int, *, empty: Decimal | None = None) -> Figure:
    """round(100 x numerator / denominator, 1); ``empty`` when the denominator is 0."""
    if denominator == 0:
        return Figure(numerator, denominator, empty)
    return Figure(numerator, denominator, one_dp(Decimal(100 * numerator) / Decimal(denominator)))


def per_100k(numerator: int, population: int | None) -> Figure:
    """round(100000 x numerator / population, 1); value None without a population."""
    if not population:
        return Figure(numerator, population, None)
    return Figure(numerator, population, one_dp(Decimal(100000 * numerator) / Decimal(population)))


@dataclass(frozen=True)
class Measure:
    """An ASCOF measure: figures by group (headline group first), definition and source."""

    code: str
    title: str
    definition: str
    source: str
    figures: dict[str, Figure]
    headline: str = "Total"
    unit: str = "%"
    counts: dict[str, int] = field(default_factory=dict)  # reported separately (e.g. unknowns)

    @property
    def numerator(self) -> int:
        return self.figures[self.headline].numerator

    @property
    def denominator(self) -> int | None:
        return self.figures[self.headline].denominator

    @property
    def value(self) -> Decimal | None:
        return self.figures[self.headline].value

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "title": self.title,
            "definition": self.definition,
            "source": self.source,
            "unit": self.unit,
            "headline": self.headline,
            "figures": {k: f.as_dict() for k, f in self.figures.items()},
            "counts": dict(self.counts),
        }
