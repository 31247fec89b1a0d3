"""Agreement services and pages: recording, changing (optimistic locking), extending, ending
early, performance conditions and hosting a team; every refusal says why and saves nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.organisations.models import Organisation
from carebridge.partnerships import agreements as svc
from carebridge.partnerships.models import (
    Agreement,
    AgreementExtension,
    PerformanceCondition,
    TeamHosting,
)
from tests.core import form_data
from tests.factories import OrganisationFactory, TeamFactory

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def admin(county):
    return county.workers[Role.SYSTEM_ADMINISTRATOR]


def values(county, **overrides) -> dict:
    v = {
        "reference": "S75-TEST",
        "title": "Mental health s75",
        "council": county.council,
        "partner": county.trust,
        "functions": ["reviews", "assessment"],
        "starts_on": D(2020, 4, 1),
        "ends_on": D(2029, 3, 31),
        "management_fee": Decimal("100000"),
        "pooled_budget": Decimal("1000000"),
        "council_contribution": Decimal("700000"),
        "partner_contribution": Decimal("300000"),
        "notes": "",
    }
    v.update(overrides)
    return v


@pytest.fixture
def agreement(county, admin):
    return svc.record_agreement(admin, **values(county))


def audits(agreement) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type="partnerships.agreement", object_id=str(agreement.pk)
        ).order_by("pk")
    )


# --- recording ------------------------------------------------------------------------------------


def test_record_an_agreement_is_audited(county, admin, agreement):
    assert agreement.functions == ["assessment", "reviews"]  # in the code list's order
    assert agreement.created_by == admin and agreement.version == 1
    [event] = audits(agreement)
    assert event.action == AuditEvent.Action.CREATE and event.actor == admin
    assert event.changes["before"] == {}
    assert event.changes["after"]["reference"] == "S75-TEST"
    assert event.changes["after"]["pooled_budget"] == "1000000.00"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_on": D(2020, 3, 31)}, "ends_on", "The end date must be the same as or after"),
        ({"starts_on": None}, "starts_on", "Enter the date the agreement starts"),
        ({"reference": " "}, "reference", "Enter the reference"),
        ({"title": ""}, "title", "Enter the title"),
        ({"functions": []}, "functions", "Select the functions"),
        ({"functions": ["parking"]}, "functions", "Not a function that can be delegated"),
        ({"management_fee": Decimal("-1")}, "management_fee", "must be £0 or more"),
        ({"pooled_budget": Decimal("-5")}, "pooled_budget", "must be £0 or more"),
        (
            {"council_contribution": Decimal("800000")},
            "council_contribution",
            "must not be more than the pooled budget",
        ),
        ({"pooled_budget": None}, "pooled_budget", "Enter the pooled budget"),
        ({"partner": "council"}, "partner", "Select an NHS trust or an integrated care board"),
        ({"council": "trust"}, "council", "Select a council"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    county, admin, overrides, field, message
):
    swap = {"council": county.council, "trust": county.trust}
    overrides = {k: swap.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    before = (Agreement.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as e:
        svc.record_agreement(admin, **values(county, **overrides))
    assert message in e.value.message_dict[field][0]
    assert (Agreement.objects.count(), AuditEvent.objects.count()) == before


def test_a_reference_is_unique(county, admin, agreement):
    with pytest.raises(ValidationError) as e:
        svc.record_agreement(admin, **values(county, reference="s75-test"))
    assert "already has the reference" in e.value.message_dict["reference"][0]
    assert Agreement.objects.count() == 1


def test_an_icb_can_be_the_partner(county, admin):
    icb = OrganisationFactory(kind=Organisation.ICB, name="Test ICB")
    a = svc.record_agreement(admin, **values(county, partner=icb, reference="ICB-1"))
    assert a.partner == icb


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.TEAM_MANAGER, Role.SOCIAL_WORKER])
def test_only_managers_of_partnerships_may_write(county, role):
    with pytest.raises(PermissionDenied):
        svc.record_agreement(county.workers[role], **values(county))
    assert not Agreement.objects.exists()


# --- changing ------------------------------------------------------------------------------------


def test_edit_bumps_the_version_and_audits_what_changed(county, admin, agreement):
    svc.update_agreement(
        admin, agreement, version=1, **values(county, title="Renamed", management_fee=Decimal(90))
    )
    agreement.refresh_from_db()
    assert (agreement.title, agreement.version) == ("Renamed", 2)
    event = audits(agreement)[-1]
    assert event.action == AuditEvent.Action.UPDATE
    assert event.changes == {
        "management_fee": {"before": "100000.00", "after": "90.00"},
        "title": {"before": "Mental health s75", "after": "Renamed"},
    }


def test_a_stale_version_is_refused_and_nothing_saved(county, admin, agreement):
    svc.update_agreement(admin, agreement, version=1, **values(county, title="First"))
    with pytest.raises(svc.Conflict, match=r"^Someone else changed this agreement"):
        svc.update_agreement(admin, agreement, version=1, **values(county, title="Second"))
    agreement.refresh_from_db()
    assert (agreement.title, agreement.version) == ("First", 2)
    assert len(audits(agreement)) == 2


def test_an_edit_with_bad_input_saves_nothing(county, admin, agreement):
    with pytest.raises(ValidationError):
        svc.update_agreement(admin, agreement, version=1, **values(county, ends_on=D(2019, 1, 1)))
    agreement.refresh_from_db()
    assert agreement.version == 1 and agreement.ends_on == D(2029, 3, 31)


# --- extending and ending ------------------------------------------------------------------------


def test_extend(county, admin, agreement):
    svc.extend_agreement(admin, agreement, new_ends_on=D(2031, 3, 31), agreed_on=D(2024, 1, 5))
    agreement.refresh_from_db()
    assert agreement.term().last_day == D(2031, 3, 31) and agreement.version == 2
    event = audits(agreement)[-1]
    assert event.changes["before"] == {"last_day": "2029-03-31"}
    assert event.changes["after"]["last_day"] == "2031-03-31"


@pytest.mark.parametrize(
    ("new_end", "agreed", "field", "message"),
    [
        (D(2029, 3, 31), D(2024, 1, 5), "new_ends_on", "must be after the current one"),
        (D(2028, 3, 31), D(2024, 1, 5), "new_ends_on", "31 March 2029"),
        (None, D(2024, 1, 5), "new_ends_on", "Enter the new end date"),
        (D(2027, 3, 31), None, "agreed_on", "Enter the date the extension was agreed"),
    ],
)
def test_a_bad_extension_is_refused(county, admin, agreement, new_end, agreed, field, message):
    with pytest.raises(ValidationError) as e:
        svc.extend_agreement(admin, agreement, new_ends_on=new_end, agreed_on=agreed)
    assert message in e.value.message_dict[field][0]
    assert not AgreementExtension.objects.exists()


def test_an_open_ended_agreement_has_nothing_to_extend(county, admin):
    a = svc.record_agreement(admin, **values(county, ends_on=None))
    with pytest.raises(ValidationError, match="no end date to extend"):
        svc.extend_agreement(admin, a, new_ends_on=D(2030, 1, 1), agreed_on=D(2024, 1, 1))


def test_end_early(county, admin, agreement):
    svc.end_agreement(admin, agreement, terminated_on=D(2023, 9, 30), reason="Brought back")
    agreement.refresh_from_db()
    assert agreement.term().last_day == D(2023, 9, 30)
    assert agreement.termination_reason == "Brought back"
    event = audits(agreement)[-1]
    assert event.reason == "Brought back"
    assert event.changes["terminated_on"] == {"before": None, "after": "2023-09-30"}
    with pytest.raises(ValidationError, match="already ended"):
        svc.end_agreement(admin, agreement, terminated_on=D(2023, 8, 30), reason="Again")
    with pytest.raises(ValidationError, match="cannot be extended"):
        svc.extend_agreement(admin, agreement, new_ends_on=D(2030, 1, 1), agreed_on=D(2024, 1, 1))


@pytest.mark.parametrize(
    ("day", "reason", "field", "message"),
    [
        (D(2020, 3, 31), "x", "terminated_on", "cannot end before it started (1 April 2020)"),
        (D(2029, 4, 1), "x", "terminated_on", "already ends on 31 March 2029"),
        (None, "x", "terminated_on", "Enter the last day"),
        (D(2023, 1, 1), " ", "reason", "Enter the reason it ends early"),
    ],
)
def test_a_bad_early_end_is_refused(county, admin, agreement, day, reason, field, message):
    with pytest.raises(ValidationError) as e:
        svc.end_agreement(admin, agreement, terminated_on=day, reason=reason)
    assert message in e.value.message_dict[field][0]
    agreement.refresh_from_db()
    assert agreement.terminated_on is None and agreement.version == 1


# --- performance conditions ----------------------------------------------------------------------


def test_add_and_remove_a_condition(county, admin, agreement):
    c = svc.add_condition(admin, agreement, measure="annual-review", target=Decimal(85))
    d = svc.add_condition(admin, agreement, measure="days_request_to_assessment", target=28)
    assert list(agreement.conditions.values_list("measure", flat=True)) == [
        "annual-review",
        "days_request_to_assessment",
    ]
    removed = c.pk
    svc.remove_condition(admin, c)
    assert list(PerformanceCondition.objects.values_list("pk", flat=True)) == [d.pk]
    events = audits(agreement)
    assert events[-3].changes["after"]["condition"]["measure"] == "annual-review"
    assert events[-1].changes["before"]["condition"]["id"] == removed
    assert "Removed a performance condition" in events[-1].summary


@pytest.mark.parametrize(
    ("measure", "target", "field", "message"),
    [
        ("parking-fines", 1, "measure", "Select a statutory duty or one of the listed measures"),
        ("", 1, "measure", "Select the measure"),
        ("annual-review", 101, "target", "100 or less"),
        ("handoffs_per_person", -1, "target", "0 or more"),
        ("handoffs_per_person", None, "target", "Enter the target"),
    ],
)
def test_a_bad_condition_is_refused(county, admin, agreement, measure, target, field, message):
    with pytest.raises(ValidationError) as e:
        svc.add_condition(admin, agreement, measure=measure, target=target)
    assert message in e.value.message_dict[field][0]
    assert not PerformanceCondition.objects.exists()


# --- hosting a team ------------------------------------------------------------------------------


def test_a_team_with_no_history_gets_its_open_row_since_always(county, admin, agreement):
    row = svc.link_team(admin, agreement, county.team_a)
    assert (row.team, row.managed_by, row.agreement, row.starts_on, row.ends_on) == (
        county.team_a, county.trust, agreement, None, None,
    )  # fmt: skip
    assert "North CMHT" in audits(agreement)[-1].summary
    with pytest.raises(ValidationError, match="already hosted under this agreement"):
        svc.link_team(admin, agreement, county.team_a)
    assert TeamHosting.objects.count() == 1


def test_a_council_team_cannot_be_hosted_by_the_trust(county, admin, agreement):
    with pytest.raises(ValidationError) as e:
        svc.link_team(admin, agreement, county.team_b)
    assert e.value.message_dict["team"] == [
        "Central Locality is managed by Test County Council: only a team managed by Test MH "
        "Trust can be hosted under this agreement"
    ]
    assert not TeamHosting.objects.exists()


def test_an_open_row_under_no_agreement_is_given_it(county, admin, agreement):
    row = TeamHosting.objects.create(
        team=county.team_a, managed_by=county.trust, starts_on=D(2021, 1, 1)
    )
    assert svc.link_team(admin, agreement, county.team_a).pk == row.pk
    row.refresh_from_db()
    assert (row.agreement, row.starts_on, row.ends_on) == (agreement, D(2021, 1, 1), None)


def test_a_team_under_another_agreement_moves_from_today(county, admin, agreement):
    today = timezone.localdate()
    older = svc.record_agreement(admin, **values(county, reference="OLD", ends_on=None))
    closed = TeamHosting.objects.create(
        team=county.team_a, managed_by=county.council, starts_on=None, ends_on=D(2018, 12, 31)
    )
    was = TeamHosting.objects.create(
        team=county.team_a, managed_by=county.trust, agreement=older, starts_on=D(2019, 1, 1)
    )
    new = svc.link_team(admin, agreement, county.team_a, today=today)
    rows = list(TeamHosting.objects.filter(team=county.team_a).order_by("pk"))
    assert [(r.pk, r.agreement_id, r.starts_on, r.ends_on) for r in rows] == [
        (closed.pk, None, None, D(2018, 12, 31)),  # never rewritten
        (was.pk, older.pk, D(2019, 1, 1), today - dt.timedelta(days=1)),
        (new.pk, agreement.pk, today, None),
    ]
    assert audits(agreement)[-1].changes["after"]["closed"]["id"] == was.pk


def test_an_ended_agreement_hosts_no_team(county, admin, agreement):
    svc.end_agreement(admin, agreement, terminated_on=D(2021, 3, 31), reason="Ended")
    with pytest.raises(ValidationError, match="ended on 31 March 2021"):
        svc.link_team(admin, agreement, county.team_a)


def test_the_teams_offered_are_the_partners(county, agreement):
    other = TeamFactory(organisation=county.trust, name="South CMHT", kind="cmht")
    assert [t.name for t in svc.teams_it_may_host(agreement)] == ["North CMHT", other.name]
    svc.link_team(county.workers[Role.SYSTEM_ADMINISTRATOR], agreement, other)
    assert [t.name for t in svc.teams_it_may_host(agreement)] == ["North CMHT"]


# --- pages ----------------------------------------------------------------------------------------


def post(client, url, data):
    return client.post(url, {"submission_token": form_data.token(), **data})


def body(county, **overrides) -> dict:
    data = {
        "reference": "S75-PAGE",
        "title": "Page s75",
        "council": str(county.council.pk),
        "partner": str(county.trust.pk),
        "functions": ["assessment", "s117"],
        **form_data.date_parts("starts_on", D(2022, 4, 1)),
        **form_data.date_parts("ends_on", D(2027, 3, 31)),
        "pooled_budget": "500000",
        "council_contribution": "400000",
        "partner_contribution": "100000",
        "management_fee": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_record_an_agreement_on_the_page(client, county, admin):
    client.force_login(admin)
    page = client.get(reverse("partnerships:agreement-new"))
    assert page.status_code == 200 and "Record a partnership agreement" in page.content.decode()
    response = post(client, reverse("partnerships:agreement-new"), body(county))
    a = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:agreement", args=[a.pk])
    assert a.functions == ["assessment", "s117"] and a.pooled_budget == Decimal(500000)
    html = client.get(response["Location"]).content.decode()
    assert "The agreement has been recorded" in html
    assert "s117 aftercare planning" in html and "£500,000.00" in html


def test_errors_are_shown_with_what_was_typed(client, county, admin):
    client.force_login(admin)
    response = post(
        client,
        reverse("partnerships:agreement-new"),
        body(
            county, **form_data.date_parts("ends_on", D(2021, 1, 1)), council_contribution="400001"
        ),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "The end date must be the same as or after the start date (1 April 2022)" in html
    assert "The contributions (£500,001.00) must not be more than the pooled budget" in html
    assert 'value="S75-PAGE"' in html
    assert not Agreement.objects.exists()


def test_form_errors_name_the_field(client, county, admin):
    client.force_login(admin)
    response = post(
        client,
        reverse("partnerships:agreement-new"),
        body(
            county,
            functions=[],
            pooled_budget="lots",
            **{**form_data.date_parts("starts_on", D(2022, 2, 1)), "starts_on-day": "30"},
        ),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Select the functions the council delegates" in html
    assert "The pooled budget must be an amount of money" in html
    assert "must be a real date" in html or "real date" in html.lower()


def test_a_form_sent_twice_records_one_agreement(client, county, admin):
    client.force_login(admin)
    data = {"submission_token": form_data.token(), **body(county)}
    first = client.post(reverse("partnerships:agreement-new"), data)
    second = client.post(reverse("partnerships:agreement-new"), data)
    assert Agreement.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]


def test_a_stale_edit_on_the_page_is_refused(client, county, admin, agreement):
    client.force_login(admin)
    url = reverse("partnerships:agreement-edit", args=[agreement.pk])
    assert 'name="version" value="1"' in client.get(url).content.decode()
    data = body(county, reference="S75-TEST", version="1")
    assert post(client, url, {**data, "title": "Mine"}).status_code == 302
    response = post(client, url, {**data, "title": "Theirs"})
    assert response.status_code == 409
    assert "Someone else changed this agreement" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.title == "Mine"


def test_extend_end_conditions_and_teams_on_the_pages(client, county, admin, agreement):
    client.force_login(admin)
    pk = agreement.pk
    r = post(client, reverse("partnerships:agreement-extend", args=[pk]), {
        **form_data.date_parts("new_ends_on", D(2028, 3, 31)),
        **form_data.date_parts("agreed_on", D(2024, 1, 5)), "version": "1",
    })  # fmt: skip
    assert r.status_code == 400 and "must be after the current one" in r.content.decode()
    r = post(client, reverse("partnerships:agreement-extend", args=[pk]), {
        **form_data.date_parts("new_ends_on", D(2031, 3, 31)),
        **form_data.date_parts("agreed_on", D(2024, 1, 5)), "version": "1",
    })  # fmt: skip
    assert r.status_code == 302 and r["Location"].endswith("#term")
    r = post(client, reverse("partnerships:agreement-condition", args=[pk]),
             {"measure": "annual-review", "target": "85"})  # fmt: skip
    assert r.status_code == 302
    r = post(client, reverse("partnerships:agreement-team", args=[pk]),
             {"team": str(county.team_b.pk)})  # fmt: skip
    assert r.status_code == 400 and "only a team managed by Test MH Trust" in r.content.decode()
    r = post(client, reverse("partnerships:agreement-team", args=[pk]),
             {"team": str(county.team_a.pk)})  # fmt: skip
    assert r.status_code == 302
    html = client.get(reverse("partnerships:agreement", args=[pk])).content.decode()
    assert "To 31 March 2031, agreed 5 January 2024" in html
    assert "Compliance: Review at least every 12 months" in html and ">85<" in html
    assert "North CMHT" in html and "Hosted now" in html
    c = PerformanceCondition.objects.get()
    r = client.post(reverse("partnerships:agreement-condition-remove", args=[pk, c.pk]))
    assert r.status_code == 302 and not PerformanceCondition.objects.exists()
    r = post(client, reverse("partnerships:agreement-end", args=[pk]), {
        **form_data.date_parts("terminated_on", D(2020, 1, 1)), "reason": "x", "version": "3",
    })  # fmt: skip
    assert r.status_code == 400 and "cannot end before it started" in r.content.decode()


def test_the_overview(client, county, admin, agreement):
    today = timezone.localdate()
    svc.link_team(admin, agreement, county.team_a)
    future = svc.record_agreement(
        admin, **values(county, reference="LATER", starts_on=today + dt.timedelta(days=9))
    )
    svc.extend_agreement(admin, agreement, new_ends_on=D(2099, 3, 31), agreed_on=D(2024, 1, 5))
    client.force_login(county.workers[Role.COMMISSIONER])
    html = client.get(reverse("partnerships:overview")).content.decode()
    assert "In force" in html and "Not started" in html and "extended to 31 March 2099" in html
    assert future.reference in html
    assert reverse("partnerships:transfers") not in html  # only for managers
    assert "/partnerships/compare/" in html or "compare" in html
    client.force_login(admin)
    html = client.get(reverse("partnerships:overview")).content.decode()
    assert reverse("partnerships:transfers") in html
    assert reverse("partnerships:agreement-new") in html


def test_roles_without_the_capability_are_refused_with_a_message(client, county, agreement):
    client.force_login(county.workers[Role.SOCIAL_WORKER])
    r = client.get(reverse("partnerships:overview"))
    assert r.status_code == 403
    client.force_login(county.workers[Role.COMMISSIONER])
    assert client.get(reverse("partnerships:agreement", args=[agreement.pk])).status_code == 200
    r = client.get(reverse("partnerships:agreement-edit", args=[agreement.pk]))
    assert r.status_code == 403
    assert "change partnership agreements" in r.content.decode()
