"""Offering an unpaid carer an assessment of their own (Care Act 2014 s10). Pure: dates only.

Sources (reference: /work/shared/reference/care-act.md, section 2):

* Care Act 2014 s10 (legislation.gov.uk/ukpga/2014/23/section/10): where it appears to a local
  authority that a carer may have needs for support, now or in the future, it must assess them
  (a "carer's assessment"), whatever it thinks of the level of those needs or of anyone's money.
  Care and Support Statutory Guidance (CSSG) chapter 6 covers carers' assessments; the reference
  gives the chapter, not paragraph numbers, so none are cited here.
* s10(3): a "carer" is an adult who provides or intends to provide care for another adult.
  A carer under 18 is a young carer, assessed under other law (the Care Act's s63 covers their
  move to adult services). Subsection numbers are from background knowledge (to check against
  legislation.gov.uk): the reference summarises s10 as a whole.
* s11(5): where a carer refuses the council's offer of a carer's assessment, the council is not
  required to assess them. A carer who refused may later ask for one, and the duty applies again.
  The refusal is recorded, in the carer's own words.

Choices made here, where the law leaves the detail open:

* The Act sets no deadline for the offer. The default is 28 days from when the council knows an
  unpaid carer of a person with support (:data:`OFFER_DAYS`); a council sets its own standard,
  versioned, in ``duties.LocalStandard``.
* An offer meets the duty when it is made, whatever the carer answers (or before they answer): the
  answer decides what follows (the assessment, or no assessment under s11(5)).
* A person born on 29 February comes of age on 1 March in a year that is not a leap year, as
  :func:`carebridge.rules.dates.age_on` counts birthdays.
"""

from __future__ import annotations

import calendar
import datetime as dt

OFFER_DAYS = 28
ADULT_AGE_YEARS = 18

# The carer's response to an offer.
AWAITING = "awaiting"
ACCEPTED = "accepted"
DECLINED = "declined"
RESPONSES: tuple[tuple[str, str], ...] = (
    (AWAITING, "No response yet"),
    (ACCEPTED, "Accepted: a carer's assessment is to follow"),
    (DECLINED, "Declined"),
)
ANSWERED = (ACCEPTED, DECLINED)

CITATION = (
    "Care Act 2014 s10 (carer's assessment) and s11(5) (refusal); Care and Support Statutory "
    "Guidance chapter 6"
)


def adult_on(born: dt.date) -> dt.date:
    """The day a person born on ``born`` turns 18 (and s10 can apply to them as a carer): their
    18th birthday, or 1 March for someone born on 29 February (18 years after a leap year is
    never one)."""
    year = born.year + ADULT_AGE_YEARS
    if (born.month, born.day) == (2, 29) and not calendar.isleap(year):
        return dt.date(year, 3, 1)
    return born.replace(year=year)


def offer_errors(
    *,
    offered_on: dt.date | None,
    response: str,
    responded_on: dt.date | None,
    declined_reason: str,
    today: dt.date,
) -> dict[str, str]:
    """What is wrong with an offer and the carer's response, as field -> message (GOV.UK
    wording); empty when it may be recorded."""
    errors: dict[str, str] = {}
    if offered_on is not None and offered_on > today:
        errors["offered_on"] = "The date of the offer must be today or in the past"
    if response not in (AWAITING, *ANSWERED):
        errors["response"] = "Select the carer's response"
        return errors
    if response != DECLINED and declined_reason.strip():
        errors["declined_reason"] = "Leave the reason empty unless the carer declined"
    if response == AWAITING:
        if responded_on is not None:
            errors["responded_on"] = (
                "Leave the date of the response empty if the carer has not answered yet"
            )
        return errors
    if responded_on is None:
        errors["responded_on"] = "Enter the date of the carer's response"
    elif responded_on > today:
        errors["responded_on"] = "The date of the response must be today or in the past"
    elif offered_on is not None and responded_on < offered_on:
        errors["responded_on"] = (
            "The date of the response must be the same as or after the date of the offer"
        )
    if response == DECLINED and not declined_reason.strip():
        errors["declined_reason"] = "Enter the carer's reason for declining, in their words"
    return errors
