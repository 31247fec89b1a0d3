"""Partnership arrangements under s75 of the National Health Service Act 2006: the code lists
an agreement is recorded with, and the dates of hosting and transfers. Pure: no Django import.

Sources:

* National Health Service Act 2006 s75 (arrangements between NHS bodies and local authorities:
  lead commissioning, integrated provision, pooled funds) and the NHS Bodies and Local
  Authorities Partnership Arrangements Regulations 2000 (SI 2000/617): reg 6 lists the local
  authority "health-related functions" that may be exercised under an arrangement, reg 7 the
  pooled fund (its host, contributions and a pooled fund manager), reg 8 what the written
  agreement must set out (the aims, the functions, the staff, the duration and how it ends).
* The list of functions below is the vocabulary councils use in their agreements for adult
  mental health social care; the agreement records what was agreed. Whether a function may
  lawfully be delegated is the parties' legal advice, not this list's [local vocabulary, not a
  statutory code list].
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The council functions an s75 agreement commonly delegates to an NHS mental health trust
# (SI 2000/617 reg 6, as the agreement words them) [local vocabulary].
DELEGABLE_FUNCTIONS: tuple[tuple[str, str], ...] = (
    ("assessment", "Needs and carers' assessments (Care Act 2014 ss9-10)"),
    ("eligibility", "Eligibility determinations (Care Act 2014 s13)"),
    ("care_planning", "Care and support planning and personal budgets (Care Act 2014 ss24-26)"),
    ("reviews", "Reviews of care and support plans (Care Act 2014 s27)"),
    ("safeguarding", "Safeguarding enquiries (Care Act 2014 s42), under the council's lead"),
    ("amhp", "Approved mental health professional services (Mental Health Act 1983)"),
    ("s117", "s117 aftercare planning (Mental Health Act 1983 s117), with the ICB"),
    ("direct_payments", "Direct payments (Care Act 2014 ss31-33)"),
    ("commissioning", "Commissioning of services for the people the teams support"),
)
FUNCTION_LABELS = dict(DELEGABLE_FUNCTIONS)

# Who may be the NHS party to an s75 arrangement (NHS Act 2006 s75(1): an "NHS body", here an
# NHS trust or an integrated care board), and so who may host council teams; the council hosts
# the teams it runs itself. Organisation kinds as in rules.local_codes.ORGANISATION_KINDS.
NHS_PARTNER_KINDS: tuple[str, ...] = ("nhs_trust", "icb")
HOST_KINDS: tuple[str, ...] = ("council", *NHS_PARTNER_KINDS)


class DateOrderError(ValueError):
    """Dates that cannot be: an end before its start, an extension that shortens."""


@dataclass(frozen=True, slots=True)
class Term:
    """An agreement's term: it starts, ends on its original end date unless extended (each
    extension moves the end later) or ended early by notice (the last day it ran)."""

    starts_on: dt.date
    ends_on: dt.date | None  # None: open-ended (runs until ended by notice)
    extended_to: tuple[dt.date, ...] = ()
    terminated_on: dt.date | None = None

    def __post_init__(self) -> None:
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise DateOrderError("The end date must be the same as or after the start date")
        if self.terminated_on is not None and self.terminated_on < self.starts_on:
            raise DateOrderError("The agreement cannot end before it started")

    @property
    def last_day(self) -> dt.date | None:
        """The last day the agreement runs (None: open-ended)."""
        end = max(self.extended_to) if self.extended_to else self.ends_on
        if self.terminated_on is not None:
            return self.terminated_on if end is None else min(end, self.terminated_on)
        return end

    def in_force_on(self, day: dt.date) -> bool:
        last = self.last_day
        return self.starts_on <= day and (last is None or day <= last)


def covers(starts_on: dt.date | None, ends_on: dt.date | None, day: dt.date) -> bool:
    """Whether a dated period (inclusive days; an empty end is open, an empty start is since
    records began) covers ``day``: the rule of every hosting and employment row."""
    return (starts_on is None or starts_on <= day) and (ends_on is None or ends_on >= day)


def check_extension(current_last_day: dt.date | None, new_end: dt.date) -> None:
    """An extension moves the end later; an open-ended agreement needs none."""
    if current_last_day is None:
        raise DateOrderError("The agreement has no end date to extend")
    if new_end <= current_last_day:
        raise DateOrderError(
            f"The new end date must be after the current one ({current_last_day:%-d %B %Y})"
        )


def check_effective_date(effective_on: dt.date, today: dt.date) -> None:
    """A transfer takes effect today or later: the past is never rewritten."""
    if effective_on < today:
        raise DateOrderError("The transfer date must be today or in the future")


def day_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=1)
