"""The compliance dashboard: today's figures by duty, organisation, team and worker; filters;
the people behind a figure, scoped to the records the viewer may open (ADR 0013) and audited;
CSV exports; clear errors for bad links; a bounded number of queries."""

from __future__ import annotations

import pytest
from django.utils import timezone

from carebridge.core.access import Role
from carebridge.core.models import AuditEvent, RestrictedAccess
from carebridge.duties import services
from tests.factories import AllocationFactory, PersonFactory

from .dashboard_pages import figures_table, listed_people, read_csv
from .histories import request

pytestmark = pytest.mark.django_db

DUTY = "assessment-after-request"
NO_RATE = "\N{EN DASH}"  # nothing to rate yet


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


# --- figures ------------------------------------------------------------------------------------


def test_each_duty_with_its_figures_and_rate(manager):
    html = page(manager, "/compliance/")
    table = figures_table(html)
    assert table[DUTY] == {
        "met": 1,
        "met_late": 1,
        "overdue": 2,
        "due_soon": 1,
        "due_later": 1,
        "excluded": 1,
        "rate": "25.0%",  # 1 on time of 4 met or past due
    }
    # Every duty is listed, with its citation and basis; a duty nobody has yet shows zeros.
    assert table["annual-review"] == {**{f: 0 for f in table[DUTY] if f != "rate"}, "rate": NO_RATE}
    assert "Care Act 2014 s9(1)" in html and "local standard" in html
    assert 'href="https://www.legislation.gov.uk/ukpga/2014/23/section/9"' in html
    assert table["total"]["overdue"] == 2
    assert "Compliance rate: for a duty that runs once per clock" in html
    # Aggregates count the restricted record but never name anyone.
    assert "Private" not in html and "Allocated" not in html and "data-person=" not in html


def test_by_organisation_council_run_and_trust_hosted(manager, histories):
    table = figures_table(page(manager, "/compliance/?by=organisation"))
    trust, council = str(histories.trust.pk), str(histories.council.pk)
    assert table[trust] | {} == {
        "met": 0, "met_late": 0, "overdue": 2, "due_soon": 1, "due_later": 0, "excluded": 0,
        "rate": "0.0%",
    }  # fmt: skip
    assert table[council]["met"] == 1 and table[council]["due_later"] == 1
    assert table[council]["excluded"] == 1 and table[council]["rate"] == "100.0%"
    assert table["none"]["met_late"] == 1  # Ursula: nobody holds her case
    html = page(manager, "/compliance/?by=organisation")
    assert "Hosted by the NHS trust" in html and "Council-run" in html


def test_by_team_and_by_worker(manager, histories):
    teams = figures_table(page(manager, "/compliance/?by=team"))
    assert teams[str(histories.team_a.pk)]["overdue"] == 2
    assert teams[str(histories.team_a.pk)]["due_soon"] == 1
    assert teams[str(histories.team_b.pk)]["met"] == 1
    assert teams["total"]["overdue"] == 2 and teams["total"]["met_late"] == 1
    workers = figures_table(page(manager, "/compliance/?by=worker"))
    assert workers[str(histories.workers[Role.SOCIAL_WORKER].pk)]["overdue"] == 1
    assert workers[str(histories.workers[Role.AMHP].pk)]["overdue"] == 1
    assert workers[str(histories.worker_b.pk)]["met"] == 1
    # Tom, Dora, Eric and Ursula: held by a team without a named worker, or by no one.
    unnamed = workers["none"]
    assert (
        unnamed["due_soon"],
        unnamed["due_later"],
        unnamed["excluded"],
        unnamed["met_late"],
    ) == (
        1,
        1,
        1,
        1,
    )


def test_filters_by_duty_organisation_and_team(manager, histories):
    table = figures_table(page(manager, f"/compliance/?duty={DUTY}&by=team"))
    assert set(table) == {str(histories.team_a.pk), str(histories.team_b.pk), "none", "total"}
    only = figures_table(page(manager, f"/compliance/?organisation={histories.trust.pk}"))
    assert only[DUTY]["overdue"] == 2 and only[DUTY]["met"] == 0
    team_b = figures_table(page(manager, f"/compliance/?team={histories.team_b.pk}&by=worker"))
    assert set(team_b) == {str(histories.worker_b.pk), "none", "total"}
    unheld = figures_table(page(manager, "/compliance/?team=none"))
    assert unheld[DUTY]["met_late"] == 1 and unheld[DUTY]["overdue"] == 0
    one_duty = figures_table(page(manager, "/compliance/?duty=annual-review"))
    assert set(one_duty) == {"annual-review"}


def test_each_figure_links_to_the_people_behind_it(manager, histories):
    html = page(manager, "/compliance/?by=team")
    team = histories.team_a.pk
    assert f'href="/compliance/people/?team={team}&amp;state=overdue"' in html
    html = page(manager, "/compliance/")
    assert f'href="/compliance/people/?duty={DUTY}&amp;state=met_late"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("duty=annual-reviews", "Select a duty from the list"),
        ("by=county", "Select how to show the figures"),
        ("team=abc", "Select a team from the list"),
        ("team=999999", "Select a team from the list"),
        ("organisation=-1", "Select an organisation from the list"),
    ],
)
def test_a_bad_link_gets_a_clear_error_not_a_crash(manager, query, message):
    for path in ("/compliance/", "/compliance/figures.csv", "/compliance/trends/"):
        if path == "/compliance/trends/" and query.startswith("by="):
            continue  # the trends have no breakdown: an unknown parameter is ignored
        html = page(manager, f"{path}?{query}", status=400)
        assert "There is a problem" in html and message in html
        assert "<title>Error: " in html


# --- the people behind a figure -----------------------------------------------------------------


def test_a_manager_sees_the_people_they_may_open_with_why_and_what_to_do(manager, histories):
    html = page(manager, f"/compliance/people/?duty={DUTY}&state=overdue")
    anna = histories.person_a
    assert listed_people(html) == [anna.person_id]
    assert f'href="/people/{anna.person_id}/#duties"' in html
    assert "ALLOCATED, Anna" in html
    assert "no assessment yet (overdue)" in html  # the stored explanation
    assert "To put it right: start the assessment, or close the request" in html
    # Rita's restricted record is counted, not listed, and not named.
    assert "2 counted in this figure; 1 listed." in html
    assert "1 further person is counted but not listed because you cannot open their record" in html
    assert "Private" not in html and histories.restricted.person_id not in html


def test_a_manager_named_on_a_restricted_record_sees_it_listed(manager, histories):
    RestrictedAccess.objects.create(
        person=histories.restricted, worker=histories.workers[Role.TEAM_MANAGER]
    )
    html = page(manager, f"/compliance/people/?duty={DUTY}&state=overdue")
    assert sorted(listed_people(html)) == sorted(
        [histories.person_a.person_id, histories.restricted.person_id]
    )
    assert "not listed" not in html


def test_other_teams_people_are_counted_not_listed(manager, histories):
    html = page(manager, f"/compliance/people/?team={histories.team_b.pk}")
    assert listed_people(html) == []
    assert "3 further people are counted but not listed" in html
    assert "Elsewhere" not in html and histories.person_b.person_id not in html


def test_an_analyst_sees_person_ids_but_no_names_and_never_restricted_records(analyst, histories):
    html = page(analyst, f"/compliance/people/?duty={DUTY}")
    ids = listed_people(html)
    assert histories.person_a.person_id in ids and histories.person_b.person_id in ids
    assert histories.restricted.person_id not in ids
    assert len(ids) == 6  # everyone but Rita
    assert "Allocated" not in html and "Elsewhere" not in html and "Private" not in html
    assert "/people/" not in html.split('data-testid="people-behind"')[1]
    assert "shown by their council person ID only" in html
    assert "1 further person is counted but not listed" in html


def test_listing_people_is_audited_with_who_was_listed(manager, histories):
    before = AuditEvent.objects.count()
    page(manager, f"/compliance/people/?duty={DUTY}&state=overdue")
    event = AuditEvent.objects.latest("id")
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.actor_id, event.object_type) == (
        AuditEvent.Action.VIEW,
        histories.workers[Role.TEAM_MANAGER].pk,
        "duties.compliance",
    )
    assert event.changes["listed"] == [histories.person_a.person_id]
    assert (event.changes["counted"], event.changes["not_listed"]) == (2, 1)
    assert event.changes["filters"] == {"duty": DUTY, "state": "overdue"}
    assert "Overdue today" in event.summary


def test_a_bad_list_link_gets_a_clear_error(manager, histories):
    for query, message in [
        ("state=late", "Select a figure from the list"),
        ("worker=abc", "The worker in the link does not exist"),
        ("worker=99999999", "The worker in the link does not exist"),
        ("month=2026-13&duty=annual-review", "The month in the link must be like 2026-03"),
        ("month=2025-01", "Select a duty to see the people behind a month"),
        (f"month={timezone.localdate():%Y-%m}&duty={DUTY}", "has not ended yet"),
    ]:
        before = AuditEvent.objects.count()
        for path in ("/compliance/people/", "/compliance/people.csv"):
            html = page(manager, f"{path}?{query}", status=400)
            assert "There is a problem" in html and message in html, query
        assert AuditEvent.objects.count() == before  # nothing was listed


def test_long_lists_are_paginated_with_the_filters_kept(manager, histories):
    many = []
    for i in range(55):
        p = PersonFactory(given_name="Many", family_name=f"Overdue{i:02d}")
        AllocationFactory(person=p, team=histories.team_a)
        request(p, 30 + i)
        many.append(p)
    services.refresh_all()
    url = f"/compliance/people/?duty={DUTY}&state=overdue&team={histories.team_a.pk}"
    first = page(manager, url)
    assert len(listed_people(first)) == 50
    assert "Showing 1 to 50 of 56" in first
    assert f"team={histories.team_a.pk}&amp;page=2" in first
    second = page(manager, url + "&page=2")
    assert len(listed_people(second)) == 6
    assert set(listed_people(first)).isdisjoint(listed_people(second))
    # The longest overdue first: the request made 84 days ago.
    assert listed_people(first)[:2] == [many[54].person_id, many[53].person_id]
    event = AuditEvent.objects.latest("id")
    assert event.changes["page"] == 2 and len(event.changes["listed"]) == 6


# --- CSV ----------------------------------------------------------------------------------------


def test_the_figures_download_as_csv(manager, histories):
    response = manager.get("/compliance/figures.csv?by=team")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = {r["team"]: r for r in read_csv(response)}
    a = rows[histories.team_a.name]
    assert (a["overdue"], a["due_soon"], a["compliance_rate"]) == ("2", "1", "0.0")
    assert rows["Total"]["met_late"] == "1" and rows["Not allocated"]["met_late"] == "1"
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_type) == (AuditEvent.Action.EXPORT, "duties.compliance")
    assert event.changes["filters"] == {"by": "team"}


def test_the_people_behind_a_figure_download_as_csv_scoped_and_audited(manager, histories):
    response = manager.get(f"/compliance/people.csv?duty={DUTY}&state=overdue")
    assert response.status_code == 200
    rows = read_csv(response)
    assert [(r["person_id"], r["name"], r["figure"]) for r in rows] == [
        (histories.person_a.person_id, "ALLOCATED, Anna", "overdue")
    ]
    assert rows[0]["action"].startswith("Start the assessment")
    assert "no assessment yet (overdue)" in rows[0]["explanation"]
    assert rows[0]["team"] == histories.team_a.name
    event = AuditEvent.objects.latest("id")
    assert event.action == AuditEvent.Action.EXPORT
    assert event.changes["person_ids"] == [histories.person_a.person_id]
    assert event.changes["not_listed"] == 1


def test_an_analysts_csv_has_no_names_and_no_restricted_records(analyst, histories):
    rows = read_csv(analyst.get(f"/compliance/people.csv?duty={DUTY}"))
    assert "name" not in rows[0]
    assert len(rows) == 6
    assert histories.restricted.person_id not in {r["person_id"] for r in rows}


# --- roles and queries --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COMMISSIONER, Role.NHS_PARTNER])
def test_roles_without_compliance_are_refused(client, histories, role):
    client.force_login(histories.workers[role])
    for url in ("/compliance/", "/compliance/people/?state=overdue", "/compliance/people.csv"):
        assert client.get(url).status_code == 403


def test_the_menu_offers_the_dashboard(manager):
    html = page(manager, "/caseload/")
    assert 'href="/compliance/"' in html and "Compliance" in html


@pytest.mark.parametrize("by", ["duty", "organisation", "team", "worker"])
def test_the_dashboard_reads_in_a_few_queries(
    manager, histories, by, django_assert_max_num_queries
):
    for i in range(30):
        p = PersonFactory()
        AllocationFactory(person=p, team=histories.team_b)
        request(p, i * 3)
    services.refresh_all()
    # Any page: the session and worker, and saving the session (5); the figures (1), the
    # rows' names or, by duty, the time allowed for each (1), the filters' teams and
    # organisations (1).
    with django_assert_max_num_queries(8):
        page(manager, f"/compliance/?by={by}")


def test_the_list_reads_in_a_few_queries_however_long(
    manager, histories, django_assert_max_num_queries
):
    for i in range(80):
        p = PersonFactory()
        AllocationFactory(person=p, team=histories.team_a)
        request(p, 30 + i)
    services.refresh_all()
    # Any page (5), the filters' teams (1), counted (1), listed (1), the page's rows with their
    # people and holders (1), the description's team (1), the audit event (1).
    with django_assert_max_num_queries(11):
        html = page(manager, f"/compliance/people/?state=overdue&team={histories.team_a.pk}")
    assert len(listed_people(html)) == 50


def test_an_analyst_without_a_caseload_is_pointed_to_the_dashboard(analyst):
    html = page(analyst, "/caseload/")
    assert "does not hold a caseload" in html
    assert 'href="/compliance/">See how the council is meeting its statutory duties' in html
