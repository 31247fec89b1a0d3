"""s117 aftercare for the synthetic county: read the qualifying detentions already seeded (the
Mental Health Act seeding writes ``LegalStatus`` rows: s3, 37, 37/41, 45A, 47 or 48 ended with
the person leaving hospital, or moved onto a CTO) and open aftercare for most of them, so the
s117 pages, the register and the two s117 duties show a realistic mix.

Most episodes have a joint plan agreed by discharge (some late, a few none yet); services from
the person's approved care plan are funded under s117, home and accommodation support usually
shared 50/50 with the ICB and day and community support paid by the council alone; joint
reviews roughly yearly, some overdue; some aftercare ended by a joint decision (never while on a
CTO); a new qualifying detention supersedes the earlier aftercare (Worcestershire); a death ends
it. With no qualifying detention in the database this writes nothing.

Deterministic: rows are read in key order and every choice comes from ``rng``. Written with
``bulk_create`` inside the seed's transaction (duty refresh is deferred there).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from carebridge.rules import aftercare as rules
from carebridge.rules import mental_health_act as mha
from carebridge.rules.dates import add_months

# Shares [est]: no published figures this seed could cite; chosen for a plausible dashboard.
RECORDED = 0.88  # of eligible detentions, aftercare recorded
PLAN_BY_DISCHARGE = 0.80
PLAN_LATE = 0.15  # the rest: no plan yet
REVIEW_MISSED = 0.15  # an open episode whose latest yearly review has not happened
ENDED_JOINTLY = 0.15  # of episodes older than 18 months
DISPUTED = 0.03
SHARED_COMPONENTS = ("Home support", "Supported accommodation", "Residential", "Nursing")

COUNCIL_ATTENDEES = ("Care coordinator (social worker)", "Team manager", "AMHP")
ICB_ATTENDEES = ("Continuing healthcare lead", "CMHT consultant psychiatrist", "ICB commissioner")
NEEDS = (
    "Support to take medication as prescribed and to attend clinic appointments",
    "Help to manage money and tenancy when unwell; structure to the day",
    "Daily contact while settling back home; support to rebuild contact with family",
)
RISK = (
    "Regular visits notice early signs of relapse and alert the care coordinator",
    "Stable housing and daily structure reduce the stress that preceded admission",
    "Medication support keeps the person well and out of hospital",
)


def _eligible(statuses, ctos) -> list[tuple]:
    """(status, from) for each qualifying detention that led to aftercare, in start order."""
    out = []
    for s in statuses:
        cto = ctos.get(s.pk)
        result = rules.eligibility(
            section=s.section,
            ended_on=s.ended_at.date() if s.ended_at else None,
            left_hospital_on=s.left_hospital_on,
            cto_started_on=cto.date() if cto else None,
        )
        if result.eligible:
            out.append((s, result.from_date))
    return out


def seed(rng: random.Random, until: dt.date) -> dict[str, int]:
    """Write the aftercare; the counts of what was written (empty without detentions)."""
    from carebridge.casework.models import Allocation
    from carebridge.mentalhealth.models import (
        AftercareEndDecision,
        AftercareEpisode,
        AftercareFunding,
        AftercarePlan,
        AftercareReview,
        LegalStatus,
    )
    from carebridge.organisations.models import Organisation, Worker
    from carebridge.planning.models import CarePlan, PlannedService

    statuses = list(
        LegalStatus.objects.filter(section__in=mha.S117_QUALIFYING, ended_at__isnull=False)
        .select_related("person")
        .order_by("person_id", "started_at", "pk")
    )
    if not statuses:
        return {}
    council = Organisation.objects.filter(kind=Organisation.COUNCIL).order_by("pk").first()
    icb = Organisation.objects.filter(kind=Organisation.ICB).order_by("pk").first()
    if council is None or icb is None:
        return {}
    person_ids = sorted({s.person_id for s in statuses})
    ctos = dict(
        LegalStatus.objects.filter(follows__in=[s.pk for s in statuses], section=mha.CTO)
        .order_by("started_at", "pk")
        .values_list("follows_id", "started_at")
    )
    on_cto = set(
        LegalStatus.objects.filter(
            person_id__in=person_ids, section=mha.CTO, ended_at__isnull=True
        ).values_list("person_id", flat=True)
    )
    # Each person's later qualifying detentions (by start), to supersede earlier aftercare.
    detentions: dict[int, list] = {}
    for s in LegalStatus.objects.filter(
        person_id__in=person_ids, section__in=mha.S117_QUALIFYING
    ).order_by("started_at", "pk"):
        detentions.setdefault(s.person_id, []).append(s)
    workers = dict(
        Allocation.objects.filter(
            person_id__in=person_ids, ended_at__isnull=True, worker__isnull=False
        ).values_list("person_id", "worker_id")
    )
    fallback = (
        Worker.objects.filter(role__in=["social_worker", "amhp"], is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    services: dict[int, list] = {}
    for pk, person_id, component in (
        PlannedService.objects.filter(
            plan__person_id__in=person_ids, plan__status=CarePlan.Status.APPROVED
        )
        .order_by("pk")
        .values_list("pk", "plan__person_id", "service_component")
    ):
        services.setdefault(person_id, []).append((pk, component))

    episodes, plans, reviews, decisions, funding = [], [], [], [], []
    for status, start in _eligible(statuses, ctos):
        if start > until or rng.random() >= RECORDED:
            continue
        person = status.person
        later = [
            d for d in detentions.get(status.person_id, [])
            if d.pk != status.pk and d.started_at.date() >= start and d.started_at.date() <= until
        ]  # fmt: skip
        episode = AftercareEpisode(
            person_id=status.person_id,
            detention=status,
            eligible_from=start,
            responsible_council=council,
            responsible_icb=icb,
            residence_basis="address_before_detention",
            residence_address=person.address_line_1 or "",
            residence_postcode=person.postcode or "",
            created_by_id=workers.get(status.person_id, fallback),
        )
        if rng.random() < DISPUTED:
            episode.disputed = True
            episode.dispute_notes = "A neighbouring council says the person lived there before"
        end = _end(rng, episode, later, person, on_cto=status.person_id in on_cto, until=until)
        episodes.append((episode, end))
    # One open episode per person at most: a later detention superseded the earlier ones.
    AftercareEpisode.objects.bulk_create([e for e, _ in episodes])
    for episode, end in episodes:
        worker = workers.get(episode.person_id, fallback)
        last_day = episode.ended_on or until
        roll = rng.random()
        if roll < PLAN_BY_DISCHARGE or episode.ended_on is not None:
            agreed = episode.eligible_from - dt.timedelta(days=rng.randint(0, 10))
        elif roll < PLAN_BY_DISCHARGE + PLAN_LATE:
            agreed = min(episode.eligible_from + dt.timedelta(days=rng.randint(3, 40)), last_day)
        else:
            agreed = None
        if agreed is not None and worker is not None:
            plans.append(
                AftercarePlan(
                    episode=episode,
                    needs=rng.choice(NEEDS),
                    reduces_risk=rng.choice(RISK),
                    council_worker_id=worker,
                    icb_representative=rng.choice(("Dr Priya Shah", "Mo Okafor", "Jo Reyes")),
                    icb_representative_role="Mental health continuing care lead",
                    agreed_on=agreed,
                    updated_by_id=worker,
                )
            )
        reviews += _reviews(rng, episode, last_day, worker)
        if episode.ended_on is None:
            for pk, component in services.get(episode.person_id, []):
                shared = any(component.startswith(c) for c in SHARED_COMPONENTS)
                council_share = Decimal(50) if shared else Decimal(100)
                funding.append(
                    AftercareFunding(
                        episode=episode,
                        planned_service_id=pk,
                        council_percent=council_share,
                        icb_percent=Decimal(100) - council_share,
                        created_by_id=worker,
                    )
                )
        if end == rules.END_JOINT_DECISION:
            decisions.append(
                AftercareEndDecision(
                    episode=episode,
                    decided_on=episode.ended_on,
                    council_decision_maker="Team manager, community mental health",
                    icb_decision_maker="Mental health continuing care lead, ICB",
                    reasons="Well and settled for over a year; no longer needs aftercare",
                    recorded_by_id=worker,
                )
            )
    AftercarePlan.objects.bulk_create(plans)
    AftercareReview.objects.bulk_create(reviews)
    AftercareFunding.objects.bulk_create(funding)
    AftercareEndDecision.objects.bulk_create(decisions)
    return {
        "s117 aftercare episodes": len(episodes),
        "s117 joint plans": len(plans),
        "s117 funded services": len(funding),
        "s117 joint reviews": len(reviews),
        "s117 joint end decisions": len(decisions),
    }


def _end(rng, episode, later, person, *, on_cto: bool, until: dt.date) -> str:
    """End the episode where the county's history says so; the reason, or ""."""
    start = episode.eligible_from
    if later:
        episode.ended_on = later[0].started_at.date()
        episode.end_reason = rules.END_SUPERSEDED
        episode.ended_by_detention = later[0]
    elif person.date_of_death and start <= person.date_of_death <= until:
        episode.ended_on = person.date_of_death
        episode.end_reason = rules.END_DIED
    elif not on_cto and add_months(start, 18) <= until and rng.random() < ENDED_JOINTLY:
        episode.ended_on = add_months(start, rng.randint(12, 18))
        episode.end_reason = rules.END_JOINT_DECISION
    return episode.end_reason


def _reviews(rng, episode, last_day: dt.date, worker) -> list:
    from carebridge.mentalhealth.models import AftercareReview

    out = []
    day = episode.eligible_from
    while True:
        due = add_months(day, rules.REVIEW_INTERVAL_MONTHS)
        held = due - dt.timedelta(days=rng.randint(0, 45))
        if held > last_day:
            break
        if (
            episode.ended_on is None
            and add_months(held, 12) > last_day
            and (rng.random() < REVIEW_MISSED)
        ):
            break  # the latest review has not happened: overdue
        ending = episode.end_reason == rules.END_JOINT_DECISION and held >= add_months(
            episode.ended_on, -3
        )
        out.append(
            AftercareReview(
                episode=episode,
                held_on=held,
                council_attendees=rng.choice(COUNCIL_ATTENDEES),
                icb_attendees=rng.choice(ICB_ATTENDEES),
                outcome=rules.PROPOSE_END
                if ending
                else rng.choice((rules.CONTINUE, rules.CONTINUE, rules.CHANGE)),
                recorded_by_id=worker,
            )
        )
        day = held
    return out
