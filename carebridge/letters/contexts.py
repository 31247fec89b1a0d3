"""The context each letter template takes: plain dicts, lists, strings, booleans and dates.

Templates never see model instances. Whoever builds a letter turns the models into these shapes
(and decides what goes in them); the templates only lay them out. Money is preformatted by the
caller ("£18.40"); dates are ``datetime.date`` and shown as "22 November 2026".

Multi-paragraph text (``prevention_advice``, ``what_matters``...) is split into paragraphs on
blank lines; single line breaks are kept. Everything is HTML-escaped by the template.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, NotRequired, TypedDict


class CouncilContext(TypedDict):
    """The council sending the letter (letterhead, footer, complaints contact)."""

    name: str
    address_lines: list[str]  # street lines, town; the postcode goes in ``postcode``
    postcode: str
    phone: str
    email: str
    website: NotRequired[str | None]
    complaints_phone: NotRequired[str | None]  # defaults to ``phone``
    complaints_email: NotRequired[str | None]  # defaults to ``email``


class RecipientContext(TypedDict):
    """Who the letter is posted to (the person, or their representative)."""

    name: str  # "Ms Ada Testperson"
    address_lines: list[str]
    postcode: str
    salutation: NotRequired[str | None]  # "Ms Testperson"; defaults to ``name``


class PersonContext(TypedDict):
    """The person the letter is about."""

    name: str
    person_id: str
    date_of_birth: dt.date
    nhs_number: str | None  # ten digits, shown as 943 476 5919


class SignedByContext(TypedDict):
    name: str
    job_title: str
    team: str


class LetterContext(TypedDict):
    """Keys every letter takes (``letters/base.html``)."""

    council: CouncilContext
    recipient: RecipientContext
    person: PersonContext
    letter_date: dt.date
    reference: str  # "Our reference"
    signed_by: SignedByContext


class OutcomeContext(TypedDict):
    """One specified outcome of the Eligibility Criteria Regulations 2015."""

    label: str  # "Managing and maintaining nutrition"
    unable: bool  # True: unable to achieve it (as the regulations define "unable")
    limbs: list[str]  # why "unable": e.g. "Doing it causes you significant pain"
    evidence: str  # what was found, in plain words


class EligibilityDeterminationContext(LetterContext):
    """``letters/eligibility_determination.html``: the written record under Care Act s13(2),
    with the advice and information s13(5) requires when the needs are not eligible."""

    kind: Literal["adult", "carer"]
    eligible: bool
    determination_date: dt.date
    outcomes: list[OutcomeContext]
    reasons: list[str]
    regulation: str  # "The Care and Support (Eligibility Criteria) Regulations 2015, reg. 2"
    prevention_advice: str  # may be several paragraphs; always shown when not eligible
    next_steps: str


class EligibleNeedContext(TypedDict):
    label: str
    how_met: str


class ServiceContext(TypedDict):
    description: str
    service_type: str
    delivery_mechanism: str  # "Arranged by the council", "Direct payment"...
    provider: str | None
    unit_cost: str  # "£18.40"
    units_per_week: str  # "14"
    weekly_cost: str  # "£257.60"


class PersonalBudgetContext(TypedDict):
    """Care Act s26: the cost of meeting the needs, what the person pays, what the council pays."""

    weekly_total: str
    annual_total: str
    person_contribution_weekly: str | None  # None: not yet known (say why in the note)
    person_contribution_note: NotRequired[str | None]
    council_weekly: str
    indicative_weekly: str
    direct_payment_weekly: str | None


class DirectPaymentContext(TypedDict):
    amount_weekly: str
    start_date: dt.date
    agreement_signed_on: dt.date | None
    paid_to: str  # "You", or the nominated person or account


class CareAndSupportPlanContext(LetterContext):
    """``letters/care_and_support_plan.html``: the person's copy of their plan (Care Act s24-26,
    copy given under s25(9))."""

    plan_status: str  # "Approved"
    approved_on: dt.date | None
    approved_by: str | None  # name and job title
    eligible_needs: list[EligibleNeedContext]
    outcomes_wanted: list[str]
    what_matters: str
    strengths: str
    services: list[ServiceContext]
    personal_budget: PersonalBudgetContext
    direct_payment: DirectPaymentContext | None
    contingency_plan: str
    informal_support: str
    review_due: dt.date | None


class DoctorContext(TypedDict):
    name: str
    s12_approved: bool
    previous_acquaintance: bool


class NearestRelativeContext(TypedDict):
    name: str  # "" when none was identified
    relationship: str  # "Son or daughter"
    contact: str  # "Consulted (s11(4))"
    reason: str  # why not consulted or informed, if so
    objected: bool
    displaced: bool  # an acting nearest relative appointed by the county court (s29)


class AmhpReportContext(TypedDict):
    """``letters/amhp_report.html``: the AMHP's record of a Mental Health Act assessment and the
    reasons for the decision (Mental Health Act 1983 s11-s13; Code of Practice 2015 chapter
    14). Not posted to the person: a report for the record and the hospital. Times are
    preformatted ("3 March 2026 at 14:30")."""

    council: CouncilContext
    person: PersonContext
    letter_date: dt.date  # the day the report was completed (or produced, if not yet)
    reference: str
    signed_by: SignedByContext  # the AMHP
    completed: bool  # False: a draft of a report not yet completed
    requested_at: str
    requester: str  # "Dr A Example (GP)"
    request_reason: str
    section_considered: str
    assessed_at: str
    location: str
    doctors: list[DoctorContext]
    acquaintance_reason: str
    nearest_relative: NearestRelativeContext
    outcome: str  # "Detained under Section 3 (admission for treatment)"
    legal_status: str | None  # "Detained under Section 3 since ... at ...", when detained
    alternatives_considered: str
    report: str
