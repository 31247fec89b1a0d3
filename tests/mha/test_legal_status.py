"""Recording a person's legal status: start, end (discharge, with the day they left hospital),
replace by another section keeping the history; what is refused (an end before the start, a
second detention, a CTO that follows no detention for treatment); two workers at once; and the
database's own guard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from carebridge.core.access import Role
from carebridge.core.models import AuditEvent
from carebridge.mentalhealth import services
from carebridge.mentalhealth.models import LegalStatus
from carebridge.rules.mental_health_act import EndReason

from .conftest import ago

pytestmark = pytest.mark.django_db


def start(worker, person, section="s3", **kw):
    kw.setdefault("started_at", ago(days=40))
    return services.start_status(worker, person, section=section, **kw)


def test_start_and_discharge(sw, person, hospital):
    s3 = start(sw, person, hospital=hospital, place="Willow Ward")
    left = timezone.localdate() - dt.timedelta(days=1)
    ended = services.end_status(
        sw, s3, version=s3.version, ended_at=ago(days=2), reason="discharged_tribunal",
        left_hospital_on=left, notes="Tribunal decision received",
    )  # fmt: skip
    assert (ended.end_reason, ended.left_hospital_on) == ("discharged_tribunal", left)
    assert "Tribunal decision received" in ended.notes
    audit = AuditEvent.objects.filter(object_type="mentalhealth.legalstatus").order_by("pk")
    assert [e.action for e in audit] == ["create", "update"]
    assert "left hospital" in audit.last().summary
    assert audit.last().changes["end_reason"] == {"before": "", "after": "discharged_tribunal"}


def test_an_end_before_the_start_is_refused(sw, person):
    s3 = start(sw, person)
    with pytest.raises(ValidationError) as e:
        services.end_status(
            sw, s3, version=s3.version, ended_at=ago(days=41), reason="discharged_rc"
        )
    assert e.value.message_dict == {"ended_on": ["The end cannot be before the start"]}
    s3.refresh_from_db()
    assert s3.is_current and s3.version == 1


def test_an_end_needs_a_reason_of_its_own_and_a_left_hospital_day_not_before_it(sw, person):
    s3 = start(sw, person)
    with pytest.raises(ValidationError) as e:
        services.end_status(
            sw, s3, version=s3.version, ended_at=ago(days=2), reason="replaced",
            left_hospital_on=timezone.localdate() - dt.timedelta(days=10),
        )  # fmt: skip
    assert set(e.value.message_dict) == {"end_reason", "left_hospital_on"}


def test_a_second_concurrent_detention_is_refused(sw, person):
    start(sw, person, "s2")
    with pytest.raises(ValidationError) as e:
        start(sw, person, "s136", started_at=ago(days=1))
    assert "already detained under Section 2" in e.value.message_dict["section"][0]
    assert LegalStatus.objects.filter(person=person).count() == 1


def test_the_database_refuses_a_second_current_detention_too(sw, person):
    s2 = start(sw, person, "s2")
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalStatus.objects.create(person=person, section="s3", started_at=s2.started_at)


def test_a_cto_only_after_section_3_or_37(sw, person):
    with pytest.raises(ValidationError, match="s17A"):
        start(sw, person, "s17a")
    s2 = start(sw, person, "s2")
    with pytest.raises(ValidationError, match="cannot follow Section 2"):
        services.replace_status(sw, s2, version=s2.version, section="s17a", started_at=ago(days=1))


def test_replace_s2_by_s3_then_by_a_cto_keeping_the_history(sw, person, hospital):
    s2 = start(sw, person, "s2", hospital=hospital, started_at=ago(days=20))
    s3 = services.replace_status(sw, s2, version=s2.version, section="s3", started_at=ago(days=10))
    assert s3.hospital == hospital  # the same hospital unless said otherwise
    left = timezone.localdate()
    cto = services.replace_status(
        sw, s3, version=s3.version, section="s17a", started_at=ago(hours=2),
        left_hospital_on=left,
    )  # fmt: skip
    history = list(LegalStatus.objects.filter(person=person).order_by("started_at"))
    assert [(s.section, s.end_reason) for s in history] == [
        ("s2", EndReason.REPLACED),
        ("s3", EndReason.REPLACED),
        ("s17a", ""),
    ]
    assert history[0].ended_at == history[1].started_at  # nothing rewritten, nothing lost
    assert (cto.follows, history[1].follows) == (history[1], history[0])
    assert history[1].left_hospital_on == left  # s117 aftercare runs from here
    revoked = services.replace_status(
        sw, cto, version=cto.version, section="s3", started_at=ago(minutes=30)
    )
    cto.refresh_from_db()
    assert cto.end_reason == EndReason.CTO_REVOKED and revoked.follows == cto


def test_replacing_cannot_start_before_the_status_it_replaces(sw, person):
    s2 = start(sw, person, "s2", started_at=ago(days=5))
    with pytest.raises(ValidationError) as e:
        services.replace_status(sw, s2, version=s2.version, section="s3", started_at=ago(days=6))
    assert "cannot start before Section 2 started" in e.value.message_dict["started_on"][0]
    with pytest.raises(ValidationError, match="still detained"):
        services.replace_status(
            sw, s2, version=s2.version, section="s3", started_at=ago(days=1),
            left_hospital_on=timezone.localdate(),
        )  # fmt: skip
    s2.refresh_from_db()
    assert s2.is_current and LegalStatus.objects.count() == 1


def test_two_workers_end_the_same_status_the_second_is_told(sw, county, person):
    s3 = start(sw, person)
    opened = s3.version
    services.end_status(sw, s3, version=opened, ended_at=ago(days=1), reason="discharged_rc")
    with pytest.raises(services.Conflict) as e:
        services.end_status(
            county.workers[Role.TEAM_MANAGER], s3, version=opened, ended_at=ago(hours=1),
            reason="expired",
        )  # fmt: skip
    assert e.value.current.end_reason == "discharged_rc"
    s3.refresh_from_db()
    assert s3.end_reason == "discharged_rc"  # the first edit kept


def test_an_ended_status_cannot_be_ended_or_replaced_again(sw, person):
    s2 = start(sw, person, "s2")
    services.end_status(sw, s2, version=s2.version, ended_at=ago(days=1), reason="expired")
    s2.refresh_from_db()
    with pytest.raises(ValidationError, match="already ended"):
        services.end_status(sw, s2, version=s2.version, ended_at=ago(hours=1), reason="expired")
    with pytest.raises(ValidationError, match="already ended"):
        services.replace_status(sw, s2, version=s2.version, section="s3", started_at=ago(hours=1))


def test_who_may_record_legal_status(county, person):
    for role in (Role.SOCIAL_WORKER, Role.AMHP, Role.TEAM_MANAGER):
        status = start(county.workers[role], person, "s136", started_at=ago(hours=3))
        services.end_status(
            county.workers[role], status, version=status.version, ended_at=ago(hours=1),
            reason="not_detained",
        )  # fmt: skip
    for role in (Role.SAFEGUARDING_LEAD, Role.FINANCE_OFFICER, Role.NHS_PARTNER):
        with pytest.raises(PermissionDenied):
            start(county.workers[role], person, "s136")


def test_a_future_start_or_one_before_birth_is_refused(sw, person):
    with pytest.raises(ValidationError, match="future"):
        start(sw, person, started_at=ago(days=-1))
    born = timezone.make_aware(dt.datetime.combine(person.date_of_birth, dt.time(9)))
    with pytest.raises(ValidationError, match="before the person was born"):
        start(sw, person, started_at=born - dt.timedelta(days=2))
