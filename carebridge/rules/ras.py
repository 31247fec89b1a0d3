"""Resource allocation system (RAS): an indicative weekly personal budget from eligible needs.

There is no national RAS: each council designs and versions its own (the Django side stores the
versions; this module is only the calculation). Legal context, background knowledge to check
against the sources: the personal budget is the cost to the council of meeting the needs it must
or decides to meet (Care Act 2014, s26), and the final amount must be sufficient to meet those
needs; a RAS figure is only an indicative starting point for care and support planning
(Care and Support Statutory Guidance, chapter 11). Nothing here is a final personal budget.

How a scheme scores (points are whole numbers; money is ``Decimal`` pounds, never float):

* each adult outcome (reg 2(2), SI 2015/313) the person is unable to achieve scores that
  outcome's points, plus the points of every limb of reg 2(3) recorded for it;
* an outcome recorded with no limbs is achieved and scores nothing;
* the total selects the highest band whose ``min_points`` it reaches; the band gives the weekly
  amount, and the annual amount is weekly x 52, rounded half up to the penny.

``DEFAULT_SCHEME`` is a synthetic example for demonstrations and tests: it is not any council's
scheme and its figures have no source.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from carebridge.rules.eligibility import ADULT_LIMBS, ADULT_OUTCOMES, InvalidNeeds

WEEKS_PER_YEAR = 52
PENNY = Decimal("0.01")


class InvalidScheme(ValueError):
    """A RAS scheme that cannot be used; ``str(error)`` says what to correct."""


@dataclass(frozen=True)
class RasScheme:
    version: int
    outcome_points: Mapping[str, int]  # adult outcome key -> points when unable to achieve it
    limb_points: Mapping[str, int]  # limb key -> extra points for each outcome it applies to
    bands: tuple[tuple[int, Decimal], ...]  # ascending (min_points, weekly amount in pounds)

    def validate(self) -> None:
        """Raise :class:`InvalidScheme` unless the scheme is complete and consistent."""
        if type(self.version) is not int or self.version < 1:
            raise InvalidScheme(f"version must be a whole number from 1, not {self.version!r}")
        _check_points("outcome_points", self.outcome_points, ADULT_OUTCOMES)
        _check_points("limb_points", self.limb_points, ADULT_LIMBS)
        if not self.bands:
            raise InvalidScheme("bands must not be empty: the first band starts at 0 points")
        previous: tuple[int, Decimal] | None = None
        for i, band in enumerate(self.bands, start=1):
            if not isinstance(band, tuple) or len(band) != 2:
                raise InvalidScheme(f"band {i} must be a pair (min_points, weekly_amount)")
            min_points, amount = band
            if type(min_points) is not int or min_points < 0:
                raise InvalidScheme(
                    f"band {i}: min_points must be a whole number of 0 or more, not {min_points!r}"
                )
            if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0:
                raise InvalidScheme(
                    f"band {i}: weekly amount must be a Decimal of £0 or more, not {amount!r}"
                )
            try:
                whole_pennies = amount == amount.quantize(PENNY)
            except InvalidOperation:  # too many digits to hold in pennies
                whole_pennies = False
            if not whole_pennies:
                raise InvalidScheme(
                    f"band {i}: weekly amount £{amount} must be in whole pence (2 decimal places)"
                )
            if previous is None:
                if min_points != 0:
                    raise InvalidScheme(
                        f"the first band must start at 0 points, not {min_points}, so that every "
                        "total falls in a band"
                    )
            else:
                if min_points <= previous[0]:
                    raise InvalidScheme(
                        f"bands must be in ascending order of min_points: band {i} starts at "
                        f"{min_points}, after a band starting at {previous[0]}"
                    )
                if amount < previous[1]:
                    raise InvalidScheme(
                        f"bands must not go down in amount: band {i} (from {min_points} points) "
                        f"is £{amount}, less than the £{previous[1]} of the band before it"
                    )
            previous = (min_points, amount)


def _check_points(name: str, points: Mapping[str, int], allowed: Mapping[str, str]) -> None:
    if not isinstance(points, Mapping):
        raise InvalidScheme(f"{name} must map each key to points")
    unknown = [k for k in points if k not in allowed]
    if unknown:
        raise InvalidScheme(
            f"{name}: unknown key {unknown[0]!r}; allowed keys are "
            + ", ".join(repr(k) for k in allowed)
        )
    missing = [k for k in allowed if k not in points]
    if missing:
        raise InvalidScheme(
            f"{name}: missing points for {', '.join(repr(k) for k in missing)} "
            "(give 0 to score nothing)"
        )
    for key, value in points.items():
        if type(value) is not int or value < 0:
            raise InvalidScheme(
                f"{name}: {key!r} must be a whole number of 0 or more, not {value!r}"
            )


@dataclass(frozen=True, slots=True)
class RasResult:
    points: int
    weekly_amount: Decimal
    annual_amount: Decimal  # weekly x 52, rounded half up to the penny
    band_min_points: int
    breakdown: tuple[tuple[str, int], ...]  # (outcome key, points) in statutory order


def indicative_budget(scheme: RasScheme, outcomes: Mapping[str, Iterable[str]]) -> RasResult:
    """Score ``outcomes`` (adult outcome key -> limbs recorded, as in ``eligibility.AdultNeeds``)
    under ``scheme``. Raises :class:`InvalidScheme` for a bad scheme and
    ``eligibility.InvalidNeeds`` for an outcome or limb that reg 2 does not have."""
    scheme.validate()
    scored: dict[str, int] = {}
    for key, given in outcomes.items():
        if key not in ADULT_OUTCOMES:
            raise InvalidNeeds(
                f"Unknown outcome {key!r}: allowed outcomes are "
                + ", ".join(repr(k) for k in ADULT_OUTCOMES),
                key=f"outcomes.{key}",
            )
        limbs = set(given)
        bad = [lb for lb in limbs if lb not in ADULT_LIMBS]
        if bad:
            raise InvalidNeeds(
                f"Unknown limb {bad[0]!r} for outcome {key!r}: allowed limbs are "
                + ", ".join(repr(k) for k in ADULT_LIMBS),
                key=f"outcomes.{key}",
            )
        if limbs:
            scored[key] = scheme.outcome_points[key] + sum(scheme.limb_points[lb] for lb in limbs)
    breakdown = tuple((key, scored[key]) for key in ADULT_OUTCOMES if key in scored)
    points = sum(scored.values())
    starts = [min_points for min_points, _ in scheme.bands]
    band_min_points, weekly = scheme.bands[bisect_right(starts, points) - 1]
    weekly = weekly.quantize(PENNY)
    annual = (weekly * WEEKS_PER_YEAR).quantize(PENNY, rounding=ROUND_HALF_UP)
    return RasResult(points, weekly, annual, band_min_points, breakdown)


def scheme_to_dict(scheme: RasScheme) -> dict[str, Any]:
    """JSON-ready form: amounts as strings such as ``"120.00"`` so that no float is involved."""
    return {
        "version": scheme.version,
        "outcome_points": {k: scheme.outcome_points[k] for k in ADULT_OUTCOMES},
        "limb_points": {k: scheme.limb_points[k] for k in ADULT_LIMBS},
        "bands": [
            {"min_points": min_points, "weekly_amount": str(amount.quantize(PENNY))}
            for min_points, amount in scheme.bands
        ],
    }


_SCHEME_KEYS = ("version", "outcome_points", "limb_points", "bands")


def _amount(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidScheme(
            f'{where}: weekly_amount must be a string such as "120.00" (or a whole number), '
            f"not {value!r}"
        )
    try:
        return Decimal(value)
    except InvalidOperation:
        raise InvalidScheme(f"{where}: weekly_amount {value!r} is not an amount of money") from None


def scheme_from_dict(data: object) -> RasScheme:
    """Read and validate a scheme stored by :func:`scheme_to_dict`. Raises InvalidScheme."""
    if not isinstance(data, dict):
        raise InvalidScheme("A RAS scheme must be a JSON object")
    unknown = [k for k in data if k not in _SCHEME_KEYS]
    missing = [k for k in _SCHEME_KEYS if k not in data]
    if unknown or missing:
        raise InvalidScheme(
            ("unknown key " + repr(unknown[0]) if unknown else "missing key " + repr(missing[0]))
            + "; a scheme has exactly the keys "
            + ", ".join(repr(k) for k in _SCHEME_KEYS)
        )
    bands_in = data["bands"]
    if not isinstance(bands_in, list):
        raise InvalidScheme('"bands" must be a list of {"min_points", "weekly_amount"} objects')
    bands = []
    for i, band in enumerate(bands_in, start=1):
        if not isinstance(band, dict) or set(band) != {"min_points", "weekly_amount"}:
            raise InvalidScheme(
                f'band {i} must be an object with exactly "min_points" and "weekly_amount"'
            )
        bands.append((band["min_points"], _amount(band["weekly_amount"], f"band {i}")))
    for name in ("outcome_points", "limb_points"):
        if not isinstance(data[name], dict):
            raise InvalidScheme(f'"{name}" must be an object of key -> points')
    scheme = RasScheme(
        version=data["version"],
        outcome_points=dict(data["outcome_points"]),
        limb_points=dict(data["limb_points"]),
        bands=tuple(bands),
    )
    scheme.validate()
    return scheme


# Synthetic example (no source; not any council's figures): 10 points per outcome, 2 to 5 extra
# points per limb, weekly bands from £0 to £900.
DEFAULT_SCHEME = RasScheme(
    version=1,
    outcome_points=dict.fromkeys(ADULT_OUTCOMES, 10),
    limb_points={
        "without_assistance": 5,
        "pain_distress_anxiety": 3,
        "endangers_health_safety": 4,
        "takes_significantly_longer": 2,
    },
    bands=(
        (0, Decimal("0.00")),
        (10, Decimal("120.00")),
        (20, Decimal("240.00")),
        (30, Decimal("380.00")),
        (40, Decimal("520.00")),
        (55, Decimal("700.00")),
        (70, Decimal("900.00")),
    ),
)
DEFAULT_SCHEME.validate()
