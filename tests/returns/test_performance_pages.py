"""The performance pages (ADR 0019): each page with its figures, the downloads' content and
audit, who sees what (names only of records the worker may open), bad links, refresh, and the
overview's queries (no N+1 over the breakdown's groups)."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carebridge.core.models import AuditEvent
from carebridge.returns import performance
from carebridge.returns.models import PerformanceFigures
from carebridge.rules.cld_validation import FIELD_NAMES

from .test_performance import TODAY, YEAR, performance_county  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(performance_county):  # noqa: F811
    performance.refresh([performance.Year(2024), YEAR], today=TODAY)
    return performance_county


def _rows(response) -> list[dict]:
    return list(csv.DictReader(response.content.decode().splitlines()))


def _exports(object_type: str):
    return AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, object_type=object_type)


def test_overview_shows_the_measures_trends_and_comparisons(client, stored):
    client.force_login(stored.workers["performance_analyst"])
    html = client.get("/performance/?year=2025-26&measure=3D2a").content.decode()
    assert "ASCOF measures for 2025-26" in html
    assert 'data-testid="computed-at"' in html and "from 4 CLD rows (4 people)" in html
    # The council's 3D2a: 2 of 4.
    assert "50.0%" in html
    # Charts with their tables, one per measure, over the two years stored.
    assert 'data-testid="chart-ascof-3D2a"' in html and 'data-testid="trend-3D2a"' in html
    assert "2024-25" in html
    # Trust-hosted teams: 1 of 2 people, fewer than 5: withheld.
    org = html[html.index('data-testid="by-organisation"') :]
    assert "Teams hosted by the NHS trust" in org and "[c]" in org
    area = html[html.index('data-testid="by-area"') :]
    assert 'data-area="NR1"' in area and 'data-area="unknown"' in area
    assert "Refresh figures" in html  # an analyst may refresh


def test_a_team_manager_sees_the_figures_but_no_refresh_or_person_downloads(client, stored):
    client.force_login(stored.workers["team_manager"])
    html = client.get("/performance/").content.decode()
    assert "ASCOF measures for 2025-26" in html and "Refresh figures" not in html
    readiness = client.get("/performance/readiness/").content.decode()
    assert "Download the CLD file" not in readiness and "Download these rows" not in readiness
    assert client.get("/performance/cld.csv").status_code == 403
    assert client.get("/performance/readiness/failing-rows.csv").status_code == 403
    assert client.post("/performance/refresh/").status_code == 403


@pytest.mark.parametrize(
    "role", ["social_worker", "nhs_partner", "commissioner", "finance_officer"]
)
def test_other_roles_are_refused(client, stored, role):
    client.force_login(stored.workers[role])
    for url in ("/performance/", "/performance/salt/", "/performance/readiness/"):
        assert client.get(url).status_code == 403


def test_an_unknown_year_measure_or_team_is_an_error_message(client, stored):
    client.force_login(stored.workers["performance_analyst"])
    for url, message in (
        ("/performance/?year=2019-20", "Choose a financial year that has figures"),
        ("/performance/?measure=9Z", "Choose an ASCOF measure"),
        ("/performance/salt/?year=nonsense", "Choose a financial year that has figures"),
        ("/performance/readiness/?team=99999", "Choose a team in this return"),
        ("/performance/cld.csv?period=2020-01-01_2020-02-01", "Choose a reporting period"),
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert message in response.content.decode()
    assert client.get("/performance/salt/NOPE.csv?year=2025-26").status_code == 404


def test_no_figures_yet_says_how_they_are_made(client, county):
    client.force_login(county.workers["team_manager"])
    for url in ("/performance/", "/performance/salt/", "/performance/readiness/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "carebridge returns refresh" in response.content.decode()


def test_salt_tables_and_a_table_download(client, stored):
    client.force_login(stored.workers["team_manager"])
    html = client.get("/performance/salt/?year=2025-26").content.decode()
    for code in ("STS001", "LTS001a", "LTS001b", "LTS004"):
        assert f'id="salt-{code}"' in html
    response = client.get("/performance/salt/LTS001b.csv?year=2025-26")
    rows = _rows(response)
    assert response["Content-Disposition"] == 'attachment; filename="salt-LTS001b-2025-26.csv"'
    council = PerformanceFigures.objects.get(year="2025-26", breakdown="overall")
    cells = [c for s in council.salt["LTS001b"]["sections"] for r in s["rows"] for c in r["cells"]]
    assert [int(r["value"]) for r in rows] == cells and sum(cells) > 0
    assert {r["table"] for r in rows} == {"LTS001b"}
    event = _exports("returns.performance").get()
    assert event.actor == stored.workers["team_manager"]
    assert event.changes == {"year": "2025-26", "table": "LTS001b", "rows": len(rows)}


def test_ascof_download_withholds_small_numbers_in_breakdowns(client, stored):
    client.force_login(stored.workers["team_manager"])
    rows = _rows(client.get("/performance/ascof.csv?year=2025-26"))
    council = [r for r in rows if r["breakdown"] == "council" and r["measure"] == "3D2a"]
    assert [(r["group"], r["numerator"], r["denominator"], r["value"]) for r in council][-1] == (
        "Total",
        "2",
        "4",
        "50.0",
    )
    trust = next(
        r for r in rows if r["part"] == "Teams hosted by the NHS trust" and r["measure"] == "3D2a"
    )
    assert (trust["numerator"], trust["denominator"], trust["value"]) == ("[c]", "[c]", "[c]")
    assert _exports("returns.performance").get().changes["table"] == "ascof"


def test_readiness_lists_an_analyst_council_ids_only(client, stored):
    c = stored
    client.force_login(c.workers["performance_analyst"])
    html = client.get("/performance/readiness/").content.decode()
    assert "Not ready: 2 failures on 2 rows" in html
    by_field = html[html.index('data-testid="failures-by-field"') :]
    by_field = by_field[: by_field.index("</table>")]
    assert "NHS_Number" in by_field and "Postcode" in by_field
    table = html[html.index('data-testid="failing-rows"') :]
    assert c.person_b.person_id in table and c.unheld.person_id in table
    assert "Elsewhere" not in table  # no names for a role that opens no records
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, object_type="returns.readiness")
    assert event.changes["listed"] == sorted([c.person_b.person_id, c.unheld.person_id])
    assert event.changes["not_listed"] == 0


def test_readiness_lists_a_manager_only_the_records_they_may_open(client, stored):
    c = stored
    client.force_login(c.manager_b)
    html = client.get("/performance/readiness/").content.decode()
    table = html[html.index('data-testid="failing-rows"') :]
    assert "ELSEWHERE, Brian" in table and c.unheld.person_id not in table
    assert "1 further person is counted but not listed" in html
    client.force_login(c.workers["team_manager"])  # team A: neither failing row is theirs
    html = client.get(f"/performance/readiness/?team={c.team_b.pk}").content.decode()
    assert "ELSEWHERE" not in html and 'data-testid="not-listed"' in html


def test_failing_rows_download_is_audited_with_every_person_id(client, stored):
    c = stored
    client.force_login(c.workers["performance_analyst"])
    rows = _rows(client.get(f"/performance/readiness/failing-rows.csv?team={c.team_b.pk}"))
    assert [(r["person_id"], r["team"], r["fields"], r["link"]) for r in rows] == [
        (c.person_b.person_id, "Central Locality", "NHS_Number", f"/people/{c.person_b.person_id}/")
    ]
    event = _exports("returns.readiness").get()
    assert event.changes["person_ids"] == [c.person_b.person_id]
    assert event.changes["rows"] == 1 and event.changes["team"] == str(c.team_b.pk)


def test_the_cld_file_for_a_chosen_period_is_the_export_and_is_audited(client, stored):
    client.force_login(stored.workers["performance_analyst"])
    response = client.get("/performance/cld.csv?period=2025-04-01_2026-03-31")
    assert response.status_code == 200
    lines = list(csv.reader(response.content.decode().splitlines()))
    assert lines[0] == list(FIELD_NAMES) and len(lines) == 5
    event = _exports("returns.cld").get()
    assert (event.changes["period_start"], event.changes["period_end"]) == (
        "2025-04-01",
        "2026-03-31",
    )
    assert event.changes["rows"] == 4 and event.actor == stored.workers["performance_analyst"]


def test_refresh_recomputes_the_year_in_progress_and_is_audited(client, stored):
    client.force_login(stored.workers["performance_analyst"])
    response = client.post("/performance/refresh/")
    assert response.status_code == 302 and response["Location"] == "/performance/"
    current = str(performance.financial_year(timezone.localdate()))
    assert PerformanceFigures.objects.filter(year=current, breakdown="overall").exists()
    event = AuditEvent.objects.filter(object_type="returns.performance").latest("pk")
    assert event.actor == stored.workers["performance_analyst"]
    assert list(event.changes["years"]) == [current]
    assert client.get("/performance/refresh/").status_code == 405


def test_menu_offers_performance_to_reporting_roles(client, stored):
    client.force_login(stored.workers["team_manager"])
    assert 'href="/performance/"' in client.get("/performance/").content.decode()
    client.force_login(stored.workers["social_worker"])
    html = client.get("/caseload/").content.decode()
    assert 'href="/performance/"' not in html


def test_overview_queries_do_not_grow_with_the_areas(client, stored):
    client.force_login(stored.workers["team_manager"])
    client.get("/performance/?year=2025-26")  # warm up (session, sites)

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            assert client.get("/performance/?year=2025-26").status_code == 200
        return len(q)

    before = count()
    template = PerformanceFigures.objects.get(year="2025-26", breakdown="area", group="NR1")
    now = timezone.now()
    PerformanceFigures.objects.bulk_create(
        PerformanceFigures(
            year="2025-26", breakdown="area", group=f"ZZ{i}", label=f"ZZ{i}",
            as_of=dt.date(2026, 3, 31), people=9, rows=9, ascof=template.ascof, computed_at=now,
        )
        for i in range(30)
    )  # fmt: skip
    assert count() == before <= 8
