"""A Mental Health Act assessment detains a person under Section 3, and later they are
discharged into s117 aftercare, in a real browser: the social worker asks for an assessment from
the person's page (told what is missing first); the duty AMHP takes it from the AMHP rota,
records the detention at the hospital and completes the report; the social worker sees the
detention at the top of the Mental Health Act section and records the discharge with the day the
person left hospital; the page then says she is entitled to s117 aftercare, and the social
worker records it (the responsible council and ICB), agrees the joint plan and funds her home
care under s117, half each; her charge for it is recalculated to nothing
and the finance officer's page says why. Every page is checked with axe for WCAG 2.2 AA."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carebridge.core.access import Role
from carebridge.finance import s117
from carebridge.finance.models import ChargeDecision
from carebridge.mentalhealth.models import AftercareEpisode, LegalStatus, MHAAssessment
from carebridge.planning import services as planning_services
from carebridge.rules import amhp
from tests.aftercare.factories import IcbFactory
from tests.factories import TeamFactory, WorkerFactory
from tests.finance.conftest import complete_full
from tests.finance.factories import FinanceOfficerFactory, FinanceTeamFactory
from tests.planning.conftest import add_home_care, complete_eligible_assessment, write_plan

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


def _home_care_and_a_charge(county, anna):
    """Before the crisis: an approved plan with home care, and a charge for it."""
    sw, manager = county.workers[Role.SOCIAL_WORKER], county.workers[Role.TEAM_MANAGER]
    plan = planning_services.start_plan(sw, complete_eligible_assessment(sw, anna))
    write_plan(sw, plan)
    add_home_care(sw, plan)
    plan.refresh_from_db()
    planning_services.submit_plan(sw, plan, version=plan.version)
    plan.refresh_from_db()
    planning_services.approve_plan(manager, plan, version=plan.version)
    officer = FinanceOfficerFactory(
        team=FinanceTeamFactory(organisation=county.council), username="fo_browser"
    )
    _, charge = complete_full(officer, anna)
    assert charge.weekly_amount > 0
    return charge


def test_detained_under_section_3_then_discharged_into_s117_aftercare(page, county, axe_path):
    anna = county.person_a
    charge_before = _home_care_and_a_charge(county, anna)
    icb = IcbFactory(name="NHS Wessex Integrated Care Board", ods_code="QX9")
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

    # s117 aftercare starts: she left hospital after detention under Section 3.
    then_i_see(page, "Entitled to s117 aftercare")
    when_i_open(page, "Record s117 aftercare")
    then_i_see_the_heading(page, "Record s117 aftercare")
    then_the_page_is_accessible(page, axe_path, "the s117 eligibility form")
    when_i_choose(page, "Responsible council", str(county.council))
    when_i_choose(page, "Responsible integrated care board", str(icb))
    when_i_answer(
        page,
        "How ordinary residence was decided",
        "The person's settled address immediately before detention",
    )
    when_i_type(page, "Address immediately before detention", "4 Mill Lane, Brackenford")
    when_i_answer(page, "Is it disputed which council is responsible?", "No")
    when_i_press(page, "Record eligibility")
    episode = AftercareEpisode.objects.get(person=anna)
    assert (episode.responsible_council_id, episode.responsible_icb_id) == (
        county.council.pk,
        icb.pk,
    )
    assert episode.eligible_from == today
    then_the_page_is_accessible(page, axe_path, "the s117 aftercare page")

    when_i_open(page, "Agree the joint aftercare plan")
    then_the_page_is_accessible(page, axe_path, "the joint plan form")
    when_i_type(
        page,
        "Needs arising from the person's mental disorder",
        "Support to keep taking medication and to eat when unwell",
    )
    when_i_type(
        page,
        "How the aftercare services reduce the risk of deterioration and readmission",
        "Daily visits notice the early signs of relapse",
    )
    when_i_type(page, "Agreed for the ICB by (name)", "Dr Priya Shah")
    when_i_fill_in_the_date(page, "Date the plan was agreed", today)
    when_i_press(page, "Save the agreed plan")

    when_i_open(page, "Add a service funded under s117")
    then_the_page_is_accessible(page, axe_path, "the funding split form")
    when_i_answer(page, "How is the split given?", "As percentages")
    when_i_type(page, "The council's share (%)", "50")
    when_i_type(page, "The ICB's share (%)", "50")
    when_i_press(page, "Save the funding split")
    then_i_see(page, "No charge (s117)")

    # The home care is now aftercare: her charge is recalculated to nothing, with the reason.
    now = ChargeDecision.objects.get(person=anna, valid_to__isnull=True)
    assert now.pk != charge_before.pk
    assert (now.weekly_amount, now.s117_aftercare) == (0, True)
    assert now.reason == s117.NO_CHARGE_REASON
    when_i_sign_out(page)
    given_i_am_signed_in_as(page, "fo_browser")
    page.goto(f"/people/{anna.person_id}/charging/")
    then_i_see(page, "£0.00", "s117 aftercare is never charged for.")
    then_the_page_is_accessible(page, axe_path, "the charging page with s117 aftercare")
