"""Reads for the performance page (ADR 0019): the stored figures of each financial year and
the readiness of the CLD return, shaped for the pages; and the people behind the readiness
figures, scoped as ADR 0013 scopes the compliance dashboard's lists.

Aggregates count everyone, restricted records included, and name no one. Figures for part of
the council whose denominator is under ``SMALL_NUMBER`` are withheld ("[c]"); the council's own
figures, those of the return, never are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from carebridge.core.access import Capability, can
from carebridge.rules.returns.breakdown import SMALL_NUMBER, SUPPRESSED, too_small

from .models import PerformanceFigures, ReturnReadiness
from .performance import NOT_ALLOCATED, ORGANISATION_ORDER, UNKNOWN_AREA

__all__ = ["NOT_ALLOCATED", "SMALL_NUMBER", "SUPPRESSED"]


# --- one figure -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """One stored figure as a page or download shows it."""

    numerator: int
    denominator: int | None
    value: Decimal | None
    unit: str
    withheld: bool = False

    @classmethod
    def of(cls, stored: dict | None, unit: str, *, suppress: bool = False) -> Shown:
        stored = stored or {"numerator": 0, "denominator": 0, "value": None}
        value = stored.get("value")
        return cls(
            int(stored.get("numerator") or 0),
            stored.get("denominator"),
            None if value is None else Decimal(value),
            unit,
            suppress and too_small(stored),
        )

    @property
    def text(self) -> str:
        """ "67.6%", "12.0 per 100,000", "[c]" (withheld) or "No figure"."""
        if self.withheld:
            return SUPPRESSED
        if self.value is None:
            return "No figure"
        return f"{self.value}%" if self.unit == "%" else f"{self.value} {self.unit}"

    @property
    def numerator_text(self) -> str:
        return SUPPRESSED if self.withheld else f"{self.numerator:,}"

    @property
    def denominator_text(self) -> str:
        if self.withheld:
            return SUPPRESSED
        return "" if self.denominator is None else f"{self.denominator:,}"


@dataclass(frozen=True)
class Measure:
    """An ASCOF measure's definition and its headline figure, from stored JSON."""

    code: str
    title: str
    definition: str
    source: str
    unit: str
    headline: str
    groups: dict[str, Shown]

    @property
    def figure(self) -> Shown:
        return self.groups[self.headline]

    @property
    def is_rate(self) -> bool:
        return self.unit == "%"


# The rules' order of the measures and tables (PostgreSQL's jsonb keeps no key order).
ASCOF_ORDER = ("2A", "2B", "2C", "2E", "2E LD", "3D1a", "3D1b", "3D2a", "3D2b")
SALT_ORDER = ("STS001", "STS002a", "STS002b", "LTS001a", "LTS001b", "LTS001c", "LTS003", "LTS004")


def in_order(keys, order: tuple[str, ...]) -> list[str]:
    return sorted(keys, key=lambda k: (order.index(k) if k in order else len(order), k))


def by_count(counts: dict[str, int]) -> list[tuple[str, int]]:
    """A stored {name: count}, most first (then by name)."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def measures_of(ascof: dict, *, suppress: bool = False) -> list[Measure]:
    return [
        Measure(
            code,
            m["title"],
            m["definition"],
            m["source"],
            m["unit"],
            m["headline"],
            {
                g: Shown.of(m["figures"][g], m["unit"], suppress=suppress)
                for g in m.get("groups") or m["figures"]
            },
        )
        for code, m in ((c, ascof[c]) for c in in_order(ascof, ASCOF_ORDER))
    ]


# --- the overview -----------------------------------------------------------------------------


@dataclass
class Group:
    """One group of a breakdown: its label, how many people, and each measure's headline."""

    key: str
    label: str
    people: int
    measures: dict[str, Shown]


@dataclass
class Overview:
    year: str
    council: PerformanceFigures
    measures: list[Measure]
    years: list[PerformanceFigures]  # every stored year's council figures, oldest first
    organisations: list[Group] = field(default_factory=list)
    areas: list[Group] = field(default_factory=list)

    def trend(self, code: str) -> list[tuple[PerformanceFigures, Shown]]:
        out = []
        for f in self.years:
            m = f.ascof.get(code)
            if m is not None:
                out.append((f, Shown.of(m["figures"][m["headline"]], m["unit"])))
        return out


def stored_years() -> list[str]:
    """The financial years with stored figures, oldest first (one query)."""
    return list(
        PerformanceFigures.objects.filter(breakdown=PerformanceFigures.OVERALL)
        .order_by("year")
        .values_list("year", flat=True)
    )


def overview(year: str) -> Overview | None:
    """The year's figures with every breakdown, and each stored year's council figures for the
    trends (two queries, however many groups)."""
    rows = list(PerformanceFigures.objects.filter(year=year).defer("salt"))
    council = next((r for r in rows if r.breakdown == PerformanceFigures.OVERALL), None)
    if council is None:
        return None
    years = list(
        PerformanceFigures.objects.filter(breakdown=PerformanceFigures.OVERALL)
        .defer("salt")
        .order_by("year")
    )

    def group(r: PerformanceFigures) -> Group:
        return Group(
            r.group,
            r.label,
            r.people,
            {m.code: m.figure for m in measures_of(r.ascof, suppress=True)},
        )

    orgs = [group(r) for r in rows if r.breakdown == PerformanceFigures.ORGANISATION]
    orgs.sort(key=lambda g: ORGANISATION_ORDER.index(g.key) if g.key in ORGANISATION_ORDER else 9)
    areas = [group(r) for r in rows if r.breakdown == PerformanceFigures.AREA]
    areas.sort(key=lambda g: (g.key == UNKNOWN_AREA, _district_order(g.key)))
    return Overview(year, council, measures_of(council.ascof), years, orgs, areas)


_DISTRICT = re.compile(r"([A-Z]+)(\d+)([A-Z]?)")


def _district_order(district: str) -> tuple:
    """WX2 before WX10: the letters, then the number, then any letter after it."""
    m = _DISTRICT.fullmatch(district)
    return (m[1], int(m[2]), m[3]) if m else (district, 0, "")


def salt_tables(year: str) -> PerformanceFigures | None:
    """The year's council figures with its SALT tables (one query)."""
    return PerformanceFigures.objects.filter(
        year=year, breakdown=PerformanceFigures.OVERALL
    ).first()


# --- readiness --------------------------------------------------------------------------------


def latest_readiness() -> ReturnReadiness | None:
    return ReturnReadiness.objects.order_by("-computed_at", "-pk").first()


def names_people(worker) -> bool:
    """Whether lists show this worker names and links (their role opens records)."""
    return can(worker, Capability.VIEW_PERSON)


def failing_rows(readiness: ReturnReadiness, team: str | None = None) -> list[dict]:
    """The failing rows, of one team (a primary key as text, or ``NOT_ALLOCATED``) or all."""
    rows = readiness.failing
    if team is None:
        return list(rows)
    if team == NOT_ALLOCATED:
        return [r for r in rows if r["team"] is None]
    return [r for r in rows if str(r["team"]) == team]


def listable(worker, rows: list[dict]) -> list[dict]:
    """The rows this worker may see listed (ADR 0013): a worker whose role opens records, the
    people in ``visible_people`` (by name); any other role, the people who are not restricted
    (by council ID only). One query."""
    from carebridge.people.models import Person

    if names_people(worker):
        from carebridge.casework.access import visible_people

        allowed = set(visible_people(worker).values_list("pk", flat=True))
        return [r for r in rows if r["person"] in allowed]
    hidden = set(Person.objects.filter(is_restricted=True).values_list("pk", flat=True))
    return [r for r in rows if r["person"] not in hidden]


def names_of(rows: list[dict]) -> dict[int, str]:
    """person pk -> "FAMILY, Given" for a page of rows (one query)."""
    from carebridge.duties.dashboard import list_name
    from carebridge.people.models import Person

    people = Person.objects.filter(pk__in={r["person"] for r in rows}).only(
        "given_name", "family_name"
    )
    return {p.pk: list_name(p) for p in people}


def team_names(readiness: ReturnReadiness) -> dict[object, str]:
    return {t["team"]: t["label"] for t in readiness.by_team}
