"""Who hosts and employs each team and worker on a date: the page, its CSV and its queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.organisations.models import Organisation
from carebridge.partnerships.models import Agreement, Employment, TeamHosting
from tests.factories import OrganisationFactory, TeamFactory, WorkerFactory

pytestmark = pytest.mark.django_db

D = dt.date
BEFORE, AFTER = D(2025, 1, 10), D(2025, 6, 1)


@pytest.fixture
def shire():
    council = OrganisationFactory(kind=Organisation.COUNCIL, name="Shire Council")
    trust = OrganisationFactory(kind=Organisation.NHS_TRUST, name="Shire Trust", ods_code="RZ1")
    a = Agreement.objects.create(
        reference="S75-A", title="Shire s75", council=council, partner=trust,
        functions=["assessment"], starts_on=D(2019, 4, 1), ends_on=D(2025, 3, 31),
    )  # fmt: skip
    # Riverside was hosted by the trust under S75-A until 31 March 2025, then brought back.
    moved = TeamFactory(organisation=council, name="Riverside CMHT", kind="cmht")
    TeamHosting.objects.create(team=moved, managed_by=trust, agreement=a, ends_on=D(2025, 3, 31))
    TeamHosting.objects.create(team=moved, managed_by=council, starts_on=D(2025, 4, 1))
    ashby = TeamFactory(organisation=council, name="Ashby Locality")
    maya = WorkerFactory(role=Role.TEAM_MANAGER, team=moved, first_name="Maya",
                         last_name="Manager", username="maya")  # fmt: skip
    WorkerFactory(team=moved, first_name="Sam", last_name="Social", username="sam")
    eve = WorkerFactory(team=ashby, first_name="Eve", last_name="Earlier", username="eve")
    # Eve was in Riverside, employed by the trust, until she moved to Ashby on 1 April 2025.
    Employment.objects.create(
        worker=eve, team=moved, employed_by=trust, line_manager=maya, agreement=a,
        ends_on=D(2025, 3, 31),
    )  # fmt: skip
    Employment.objects.create(worker=eve, team=ashby, employed_by=council, starts_on=D(2025, 4, 1))
    viewer = WorkerFactory(role=Role.COMMISSIONER, team=ashby, first_name="Cara",
                           last_name="Commissioner", username="cara")  # fmt: skip
    return {"council": council, "trust": trust, "agreement": a, "viewer": viewer, "eve": eve}


def _cells(html: str, testid: str) -> list[list[str]]:
    table = re.search(rf'data-testid="{testid}".*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr[^>]*data-testid=[^>]*>(.*?)</tr>", table, re.S)
    return [[_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]


def _text(cell: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())


def test_before_the_team_was_brought_back(client, shire):
    client.force_login(shire["viewer"])
    html = client.get(reverse("partnerships:hosting"), {"on": "2025-01-10"}).content.decode()
    assert "on 10 January 2025" in html
    assert _cells(html, "hosting-teams") == [
        ["Ashby Locality", "Shire Council", "None"],
        ["Riverside CMHT", "Shire Trust (now Shire Council)", "S75-A"],
    ]
    assert _cells(html, "hosting-workers") == [
        ["Cara Commissioner", "Commissioner", "Ashby Locality", "Shire Council", "", "None"],
        ["Eve Earlier", "Social worker", "Riverside CMHT", "Shire Trust", "Maya Manager", "S75-A"],
        ["Maya Manager", "Team manager", "Riverside CMHT", "Shire Trust", "", "S75-A"],
        ["Sam Social", "Social worker", "Riverside CMHT", "Shire Trust", "Maya Manager", "S75-A"],
    ]


def test_after_the_team_was_brought_back(client, shire):
    client.force_login(shire["viewer"])
    html = client.get(reverse("partnerships:hosting"), {"on": "2025-06-01"}).content.decode()
    assert _cells(html, "hosting-teams") == [
        ["Ashby Locality", "Shire Council", "None"],
        ["Riverside CMHT", "Shire Council", "None"],
    ]
    assert _cells(html, "hosting-workers") == [
        ["Cara Commissioner", "Commissioner", "Ashby Locality", "Shire Council", "", "None"],
        ["Eve Earlier", "Social worker", "Ashby Locality", "Shire Council", "", "None"],
        ["Maya Manager", "Team manager", "Riverside CMHT", "Shire Council", "", "None"],
        ["Sam Social", "Social worker", "Riverside CMHT", "Shire Council", "Maya Manager", "None"],
    ]


def test_the_default_is_today(client, shire):
    client.force_login(shire["viewer"])
    response = client.get(reverse("partnerships:hosting"))
    assert response.status_code == 200
    assert _cells(response.content.decode(), "hosting-teams")[1] == [
        "Riverside CMHT", "Shire Council", "None",
    ]  # fmt: skip


@pytest.mark.parametrize("bad", ["2025-02-30", "10/01/2025", "yesterday"])
def test_an_invalid_date_is_explained(client, shire, bad):
    client.force_login(shire["viewer"])
    response = client.get(reverse("partnerships:hosting"), {"on": bad})
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "Enter a real date as year-month-day, for example 2026-04-01" in html
    assert 'data-testid="hosting-teams"' not in html
    assert client.get(reverse("partnerships:hosting-csv"), {"on": bad}).status_code == 400


def test_the_csv(client, shire):
    client.force_login(shire["viewer"])
    response = client.get(reverse("partnerships:hosting-csv"), {"on": "2025-01-10"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="hosting-2025-01-10.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["kind", "name", "role", "team", "managed_or_employed_by", "line_manager", "agreement"],
        ["team", "Ashby Locality", "", "Ashby Locality", "Shire Council", "", ""],
        ["team", "Riverside CMHT", "", "Riverside CMHT", "Shire Trust", "", "S75-A"],
        ["worker", "Cara Commissioner", "Commissioner", "Ashby Locality", "Shire Council", "", ""],
        ["worker", "Eve Earlier", "Social worker", "Riverside CMHT", "Shire Trust",
         "Maya Manager", "S75-A"],
        ["worker", "Maya Manager", "Team manager", "Riverside CMHT", "Shire Trust", "", "S75-A"],
        ["worker", "Sam Social", "Social worker", "Riverside CMHT", "Shire Trust",
         "Maya Manager", "S75-A"],
    ]  # fmt: skip
    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
    assert event.actor == shire["viewer"] and event.object_type == "partnerships.hosting"
    assert event.changes == {"on": "2025-01-10"}


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["partnerships:hosting", "partnerships:hosting-csv"])
def test_the_queries_do_not_grow_with_teams_and_workers(
    client, shire, name, django_assert_max_num_queries
):
    client.force_login(shire["viewer"])
    url = reverse(name) + "?on=2025-01-10"
    small = _queries(client, url)
    for i in range(6):
        team = TeamFactory(organisation=shire["trust"], name=f"Extra {i}")
        TeamHosting.objects.create(
            team=team, managed_by=shire["trust"], agreement=shire["agreement"]
        )
        WorkerFactory(role=Role.TEAM_MANAGER, team=team)
        WorkerFactory(team=team)
    assert _queries(client, url) == small
    with django_assert_max_num_queries(20):
        client.get(url)


def test_the_overview_and_agreement_pages_query_a_fixed_number_of_times(
    client, shire, django_assert_max_num_queries
):
    client.force_login(shire["viewer"])
    a = shire["agreement"]
    overview = reverse("partnerships:overview")
    detail = reverse("partnerships:agreement", args=[a.pk])
    small = (_queries(client, overview), _queries(client, detail))
    for i in range(5):
        Agreement.objects.create(
            reference=f"X-{i}", title=f"Extra {i}", council=shire["council"],
            partner=shire["trust"], functions=["reviews"], starts_on=D(2020, 1, 1),
        )  # fmt: skip
        team = TeamFactory(organisation=shire["trust"], name=f"Hosted {i}")
        TeamHosting.objects.create(team=team, managed_by=shire["trust"], agreement=a)
    assert (_queries(client, overview), _queries(client, detail)) == small
    with django_assert_max_num_queries(20):
        client.get(overview)


def test_roles_without_the_capability_are_refused(client, shire):
    client.force_login(WorkerFactory(role=Role.SOCIAL_WORKER))
    response = client.get(reverse("partnerships:hosting"))
    assert response.status_code == 403
    assert "see partnership agreements" in response.content.decode()
    assert client.get(reverse("partnerships:hosting-csv")).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
