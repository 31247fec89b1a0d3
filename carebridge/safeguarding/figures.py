"""The Safeguarding Adults Collection (SAC) figures for a financial year, from the same concern
and enquiry records the pages show.

:func:`count` is pure (plain rows in, figures out: exact on hand-built rows); :func:`for_year`
reads the rows it needs (three queries) and calls it. What is counted follows NHS England's
SAC guidance (see :mod:`carebridge.rules.safeguarding` for the sources and how sure each code
list is):

* concerns received in the year, and the individuals they were about;
* Section 42 and other enquiries started in the year (SG1: "commenced"), and the individuals;
* Section 42 and other enquiries concluded in the year (SG2), each counted once under every
  *different* type of risk it was about, and under its location and source of risk, risk
  outcome, and the Making Safeguarding Personal answers (asked; expressed outcomes achieved).

The council's own return is never suppressed. For figures published outside the council (a
Safeguarding Adults Board's annual report), :func:`shown` withholds counts of 1 to 4 as "[c]",
the Government Statistical Service's mark, as the performance page does (ADR 0019).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from carebridge.rules import safeguarding as sg
from carebridge.rules.returns import InvalidYear, Year
from carebridge.rules.returns.breakdown import SMALL_NUMBER, SUPPRESSED

KINDS = (sg.S42_ENQUIRY, sg.OTHER_ENQUIRY)
KIND_LABELS = {sg.S42_ENQUIRY: "Section 42 enquiries", sg.OTHER_ENQUIRY: "Other enquiries"}


class BadYear(ValueError):
    pass


def year_from(text: str) -> Year:
    """A financial year from "2025-26" or "2025" (the year starting 1 April 2025)."""
    t = (text or "").strip()
    if re.fullmatch(r"\d{4}", t):
        t = f"{t}-{(int(t) + 1) % 100:02d}"
    try:
        return Year.parse(t)
    except InvalidYear as e:
        raise BadYear(f"{e} (or YYYY, the year starting 1 April)") from None


def current_year(today: dt.date) -> Year:
    return Year(today.year if today.month >= 4 else today.year - 1)


def recent_years(today: dt.date, n: int = 4) -> list[Year]:
    first = current_year(today).first
    return [Year(first - i) for i in range(n)]


# --- rows -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConcernRow:
    pk: int
    person: int
    received_on: dt.date


@dataclass(frozen=True)
class EnquiryRow:
    pk: int
    person: int
    kind: str
    started_on: dt.date
    concluded_on: dt.date | None
    risk_types: tuple[str, ...]
    location_of_risk: str
    source_of_risk: str
    risk_outcome: str
    msp_asked: str
    msp_achieved: str


# --- figures --------------------------------------------------------------------------------------


@dataclass
class Table:
    """Counts by category for concluded enquiries, one column per kind of enquiry."""

    key: str
    title: str
    categories: sg.Choices
    counts: dict[str, Counter] = field(default_factory=dict)  # kind -> category -> n

    def count(self, kind: str, category: str) -> int:
        return self.counts.get(kind, Counter()).get(category, 0)

    def rows(self) -> list[tuple[str, str, int, int]]:
        """(code, label, Section 42, other) in the code list's order."""
        return [
            (code, text, self.count(sg.S42_ENQUIRY, code), self.count(sg.OTHER_ENQUIRY, code))
            for code, text in self.categories
        ]

    def total(self, kind: str) -> int:
        return sum(self.counts.get(kind, Counter()).values())


@dataclass
class SacFigures:
    year: Year
    concerns: int = 0
    concern_individuals: int = 0
    started: Counter = field(default_factory=Counter)  # kind -> enquiries started
    started_individuals: Counter = field(default_factory=Counter)
    concluded: Counter = field(default_factory=Counter)
    tables: dict[str, Table] = field(default_factory=dict)

    def summary(self) -> list[tuple[str, int | None, int | None, int | None]]:
        """(measure, all, Section 42, other): "all" only where there is no split."""
        s, o = sg.S42_ENQUIRY, sg.OTHER_ENQUIRY
        return [
            ("Safeguarding concerns received", self.concerns, None, None),
            ("Individuals involved in safeguarding concerns", self.concern_individuals, None,
             None),
            ("Enquiries started", None, self.started[s], self.started[o]),
            ("Individuals involved in enquiries started", None, self.started_individuals[s],
             self.started_individuals[o]),
            ("Enquiries concluded", None, self.concluded[s], self.concluded[o]),
        ]  # fmt: skip

    def as_dict(self, *, suppress: bool = False) -> dict:
        def v(n):
            return shown(n, suppress) if n is not None else None

        return {
            "year": str(self.year),
            "source": sg.SAC_SOURCE,
            "summary": [
                {"measure": m, "all": v(a), "section_42": v(s), "other": v(o)}
                for m, a, s, o in self.summary()
            ],
            "tables": {
                key: {
                    "title": t.title,
                    "rows": [
                        {"code": c, "category": text, "section_42": v(s), "other": v(o)}
                        for c, text, s, o in t.rows()
                    ],
                }
                for key, t in self.tables.items()
            },
        }


def shown(n: int, suppress: bool) -> int | str:
    """A count as published: 1 to 4 withheld as "[c]" when ``suppress``."""
    return SUPPRESSED if suppress and 0 < n < SMALL_NUMBER else n


TABLES: tuple[tuple[str, str, sg.Choices], ...] = (
    ("type_of_risk", "Type of risk (concluded enquiries)", sg.TYPE_OF_RISK),
    ("location_of_risk", "Location of risk (concluded enquiries)", sg.LOCATION_OF_RISK),
    ("source_of_risk", "Source of risk (concluded enquiries)", sg.SOURCE_OF_RISK),
    ("risk_outcome", "Risk outcome (concluded enquiries)", sg.RISK_OUTCOME),
    ("msp_asked", "Making Safeguarding Personal: asked about desired outcomes", sg.MSP_ASKED),
    (
        "msp_achieved",
        "Making Safeguarding Personal: expressed outcomes achieved",
        sg.MSP_ACHIEVED,
    ),
)


def count(
    year: Year, concerns: Iterable[ConcernRow], enquiries: Iterable[EnquiryRow]
) -> SacFigures:
    """The year's figures from plain rows (pure)."""
    out = SacFigures(year)
    start, end = year.start, year.end
    people: set[int] = set()
    for c in concerns:
        if start <= c.received_on <= end:
            out.concerns += 1
            people.add(c.person)
    out.concern_individuals = len(people)
    out.tables = {key: Table(key, title, codes) for key, title, codes in TABLES}
    started_people: dict[str, set[int]] = {k: set() for k in KINDS}
    for e in enquiries:
        if e.kind not in KINDS:
            continue
        if start <= e.started_on <= end:
            out.started[e.kind] += 1
            started_people[e.kind].add(e.person)
        if e.concluded_on is None or not start <= e.concluded_on <= end:
            continue
        out.concluded[e.kind] += 1
        t = out.tables
        for risk in sorted(set(e.risk_types)):  # each different type once
            t["type_of_risk"].counts.setdefault(e.kind, Counter())[risk] += 1
        t["location_of_risk"].counts.setdefault(e.kind, Counter())[e.location_of_risk] += 1
        t["source_of_risk"].counts.setdefault(e.kind, Counter())[e.source_of_risk] += 1
        t["risk_outcome"].counts.setdefault(e.kind, Counter())[e.risk_outcome] += 1
        asked = e.msp_asked or sg.MSP_NOT_RECORDED
        t["msp_asked"].counts.setdefault(e.kind, Counter())[asked] += 1
        if asked == sg.MSP_EXPRESSED and e.msp_achieved:
            t["msp_achieved"].counts.setdefault(e.kind, Counter())[e.msp_achieved] += 1
    for kind, who in started_people.items():
        out.started_individuals[kind] = len(who)
    return out


def rows_for(year: Year) -> tuple[list[ConcernRow], list[EnquiryRow]]:
    """The concerns received and the enquiries started or concluded in the year (three
    queries; cancelled or test records do not exist in this model)."""
    from django.db.models import Q

    from .models import Concern, ConcernRiskType, Enquiry

    start, end = year.start, year.end
    concerns = [
        ConcernRow(*r)
        for r in Concern.objects.filter(received_on__range=(start, end))
        .order_by("pk")
        .values_list("pk", "person_id", "received_on")
    ]
    in_year = Q(started_on__range=(start, end)) | Q(concluded_on__range=(start, end))
    rows = list(
        Enquiry.objects.filter(in_year)
        .order_by("pk")
        .values_list(
            "pk", "person_id", "kind", "started_on", "concluded_on", "concern_id",
            "concern__location_of_risk", "concern__source_of_risk", "risk_outcome", "msp_asked",
            "msp_achieved",
        )
    )  # fmt: skip
    types: dict[int, list[str]] = {}
    for concern_id, code in (
        ConcernRiskType.objects.filter(concern__enquiry__in=Enquiry.objects.filter(in_year))
        .order_by("concern_id", "id")
        .values_list("concern_id", "risk_type")
    ):
        types.setdefault(concern_id, []).append(code)
    enquiries = [
        EnquiryRow(pk, person, kind, started, concluded, tuple(types.get(concern, ())), location,
                   source, outcome, asked, achieved)
        for pk, person, kind, started, concluded, concern, location, source, outcome, asked,
        achieved in rows
    ]  # fmt: skip
    return concerns, enquiries


def for_year(year: Year) -> SacFigures:
    concerns, enquiries = rows_for(year)
    return count(year, concerns, enquiries)


# --- CSV ------------------------------------------------------------------------------------------

SUMMARY_FIELDS = ("measure", "all", "section_42", "other")
TABLE_FIELDS = ("code", "category", "section_42", "other")


def csv_files(figures: SacFigures, *, suppress: bool = False) -> dict[str, list[dict]]:
    """File name -> rows: the summary and one file per table."""
    data = figures.as_dict(suppress=suppress)
    label = str(figures.year)
    files = {
        f"sac-{label}-summary.csv": [
            {k: ("" if r[k] is None else r[k]) for k in SUMMARY_FIELDS} for r in data["summary"]
        ]
    }
    for key, table in data["tables"].items():
        files[f"sac-{label}-{key.replace('_', '-')}.csv"] = table["rows"]
    return files
