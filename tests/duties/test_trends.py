"""Monthly trends: each duty's compliance rate and overdue count at each recorded month end, as
accessible SVG charts with the same figures in a table, filterable; each figure leads to the
people behind it as the engine judges that month end (scoped and audited like today's)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.duties import charts, engine, snapshots
from carebridge.duties.definitions import DUTIES
from carebridge.duties.figures import Counts, from_states, percent

from .dashboard_pages import listed_people, read_csv, trend_table

pytestmark = pytest.mark.django_db

DUTY = "assessment-after-request"
ENDS = snapshots.month_ends(timezone.localdate() - dt.timedelta(days=1), 2)


@pytest.fixture
def recorded(histories):
    snapshots.record(ENDS)
    return histories


def engine_counts(end, **holder) -> Counter:
    out = Counter()
    for r in engine.evaluate(end, [DUTY]):
        if all(getattr(r, k) == v for k, v in holder.items()):
            out[r.state.value] += 1
    return out


def expected_row(states: Counter) -> dict:
    c = from_states(dict(states), recurring=False)
    return {
        "met": c.met,
        "met_late": c.met_late,
        "due": c.due,
        "overdue": c.overdue,
        "excluded": c.excluded,
        "rate": percent(c.rate),
    }


def test_before_any_month_is_recorded_the_page_says_how(manager):
    html = manager.get("/compliance/trends/").content.decode()
    assert "No month has been recorded yet" in html
    assert "carebridge duties snapshot" in html


def test_each_duty_has_two_charts_and_a_table_of_the_same_figures(manager, recorded):
    response = manager.get(f"/compliance/trends/?duty={DUTY}")
    assert response.status_code == 200
    html = response.content.decode()
    for chart in (f"rate-{DUTY}", f"overdue-{DUTY}"):
        assert f'data-testid="chart-{chart}"' in html
        assert f'role="img" aria-labelledby="{chart}-title {chart}-desc"' in html
        assert f'<desc id="{chart}-desc">' in html
    table = trend_table(html, DUTY)
    assert list(table) == [e.isoformat() for e in ENDS]
    for end in ENDS:
        assert table[end.isoformat()] == expected_row(engine_counts(end)), end
    assert any(v for cells in table.values() for k, v in cells.items() if k != "rate")
    # Every overdue bar carries its figure.
    last = ENDS[-1]
    overdue = engine_counts(last)["overdue"]
    assert f"<title>{last:%B %Y}: {overdue:,} overdue</title>" in html


def test_trends_filter_by_organisation(manager, recorded):
    trust = recorded.trust
    html = manager.get(f"/compliance/trends/?duty={DUTY}&organisation={trust.pk}").content.decode()
    table = trend_table(html, DUTY)
    for end in ENDS:
        assert table[end.isoformat()] == expected_row(engine_counts(end, organisation_id=trust.pk))


def test_every_duty_is_charted_without_a_duty_filter(manager, recorded):
    html = manager.get("/compliance/trends/").content.decode()
    assert html.count('role="img"') == 2 * len(DUTIES)


def test_the_trends_download_as_csv_and_the_download_is_audited(manager, recorded):
    response = manager.get(f"/compliance/trends.csv?duty={DUTY}")
    rows = read_csv(response)
    assert [r["month_end"] for r in rows] == [e.isoformat() for e in ENDS]
    assert {r["duty"] for r in rows} == {DUTY}
    last = engine_counts(ENDS[-1])
    assert int(rows[-1]["overdue"]) == last["overdue"] and int(rows[-1]["met"]) == last["met"]
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_type) == (AuditEvent.Action.EXPORT, "duties.compliance")


def test_a_month_figure_leads_to_its_people_as_the_engine_judges_that_day(client, recorded):
    end = ENDS[-1]
    client.force_login(recorded.workers[Role.PERFORMANCE_ANALYST])
    url = f"/compliance/people/?duty={DUTY}&month={end:%Y-%m}"
    html = client.get(url).content.decode()
    results = list(engine.evaluate(end, [DUTY]))
    expected = sorted(
        (r for r in results if r.person_pk != recorded.restricted.pk),
        key=lambda r: (r.due, r.person_id),
    )
    assert listed_people(html) == [r.person_id for r in expected]
    assert f"at the end of {end:%B %Y}" in html
    assert expected[0].explanation in html.replace("&#39;", "'")
    event = AuditEvent.objects.latest("id")
    assert event.changes["filters"]["month"] == end.isoformat()
    assert event.changes["listed"] == [r.person_id for r in expected]
    restricted_counted = any(r.person_pk == recorded.restricted.pk for r in results)
    assert event.changes["not_listed"] == (1 if restricted_counted else 0)


def test_a_manager_sees_a_months_people_only_where_they_may_open_them(manager, recorded):
    end = ENDS[-1]
    html = manager.get(f"/compliance/people/?duty={DUTY}&month={end:%Y-%m}&state=met").content
    html = html.decode()
    # Brian's assessment was on time; his record is held by team B, not the manager's team A.
    assert listed_people(html) == []
    assert "1 further person is counted but not listed" in html
    rows = read_csv(manager.get(f"/compliance/people.csv?duty={DUTY}&month={end:%Y-%m}&state=met"))
    assert rows == []


def test_the_trends_page_reads_in_a_few_queries(manager, recorded, django_assert_max_num_queries):
    # Any page (5), the filters' teams (1), the month ends (1), the counts (1).
    with django_assert_max_num_queries(8):
        assert manager.get("/compliance/trends/").status_code == 200


# --- the charts' geometry -----------------------------------------------------------------------


def test_a_rate_line_breaks_where_there_is_nothing_to_rate():
    months = [
        (dt.date(2026, 1, 31), Counts.of(recurring=False, met=1, overdue=1)),
        (dt.date(2026, 2, 28), Counts()),
        (dt.date(2026, 3, 31), Counts.of(recurring=False, met=3, met_late=1)),
        (dt.date(2026, 4, 30), Counts.of(recurring=False, met=1)),
    ]
    chart = charts.rate_chart("r", "Compliance rate", months)
    assert len(chart.lines) == 2 and len(chart.marks) == 3
    assert [m.label for m in chart.marks] == [
        "January 2026: 50.0% (1 of 2)",
        "March 2026: 75.0% (3 of 4)",
        "April 2026: 100.0% (1 of 1)",
    ]
    assert chart.description == (
        "Compliance rate at each month end from January 2026 (50.0%) to April 2026 (100.0%); "
        "lowest 50.0% in January 2026, highest 100.0% in April 2026."
    )
    top = chart.top
    assert chart.marks[2].y == top  # 100% at the top of the plot
    assert chart.marks[0].y == top + chart.plot_height / 2
    assert [label for _, _, label in chart.x_labels] == ["2026", "", "", ""]


def test_overdue_bars_on_a_round_scale():
    months = [(dt.date(2026, 1, 31), 37), (dt.date(2026, 2, 28), 0)]
    chart = charts.count_chart("o", "Overdue", months)
    assert [label for _, label in chart.y_ticks] == ["0", "10", "20", "30", "40"]
    assert chart.marks[1].height == 0
    assert chart.marks[0].height == pytest.approx(chart.plot_height * 37 / 40, abs=0.1)
    assert "from 37 in January 2026 to 0 in February 2026; most 37 in January 2026" in (
        chart.description
    )


@pytest.mark.parametrize(
    ("value", "top", "step"),
    [(0, 4, 1), (3, 4, 1), (5, 6, 2), (37, 40, 10), (101, 150, 50), (1999, 2000, 500)],
)
def test_nice_ceiling(value, top, step):
    assert charts.nice_ceiling(value) == (top, step)
