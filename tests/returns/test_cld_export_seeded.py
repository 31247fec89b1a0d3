"""A seeded synthetic county's CLD return for its last 12 months: every row passes every check
except the fields the record has no home for yet (Method_of_Assessment and
Review_Outcomes_Achieved: their Release 2 code lists are unpublished, rules.md s9) and the NHS
numbers of the people the county holds without one (to be traced at source)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import transaction

from carebridge.demo.seed import seed_county
from carebridge.people.models import Person
from carebridge.returns import cld_export
from carebridge.rules.cld_validation import FAIL, validate_csv

UNTIL = dt.date(2026, 3, 31)
START = dt.date(2025, 4, 1)
NO_HOME_IN_THE_RECORD = {"Method_of_Assessment", "Review_Outcomes_Achieved"}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield seed_county(people=300, seed=17, until=UNTIL)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_seeded_county_export_validates(seeded, db):
    out = io.StringIO()
    projection = cld_export.write(out, START, UNTIL)
    assert {"Request", "Assessment", "Service", "Review"} <= set(projection.by_event_type)
    out.seek(0)
    validation = validate_csv(out)
    failures = [f for f in validation if f.severity == FAIL]
    summary = validation.summary
    assert summary.rows_read == projection.rows
    assert summary.warnings == 0, summary.as_dict()
    assert {f.rule for f in failures} <= {"mandatory-blank"}
    assert {f.field for f in failures} <= NO_HOME_IN_THE_RECORD | {"NHS_Number"}
    no_number = {projection.person_of_row[f.row - 2] for f in failures if f.field == "NHS_Number"}
    assert not Person.objects.filter(pk__in=no_number, nhs_number__isnull=False).exists()
