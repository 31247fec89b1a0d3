"""Restricted records, alerts and case notes for the synthetic county."""

from __future__ import annotations

import datetime as dt
import random

from . import distributions as d
from .history import A_START, A_TEAM, A_WORKER, Context, PersonSim

RESTRICTED_FIELDS = ("id", "person_id", "worker_id", "named_by_id", "named_at")
ALERT_FIELDS = ("id", "person_id", "kind", "details", "starts_on", "ends_on", "raised_by_id")
NOTE_FIELDS = (
    "id",
    "person_id",
    "kind",
    "occurred_at",
    "subject",
    "text",
    "author_id",
    "created_at",
)

RESTRICTED_SHARE = 0.002  # about 0.2% of records are restricted (brief)
ALERT_SHARE = 0.015  # "a few" alerts [est]
NOTE_WINDOW_DAYS = 180  # notes are written over the last six months of open cases

ALERT_DETAILS = {
    "risk_to_staff": (
        "Lone working risk: visit in pairs. Dog at the property, ask for it to be shut away.",
        "Verbal aggression towards staff in the past: see risk assessment before visiting.",
    ),
    "risk_to_others": ("History of risk to others: check the risk assessment before contact.",),
    "safeguarding": (
        "Open safeguarding enquiry: discuss any contact with the safeguarding lead first.",
        "Safeguarding concern raised by the provider: enquiry under way.",
    ),
    "communication": (
        "Profoundly deaf: British Sign Language interpreter needed for all visits.",
        "Uses a communication board; allow extra time.",
    ),
    "interpreter": ("Interpreter needed for all contact; family members should not interpret.",),
    "do_not_contact": (
        "Do not contact the person's son without checking: court order in place.",
        "Do not send post to the home address: use the correspondence address on file.",
    ),
    "key_safe": (
        "Key safe by the back door; code held by the home care provider.",
        "Key safe fitted: code available from the duty desk.",
    ),
    "other": ("Person prefers appointments in the afternoon.",),
}

NOTE_SUBJECTS = {
    "home_visit": ("Home visit", "Review visit at home", "Visit to discuss support plan"),
    "phone_call": ("Telephone call", "Call from family member", "Call to check on progress"),
    "office_visit": ("Appointment at the office", "Clinic appointment"),
    "email_letter": ("Letter sent", "Email from provider", "Email to GP practice"),
    "mdt": ("MDT discussion", "Multi-disciplinary meeting"),
    "supervision": ("Case discussed in supervision", "Management oversight"),
    "case_recording": ("Case recording", "Update to the record"),
}
NOTE_OPENINGS = (
    "Spoke with {name} about how things have been since the last contact.",
    "Visited {name} at home; {name} was up and dressed and keen to talk.",
    "Call with {name}'s daughter, who had been worried about recent falls.",
    "Discussed {name}'s support with the care provider's coordinator.",
    "{name} said the morning calls are working well but evenings are difficult.",
    "Met {name} with the community psychiatric nurse to review the care plan.",
    "Received a message from the GP practice about {name}'s new medication.",
)
NOTE_ACTIONS = (
    "Agreed to review the support plan next month.",
    "Will refer for an occupational therapy assessment for bathing equipment.",
    "Sent the information leaflet about carers' support.",
    "No change needed to the plan at present; will keep in touch.",
    "Asked the provider to increase the lunchtime call to 45 minutes.",
    "Booked a joint visit with the district nurse.",
    "Updated the risk assessment and shared it with the team.",
)


def restricted_rows(
    people: list[PersonSim], rng: random.Random, ctx: Context, first_id: int, aware
) -> tuple[set[int], list[tuple]]:
    """Choose about 0.2% of people with an open allocation; name their worker and the team
    manager (and sometimes a colleague) on the record."""
    candidates = [
        p
        for p in people
        if p.open_allocation is not None and ctx.caseholders.get(p.open_allocation[A_TEAM])
    ]
    if not candidates:
        return set(), []
    count = min(len(candidates), max(1, round(len(people) * RESTRICTED_SHARE)))
    rows: list[tuple] = []
    chosen = rng.sample(candidates, count)
    for p in sorted(chosen, key=lambda x: x.pk):
        alloc = p.open_allocation
        team = alloc[A_TEAM]
        manager = ctx.managers.get(team)
        colleagues = ctx.caseholders[team]
        named = [alloc[A_WORKER] or colleagues[rng.randrange(len(colleagues))]]
        if manager is not None and manager not in named:
            named.append(manager)
        elif len(colleagues) > 1:
            named.append(next(w for w in colleagues if w != named[0]))
        when = aware(max(alloc[A_START], ctx.until - dt.timedelta(days=200)), 11 * 60)
        for worker in named:
            rows.append((first_id + len(rows), p.pk, worker, manager, when))
    return {p.pk for p in chosen}, rows


def alert_rows(
    people: list[PersonSim], rng: random.Random, ctx: Context, first_id: int
) -> list[tuple]:
    candidates = [p for p in people if p.has_events]
    count = min(len(candidates), round(len(people) * ALERT_SHARE))
    rows: list[tuple] = []
    for p in sorted(rng.sample(candidates, count), key=lambda x: x.pk):
        kind = d.ALERT_KIND.pick(rng)
        details = ALERT_DETAILS[kind]
        first = p.first_activity or ctx.until
        last = min(p.last_activity or ctx.until, ctx.until)
        starts = first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))
        ends = None
        if rng.random() < 0.3:
            ends = starts + dt.timedelta(days=rng.randint(30, 400))
            ends = ends if ends <= ctx.until else None
        if p.death is not None and (ends is None or ends > p.death):
            ends = max(starts, p.death)
        raised_by = p.open_allocation[A_WORKER] if p.open_allocation else None
        rows.append(
            (
                first_id + len(rows),
                p.pk,
                kind,
                details[rng.randrange(len(details))],
                starts,
                ends,
                raised_by,
            )
        )
    return rows


def note_rows(
    people: list[PersonSim], rng: random.Random, ctx: Context, first_id: int, aware
) -> list[tuple]:
    """A few case notes for every person whose case is open, by the allocated worker (or the
    team manager when no worker is named)."""
    rows: list[tuple] = []
    last_day = ctx.until - dt.timedelta(days=1)
    for p in people:
        alloc = p.open_allocation
        if alloc is None:
            continue
        author = alloc[A_WORKER] or ctx.managers.get(alloc[A_TEAM])
        if author is None:
            continue
        lo = max(alloc[A_START], ctx.until - dt.timedelta(days=NOTE_WINDOW_DAYS))
        hi = max(lo, last_day)
        count = 1 + (rng.random() < 0.6) + (rng.random() < 0.3) + (rng.random() < 0.15)
        days = sorted(rng.randint(0, (hi - lo).days) for _ in range(count))
        for offset in days:
            kind = d.CASE_NOTE_KIND.pick(rng)
            occurred = aware(lo + dt.timedelta(days=offset), rng.randint(9 * 60, 17 * 60))
            subjects = NOTE_SUBJECTS[kind]
            text = (
                f"{rng.choice(NOTE_OPENINGS).format(name=p.given_name)} {rng.choice(NOTE_ACTIONS)}"
            )
            rows.append(
                (
                    first_id + len(rows),
                    p.pk,
                    kind,
                    occurred,
                    subjects[rng.randrange(len(subjects))],
                    text,
                    author,
                    occurred + dt.timedelta(minutes=rng.randint(5, 120)),
                )
            )
    return rows
