"""Eligibility determinations under the Care Act 2014, s13, for adults and for carers.

Source: The Care and Support (Eligibility Criteria) Regulations 2015 (SI 2015/313), made under
s13(7) and (8) of the Care Act 2014 (legislation.gov.uk/uksi/2015/313/made, checked):

* reg 2(1): an adult's needs are eligible if (a) they arise from or are related to a physical or
  mental impairment or illness; (b) as a result the adult is unable to achieve two or more of the
  outcomes in reg 2(2); and (c) as a consequence there is, or is likely to be, a significant
  impact on the adult's well-being. Reg 2(3) says when an adult is "unable to achieve" an outcome
  (four limbs, (a) to (d)).
* reg 3(1): a carer's needs are eligible if (a) they arise as a consequence of providing
  necessary care for an adult; (b) any circumstance in reg 3(2) applies: (a) the carer's physical
  or mental health is, or is at risk of, deteriorating, or (b) the carer is unable to achieve any
  of the outcomes in reg 3(2)(b)(i) to (viii); and (c) as a consequence there is, or is likely to
  be, a significant impact on the carer's well-being. Reg 3(3) says when a carer is "unable to
  achieve" an outcome: only three limbs; there is no "takes significantly longer" limb for carers.

Fluctuating needs (reg 2(4), reg 3(4)) and the meaning of "significant" are for the assessor's
judgement: this module takes the assessor's findings as input and applies the tests exactly. s13(2)
requires a written record of the determination and the reasons for it: that is ``reasons``.

The JSON input contract, read by :func:`parse`::

    {"kind": "adult", "needs_arise_from_impairment_or_illness": true,
     "outcomes": {"nutrition": ["without_assistance"], "personal_hygiene": []},
     "significant_impact_on_wellbeing": true}

    {"kind": "carer", "needs_arise_from_providing_necessary_care": true,
     "health_at_risk_of_deterioration": false,
     "outcomes": {"recreational_activities": ["pain_distress_anxiety"]},
     "significant_impact_on_wellbeing": true}

An outcome absent from ``outcomes``, or given an empty list of limbs, is one the person can
achieve. For a carer, ``takes_significantly_longer`` is accepted (forms record it for both) but it
never counts, and the reasons say so.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["adult", "carer"]
ADULT: Kind = "adult"
CARER: Kind = "carer"
KINDS: tuple[Kind, ...] = (ADULT, CARER)

SOURCE = "The Care and Support (Eligibility Criteria) Regulations 2015 (SI 2015/313)"
ADULT_REGULATION = f"{SOURCE}, regulation 2"
CARER_REGULATION = f"{SOURCE}, regulation 3"


@dataclass(frozen=True, slots=True)
class Outcome:
    """A specified outcome: its key in data, the statutory wording and where it is in the SI."""

    key: str
    label: str
    paragraph: str  # e.g. "2(2)(a)"


@dataclass(frozen=True, slots=True)
class Limb:
    """One way of being "unable to achieve" an outcome (reg 2(3), reg 3(3))."""

    key: str
    label: str  # plain English for forms
    short: str  # as it appears in reasons, in brackets after an outcome
    paragraph: str  # e.g. "2(3)(a)"


# Reg 2(2)(a) to (j), in statutory order, in the regulation's own words.
ADULT_OUTCOME_LIST: tuple[Outcome, ...] = (
    Outcome("nutrition", "Managing and maintaining nutrition", "2(2)(a)"),
    Outcome("personal_hygiene", "Maintaining personal hygiene", "2(2)(b)"),
    Outcome("toilet_needs", "Managing toilet needs", "2(2)(c)"),
    Outcome("appropriately_clothed", "Being appropriately clothed", "2(2)(d)"),
    Outcome("use_home_safely", "Being able to make use of the adult's home safely", "2(2)(e)"),
    Outcome("habitable_home", "Maintaining a habitable home environment", "2(2)(f)"),
    Outcome(
        "relationships",
        "Developing and maintaining family or other personal relationships",
        "2(2)(g)",
    ),
    Outcome(
        "work_training_education_volunteering",
        "Accessing and engaging in work, training, education or volunteering",
        "2(2)(h)",
    ),
    Outcome(
        "local_facilities_services",
        "Making use of necessary facilities or services in the local community including public "
        "transport, and recreational facilities or services",
        "2(2)(i)",
    ),
    Outcome(
        "caring_for_child",
        "Carrying out any caring responsibilities the adult has for a child",
        "2(2)(j)",
    ),
)

# Reg 3(2)(b)(i) to (viii), in statutory order, in the regulation's own words.
CARER_OUTCOME_LIST: tuple[Outcome, ...] = (
    Outcome(
        "caring_for_child",
        "Carrying out any caring responsibilities the carer has for a child",
        "3(2)(b)(i)",
    ),
    Outcome(
        "caring_for_others",
        "Providing care to other persons for whom the carer provides care",
        "3(2)(b)(ii)",
    ),
    Outcome(
        "habitable_home",
        "Maintaining a habitable home environment in the carer's home (whether or not this is "
        "also the home of the adult needing care)",
        "3(2)(b)(iii)",
    ),
    Outcome("nutrition", "Managing and maintaining nutrition", "3(2)(b)(iv)"),
    Outcome(
        "relationships",
        "Developing and maintaining family or other personal relationships",
        "3(2)(b)(v)",
    ),
    Outcome(
        "work_training_education_volunteering",
        "Engaging in work, training, education or volunteering",
        "3(2)(b)(vi)",
    ),
    Outcome(
        "local_facilities_services",
        "Making use of necessary facilities or services in the local community, including "
        "recreational facilities or services",
        "3(2)(b)(vii)",
    ),
    Outcome("recreational_activities", "Engaging in recreational activities", "3(2)(b)(viii)"),
)

WITHOUT_ASSISTANCE = "without_assistance"
PAIN_DISTRESS_ANXIETY = "pain_distress_anxiety"
ENDANGERS_HEALTH_SAFETY = "endangers_health_safety"
TAKES_SIGNIFICANTLY_LONGER = "takes_significantly_longer"

# Reg 2(3)(a) to (d).
ADULT_LIMB_LIST: tuple[Limb, ...] = (
    Limb(
        WITHOUT_ASSISTANCE,
        "Unable to achieve it without assistance (including needing prompting)",
        "without assistance",
        "2(3)(a)",
    ),
    Limb(
        PAIN_DISTRESS_ANXIETY,
        "Able to achieve it without assistance, but doing so causes significant pain, "
        "distress or anxiety",
        "significant pain, distress or anxiety",
        "2(3)(b)",
    ),
    Limb(
        ENDANGERS_HEALTH_SAFETY,
        "Able to achieve it without assistance, but doing so endangers, or is likely to "
        "endanger, the health or safety of the adult or of others",
        "endangers health or safety",
        "2(3)(c)",
    ),
    Limb(
        TAKES_SIGNIFICANTLY_LONGER,
        "Able to achieve it without assistance, but it takes significantly longer than would "
        "normally be expected",
        "takes significantly longer",
        "2(3)(d)",
    ),
)

# Reg 3(3)(a) to (c): the first three adult limbs, about the carer; no "significantly longer".
CARER_LIMB_LIST: tuple[Limb, ...] = (
    Limb(
        WITHOUT_ASSISTANCE,
        "Unable to achieve it without assistance",
        "without assistance",
        "3(3)(a)",
    ),
    Limb(
        PAIN_DISTRESS_ANXIETY,
        "Able to achieve it without assistance, but doing so causes the carer significant pain, "
        "distress or anxiety",
        "significant pain, distress or anxiety",
        "3(3)(b)",
    ),
    Limb(
        ENDANGERS_HEALTH_SAFETY,
        "Able to achieve it without assistance, but doing so endangers, or is likely to "
        "endanger, the health or safety of the carer or of others",
        "endangers health or safety",
        "3(3)(c)",
    ),
)

ADULT_OUTCOMES: dict[str, str] = {o.key: o.label for o in ADULT_OUTCOME_LIST}
CARER_OUTCOMES: dict[str, str] = {o.key: o.label for o in CARER_OUTCOME_LIST}
ADULT_OUTCOME_PARAGRAPHS: dict[str, str] = {o.key: o.paragraph for o in ADULT_OUTCOME_LIST}
CARER_OUTCOME_PARAGRAPHS: dict[str, str] = {o.key: o.paragraph for o in CARER_OUTCOME_LIST}
ADULT_LIMBS: dict[str, str] = {lb.key: lb.label for lb in ADULT_LIMB_LIST}
CARER_LIMBS: dict[str, str] = {lb.key: lb.label for lb in CARER_LIMB_LIST}

# Limbs a carer's input may carry: the three that count, plus "takes significantly longer",
# which is recorded but never counts (reg 3(3)).
CARER_ACCEPTED_LIMBS: frozenset[str] = frozenset(CARER_LIMBS) | {TAKES_SIGNIFICANTLY_LONGER}

ADULT_KEYS: tuple[str, ...] = (
    "kind",
    "needs_arise_from_impairment_or_illness",
    "outcomes",
    "significant_impact_on_wellbeing",
)
CARER_KEYS: tuple[str, ...] = (
    "kind",
    "needs_arise_from_providing_necessary_care",
    "health_at_risk_of_deterioration",
    "outcomes",
    "significant_impact_on_wellbeing",
)


class InvalidNeeds(ValueError):
    """The input is not a valid statement of needs; ``str(error)`` says what and where.

    ``key`` is the offending key (a dotted path such as ``outcomes.nutrition``), or "" when the
    whole input is wrong.
    """

    def __init__(self, message: str, key: str = "") -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True, slots=True)
class AdultNeeds:
    """The assessor's findings for an adult who may need care and support (reg 2)."""

    needs_arise_from_impairment_or_illness: bool
    outcomes: Mapping[str, frozenset[str]]  # outcome key -> limbs that apply (empty: achieved)
    significant_impact_on_wellbeing: bool

    kind = ADULT


@dataclass(frozen=True, slots=True)
class CarerNeeds:
    """The assessor's findings for a carer (reg 3)."""

    needs_arise_from_providing_necessary_care: bool
    health_at_risk_of_deterioration: bool
    outcomes: Mapping[str, frozenset[str]]
    significant_impact_on_wellbeing: bool

    kind = CARER


@dataclass(frozen=True, slots=True)
class Determination:
    """The result of :func:`determine`, with the reasons s13(2) requires to be recorded."""

    kind: Kind
    eligible: bool
    outcomes_unable: tuple[str, ...]  # outcome keys, in statutory order
    reasons: tuple[str, ...]
    regulation: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "eligible": self.eligible,
            "outcomes_unable": list(self.outcomes_unable),
            "reasons": list(self.reasons),
            "regulation": self.regulation,
        }


# --- Vocabulary helpers for forms -------------------------------------------------------------


def outcomes_for(kind: Kind) -> tuple[Outcome, ...]:
    """The specified outcomes for adults or carers, in statutory order."""
    return _KIND[_check_kind(kind)].outcome_list


def limbs_for(kind: Kind) -> tuple[Limb, ...]:
    """The limbs of "unable to achieve" that count for adults or carers, in statutory order."""
    return _KIND[_check_kind(kind)].limb_list


def explain_outcome(key: str, kind: Kind) -> str:
    """The statutory wording of an outcome with its paragraph, e.g. for a form's hint text."""
    spec = _KIND[_check_kind(kind)]
    outcome = spec.outcome_by_key.get(key)
    if outcome is None:
        raise InvalidNeeds(
            f"Unknown outcome {_show(key)} for kind {_show(kind)}: "
            f"allowed outcomes are {_list(spec.outcome_by_key)}",
            key="outcomes",
        )
    return f"{outcome.label} (reg {outcome.paragraph})"


def _check_kind(kind: object) -> Kind:
    if not isinstance(kind, str) or kind not in _KIND:
        raise InvalidNeeds(
            f"Unknown kind {_show(kind)}: it must be one of {_list(KINDS)}", key="kind"
        )
    return kind  # type: ignore[return-value]


# --- Determination ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Spec:
    kind: Kind
    outcome_list: tuple[Outcome, ...]
    limb_list: tuple[Limb, ...]
    outcome_by_key: dict[str, Outcome]
    order: dict[str, int]
    counting_limbs: frozenset[str]
    accepted_limbs: frozenset[str]
    limb_order: tuple[str, ...]
    limb_short: dict[str, str]


def _spec(kind: Kind, outcomes: tuple[Outcome, ...], limbs: tuple[Limb, ...]) -> _Spec:
    counting = frozenset(lb.key for lb in limbs)
    accepted = counting if kind == ADULT else CARER_ACCEPTED_LIMBS
    return _Spec(
        kind=kind,
        outcome_list=outcomes,
        limb_list=limbs,
        outcome_by_key={o.key: o for o in outcomes},
        order={o.key: i for i, o in enumerate(outcomes)},
        counting_limbs=counting,
        accepted_limbs=accepted,
        limb_order=tuple(lb.key for lb in ADULT_LIMB_LIST if lb.key in accepted),
        limb_short={lb.key: lb.short for lb in ADULT_LIMB_LIST},
    )


_KIND: dict[str, _Spec] = {
    ADULT: _spec(ADULT, ADULT_OUTCOME_LIST, ADULT_LIMB_LIST),
    CARER: _spec(CARER, CARER_OUTCOME_LIST, CARER_LIMB_LIST),
}

# "Label (limb and limb)" for each (kind, outcome, counting limbs) seen: at most 10 x 15 of them.
_FRAGMENTS: dict[tuple[str, str, frozenset[str]], str] = {}


def _fragment(spec: _Spec, key: str, limbs: frozenset[str]) -> str:
    cache_key = (spec.kind, key, limbs)
    text = _FRAGMENTS.get(cache_key)
    if text is None:
        shorts = " and ".join(spec.limb_short[lb] for lb in spec.limb_order if lb in limbs)
        text = f"{spec.outcome_by_key[key].label} ({shorts})"
        _FRAGMENTS[cache_key] = text
    return text


def _unable(spec: _Spec, outcomes: Mapping[str, Iterable[str]]) -> tuple[list, list[str]]:
    """(index, key, counting limbs) for each outcome not achieved, in statutory order, and the
    keys of outcomes recorded with a limb that is accepted but does not count (carers only)."""
    order, counting, accepted = spec.order, spec.counting_limbs, spec.accepted_limbs
    unable = []
    ignored = []
    for key, given in outcomes.items():
        index = order.get(key)
        if index is None:
            raise InvalidNeeds(
                f"Unknown outcome {_show(key)} for kind {_show(spec.kind)}: "
                f"allowed outcomes are {_list(spec.order)}",
                key=f"outcomes.{key}",
            )
        if not given:
            continue
        limbs = given if isinstance(given, frozenset) else frozenset(given)
        if not accepted.issuperset(limbs):
            bad = sorted(str(x) for x in limbs - accepted)
            raise InvalidNeeds(
                f"Unknown limb {_show(bad[0])} for outcome {_show(key)}: "
                f"allowed limbs for kind {_show(spec.kind)} are {_limbs_text(spec)}",
                key=f"outcomes.{key}",
            )
        if limbs <= counting:
            unable.append((index, key, limbs))
        else:  # a carer's "takes significantly longer": recorded, never counted
            ignored.append((index, key))
            limbs = limbs & counting
            if limbs:
                unable.append((index, key, limbs))
    unable.sort()
    ignored.sort()
    return unable, [key for _, key in ignored]


def _unable_sentence(spec: _Spec, unable: list, para: str, at_least: int) -> str:
    n = len(unable)
    listed = "; ".join(_fragment(spec, key, limbs) for _, key, limbs in unable)
    if n >= at_least:
        return f"Unable to achieve {n} of the specified outcomes (reg {para}): {listed}."
    if n == 0:
        return (
            f"Able to achieve all of the specified outcomes, so reg {para} is not met "
            f"(at least {at_least} must be unable to be achieved)."
        )
    return (
        f"Unable to achieve only {n} of the specified outcomes, so reg {para} is not met "
        f"(at least {at_least} must be unable to be achieved): {listed}."
    )


def _conclusion(who: str, reg: str, failed: list[str]) -> str:
    if not failed:
        return (
            f"The {who}'s needs meet the eligibility criteria: every condition in reg {reg} is met."
        )
    conditions = " and ".join(failed)
    return (
        f"The {who}'s needs do not meet the eligibility criteria: "
        f"reg {reg}{conditions} {'is' if len(failed) == 1 else 'are'} not met."
    )


def _determine_adult(n: AdultNeeds) -> Determination:
    spec = _KIND[ADULT]
    unable, _ = _unable(spec, n.outcomes)
    failed = []
    if n.needs_arise_from_impairment_or_illness:
        first = (
            "Needs arise from or are related to a physical or mental impairment or illness "
            "(reg 2(1)(a))."
        )
    else:
        first = (
            "Needs do not arise from and are not related to a physical or mental impairment or "
            "illness, so reg 2(1)(a) is not met."
        )
        failed.append("(a)")
    if len(unable) < 2:
        failed.append("(b)")
    if n.significant_impact_on_wellbeing:
        third = (
            "As a consequence there is, or is likely to be, a significant impact on the adult's "
            "well-being (reg 2(1)(c))."
        )
    else:
        third = (
            "There is not, and is not likely to be, a significant impact on the adult's "
            "well-being, so reg 2(1)(c) is not met."
        )
        failed.append("(c)")
    reasons = (
        first,
        _unable_sentence(spec, unable, "2(1)(b)", 2),
        third,
        _conclusion("adult", "2(1)", failed),
    )
    return Determination(
        ADULT, not failed, tuple(key for _, key, _ in unable), reasons, ADULT_REGULATION
    )


def _determine_carer(n: CarerNeeds) -> Determination:
    spec = _KIND[CARER]
    unable, ignored = _unable(spec, n.outcomes)
    failed = []
    reasons = []
    if n.needs_arise_from_providing_necessary_care:
        reasons.append(
            "Needs arise as a consequence of providing necessary care for an adult (reg 3(1)(a))."
        )
    else:
        reasons.append(
            "Needs do not arise as a consequence of providing necessary care for an adult, "
            "so reg 3(1)(a) is not met."
        )
        failed.append("(a)")
    if n.health_at_risk_of_deterioration:
        reasons.append(
            "The carer's physical or mental health is, or is at risk of, deteriorating "
            "(reg 3(2)(a))."
        )
    elif unable:
        reasons.append(
            "The carer's physical or mental health is not deteriorating or at risk of "
            "deteriorating (reg 3(2)(a))."
        )
    if unable:
        reasons.append(_unable_sentence(spec, unable, "3(2)(b)", 1))
    elif n.health_at_risk_of_deterioration:
        reasons.append("The carer is able to achieve all of the specified outcomes (reg 3(2)(b)).")
    else:
        reasons.append(
            "The carer's physical or mental health is not deteriorating or at risk of "
            "deteriorating (reg 3(2)(a)) and the carer is able to achieve all of the specified "
            "outcomes (reg 3(2)(b)), so reg 3(1)(b) is not met."
        )
        failed.append("(b)")
    if ignored:
        labels = "; ".join(spec.outcome_by_key[key].label for key in ignored)
        reasons.append(
            f"'Takes significantly longer' was recorded for: {labels}. It does not count for "
            "carers: reg 3(3) has no such limb."
        )
    if n.significant_impact_on_wellbeing:
        reasons.append(
            "As a consequence there is, or is likely to be, a significant impact on the carer's "
            "well-being (reg 3(1)(c))."
        )
    else:
        reasons.append(
            "There is not, and is not likely to be, a significant impact on the carer's "
            "well-being, so reg 3(1)(c) is not met."
        )
        failed.append("(c)")
    reasons.append(_conclusion("carer", "3(1)", failed))
    return Determination(
        CARER, not failed, tuple(key for _, key, _ in unable), tuple(reasons), CARER_REGULATION
    )


def determine(needs: AdultNeeds | CarerNeeds) -> Determination:
    """Apply reg 2 (adult) or reg 3 (carer) to the assessor's findings.

    Adult: eligible iff impairment or illness, at least two outcomes each with at least one of the
    four limbs, and a significant impact on well-being. Carer: eligible iff necessary care, health
    at risk or at least one outcome with one of the three carer limbs, and a significant impact.
    Raises :class:`InvalidNeeds` for an outcome or limb the regulation does not have.
    """
    if type(needs) is AdultNeeds:
        return _determine_adult(needs)
    if type(needs) is CarerNeeds:
        return _determine_carer(needs)
    raise TypeError(f"determine() needs AdultNeeds or CarerNeeds, not {type(needs).__name__}")


# --- The JSON contract ------------------------------------------------------------------------

_ALLOWED_KEYS: dict[str, tuple[str, ...]] = {ADULT: ADULT_KEYS, CARER: CARER_KEYS}
_KEY_SETS: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in _ALLOWED_KEYS.items()}
_JSON_TYPES: dict[type, str] = {
    dict: "an object",
    list: "an array",
    tuple: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true/false",
    type(None): "null",
}


def _show(value: object) -> str:
    """A value as it appears in JSON, shortened."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=repr)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _list(values: Iterable[str]) -> str:
    return ", ".join(f'"{v}"' for v in values)


def _limbs_text(spec: _Spec) -> str:
    if spec.kind == ADULT:
        return _list(spec.limb_order)
    return (
        f'{_list(CARER_LIMBS)} (and "{TAKES_SIGNIFICANTLY_LONGER}", which is accepted but does '
        "not count for carers)"
    )


def _bool(data: dict, key: str) -> bool:
    value = data[key]
    if value is True or value is False:
        return value
    raise InvalidNeeds(
        f'"{key}" must be true or false, not {_show(value)} '
        f"({_JSON_TYPES.get(type(value), type(value).__name__)})",
        key=key,
    )


def _outcomes(data: dict, spec: _Spec) -> dict[str, frozenset[str]]:
    raw = data["outcomes"]
    if type(raw) is not dict:
        raise InvalidNeeds(
            '"outcomes" must be an object mapping each outcome to a list of limbs, not '
            f"{_JSON_TYPES.get(type(raw), type(raw).__name__)}",
            key="outcomes",
        )
    order, accepted = spec.order, spec.accepted_limbs
    out: dict[str, frozenset[str]] = {}
    for key, limbs in raw.items():
        if key not in order:
            other = _KIND[CARER if spec.kind == ADULT else ADULT]
            hint = f' ("{key}" is an outcome for {other.kind}s)' if key in other.order else ""
            raise InvalidNeeds(
                f'Unknown outcome {_show(key)} in "outcomes" for kind {_show(spec.kind)}{hint}: '
                f"allowed outcomes are {_list(spec.order)}",
                key=f"outcomes.{key}",
            )
        if type(limbs) is not list and type(limbs) is not tuple:
            raise InvalidNeeds(
                f'"outcomes.{key}" must be a list of limbs (empty if the outcome is achieved), '
                f"not {_show(limbs)} ({_JSON_TYPES.get(type(limbs), type(limbs).__name__)}): "
                f"allowed limbs are {_limbs_text(spec)}",
                key=f"outcomes.{key}",
            )
        try:
            given = frozenset(limbs)
        except TypeError:  # an object or array among the limbs
            given = None
        if given is None or not accepted.issuperset(given):
            bad = next(x for x in limbs if type(x) is not str or x not in accepted)
            raise InvalidNeeds(
                f'Unknown limb {_show(bad)} in "outcomes.{key}": allowed limbs for kind '
                f'"{spec.kind}" are {_limbs_text(spec)}',
                key=f"outcomes.{key}",
            )
        out[key] = given
    return out


def parse(data: object) -> AdultNeeds | CarerNeeds:
    """Read one statement of needs in the JSON contract (see the module docstring).

    Strict: JSON true/false only for booleans, no unknown or missing keys, no unknown outcomes or
    limbs. Raises :class:`InvalidNeeds` naming the offending key and listing the allowed values.
    """
    if type(data) is not dict:
        raise InvalidNeeds(
            "Expected a JSON object describing an adult's or a carer's needs, not "
            f"{_JSON_TYPES.get(type(data), type(data).__name__)}"
        )
    if "kind" not in data:
        raise InvalidNeeds(f'Missing key "kind": it must be one of {_list(KINDS)}', key="kind")
    kind = data["kind"]
    spec = _KIND.get(kind) if type(kind) is str else None
    if spec is None:
        raise InvalidNeeds(
            f'Unknown "kind" {_show(kind)}: it must be one of {_list(KINDS)}', key="kind"
        )
    allowed = _KEY_SETS[kind]
    if len(data) != len(allowed) or data.keys() != allowed:
        for key in data:
            if key not in allowed:
                raise InvalidNeeds(
                    f"Unknown key {_show(key)} for kind {_show(kind)}: allowed keys are "
                    f"{_list(_ALLOWED_KEYS[kind])}",
                    key=str(key),
                )
        for key in _ALLOWED_KEYS[kind]:
            if key not in data:
                what = "an object of outcomes" if key == "outcomes" else "true or false"
                raise InvalidNeeds(
                    f"Missing key {_show(key)} for kind {_show(kind)} ({what})", key=key
                )
    if kind == ADULT:
        return AdultNeeds(
            needs_arise_from_impairment_or_illness=_bool(
                data, "needs_arise_from_impairment_or_illness"
            ),
            outcomes=_outcomes(data, spec),
            significant_impact_on_wellbeing=_bool(data, "significant_impact_on_wellbeing"),
        )
    return CarerNeeds(
        needs_arise_from_providing_necessary_care=_bool(
            data, "needs_arise_from_providing_necessary_care"
        ),
        health_at_risk_of_deterioration=_bool(data, "health_at_risk_of_deterioration"),
        outcomes=_outcomes(data, spec),
        significant_impact_on_wellbeing=_bool(data, "significant_impact_on_wellbeing"),
    )


def to_dict(needs: AdultNeeds | CarerNeeds) -> dict[str, Any]:
    """The JSON contract for a statement of needs: ``parse(to_dict(n)) == n``."""
    spec = _KIND[needs.kind]
    outcomes = {
        key: [lb for lb in spec.limb_order if lb in needs.outcomes[key]]
        for key in sorted(needs.outcomes, key=lambda k: spec.order.get(k, len(spec.order)))
    }
    if isinstance(needs, AdultNeeds):
        return {
            "kind": ADULT,
            "needs_arise_from_impairment_or_illness": needs.needs_arise_from_impairment_or_illness,
            "outcomes": outcomes,
            "significant_impact_on_wellbeing": needs.significant_impact_on_wellbeing,
        }
    necessary_care = needs.needs_arise_from_providing_necessary_care
    return {
        "kind": CARER,
        "needs_arise_from_providing_necessary_care": necessary_care,
        "health_at_risk_of_deterioration": needs.health_at_risk_of_deterioration,
        "outcomes": outcomes,
        "significant_impact_on_wellbeing": needs.significant_impact_on_wellbeing,
    }


def determine_json(data: object) -> dict[str, Any]:
    """``parse`` then ``determine`` then ``as_dict``: one JSON object in, one out."""
    return determine(parse(data)).as_dict()
