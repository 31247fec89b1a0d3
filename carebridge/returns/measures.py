"""SALT-equivalent tables and ASCOF measures for a financial year, from the same events as the
CLD return.

The rules are pure (:mod:`carebridge.rules.returns`: the national transformation method,
``shared/reference/cld/salt-ascof.md``). They read CLD rows. This module feeds them the rows
:mod:`carebridge.returns.cld_export` projects from the record. It takes the year and the year
before it, because some measures look back: ASCOF 2A looks for long-term support that ended in
the 91 days before an episode, and LTS001c looks for support running for more than 12 months.
The rules pick the year's own events. A figure here is the figure in the file a council would
submit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from carebridge.rules.returns import Cohort, Year, ascof_measures, salt_tables

from . import cld_export

# How far before the year the rows go (see the module docstring).
LOOK_BACK_YEARS = 1


@dataclass(frozen=True)
class Figures:
    year: Year
    salt: dict
    ascof: dict
    rows: int


def cohort(year: Year, la_code: str | None = None) -> tuple[Cohort, int]:
    """The year's cohort, built from the CLD rows of the year and the one before it, and the
    number of rows read."""
    start = dt.date(year.start.year - LOOK_BACK_YEARS, year.start.month, year.start.day)
    count = 0

    def rows():
        nonlocal count
        for _person, row in cld_export.rows(start, year.end, la_code):
            count += 1
            yield row

    built = Cohort.build(rows(), year, columns=cld_export.FIELD_NAMES)
    return built, count


def compute(
    year: Year,
    *,
    salt: bool = True,
    ascof: bool = True,
    population_18_64: int | None = None,
    population_65_plus: int | None = None,
    la_code: str | None = None,
) -> Figures:
    """The SALT tables and/or ASCOF measures for a year (one read of the record for both)."""
    built, n = cohort(year, la_code)
    return Figures(
        year,
        salt_tables(built, year) if salt else {},
        ascof_measures(
            built,
            year,
            population_18_64=population_18_64,
            population_65_plus=population_65_plus,
        )
        if ascof
        else {},
        n,
    )


# --- as files ----------------------------------------------------------------------------------

SALT_CSV_FIELDS = ("year", "table", "title", "section", "row", "column", "value")
ASCOF_CSV_FIELDS = (
    "year",
    "measure",
    "title",
    "group",
    "numerator",
    "denominator",
    "value",
    "unit",
    "headline",
)


def salt_rows(figures: Figures) -> list[dict]:
    """One row per cell of each SALT table's sections (long form, for a spreadsheet)."""
    out = []
    for code, table in figures.salt.items():
        for section in table.sections:
            for r, cells in zip(section.row_labels, section.grid(), strict=True):
                for c, value in zip(section.column_labels, cells, strict=True):
                    out.append(
                        {
                            "year": str(figures.year),
                            "table": code,
                            "title": table.title,
                            "section": section.name,
                            "row": r,
                            "column": c,
                            "value": value,
                        }
                    )
    return out


def ascof_rows(figures: Figures) -> list[dict]:
    """One row per group of each ASCOF measure (the headline group marked)."""
    out = []
    for code, measure in figures.ascof.items():
        for group, figure in measure.figures.items():
            out.append(
                {
                    "year": str(figures.year),
                    "measure": code,
                    "title": measure.title,
                    "group": group,
                    "numerator": figure.numerator,
                    "denominator": "" if figure.denominator is None else figure.denominator,
                    "value": "" if figure.value is None else str(figure.value),
                    "unit": measure.unit,
                    "headline": "yes" if group == measure.headline else "no",
                }
            )
    return out
