"""Each person's next statutory step, as the caseload and the person's page show it, follows
the case through the pathway (the facts come from one SQL query: see planning.pathway)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from carebridge.assessments import services as assessment_services
from carebridge.planning import pathway, services
from carebridge.rules import pathway as rules

from .conftest import add_home_care, write_plan


def step_of(person):
    return rules.next_step(pathway.case_facts([person.pk])[person.pk])


def test_the_step_moves_along_the_pathway(county, sw, manager, provider):
    person = county.person_a
    today = timezone.localdate()
    assert step_of(person).key == rules.NONE

    a = assessment_services.start_assessment(sw, person, kind="adult")
    step = step_of(person)
    assert step.key == rules.COMPLETE_ASSESSMENT
    assert step.due == today + dt.timedelta(days=rules.LOCAL_DAYS_TO_COMPLETE_ASSESSMENT)
    assert isinstance(step.due, dt.date)

    from .conftest import complete_eligible_assessment

    assessment_services.cancel_assessment(sw, a, reason="Started in error")
    assessment = complete_eligible_assessment(sw, person)
    assert step_of(person).key == rules.WRITE_PLAN

    plan = services.start_plan(sw, assessment)
    assert step_of(person).key == rules.FINISH_PLAN
    write_plan(sw, plan)
    add_home_care(sw, plan, provider)
    plan.refresh_from_db()
    services.submit_plan(sw, plan, version=plan.version)
    assert step_of(person).key == rules.AWAITING_APPROVAL

    plan.refresh_from_db()
    services.return_plan(manager, plan, version=plan.version, reasons="Cost the meals")
    step = step_of(person)
    assert step.key == rules.FINISH_PLAN and "returned" in step.label.lower()

    plan.refresh_from_db()
    services.submit_plan(sw, plan, version=plan.version)
    plan.refresh_from_db()
    services.approve_plan(manager, plan, version=plan.version)
    step = step_of(person)
    assert step.key == rules.REVIEW
    assert step.due == today + dt.timedelta(weeks=8)
    assert "s27" in step.basis


def test_caseload_and_person_page_show_the_step(county, sw, client):
    assessment_services.start_assessment(sw, county.person_a, kind="adult")
    client.force_login(sw)
    caseload = client.get("/caseload/").content.decode()
    assert "Complete the assessment" in caseload
    page = client.get(f"/people/{county.person_a.person_id}/").content.decode()
    assert "Next step:" in page and "Complete the assessment" in page


def test_a_request_waiting_for_assessment_is_a_step(county, sw):
    from tests.factories import EventFactory

    EventFactory(
        person=county.person_a,
        event_type="Request",
        start_date=dt.date(2026, 1, 5),
        end_date=dt.date(2026, 1, 6),
        outcome="Progress to assessment, review or reassessment",
    )
    step = step_of(county.person_a)
    assert step.key == rules.START_ASSESSMENT
    assert step.due == dt.date(2026, 1, 5) + dt.timedelta(
        days=rules.LOCAL_DAYS_REQUEST_TO_ASSESSMENT
    )


def test_team_caseload_sorts_by_when_the_next_step_is_due(county, sw, manager, client):
    late, soon = county.person_a, county.person_a_team
    assessment_services.start_assessment(sw, soon, kind="adult")
    assessment_services.start_assessment(
        sw, late, kind="adult", on=timezone.localdate() - dt.timedelta(days=40)
    )
    client.force_login(manager)
    html = client.get("/caseload/?scope=team&order=due").content.decode()
    assert html.index(late.family_name.upper()) < html.index(soon.family_name.upper())
    assert "Overdue" in html
    by_name = client.get("/caseload/?scope=team&order=name").content.decode()
    assert "Complete the assessment" in by_name
