"""A seeded synthetic county's CLD return for its last 12 months: every row passes every check
(Method_of_Assessment and Review_Outcomes_Achieved included, recorded at completion and checked
against their code lists; everyone in the return has an NHS number)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter

import pytest
from django.db import transaction

from carebridge.demo.seed import seed_county
from carebridge.people.models import Person
from carebridge.returns import cld_export
from carebridge.rules import cld
from carebridge.rules.cld_validation import FAIL, validate_csv

UNTIL = dt.date(2026, 3, 31)
START = dt.date(2025, 4, 1)


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
    assert failures == [], {(f.field, f.value) for f in failures}
    assert summary.passed


def test_the_return_read_table_by_table_equals_the_return_read_by_key(seeded, db, monkeypatch):
    """A county-scale return reads person-level facts whole and keeps the people it needs; a
    small one reads them by key. Both give the same file."""
    by_key = io.StringIO()
    cld_export.write(by_key, START, UNTIL)
    monkeypatch.setattr(cld_export, "BY_KEY_LIMIT", 0)
    whole = io.StringIO()
    cld_export.write(whole, START, UNTIL)
    assert whole.getvalue() == by_key.getvalue()
    assert Person.objects.count() > len({r.split(",")[4] for r in whole.getvalue().splitlines()})


def test_seeded_export_fills_method_of_assessment_and_review_outcomes(seeded, db):
    out = io.StringIO()
    cld_export.write(out, START, UNTIL)
    out.seek(0)
    rows = list(csv.DictReader(out))
    assessments = [r for r in rows if r["Event_Type"] == "Assessment"]
    planned = [r for r in rows if r["Event_Type"] == "Review" and r["Review_Reason"] == "Planned"]
    assert assessments and planned
    methods = Counter(r["Method_of_Assessment"] for r in assessments)
    assert set(methods) <= set(cld.codes(cld.METHOD_OF_ASSESSMENT))
    assert methods.most_common(1)[0][0] == "Face to face"
    achieved = Counter(r["Review_Outcomes_Achieved"] for r in planned)
    assert set(achieved) <= set(cld.codes(cld.REVIEW_OUTCOMES_ACHIEVED))
    assert achieved["Fully Met"] + achieved["Partially Met"] > achieved["Not Met"]
