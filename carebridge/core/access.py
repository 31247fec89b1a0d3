"""Roles and what each may do. The one place that says which role may take which action.

Whether a worker may see a *particular* person is a separate question (their legitimate
relationship with that person): see ``carebridge.casework.access``.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    AMHP = "amhp", "Approved mental health professional (AMHP)"
    TEAM_MANAGER = "team_manager", "Team manager"
    FINANCE_OFFICER = "finance_officer", "Finance officer"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"
    COMMISSIONER = "commissioner", "Commissioner"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"
    NHS_PARTNER = "nhs_partner", "NHS partner (read only)"


class Capability(StrEnum):
    SEARCH_PEOPLE = "search_people"
    VIEW_PERSON = "view_person"  # with a legitimate relationship
    BREAK_GLASS = "break_glass"  # see a person outside one's relationships, with a reason
    CREATE_PERSON = "create_person"
    EDIT_PERSON = "edit_person"
    RECORD_CONTACT = "record_contact"
    ADD_CASE_NOTE = "add_case_note"
    ALLOCATE = "allocate"
    VIEW_AUDIT = "view_audit"
    VIEW_ALL_AUDIT = "view_all_audit"
    EDIT_FINANCIAL = "edit_financial"
    MANAGE_RESTRICTIONS = "manage_restrictions"
    HAS_CASELOAD = "has_caseload"
    ASSESS = "assess"  # needs and carers' assessments, plans and reviews (Care Act s9-10, 24-27)
    APPROVE_PLAN = "approve_plan"  # sign off care and support plans and personal budgets
    CONFIGURE_RAS = "configure_ras"  # the council's resource allocation system
    # Statutory duty compliance across people (dashboard, duty reports): person-level rows are
    # audited as exports.
    VIEW_COMPLIANCE = "view_compliance"
    # The council's local standards for duties the law sets no time for (ADR 0015): council
    # policy, set as a decision of the council (a cabinet or director's decision), so by the
    # administrators who keep its settings (as the resource allocation system). Team managers
    # and analysts read them beside the compliance figures; a manager whose team is judged by
    # a standard does not set it.
    SET_LOCAL_STANDARDS = "set_local_standards"
    # Statutory returns built from person-level records (the CLD return): audited as exports.
    EXPORT_RETURNS = "export_returns"
    # The performance page (ADR 0019): the SALT tables, ASCOF measures and the readiness of the
    # CLD return as stored aggregate figures, for the council's reporting roles (performance
    # analysts and team managers). Its person-level downloads need EXPORT_RETURNS as well.
    VIEW_PERFORMANCE = "view_performance"
    # Mental Health Act work (ADR 0021). Anyone who works with the person may ask the AMHP
    # service for a Mental Health Act assessment (the request is not the decision).
    REQUEST_MHA_ASSESSMENT = "request_mha_assessment"
    # Take, carry out and write up Mental Health Act assessments: AMHPs only. The application
    # for detention is the AMHP's own decision (Mental Health Act 1983 s11(1), s13), made by
    # someone approved under s114; a manager allocates the work but decides no outcome.
    AMHP_ASSESS = "amhp_assess"
    # The AMHP service's queue of open requests (the rota): AMHPs, who take requests, and team
    # managers, who allocate them (allocating needs ALLOCATE as well).
    VIEW_AMHP_ROTA = "view_amhp_rota"
    # Record a legal status change (start, end with the day the person left hospital, replace
    # one section by another). These are facts the hospital's Mental Health Act office and the
    # responsible clinician decide and send the council (the hospital managers' discharge, the
    # clinician's CTO); the person's social worker or care coordinator is usually the first to
    # get the papers, and the day the person left hospital starts s117 aftercare, so social
    # workers record them as well as AMHPs and team managers. Not safeguarding leads (not
    # their function), finance officers or NHS partners (read only).
    RECORD_LEGAL_STATUS = "record_legal_status"
    # s117 aftercare (Mental Health Act 1983 s117, ADR 0022): record eligibility and the
    # responsible bodies, the joint plan, the services funded under s117 and their split, and
    # joint reviews. Practitioners (social workers, AMHPs, team managers and safeguarding leads,
    # who hold mental health cases and sit in the joint meetings with the ICB) record them.
    RECORD_AFTERCARE = "record_aftercare"
    # Record the joint decision that aftercare is no longer needed: it ends free services and
    # may start charges, so it is a team manager's, as plan approval is (the council's
    # decision maker and the ICB's are named on the decision itself).
    END_AFTERCARE = "end_aftercare"
    # The s117 register: everyone with open aftercare, the responsible bodies, the services and
    # the council/ICB split, with its CSV (audited as an export). For team managers (their
    # teams' aftercare), finance officers (who must not charge for it and recover the ICB's
    # share) and performance analysts (reporting s117 as such).
    VIEW_S117_REGISTER = "view_s117_register"
    # Safeguarding adults (Care Act 2014 s42). Anyone may raise a concern: every role that
    # works with people's records, NHS partners included (a ward or CMHT colleague of a person
    # their team shares care of), raises one through the person's record.
    RAISE_CONCERN = "raise_concern"
    # Read safeguarding concerns and enquiries in detail and carry out enquiries (the lead
    # enquirer's work: plan, actions, strategy meetings, Making Safeguarding Personal,
    # advocacy, the safeguarding plan): the council's practitioners and their managers.
    SAFEGUARDING_ENQUIRY = "safeguarding_enquiry"
    # The s42 decision on a concern, signing off an enquiry's conclusion, and the safeguarding
    # overview (concerns awaiting decision, open and overdue enquiries): safeguarding leads and
    # team managers, who hold the council's decision under s42(2).
    DECIDE_SAFEGUARDING = "decide_safeguarding"
    # Concerns whose source of risk is a care provider, listed by provider without the
    # person's name or identifiers, and the providers list with counts: commissioners act on
    # provider quality without reading case records; safeguarding leads see the same picture.
    VIEW_PROVIDER_CONCERNS = "view_provider_concerns"
    # Partnerships (NHS Act 2006 s75, ADR 0024): the agreements, who hosts and employs each
    # team and worker on a date, transfers and their reconciliation reports, continuity and the
    # hosted vs council-run comparison. Aggregate and organisational: for team managers,
    # performance analysts, commissioners (who commission the agreement) and administrators.
    VIEW_PARTNERSHIPS = "view_partnerships"
    # Record agreements (terms, extensions, money, performance conditions) and plan, confirm
    # and cancel transfers of teams and workers between organisations: the council's decision,
    # carried out by the administrators who keep its organisation settings. Reallocating a
    # leaving worker's cases is also open to the manager of the worker's team (ALLOCATE).
    MANAGE_PARTNERSHIPS = "manage_partnerships"


C = Capability
_PRACTITIONER = {
    C.SEARCH_PEOPLE,
    C.VIEW_PERSON,
    C.BREAK_GLASS,
    C.CREATE_PERSON,
    C.EDIT_PERSON,
    C.RECORD_CONTACT,
    C.ADD_CASE_NOTE,
    C.HAS_CASELOAD,
    C.ASSESS,
    C.REQUEST_MHA_ASSESSMENT,
    C.RECORD_AFTERCARE,
    C.RAISE_CONCERN,
    C.SAFEGUARDING_ENQUIRY,
}

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.SOCIAL_WORKER: frozenset(_PRACTITIONER | {C.RECORD_LEGAL_STATUS}),
    Role.AMHP: frozenset(_PRACTITIONER | {C.AMHP_ASSESS, C.VIEW_AMHP_ROTA, C.RECORD_LEGAL_STATUS}),
    Role.TEAM_MANAGER: frozenset(
        _PRACTITIONER
        | {
            C.VIEW_AMHP_ROTA,
            C.RECORD_LEGAL_STATUS,
            C.ALLOCATE,
            C.VIEW_AUDIT,
            C.MANAGE_RESTRICTIONS,
            C.APPROVE_PLAN,
            C.VIEW_COMPLIANCE,
            C.VIEW_PERFORMANCE,
            C.END_AFTERCARE,
            C.VIEW_S117_REGISTER,
            C.DECIDE_SAFEGUARDING,
            C.VIEW_PARTNERSHIPS,
        }
    ),
    Role.SAFEGUARDING_LEAD: frozenset(
        _PRACTITIONER | {C.DECIDE_SAFEGUARDING, C.VIEW_PROVIDER_CONCERNS}
    ),
    Role.FINANCE_OFFICER: frozenset(
        {
            C.SEARCH_PEOPLE,
            C.VIEW_PERSON,
            C.BREAK_GLASS,
            C.ADD_CASE_NOTE,
            C.EDIT_FINANCIAL,
            C.HAS_CASELOAD,
            C.VIEW_S117_REGISTER,
            # Financial abuse is often first seen in a financial assessment.
            C.RAISE_CONCERN,
        }
    ),
    # NHS partners read the records of people their team shares care of; they cannot break glass
    # (their wider access comes through the FHIR API under a data-sharing agreement).
    # They raise safeguarding concerns about the people they share care of (a ward, a CMHT).
    Role.NHS_PARTNER: frozenset({C.SEARCH_PEOPLE, C.VIEW_PERSON, C.HAS_CASELOAD, C.RAISE_CONCERN}),
    # Commissioners and analysts work with providers and aggregate figures, not case records:
    # commissioners see the safeguarding concerns about the providers they commission, without
    # the people's identities.
    Role.COMMISSIONER: frozenset({C.VIEW_PROVIDER_CONCERNS, C.VIEW_PARTNERSHIPS}),
    Role.PERFORMANCE_ANALYST: frozenset(
        {
            C.VIEW_COMPLIANCE,
            C.EXPORT_RETURNS,
            C.VIEW_PERFORMANCE,
            C.VIEW_S117_REGISTER,
            C.VIEW_PARTNERSHIPS,
        }
    ),
    # Administrators answer "who looked at this record and why" for every person (the
    # Caldicott / data protection function) without reading the care record itself.
    Role.SYSTEM_ADMINISTRATOR: frozenset(
        {
            C.VIEW_AUDIT,
            C.VIEW_ALL_AUDIT,
            C.MANAGE_RESTRICTIONS,
            C.SEARCH_PEOPLE,
            C.CONFIGURE_RAS,
            C.SET_LOCAL_STANDARDS,
            C.VIEW_PARTNERSHIPS,
            C.MANAGE_PARTNERSHIPS,
        }
    ),
}


def can(worker, capability: Capability) -> bool:
    """Whether a signed-in worker's role allows an action (not whether they may see a person)."""
    if worker is None or not getattr(worker, "is_authenticated", False):
        return False
    role = getattr(worker, "role", "")
    if not role:
        return False
    return capability in ROLE_CAPABILITIES.get(Role(role), frozenset())
