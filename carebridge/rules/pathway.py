"""The next statutory step on a person's Care Act pathway, and when it is due.

Pure: takes the facts of a case (dates and statuses) and returns one step. The caseload asks
this for every person in a fixed number of queries (the facts are SQL annotations).

Where the law sets a time limit it is used and cited: reviews (Care Act 2014 s27; Care and
Support Statutory Guidance para 13.32; Care and Support (Direct Payments) Regulations 2014
reg 7, via :mod:`carebridge.rules.reviews`). Where it does not, the council's own standard is
used and labelled as local: the Act sets no deadline for an assessment (s9; CSSG para 6.29:
"an appropriate and proportionate timescale") or for a plan after a determination (CSSG para
10.84: "in a timely fashion"), so councils publish a local target; the defaults are below and
are the one place to change them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Local standards (not statute): days from a request to the assessment starting, from starting
# to completing it, from an eligible determination to a plan being signed off, and for a
# manager to decide on a submitted plan.
LOCAL_DAYS_REQUEST_TO_ASSESSMENT = 28
LOCAL_DAYS_TO_COMPLETE_ASSESSMENT = 28
LOCAL_DAYS_DETERMINATION_TO_PLAN = 28
LOCAL_DAYS_TO_DECIDE_PLAN = 5

LOCAL = "Local standard (the Care Act sets no deadline)"
_LOCAL_TAIL = "local standard (the Care Act sets no deadline)"

# Step keys (stable: pages filter and sort on them).
START_ASSESSMENT = "start_assessment"
COMPLETE_ASSESSMENT = "complete_assessment"
WRITE_PLAN = "write_plan"
FINISH_PLAN = "finish_plan"
AWAITING_APPROVAL = "awaiting_approval"
REVIEW = "review"
NONE = "none"


@dataclass(frozen=True)
class CaseFacts:
    """What the caseload knows about a person, each None when it does not apply."""

    request_awaiting_assessment_since: dt.date | None = None
    draft_assessment_started: dt.date | None = None
    eligible_without_plan_since: dt.date | None = None
    plan_in_progress_since: dt.date | None = None
    plan_returned: bool = False
    plan_submitted_on: dt.date | None = None
    next_review_due: dt.date | None = None
    next_review_kind: str = ""


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    due: dt.date | None
    basis: str

    def is_overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


_REVIEW_LABELS = {
    "first_review": "First review (6 to 8 weeks)",
    "annual_review": "Planned review",
    "direct_payment_first_review": "Direct payment review (first 6 months)",
    "direct_payment_review": "Direct payment review",
    "unplanned_review": "Review requested",
}


def _days(d: dt.date, n: int) -> dt.date:
    return d + dt.timedelta(days=n)


def next_step(f: CaseFacts) -> Step:
    """The most pressing step. Work in progress comes first (a plan awaiting a decision, then a
    plan being written, an eligible determination with no plan, an assessment under way, a
    request waiting for one); then the next review of the approved plan."""
    if f.plan_submitted_on is not None:
        return Step(
            AWAITING_APPROVAL,
            "Plan awaiting a manager's decision",
            _days(f.plan_submitted_on, LOCAL_DAYS_TO_DECIDE_PLAN),
            LOCAL,
        )
    if f.plan_in_progress_since is not None:
        return Step(
            FINISH_PLAN,
            "Plan returned: make the changes" if f.plan_returned else "Finish the plan",
            _days(f.plan_in_progress_since, LOCAL_DAYS_DETERMINATION_TO_PLAN),
            LOCAL,
        )
    if f.eligible_without_plan_since is not None:
        return Step(
            WRITE_PLAN,
            "Write the care and support plan",
            _days(f.eligible_without_plan_since, LOCAL_DAYS_DETERMINATION_TO_PLAN),
            "Care Act 2014 s24-25; " + _LOCAL_TAIL,
        )
    if f.draft_assessment_started is not None:
        return Step(
            COMPLETE_ASSESSMENT,
            "Complete the assessment",
            _days(f.draft_assessment_started, LOCAL_DAYS_TO_COMPLETE_ASSESSMENT),
            "Care Act 2014 s9-10; " + _LOCAL_TAIL,
        )
    if f.request_awaiting_assessment_since is not None:
        return Step(
            START_ASSESSMENT,
            "Start the assessment",
            _days(f.request_awaiting_assessment_since, LOCAL_DAYS_REQUEST_TO_ASSESSMENT),
            "Care Act 2014 s9; " + _LOCAL_TAIL,
        )
    if f.next_review_due is not None:
        return Step(
            REVIEW,
            _REVIEW_LABELS.get(f.next_review_kind, "Review"),
            f.next_review_due,
            "Care Act 2014 s27"
            + (
                "; Direct Payments Regulations 2014 reg 7" if "direct" in f.next_review_kind else ""
            ),
        )
    return Step(NONE, "No statutory step due", None, "")
