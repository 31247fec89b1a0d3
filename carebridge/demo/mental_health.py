"""Mental Health Act work in the synthetic county: AMHP assessments for people with mental health
needs, the detentions they lead to, and the legal status histories that follow (s2 converted to
s3, discharges with the day the person left hospital, community treatment orders), with requests
still open in the AMHP service's queue and reports mostly completed within the council's standard.

Volumes [est]: England sees about 50,000 detentions a year, about 1,000 a year in a large county of
around 930,000 people, from roughly twice as many assessments. The seeded county stands for such
a county at 50,000 people (``history.py``: about 40,000 requests a year), so the seed makes about
2,000 assessments a year per 50,000 people (``PER_PERSON_YEAR``), each for someone whose primary
support reason is mental health. About half detain (mostly s2, some s3, a few s4); a fifth follow
a removal by the police to a place of safety (s136).

Demo accounts: ``amhp.demo`` holds open assessments on the rota (one to carry out, one whose
report is due); two of ``sw.demo``'s people are detained under s3 after a s2 and on a CTO, and a
third has a request waiting on the rota. Rows are tuples in ``ASSESSMENT_FIELDS`` and
``STATUS_FIELDS`` order, written by ``writer.py`` inside the seed's transaction. Nothing here is a
CLD event: Mental Health Act work is not in the CLD return.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from carebridge.core.access import Role
from carebridge.rules import amhp
from carebridge.rules.mental_health_act import EndReason
from carebridge.rules.working_days import add_working_days

from . import distributions as d
from . import names_data as nd
from .history import A_END, A_PERSON, A_START, A_WORKER, ADULT_DAYS, Context, PersonSim

ASSESSMENT_FIELDS = (
    "id", "reference", "person_id", "status", "requested_at", "requester_name",
    "requester_role", "requester_phone", "request_reason", "section_considered",
    "requested_by_id", "held_by_id", "allocated_at", "allocated_by_id", "assessed_at",
    "assessed_on", "location", "doctor_1_name", "doctor_1_s12", "doctor_1_known",
    "doctor_2_name", "doctor_2_s12", "doctor_2_known", "acquaintance_reason", "nr_name",
    "nr_relationship", "nr_contact", "nr_reason", "nr_objected", "nr_displaced", "outcome",
    "hospital_id", "hospital_place", "legal_status_id", "alternatives_considered", "report",
    "report_completed_at", "report_completed_on", "version", "created_at", "updated_at",
    "updated_by_id",
)  # fmt: skip
STATUS_FIELDS = (
    "id", "person_id", "section", "started_at", "ended_at", "end_reason", "left_hospital_on",
    "hospital_id", "place", "follows_id", "notes", "version", "created_at", "created_by_id",
)  # fmt: skip
_F = {name: i for i, name in enumerate(ASSESSMENT_FIELDS)}
_S = {name: i for i, name in enumerate(STATUS_FIELDS)}

# About 2,000 assessments a year for a county seeded at 50,000 people [est] (module docstring).
PER_PERSON_YEAR = 2_000 / 50_000
AFTER_S136 = 0.2  # share following a removal to a place of safety by the police [est]
OUTCOME_WEIGHTS = {  # about half detained, mostly s2 [est]
    amhp.DETAINED_S2: 33,
    amhp.DETAINED_S3: 13,
    amhp.DETAINED_S4: 3,
    amhp.INFORMAL_ADMISSION: 14,
    amhp.COMMUNITY_SUPPORT: 25,
    amhp.NO_FURTHER_ACTION: 12,
}
REQUESTERS = {
    "gp": 22, "care_coordinator": 24, "crisis_team": 16, "liaison": 16, "ward": 8,
    "nearest_relative": 5, "other": 5, "clinician": 4,
}  # fmt: skip
S2_TO_S3 = 0.3  # a s2 converted to s3 after a further assessment [est]
S4_TO_S2 = 0.75  # a second medical recommendation arrives within the 72 hours (s4(4)) [est]
S3_TO_CTO = 0.2  # a s3 ends in a community treatment order [est]
REPORT_DAYS = (0, 1, 2, 3, 4, 5)  # working days to the report, when on time
REPORT_WEIGHTS = (42, 24, 14, 9, 5, 3)
REPORT_LATE = 0.1  # [est] "mostly completed in time"
REPORT_NEVER = 0.02
STAYS_INFORMALLY = 0.25  # leaves hospital after the detention ends [est]
OPEN_PER_50K = 12  # requests waiting at the end of the history for a large county [est]
MIN_OPEN = 4

TRUST_SITE = "Hillside Hospital"
WARDS = ("Willow Ward", "Oak Ward", "Beech Ward", "Rowan Ward", "Cedar Ward (PICU)")
PLACE_OF_SAFETY = f"Health-based place of safety, {TRUST_SITE}"
LOCATIONS = (
    "The person's home",
    "The person's home, with the police present under a s135(1) warrant",
    "Emergency department, Wessex General Hospital",
    "GP surgery",
    "A relative's home",
)
REASONS = (
    "Not eating or sleeping, hearing voices telling him to harm himself; stopped medication "
    "three weeks ago.",
    "Increasingly paranoid about neighbours, barricading the flat; family frightened.",
    "Found by police on a motorway bridge saying she wanted to die.",
    "Manic: not slept for four days, spending heavily, walking into traffic.",
    "Relapse of psychosis after missing depot injections; threatening his brother.",
    "Severe depression, refusing food and fluids for several days.",
)
ALTERNATIVES = (
    "Home treatment team twice daily: declined by the person, and the risk overnight is too high.",
    "Informal admission offered and refused; crisis house has no bed and the person would not "
    "engage.",
    "Support from family at home with crisis team visits: agreed, with a plan for tonight.",
    "Respite at the crisis house, with the care coordinator visiting tomorrow.",
)
REPORTS = (
    "I interviewed the person at length with the two doctors. Their mental disorder is of a "
    "nature and degree that warrants detention in hospital for assessment. Less restrictive "
    "options were considered and are not sufficient now.",
    "The person engaged well and agreed a plan with the crisis team. No application is needed: "
    "the risks can be managed in the community.",
    "The person agreed to come into hospital informally and has capacity to decide this; an "
    "application would not be the least restrictive option.",
    "Treatment is needed that can only be given in hospital; the nearest relative was consulted "
    "and does not object. I have made an application under section 3.",
)


@dataclass
class _Rows:
    assessments: list[list] = field(default_factory=list)
    statuses: list[list] = field(default_factory=list)


class _Generator:
    def __init__(
        self,
        rng: random.Random,
        ctx: Context,
        aware: Callable[[dt.date, int], dt.datetime],
        first_ids: tuple[int, int],
        trust: int,
        amhps: list[int],
        holders: dict[int, list[list]],
    ):
        self.rng, self.ctx, self.aware, self.trust = rng, ctx, aware, trust
        self.amhps, self.holders = amhps, holders
        self.next_assessment, self.next_status = first_ids
        self.rows = _Rows()
        self.died: dt.date | None = None  # the person's death, while their episodes run
        # The last moment anything happens: the day before ``until`` (a demo seeded this
        # morning shows nothing later today).
        self.last_day = ctx.until - dt.timedelta(days=1)

    # -- helpers --------------------------------------------------------------------------

    def at(self, day: dt.date, lo: int = 0, hi: int = 23 * 60 + 59) -> dt.datetime:
        return self.aware(day, self.rng.randint(lo, hi))

    def pick(self, weights: dict[str, float]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def name(self, family: str = "") -> str:
        _, female, male = self.rng.choice(nd.GIVEN_NAMES_BY_COHORT)
        given = self.rng.choice(female if self.rng.random() < 0.5 else male)
        return f"{given} {family or self.rng.choice(nd.FAMILY_NAMES)}"

    def holder(self, person: int, day: dt.date) -> int:
        worker = 0
        for a in self.holders.get(person, ()):
            if a[A_START] <= day and (a[A_END] is None or a[A_END] > day):
                worker = a[A_WORKER] or worker
        return worker

    # -- legal statuses -------------------------------------------------------------------

    def status(
        self, person: int, section: str, start: dt.datetime, by: int, place: str, follows=None
    ) -> list:
        pk = self.next_status
        self.next_status += 1
        hospital = self.trust if section not in ("s17a",) else None
        row = [
            pk, person, section, start, None, "", None, hospital, place,
            follows[_S["id"]] if follows else None, "", 1, start, by,
        ]  # fmt: skip
        self.rows.statuses.append(row)
        return row

    def end(self, row: list, at: dt.datetime, reason: EndReason, left: dt.date | None = None):
        row[_S["ended_at"]], row[_S["end_reason"]] = at, reason.value
        row[_S["left_hospital_on"]] = left
        row[_S["version"]] = 2

    def left_hospital(self, ended: dt.date) -> dt.date | None:
        left = ended
        if self.rng.random() < STAYS_INFORMALLY:
            left = ended + dt.timedelta(days=self.rng.randint(1, 14))
        return left if left <= self.last_day else None

    def replace(self, old: list, section: str, at: dt.datetime, by: int, place: str) -> list:
        self.end(old, at, EndReason.REPLACED)
        return self.status(old[_S["person_id"]], section, at, by, place, follows=old)

    # -- assessments ----------------------------------------------------------------------

    def assessment(
        self,
        p: PersonSim,
        requested: dt.datetime,
        *,
        role: str,
        amhp_worker: int,
        outcome: str | None,
        location: str = "",
        place: str = "",
        report: bool = True,
        allocated: bool = True,
    ) -> list:
        rng = self.rng
        pk = self.next_assessment
        self.next_assessment += 1
        by = self.holder(p.pk, requested.date()) or amhp_worker
        section = amhp.DETAINS.get(outcome or "", "")
        considered = section or rng.choice(("s2", "s3", ""))
        row: list = [None] * len(ASSESSMENT_FIELDS)
        row[:12] = [
            pk, f"MHA{pk:06d}", p.pk, amhp.REQUESTED, requested,
            self.name() if role != "nearest_relative" else self.name(p.family_name),
            role, f"07700 900{rng.randint(0, 999):03d}", rng.choice(REASONS), considered, by,
            None,
        ]  # fmt: skip
        row[_F["allocated_at"]] = row[_F["allocated_by_id"]] = None
        row[_F["version"]] = 1
        row[_F["created_at"]] = row[_F["updated_at"]] = requested
        row[_F["updated_by_id"]] = by
        for key in ("location", "doctor_1_name", "doctor_2_name", "acquaintance_reason",
                    "nr_name", "nr_relationship", "nr_contact", "nr_reason", "outcome",
                    "hospital_place", "alternatives_considered", "report"):  # fmt: skip
            row[_F[key]] = ""
        for key in ("doctor_1_s12", "doctor_1_known", "doctor_2_s12", "doctor_2_known",
                    "nr_objected", "nr_displaced"):  # fmt: skip
            row[_F[key]] = False
        self.rows.assessments.append(row)
        if not allocated:
            return row
        # Everything on the day of the request (an assessment after midnight would be another
        # day's work, and none is later than the history's last day).
        day_end = self.aware(requested.date(), 23 * 60 + 59)
        taken = min(requested + dt.timedelta(minutes=rng.randint(10, 90)), day_end)
        row[_F["status"]] = amhp.ALLOCATED
        row[_F["held_by_id"]] = amhp_worker
        row[_F["allocated_at"]] = taken
        row[_F["allocated_by_id"]] = amhp_worker
        row[_F["version"]] = 2
        row[_F["updated_at"]], row[_F["updated_by_id"]] = taken, amhp_worker
        if outcome is None:
            return row
        assessed = min(taken + dt.timedelta(minutes=rng.randint(60, 8 * 60)), day_end)
        self._assessed(row, p, assessed, outcome, location, place)
        if report:
            self._report(row, assessed)
        return row

    def _assessed(self, row, p, assessed, outcome, location, place) -> None:
        """The assessment's details; a detention's legal status is linked by the caller."""
        rng = self.rng
        section = amhp.DETAINS.get(outcome, "")
        row[_F["status"]] = amhp.ASSESSED
        row[_F["assessed_at"]], row[_F["assessed_on"]] = assessed, assessed.date()
        row[_F["location"]] = location or rng.choice(LOCATIONS)
        row[_F["outcome"]] = outcome
        row[_F["version"]] = 3
        row[_F["updated_at"]] = assessed
        if section or rng.random() < 0.6:
            row[_F["doctor_1_name"]] = "Dr " + self.name()
            row[_F["doctor_1_s12"]] = True
            row[_F["doctor_1_known"]] = rng.random() < 0.2
            if section != "s4":
                row[_F["doctor_2_name"]] = "Dr " + self.name()
                row[_F["doctor_2_known"]] = rng.random() < 0.6
            if not (row[_F["doctor_1_known"]] or row[_F["doctor_2_known"]]):
                row[_F["acquaintance_reason"]] = (
                    "The person's GP was not available out of hours and no other doctor who "
                    "knew them could attend without unreasonable delay."
                )
        contact = {
            "s3": {amhp.NR_CONSULTED: 88, amhp.NR_NOT_PRACTICABLE: 8, amhp.NR_NONE: 4},
            "s2": {amhp.NR_INFORMED: 58, amhp.NR_CONSULTED: 30, amhp.NR_NOT_PRACTICABLE: 8,
                   amhp.NR_NONE: 4},
            "s4": {amhp.NR_INFORMED: 70, amhp.NR_NOT_PRACTICABLE: 30},
        }.get(section, {amhp.NR_CONSULTED: 50, "": 50})  # fmt: skip
        nr = self.pick(contact)
        row[_F["nr_contact"]] = nr
        if nr in (amhp.NR_CONSULTED, amhp.NR_INFORMED):
            relationship = self.pick(
                {
                    "spouse": 30,
                    "parent": 30,
                    "child": 15,
                    "sibling": 15,
                    "lived_with": 5,
                    "acting": 5,
                }
            )
            row[_F["nr_relationship"]] = relationship
            row[_F["nr_displaced"]] = relationship == "acting"
            row[_F["nr_name"]] = self.name(p.family_name if relationship != "lived_with" else "")
        elif nr == amhp.NR_NOT_PRACTICABLE:
            row[_F["nr_reason"]] = "Phoned three times overnight with no answer; no other number."
        elif nr == amhp.NR_NONE:
            row[_F["nr_reason"]] = "No living relatives known to the person or the care team."
        if section:
            row[_F["hospital_id"]] = self.trust
            row[_F["hospital_place"]] = place

    def _report(self, row: list, assessed: dt.datetime) -> None:
        rng = self.rng
        if rng.random() < REPORT_NEVER:
            return
        if rng.random() < REPORT_LATE:
            n = rng.randint(6, 20)
        else:
            n = rng.choices(REPORT_DAYS, weights=REPORT_WEIGHTS)[0]
        day = add_working_days(assessed.date(), n) if n else assessed.date()
        if day > self.last_day:
            return  # still to write at the end of the history
        done = max(self.at(day, 9 * 60, 18 * 60), assessed + dt.timedelta(minutes=45))
        detained = row[_F["outcome"]] in amhp.DETAINS
        row[_F["alternatives_considered"]] = rng.choice(
            ALTERNATIVES[:2] if detained else ALTERNATIVES[2:]
        )
        row[_F["report"]] = REPORTS[0 if detained else rng.choice((1, 2))]
        if row[_F["outcome"]] == amhp.DETAINED_S3:
            row[_F["report"]] = REPORTS[3]
        row[_F["status"]] = amhp.REPORT_COMPLETED
        row[_F["report_completed_at"]], row[_F["report_completed_on"]] = done, done.date()
        row[_F["version"]] = 4
        row[_F["updated_at"]] = done

    # -- an episode ---------------------------------------------------------------------

    def episode(self, p: PersonSim, day: dt.date, amhp_worker: int) -> dt.date | None:
        """An assessment on ``day`` and what follows; the first day the person can be assessed
        again, or None when still subject to the Act at the end of the history."""
        rng = self.rng
        s136 = rng.random() < AFTER_S136
        requested = self.at(day, 0 if s136 else 8 * 60, 23 * 60 if s136 else 19 * 60)
        role = "police" if s136 else self.pick(REQUESTERS)
        outcome = self.pick(OUTCOME_WEIGHTS)
        held = None
        if s136:
            started = requested - dt.timedelta(minutes=rng.randint(30, 240))
            held = self.status(p.pk, "s136", started, amhp_worker, PLACE_OF_SAFETY)
        section = amhp.DETAINS.get(outcome)
        ward = f"{rng.choice(WARDS)}, {TRUST_SITE}"
        row = self.assessment(
            p, requested, role=role, amhp_worker=amhp_worker, outcome=outcome,
            location=PLACE_OF_SAFETY if s136 else "", place=ward if section else "",
        )  # fmt: skip
        assessed = row[_F["assessed_at"]]
        if held is not None:
            if section:
                self.end(held, assessed, EndReason.REPLACED)
            else:
                self.end(held, assessed, EndReason.NOT_DETAINED_AFTER_ASSESSMENT)
        if not section:
            return assessed.date() + dt.timedelta(days=rng.randint(14, 120))
        status = self.status(p.pk, section, assessed, amhp_worker, ward, follows=held)
        row[_F["legal_status_id"]] = status[_S["id"]]
        return self.detention(p, status, amhp_worker, ward)

    def detention(self, p: PersonSim, status: list, amhp_worker: int, ward: str):
        rng = self.rng
        start = status[_S["started_at"]]
        section = status[_S["section"]]
        if section == "s4":
            if rng.random() < S4_TO_S2:
                at = start + dt.timedelta(hours=rng.randint(6, 60))
                if at.date() > self.last_day:
                    return None
                status = self.replace(status, "s2", at, amhp_worker, ward)
                section, start = "s2", at
            else:
                return self.discharge(status, start + dt.timedelta(hours=72), EndReason.EXPIRED)
        if section == "s2":
            if rng.random() < S2_TO_S3:
                day = start.date() + dt.timedelta(days=rng.randint(10, 26))
                if day > self.last_day:
                    return None
                requested = self.at(day, 9 * 60, 15 * 60)
                row = self.assessment(
                    p, requested, role="clinician", amhp_worker=amhp_worker,
                    outcome=amhp.DETAINED_S3, location=ward, place=ward,
                )  # fmt: skip
                status = self.replace(status, "s3", row[_F["assessed_at"]], amhp_worker, ward)
                row[_F["legal_status_id"]] = status[_S["id"]]
                section, start = "s3", row[_F["assessed_at"]]
            else:
                days = rng.randint(4, 28)
                reason = (
                    EndReason.EXPIRED if days == 28 else
                    self.pick({EndReason.DISCHARGED_BY_CLINICIAN: 85,
                               EndReason.DISCHARGED_BY_TRIBUNAL: 10,
                               EndReason.DISCHARGED_BY_NEAREST_RELATIVE: 5})
                )  # fmt: skip
                return self.discharge(status, start + dt.timedelta(days=days), EndReason(reason))
        # s3
        end = start + dt.timedelta(days=rng.randint(30, 180))
        if rng.random() < S3_TO_CTO:
            if end.date() > self.last_day:
                return None
            left = end.date()
            self.end(status, end, EndReason.REPLACED, left)
            cto = self.status(p.pk, "s17a", end, amhp_worker, "", follows=status)
            cto_end = end + dt.timedelta(days=rng.randint(180, 540))
            return self.discharge(cto, cto_end, EndReason.DISCHARGED_BY_CLINICIAN, hospital=False)
        reason = self.pick(
            {
                EndReason.DISCHARGED_BY_CLINICIAN: 80,
                EndReason.DISCHARGED_BY_TRIBUNAL: 12,
                EndReason.DISCHARGED_BY_MANAGERS: 8,
            }
        )
        return self.discharge(status, end, EndReason(reason))

    def discharge(self, status: list, at: dt.datetime, reason: EndReason, hospital=True):
        died = self.died
        if died is not None and died <= min(at.date(), self.last_day):
            at = max(self.at(died, 0, 6 * 60), status[_S["started_at"]])
            self.end(status, at, EndReason.DIED)
            return None
        if at.date() > self.last_day:
            return None  # still detained (or on a CTO) at the end of the history
        left = self.left_hospital(at.date()) if hospital else None
        self.end(status, at, reason, left)
        return (left or at.date()) + dt.timedelta(days=self.rng.randint(30, 365))


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, product = math.exp(-lam), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def generate(
    sims: Sequence[PersonSim],
    rng: random.Random,
    ctx: Context,
    *,
    first_ids: tuple[int, int],
    trust: int,
    amhps: list[int],
    allocations: Sequence[Sequence],
    demo: dict[str, int],
    aware: Callable[[dt.date, int], dt.datetime],
    recorded_mh: set[int],
) -> _Rows:
    """The rows for everyone with mental health needs (``sims`` in pk order; ``recorded_mh``:
    the people recorded with the primary support reason "Mental health support")."""
    holders: dict[int, list[list]] = {}
    for a in allocations:
        holders.setdefault(a[A_PERSON], []).append(a)
    g = _Generator(rng, ctx, aware, first_ids, trust, amhps, holders)
    mh = [p for p in sims if p.pk in recorded_mh]
    if not mh or not amhps:
        return g.rows
    years = (ctx.until - ctx.start).days / 365.25
    lam = PER_PERSON_YEAR * len(sims) * years / len(mh)
    reserved = _demo_people(g, mh, demo, holders)
    busy: set[int] = set(reserved)
    for p in mh:
        if p.pk in reserved:
            continue
        first = max(ctx.start, p.dob + dt.timedelta(days=ADULT_DAYS))
        last = min(g.last_day, p.death or g.last_day)
        if first >= last:
            continue
        span = (last - first).days
        days = sorted(
            first + dt.timedelta(days=rng.randrange(span)) for _ in range(_poisson(rng, lam))
        )
        free: dt.date | None = first
        g.died = p.death
        for day in days:
            if free is None:
                break
            if day < free:
                continue
            free = g.episode(p, day, rng.choice(amhps))
        if free is None:
            busy.add(p.pk)
    _queue(g, mh, busy, demo, len(sims))
    return g.rows


def _demo_people(g: _Generator, mh: list[PersonSim], demo: dict[str, int], holders) -> set[int]:
    """Three of sw.demo's people with mental health needs: detained under s3 after a s2, on a
    CTO, and a request waiting on the rota. Returns their pks (no other episodes for them)."""
    sw, amhp_demo = demo.get("sw.demo"), demo.get("amhp.demo") or g.amhps[0]
    if not sw:
        return set()
    until = g.ctx.until
    theirs = [
        p for p in mh
        if p.death is None
        and any(a[A_WORKER] == sw and a[A_END] is None for a in holders.get(p.pk, ()))
    ][:3]  # fmt: skip
    ward = f"{WARDS[0]}, {TRUST_SITE}"
    if len(theirs) >= 1:  # detained under s2, then s3
        p = theirs[0]
        s2_day = until - dt.timedelta(days=40)
        row = g.assessment(
            p, g.at(s2_day, 9 * 60, 12 * 60), role="care_coordinator", amhp_worker=amhp_demo,
            outcome=amhp.DETAINED_S2, place=ward,
        )  # fmt: skip
        s2 = g.status(p.pk, "s2", row[_F["assessed_at"]], amhp_demo, ward)
        row[_F["legal_status_id"]] = s2[_S["id"]]
        s3_day = until - dt.timedelta(days=19)
        row = g.assessment(
            p, g.at(s3_day, 9 * 60, 12 * 60), role="clinician", amhp_worker=amhp_demo,
            outcome=amhp.DETAINED_S3, location=ward, place=ward,
        )  # fmt: skip
        s3 = g.replace(s2, "s3", row[_F["assessed_at"]], amhp_demo, ward)
        row[_F["legal_status_id"]] = s3[_S["id"]]
    if len(theirs) >= 2:  # on a CTO after s3
        p = theirs[1]
        start = g.at(until - dt.timedelta(days=230), 10 * 60, 16 * 60)
        row = g.assessment(
            p, start - dt.timedelta(hours=5), role="crisis_team", amhp_worker=amhp_demo,
            outcome=amhp.DETAINED_S3, place=ward,
        )  # fmt: skip
        s3 = g.status(p.pk, "s3", row[_F["assessed_at"]], amhp_demo, ward)
        row[_F["legal_status_id"]] = s3[_S["id"]]
        cto_at = g.at(until - dt.timedelta(days=75), 10 * 60, 16 * 60)
        g.end(s3, cto_at, EndReason.REPLACED, cto_at.date())
        g.status(p.pk, "s17a", cto_at, sw, "", follows=s3)
    if len(theirs) >= 3:  # waiting on the rota
        p = theirs[2]
        g.assessment(
            p, g.at(g.last_day, 9 * 60, 17 * 60), role="care_coordinator",
            amhp_worker=amhp_demo, outcome=None, allocated=False,
        )  # fmt: skip
    return {p.pk for p in theirs}


def _queue(g: _Generator, mh: list[PersonSim], busy: set[int], demo: dict[str, int], n: int):
    """Requests still open at the end of the history: some unallocated, some with an AMHP
    (amhp.demo holds one to carry out and one whose report is due)."""
    rng = g.rng
    amhp_demo = demo.get("amhp.demo") or g.amhps[0]
    open_now = {r[_F["person_id"]] for r in g.rows.assessments if r[_F["status"]] in amhp.OPEN}
    free = [
        p for p in mh
        if p.pk not in busy and p.pk not in open_now and p.death is None
        and p.dob + dt.timedelta(days=ADULT_DAYS) < g.ctx.start
    ]  # fmt: skip
    wanted = max(MIN_OPEN, round(n / 50_000 * OPEN_PER_50K))
    chosen = rng.sample(free, min(len(free), wanted + 1))
    for i, p in enumerate(chosen):
        day = g.last_day - dt.timedelta(days=0 if i % 3 else 1)
        requested = g.at(day, 7 * 60, 17 * 60)
        if i == 0:  # amhp.demo: assessed yesterday, the report still to write
            g.assessment(
                p, g.at(g.last_day - dt.timedelta(days=1), 8 * 60, 11 * 60),
                role="gp", amhp_worker=amhp_demo, outcome=amhp.COMMUNITY_SUPPORT, report=False,
            )  # fmt: skip
        elif i == 1:  # amhp.demo: taken, to carry out
            g.assessment(p, requested, role="gp", amhp_worker=amhp_demo, outcome=None)
        else:
            allocated = rng.random() < 0.3
            g.assessment(
                p, requested, role=g.pick(REQUESTERS), amhp_worker=rng.choice(g.amhps),
                outcome=None, allocated=allocated,
            )  # fmt: skip


def seed(write, rng: random.Random, ctx: Context, sims, allocations, aware, trust: int) -> None:
    """Generate and write the assessments and legal statuses (``seed.py`` calls this inside its
    transaction, after people, workers and allocations; ``write`` is its counting writer)."""
    from carebridge.mentalhealth.models import LegalStatus, MHAAssessment
    from carebridge.organisations.models import Worker
    from carebridge.people.models import Person

    from .writer import next_id, reset_sequences

    amhps = list(
        Worker.objects.filter(role=Role.AMHP, team__kind="amhp")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    demo = dict(
        Worker.objects.filter(username__in=("amhp.demo", "sw.demo")).values_list("username", "pk")
    )
    recorded_mh = set(
        Person.objects.filter(primary_support_reason=d.MENTAL_HEALTH).values_list("pk", flat=True)
    )
    rows = generate(
        sims,
        rng,
        ctx,
        first_ids=(next_id(MHAAssessment), next_id(LegalStatus)),
        trust=trust,
        amhps=amhps,
        allocations=allocations,
        demo=demo,
        aware=aware,
        recorded_mh=recorded_mh,
    )
    write("legal statuses", LegalStatus, STATUS_FIELDS, [tuple(r) for r in rows.statuses])
    write(
        "Mental Health Act assessments",
        MHAAssessment,
        ASSESSMENT_FIELDS,
        [tuple(r) for r in rows.assessments],
    )
    reset_sequences([LegalStatus, MHAAssessment])
