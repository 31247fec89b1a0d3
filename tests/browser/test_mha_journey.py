"""A Mental Health Act assessment detains a person under Section 3, and later they are
discharged, in a real browser: the social worker asks for an assessment from the person's page
(told what is missing first); the duty AMHP takes it from the AMHP rota, records the detention
at the hospital and completes the report; the social worker sees the detention at the top of the
Mental Health Act section and records the discharge with the day the person left hospital.
Every page is checked with axe for WCAG 2.2 AA."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carebridge.core.access import Role
from carebridge.mentalhealth.models import LegalStatus, MHAAssessment
from carebridge.rules import amhp
from tests.factories import TeamFactory, WorkerFactory

from .steps import (
    given_i_am_signed_in_as,
    then_i_see,
    then_i_see_the_heading,
    then_the_error_summary_says,
    then_the_page_is_accessible,
    when_i_choose,
    when_i_fill_in_the_date,
    when_i_follow_the_menu_to,
    when_i_open,
    when_i_press,
    when_i_sign_out,
    when_i_type,
)

pytestmark = pytest.mark.browser


def when_i_answer(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def test_detained_under_section_3_then_discharged(page, county, axe_path):
    anna = county.person_a
    team = TeamFactory(organisation=county.council, name="AMHP Service", kind="amhp")
    WorkerFactory(role=Role.AMHP, team=team, username="duty.amhp", first_name="Dee")

    given_i_am_signed_in_as(page, "social_worker")
    page.goto(f"/people/{anna.person_id}/")
    then_i_see(page, "No Mental Health Act legal status recorded.")
    when_i_open(page, "Request a Mental Health Act assessment")
    then_i_see_the_heading(page, "Request a Mental Health Act assessment")
    then_the_page_is_accessible(page, axe_path, "the request form")
    when_i_type(page, "Why is an assessment needed?", "Not eating; hearing voices.")
    when_i_press(page, "Send the request to the AMHP service")
    then_the_error_summary_says(
        page, "Enter name of the person asking", "Select who is asking for the assessment"
    )
    then_the_page_is_accessible(page, axe_path, "the request form with errors")
    assert not MHAAssessment.objects.exists()
    when_i_type(page, "Name of the person asking", "Dr Ada Example")
    when_i_answer(page, "Who is asking for the assessment?", "GP")
    when_i_press(page, "Send the request to the AMHP service")
    then_i_see(page, "it is on the AMHP rota")
    when_i_sign_out(page)

    given_i_am_signed_in_as(page, "duty.amhp")
    when_i_follow_the_menu_to(page, "AMHP rota")
    then_i_see_the_heading(page, "AMHP rota")
    then_the_page_is_accessible(page, axe_path, "the AMHP rota")
    page.get_by_role("button", name="Take the request for Anna Allocated").click()
    then_i_see(page, "record the assessment when you have done it")
    then_the_page_is_accessible(page, axe_path, "the assessment page")
    when_i_open(page, "Record the assessment")
    then_i_see_the_heading(page, "Record the assessment")
    then_the_page_is_accessible(page, axe_path, "the assessment form")
    when_i_type(page, "Where did the assessment take place?", "Her home")
    when_i_type(page, "First doctor's name", "Dr Sam Section")
    when_i_answer(page, "Is the first doctor approved under section 12?", "Yes")
    when_i_type(page, "Second doctor's name", "Dr Gail Practitioner")
    when_i_answer(
        page, "Did the second doctor know the person before (previous acquaintance)?", "Yes"
    )
    when_i_type(page, "Nearest relative's name", "Peter Allocated")
    when_i_choose(page, "Who they are to the person", "Son or daughter")
    when_i_answer(page, "The nearest relative", "Consulted (s11(4))")
    when_i_answer(
        page, "Outcome of the assessment", "Detained under Section 3 (admission for treatment)"
    )
    when_i_choose(page, "Hospital (if admitted)", county.trust.name)
    when_i_type(page, "Ward or hospital site (optional)", "Willow Ward")
    when_i_press(page, "Record the assessment")
    then_i_see(page, "Assessment recorded: detained under section 3. Write your report")
    expect(page.get_by_test_id("mha-outcome")).to_contain_text(county.trust.name)
    when_i_open(page, "Write the AMHP report")
    then_the_page_is_accessible(page, axe_path, "the report form")
    when_i_type(page, "Alternatives to detention you considered", "Home treatment: refused.")
    when_i_type(
        page,
        "Your report: what you found and the reasons for your decision",
        "Detention is the least restrictive option now.",
    )
    when_i_press(page, "Complete the report")
    then_i_see(page, "AMHP report completed")
    a = MHAAssessment.objects.get(person=anna)
    assert a.status == amhp.REPORT_COMPLETED
    with page.expect_download() as download:
        page.get_by_role("link", name="AMHP report (PDF)").evaluate(
            "link => { link.setAttribute('download', ''); link.click(); }"
        )
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    when_i_sign_out(page)

    given_i_am_signed_in_as(page, "social_worker")
    page.goto(f"/people/{anna.person_id}/")
    expect(page.get_by_test_id("current-legal-status")).to_contain_text(
        "Detained under Section 3 (admission for treatment) since"
    )
    then_the_page_is_accessible(page, axe_path, "the person's page with a detention")
    when_i_open(page, "Record discharge of Section 3")
    then_i_see_the_heading(page, "Record discharge")
    then_the_page_is_accessible(page, axe_path, "the discharge form")
    when_i_answer(page, "Why did it end?", "Discharged by the responsible clinician (s23)")
    today = timezone.localdate()
    when_i_fill_in_the_date(page, "Day the person left hospital (after a detention)", today)
    when_i_press(page, "Record discharge")
    then_i_see(page, "Section 3 ended: discharged by the responsible clinician (s23)")
    then_i_see(page, "Not subject to the Mental Health Act now.")
    status = LegalStatus.objects.get(person=anna)
    assert (status.end_reason, status.left_hospital_on) == ("discharged_rc", today)
