"""SALT-equivalent tables and ASCOF measures computed from CLD Release 2 rows (pure rules).

``salt_tables(rows, year)`` and ``ascof_measures(rows, year)`` take an iterable of CLD rows
(dicts keyed by the CLD field names, values as strings as in a CLD file) and a financial year
(``"2025-26"`` or a :class:`Year`). Build a :class:`Cohort` once to compute both from one parse.
Method: ``shared/reference/cld/salt-ascof.md`` and ``rules.md``.
"""

from .ascof import ascof_measures
from .cohort import Cohort, InvalidRow, InvalidYear, Year
from .results import Figure, Measure, Section, Table
from .salt import salt_tables

__all__ = [
    "Cohort",
    "Figure",
    "InvalidRow",
    "InvalidYear",
    "Measure",
    "Section",
    "Table",
    "Year",
    "ascof_measures",
    "salt_tables",
]
