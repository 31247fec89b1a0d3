"""The SAC figures: exact on hand-built records (through the pure count and through the
database), by financial year (concerns and enquiries started in it; enquiries concluded in it
for the details); the page and the CLI give the same numbers; small counts withheld only
when asked."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter

import pytest
from click.testing import CliRunner

from carebridge.cli import cli
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.rules import safeguarding as sg
from carebridge.safeguarding import figures
from tests.factories import PersonFactory, WorkerFactory

from . import factories as f

pytestmark = pytest.mark.django_db
D = dt.date
YEAR = figures.year_from("2025-26")
S, O = sg.S42_ENQUIRY, sg.OTHER_ENQUIRY  # noqa: E741 - read as table headings


def _concluded(**kw):
    return {"risk_outcome": kw.pop("outcome"), "msp_asked": kw.pop("asked"), **kw}


@pytest.fixture
def records(county):
    """Six concerns about five people around the year 2025-26 (1 April 2025 to 31 March
    2026)."""
    w = county.workers[Role.SAFEGUARDING_LEAD]
    p0, p1, p2, p3, p4 = (PersonFactory() for _ in range(5))
    # C1: received the year before; its s42 enquiry concludes in the year.
    c1 = f.concern_row(p0, w, received_on=D(2025, 3, 31), types=("physical", "financial"))
    f.enquiry_row(
        c1,
        w,
        started_on=D(2025, 3, 31),
        concluded_on=D(2025, 4, 10),
        **_concluded(
            outcome=sg.RISK_REDUCED, asked=sg.MSP_EXPRESSED, msp_achieved=sg.ACHIEVED_FULLY
        ),
    )
    # C2: the first day of the year; its s42 enquiry concludes after it.
    c2 = f.concern_row(p1, w, received_on=D(2025, 4, 1), types=("sexual",))
    f.enquiry_row(
        c2,
        w,
        started_on=D(2025, 4, 2),
        concluded_on=D(2026, 4, 1),
        **_concluded(outcome=sg.RISK_REMOVED, asked=sg.MSP_EXPRESSED, msp_achieved=sg.ACHIEVED_NOT),
    )
    # C3: the same person again; an other enquiry about a nursing home, concluded.
    home = f_provider()
    c3 = f.concern_row(
        p1,
        w,
        received_on=D(2025, 6, 1),
        types=("neglect",),
        provider=home,
        location_of_risk="care_home_nursing",
    )
    f.enquiry_row(
        c3,
        w,
        kind=O,
        started_on=D(2025, 6, 2),
        concluded_on=D(2025, 7, 1),
        **_concluded(outcome=sg.NO_RISK, asked=sg.MSP_NONE_EXPRESSED),
    )
    # C4: the last day of the year, not yet decided.
    f.concern_row(p2, w, received_on=D(2026, 3, 31))
    # C5: another route (no enquiry).
    f.concern_row(p3, w, received_on=D(2025, 5, 5))
    # C6: s42, a stranger, ceased at the adult's request; they were not asked.
    c6 = f.concern_row(
        p4, w, received_on=D(2025, 7, 7), types=("physical",), source_of_risk=sg.UNKNOWN
    )
    f.enquiry_row(
        c6,
        w,
        started_on=D(2025, 7, 8),
        concluded_on=D(2025, 8, 1),
        **_concluded(outcome=sg.CEASED_AT_REQUEST, asked=sg.MSP_NOT_ASKED),
    )


def f_provider():
    from tests.planning.factories import ProviderFactory

    return ProviderFactory()


EXPECTED_SUMMARY = [
    ("Safeguarding concerns received", 5, None, None),
    ("Individuals involved in safeguarding concerns", 4, None, None),
    ("Enquiries started", None, 2, 1),
    ("Individuals involved in enquiries started", None, 2, 1),
    ("Enquiries concluded", None, 2, 1),
]
EXPECTED_TABLES = {
    "type_of_risk": {("physical", S): 2, ("financial", S): 1, ("neglect", O): 1},
    "location_of_risk": {("own_home", S): 2, ("care_home_nursing", O): 1},
    "source_of_risk": {(sg.KNOWN, S): 1, (sg.UNKNOWN, S): 1, (sg.SERVICE_PROVIDER, O): 1},
    "risk_outcome": {(sg.RISK_REDUCED, S): 1, (sg.CEASED_AT_REQUEST, S): 1, (sg.NO_RISK, O): 1},
    "msp_asked": {
        (sg.MSP_EXPRESSED, S): 1,
        (sg.MSP_NOT_ASKED, S): 1,
        (sg.MSP_NONE_EXPRESSED, O): 1,
    },
    "msp_achieved": {(sg.ACHIEVED_FULLY, S): 1},
}


def _nonzero(table: figures.Table) -> dict:
    out = {}
    for code, _label, s42, other in table.rows():
        if s42:
            out[(code, S)] = s42
        if other:
            out[(code, O)] = other
    return out


def test_the_figures_are_exactly_the_hand_counted_ones(records):
    result = figures.for_year(YEAR)
    assert result.summary() == EXPECTED_SUMMARY
    assert {k: _nonzero(t) for k, t in result.tables.items()} == EXPECTED_TABLES


def test_the_pure_count_counts_each_different_type_once_and_keeps_to_the_year():
    row = figures.EnquiryRow(
        1,
        1,
        S,
        D(2025, 5, 1),
        D(2025, 6, 1),
        ("physical", "physical", "neglect"),
        "own_home",
        sg.KNOWN,
        sg.RISK_REMAINS,
        "",
        "",
    )
    later = figures.EnquiryRow(
        2, 2, O, D(2026, 3, 1), None, ("sexual",), "other", sg.KNOWN, "", "", ""
    )
    result = figures.count(YEAR, [figures.ConcernRow(1, 1, D(2025, 3, 31))], [row, later])
    assert result.concerns == 0
    assert result.started == Counter({S: 1, O: 1}) and result.concluded == Counter({S: 1})
    assert _nonzero(result.tables["type_of_risk"]) == {("physical", S): 1, ("neglect", S): 1}
    # A blank Making Safeguarding Personal answer is counted as "Not recorded".
    assert _nonzero(result.tables["msp_asked"]) == {(sg.MSP_NOT_RECORDED, S): 1}


def test_small_counts_are_withheld_only_when_asked():
    assert figures.shown(0, True) == 0 and figures.shown(4, True) == "[c]"
    assert figures.shown(5, True) == 5 and figures.shown(3, False) == 3


@pytest.mark.parametrize(
    ("text", "first"), [("2025-26", 2025), ("2025", 2025), (" 2024-25 ", 2024)]
)
def test_a_year_is_typed_either_way(text, first):
    assert figures.year_from(text).first == first


@pytest.mark.parametrize("text", ["2025-27", "25-26", "", "twenty"])
def test_a_bad_year_is_refused(text):
    with pytest.raises(figures.BadYear):
        figures.year_from(text)


# --- the page and the command line ------------------------------------------------------------


def test_the_page_shows_the_same_figures(client, county, records):
    client.force_login(county.workers[Role.SAFEGUARDING_LEAD])
    html = client.get("/safeguarding/figures/?year=2025-26").content.decode()
    assert "Safeguarding Adults Collection 2025-26" in html
    assert 'data-testid="sac-type_of_risk"' in html and "Physical Abuse" in html


def invoke(*args):
    return CliRunner().invoke(cli, ["safeguarding", "sac", *args])


def test_the_cli_writes_the_same_figures_as_json_and_is_audited(county, records):
    WorkerFactory(role=Role.PERFORMANCE_ANALYST, username="analyst")
    result = invoke("--year", "2025-26", "--user", "analyst")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["year"] == "2025-26"
    assert [(r["measure"], r["all"], r["section_42"], r["other"]) for r in out["summary"]] == (
        EXPECTED_SUMMARY
    )
    physical = next(r for r in out["tables"]["type_of_risk"]["rows"] if r["code"] == "physical")
    assert (physical["section_42"], physical["other"]) == (2, 0)
    event = AuditEvent.objects.get(object_type="safeguarding.sac")
    assert event.action == AuditEvent.Action.EXPORT and event.actor.username == "analyst"
    assert event.changes["year"] == "2025-26"


def test_the_cli_writes_csv_files_and_can_suppress(county, records, tmp_path):
    out = tmp_path / "sac"
    result = invoke("--year", "2025", "--csv", str(out), "--suppress")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert "sac-2025-26-summary.csv" in names and "sac-2025-26-type-of-risk.csv" in names
    assert result.stdout.splitlines() == [
        str(out / n) for n in figures.csv_files(figures.for_year(YEAR))
    ]
    with (out / "sac-2025-26-summary.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0] == {
        "measure": "Safeguarding concerns received",
        "all": "5",
        "section_42": "",
        "other": "",
    }
    assert rows[2]["section_42"] == "[c]"  # 2 enquiries started: withheld for publication


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2025-27"], "--year"),
        (["--year", "2025-26", "--user", "nobody"], "no active worker"),
        (["--year", "2025-26", "--user", "commissioner"], "role includes neither"),
    ],
)
def test_bad_input_exits_2_with_nothing_written(county, args, message):
    before = AuditEvent.objects.count()
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""
    assert AuditEvent.objects.count() == before


def test_a_csv_path_that_is_a_file_exits_2(county, tmp_path):
    path = tmp_path / "file.csv"
    path.write_text("x")
    result = invoke("--year", "2025-26", "--csv", str(path))
    assert result.exit_code == 2 and "is a file" in result.stderr
    result = invoke("--year", "2025-26", "--csv", str(tmp_path / "no" / "such"))
    assert result.exit_code == 2 and "parent directory" in result.stderr
