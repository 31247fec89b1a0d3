"""``carebridge returns salt|ascof``: the figures come from the CLD rows the export projects
(the same numbers as the pure rules on those rows), in JSON or CSV; bad input exits 2 with
nothing on stdout; each run is audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from click.testing import CliRunner

from carebridge.cli import cli
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.organisations.models import Organisation
from carebridge.returns import cld_export
from carebridge.rules import cld
from carebridge.rules.returns import ascof_measures, salt_tables
from tests.factories import EventFactory, OrganisationFactory, PersonFactory, WorkerFactory

pytestmark = pytest.mark.django_db

YEAR = "2025-26"


@pytest.fixture(autouse=True)
def council():
    return OrganisationFactory(kind=Organisation.COUNCIL, name="Test Council", cassr_code="999")


@pytest.fixture
def county():
    """Two people on long-term community support through the year, one living at home."""
    people = []
    for born in (dt.date(1950, 6, 1), dt.date(1980, 2, 1)):
        p = PersonFactory(date_of_birth=born)
        EventFactory(
            person=p,
            event_type=cld.SERVICE,
            start_date=dt.date(2024, 6, 1),
            end_date=None,
            service_type="Long term support: Community",
            service_component="Home care",
            delivery_mechanism="CASSR commissioned support",
        )
        people.append(p)
    return people


def invoke(*args):
    return CliRunner().invoke(cli, ["returns", *args])


def export_rows() -> list[dict]:
    start, end = dt.date(2024, 4, 1), dt.date(2026, 3, 31)
    return [
        dict(zip(cld_export.FIELD_NAMES, row, strict=True))
        for _, row in cld_export.rows(start, end)
    ]


def test_ascof_json_is_the_rules_on_the_exported_rows_and_is_audited(county):
    WorkerFactory(role=Role.PERFORMANCE_ANALYST, username="analyst")
    result = invoke("ascof", "--year", YEAR, "--user", "analyst")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    expected = {k: m.as_dict() for k, m in ascof_measures(export_rows(), YEAR).items()}
    assert out == {"year": YEAR, "measures": expected}
    assert set(out["measures"]) >= {"2A", "2B", "2C", "2E", "3D1a"}
    event = AuditEvent.objects.get(object_type="returns.ascof")
    assert event.action == AuditEvent.Action.EXPORT
    assert event.changes["year"] == YEAR and event.changes["cld_rows_read"] == 2


def test_salt_csv_has_one_line_per_cell_summing_to_the_tables(county):
    result = invoke("salt", "--year", YEAR, "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = list(csv.DictReader(io.StringIO(result.stdout)))
    tables = salt_tables(export_rows(), YEAR)
    assert {line["table"] for line in lines} == set(tables)
    lts001a = tables["LTS001a"]
    total = sum(int(x["value"]) for x in lines if x["table"] == "LTS001a")
    assert total == sum(s.total for s in lts001a.sections) and total > 0


def test_population_fills_2b_and_2c(county):
    result = invoke(
        "ascof", "--year", YEAR, "--population-18-64", "300,000", "--population-65-plus", "100000"
    )
    assert result.exit_code == 0, result.output
    measures = json.loads(result.stdout)["measures"]
    assert measures["2B"]["figures"][measures["2B"]["headline"]]["denominator"] == 300000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["salt", "--year", "2025-27"], "the second year must follow the first"),
        (["salt", "--year", "25/26"], "YYYY-YY"),
        (["ascof", "--year", YEAR, "--format", "xml"], "--format must be json or csv"),
        (["ascof", "--year", YEAR, "--population-18-64", "many"], "positive whole number"),
        (["ascof", "--year", YEAR, "--user", "nobody"], "no active worker"),
    ],
)
def test_bad_input_exits_2_with_nothing_on_stdout(county, args, message):
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert not AuditEvent.objects.filter(object_type__startswith="returns.").exists()


def test_a_role_without_returns_is_refused(county):
    WorkerFactory(role=Role.SOCIAL_WORKER, username="sw")
    result = invoke("salt", "--year", YEAR, "--user", "sw")
    assert result.exit_code == 2
    assert "does not include statutory returns" in result.stderr
