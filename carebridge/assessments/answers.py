"""What a worker types into an assessment, section by section, turned into field values.

An assessment is filled in over several sections (pages without JavaScript). Each section
posts only its own fields; :func:`parse_section` turns a post into the changes to save and the
messages for anything that cannot be saved as typed. A draft may be incomplete: only
:func:`missing_for_completion` insists on every answer the law needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from carebridge.rules import dates, eligibility

from .models import Assessment

YES, NO = "yes", "no"


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    fields: tuple[str, ...]
    kinds: tuple[str, ...] = (Assessment.Kind.ADULT, Assessment.Kind.CARER)


SECTIONS: tuple[Section, ...] = (
    Section(
        "needs",
        "Where the needs come from",
        ("needs_arise_from_impairment_or_illness", "impairment_or_illness"),
        (Assessment.Kind.ADULT,),
    ),
    Section(
        "caring",
        "The care you give",
        (
            "provides_necessary_care",
            "care_provided",
            "health_at_risk_of_deterioration",
            "carer_health",
            "carer_willing_and_able",
        ),
        (Assessment.Kind.CARER,),
    ),
    Section("outcomes", "Outcomes", ("outcomes", "fluctuating_needs")),
    Section(
        "wellbeing", "Impact on wellbeing", ("significant_impact_on_wellbeing", "wellbeing_impact")
    ),
    Section(
        "person", "Strengths and what matters", ("what_matters", "strengths", "informal_support")
    ),
    Section(
        "involvement",
        "Involvement and advocacy",
        (
            "substantial_difficulty_being_involved",
            "appropriate_individual",
            "advocate_referred_on",
            "advocate",
        ),
    ),
)
CHECK = "check"

BOOLEAN_FIELDS = frozenset(
    {
        "needs_arise_from_impairment_or_illness",
        "provides_necessary_care",
        "health_at_risk_of_deterioration",
        "significant_impact_on_wellbeing",
        "substantial_difficulty_being_involved",
    }
)
DATE_FIELDS = frozenset({"advocate_referred_on"})
SHORT_TEXT_LIMITS = {"appropriate_individual": 200, "advocate": 200}
MAX_TEXT = 20_000


def sections_for(kind: str) -> list[Section]:
    return [s for s in SECTIONS if kind in s.kinds]


def section(kind: str, slug: str) -> Section | None:
    return next((s for s in sections_for(kind) if s.slug == slug), None)


def outcome_labels(kind: str) -> dict[str, str]:
    return dict(
        eligibility.ADULT_OUTCOMES if kind == Assessment.Kind.ADULT else eligibility.CARER_OUTCOMES
    )


def limb_labels(kind: str) -> dict[str, str]:
    return dict(
        eligibility.ADULT_LIMBS if kind == Assessment.Kind.ADULT else eligibility.CARER_LIMBS
    )


def _boolean(value: str) -> bool | None:
    return {YES: True, NO: False}.get(value)


def parse_section(
    kind: str, sec: Section, data: Mapping, today: dt.date
) -> tuple[dict[str, object], dict[str, str]]:
    """(changes, errors) for one section's posted fields. Fields not posted are left alone."""
    changes: dict[str, object] = {}
    errors: dict[str, str] = {}
    for name in sec.fields:
        if name == "outcomes":
            if "outcomes-shown" in data:
                changes["outcomes"], outcome_errors = _parse_outcomes(kind, data)
                errors.update(outcome_errors)
            continue
        if name in DATE_FIELDS:
            parts = [str(data.get(f"{name}-{p}", "")).strip() for p in ("day", "month", "year")]
            if not any(f"{name}-{p}" in data for p in ("day", "month", "year")):
                continue
            if not any(parts):
                changes[name] = None
                continue
            try:
                value = dates.from_parts(*parts)
            except dates.InvalidDate as e:
                errors[name] = f"Date of referral: {str(e)[0].lower()}{str(e)[1:]}"
                continue
            if value > today:
                errors[name] = "Date of referral must be today or in the past"
                continue
            changes[name] = value
            continue
        if name not in data:
            continue
        raw = str(data.get(name, ""))
        if name in BOOLEAN_FIELDS:
            if raw not in {YES, NO, ""}:
                errors[name] = "Select yes or no"
                continue
            changes[name] = _boolean(raw)
            continue
        text = raw.replace("\r\n", "\n").strip()
        limit = SHORT_TEXT_LIMITS.get(name, MAX_TEXT)
        if len(text) > limit:
            errors[name] = f"Must be {limit:,} characters or fewer (you typed {len(text):,})"
            continue
        changes[name] = text
    return changes, errors


def _parse_outcomes(kind: str, data: Mapping) -> tuple[dict, dict[str, str]]:
    labels, limbs = outcome_labels(kind), limb_labels(kind)
    getlist = getattr(data, "getlist", None)
    out: dict[str, dict] = {}
    errors: dict[str, str] = {}
    for key in labels:
        chosen = getlist(f"outcome-{key}") if getlist else data.get(f"outcome-{key}", [])
        if isinstance(chosen, str):
            chosen = [chosen]
        unknown = [c for c in chosen if c not in limbs]
        if unknown:
            errors[f"outcome-{key}"] = f"{labels[key]}: choose from the listed ways"
        picked = [limb for limb in limbs if limb in chosen]
        evidence = str(data.get(f"outcome-{key}-evidence", "")).replace("\r\n", "\n").strip()
        if len(evidence) > MAX_TEXT:
            errors[f"outcome-{key}-evidence"] = f"{labels[key]}: evidence is too long"
            continue
        if picked or evidence:
            out[key] = {"limbs": picked, "evidence": evidence}
    return out, errors


def needs_for_rules(a: Assessment) -> eligibility.AdultNeeds | eligibility.CarerNeeds:
    """The assessment as the eligibility rules take it (unanswered questions count as no)."""
    outcomes = {k: frozenset(v.get("limbs", [])) for k, v in (a.outcomes or {}).items()}
    if a.kind == Assessment.Kind.ADULT:
        return eligibility.AdultNeeds(
            needs_arise_from_impairment_or_illness=bool(a.needs_arise_from_impairment_or_illness),
            outcomes=outcomes,
            significant_impact_on_wellbeing=bool(a.significant_impact_on_wellbeing),
        )
    return eligibility.CarerNeeds(
        needs_arise_from_providing_necessary_care=bool(a.provides_necessary_care),
        health_at_risk_of_deterioration=bool(a.health_at_risk_of_deterioration),
        outcomes=outcomes,
        significant_impact_on_wellbeing=bool(a.significant_impact_on_wellbeing),
    )


def missing_for_completion(a: Assessment) -> dict[str, tuple[str, str]]:
    """field -> (section slug, message) for each answer the law needs before a determination."""
    missing: dict[str, tuple[str, str]] = {}
    if a.kind == Assessment.Kind.ADULT:
        if a.needs_arise_from_impairment_or_illness is None:
            missing["needs_arise_from_impairment_or_illness"] = (
                "needs",
                "Select whether the needs arise from a physical or mental impairment or illness",
            )
    else:
        if a.cared_for_id is None:
            missing["cared_for"] = ("caring", "Record who the carer looks after")
        if a.provides_necessary_care is None:
            missing["provides_necessary_care"] = (
                "caring",
                "Select whether the needs arise from providing necessary care",
            )
        if a.health_at_risk_of_deterioration is None:
            missing["health_at_risk_of_deterioration"] = (
                "caring",
                "Select whether the carer's health is, or is at risk of, deteriorating",
            )
    for key, answer in (a.outcomes or {}).items():
        if answer.get("limbs") and not answer.get("evidence"):
            label = outcome_labels(a.kind).get(key, key)
            missing[f"outcome-{key}-evidence"] = (
                "outcomes",
                f"{label}: give your evidence for why this outcome cannot be achieved",
            )
    if a.significant_impact_on_wellbeing is None:
        missing["significant_impact_on_wellbeing"] = (
            "wellbeing",
            "Select whether there is, or is likely to be, a significant impact on wellbeing",
        )
    if a.significant_impact_on_wellbeing and not a.wellbeing_impact:
        missing["wellbeing_impact"] = ("wellbeing", "Describe the impact on wellbeing")
    if a.substantial_difficulty_being_involved is None:
        missing["substantial_difficulty_being_involved"] = (
            "involvement",
            "Select whether the person would have substantial difficulty being involved",
        )
    if a.needs_advocate and not a.advocate_referred_on:
        missing["advocate_referred_on"] = (
            "involvement",
            "There is no appropriate individual to support the person: refer an independent "
            "advocate (Care Act s67) and record the date of referral",
        )
    return missing
