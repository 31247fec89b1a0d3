"""What the permission matrix (tests/access/test_permission_matrix.py) needs for each Mental
Health Act page: the record the page is about, in the state the page acts on, and a minimal
valid body.

Every principal of the matrix is in team A. An assessment the page acts on is held by the
matrix's AMHP, except for a person the AMHP has no relationship with (held by team B): there
another AMHP holds it, or holding it would give the matrix's AMHP a relationship (ADR 0021)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from carebridge.core.access import Role
from carebridge.mentalhealth import services
from carebridge.rules import amhp
from tests.core import form_data
from tests.factories import WorkerFactory


def _parts(prefix: str, moment: dt.datetime) -> dict[str, str]:
    local = timezone.localtime(moment)
    return {
        **form_data.date_parts(f"{prefix}_on", local.date()),
        f"{prefix}_time": f"{local:%H:%M}",
    }


def _minutes_ago(n: int) -> dt.datetime:
    return (timezone.now() - dt.timedelta(minutes=n)).replace(second=0, microsecond=0)


def setup(view: str, county, person) -> tuple[list, dict[str, str]]:
    token = form_data.token()
    sw = county.workers[Role.SOCIAL_WORKER]
    if view == "mentalhealth:assessment-request":
        return [], {
            **_parts("requested", _minutes_ago(30)), "requester_name": "PC Dixon",
            "requester_role": "police", "request_reason": "Found on a bridge.",
            "submission_token": token,
        }  # fmt: skip
    if view.startswith("mentalhealth:status-"):
        if view == "mentalhealth:status-start":
            return [], {
                "section": "s136", **_parts("started", _minutes_ago(60)),
                "submission_token": token,
            }  # fmt: skip
        status = services.start_status(
            sw, person, section="s2", started_at=_minutes_ago(600), hospital=county.trust
        )
        version = {"version": str(status.version), "submission_token": token}
        if view == "mentalhealth:status-end":
            return [status.pk], {
                **_parts("ended", _minutes_ago(60)), "end_reason": "discharged_rc", **version,
            }  # fmt: skip
        return [status.pk], {"section": "s3", **_parts("started", _minutes_ago(60)), **version}
    matrix_amhp = county.workers[Role.AMHP]
    holder = (
        WorkerFactory(role=Role.AMHP, team=county.team_b) if person == county.person_b else
        matrix_amhp
    )  # fmt: skip
    a = services.request_assessment(
        sw, person, requested_at=_minutes_ago(300), requester_name="Dr Ada Example",
        requester_role="gp", request_reason="Not eating.",
    )  # fmt: skip
    version = {"version": str(a.version), "submission_token": token}
    if view == "mentalhealth:assessment-take":
        return [a.pk], version
    if view == "mentalhealth:assessment-allocate":
        other = WorkerFactory(role=Role.AMHP, team=county.team_b)
        return [a.pk], {"held_by": str(other.pk), **version}
    a = services.take(holder, a, version=a.version)
    version["version"] = str(a.version)
    if view == "mentalhealth:assessment-record":
        return [a.pk], {
            **_parts("assessed", _minutes_ago(120)), "location": "Home",
            "outcome": amhp.COMMUNITY_SUPPORT, "doctor_1_s12": "no", "doctor_1_known": "no",
            "doctor_2_s12": "no", "doctor_2_known": "no", "nr_objected": "no",
            "nr_displaced": "no", **version,
        }  # fmt: skip
    a = services.record_assessment(
        holder, a, version=a.version,
        details=services.AssessmentDetails(
            assessed_at=_minutes_ago(120), location="Home", outcome=amhp.COMMUNITY_SUPPORT
        ),
    )  # fmt: skip
    version["version"] = str(a.version)
    if view == "mentalhealth:assessment-report":
        return [a.pk], {
            "alternatives_considered": "Home treatment", "report": "No grounds to detain.",
            "action": "complete", **version,
        }  # fmt: skip
    services.save_report(
        holder, a, version=a.version, alternatives_considered="Home treatment",
        report="No grounds to detain.", complete=True,
    )  # fmt: skip
    return [a.pk], {}
