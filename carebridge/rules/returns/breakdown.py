"""The SALT and ASCOF figures for parts of a council's cohort (by organisation, by area), and
which figures are too small to show (pure: no Django).

A cohort is built once from the year's CLD rows (:meth:`Cohort.build`: parsing, person ID,
de-duplication) and split by person: every event of a person goes to the one group the caller
assigns them, so look-backs (ASCOF 2A's 91 days, LTS001c's 12 months) see the person's whole
history within the group. A carer counts in their own group, not the cared-for person's.

Small numbers (ADR 0019): a rate whose denominator is under :data:`SMALL_NUMBER` is not shown
for a part of the council, nor its numerator and denominator; the page and downloads say
"[c]" (the Government Statistical Service's mark for a figure withheld to protect
confidentiality). The council's own figures, the return itself, are never suppressed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

from .cohort import Cohort

# A rate for a group of fewer people than this is not shown (nor its counts).
SMALL_NUMBER = 5
SUPPRESSED = "[c]"


def split(cohort: Cohort, group_of: Callable[[str], str]) -> dict[str, Cohort]:
    """The cohort's people divided into groups: ``group_of(LA person ID)`` names each person's
    group (read from their first event). Groups with nobody in them are absent."""
    parts: dict[str, dict] = defaultdict(dict)
    for person, events in cohort.people():
        parts[group_of(events[0].la_person_id)][person] = events
    return {key: Cohort(cohort.year, people) for key, people in parts.items()}


def too_small(figure: Mapping[str, object]) -> bool:
    """Whether a stored figure (``{"numerator", "denominator", "value"}``) is withheld in a
    breakdown: a denominator under SMALL_NUMBER (a count without a denominator, under it)."""
    base = figure.get("denominator")
    if base is None:
        base = figure.get("numerator")
    return int(base or 0) < SMALL_NUMBER
