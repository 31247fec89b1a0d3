"""A small county's case histories with one statutory duty in every figure of the compliance
dashboard today (shared by the dashboard's tests and the browser journey)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from carebridge.duties import services
from carebridge.rules import cld
from tests.factories import AllocationFactory, EventFactory, PersonFactory

DUTY = "assessment-after-request"


def request(person, days_ago, **kw):
    kw.setdefault("end_date", None)
    kw.setdefault("outcome", "")
    on = timezone.localdate() - dt.timedelta(days=days_ago)
    return EventFactory(person=person, event_type=cld.REQUEST, start_date=on, **kw)


def assessment(person, days_ago):
    on = timezone.localdate() - dt.timedelta(days=days_ago)
    return EventFactory(
        person=person,
        event_type=cld.ASSESSMENT,
        start_date=on,
        end_date=None,
        outcome="",
        route_of_access="",
        assessment_type="Long term assessment",
    )


def with_duties_in_every_figure(county):
    """One duty (an assessment within 28 days of a request) in every figure:

    ========================  ===========  =========================  ==============
    person                    team         worker                     figure today
    ========================  ===========  =========================  ==============
    Anna Allocated            A (trust)    social worker              overdue
    Tom Teamheld              A            none                       due soon
    Rita Private (restricted) A            AMHP                       overdue
    Brian Elsewhere           B (council)  worker_b                   met on time
    Dora Later                B            none                       due later
    Eric Declined             B            none                       exempt
    Ursula Unheld             not allocated                           met late
    ========================  ===========  =========================  ==============
    """
    request(county.person_a, 40)
    request(county.person_a_team, 20)
    request(county.restricted, 50)
    request(county.person_b, 60)
    assessment(county.person_b, 50)
    dora = PersonFactory(given_name="Dora", family_name="Later")
    AllocationFactory(person=dora, team=county.team_b)
    request(dora, 5)
    eric = PersonFactory(given_name="Eric", family_name="Declined")
    AllocationFactory(person=eric, team=county.team_b)
    request(
        eric,
        10,
        end_date=timezone.localdate() - dt.timedelta(days=9),
        outcome=cld.OUTCOME_SUPPORT_DECLINED,
    )
    ursula = PersonFactory(given_name="Ursula", family_name="Unheld")
    request(ursula, 100)
    assessment(ursula, 30)
    services.refresh_all()
    county.dora, county.eric, county.ursula = dora, eric, ursula
    return county
