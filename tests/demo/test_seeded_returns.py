"""The synthetic county's statutory returns: its CLD export passes validation, and it has the
variety to exercise every SALT table and ASCOF measure (issue 6: carers, direct payments,
reablement, hospital discharges, transitions, deaths, moves).

A county of 1,500 people over three and a half years, seeded once for the module and rolled
back afterwards (as ``conftest.seeded``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter

import pytest
from django.db import transaction

from carebridge.demo.seed import seed_county
from carebridge.returns import cld_export, measures
from carebridge.rules import cld
from carebridge.rules.cld_validation import FAIL, validate_csv
from carebridge.rules.returns import Year

UNTIL = dt.date(2026, 3, 31)
YEAR = Year.parse("2025-26")
PEOPLE = 1500
SEED = 11

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            seed_county(people=PEOPLE, seed=SEED, until=UNTIL)
            out = io.StringIO()
            cld_export.write(out, YEAR.start, YEAR.end)
            figures = measures.compute(YEAR, population_18_64=300_000, population_65_plus=100_000)
            yield out.getvalue(), figures
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_seeded_countys_export_passes_validation(county):
    text, _ = county
    validation = validate_csv(io.StringIO(text, newline=""), "seeded.csv")
    failures = [f for f in validation if f.severity == FAIL]
    summary = validation.summary
    assert summary.rows_read > 2000
    assert failures == [], [f"row {f.row} {f.field}: {f.message}" for f in failures[:10]]
    assert summary.passed


def test_everyone_in_the_return_has_an_nhs_number(county):
    text, _ = county
    assert all(row["NHS_Number"] for row in _rows(text))


def test_the_export_has_the_variety_the_returns_need(county):
    rows = _rows(county[0])
    client_types = Counter(r[cld.CLIENT_TYPE] for r in rows)
    assert client_types[cld.SERVICE_USER] and client_types[cld.UNPAID_CARER]
    assert client_types[cld.UNPAID_CARER_BY_ASSOCIATION]
    services = [r for r in rows if r[cld.EVENT_TYPE] == cld.SERVICE]
    mechanisms = Counter(r[cld.DELIVERY_MECHANISM] for r in services)
    assert mechanisms["Direct payment"] and mechanisms["CASSR managed personal budget"]
    assert any(r[cld.SERVICE_TYPE] == "Short term support: ST-Max" for r in services)
    routes = Counter(r[cld.ROUTE_OF_ACCESS] for r in rows if r[cld.EVENT_TYPE] == cld.REQUEST)
    assert routes["Discharge from Hospital"] and routes["Planned Entry (Transition)"]
    assert any(r["Date_of_Death"] for r in rows)
    outcomes = Counter(r[cld.EVENT_OUTCOME] for r in rows)
    assert outcomes["NFA: Responsibility moved to another local authority"]
    assert outcomes["NFA: Deceased"]
    settings = Counter(r[cld.SERVICE_TYPE] for r in services)
    assert settings["Long term support: Residential care"]
    assert settings["Long term support: Nursing care"]
    assert settings["Long term support: Community"]


def test_every_salt_table_has_figures(county):
    _, figures = county
    assert set(figures.salt) == {
        "STS001", "STS002a", "STS002b", "LTS001a", "LTS001b", "LTS001c", "LTS003", "LTS004",
    }  # fmt: skip
    for code, table in figures.salt.items():
        total = sum(sum(v for v in row if v) for s in table.sections for row in s.grid())
        assert total > 0, f"{code} is empty on the seeded county"


def test_every_ascof_measure_is_a_real_proportion(county):
    """Not 0% or 100%: each measure's numerator and its complement both occur."""
    _, figures = county
    for code in ("2A", "2E", "2E LD", "3D1a", "3D2a", "3D2b"):
        measure = figures.ascof[code]
        headline = measure.figures[measure.headline]
        assert headline.denominator, code
        assert 0 < headline.numerator < headline.denominator, (code, headline)
    for code in ("2B", "2C"):
        measure = figures.ascof[code]
        assert measure.figures[measure.headline].numerator > 0, code
        assert measure.figures[measure.headline].value is not None, code
