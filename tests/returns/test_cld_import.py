"""``returns.cld_import``: all or nothing, idempotent, the update policy, conflicts with the record
and within the file, and a query count that does not grow with the file."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebridge.casework.models import Event
from carebridge.core.models import AuditEvent
from carebridge.organisations.models import Organisation
from carebridge.people.models import (
    AccommodationStatusRecord,
    CarerRelationship,
    EmploymentStatusRecord,
    Person,
    PersonName,
    PersonNameKey,
)
from carebridge.returns import cld_import
from carebridge.returns.models import CLDImport, ImportedEvent, ImportedFundingStatus
from carebridge.rules import cld
from tests.factories import EventFactory, OrganisationFactory, PersonFactory, next_test_nhs_number
from tests.returns.cld_files import ANN, CAT, request, row, service, varied_rows, write

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def council():
    return OrganisationFactory(kind=Organisation.COUNCIL, name="Test Council", cassr_code="999")


def run(path, **kw) -> cld_import.ImportResult:
    return cld_import.import_file(path, la_code="999", run_by="test", today=TODAY, **kw)


def snapshot() -> dict[str, int]:
    """How many of each thing an import writes."""
    from carebridge.returns.models import ImportedAdultsCaredFor

    models = (
        Person,
        PersonName,
        PersonNameKey,
        Event,
        AccommodationStatusRecord,
        EmploymentStatusRecord,
        CarerRelationship,
        Organisation,
        CLDImport,
        ImportedEvent,
        ImportedFundingStatus,
        ImportedAdultsCaredFor,
    )
    return {m.__name__: m.objects.count() for m in models}


def rules(result) -> set[str]:
    return {p.rule for p in result.problems}


def test_loading_the_same_file_again_creates_and_changes_nothing(tmp_path):
    path = write(tmp_path, varied_rows())
    first = run(path)
    assert first.loaded and first.counts.events_created == 16
    before = snapshot()
    second = run(path)
    c = second.counts
    assert (c.people_created, c.events_created, c.people_updated, c.events_updated) == (0, 0, 0, 0)
    assert (c.people_unchanged, c.events_unchanged) == (5, 16)
    assert not c.changed_anything
    after = snapshot()
    assert after.pop("CLDImport") == before.pop("CLDImport") + 1  # the second load is recorded
    assert after == before


def test_a_changed_value_updates_what_an_import_created_and_says_so(tmp_path):
    run(write(tmp_path, varied_rows()))
    rows = varied_rows()
    rows[0]["Event_End_Date"] = "2025-04-13"  # LR-1 ended a day later
    rows[0]["Request_Route_of_Access"] = "Self-Funder"
    for r in rows:
        if r["LA_Person_Unique_Identifier"] == "LEG-0001":
            r["Last_Name"] = "Archer-Smith"
            r["Accommodation_Status"] = "Registered care home"
    result = run(write(tmp_path, rows, "corrected.csv"))
    c = result.counts
    assert (c.events_updated, c.people_updated, c.events_created, c.people_created) == (1, 1, 0, 0)
    event = Event.objects.get(reference="LR-1")
    assert event.end_date == dt.date(2025, 4, 13) and event.route_of_access == "Self-Funder"
    ann = Person.objects.get(person_id="LEG-0001")
    assert ann.family_name == "Archer-Smith" and ann.version == 2
    assert set(ann.names.values_list("kind", "family_name")) == {
        ("previous", "Archer"),
        ("current", "Archer-Smith"),
    }
    latest = AccommodationStatusRecord.objects.filter(person=ann).order_by("-id").first()
    assert latest.status == "Registered care home"
    batch = CLDImport.objects.latest("id")
    assert ImportedEvent.objects.get(batch=batch).action == "updated"
    assert batch.people.get().action == "updated"
    changed = AuditEvent.objects.get(action="update", object_type="casework.event")
    assert changed.changes["end_date"] == {"before": "2025-04-12", "after": "2025-04-13"}


def test_a_difference_from_what_was_recorded_in_carebridge_is_a_problem(tmp_path):
    p = PersonFactory(
        person_id="LEG-0001",
        nhs_number=ANN["NHS_Number"],
        given_name="Ann",
        family_name="Archer",
        date_of_birth=dt.date(1941, 2, 3),
    )
    EventFactory(
        person=p,
        reference="LR-1",
        start_date=dt.date(2025, 4, 10),
        end_date=dt.date(2025, 4, 20),
        outcome=cld.OUTCOME_TO_ASSESSMENT,
    )
    before = snapshot()
    result = run(write(tmp_path, varied_rows()))
    assert not result.loaded
    messages = [(pr.row, pr.field, pr.message) for pr in result.problems]
    assert any(
        r == 2 and f == "Event_Reference" and "recorded in carebridge" in m and "end_date" in m
        for r, f, m in messages
    ), messages
    assert snapshot() == before


def test_gaps_in_a_person_recorded_in_carebridge_are_filled(tmp_path):
    PersonFactory(
        person_id="LEG-0001",
        nhs_number=None,
        given_name="Ann",
        family_name="Archer",
        date_of_birth=dt.date(1941, 2, 3),
        postcode="",
        primary_support_reason=cld.UNKNOWN,
    )
    result = run(write(tmp_path, varied_rows()))
    assert result.loaded, result.problems
    ann = Person.objects.get(person_id="LEG-0001")
    assert ann.nhs_number == ANN["NHS_Number"] and ann.postcode == "NR1 2DH"
    assert ann.primary_support_reason == ANN["Primary_Support_Reason"]
    assert result.counts.people_updated == 1


@pytest.mark.parametrize(
    ("existing", "rule", "words"),
    [
        (
            {"reference": "LR-1", "other_person": True},
            "import-reference-conflict",
            "another person",
        ),
        (
            {"reference": "LR-1", "event_type": cld.REVIEW},
            "import-reference-conflict",
            "is a Review",
        ),
        ({"nhs_number": ANN["NHS_Number"]}, "import-nhs-number", "held in the record by another"),
    ],
)
def test_conflicts_with_the_record_are_reported_and_nothing_is_loaded(
    tmp_path, existing, rule, words
):
    if "nhs_number" in existing:
        PersonFactory(person_id="OTHER-1", nhs_number=existing["nhs_number"])
    else:
        owner = (
            PersonFactory(person_id="OTHER-1")
            if existing.get("other_person")
            else (
                PersonFactory(
                    person_id="LEG-0001",
                    nhs_number=ANN["NHS_Number"],
                    given_name="Ann",
                    family_name="Archer",
                    date_of_birth=dt.date(1941, 2, 3),
                )
            )
        )
        kind = existing.get("event_type", cld.REQUEST)
        EventFactory(person=owner, reference="LR-1", event_type=kind, review_reason="Planned")
    before = snapshot()
    result = run(write(tmp_path, varied_rows()))
    assert rule in rules(result)
    assert any(words in pr.message for pr in result.problems), result.problems
    assert snapshot() == before


def test_problems_within_the_file_are_each_reported(tmp_path):
    rows = varied_rows()
    rows[1]["Date_of_Birth"] = "1941-02-04"  # Ann's second row: another date of birth
    rows[2]["LA_Code"] = "998"  # (the validator also says: not the first row's code)
    rows[3]["Event_Reference"] = "LR-1"  # a reference twice
    rows[4]["Event_Reference"] = ""
    rows[6]["LA_Person_Unique_Identifier"] = "B" * 21  # longer than the record holds
    rows[9]["NHS_Number"] = ANN["NHS_Number"]  # Cat given Ann's NHS number...
    for r in rows[10:13]:
        r["NHS_Number"] = ANN["NHS_Number"]  # ...on each of her rows
    rows[16]["Adult_1_Linked_Person_ID"] = "NOBODY"
    rows[12]["Unit_Cost"] = "55.001"
    result = run(write(tmp_path, rows))
    found = {(pr.row, pr.field, pr.rule) for pr in result.problems}
    assert {
        (3, "Date_of_Birth", "import-person-differs"),
        (4, "LA_Code", "la-code-differs"),
        (5, "Event_Reference", "import-duplicate-reference"),
        (6, "Event_Reference", "import-no-reference"),
        (8, "LA_Person_Unique_Identifier", "import-too-long"),
        (11, "NHS_Number", "import-nhs-number"),
        (14, "Unit_Cost", "import-number"),
        (18, "Adult_1_Linked_Person_ID", "import-linked-person"),
    } <= found, sorted(found)
    assert Person.objects.count() == 0 and Event.objects.count() == 0


def test_another_councils_file_is_refused(tmp_path):
    rows = [dict(r, LA_Code="123") for r in varied_rows()]
    result = run(write(tmp_path, rows))
    assert rules(result) == {"import-la-code"}
    (problem,) = result.problems  # one per code, at its first row
    assert problem.row == 2 and "not this council's CASSR code 999" in problem.message
    assert Person.objects.count() == 0


def test_a_failure_part_way_leaves_the_record_as_it_was(tmp_path, monkeypatch):
    run(write(tmp_path, varied_rows()[:3]))  # something already there
    before = snapshot()
    calls = {"n": 0}
    real = cld_import.new_event

    def fail_on_the_fifth(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(cld_import, "new_event", fail_on_the_fifth)
    with pytest.raises(RuntimeError, match="disk full"):
        run(write(tmp_path, varied_rows(), "all.csv"))
    assert calls["n"] == 5
    assert snapshot() == before
    assert not AuditEvent.objects.filter(changes__file="all.csv").exists()


def test_a_dry_run_writes_nothing_but_says_what_a_load_would_do(tmp_path):
    before = snapshot()
    result = run(write(tmp_path, varied_rows()), dry_run=True)
    assert result.counts.people_created == 5 and not result.loaded
    assert snapshot() == before
    audit = AuditEvent.objects.get(action="import")
    assert audit.changes["outcome"] == "dry run"


def test_the_load_is_audited_with_its_file_and_counts(tmp_path):
    path = write(tmp_path, varied_rows())
    result = run(path)
    audit = AuditEvent.objects.get(action="import")
    assert audit.changes["outcome"] == "loaded"
    assert audit.changes["file"] == "legacy.csv"
    assert audit.changes["sha256"] == result.parsed.sha256 and len(result.parsed.sha256) == 64
    assert audit.changes["counts"]["events_created"] == 16
    assert audit.changes["run_by"] == "test"
    assert audit.object_id == str(CLDImport.objects.get().pk)


def _bulk_rows(people: int, prefix: str = "B") -> list[dict[str, str]]:
    """``people`` service users with a request and a service each."""
    rows = []
    for i in range(people):
        person = dict(
            CAT,
            LA_Person_Unique_Identifier=f"{prefix}-{i:05d}",
            NHS_Number=next_test_nhs_number(),
            Last_Name=f"Bulk{i}",
            GP_Practice_Code=f"Y{i % 7:05d}",
            GP_Practice_Name=f"Practice {i % 7}",
        )
        rows.append(
            row(
                person,
                **request(
                    f"{prefix}R-{i}",
                    "2025-05-01",
                    "2025-05-02",
                    cld.OUTCOME_TO_ASSESSMENT,
                    "Self-Funder",
                ),
            )
        )
        rows.append(
            row(
                person,
                **service(
                    f"{prefix}S-{i}",
                    "2025-06-01",
                    "",
                    "Continuation of support or services",
                    "Long term support: Community",
                    "Day support",
                    "CASSR managed personal budget",
                    "55.00",
                    "Per session",
                    "2.00",
                    f"1-{1000 + i % 5}",
                    f"Provider {i % 5}",
                ),
            )
        )
    return rows


def test_the_number_of_queries_does_not_grow_with_the_file(tmp_path, monkeypatch):
    # Inserts go in batches of BATCH rows: one batch each here, whatever the file's size.
    monkeypatch.setattr(cld_import, "BATCH", 100_000)

    def queries(people: int, name: str) -> int:
        path = write(tmp_path, _bulk_rows(people, name), name)
        with CaptureQueriesContext(connection) as ctx:
            result = run(path)
        assert result.loaded and result.counts.events_created == 2 * people, result.problems
        return len(ctx.captured_queries)

    small = queries(5, "S")
    large = queries(300, "L")
    assert large == small, (small, large)
    assert large <= 40
