"""When reviews of a care and support plan, and of direct payments, are due. Pure: dates only.

Sources:

* Care Act 2014, s27(1) (legislation.gov.uk/ukpga/2014/23/section/27, checked): a local authority
  must (a) keep care and support plans and support plans under review generally, and (b) review a
  plan on a reasonable request by or on behalf of the adult or carer it relates to.
* Care and Support Statutory Guidance (CSSG), chapter 13, para 13.32: a light-touch review
  6 to 8 weeks after the plan and personal budget are agreed and signed off, then a review no
  later than every 12 months. The paragraph number is from background knowledge (to check against
  the current CSSG); the 12-month rule is confirmed by DHSC, 30 Dec 2025 (Parallel Parliament
  Q100027). See /work/shared/reference/care-act.md, section 2, s27 row.
* The Care and Support (Direct Payments) Regulations 2014, reg 7(1)(a) (wording checked): review
  "at least once within the first 6 months of the direct payment being made and at intervals not
  exceeding 12 months thereafter". The SI number 2014/2871 is from background knowledge (to check).
  Reg 7(1)(b) to (d) (breach, change of capacity, concerns) are event-driven and not computed here.

Choices made here, where the law leaves the detail open:

* Months are calendar months, clamped at month end (``dates.add_months``). A limit of "within
  N months" of a date is taken to fall on the same day N months later: that is the due date, and a
  review is overdue from the day after.
* Reviews completed before ``plan_approved_on`` belong to an earlier plan and are ignored for the
  plan. Any review completed on or after sign-off discharges the first (6 to 8 week) review, even
  if it was earlier than 6 weeks; after that, each review is due 12 months after the last.
* A completed care and support plan review on or after the first direct payment also counts as a
  direct payment review: councils review the direct payment within the plan review (CSSG ch 12 and
  13 expect the two to be combined where possible). A direct payment review does *not* count as a
  plan review: it looks only at whether direct payments remain appropriate.
* A requested (unplanned) review is due "as soon as reasonably practicable": no period is set in
  the Act, so the due date is the request date itself. It is owed until a plan review is completed
  on or after the request date. Only requests the council has accepted as reasonable should be
  passed in (s27(1)(b) says "reasonable request"; this module cannot judge that).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from carebridge.rules.dates import add_months

FIRST_REVIEW = "first_review"
ANNUAL_REVIEW = "annual_review"
DIRECT_PAYMENT_FIRST_REVIEW = "direct_payment_first_review"
DIRECT_PAYMENT_REVIEW = "direct_payment_review"
UNPLANNED_REVIEW = "unplanned_review"
KINDS = (
    UNPLANNED_REVIEW,
    FIRST_REVIEW,
    ANNUAL_REVIEW,
    DIRECT_PAYMENT_FIRST_REVIEW,
    DIRECT_PAYMENT_REVIEW,
)  # also the order of reviews due on the same day

# CSSG para 13.32: light-touch review 6 to 8 weeks after plan and personal budget sign-off.
FIRST_REVIEW_EARLIEST_WEEKS = 6
FIRST_REVIEW_LATEST_WEEKS = 8
# CSSG para 13.32; DHSC, 30 Dec 2025: then no later than every 12 months.
PLAN_REVIEW_INTERVAL_MONTHS = 12
# Direct Payments Regulations 2014, reg 7(1)(a).
DIRECT_PAYMENT_FIRST_REVIEW_MONTHS = 6
DIRECT_PAYMENT_REVIEW_INTERVAL_MONTHS = 12

PLAN_REVIEW_CITATION = "Care Act 2014, s27(1)(a); Care and Support Statutory Guidance, para 13.32"
DIRECT_PAYMENT_CITATION = (
    "The Care and Support (Direct Payments) Regulations 2014 (SI 2014/2871), reg 7(1)(a)"
)
# s27(1)(b) is the duty to review on a reasonable request (checked). Not s27(4): as we understand
# it (background knowledge, to check) that subsection is about reassessing and revising a plan when
# circumstances change, not about requests.
REQUESTED_REVIEW_CITATION = "Care Act 2014, s27(1)(b)"


@dataclass(frozen=True, slots=True)
class ReviewDue:
    kind: str  # one of KINDS
    due: dt.date  # the last day on which it is on time
    earliest: dt.date | None  # the first day of the window, where there is one
    reason: str  # plain English, for a worker's to-do list
    citation: str


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def _plan_review(plan_approved_on: dt.date, reviews: Sequence[dt.date]) -> ReviewDue:
    since_approval = [d for d in reviews if d >= plan_approved_on]
    if not since_approval:
        return ReviewDue(
            kind=FIRST_REVIEW,
            due=plan_approved_on + dt.timedelta(weeks=FIRST_REVIEW_LATEST_WEEKS),
            earliest=plan_approved_on + dt.timedelta(weeks=FIRST_REVIEW_EARLIEST_WEEKS),
            reason=(
                f"First light-touch review, 6 to 8 weeks after the care and support plan and "
                f"personal budget were signed off on {_day(plan_approved_on)}"
            ),
            citation=PLAN_REVIEW_CITATION,
        )
    last = max(since_approval)
    return ReviewDue(
        kind=ANNUAL_REVIEW,
        due=add_months(last, PLAN_REVIEW_INTERVAL_MONTHS),
        earliest=None,
        reason=f"Review no later than 12 months after the last review on {_day(last)}",
        citation=PLAN_REVIEW_CITATION,
    )


def _direct_payment_review(
    first_payment: dt.date, dp_reviews: Sequence[dt.date], plan_reviews: Sequence[dt.date]
) -> ReviewDue:
    counted = [d for d in dp_reviews if d >= first_payment]
    counted += [d for d in plan_reviews if d >= first_payment]
    if not counted:
        return ReviewDue(
            kind=DIRECT_PAYMENT_FIRST_REVIEW,
            due=add_months(first_payment, DIRECT_PAYMENT_FIRST_REVIEW_MONTHS),
            earliest=None,
            reason=(
                "Direct payment review within the first 6 months after the first payment on "
                f"{_day(first_payment)}"
            ),
            citation=DIRECT_PAYMENT_CITATION,
        )
    last = max(counted)
    how = "" if last in dp_reviews else " (held as part of the care and support plan review)"
    return ReviewDue(
        kind=DIRECT_PAYMENT_REVIEW,
        due=add_months(last, DIRECT_PAYMENT_REVIEW_INTERVAL_MONTHS),
        earliest=None,
        reason=(
            "Direct payment review no more than 12 months after the last direct payment review "
            f"on {_day(last)}{how}"
        ),
        citation=DIRECT_PAYMENT_CITATION,
    )


def reviews_due(
    plan_approved_on: dt.date,
    reviews_completed: Sequence[dt.date],
    first_direct_payment_on: dt.date | None = None,
    direct_payment_reviews_completed: Sequence[dt.date] = (),
    unplanned_requested_on: dt.date | None = None,
) -> list[ReviewDue]:
    """Every review currently owed, earliest due first (never empty: a plan is always reviewed).

    ``reviews_completed`` are care and support plan reviews; ``direct_payment_reviews_completed``
    are reviews of the direct payment alone. See the module docstring for how they interact.
    """
    plan_reviews = list(reviews_completed)
    owed = [_plan_review(plan_approved_on, plan_reviews)]
    if first_direct_payment_on is not None:
        owed.append(
            _direct_payment_review(
                first_direct_payment_on, list(direct_payment_reviews_completed), plan_reviews
            )
        )
    if unplanned_requested_on is not None and not any(
        d >= unplanned_requested_on for d in plan_reviews
    ):
        owed.append(
            ReviewDue(
                kind=UNPLANNED_REVIEW,
                due=unplanned_requested_on,
                earliest=None,
                reason=(
                    f"Review requested on {_day(unplanned_requested_on)}: due as soon as "
                    "reasonably practicable"
                ),
                citation=REQUESTED_REVIEW_CITATION,
            )
        )
    owed.sort(key=lambda r: (r.due, KINDS.index(r.kind)))
    return owed


def next_review_due(
    plan_approved_on: dt.date,
    reviews_completed: Sequence[dt.date],
    first_direct_payment_on: dt.date | None = None,
    direct_payment_reviews_completed: Sequence[dt.date] = (),
    unplanned_requested_on: dt.date | None = None,
) -> ReviewDue:
    """The review due soonest (see :func:`reviews_due`)."""
    return reviews_due(
        plan_approved_on,
        reviews_completed,
        first_direct_payment_on,
        direct_payment_reviews_completed,
        unplanned_requested_on,
    )[0]


def is_overdue(due: ReviewDue, today: dt.date) -> bool:
    """Overdue from the day after the due date."""
    return today > due.due
