"""What a seeded county contains: valid codes, consistent dates, allocations, access, accounts."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter, defaultdict

import pytest
from django.contrib.auth import authenticate
from django.db.models import Count, F, Q

from carebridge.casework.models import Allocation, CaseNote, Event
from carebridge.core.access import Role
from carebridge.core.models import AuditEvent, RestrictedAccess
from carebridge.demo.seed import DEMO_PASSWORD, demo_sign_ins
from carebridge.organisations.models import Organisation, Team, Worker
from carebridge.people.models import (
    AccommodationStatusRecord,
    CarerRelationship,
    EmploymentStatusRecord,
    Person,
    PersonAlert,
    PersonName,
    PersonNameKey,
)
from carebridge.people.services import PERSON_ID_PREFIX, name_keys_for
from carebridge.rules import cld, nhs_number, postcode
from carebridge.rules import local_codes as lc

from .conftest import PEOPLE, UNTIL

pytestmark = pytest.mark.django_db


def codes(local: tuple[tuple[str, str], ...]) -> set[str]:
    return {c for c, _ in local}


def test_report_counts_match_the_database(seeded):
    assert seeded.counts["people"] == Person.objects.count() == PEOPLE
    assert seeded.counts["events"] == Event.objects.count() > PEOPLE
    assert seeded.counts["allocations"] == Allocation.objects.count()
    assert seeded.counts["name search keys"] == PersonNameKey.objects.count()
    assert seeded.counts["workers"] == Worker.objects.count()
    summary = seeded.summary()
    assert f"{PEOPLE:,} people" in summary and "events" in summary
    assert seeded.elapsed > 0


def test_one_seed_audit_event_summarises_the_seed(seeded):
    entries = AuditEvent.objects.filter(action=AuditEvent.Action.SEED)
    assert entries.count() == 1
    entry = entries.get()
    assert f"{PEOPLE:,} people" in entry.summary
    assert entry.changes["counts"]["events"] == seeded.counts["events"]
    assert AuditEvent.objects.count() == 1  # not one per row


def test_person_ids_and_nhs_numbers(seeded):
    rows = list(Person.objects.values_list("pk", "person_id", "nhs_number", "nhs_number_status"))
    assert all(pid == f"{PERSON_ID_PREFIX}{pk:07d}" for pk, pid, _, _ in rows)
    assert all(re.fullmatch(r"P\d{7}", pid) for _, pid, _, _ in rows)
    numbers = [n for _, _, n, _ in rows if n is not None]
    assert len(numbers) == len(set(numbers))
    assert all(n.startswith("999") and nhs_number.is_valid(n) for n in numbers)
    missing = len(rows) - len(numbers)
    assert 0 < missing < len(rows) * 0.15  # about 5% have none
    assert all(s in nhs_number.VERIFICATION_STATUS for _, _, _, s in rows)
    statuses = Counter(s for _, _, n, s in rows if n)
    assert statuses.most_common(1)[0][0] == "01"


def test_person_coded_values_are_in_their_cld_lists(seeded):
    for field, cld_field in (
        ("gender", cld.GENDER),
        ("ethnicity", cld.ETHNICITY),
        ("primary_support_reason", cld.PRIMARY_SUPPORT_REASON),
    ):
        values = set(Person.objects.values_list(field, flat=True))
        assert values <= set(cld.codes(cld_field)), field
    for model, cld_field in (
        (AccommodationStatusRecord, cld.ACCOMMODATION_STATUS),
        (EmploymentStatusRecord, cld.EMPLOYMENT_STATUS),
    ):
        assert set(model.objects.values_list("status", flat=True)) <= set(cld.codes(cld_field))


def test_demographics_are_plausible(seeded):
    people = Person.objects.all()
    assert people.filter(primary_support_reason=cld.UNKNOWN).exists()
    assert people.filter(primary_support_reason="Mental health support").exists()
    assert people.filter(date_of_death__isnull=False).exists()
    assert not people.filter(date_of_death__gt=UNTIL).exists()
    for born, died in people.filter(date_of_death__isnull=False).values_list(
        "date_of_birth", "date_of_death"
    ):
        assert born < died
    assert all(
        UNTIL.year - born.year >= 18 for born in people.values_list("date_of_birth", flat=True)
    )
    genders = Counter(people.values_list("gender", flat=True))
    assert genders["Female"] >= 0.4 * PEOPLE and genders["Male"] >= 0.3 * PEOPLE


def test_addresses_have_valid_postcodes(seeded):
    for code, compact, town, line in Person.objects.values_list(
        "postcode", "postcode_compact", "town", "address_line_1"
    ):
        assert postcode.parse(code) == code
        assert compact == postcode.compact(code)
        assert town and line


def test_names_previous_names_and_search_keys(seeded):
    assert PersonName.objects.filter(kind="previous").exists()
    current = PersonName.objects.filter(kind="current")
    assert current.count() == PEOPLE
    assert PersonName.objects.values("family_name").distinct().count() > 50
    stored = defaultdict(set)
    for person_id, part, key in PersonNameKey.objects.values_list("person_id", "part", "key"):
        stored[person_id].add((part, key))
    for person in Person.objects.prefetch_related("names"):
        cur = [n for n in person.names.all() if n.kind == "current"]
        assert [(n.given_name, n.family_name) for n in cur] == [
            (person.given_name, person.family_name)
        ]
        expected = {(k.part, k.key) for k in name_keys_for(person.pk, person.names.all())}
        assert stored[person.pk] == expected


def test_status_histories_are_dated_and_current(seeded):
    for model in (AccommodationStatusRecord, EmploymentStatusRecord):
        per_person = model.objects.values("person").annotate(n=Count("id"))
        if model is EmploymentStatusRecord:
            assert {row["n"] for row in per_person} <= {1, 2, 3}
        assert per_person.count() == PEOPLE
        assert not model.objects.filter(valid_from__gt=UNTIL).exists()
        dates = defaultdict(list)
        for person_id, valid_from in model.objects.values_list("person_id", "valid_from"):
            dates[person_id].append(valid_from)
        assert all(len(set(d)) == len(d) for d in dates.values())


def test_most_reviews_check_the_accommodation_status(seeded):
    """A review records the accommodation status again, changed or not (CLD; the
    accommodation-status-current duty): most reviews leave a record dated that day."""
    reviewed = set(
        Event.objects.filter(event_type=cld.REVIEW, end_date__isnull=False).values_list(
            "person_id", "end_date"
        )
    )
    recorded = set(AccommodationStatusRecord.objects.values_list("person_id", "valid_from"))
    assert len(reviewed) > 50
    assert 0.75 <= len(reviewed & recorded) / len(reviewed) <= 0.95


def test_carers_are_people_linked_to_the_people_they_care_for(seeded):
    relationships = CarerRelationship.objects.all()
    assert 0.05 * PEOPLE <= relationships.count() <= 0.15 * PEOPLE
    assert set(relationships.values_list("relationship", flat=True)) <= codes(
        lc.CARER_RELATIONSHIPS
    )
    for rel in relationships:
        assert rel.carer_id != rel.cared_for_id
        assert rel.started_on is None or rel.started_on <= UNTIL
        assert rel.ended_on is None or rel.started_on <= rel.ended_on <= UNTIL
    carers = set(relationships.values_list("carer_id", flat=True))
    carer_events = Event.objects.filter(client_type=cld.UNPAID_CARER)
    assert carer_events.exists()
    assert set(carer_events.values_list("person_id", flat=True)) <= carers


EVENT_TYPE_FIELDS = {
    cld.REQUEST: {"route_of_access", "request_source", "contact_method"},
    cld.ASSESSMENT: {"assessment_type"},
    cld.SERVICE: {"service_type", "service_component", "delivery_mechanism", "cost_frequency"},
    cld.REVIEW: {"review_reason", "method_of_review"},
}
CODE_LISTS = {
    "route_of_access": set(cld.codes(cld.ROUTE_OF_ACCESS)),
    "request_source": codes(lc.REQUEST_SOURCES),
    "contact_method": codes(lc.CONTACT_METHODS),
    "assessment_type": set(cld.codes(cld.ASSESSMENT_TYPE)),
    "service_type": set(cld.codes(cld.SERVICE_TYPE)),
    "service_component": set(cld.codes(cld.SERVICE_COMPONENT)),
    "delivery_mechanism": set(cld.codes(cld.DELIVERY_MECHANISM)),
    "cost_frequency": set(cld.codes(cld.COST_FREQUENCY)),
    "review_reason": set(cld.codes(cld.REVIEW_REASON)),
    "method_of_review": set(cld.codes(cld.METHOD_OF_REVIEW)),
}


def test_event_fields_are_coded_by_type(seeded):
    outcomes = set(cld.codes(cld.EVENT_OUTCOME))
    all_typed = set(CODE_LISTS)
    fields = ["event_type", "client_type", "outcome", "end_date", *all_typed]
    seen_types = set()
    for row in Event.objects.values(*fields):
        kind = row["event_type"]
        seen_types.add(kind)
        assert kind in cld.EVENT_TYPES
        assert row["client_type"] in (cld.SERVICE_USER, cld.UNPAID_CARER)
        if row["end_date"] is None:
            assert row["outcome"] == ""
        else:
            assert row["outcome"] in outcomes
        for name in EVENT_TYPE_FIELDS[kind]:
            assert row[name] in CODE_LISTS[name], (kind, name, row[name])
        for name in all_typed - EVENT_TYPE_FIELDS[kind]:
            assert row[name] == "", (kind, name)
    assert seen_types == set(cld.EVENT_TYPES)


def test_services_have_costs_and_plausible_components(seeded):
    services = Event.objects.filter(event_type=cld.SERVICE)
    assert not services.filter(unit_cost__isnull=True).exists()
    assert not services.filter(unit_cost__lt=0).exists()
    long_term = services.filter(service_type__startswith=cld.LONG_TERM_SUPPORT_PREFIX)
    assert long_term.filter(end_date__isnull=True).exists()
    assert long_term.filter(provider__isnull=False).exists()
    assert set(
        long_term.filter(service_type="Long term support: Residential care").values_list(
            "service_component", flat=True
        )
    ) == {"Long term residential care"}
    reablement = services.filter(service_type="Short term support: ST-Max")
    assert reablement.exists()
    assert set(reablement.values_list("service_component", flat=True)) == {"Reablement"}
    providers = Organisation.objects.filter(kind=Organisation.PROVIDER)
    assert set(services.exclude(provider=None).values_list("provider__kind", flat=True)) == {
        Organisation.PROVIDER
    }
    assert providers.count() >= 40


def test_event_dates_respect_until_and_death(seeded):
    events = Event.objects.all()
    assert not events.filter(start_date__gt=UNTIL).exists()
    assert not events.filter(end_date__gt=UNTIL).exists()
    assert not events.filter(end_date__lt=F("start_date")).exists()
    assert events.filter(start_date__lt=UNTIL - dt.timedelta(days=3 * 365)).exists()
    dead = dict(Person.objects.exclude(date_of_death=None).values_list("pk", "date_of_death"))
    for person_id, start, end in events.filter(person_id__in=dead).values_list(
        "person_id", "start_date", "end_date"
    ):
        assert start < dead[person_id]
        assert end is not None and end <= dead[person_id]
    references = list(events.values_list("reference", flat=True))
    assert len(references) == len(set(references))
    sequels = events.exclude(follows=None).select_related("follows")
    assert sequels.exists()
    assert all(e.follows.person_id == e.person_id for e in sequels)
    assert all(e.follows.start_date <= e.start_date for e in sequels)


def test_volumes_scale_with_people(seeded):
    year_start = UNTIL - dt.timedelta(days=364)
    requests = Event.objects.filter(event_type=cld.REQUEST, start_date__gte=year_start).count()
    # about 40,000 requests a year for 50,000 people (volumes.md, Norfolk)
    assert 0.4 * PEOPLE <= requests <= 1.4 * PEOPLE
    assert seeded.measures["people on long-term support"] > 0.15 * PEOPLE


def test_at_most_one_open_allocation_and_open_services_are_allocated(seeded):
    open_allocations = Allocation.objects.filter(ended_at=None)
    per_person = Counter(open_allocations.values_list("person_id", flat=True))
    assert per_person and max(per_person.values()) == 1
    with_open_service = set(
        Event.objects.filter(event_type=cld.SERVICE, end_date=None).values_list(
            "person_id", flat=True
        )
    )
    with_open_work = set(Event.objects.filter(end_date=None).values_list("person_id", flat=True))
    assert with_open_service
    assert with_open_work <= set(per_person)
    dead = set(Person.objects.exclude(date_of_death=None).values_list("pk", flat=True))
    assert not dead & set(per_person)
    assert open_allocations.exclude(worker=None).count() > open_allocations.count() / 2


def test_allocations_are_dated_sequential_and_in_team(seeded):
    by_person = defaultdict(list)
    for a in Allocation.objects.select_related("worker").order_by("started_at", "id"):
        assert a.started_at.tzinfo is not None
        assert a.ended_at is None or a.ended_at >= a.started_at
        assert a.started_at.date() <= UNTIL + dt.timedelta(days=1)
        assert a.reason in codes(lc.ALLOCATION_REASONS)
        if a.worker is not None:
            assert a.worker.team_id == a.team_id
        by_person[a.person_id].append(a)
    for allocations in by_person.values():
        for earlier, later in itertools.pairwise(allocations):
            assert earlier.ended_at is not None and earlier.ended_at <= later.started_at
    assert any(len(a) >= 3 for a in by_person.values())  # some hand-offs
    mental_health_open = Allocation.objects.filter(
        ended_at=None, person__primary_support_reason="Mental health support"
    )
    if mental_health_open.exists():
        trust_held = mental_health_open.filter(team__organisation__kind=Organisation.NHS_TRUST)
        assert trust_held.count() >= mental_health_open.count() / 2
    events_with_workers = Event.objects.exclude(worker=None).select_related("worker")
    assert all(e.worker.team_id == e.team_id for e in events_with_workers)


def test_restricted_records_name_workers_from_the_allocated_team(seeded):
    restricted = Person.objects.filter(is_restricted=True)
    assert restricted.exists()
    for person in restricted:
        named = list(RestrictedAccess.objects.filter(person=person).select_related("worker"))
        assert 1 <= len(named) <= 3
        team = Allocation.objects.get(person=person, ended_at=None).team_id
        assert all(r.worker.team_id == team for r in named)
    assert not RestrictedAccess.objects.filter(person__is_restricted=False).exists()


def test_case_notes_and_alerts(seeded):
    notes = CaseNote.objects.select_related("author")
    assert notes.exists()
    assert set(notes.values_list("kind", flat=True)) <= codes(lc.CASE_NOTE_KINDS)
    open_people = set(Allocation.objects.filter(ended_at=None).values_list("person_id", flat=True))
    assert set(notes.values_list("person_id", flat=True)) <= open_people
    assert not notes.filter(occurred_at__date__gt=UNTIL).exists()
    alerts = PersonAlert.objects.all()
    assert alerts.exists()
    assert set(alerts.values_list("kind", flat=True)) <= codes(lc.ALERT_KINDS)
    assert not alerts.filter(starts_on__gt=UNTIL).exists()
    assert not alerts.filter(ends_on__lt=F("starts_on")).exists()


def test_organisations_and_teams(seeded):
    orgs = Organisation.objects.all()
    council = orgs.get(kind=Organisation.COUNCIL)
    assert re.fullmatch(r"E\d{8}", council.ons_code) and re.fullmatch(r"\d{3}", council.cassr_code)
    assert orgs.filter(kind=Organisation.NHS_TRUST).count() == 1
    assert orgs.filter(kind=Organisation.ICB).count() == 1
    practices = orgs.filter(kind=Organisation.GP_PRACTICE)
    assert practices.count() == 60
    assert all(re.fullmatch(r"[A-Z]\d{5}", p.ods_code) for p in practices)
    cqc = list(orgs.filter(kind=Organisation.PROVIDER).values_list("cqc_location_id", flat=True))
    assert all(re.fullmatch(r"1-\d{9}", c) for c in cqc) and len(cqc) == len(set(cqc))
    assert set(Team.objects.values_list("kind", flat=True)) <= codes(lc.TEAM_KINDS)
    cmhts = Team.objects.filter(kind="cmht")
    assert cmhts.count() == 4
    assert set(cmhts.values_list("organisation__kind", flat=True)) == {Organisation.NHS_TRUST}
    assert (
        Person.objects.exclude(gp_practice=None)
        .filter(~Q(gp_practice__kind=Organisation.GP_PRACTICE))
        .count()
        == 0
    )


EXPECTED_ACCOUNTS = {
    "sw.demo": (Role.SOCIAL_WORKER, "North Community Mental Health Team"),
    "tm.demo": (Role.TEAM_MANAGER, "North Community Mental Health Team"),
    "nhs.demo": (Role.NHS_PARTNER, "North Community Mental Health Team"),
    "amhp.demo": (Role.AMHP, "AMHP Service"),
    "sw2.demo": (Role.SOCIAL_WORKER, "Central Locality Team"),
    "tm2.demo": (Role.TEAM_MANAGER, "Central Locality Team"),
    "fo.demo": (Role.FINANCE_OFFICER, "Financial Assessment Team"),
    "sg.demo": (Role.SAFEGUARDING_LEAD, "Safeguarding Adults Team"),
    "comm.demo": (Role.COMMISSIONER, "Commissioning Team"),
    "pa.demo": (Role.PERFORMANCE_ANALYST, "Performance and Intelligence Team"),
    "admin.demo": (Role.SYSTEM_ADMINISTRATOR, "Business Support"),
}


def test_demo_accounts_exist_with_their_roles_and_sign_in(seeded):
    listed = {a.username: a for a in demo_sign_ins()}
    assert set(listed) == set(EXPECTED_ACCOUNTS)
    assert {a.password for a in listed.values()} == {DEMO_PASSWORD} == {"carebridge-demo"}
    for username, (role, team) in EXPECTED_ACCOUNTS.items():
        worker = Worker.objects.select_related("team__organisation").get(username=username)
        assert worker.role == role
        assert worker.team.name == team
        assert team in listed[username].description
        assert authenticate(username=username, password="carebridge-demo") == worker
        assert authenticate(username=username, password="wrong-password") is None
    north = Worker.objects.get(username="sw.demo").team
    assert north.organisation.kind == Organisation.NHS_TRUST
    admin = Worker.objects.get(username="admin.demo")
    assert admin.is_staff and admin.is_superuser
    assert not Worker.objects.filter(is_superuser=True).exclude(username="admin.demo").exists()
    # every worker shares one password hash (hashed once)
    assert Worker.objects.values("password").distinct().count() == 1


def test_workers_fill_every_team_with_a_manager_where_cases_are_held(seeded):
    assert Worker.objects.count() >= len(EXPECTED_ACCOUNTS)
    held = set(Allocation.objects.values_list("team_id", flat=True))
    managed = set(Worker.objects.filter(role=Role.TEAM_MANAGER).values_list("team_id", flat=True))
    assert held <= managed
    usernames = list(Worker.objects.values_list("username", flat=True))
    assert len(usernames) == len(set(usernames))


def test_new_rows_after_the_seed_get_fresh_primary_keys(seeded):
    """Sequences were moved past the ids the seed assigned (PostgreSQL needs this)."""
    person = Person.objects.order_by("pk").first()
    name = PersonName.objects.create(person=person, kind="alias", given_name="X", family_name="Y")
    assert name.pk > PersonName.objects.exclude(pk=name.pk).order_by("-pk").first().pk
    org = Organisation.objects.create(kind=Organisation.PROVIDER, name="New provider")
    assert org.pk > 1
    event = Event.objects.create(
        person=person, event_type=cld.REQUEST, reference="EVTEST", start_date=UNTIL
    )
    assert event.pk > seeded.counts["events"]


def test_the_county_meets_most_of_its_duties_but_not_all(seeded):
    """A believable mix for the compliance dashboard: most first reviews on time, some late or
    overdue; most people on long-term support with a current accommodation status."""
    from carebridge.duties.models import DutyState

    def share(duty: str, *states: str) -> float:
        rows = DutyState.objects.filter(duty_id=duty)
        return rows.filter(state__in=states).count() / max(rows.count(), 1)

    # About 60% at county scale; a 300-person county has only about 110 first reviews, so the
    # band allows for its sampling spread (a standard error of about 5 points).
    assert 0.45 <= share("first-review", "met") <= 0.85
    assert share("first-review", "met_late", "overdue") >= 0.1
    assert 0.4 <= share("accommodation-status-current", "due") <= 0.85
