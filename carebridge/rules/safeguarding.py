"""Safeguarding adults (Care Act 2014 s42 and s68): the code lists, the s42 decision and what
closing an enquiry needs. Pure: no Django; codes, booleans and dates only.

Sources (reference: /work/shared/reference/care-act.md, section 4; "V" verified against the
source text found, "K" from background knowledge of the source, not verified here):

* Care Act 2014 s42(1)-(2) (legislation.gov.uk/ukpga/2014/23/section/42) [V, as quoted by the
  reference and by NHS England's SAC supporting information]: where a council has reasonable
  cause to suspect that an adult in its area (a) has needs for care and support (whether or
  not the authority is meeting any of those needs), (b) is experiencing, or is at risk of,
  abuse or neglect, and (c) as a result of those needs is unable to protect himself or herself
  against the abuse or neglect or the risk of it, it **must** make (or cause to be made)
  whatever enquiries it thinks necessary. No statutory timescale.
* "Other" safeguarding enquiries [V: Sunderland SAB concern guidance and NHS England SAC
  terminology]: enquiries a council chooses to make where an adult does not meet all three
  criteria, because it thinks them necessary and proportionate (a power, not the s42(2) duty).
  The Safeguarding Adults Collection counts them apart from Section 42 enquiries.
* Care Act 2014 s68 [V, reference]: an independent advocate for a s42 enquiry (and a
  Safeguarding Adults Review) where the adult would have substantial difficulty being involved
  and there is no appropriate individual to support them.
* Care and Support Statutory Guidance (CSSG) chapter 14 [K]: the types of abuse and neglect
  (physical, domestic abuse, sexual, psychological, financial or material, modern slavery,
  discriminatory, organisational, neglect and acts of omission, self-neglect) and Making
  Safeguarding Personal (asking the adult what outcomes they want, and whether they were met).
  The reference gives the chapter, not paragraph numbers, so none are cited.
* NHS England, *Safeguarding Adults Collection (SAC)*: guidance for local authorities
  (gov.uk "Safeguarding adults collection (SAC) data return, 2025 to 2026: guidance for local
  authorities", published 29 January 2026, no change to the data requirements from 2024-25;
  digital.nhs.uk "Guidance for completing the Safeguarding Adults Collection (SAC) 2024-25",
  pages "Terminology", "SG1: Demographics" and "SG2: Case details"):

  - SG1 counts concerns raised and enquiries commenced in the reporting year (1 April to 31
    March); SG2 counts case details of enquiries *concluded* in the year, one count per
    different category that applies to an enquiry [V].
  - Source of risk: "Service provider" (anyone paid, contracted or commissioned to provide
    social care, however funded, including self-arranged and self-funded care and care homes;
    *not* the council, NHS trusts or GPs doing assessment and care management, which are
    "Other"), "Other - Known to individual", "Other - Unknown to individual" [V, SG2 page].
  - Type of risk, location of risk, risk outcomes and the Making Safeguarding Personal
    answers: the category wording below is from the SAC data template as remembered [K]. The
    pages found by search quote only parts of SG2; confidence is high for the type and
    location categories (long-standing since 2015-16) and medium for the exact wording of the
    MSP and risk-outcome answers. A council should check them against the year's template; the
    codes stored are ours, so a wording fix changes no record.

Choices made here, where the law leaves the detail open:

* When all three s42(1) criteria are met the council *must* make enquiries (s42(2)): the
  decision can then only be a Section 42 enquiry (an enquiry may still end early at the adult's
  request: that is a risk outcome, not a decision against the duty). A Section 42 enquiry needs
  all three; otherwise the council may make an "other" enquiry or take another route.
* Closing an enquiry needs its risk outcome, the Making Safeguarding Personal answer (and,
  where outcomes were expressed, how far they were achieved), advocacy considered (s68), and
  the safeguarding plan either closed or kept under review with a date.
"""

from __future__ import annotations

import datetime as dt

Choices = tuple[tuple[str, str], ...]

CITATION_S42 = "Care Act 2014 s42(1) and (2)"
CITATION_S68 = "Care Act 2014 s68"
CITATION_MSP = "Care and Support Statutory Guidance chapter 14 (Making Safeguarding Personal)"
S42_URL = "https://www.legislation.gov.uk/ukpga/2014/23/section/42"
SAC_SOURCE = (
    "NHS England, Safeguarding Adults Collection (SAC): guidance for local authorities "
    "(2024-25 and 2025-26)"
)

# --- SAC code lists (stored codes are ours; labels are the SAC's words) -----------------------

# Type of risk (SAC SG2; CSSG chapter 14's types, with the SAC's "Sexual Exploitation"). [K]
TYPE_OF_RISK: Choices = (
    ("physical", "Physical Abuse"),
    ("sexual", "Sexual Abuse"),
    ("psychological", "Psychological Abuse"),
    ("financial", "Financial or Material Abuse"),
    ("discriminatory", "Discriminatory Abuse"),
    ("organisational", "Organisational Abuse"),
    ("neglect", "Neglect and Acts of Omission"),
    ("domestic", "Domestic Abuse"),
    ("sexual_exploitation", "Sexual Exploitation"),
    ("modern_slavery", "Modern Slavery"),
    ("self_neglect", "Self-Neglect"),
)

# Location of risk (SAC SG2). [K]
LOCATION_OF_RISK: Choices = (
    ("own_home", "Own Home"),
    ("community", "In the community (excluding community services)"),
    ("community_service", "In a community service"),
    ("care_home_nursing", "Care Home - Nursing"),
    ("care_home_residential", "Care Home - Residential"),
    ("hospital_acute", "Hospital - Acute"),
    ("hospital_mental_health", "Hospital - Mental Health"),
    ("hospital_community", "Hospital - Community"),
    ("other", "Other"),
)

# Source of risk (SAC SG2). [V]
SERVICE_PROVIDER = "service_provider"
KNOWN = "known"
UNKNOWN = "unknown"
SOURCE_OF_RISK: Choices = (
    (SERVICE_PROVIDER, "Service Provider"),
    (KNOWN, "Other - Known to Individual"),
    (UNKNOWN, "Other - Unknown to Individual"),
)

# Risk outcome at the conclusion of an enquiry (SAC SG2 risk assessment and risk outcomes,
# folded into one answer: a risk identified, and then removed, reduced or remaining; or none
# identified; or the enquiry ceased at the adult's request). [K]
RISK_REMOVED = "removed"
RISK_REDUCED = "reduced"
RISK_REMAINS = "remains"
NO_RISK = "no_risk"
CEASED_AT_REQUEST = "ceased"
RISK_OUTCOME: Choices = (
    (RISK_REMOVED, "Risk identified: risk removed"),
    (RISK_REDUCED, "Risk identified: risk reduced"),
    (RISK_REMAINS, "Risk identified: risk remains"),
    (NO_RISK, "No risk identified"),
    (CEASED_AT_REQUEST, "Enquiry ceased at the individual's request"),
)
RISK_IDENTIFIED = frozenset({RISK_REMOVED, RISK_REDUCED, RISK_REMAINS})

# Making Safeguarding Personal: was the adult (or their representative) asked what outcomes
# they wanted, and were they achieved (SAC, concluded Section 42 enquiries). [K]
MSP_EXPRESSED = "yes_expressed"
MSP_NONE_EXPRESSED = "yes_none"
MSP_NOT_ASKED = "no"
MSP_DONT_KNOW = "dont_know"
MSP_NOT_RECORDED = "not_recorded"
MSP_ASKED: Choices = (
    (MSP_EXPRESSED, "Yes, they were asked and outcomes were expressed"),
    (MSP_NONE_EXPRESSED, "Yes, they were asked but no outcomes were expressed"),
    (MSP_NOT_ASKED, "No, they were not asked"),
    (MSP_DONT_KNOW, "Don't know"),
    (MSP_NOT_RECORDED, "Not recorded"),
)
ASKED = frozenset({MSP_EXPRESSED, MSP_NONE_EXPRESSED})
# What a worker may record on the enquiry: "Not recorded" is what the return says when nothing
# was recorded (a blank), never an answer a worker types.
MSP_ASKED_RECORDABLE: Choices = tuple(c for c in MSP_ASKED if c[0] != MSP_NOT_RECORDED)

ACHIEVED_FULLY = "fully"
ACHIEVED_PARTIALLY = "partially"
ACHIEVED_NOT = "not"
MSP_ACHIEVED: Choices = (
    (ACHIEVED_FULLY, "Fully achieved"),
    (ACHIEVED_PARTIALLY, "Partially achieved"),
    (ACHIEVED_NOT, "Not achieved"),
)

# --- local code lists (not the SAC's: the council's data standard, extendable) ----------------

# Who raised the concern. No SAC field since 2015-16; the categories follow carebridge's
# request sources (rules.local_codes.REQUEST_SOURCES) with the NHS split by setting.
CONCERN_SOURCES: Choices = (
    ("nhs_hospital_ward", "NHS hospital ward or emergency department"),
    ("nhs_mental_health", "NHS mental health services"),
    ("gp", "GP or primary care"),
    ("community_health", "Community health services"),
    ("ambulance", "Ambulance service"),
    ("police", "Police"),
    ("care_provider", "Care or support provider"),
    ("family_friend", "Family member, friend or neighbour"),
    ("self", "The adult themselves"),
    ("council_staff", "Council social care staff"),
    ("housing", "Housing service"),
    ("voluntary_sector", "Voluntary or community organisation"),
    ("cqc", "Care Quality Commission"),
    ("other", "Other"),
)
NHS_SOURCES = frozenset({"nhs_hospital_ward", "nhs_mental_health", "gp", "community_health"})

# Who the source of risk is to the adult (optional detail beside the SAC category).
SOURCE_RELATIONSHIPS: Choices = (
    ("partner", "Partner or spouse"),
    ("family", "Other family member"),
    ("friend_neighbour", "Friend or neighbour"),
    ("paid_staff", "Paid carer or care staff"),
    ("health_staff", "Health or social care professional"),
    ("other_resident", "Another resident or person using the service"),
    ("stranger", "Stranger"),
    ("other", "Other"),
    ("not_known", "Not known"),
)

# --- the s42 decision -------------------------------------------------------------------------

CRITERIA: Choices = (
    (
        "needs_care_and_support",
        "(a) has needs for care and support (whether or not the council is meeting any of them)",
    ),
    ("abuse_or_neglect", "(b) is experiencing, or is at risk of, abuse or neglect"),
    (
        "unable_to_protect",
        "(c) as a result of those needs is unable to protect themselves against the abuse or "
        "neglect or the risk of it",
    ),
)
CRITERION_KEYS = tuple(k for k, _ in CRITERIA)
_CRITERION_MISSING = {
    "needs_care_and_support": "Select whether the adult has needs for care and support",
    "abuse_or_neglect": "Select whether the adult is experiencing, or is at risk of, abuse or "
    "neglect",
    "unable_to_protect": "Select whether the adult is unable to protect themselves because of "
    "their needs",
}

S42_ENQUIRY = "s42"
OTHER_ENQUIRY = "other"
OTHER_ROUTE = "route"
RESULTS: Choices = (
    (S42_ENQUIRY, "Section 42 enquiry: all three criteria are met (the duty, s42(2))"),
    (OTHER_ENQUIRY, "Other safeguarding enquiry: not all the criteria are met (the council's "
     "power)"),
    (OTHER_ROUTE, "No safeguarding enquiry: another route"),
)  # fmt: skip
ENQUIRY_KINDS: Choices = (
    (S42_ENQUIRY, "Section 42 enquiry"),
    (OTHER_ENQUIRY, "Other safeguarding enquiry"),
)
ROUTES: Choices = (
    ("advice", "Information and advice"),
    ("care_assessment", "Needs or carer's assessment (Care Act s9 or s10)"),
    ("signpost", "Signposted to another organisation"),
    ("no_further_action", "No further action"),
)
MAX_TEXT = 20_000


def label(codes: Choices, value: str) -> str:
    return dict(codes).get(value, value)


def all_criteria_met(answers: dict[str, bool | None]) -> bool:
    return all(answers.get(k) is True for k in CRITERION_KEYS)


def decision_errors(
    answers: dict[str, bool | None],
    reasons: dict[str, str],
    *,
    result: str,
    route: str,
    reason: str,
    decided_on: dt.date | None,
    received_on: dt.date,
    today: dt.date,
) -> dict[str, str]:
    """What is wrong with a s42 decision, field -> message (empty: it may be recorded).

    Each criterion is answered yes or no with its reason; the result follows the answers: a
    Section 42 enquiry only when all three are met, and then nothing else (s42(2))."""
    errors: dict[str, str] = {}
    for key, text in CRITERIA:
        if answers.get(key) not in (True, False):
            errors[key] = _CRITERION_MISSING[key]
        elif not (reasons.get(key) or "").strip():
            errors[f"{key}_reason"] = f"Give the reason for your answer to {text[:3]}"
    if result not in dict(RESULTS):
        errors["result"] = "Select what the council will do"
    elif not any(k in errors for k in CRITERION_KEYS):
        met = all_criteria_met(answers)
        if result == S42_ENQUIRY and not met:
            errors["result"] = (
                "A section 42 enquiry needs all three criteria to be met (Care Act 2014 s42(1)): "
                "choose an other enquiry or another route, or change an answer"
            )
        elif result != S42_ENQUIRY and met:
            errors["result"] = (
                "All three criteria are met, so the council must make enquiries (Care Act 2014 "
                "s42(2)): choose a section 42 enquiry, or change an answer"
            )
    if result == OTHER_ROUTE and route not in dict(ROUTES):
        errors["route"] = "Select the route the concern takes instead"
    if result in (OTHER_ENQUIRY, OTHER_ROUTE) and not (reason or "").strip():
        errors["reason"] = "Give the reason for this decision"
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the decision"
    elif decided_on > today:
        errors["decided_on"] = "The date of the decision must be today or in the past"
    elif decided_on < received_on:
        errors["decided_on"] = (
            f"The date of the decision must be on or after the concern was received "
            f"({received_on:%-d %B %Y})"
        )
    return errors


# --- advocacy (s68) ---------------------------------------------------------------------------


def advocate_needed(substantial_difficulty: bool | None, appropriate_person: str) -> bool:
    """s68: an independent advocate is needed where the adult would have substantial difficulty
    being involved and there is nobody appropriate to support them."""
    return substantial_difficulty is True and not (appropriate_person or "").strip()


def advocacy_errors(
    substantial_difficulty: bool | None,
    appropriate_person: str,
    advocate_referred_on: dt.date | None,
    *,
    today: dt.date,
) -> dict[str, str]:
    """What is wrong with the advocacy answers as recorded during an enquiry."""
    errors: dict[str, str] = {}
    if advocate_referred_on is not None:
        if advocate_referred_on > today:
            errors["advocate_referred_on"] = "The date of the referral must be today or earlier"
        if substantial_difficulty is not True:
            errors["advocate_referred_on"] = (
                "An advocate is referred only where the adult would have substantial difficulty "
                "being involved: answer that question yes, or leave the date empty"
            )
    return errors


# --- closing an enquiry -----------------------------------------------------------------------

PLAN_CLOSE = "close"
PLAN_CONTINUE = "continue"
PLAN_AFTER: Choices = (
    (PLAN_CLOSE, "Close the safeguarding plan: it is no longer needed"),
    (PLAN_CONTINUE, "Keep the safeguarding plan in place, reviewed by a date"),
)


def closure_errors(
    *,
    concluded_on: dt.date | None,
    started_on: dt.date,
    today: dt.date,
    risk_outcome: str,
    msp_asked: str,
    msp_achieved: str,
    substantial_difficulty: bool | None,
    appropriate_person: str,
    advocate_referred_on: dt.date | None,
    plan_open: bool,
    plan_after: str,
    plan_review_due: dt.date | None,
) -> dict[str, str]:
    """What an enquiry still needs before it can be concluded, field -> message."""
    errors: dict[str, str] = {}
    if concluded_on is None:
        errors["concluded_on"] = "Enter the date the enquiry concluded"
    elif concluded_on > today:
        errors["concluded_on"] = "The date the enquiry concluded must be today or in the past"
    elif concluded_on < started_on:
        errors["concluded_on"] = (
            f"The enquiry cannot conclude before it started ({started_on:%-d %B %Y})"
        )
    if risk_outcome not in dict(RISK_OUTCOME):
        errors["risk_outcome"] = "Select the risk outcome"
    if msp_asked not in dict(MSP_ASKED_RECORDABLE):
        errors["msp_asked"] = (
            "Record whether the adult was asked what outcomes they want (Making Safeguarding "
            "Personal) before concluding the enquiry"
        )
    elif msp_asked == MSP_EXPRESSED and msp_achieved not in dict(MSP_ACHIEVED):
        errors["msp_achieved"] = "Select how far the outcomes the adult wanted were achieved"
    elif msp_asked != MSP_EXPRESSED and msp_achieved:
        errors["msp_achieved"] = (
            "The adult expressed no outcomes, so none can be achieved: leave this empty"
        )
    if substantial_difficulty is None:
        errors["substantial_difficulty"] = (
            "Record whether the adult would have substantial difficulty being involved "
            "(advocacy, Care Act 2014 s68) before concluding the enquiry"
        )
    elif advocate_needed(substantial_difficulty, appropriate_person) and (
        advocate_referred_on is None
    ):
        errors["advocate_referred_on"] = (
            "The adult needs an independent advocate (substantial difficulty and nobody "
            "appropriate to support them, s68): record the referral before concluding"
        )
    if plan_open:
        if plan_after not in dict(PLAN_AFTER):
            errors["plan_after"] = "Select what happens to the safeguarding plan"
        elif plan_after == PLAN_CONTINUE:
            if plan_review_due is None:
                errors["plan_review_due"] = "Enter the date the safeguarding plan is reviewed"
            elif concluded_on is not None and plan_review_due <= concluded_on:
                errors["plan_review_due"] = (
                    "The plan's review date must be after the enquiry concludes"
                )
    return errors
