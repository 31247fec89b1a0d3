"""s117-plan-at-discharge: a joint s117 aftercare plan is agreed by the time the person leaves
hospital.

**Clock.** Each s117 aftercare episode (``mentalhealth.AftercareEpisode``) starts a clock on the
day the person left hospital after the qualifying detention (``eligible_from``).

**Due** on that day (0 days after it): the Mental Health Act 1983 Code of Practice (2015),
chapter 33, expects aftercare planning to begin on admission and the plan to be in place before
the person leaves hospital. The Act sets no time, so this is a local standard (ADR 0022): a
council that allows a few days after an unplanned discharge (a tribunal's, say) sets its own
with a ``LocalStandard`` row for this duty id.

**Met** by the episode's joint aftercare plan (``AftercarePlan``), on the day it was agreed, which
may be before the clock starts (planned before discharge).

**Not applicable** when the aftercare ended (superseded by a new detention, or the person died)
on or before the due date.
"""

from django.db.models import Q

from carebridge.rules import aftercare

from ..spec import Basis, Duty, Exclusion, Period, Records, State


def _episodes(as_of):
    from carebridge.mentalhealth.models import AftercareEpisode

    return AftercareEpisode.objects.all()


def _plans(as_of):
    from carebridge.mentalhealth.models import AftercarePlan

    return AftercarePlan.objects.all()


DUTY = Duty(
    id="s117-plan-at-discharge",
    title="s117 aftercare plan agreed by discharge",
    wording=(
        "When a person detained under section 3, 37, 45A, 47 or 48 leaves hospital, the council "
        "and the ICB must provide aftercare. The Code of Practice expects the joint aftercare "
        "plan to be agreed before the person leaves hospital; the council's standard is that it "
        "is agreed by the day they leave."
    ),
    citation=f"{aftercare.CITATION}; {aftercare.CODE_OF_PRACTICE}",
    url=aftercare.LEGISLATION_URL,
    basis=Basis.LOCAL,
    period=Period(days=aftercare.PLAN_DUE_DAYS_AFTER_DISCHARGE),
    starts=Records(
        queryset=_episodes,
        date="eligible_from",
        ref="pk",
        label="Left hospital (s117 aftercare began)",
    ),
    met_by=Records(
        queryset=_plans,
        date="agreed_on",
        ref="pk",
        person="episode__person",
        label="Joint aftercare plan agreed",
    ),
    match={"episode_id": "pk"},
    met_on_or_after_start=False,
    exclusions=(
        Exclusion(
            condition=lambda as_of: Q(ended_on__isnull=False) & ~Q(end_reason="joint_decision"),
            state=State.NOT_APPLICABLE,
            reason="The aftercare ended (a new detention, or the person died) before the plan "
            "was due",
            by_due="ended_on",
        ),
    ),
    action="Agree the joint aftercare plan with the ICB",
)
