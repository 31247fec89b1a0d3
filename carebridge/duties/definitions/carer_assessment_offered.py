"""carer-assessment-offered: a known unpaid carer of a person with support is offered an
assessment of their own (Care Act 2014 s10); a refusal is recorded (s11(5)).

The duty is owed to the carer: each row is about the carer (their council person ID).

**Clock.** One clock per caring relationship (``CarerRelationship``). It starts on the first day
all of these hold:

* the council knows of the caring: the day the relationship was recorded (``recorded_on``), and
  not before the caring started (``started_on``; where only one of the two is known, that one);
* the carer is an adult (s10(3)): from their 18th birthday;
* the person cared for has support: a CLD Service event of long- or short-term support (not
  support given to a carer), not cancelled, running on that day or starting later while the
  relationship runs. The clock starts when that first service starts, if it is later.

A relationship that ended before the clock would start has no clock. A carer with several
relationships is judged on the latest clock by the as-of date (the engine's once-per-clock
shape).

**Due** 28 days after the clock starts (``rules.carers.OFFER_DAYS``): the Act sets no deadline,
so this is a local standard, which a council changes from a date with a ``LocalStandard`` row
for this duty id (a clock is judged by the standard in force when it started).

**Met** by the earliest of, on or after the clock start:

* an offer of a carer's assessment recorded for the carer (``CarerAssessmentOffer``, under any
  of their relationships): met on the day it was made, whatever the answer (accepted, declined
  with the reason, or none yet);
* a carer's assessment of the carer (a CLD Assessment event with client type "Unpaid carer",
  not cancelled, not a financial assessment): met on the day it started, or on the clock start
  if it was already under way then.

**Not applicable** when, by the as-of date and on or before the due date, the relationship
ended or the person cared for died (the engine itself handles the carer's own death). The law
gives no reason for an exemption: a refusal meets the duty (s11(5)).

The vocabulary has no way to say "met by any of several kinds of record", or "the clock starts
at the later of several dates", so both record sets are the relationships themselves, with the
dates worked out as annotations, and ``match`` ties the two together. The clock is built from
a join (the relationship's row with the cared-for person's first support service), not a
subquery. The exclusions are judged against the due date through ``Exclusion.by_due``.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Greatest, Least

from carebridge.rules import carers, cld
from carebridge.rules.local_codes import CARER_OFFER_METHODS

from ..spec import Basis, Duty, Exclusion, Period, Records, State
from ._common import events

# Stands for "none" where SQLite's MIN/MAX and PostgreSQL's LEAST/GREATEST treat NULL apart.
_NEVER = dt.date(9999, 12, 31)


def _date(expression):
    return Coalesce(expression, Value(_NEVER), output_field=DateField())


def _support():
    """Services for the person cared for: long- or short-term support, not carer support."""
    return events(cld.SERVICE).filter(
        Q(service_type__startswith=cld.LONG_TERM_SUPPORT_PREFIX)
        | Q(service_type__startswith=cld.SHORT_TERM_SUPPORT_PREFIX)
    )


class _AdultOn(Func):
    """The day a person born on the given date turns 18, in SQL, counted as
    :func:`carebridge.rules.carers.adult_on` counts it: someone born on 29 February comes of
    age on 1 March in other years (tests/duties/test_carer_assessment_offered.py checks both
    databases against the rule). Short SQL on purpose: the engine repeats the clock often."""

    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        # SQLite's '+18 years' turns 29 February into 1 March of a common year.
        return f"date({sql}, '+{carers.ADULT_AGE_YEARS} years')", params

    def as_sql(self, compiler, connection, **extra):
        # PostgreSQL turns 29 February into 28 February: one day more for those born then.
        sql, params = compiler.compile(self.source_expressions[0])
        years = carers.ADULT_AGE_YEARS
        leap_day = f"CAST(to_char({sql}, 'MM-DD') = '02-29' AS integer)"
        return f"(CAST({sql} + INTERVAL '{years} years' AS date) + {leap_day})", params * 2


def _with_support(rels):
    """Each caring relationship joined with the cared-for person's support services still
    running on or after ``_from`` (one row for each), and ``_clock``: the later of ``_from``
    and the service's start. A join, not a subquery, so the clock is a plain expression of the
    row wherever the engine repeats it. (One ``filter`` call makes one join, which the
    annotations then reuse; a FilteredRelation is not relabelled inside nested subqueries.)"""
    e = "cared_for__events__"
    running = (
        Q(**{f"{e}event_type": cld.SERVICE, f"{e}cancelled": False})
        & (
            Q(**{f"{e}service_type__startswith": cld.LONG_TERM_SUPPORT_PREFIX})
            | Q(**{f"{e}service_type__startswith": cld.SHORT_TERM_SUPPORT_PREFIX})
        )
        & (Q(**{f"{e}end_date__isnull": True}) | Q(**{f"{e}end_date__gt": F("_from")}))
    )
    return (
        rels.filter(running)
        .annotate(_support_start=F(f"{e}start_date"), _support_pk=F(f"{e}pk"))
        .annotate(_clock=Greatest("_from", "_support_start", output_field=DateField()))
    )


def _known(as_of: dt.date):
    """Caring relationships with ``_from``: the first day the council knew of the caring and
    the carer was an adult."""
    from carebridge.people.models import CarerRelationship

    rels = CarerRelationship.objects.annotate(
        _caring_from=Coalesce("started_on", "recorded_on", output_field=DateField()),
    ).filter(_caring_from__isnull=False)
    return rels.annotate(
        _from=Greatest(
            F("_caring_from"),
            Coalesce("recorded_on", "_caring_from", output_field=DateField()),
            _AdultOn(F("carer__date_of_birth")),
            output_field=DateField(),
        )
    )


def _relationships(as_of: dt.date):
    """The clocks: caring relationships with ``_clock``, the day the council knew an adult
    unpaid carer of a person with support (the first support service running then or after)."""
    earlier = (
        _support()
        .filter(person=OuterRef("cared_for"))
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=OuterRef("_from")))
        .filter(
            Q(start_date__lt=OuterRef("_support_start"))
            | Q(start_date=OuterRef("_support_start"), pk__lt=OuterRef("_support_pk"))
        )
    )
    rels = _with_support(_known(as_of)).filter(~Exists(earlier))
    return rels.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=F("_clock")))


def _method_label():
    return Case(
        *(When(method=code, then=Value(text.lower())) for code, text in CARER_OFFER_METHODS),
        default=Value("other"),
        output_field=CharField(),
    )


def _answer_on(as_of: dt.date):
    """The carer's answer as it stood on the as-of date."""
    answered = Q(responded_on__isnull=False, responded_on__lte=as_of)
    return Case(
        When(answered & Q(response=carers.ACCEPTED), then=Value("accepted")),
        When(answered & Q(response=carers.DECLINED), then=Value("declined")),
        default=Value("no response yet"),
        output_field=CharField(),
    )


def _carers_assessments():
    """Carer's assessments (s10): CLD Assessment events for an unpaid carer, not financial."""
    return (
        events(cld.ASSESSMENT)
        .filter(client_type=cld.UNPAID_CARER)
        .exclude(assessment_type=cld.FINANCIAL_ASSESSMENT)
    )


def _met(as_of: dt.date):
    """The relationships with ``_met``: the day an offer or a carer's assessment met the clock
    (9999-12-31 if none has), and ``_met_ref``, what it was."""
    from carebridge.people.models import CarerAssessmentOffer

    offers = (
        CarerAssessmentOffer.objects.filter(carer=OuterRef("carer"))
        .filter(offered_on__gte=OuterRef("_clock"))
        .order_by("offered_on", "pk")
    )
    assessments = (
        _carers_assessments()
        .filter(person=OuterRef("carer"))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("_clock")))
        .order_by("start_date", "pk")
    )
    offer_ref = offers.annotate(
        _r=Concat(
            Value("("),
            _method_label(),
            Value(", "),
            _answer_on(as_of),
            Value(")"),
            output_field=CharField(),
        )
    ).values("_r")[:1]
    under_way = Concat(
        Value("(assessment "), "reference", Value(" under way)"), output_field=CharField()
    )
    assessment_ref = assessments.annotate(_r=under_way).values("_r")[:1]
    # Every support service, not only the first: a row with a later service has a later clock
    # and so a later (or the same) ``_met``; the engine takes the earliest on or after the
    # clock's start, which is the first service's. Cheaper than finding the first again.
    rels = _with_support(_known(as_of)).annotate(
        _offered_on=_date(Subquery(offers.values("offered_on")[:1])),
        _assessed_on=Greatest(
            F("_clock"),
            _date(Subquery(assessments.values("start_date")[:1])),
            output_field=DateField(),
        ),
    )
    return rels.annotate(
        _met=Least("_offered_on", "_assessed_on", output_field=DateField()),
        _met_ref=Case(
            When(_offered_on__lte=F("_assessed_on"), then=Subquery(offer_ref)),
            default=Subquery(assessment_ref),
            output_field=CharField(),
        ),
    )


DUTY = Duty(
    id="carer-assessment-offered",
    title="Carer's assessment offered",
    wording=(
        "When the council knows an unpaid carer of a person it supports, it must offer the "
        "carer an assessment of their own needs for support. If the carer refuses, the refusal "
        "is recorded and the council need not assess them, until they ask. The Act sets no "
        "deadline; the council's standard is that the offer is made within a set time."
    ),
    citation=carers.CITATION,
    url="https://www.legislation.gov.uk/ukpga/2014/23/section/10",
    basis=Basis.LEGAL,
    period=Period(days=carers.OFFER_DAYS),
    starts=Records(
        queryset=_relationships,
        date="_clock",
        ref="cared_for__person_id",
        person="carer",
        also_held_by="cared_for",
        label="Known as the unpaid carer of a person with support",
    ),
    met_by=Records(
        queryset=_met,
        date="_met",
        ref="_met_ref",
        person="carer",
        label="Carer's assessment offered",
    ),
    match={"pk": "pk"},
    exclusions=(
        Exclusion(
            condition=lambda as_of: Q(ended_on__isnull=False),
            by_due="ended_on",
            state=State.NOT_APPLICABLE,
            reason="The caring ended on or before the date the offer was due.",
        ),
        Exclusion(
            condition=lambda as_of: Q(cared_for__date_of_death__isnull=False),
            by_due="cared_for__date_of_death",
            state=State.NOT_APPLICABLE,
            reason="The person cared for died on or before the date the offer was due.",
        ),
    ),
    action="Offer the carer an assessment of their own, and record their answer",
)
