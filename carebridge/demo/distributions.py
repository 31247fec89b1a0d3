"""Weighted choices for the synthetic county, each keyed by a value from its code list.

Every table is checked when this module is imported: a key that is not in ``cld.codes(field)`` (or
in the named local code list) raises, so the generator can never write a value the application
would reject. Where a weight comes from a published figure the source is named beside it
(``/work/shared/reference/volumes.md`` is the project's digest of them); figures marked [est] are
our own estimates, chosen to give a plausible county and easy to correct here.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterable, Mapping
from itertools import accumulate

from carebridge.rules import cld
from carebridge.rules import local_codes as lc


class Weighted:
    """A fixed discrete distribution over values; ``pick(rng)`` is one ``rng.random()`` call."""

    __slots__ = ("_cum", "_total", "values")

    def __init__(self, weights: Mapping[str, float], *, allowed: Iterable[str], name: str):
        allowed_set = set(allowed)
        unknown = [v for v in weights if v not in allowed_set]
        if unknown:
            raise ValueError(f"{name}: {unknown!r} not in its code list")
        if not weights or any(w < 0 for w in weights.values()):
            raise ValueError(f"{name}: weights must be non-negative and not empty")
        self.values: tuple[str, ...] = tuple(weights)
        self._cum = list(accumulate(weights.values()))
        self._total = self._cum[-1]

    def pick(self, rng: random.Random) -> str:
        return self.values[bisect.bisect_right(self._cum, rng.random() * self._total)]


def cld_table(field: str, weights: Mapping[str, float]) -> Weighted:
    return Weighted(weights, allowed=cld.codes(field), name=field)


def local_table(codes: tuple[tuple[str, str], ...], weights: Mapping[str, float], name: str):
    return Weighted(weights, allowed=[c for c, _ in codes], name=name)


def require(field: str, *values: str) -> None:
    """Raise unless every value is in the CLD code list of ``field``."""
    missing = [v for v in values if v not in cld.codes(field)]
    if missing:
        raise ValueError(f"{field}: {missing!r} not in its code list")


# --- Person ------------------------------------------------------------------------------------

# Gender of adults known to social care: women are the majority, mostly because of the older
# age profile (ASC-AFR 2023-24 LTS tables show about 58% female) [est for this county].
GENDER = cld_table(cld.GENDER, {"Female": 57.0, "Male": 42.6, "Other": 0.1, "Unknown": 0.3})

# Ethnicity: an English shire county (Census 2021 for Norfolk: about 92% White British, 4% other
# White, the rest Asian, Mixed, Black and other groups) plus a share not recorded [est].
ETHNICITY = cld_table(
    cld.ETHNICITY,
    {
        "White: English, Welsh, Scottish, Northern Irish or British": 88.0,
        "White: Irish": 0.6,
        "White: Gypsy or Irish Traveller": 0.2,
        "White: Roma": 0.05,
        "White: Any other White background": 3.6,
        "Mixed or multiple ethnic groups: White and Black Caribbean": 0.3,
        "Mixed or multiple ethnic groups: White and Black African": 0.15,
        "Mixed or multiple ethnic groups: White and Asian": 0.3,
        "Mixed or multiple ethnic groups: Any other Mixed or multiple ethnic background": 0.3,
        "Asian or Asian British: Indian": 0.5,
        "Asian or Asian British: Pakistani": 0.15,
        "Asian or Asian British: Bangladeshi": 0.15,
        "Asian or Asian British: Chinese": 0.25,
        "Asian or Asian British: Any other Asian background": 0.4,
        "Black, Black British, Caribbean or African: African": 0.45,
        "Black, Black British, Caribbean or African: Caribbean": 0.15,
        "Black, Black British, Caribbean or African: "
        "Any other Black, Black British or Caribbean background": 0.1,
        "Other ethnic group: Arab": 0.1,
        "Other ethnic group: Any other ethnic group": 0.25,
        "No data: Refused": 0.6,
        "No data: Undeclared or not known": 3.3,
    },
)

# Profiles: how a person's 3.5-year history runs.
LEGACY_LTS = "legacy_lts"  # already on long-term support when the history starts
NEW_LTS = "new_lts"  # requests, is assessed and starts long-term support in the window
SHORT_TERM = "short_term"  # reablement (ST-Max) or other short-term support, then no LTS
ASSESSED = "assessed"  # assessed, no services (information, declined, self-funding...)
REQUEST_ONLY = "request_only"  # requests that end at the front door
PROFILES = (LEGACY_LTS, NEW_LTS, SHORT_TERM, ASSESSED, REQUEST_ONLY)

# Primary support reason of everyone who is not an unpaid carer. The long-term support mix in
# England (ASC-AFR 2022-23, LTS001a: physical support about half, learning disability about one
# in six, mental health about one in eight, memory and cognition about one in ten) shifted
# towards mental health, the focus of this product, and widened for people who only make
# requests [est]. "Unknown" is applied later, to request-only journeys.
PSR = cld_table(
    cld.PRIMARY_SUPPORT_REASON,
    {
        "Physical Support: Personal care support": 40.0,
        "Physical support: Access and mobility only": 6.0,
        "Mental health support": 18.0,
        "Learning disability support": 9.0,
        "Support with memory and cognition": 11.0,
        "Sensory Support: Support for visual impairment": 1.6,
        "Sensory Support: Support for hearing impairment": 1.0,
        "Sensory Support: Support for dual impairment": 0.3,
        "Social support: Substance misuse support": 2.6,
        "Social Support: Asylum seeker support": 0.3,
        "Social support: Support for social isolation or other reason": 4.2,
    },
)
MENTAL_HEALTH = "Mental health support"
LEARNING_DISABILITY = "Learning disability support"
MEMORY = "Support with memory and cognition"
CARER_PSR = "Social support: Support to unpaid carer"
require(
    cld.PRIMARY_SUPPORT_REASON, MENTAL_HEALTH, LEARNING_DISABILITY, MEMORY, CARER_PSR, cld.UNKNOWN
)

# For each PSR: share aged 65+ and the weights of the five profiles (legacy LTS, new LTS,
# short-term, assessed, request-only). Calibrated so that at 50,000 people the county has about
# 17,000 people on long-term support in a year, two thirds of them 65+ (volumes.md: 559,220 of
# 858,720 in England 2023-24), and mental health mostly assessment and advice rather than
# packages (volumes.md "Shapes worth reproducing") [est].
PSR_SHAPE: dict[str, tuple[float, tuple[float, float, float, float, float]]] = {
    "Physical Support: Personal care support": (0.86, (0.22, 0.22, 0.20, 0.08, 0.18)),
    "Physical support: Access and mobility only": (0.78, (0.13, 0.15, 0.26, 0.10, 0.34)),
    "Mental health support": (0.22, (0.13, 0.11, 0.04, 0.19, 0.48)),
    "Learning disability support": (0.06, (0.50, 0.15, 0.02, 0.06, 0.18)),
    "Support with memory and cognition": (0.95, (0.25, 0.25, 0.10, 0.10, 0.20)),
    "Sensory Support: Support for visual impairment": (0.72, (0.14, 0.12, 0.16, 0.14, 0.44)),
    "Sensory Support: Support for hearing impairment": (0.70, (0.12, 0.10, 0.16, 0.14, 0.48)),
    "Sensory Support: Support for dual impairment": (0.80, (0.20, 0.15, 0.15, 0.10, 0.40)),
    "Social support: Substance misuse support": (0.08, (0.05, 0.07, 0.03, 0.15, 0.70)),
    "Social Support: Asylum seeker support": (0.02, (0.10, 0.20, 0.00, 0.20, 0.50)),
    "Social support: Support for social isolation or other reason": (
        0.55,
        (0.10, 0.10, 0.10, 0.15, 0.55),
    ),
}
require(cld.PRIMARY_SUPPORT_REASON, *PSR_SHAPE)

# --- Accommodation and employment --------------------------------------------------------------

ACCOMMODATION_OLDER = cld_table(
    cld.ACCOMMODATION_STATUS,
    {
        "Owner occupier or shared ownership scheme": 52.0,
        "Tenant: Local authority or other social housing provider": 22.0,
        "Tenant: Private landlord": 6.0,
        "Settled mainstream housing with family or friends": 6.0,
        "Sheltered housing, extra care housing or other sheltered housing": 10.0,
        "Unknown": 4.0,
    },
)
ACCOMMODATION_WORKING_AGE = cld_table(
    cld.ACCOMMODATION_STATUS,
    {
        "Owner occupier or shared ownership scheme": 18.0,
        "Tenant: Local authority or other social housing provider": 28.0,
        "Tenant: Private landlord": 20.0,
        "Settled mainstream housing with family or friends": 16.0,
        "Supported accommodation, supported lodgings or supported group home": 6.0,
        "Mobile accommodation for Gypsy, Roma and Traveller communities": 0.3,
        "Rough sleeper or squatting": 0.8,
        "Night shelter, emergency hostel or direct access hostel": 0.7,
        "Refuge": 0.3,
        "Placed in temporary accommodation by the council (inc. homelessness resettlement)": 1.5,
        "Staying with family or friends as a short term guest": 1.5,
        "Approved premises for offenders released from prison or under probation supervision": 0.3,
        "Other temporary accommodation": 0.6,
        "Unknown": 5.0,
    },
)
ACCOMMODATION_LEARNING_DISABILITY = cld_table(
    cld.ACCOMMODATION_STATUS,
    {
        "Settled mainstream housing with family or friends": 38.0,
        "Supported accommodation, supported lodgings or supported group home": 34.0,
        "Tenant: Local authority or other social housing provider": 14.0,
        "Tenant: Private landlord": 4.0,
        "Shared Lives scheme": 5.0,
        "Owner occupier or shared ownership scheme": 2.0,
        "Unknown": 3.0,
    },
)
CARE_HOME = "Registered care home"
NURSING_HOME = "Registered nursing home"
SHARED_LIVES_HOME = "Shared Lives scheme"
SUPPORTED_HOME = "Supported accommodation, supported lodgings or supported group home"
EXTRA_CARE_HOME = "Sheltered housing, extra care housing or other sheltered housing"
require(
    cld.ACCOMMODATION_STATUS,
    CARE_HOME,
    NURSING_HOME,
    SHARED_LIVES_HOME,
    SUPPORTED_HOME,
    EXTRA_CARE_HOME,
)

RETIRED = "Not in paid employment: Not actively seeking work or retired"
EMPLOYMENT_OLDER = cld_table(
    cld.EMPLOYMENT_STATUS,
    {RETIRED: 94.0, "Not in paid employment: Voluntary work only": 1.0, "Unknown": 5.0},
)
EMPLOYMENT_WORKING_AGE = cld_table(
    cld.EMPLOYMENT_STATUS,
    {
        "Paid: Less than 16 hours a week": 7.0,
        "Paid: 16 or more hours a week": 13.0,
        "Paid: Hours per week unknown": 2.0,
        "Not in paid employment: Seeking work": 16.0,
        RETIRED: 40.0,
        "Not in paid employment: Voluntary work only": 5.0,
        "Unknown": 17.0,
    },
)

# --- Requests ----------------------------------------------------------------------------------

COMMUNITY_ROUTE = "Community / Other route"
HOSPITAL_DISCHARGE = "Discharge from Hospital"
HOSPITAL_DIVERSION = "Diversion from Hospital Services"
TRANSITION = "Planned Entry (Transition)"
require(cld.ROUTE_OF_ACCESS, COMMUNITY_ROUTE, HOSPITAL_DISCHARGE, HOSPITAL_DIVERSION, TRANSITION)
HOSPITAL_ROUTES = frozenset({HOSPITAL_DISCHARGE, HOSPITAL_DIVERSION})

# Route of access. Hospital discharge is the main route into reablement and long-term care for
# older people [est]; most requests arrive from the community.
ROUTE_TOWARDS_SUPPORT = cld_table(
    cld.ROUTE_OF_ACCESS,
    {
        "Community / Other route": 55.0,
        "Discharge from Hospital": 33.0,
        "Diversion from Hospital Services": 5.0,
        "Self-Funder": 3.0,
        "Transfer from Other LA": 2.0,
        "Discharge from Reablement": 1.7,
        "Prison": 0.3,
    },
)
ROUTE_FRONT_DOOR = cld_table(
    cld.ROUTE_OF_ACCESS,
    {
        "Community / Other route": 84.0,
        "Discharge from Hospital": 5.0,
        "Diversion from Hospital Services": 2.5,
        "Self-Funder": 6.0,
        "Transfer from Other LA": 2.0,
        "Prison": 0.5,
    },
)

REQUEST_SOURCE_COMMUNITY = local_table(
    lc.REQUEST_SOURCES,
    {
        "self": 28.0,
        "family_friend": 24.0,
        "carer": 4.0,
        "gp": 14.0,
        "community_health": 8.0,
        "voluntary_sector": 5.0,
        "housing": 3.0,
        "provider": 4.0,
        "police": 2.0,
        "other_la_department": 5.0,
        "other": 3.0,
    },
    "request source",
)
REQUEST_SOURCE_HOSPITAL = local_table(
    lc.REQUEST_SOURCES,
    {"acute_hospital": 85.0, "community_health": 10.0, "family_friend": 5.0},
    "request source",
)
REQUEST_SOURCE_MENTAL_HEALTH = local_table(
    lc.REQUEST_SOURCES,
    {
        "mental_health_trust": 40.0,
        "gp": 16.0,
        "self": 14.0,
        "family_friend": 10.0,
        "police": 7.0,
        "acute_hospital": 5.0,
        "housing": 4.0,
        "voluntary_sector": 4.0,
    },
    "request source",
)
NHS_SOURCES = frozenset({"acute_hospital", "mental_health_trust", "community_health", "gp"})
CONTACT_METHOD_NHS = local_table(
    lc.CONTACT_METHODS,
    {"nhs_referral": 70.0, "email": 15.0, "phone": 15.0},
    "contact method",
)
CONTACT_METHOD_PUBLIC = local_table(
    lc.CONTACT_METHODS,
    {"phone": 58.0, "online_form": 20.0, "email": 14.0, "in_person": 5.0, "letter": 3.0},
    "contact method",
)

# --- Outcomes ----------------------------------------------------------------------------------
# CLD Event_Outcome values (cld.codes("Event_Outcome")). Requests far outnumber people who get
# support: many end in information and advice or signposting (volumes.md "Shapes").
TO_REABLEMENT = "Progress to reablement/ST-Max"
TO_ASSESSMENT = cld.OUTCOME_TO_ASSESSMENT
TO_SERVICES = "Progress to support planning or services"
CONTINUES = "Continuation of support or services"
ADMITTED = "Admitted to hospital"
DECEASED = "NFA: Deceased"
ENDED_AS_PLANNED = "NFA: Support ended as planned"
ENDED_OTHER = "NFA: Support ended for other reason"
MOVED_LA = "NFA: Responsibility moved to another local authority"
TO_NHS = "NFA: Referral to NHS services or NHS funded social care"
INFORMATION = "NFA: Information and advice or signposting"
require(
    cld.EVENT_OUTCOME,
    TO_REABLEMENT,
    TO_ASSESSMENT,
    TO_SERVICES,
    CONTINUES,
    ADMITTED,
    DECEASED,
    ENDED_AS_PLANNED,
    ENDED_OTHER,
    MOVED_LA,
    TO_NHS,
    INFORMATION,
)

REQUEST_NFA = cld_table(
    cld.EVENT_OUTCOME,
    {
        INFORMATION: 50.0,
        "NFA: Referral to other service within the local authority": 8.0,
        TO_NHS: 9.0,
        "NFA: Self-funded client or under 12wk disregard": 6.0,
        "NFA: Support declined": 8.0,
        "NFA: No services offered for other reason": 7.0,
        MOVED_LA: 2.0,
        "NFA: Other": 7.0,
        ADMITTED: 3.0,
    },
)
ASSESSMENT_NFA = cld_table(
    cld.EVENT_OUTCOME,
    {
        "NFA: No services offered for other reason": 24.0,
        INFORMATION: 24.0,
        "NFA: Support declined": 15.0,
        "NFA: Self-funded client or under 12wk disregard": 15.0,
        TO_NHS: 11.0,
        ADMITTED: 5.0,
        "NFA: Other": 6.0,
    },
)
SHORT_TERM_END = cld_table(
    cld.EVENT_OUTCOME,
    {
        ENDED_AS_PLANNED: 72.0,
        "NFA: Information and advice or signposting": 6.0,
        "NFA: Support declined": 5.0,
        ADMITTED: 9.0,
        ENDED_OTHER: 8.0,
    },
)
# Planned review outcomes: most continue the support; some change it (see history.py).
REVIEW_OUTCOME = cld_table(
    cld.EVENT_OUTCOME,
    {
        CONTINUES: 80.0,
        TO_SERVICES: 11.0,
        TO_ASSESSMENT: 4.0,
        ADMITTED: 2.5,
        ENDED_AS_PLANNED: 1.2,
        TO_NHS: 0.8,
        MOVED_LA: 0.5,
    },
)

# --- Assessments and reviews ---------------------------------------------------------------

LONG_TERM_ASSESSMENT = "Long term assessment"
SHORT_TERM_ASSESSMENT = "Short term assessment"
require(cld.ASSESSMENT_TYPE, LONG_TERM_ASSESSMENT, SHORT_TERM_ASSESSMENT)

PLANNED_REVIEW = "Planned"
SHORT_TERM_REVIEW = "Review of short term support"
require(cld.REVIEW_REASON, PLANNED_REVIEW, SHORT_TERM_REVIEW)
UNPLANNED_REVIEW_REASON = cld_table(
    cld.REVIEW_REASON,
    {
        "Unplanned - Hospital (Planned and unplanned episodes)": 48.0,
        "Unplanned - Carer related": 12.0,
        "Unplanned - Safeguarding concern": 15.0,
        "Unplanned - Other Reason": 20.0,
        "Unplanned - Provider Failure": 3.0,
        "Unplanned - Change in Commissioning arrangements": 2.0,
    },
)
SAFEGUARDING_REVIEW = "Unplanned - Safeguarding concern"
HOSPITAL_REVIEW = "Unplanned - Hospital (Planned and unplanned episodes)"
METHOD_OF_REVIEW = cld_table(
    cld.METHOD_OF_REVIEW, {"Service User Only": 62.0, "Service User and Carer": 38.0}
)
METHOD_WITH_CARER = "Service User and Carer"
require(cld.METHOD_OF_REVIEW, METHOD_WITH_CARER)

# How assessments are carried out (CLD Method_of_Assessment, a provisional list: rules.cld):
# mostly a visit, some by telephone or video call [est for this county].
METHOD_OF_ASSESSMENT = cld_table(
    cld.METHOD_OF_ASSESSMENT,
    {"Face to face": 74.0, "Telephone": 15.0, "Video call": 8.0, "Other": 3.0},
)
# How far the person's outcomes were met at a review (CLD Review_Outcomes_Achieved), by the
# review's outcome: support that simply continues mostly fully met; a review that changes or
# ends support less often [est for this county].
OUTCOMES_ACHIEVED_WHEN_CONTINUING = cld_table(
    cld.REVIEW_OUTCOMES_ACHIEVED, {"Fully Met": 64.0, "Partially Met": 31.0, "Not Met": 5.0}
)
OUTCOMES_ACHIEVED_WHEN_CHANGING = cld_table(
    cld.REVIEW_OUTCOMES_ACHIEVED, {"Fully Met": 18.0, "Partially Met": 55.0, "Not Met": 27.0}
)
OUTCOMES_ACHIEVED_OTHERWISE = cld_table(
    cld.REVIEW_OUTCOMES_ACHIEVED, {"Fully Met": 45.0, "Partially Met": 42.0, "Not Met": 13.0}
)

# --- Services ----------------------------------------------------------------------------------

ST_MAX = "Short term support: ST-Max"
LOW_LEVEL = "Short term support: Ongoing low level"
OTHER_SHORT_TERM = "Short term support: Other short term"
LTS_COMMUNITY = "Long term support: Community"
LTS_RESIDENTIAL = "Long term support: Residential care"
LTS_NURSING = "Long term support: Nursing care"
LTS_PRISON = "Long term support: Prison"
CARER_DIRECT = "Unpaid carer support: Direct to unpaid carer"
CARER_WITH_CARED_FOR = "Unpaid carer support: Support involving the person cared-for"
require(
    cld.SERVICE_TYPE,
    LTS_PRISON,
    ST_MAX,
    LOW_LEVEL,
    OTHER_SHORT_TERM,
    LTS_COMMUNITY,
    LTS_RESIDENTIAL,
    LTS_NURSING,
    CARER_DIRECT,
    CARER_WITH_CARED_FOR,
)

DIRECT_PAYMENT = "Direct payment"
MANAGED_BUDGET = "CASSR managed personal budget"
COMMISSIONED = "CASSR commissioned support"
require(cld.DELIVERY_MECHANISM, DIRECT_PAYMENT, MANAGED_BUDGET, COMMISSIONED)

# Long-term setting for people starting long-term support, by age: most older people are
# supported at home; about three in ten in care homes [est, from the ASC-AFR LTS setting split].
LTS_SETTING_OLDER = cld_table(
    cld.SERVICE_TYPE, {LTS_COMMUNITY: 70.0, LTS_RESIDENTIAL: 20.0, LTS_NURSING: 10.0}
)
LTS_SETTING_WORKING_AGE = cld_table(
    cld.SERVICE_TYPE,
    {
        LTS_COMMUNITY: 87.0,
        LTS_RESIDENTIAL: 10.0,
        LTS_NURSING: 2.5,
        LTS_PRISON: 0.5,
    },
)

# Community long-term components by broad need [est].
COMMUNITY_COMPONENT_PHYSICAL = cld_table(
    cld.SERVICE_COMPONENT,
    {
        "Home support or domiciliary care": 60.0,
        "Direct payment": 17.0,
        "Day support": 7.0,
        "Extra care housing": 6.0,
        "Meals": 3.0,
        "Transport": 1.0,
        "Other long term support": 3.0,
        "Professional support: Other": 3.0,
    },
)
COMMUNITY_COMPONENT_MENTAL_HEALTH = cld_table(
    cld.SERVICE_COMPONENT,
    {
        "Professional support: Social worker": 28.0,
        "Community supported living": 20.0,
        "Direct payment": 15.0,
        "Home support or domiciliary care": 14.0,
        "Day support": 9.0,
        "Learning, education or employment support": 6.0,
        "Other long term support": 8.0,
    },
)
COMMUNITY_COMPONENT_LEARNING_DISABILITY = cld_table(
    cld.SERVICE_COMPONENT,
    {
        "Community supported living": 38.0,
        "Direct payment": 22.0,
        "Day support": 20.0,
        "Shared Lives": 6.0,
        "Learning, education or employment support": 6.0,
        "Home support or domiciliary care": 6.0,
        "Transport": 2.0,
    },
)
DIRECT_PAYMENT_COMPONENT = "Direct payment"
SOCIAL_WORK_SUPPORT = "Professional support: Social worker"
SUPPORTED_LIVING = "Community supported living"
SHARED_LIVES = "Shared Lives"
EXTRA_CARE = "Extra care housing"
LONG_TERM_RESIDENTIAL = "Long term residential care"
LONG_TERM_NURSING = "Long term nursing care"
REABLEMENT = "Reablement"
EQUIPMENT = "Equipment"
SHORT_TERM_RESIDENTIAL = "Short term residential care"
CARER_COMPONENT = cld_table(
    cld.SERVICE_COMPONENT,
    {
        "Unpaid carer respite": 35.0,
        "Unpaid carer sitting service": 20.0,
        "Unpaid carer universal services": 25.0,
        "Other unpaid carer support": 20.0,
    },
)
require(
    cld.SERVICE_COMPONENT,
    DIRECT_PAYMENT_COMPONENT,
    SOCIAL_WORK_SUPPORT,
    SUPPORTED_LIVING,
    SHARED_LIVES,
    EXTRA_CARE,
    LONG_TERM_RESIDENTIAL,
    LONG_TERM_NURSING,
    REABLEMENT,
    EQUIPMENT,
    SHORT_TERM_RESIDENTIAL,
)

HOURLY = "Hourly"
WEEKLY = "Weekly"
PER_SESSION = "Per session"
ONE_OFF = "One-off"
NO_CHARGE = "No charge to client"
require(cld.COST_FREQUENCY, HOURLY, WEEKLY, PER_SESSION, ONE_OFF, NO_CHARGE)

# --- Carers, alerts, allocations ---------------------------------------------------------------

ALERT_KIND = local_table(
    lc.ALERT_KINDS,
    {
        "risk_to_staff": 22.0,
        "risk_to_others": 8.0,
        "safeguarding": 18.0,
        "communication": 16.0,
        "interpreter": 6.0,
        "do_not_contact": 8.0,
        "key_safe": 18.0,
        "other": 4.0,
    },
    "alert kind",
)
CASE_NOTE_KIND = local_table(
    lc.CASE_NOTE_KINDS,
    {
        "home_visit": 24.0,
        "phone_call": 36.0,
        "office_visit": 6.0,
        "email_letter": 12.0,
        "mdt": 8.0,
        "supervision": 4.0,
        "case_recording": 10.0,
    },
    "case note kind",
)
WORKER_CHANGE_REASON = local_table(
    lc.ALLOCATION_REASONS,
    {"worker_capacity": 55.0, "worker_left": 45.0},
    "allocation reason",
)
