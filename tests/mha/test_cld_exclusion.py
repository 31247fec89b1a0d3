"""Mental Health Act assessments are not Care Act events: a person whose only record is a Mental
Health Act assessment (and the detention it started) has no row in the Client Level Data return
and is in none of its cohorts."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from carebridge.casework.models import Event
from carebridge.mentalhealth import services
from carebridge.returns import cld_export
from carebridge.rules import amhp
from carebridge.rules.returns.cohort import parse_rows
from tests.factories import EventFactory, PersonFactory

from .conftest import assessed

pytestmark = pytest.mark.django_db


def _export() -> list[dict[str, str]]:
    today = timezone.localdate()
    out = io.StringIO()
    cld_export.write(out, today - dt.timedelta(days=365), today)
    out.seek(0)
    return list(csv.DictReader(out))


def test_a_person_with_only_an_mha_assessment_is_not_in_the_return(county, sw, duty_amhp, hospital):
    only_mha = PersonFactory(given_name="Only", family_name="Mentalhealthact")
    a = assessed(only_mha, sw, duty_amhp, amhp.DETAINED_S2, hospital=hospital)
    services.save_report(
        duty_amhp, a, version=a.version, alternatives_considered="a", report="b", complete=True
    )
    assert not Event.objects.filter(person=only_mha).exists()
    # Someone with a Care Act request this year is in it: the export is not simply empty.
    other = PersonFactory(given_name="Care", family_name="Actrequest")
    EventFactory(person=other, start_date=timezone.localdate(), end_date=timezone.localdate())
    rows = _export()
    ids = {r["LA_Person_Unique_Identifier"] for r in rows}
    assert other.person_id in ids
    assert only_mha.person_id not in ids
    cohort = parse_rows(rows)
    assert cohort and all(e.la_person_id != only_mha.person_id for e in cohort)
