"""THE permission matrix: every page, every role (and anonymous), every relationship the
worker can have with the person, for GET and POST.

The expectations are not a copy of status codes: :func:`expected` derives each cell from the
rules — which capability a page needs (``PAGES``), what each role may do
(``core.access.ROLE_CAPABILITIES``) and the relationship rules of ``casework.access``.
:func:`test_every_url_is_in_the_matrix` fails when a URL is added without a row here, so no
view can skip the matrix.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from carebridge.core.access import ROLE_CAPABILITIES, Capability, Role
from carebridge.core.models import AuditEvent
from carebridge.organisations.models import Worker
from carebridge.people.models import Person
from carebridge.rules import cld
from tests.core import form_data

from .conftest import (
    ALLOCATED,
    NONE,
    RELATIONSHIPS,
    RESTRICTED_NAMED,
    RESTRICTED_UNNAMED,
    TEAM,
    audit_since,
    data_fingerprint,
    last_audit_id,
    person_in_relationship,
)

C = Capability
ANONYMOUS = "anonymous"
PRINCIPALS = (*Role.values, ANONYMOUS)
GET, POST = "GET", "POST"


@dataclasses.dataclass(frozen=True)
class Page:
    methods: frozenset[str]  # the HTTP methods the view accepts
    capability: Capability | None = None  # what the role must allow (None: any signed-in worker)
    person: bool = False  # a page about one person, behind casework.guards.person_view
    public: bool = False  # open without signing in
    rule: str = ""  # a page with a rule of its own, see expected()


READ = frozenset({GET})
FORM = frozenset({GET, POST})
ACTION = frozenset({POST})

# Every named URL of the site (Django admin apart: see test_admin_*).
PAGES: dict[str, Page] = {
    "core:home": Page(READ, rule="home"),
    "core:sign-in": Page(FORM, public=True, rule="sign_in"),
    "core:sign-out": Page(ACTION, rule="sign_out"),
    "core:health": Page(READ, public=True),
    "core:keep-alive": Page(READ, rule="keep_alive"),
    "casework:caseload": Page(READ, C.HAS_CASELOAD, rule="caseload"),
    "casework:break-glass-report": Page(READ, C.VIEW_AUDIT),
    "people:search": Page(READ, C.SEARCH_PEOPLE),
    "people:create": Page(FORM, C.CREATE_PERSON),
    "people:detail": Page(READ, C.VIEW_PERSON, person=True),
    "people:edit": Page(FORM, C.EDIT_PERSON, person=True),
    "people:accommodation": Page(FORM, C.EDIT_PERSON, person=True),
    "people:employment": Page(FORM, C.EDIT_PERSON, person=True),
    "people:audit": Page(READ, C.VIEW_AUDIT, person=True, rule="team_page"),
    "people:add-carer": Page(FORM, C.EDIT_PERSON, person=True),
    "people:add-alert": Page(FORM, C.EDIT_PERSON, person=True),
    # offers of a carer's assessment, from either person's page (Care Act s10)
    "people:carer-offer": Page(FORM, C.ASSESS, person=True),
    "people:carer-offer-response": Page(FORM, C.ASSESS, person=True),
    "people:restriction": Page(FORM, C.MANAGE_RESTRICTIONS, person=True, rule="team_page"),
    "casework:allocate": Page(FORM, C.ALLOCATE, person=True),
    "casework:add-note": Page(FORM, C.ADD_CASE_NOTE, person=True),
    "casework:break-glass": Page(FORM, C.BREAK_GLASS, person=True, rule="break_glass"),
    "frontdoor:record-contact": Page(FORM, C.RECORD_CONTACT, person=True),
    # assessments
    "assessments:start": Page(FORM, C.ASSESS, person=True),
    "assessments:detail": Page(READ, C.VIEW_PERSON, person=True),
    "assessments:section": Page(FORM, C.ASSESS, person=True),
    "assessments:cancel": Page(FORM, C.ASSESS, person=True),
    "assessments:letter": Page(READ, C.VIEW_PERSON, person=True),
    # planning
    "planning:start": Page(FORM, C.ASSESS, person=True),
    "planning:detail": Page(READ, C.VIEW_PERSON, person=True),
    "planning:edit": Page(FORM, C.ASSESS, person=True),
    "planning:add-service": Page(FORM, C.ASSESS, person=True),
    "planning:remove-service": Page(ACTION, C.ASSESS, person=True),
    "planning:direct-payment": Page(FORM, C.ASSESS, person=True),
    "planning:submit": Page(ACTION, C.ASSESS, person=True),
    "planning:decide": Page(FORM, C.APPROVE_PLAN, person=True),
    "planning:pdf": Page(READ, C.VIEW_PERSON, person=True),
    "planning:request-review": Page(FORM, C.ASSESS, person=True),
    "planning:review": Page(FORM, C.ASSESS, person=True),
    "planning:approvals": Page(READ, C.APPROVE_PLAN),
    # GET: ASSESS, APPROVE_PLAN or CONFIGURE_RAS; POST (save a new version): CONFIGURE_RAS.
    "planning:ras": Page(FORM, C.CONFIGURE_RAS, rule="ras"),
    # finance
    "finance:overview": Page(READ, C.VIEW_PERSON, person=True),
    "finance:start": Page(FORM, C.EDIT_FINANCIAL, person=True),
    "finance:detail": Page(READ, C.VIEW_PERSON, person=True),
    "finance:edit": Page(FORM, C.EDIT_FINANCIAL, person=True),
    "finance:complete": Page(ACTION, C.EDIT_FINANCIAL, person=True),
    "finance:recalculate": Page(ACTION, C.EDIT_FINANCIAL, person=True),
    "finance:letter": Page(READ, C.VIEW_PERSON, person=True),
    # s117 aftercare (Mental Health Act 1983 s117, joint with the ICB; ADR 0022)
    "aftercare:overview": Page(READ, C.VIEW_PERSON, person=True),
    "aftercare:record-eligibility": Page(FORM, C.RECORD_AFTERCARE, person=True),
    "aftercare:plan": Page(FORM, C.RECORD_AFTERCARE, person=True),
    "aftercare:add-service": Page(FORM, C.RECORD_AFTERCARE, person=True),
    "aftercare:change-service": Page(FORM, C.RECORD_AFTERCARE, person=True),
    "aftercare:review": Page(FORM, C.RECORD_AFTERCARE, person=True),
    "aftercare:end": Page(FORM, C.END_AFTERCARE, person=True),
    # the s117 register: people with open aftercare (scoped inside) and its CSV
    "aftercare:register": Page(READ, C.VIEW_S117_REGISTER),
    "aftercare:register-csv": Page(READ, C.VIEW_S117_REGISTER),
    # statutory duties compliance: aggregate figures, lists of people (scoped inside), exports
    "duties:dashboard": Page(READ, C.VIEW_COMPLIANCE),
    "duties:dashboard-csv": Page(READ, C.VIEW_COMPLIANCE),
    "duties:people": Page(READ, C.VIEW_COMPLIANCE),
    "duties:people-csv": Page(READ, C.VIEW_COMPLIANCE),
    "duties:trends": Page(READ, C.VIEW_COMPLIANCE),
    "duties:trends-csv": Page(READ, C.VIEW_COMPLIANCE),
    # GET: VIEW_COMPLIANCE or SET_LOCAL_STANDARDS; POST (a new version): SET_LOCAL_STANDARDS.
    "duties:standards": Page(FORM, C.SET_LOCAL_STANDARDS, rule="standards"),
    "duties:withdraw-standard": Page(FORM, C.SET_LOCAL_STANDARDS),
    # the performance page (ADR 0019): stored aggregate figures and their downloads; the
    # person-level downloads and the refresh need EXPORT_RETURNS as well (see expected()).
    "performance:overview": Page(READ, C.VIEW_PERFORMANCE),
    "performance:ascof-csv": Page(READ, C.VIEW_PERFORMANCE),
    "performance:salt": Page(READ, C.VIEW_PERFORMANCE),
    "performance:salt-csv": Page(READ, C.VIEW_PERFORMANCE),
    "performance:readiness": Page(READ, C.VIEW_PERFORMANCE),
    "performance:failing-csv": Page(READ, C.VIEW_PERFORMANCE, rule="returns_export"),
    "performance:cld-file": Page(READ, C.VIEW_PERFORMANCE, rule="returns_export"),
    "performance:refresh": Page(ACTION, C.VIEW_PERFORMANCE, rule="returns_export"),
    # Mental Health Act work (ADR 0021): the AMHP service's queue (scoped inside), requests,
    # assessments and their reports (the AMHP's own), and the person's legal status.
    "mentalhealth:rota": Page(READ, C.VIEW_AMHP_ROTA),
    "mentalhealth:assessment-request": Page(FORM, C.REQUEST_MHA_ASSESSMENT, person=True),
    "mentalhealth:assessment": Page(READ, C.VIEW_PERSON, person=True),
    "mentalhealth:assessment-take": Page(ACTION, C.AMHP_ASSESS, person=True),
    "mentalhealth:assessment-allocate": Page(FORM, C.ALLOCATE, person=True),
    "mentalhealth:assessment-record": Page(FORM, C.AMHP_ASSESS, person=True),
    "mentalhealth:assessment-report": Page(FORM, C.AMHP_ASSESS, person=True),
    "mentalhealth:assessment-pdf": Page(READ, C.VIEW_PERSON, person=True),
    "mentalhealth:status-start": Page(FORM, C.RECORD_LEGAL_STATUS, person=True),
    "mentalhealth:status-end": Page(FORM, C.RECORD_LEGAL_STATUS, person=True),
    "mentalhealth:status-replace": Page(FORM, C.RECORD_LEGAL_STATUS, person=True),
    # safeguarding adults (Care Act 2014 s42): concerns raised from the person's record by
    # anyone who works with it (NHS partners included), decided and concluded by safeguarding
    # leads and team managers, enquiries carried out by practitioners.
    "safeguarding:raise-concern": Page(FORM, C.RAISE_CONCERN, person=True),
    "safeguarding:concern": Page(READ, C.SAFEGUARDING_ENQUIRY, person=True),
    "safeguarding:decide": Page(FORM, C.DECIDE_SAFEGUARDING, person=True),
    "safeguarding:enquiry": Page(READ, C.SAFEGUARDING_ENQUIRY, person=True),
    "safeguarding:enquiry-edit": Page(FORM, C.SAFEGUARDING_ENQUIRY, person=True),
    "safeguarding:outcomes": Page(FORM, C.SAFEGUARDING_ENQUIRY, person=True),
    "safeguarding:advocacy": Page(FORM, C.SAFEGUARDING_ENQUIRY, person=True),
    "safeguarding:add-action": Page(FORM, C.SAFEGUARDING_ENQUIRY, person=True),
    "safeguarding:add-meeting": Page(FORM, C.SAFEGUARDING_ENQUIRY, person=True),
    "safeguarding:plan": Page(FORM, C.SAFEGUARDING_ENQUIRY, person=True),
    "safeguarding:plan-review": Page(FORM, C.SAFEGUARDING_ENQUIRY, person=True),
    "safeguarding:conclude": Page(FORM, C.DECIDE_SAFEGUARDING, person=True),
    "safeguarding:overview": Page(READ, C.DECIDE_SAFEGUARDING),
    # The SAC figures: aggregate, for safeguarding deciders and the performance roles.
    "safeguarding:figures": Page(READ, rule="sac_figures"),
    # Concerns about providers, without the people: commissioners and safeguarding leads.
    "safeguarding:providers": Page(READ, C.VIEW_PROVIDER_CONCERNS),
    "safeguarding:provider": Page(READ, C.VIEW_PROVIDER_CONCERNS),
    # partnerships (NHS Act 2006 s75, ADR 0024): transfers and reallocations
    # Transfers list and reallocation: administrators, and team managers for their own team's
    # leavers (ALLOCATE); moving teams and workers: administrators only.
    "partnerships:transfers": Page(READ, rule="transfers"),
    "partnerships:reallocate": Page(FORM, rule="transfers"),
    "partnerships:transfer-teams": Page(FORM, C.MANAGE_PARTNERSHIPS),
    "partnerships:transfer-workers": Page(FORM, C.MANAGE_PARTNERSHIPS),
    "partnerships:transfer": Page(READ, C.MANAGE_PARTNERSHIPS),
    "partnerships:transfer-confirm": Page(ACTION, C.MANAGE_PARTNERSHIPS),
    "partnerships:transfer-cancel": Page(FORM, C.MANAGE_PARTNERSHIPS),
    "partnerships:transfer-csv": Page(READ, C.MANAGE_PARTNERSHIPS),
    "partnerships:continuity": Page(READ, C.VIEW_PARTNERSHIPS),
    "partnerships:continuity-csv": Page(READ, C.VIEW_PARTNERSHIPS),
    "partnerships:compare": Page(READ, C.VIEW_PARTNERSHIPS),
    "partnerships:compare-csv": Page(READ, C.VIEW_PARTNERSHIPS),
    # agreements and who hosts and employs each team and worker on a date
    "partnerships:overview": Page(READ, C.VIEW_PARTNERSHIPS),
    "partnerships:agreement": Page(READ, C.VIEW_PARTNERSHIPS),
    "partnerships:agreement-new": Page(FORM, C.MANAGE_PARTNERSHIPS),
    "partnerships:agreement-edit": Page(FORM, C.MANAGE_PARTNERSHIPS),
    "partnerships:agreement-extend": Page(FORM, C.MANAGE_PARTNERSHIPS),
    "partnerships:agreement-end": Page(FORM, C.MANAGE_PARTNERSHIPS),
    "partnerships:agreement-condition": Page(FORM, C.MANAGE_PARTNERSHIPS),
    "partnerships:agreement-condition-remove": Page(ACTION, C.MANAGE_PARTNERSHIPS),
    "partnerships:agreement-team": Page(FORM, C.MANAGE_PARTNERSHIPS),
    "partnerships:hosting": Page(READ, C.VIEW_PARTNERSHIPS),
    "partnerships:hosting-csv": Page(READ, C.VIEW_PARTNERSHIPS),
}


class Outcome(enum.Enum):
    """What the worker gets, with its HTTP status."""

    PAGE = 200
    NO_CONTENT = 204
    DONE = 302  # a redirect: after saving, or to where the worker should be
    SIGN_IN = "302 to sign in"
    WORK_KEPT = "302 to sign in, typed work kept"
    ROLE_REFUSED = "403: the role does not allow it"
    NO_RELATIONSHIP = "403: no relationship (break-glass offered where the role allows)"
    # The break-glass page itself: an offer, not a refusal (the page that sent the worker here
    # has already recorded the refusal), so no audit entry.
    BREAK_GLASS_FORM = "403: the break-glass form"
    NOT_FOUND = 404
    NOT_ALLOWED = 405
    INVALID = 400

    @property
    def status(self) -> int:
        if isinstance(self.value, int):
            return self.value
        return int(self.value[:3])


O = Outcome  # noqa: E741 - read as a table


def _caps(principal: str) -> frozenset[Capability]:
    return ROLE_CAPABILITIES[Role(principal)]


def held_by_own_team(relationship: str) -> bool:
    """Every role's worker is in team A; only NONE's person is held by team B."""
    return relationship != NONE


def expected(principal: str, view: str, relationship: str, method: str) -> Outcome:
    page = PAGES[view]
    if principal == ANONYMOUS:
        if not page.public:
            # LoginRequiredMiddleware; a POST is kept for after sign-in (ADR 0005).
            return O.WORK_KEPT if method == POST else O.SIGN_IN
        if method not in page.methods:
            return O.NOT_ALLOWED
        return O.INVALID if method == POST else O.PAGE  # the sign-in POST has no credentials
    if method not in page.methods:
        return O.NOT_ALLOWED
    caps = _caps(principal)
    if page.person:
        return _person_page(principal, page, caps, relationship, method)
    match page.rule:
        case "home":
            return O.DONE  # to the caseload
        case "sign_in":
            return O.DONE if method == GET else O.INVALID  # already signed in / no credentials
        case "sign_out":
            return O.DONE
        case "keep_alive":
            return O.NO_CONTENT
        case "ras":
            # Read by whoever prices or approves plans; changed only by an administrator.
            if method == POST:
                return O.DONE if C.CONFIGURE_RAS in caps else O.ROLE_REFUSED
            if caps & {C.ASSESS, C.APPROVE_PLAN, C.CONFIGURE_RAS}:
                return O.PAGE
            return O.ROLE_REFUSED
        case "standards":
            # Council policy, read beside the compliance figures; set only by an administrator.
            if method == POST:
                return O.DONE if C.SET_LOCAL_STANDARDS in caps else O.ROLE_REFUSED
            if caps & {C.VIEW_COMPLIANCE, C.SET_LOCAL_STANDARDS}:
                return O.PAGE
            return O.ROLE_REFUSED
        case "sac_figures":
            if caps & {C.DECIDE_SAFEGUARDING, C.VIEW_PERFORMANCE}:
                return O.PAGE
            return O.ROLE_REFUSED
        case "returns_export":
            # Person-level returns (and recomputing them): the page's roles with returns rights.
            if {C.VIEW_PERFORMANCE, C.EXPORT_RETURNS} <= caps:
                return O.PAGE if method == GET else O.DONE
            return O.ROLE_REFUSED
        case "transfers":
            # Administrators; team managers for their own team's leavers.
            if caps & {C.MANAGE_PARTNERSHIPS, C.ALLOCATE}:
                return O.PAGE if method == GET else O.DONE
            return O.ROLE_REFUSED
        case "caseload":
            # No caseload: workers who search are sent there, others see an explanation.
            if C.HAS_CASELOAD in caps or C.SEARCH_PEOPLE not in caps:
                return O.PAGE
            return O.DONE
    if page.capability is not None and page.capability not in caps:
        return O.ROLE_REFUSED
    return O.PAGE if method == GET else O.DONE


def _person_page(principal, page, caps, relationship, method) -> Outcome:
    if relationship == RESTRICTED_UNNAMED and page.rule != "team_page":
        return O.NOT_FOUND  # before the role check: a refusal by role would confirm it exists
    if page.capability not in caps:
        return O.ROLE_REFUSED  # checked before the relationship
    named = relationship == RESTRICTED_NAMED
    if page.rule == "team_page":
        # The audit log and restrictions need no relationship but have a rule of their own:
        # administrators, for every person; a team manager, for the people their team holds
        # now (restricted or not: they manage who is named on their team's records).
        if C.VIEW_ALL_AUDIT in caps:
            return O.PAGE if method == GET else O.DONE
        if principal == Role.TEAM_MANAGER and held_by_own_team(relationship):
            return O.PAGE if method == GET else O.DONE
        return O.ROLE_REFUSED
    if relationship == RESTRICTED_UNNAMED:
        return O.NOT_FOUND  # as if it did not exist; and no breaking glass into it
    related = relationship in (ALLOCATED, TEAM) or named
    if page.rule == "break_glass":
        if related:
            return O.DONE  # nothing to break: straight to the record
        return O.BREAK_GLASS_FORM if method == GET else O.DONE
    if not related:
        return O.NO_RELATIONSHIP
    return O.PAGE if method == GET else O.DONE


@pytest.fixture
def county(shared_county, db):
    """~900 cells: the county is built once for the module (see shared_county)."""
    return shared_county


# -- the cells ---------------------------------------------------------------------------------


def _cells():
    for view, page in PAGES.items():
        for principal in PRINCIPALS:
            for method in (GET, POST):
                if not page.person:
                    yield pytest.param(
                        view, principal, "-", method, id=f"{view}|{principal}|{method}"
                    )
                    continue
                # The relationship only matters once signed in, with a method the page
                # accepts, for a role the page allows: the guard checks the role first, so a
                # refused role is refused alike for an ordinary and for a hidden record.
                if principal == ANONYMOUS or method not in page.methods:
                    rels = (TEAM,)
                elif page.capability not in _caps(principal):
                    rels = (TEAM, RESTRICTED_UNNAMED)
                else:
                    rels = RELATIONSHIPS
                for rel in rels:
                    yield pytest.param(
                        view, principal, rel, method, id=f"{view}|{principal}|{rel}|{method}"
                    )


def _page_setup(view: str, county) -> tuple[list, dict[str, str] | None]:
    """For a page about no person whose URL names something (a local standard): make it, and
    return (the URL's arguments, a minimal valid body, or None to use _body)."""
    if view.startswith("performance:"):
        from carebridge.returns import performance

        performance.refresh(performance.recent_years(timezone.localdate(), 1))
        return (["LTS001a"] if view == "performance:salt-csv" else []), None
    if (
        view.startswith("partnerships:") and "transfer" in view
    ) or view == "partnerships:reallocate":
        from tests.partnerships.matrix import transfer_setup

        return transfer_setup(view, county)
    if view.startswith("partnerships:agreement"):
        return _agreement_setup(view, county)
    if view == "safeguarding:provider":
        from tests.planning.factories import ProviderFactory

        return [ProviderFactory().pk], None
    if view != "duties:withdraw-standard":
        return [], None
    from carebridge.duties.models import LocalStandard

    later = timezone.localdate() + dt.timedelta(days=30)
    LocalStandard.objects.create(
        duty_id="assessment-after-request", effective_from=later, days=20, note="Cabinet"
    )
    body = {"reason": "The date was mistyped", "submission_token": form_data.token()}
    return ["assessment-after-request", later.isoformat()], body


def _agreement_setup(view: str, county) -> tuple[list, dict[str, str] | None]:
    """An agreement between the county's council and trust, and a valid body for the page."""
    from carebridge.partnerships.models import Agreement, PerformanceCondition

    token = {"submission_token": form_data.token()}
    body = {
        "reference": "S75-NEW", "title": "Mental health s75", "council": str(county.council.pk),
        "partner": str(county.trust.pk), "functions": ["assessment", "reviews"],
        **form_data.date_parts("starts_on", dt.date(2024, 4, 1)), **token,
    }  # fmt: skip
    if view == "partnerships:agreement-new":
        return [], body
    a = Agreement.objects.create(
        reference="S75-MATRIX", title="Matrix s75", council=county.council, partner=county.trust,
        functions=["assessment"], starts_on=dt.date(2024, 4, 1), ends_on=dt.date(2029, 3, 31),
    )  # fmt: skip
    match view:
        case "partnerships:agreement-edit":
            return [a.pk], {**body, "version": str(a.version)}
        case "partnerships:agreement-extend":
            return [a.pk], {
                **form_data.date_parts("new_ends_on", dt.date(2031, 3, 31)),
                **form_data.date_parts("agreed_on", dt.date(2025, 1, 6)),
                "version": str(a.version), **token,
            }  # fmt: skip
        case "partnerships:agreement-end":
            return [a.pk], {
                **form_data.date_parts("terminated_on", dt.date(2026, 3, 31)),
                "reason": "Brought back in house", "version": str(a.version), **token,
            }  # fmt: skip
        case "partnerships:agreement-condition":
            return [a.pk], {"measure": "annual-review", "target": "85", **token}
        case "partnerships:agreement-condition-remove":
            c = PerformanceCondition.objects.create(agreement=a, measure="annual-review", target=85)
            return [a.pk, c.pk], {}
        case "partnerships:agreement-team":
            return [a.pk], {"team": str(county.team_a.pk), **token}
    return [a.pk], None


def _setup(view: str, county, person) -> tuple[list, dict[str, str] | None]:
    """For a person page whose URL names more than the person (a plan, an assessment...): make
    what it is about, in the state the page acts on, and return (the rest of the URL's
    arguments, a minimal valid body, or None to use _body)."""
    if view.startswith("assessments:"):
        return _assessment_setup(view, county, person)
    if view.startswith("finance:"):
        return _finance_setup(view, county, person)
    if view.startswith("people:carer-offer"):
        return _carer_offer_setup(view, county, person)
    if view.startswith("mentalhealth:"):
        from tests.mha.matrix import setup as mha_setup

        return mha_setup(view, county, person)
    if view.startswith("aftercare:"):
        return _aftercare_setup(view, county, person)
    if view.startswith("safeguarding:"):
        return _safeguarding_setup(view, county, person)
    if not view.startswith("planning:"):
        return [], None
    from carebridge.planning.models import CarePlan
    from tests.planning.factories import (
        CarePlanFactory,
        DeterminationFactory,
        PlannedServiceFactory,
    )

    author = county.workers[Role.SOCIAL_WORKER]
    token = form_data.token()
    today = timezone.localdate()
    if view == "planning:start":
        determination = DeterminationFactory(assessment__person=person, assessment__assessor=author)
        return [determination.assessment.pk], {"submission_token": token}
    status = {
        "planning:decide": CarePlan.Status.SUBMITTED,
        "planning:request-review": CarePlan.Status.APPROVED,
        "planning:review": CarePlan.Status.APPROVED,
    }.get(view, CarePlan.Status.DRAFT)
    plan = CarePlanFactory(
        person=person, created_by=author, status=status,
        approved_on=today if status == CarePlan.Status.APPROVED else None,
    )  # fmt: skip
    service = PlannedServiceFactory(
        plan=plan,
        delivery_mechanism="Direct payment" if view == "planning:direct-payment" else (
            "CASSR commissioned support"
        ),
    )  # fmt: skip
    version = {"version": str(plan.version), "submission_token": token}
    match view:
        case "planning:remove-service":
            return [plan.pk, service.pk], version
        case "planning:edit":
            body = {
                "outcomes_wanted": "To stay at home", "contingency_plan": "Sister steps in",
                **form_data.date_parts("start_date", today), **version,
            }  # fmt: skip
            for key in plan.needs:
                body[f"need-{key}-how_met"] = "Home care visits"
                body[f"need-{key}-means"] = "commissioned_services"
            return [plan.pk], body
        case "planning:add-service":
            return [plan.pk], {
                "description": "Day centre on Tuesdays",
                "service_type": "Long term support: Community",
                "service_component": "Day support",
                "delivery_mechanism": "CASSR commissioned support",
                "unit_cost": "42.00", "cost_frequency": "Per session",
                "planned_units_per_week": "1", **version,
            }  # fmt: skip
        case "planning:direct-payment":
            return [plan.pk], {
                **form_data.date_parts("start_date", today),
                "paid_to": "person",
                **version,
            }
        case "planning:decide":
            return [plan.pk], {"decision": "approve", **version}
        case "planning:request-review":
            return [plan.pk], {
                **form_data.date_parts("requested_on", today), "requested_by": "Her sister",
                "reason": "Falls at night", "submission_token": token,
            }  # fmt: skip
        case "planning:review":
            return [plan.pk], {
                **form_data.date_parts("completed_on", today),
                "method_of_review": "Service User Only", "outcomes_achieved": "Eating well",
                "cld_outcomes_achieved": "Fully Met",
                "cld_outcome": "Continuation of support or services",
                "leads_to_reassessment": "no", "submission_token": token,
            }  # fmt: skip
    return [plan.pk], version


def _assessment_setup(view: str, county, person) -> tuple[list, dict[str, str] | None]:
    from carebridge.assessments.models import Assessment
    from tests.planning.factories import AssessmentFactory, DeterminationFactory

    author = county.workers[Role.SOCIAL_WORKER]
    if view == "assessments:start":
        return [], {"kind": "adult"}
    if view in ("assessments:detail", "assessments:letter"):
        determination = DeterminationFactory(assessment__person=person, assessment__assessor=author)
        return [determination.assessment.pk], {}
    draft = AssessmentFactory(person=person, assessor=author, status=Assessment.Status.DRAFT)
    if view == "assessments:section":
        return [draft.pk, "needs"], {
            "version": str(draft.version),
            "impairment_or_illness": "Schizophrenia",
            "action": "continue",
        }
    return [draft.pk], {"reason": "Moved out of the county"}


def _carer_offer_setup(view: str, county, person) -> tuple[list, dict[str, str] | None]:
    """An offer from the cared-for person's page; a response from the carer's."""
    from tests.people.factories import CarerOfferFactory, CarerRelationshipFactory

    worker = county.workers[Role.SOCIAL_WORKER]  # in team A, like every principal
    if view == "people:carer-offer":
        rel = CarerRelationshipFactory(cared_for=person)
        return [rel.pk], form_data.carer_offer(worker)
    offer = CarerOfferFactory(
        relationship=CarerRelationshipFactory(carer=person), offered_by=worker
    )
    return [offer.pk], form_data.carer_response(offer.version)


def _aftercare_setup(view: str, county, person) -> tuple[list, dict[str, str] | None]:
    """A person discharged after s3; open aftercare with a funded home care service."""
    from carebridge.planning.models import CarePlan
    from tests.aftercare.factories import EpisodeFactory, FundingFactory, IcbFactory, discharged_s3
    from tests.planning.factories import CarePlanFactory, PlannedServiceFactory

    worker = county.workers[Role.SOCIAL_WORKER]  # in team A, like every principal
    token = {"submission_token": form_data.token()}
    today = timezone.localdate()
    if view == "aftercare:record-eligibility":
        detention = discharged_s3(person)
        return [detention.pk], {
            "council": str(county.council.pk), "icb": str(IcbFactory().pk),
            "residence_basis": "address_before_detention", "residence_address": "4 Mill Lane",
            "disputed": "no", **token,
        }  # fmt: skip
    episode = EpisodeFactory(person=person, responsible_council=county.council)
    if view == "aftercare:overview":
        return [], {}
    if view == "aftercare:plan":
        return [episode.pk], {
            "needs": "Medication support", "reduces_risk": "Early signs noticed",
            "council_worker": str(worker.pk), "icb_representative": "Dr Shah",
            **form_data.date_parts("agreed_on", today), **token,
        }  # fmt: skip
    if view == "aftercare:review":
        return [episode.pk], {
            **form_data.date_parts("held_on", today), "council_attendees": "Sam",
            "icb_attendees": "Dr Shah", "outcome": "continue", **token,
        }  # fmt: skip
    if view == "aftercare:end":
        return [episode.pk], {
            **form_data.date_parts("decided_on", today), "council_decision_maker": "Terry",
            "council_agrees": "yes", "icb_decision_maker": "Dr Shah", "icb_agrees": "yes",
            "reasons": "Well for a year", "version": str(episode.version), **token,
        }  # fmt: skip
    plan = CarePlanFactory(
        person=person, created_by=worker, status=CarePlan.Status.APPROVED, approved_on=today
    )
    service = PlannedServiceFactory(plan=plan)
    split = {"given_as": "percentages", "council_percent": "50", "icb_percent": "50", **token}
    if view == "aftercare:add-service":
        return [episode.pk], {"planned_service": str(service.pk), **split}
    funding = FundingFactory(episode=episode, planned_service=service)
    return [episode.pk, funding.pk], {"version": str(funding.version), **split}


def _safeguarding_setup(view: str, county, person) -> tuple[list, dict[str, str] | None]:
    """A concern about the person (raised by a team B worker); for the enquiry pages, decided
    into a section 42 enquiry led by team B's worker (so that no principal leads it: a lead
    enquirer has a relationship of their own), ready to conclude, with a plan in place."""
    from carebridge.rules import safeguarding as sg
    from carebridge.safeguarding import services as sg_services
    from carebridge.safeguarding.models import Enquiry
    from tests.safeguarding import factories as sgf

    today = timezone.localdate()
    token = form_data.token()
    if view == "safeguarding:raise-concern":
        return [], {
            **form_data.date_parts("received_on", today - dt.timedelta(days=1)),
            "received_time": "09:30",
            "raised_by_name": "Ward sister", "source": "nhs_hospital_ward",
            "details": "Bruising on admission", "risk_types": "physical",
            "location_of_risk": "own_home", "source_of_risk": sg.KNOWN,
            "submission_token": token,
        }  # fmt: skip
    manager = county.manager_b
    concern = sgf.raise_concern(manager, person)
    if view == "safeguarding:concern":
        return [concern.pk], {}
    if view == "safeguarding:decide":
        return [concern.pk], {
            **{k: "yes" for k in sg.CRITERION_KEYS},
            **{f"{k}_reason": "Because" for k in sg.CRITERION_KEYS},
            "result": sg.S42_ENQUIRY, **form_data.date_parts("decided_on", today),
            "lead_enquirer": str(county.worker_b.pk), "submission_token": token,
        }  # fmt: skip
    sgf.decide(manager, concern, lead_enquirer=county.worker_b)
    enquiry = Enquiry.objects.get(concern=concern)
    enquiry = sgf.ready_to_conclude(manager, enquiry)
    sg_services.save_plan(
        manager, enquiry, version=None, details="Daily visits", started_on=today, review_due=None
    )
    enquiry.refresh_from_db()
    version = {"version": str(enquiry.version), "submission_token": token}
    match view:
        case "safeguarding:enquiry":
            return [enquiry.pk], {}
        case "safeguarding:enquiry-edit":
            return [enquiry.pk], {
                "lead_enquirer": str(county.worker_b.pk), "enquiry_plan": "Visit; see bank",
                **version,
            }  # fmt: skip
        case "safeguarding:outcomes":
            return [enquiry.pk], {
                "msp_asked": sg.MSP_NONE_EXPRESSED,
                **form_data.date_parts("outcomes_asked_on", today), **version,
            }  # fmt: skip
        case "safeguarding:advocacy":
            return [enquiry.pk], {"substantial_difficulty": "yes", "appropriate_person":
                                  "Her sister", **version}  # fmt: skip
        case "safeguarding:add-action":
            return [enquiry.pk], {
                **form_data.date_parts("taken_on", today), "description": "Home visit",
                "submission_token": token,
            }  # fmt: skip
        case "safeguarding:add-meeting":
            return [enquiry.pk], {
                **form_data.date_parts("held_on", today), "attendees": "Police, ward",
                "decisions": "Police to interview", "submission_token": token,
            }  # fmt: skip
        case "safeguarding:plan":
            return [enquiry.pk], {
                "details": "Daily visits; bank alerted", "version": str(enquiry.plan.version),
                **form_data.date_parts("started_on", today), "submission_token": token,
            }  # fmt: skip
        case "safeguarding:plan-review":
            return [enquiry.pk], {
                **form_data.date_parts("reviewed_on", today), "notes": "Safe now",
                "outcome": "close", "submission_token": token,
            }  # fmt: skip
    return [enquiry.pk], {
        **form_data.date_parts("concluded_on", today), "risk_outcome": sg.RISK_REDUCED,
        "msp_achieved": sg.ACHIEVED_PARTIALLY, "plan_after": sg.PLAN_CLOSE, **version,
    }  # fmt: skip


def _finance_setup(view: str, county, person) -> tuple[list, dict[str, str] | None]:
    from carebridge.planning.models import CarePlan
    from tests.finance.factories import (
        ChargeDecisionFactory,
        CompletedAssessmentFactory,
        FinancialAssessmentFactory,
    )
    from tests.planning.factories import CarePlanFactory, PlannedServiceFactory

    officer = county.workers[Role.FINANCE_OFFICER]
    token = form_data.token()
    if view == "finance:overview":
        return [], {}
    if view == "finance:start":
        return [], {
            "kind": "full", "financial_year": "2025-26", "setting": "non_residential",
            "submission_token": token,
        }  # fmt: skip
    if view in ("finance:edit", "finance:complete"):
        draft = FinancialAssessmentFactory(person=person, started_by=officer)
        version = {"version": str(draft.version), "submission_token": token}
        if view == "finance:complete":
            return [draft.pk], version
        return [draft.pk], {
            "financial_year": "2025-26", "setting": "non_residential", "age": "78",
            "couple": "no", "capital_savings": "3000.00", "income-0-type": "state_pension",
            "income-0-amount": "230.25", "weekly_care_cost": "257.60", "s117": "no",
            "evidence": "Pension statements", "income_rows": "8", "action": "save",
            **form_data.date_parts("effective_from", dt.date(2025, 4, 7)), **version,
        }  # fmt: skip
    fa = CompletedAssessmentFactory(person=person, started_by=officer)
    ChargeDecisionFactory(
        person=person, financial_assessment=fa, weekly_care_cost=Decimal("200.00")
    )
    if view == "finance:recalculate":
        # The plan in force now costs more than the charge was worked out on.
        plan = CarePlanFactory(
            person=person, created_by=county.workers[Role.SOCIAL_WORKER],
            status=CarePlan.Status.APPROVED, approved_on=timezone.localdate(),
        )  # fmt: skip
        PlannedServiceFactory(plan=plan)
        return [fa.pk], {"submission_token": token}
    return [fa.pk], {}


def _body(view: str, county, person) -> dict[str, str]:
    """A minimal valid body: what would be saved if the worker were allowed."""
    match view:
        case "people:create":
            return form_data.new_person()
        case "people:edit":
            return form_data.edit_person(person)
        case "people:accommodation":
            return form_data.status(cld.ACCOMMODATION_STATUS)
        case "people:employment":
            return form_data.status(cld.EMPLOYMENT_STATUS)
        case "casework:allocate":
            return form_data.allocation(county.team_b)
        case "casework:add-note":
            return form_data.case_note()
        case "casework:break-glass":
            return form_data.break_glass()
        case "frontdoor:record-contact":
            return form_data.contact()
        case "people:add-carer":
            return form_data.carer(county.person_a)
        case "people:add-alert":
            return form_data.alert()
        case "planning:ras":
            from carebridge.rules.eligibility import ADULT_LIMBS, ADULT_OUTCOMES

            return {
                **{f"outcome-{k}": "10" for k in ADULT_OUTCOMES},
                **{f"limb-{k}": "2" for k in ADULT_LIMBS},
                "bands": "0: 0.00\n10: 120.00",
                **form_data.date_parts("effective_from", timezone.localdate()),
                "submission_token": form_data.token(),
            }
        case "duties:standards":
            return {
                "duty": "assessment-after-request",
                **form_data.date_parts("effective_from", timezone.localdate()),
                "amount": "20",
                "unit": "working_days",
                "note": "Cabinet, 12 November 2026",
                "submission_token": form_data.token(),
            }
        case "people:restriction":
            current = person.allocations.get(ended_at__isnull=True)
            in_team = county.worker_b if current.team_id == county.team_b.pk else None
            return form_data.restriction(in_team or county.workers[Role.SOCIAL_WORKER])
    return {}


def _check_redirect(response, view, principal, person, method):
    location = response["Location"]
    if view in ("core:home", "core:sign-in"):
        assert location == reverse("casework:caseload")
    elif view == "core:sign-out":
        assert location == reverse("core:sign-in")
    elif view == "casework:caseload":
        assert location == reverse("people:search")
    elif view == "people:restriction":
        assert location == reverse("people:restriction", args=[person.person_id])
    elif view in ("assessments:start", "assessments:section"):
        from carebridge.assessments.models import Assessment

        a = Assessment.objects.filter(person=person).order_by("-pk").first()
        prefix = reverse("assessments:detail", args=[person.person_id, a.pk])
        assert location.startswith(prefix) and location != prefix
    elif view in ("finance:start", "finance:edit"):
        from carebridge.finance.models import FinancialAssessment

        fa = FinancialAssessment.objects.filter(person=person).order_by("-pk").first()
        assert location == reverse("finance:edit", args=[person.person_id, fa.pk])
    elif view.startswith("finance:"):
        from carebridge.finance.models import FinancialAssessment

        fa = FinancialAssessment.objects.filter(person=person).order_by("-pk").first()
        assert location == reverse("finance:detail", args=[person.person_id, fa.pk])
    elif view == "planning:ras":
        assert location == reverse("planning:ras")
    elif view.startswith("partnerships:agreement"):
        from carebridge.partnerships.models import Agreement

        a = Agreement.objects.order_by("-pk").first()
        assert location.startswith(reverse("partnerships:agreement", args=[a.pk]))
    elif view == "performance:refresh":
        assert location == reverse("performance:overview")
    elif view in ("duties:standards", "duties:withdraw-standard"):
        assert location == reverse("duties:standards") + "#duty-assessment-after-request"
    elif view.startswith("planning:"):
        from carebridge.planning.models import CarePlan

        plan = CarePlan.objects.filter(person=person).order_by("-pk").first()
        assert location.startswith(reverse("planning:detail", args=[person.person_id, plan.pk]))
    elif view == "safeguarding:raise-concern":
        assert location == reverse("people:detail", args=[person.person_id]) + "#safeguarding"
    elif view.startswith("safeguarding:"):
        from carebridge.safeguarding.models import Enquiry

        enquiry = Enquiry.objects.get(person=person)
        anchor = {
            "safeguarding:add-action": "#actions",
            "safeguarding:add-meeting": "#meetings",
            "safeguarding:plan": "#plan",
            "safeguarding:plan-review": "#plan",
        }.get(view, "")
        assert location == (
            reverse("safeguarding:enquiry", args=[person.person_id, enquiry.pk]) + anchor
        )
    elif view.startswith("people:carer-offer"):
        assert location == reverse("people:detail", args=[person.person_id]) + "#carers"
    elif view.startswith("mentalhealth:status-"):
        assert location == reverse("people:detail", args=[person.person_id]) + "#mental-health-act"
    elif view.startswith("mentalhealth:"):
        from carebridge.mentalhealth.models import MHAAssessment

        a = MHAAssessment.objects.filter(person=person).order_by("-pk").first()
        assert location == reverse("mentalhealth:assessment", args=[person.person_id, a.pk])
    elif view.startswith("aftercare:"):
        assert location == reverse("aftercare:overview", args=[person.person_id])
    elif view.startswith("partnerships:"):
        assert location.startswith("/partnerships/")
    elif view == "people:create":
        new = Person.objects.order_by("-pk").first()
        assert location == reverse("people:detail", args=[new.person_id])
    else:
        assert location == reverse("people:detail", args=[person.person_id])


@pytest.mark.parametrize(("view", "principal", "relationship", "method"), list(_cells()))
def test_matrix(client, county, view, principal, relationship, method):
    page = PAGES[view]
    worker = None if principal == ANONYMOUS else county.workers[principal]
    person = person_in_relationship(county, worker, relationship) if page.person else None
    more, data = _setup(view, county, person) if person else _page_setup(view, county)
    url = reverse(view, args=[person.person_id, *more] if person else more)
    if worker is not None:
        client.force_login(worker)
    want = expected(principal, view, relationship, method)
    before, mark = data_fingerprint(), last_audit_id()

    if data is None:
        data = _body(view, county, person)
    response = client.get(url) if method == GET else client.post(url, data)

    assert response.status_code == want.status, (
        f"{principal} {method} {view} ({relationship}): expected {want.name}"
    )
    # errors="replace": a letter is a PDF, not text (names in it are compressed, so never seen).
    body = response.content.decode(errors="replace") if response.status_code != 302 else ""
    written = data_fingerprint() != before
    events = list(audit_since(mark))

    if want is O.SIGN_IN:
        split = urlsplit(response["Location"])
        assert split.path == reverse("core:sign-in")
        assert parse_qs(split.query)["next"] == [url]
    if want is O.WORK_KEPT:
        split = urlsplit(response["Location"])
        assert split.path == reverse("core:sign-in")
        assert parse_qs(split.query) == {"next": [url], "timed_out": ["1"]}
    if want is O.DONE:
        _check_redirect(response, view, principal, person, method)
    if principal == ANONYMOUS:
        assert not written and not events

    # Writes: only an allowed POST writes; every refusal leaves the data as it was.
    saves = (
        method == POST
        and want is O.DONE
        and (
            page.person
            or view
            in (
                "people:create",
                "planning:ras",
                "duties:standards",
                "duties:withdraw-standard",
                "performance:refresh",
                "partnerships:reallocate",
                "partnerships:transfer-teams",
                "partnerships:transfer-workers",
                "partnerships:transfer-cancel",
                "partnerships:agreement-new",
                "partnerships:agreement-edit",
                "partnerships:agreement-extend",
                "partnerships:agreement-end",
                "partnerships:agreement-condition",
                "partnerships:agreement-condition-remove",
                "partnerships:agreement-team",
            )
        )
    )
    if view == "casework:break-glass" and relationship != NONE:
        saves = False  # nothing to break: the worker already has a relationship
    assert written == saves

    if not page.person:
        return
    views_ = [e for e in events if e.action == AuditEvent.Action.VIEW]
    refusals = [e for e in events if e.action == AuditEvent.Action.ACCESS_REFUSED]
    if want is O.PAGE:
        # Each successful GET of a person page is one "view" of that person in the audit log.
        assert [(e.person_id, e.actor_id) for e in views_] == [(person.pk, worker.pk)]
        assert not refusals
    else:
        assert not views_
    if want in (O.ROLE_REFUSED, O.NO_RELATIONSHIP, O.NOT_FOUND):
        assert [(e.person_id, e.actor_id) for e in refusals] == [(person.pk, worker.pk)]
    if want is O.NOT_FOUND:
        assert person.family_name not in body  # not a hint that the record exists
    if want is O.NO_RELATIONSHIP:
        offered = 'data-testid="break-glass-form"' in body
        assert offered == (C.BREAK_GLASS in _caps(principal))
        assert person.full_name in body
    if want is O.BREAK_GLASS_FORM:
        assert 'data-testid="break-glass-form"' in body


# -- no view skips the matrix ------------------------------------------------------------------


def _patterns(resolvers=None, namespace="", prefix=""):
    for p in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _patterns(p.url_patterns, ns, prefix + str(p.pattern))
        else:
            assert isinstance(p, URLPattern)
            yield (f"{namespace}{p.name}" if p.name else None), prefix + str(p.pattern)


def test_every_url_is_in_the_matrix():
    site = [(name, route) for name, route in _patterns() if not route.startswith("admin/")]
    unnamed = [route for name, route in site if name is None]
    assert not unnamed, f"URL patterns without a name cannot be put in the matrix: {unnamed}"
    names = {name for name, _ in site}
    missing = names - set(PAGES)
    assert not missing, f"Add these views to the permission matrix (PAGES): {sorted(missing)}"
    stale = set(PAGES) - names
    assert not stale, f"The matrix names views that no longer exist: {sorted(stale)}"
    admin = {name for name, route in _patterns() if route.startswith("admin/")}
    assert admin and all(n is None or n.startswith("admin:") for n in admin)


def test_matrix_covers_every_role():
    assert set(PRINCIPALS) == {*Role.values, ANONYMOUS}
    assert set(ROLE_CAPABILITIES) == set(Role)
    cells = list(_cells())
    # 9 roles + anonymous, both methods, for every page.
    for view in PAGES:
        assert {c.values[1] for c in cells if c.values[0] == view} == set(PRINCIPALS)
    # Every kind of outcome is expected somewhere: the rules are not degenerate.
    assert {expected(p, v, r, m) for v, p, r, m in (c.values for c in cells)} == set(Outcome)


def test_unknown_person_is_not_found(client, county):
    client.force_login(county.workers[Role.SOCIAL_WORKER])
    for view, page in PAGES.items():
        if page.person:
            send = client.get if GET in page.methods else client.post
            assert send(_url_for_unknown(view)).status_code == 404


def _url_for_unknown(view: str) -> str:
    for more in ([], [1], [1, 1]):
        try:
            return reverse(view, args=["P9999999", *more])
        except NoReverseMatch:
            continue
    raise AssertionError(f"Cannot build a URL for {view}")


# -- Django admin ------------------------------------------------------------------------------


def test_admin_anonymous_is_sent_to_sign_in(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response["Location"] or "sign-in" in response["Location"]


@pytest.mark.parametrize("principal", Role.values)
def test_admin_only_for_staff_administrators(client, county, principal):
    worker = county.workers[principal]
    client.force_login(worker)
    response = client.get("/admin/")
    if principal == Role.SYSTEM_ADMINISTRATOR:
        assert worker.is_staff
        assert response.status_code == 200
    else:
        assert not worker.is_staff
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_admin_needs_is_staff_not_just_the_role(client, county):
    admin = Worker.objects.get(pk=county.workers[Role.SYSTEM_ADMINISTRATOR].pk)
    admin.is_staff = False
    admin.save()
    client.force_login(admin)
    assert client.get("/admin/").status_code == 302
