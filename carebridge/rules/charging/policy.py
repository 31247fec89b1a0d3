"""Council charging policy: the choices the regulations and guidance leave to each council.

Each setting of :class:`CouncilPolicy` has a documented default and cites the guidance or the
councils' published policies that show the choice (``POLICY_SOURCES``; the ``[Sn]`` codes are the
reference notes' sources, see ``sources.py``). The defaults are chosen so that a council that has
set nothing never charges more than the regulations allow: where practice differs, the default is
the one more favourable to the person, and the council changes it on purpose.

Money settings are ``Decimal`` pounds and pence (never float).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


class InvalidPolicy(ValueError):
    """A council policy that cannot be used; ``str(error)`` names the setting."""


@dataclass(frozen=True, slots=True)
class CouncilPolicy:
    """A council's charging choices. Build with keywords; every setting has a default."""

    # A label for the workings and letters, e.g. "Exampleshire charging policy 2025".
    name: str = "National defaults"
    # Non-residential: where Attendance Allowance (higher), DLA care (highest) or PIP daily living
    # (enhanced) is paid and the council arranges no night care, disregard the difference between
    # the higher and lower rates (the "night care element").
    disregard_night_care_element: bool = True
    # Non-residential: a standard disability-related expenditure allowance given without an
    # itemised assessment to a person whose disability benefits count as income; an itemised
    # amount above it is allowed instead. None: only the itemised amount.
    flat_rate_dre: Decimal | None = None
    # Non-residential: disregard Pension Credit savings credit in full.
    disregard_savings_credit_at_home: bool = False
    # Disregard Child Tax Credit in full.
    disregard_child_tax_credit: bool = True
    # Non-residential: a weekly amount added to every Minimum Income Guarantee.
    mig_weekly_uplift: Decimal = ZERO
    # Non-residential: higher capital limits than the national ones (None: the national limits).
    non_residential_lower_capital_limit: Decimal | None = None
    non_residential_upper_capital_limit: Decimal | None = None
    # A weekly charge below this amount is not collected (0: every charge is collected).
    waive_charges_below: Decimal = ZERO

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidPolicy("name must be a non-empty string")
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "name":
                continue
            if f.type == "bool":
                if value is not True and value is not False:
                    raise InvalidPolicy(f"{f.name} must be true or false, not {value!r}")
            elif value is not None or "None" not in f.type:
                _check_money(f.name, value)
        lower = self.non_residential_lower_capital_limit
        upper = self.non_residential_upper_capital_limit
        if lower is not None and upper is not None and not lower < upper:
            raise InvalidPolicy(
                "non_residential_lower_capital_limit must be below "
                "non_residential_upper_capital_limit"
            )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: money as strings such as ``"10.85"``; ``policy_from_dict`` reads it."""
        out: dict[str, Any] = {}
        for key, value in asdict(self).items():
            out[key] = f"{value:.2f}" if isinstance(value, Decimal) else value
        return out


def _check_money(name: str, value: object) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise InvalidPolicy(f"{name} must be a Decimal amount of £0 or more, not {value!r}")
    try:
        whole_pennies = value == value.quantize(PENNY)
    except InvalidOperation:
        whole_pennies = False
    if not whole_pennies:
        raise InvalidPolicy(f"{name} must be in pounds and pence, not {value}")


DEFAULT_POLICY = CouncilPolicy()

# Where each choice comes from (reference notes, charging-rates.md section 2) and why the default.
POLICY_SOURCES: dict[str, str] = {
    "disregard_night_care_element": (
        "Default true. Fairer Contributions guidance Annex A paras 1.2-1.3 [S23]; Bromley [S27]; "
        "Knowsley's 'no night care element' [S14]. Not universal: Devon counts enhanced PIP daily "
        "living in full [S12]; SI 2014/2672 does not appear to require it (Sch 1 para 4; Annex C "
        "para 40 require DRE to be allowed where these benefits count). Default true so as not to "
        "charge for night care that is not provided."
    ),
    "flat_rate_dre": (
        "Default none (itemised DRE only). Statutory guidance Annex C para 40: DRE must be "
        "allowed where disability benefits count [S26]. Flat rates are common: Reading £10.85 a "
        "week in 2024/25 unless a full assessment is asked for [S5, S30]; one council allows at "
        "least £20 [S31]; St Helens uses a fixed amount where possible [S29]. Given only where "
        "AA, DLA care or PIP daily living counts, and never more than the amount of them counted, "
        "so that a fall in income can never raise a charge."
    ),
    "disregard_savings_credit_at_home": (
        "Default false: the statutory savings credit disregard (SI 2014/2672 Sch 1 para 40 [S24]) "
        "is for care homes. Some councils disregard savings credit in full at home (Newham [S22], "
        "BANES Annex A): a local choice."
    ),
    "disregard_child_tax_credit": (
        "Default true. Council lists disregard Child Tax Credit (Newham [S22], BANES Annex A); "
        "the reference treats it as a local choice."
    ),
    "mig_weekly_uplift": (
        "Default £0. SH v Norfolk (High Court 2020, as cited by Brighton [S26]) found that "
        "applying only the statutory MIG to severely disabled people discriminated unlawfully; "
        "councils add uplifts, e.g. Gloucestershire +£5 a week [S28]."
    ),
    "non_residential_lower_capital_limit": (
        "Default: the national limit. Councils may set higher capital limits outside care homes "
        "(LAC(DHSC) circular 2024 to 2025 [S1]); never lower."
    ),
    "non_residential_upper_capital_limit": (
        "Default: the national limit. Councils may set higher capital limits outside care homes "
        "(LAC(DHSC) circular 2024 to 2025 [S1]); never lower."
    ),
    "waive_charges_below": (
        "Default £0 (every charge collected). Some councils set a minimum charge, e.g. Reading "
        "£1.25 [S5]: read here as not collecting a charge below it (a charge is never raised to "
        "a minimum, which could take a person below the MIG)."
    ),
}

_MONEY_SETTINGS = {f.name for f in fields(CouncilPolicy) if f.type not in ("bool", "str")}


def policy_from_dict(data: object) -> CouncilPolicy:
    """Read a policy in the form :meth:`CouncilPolicy.as_dict` writes; missing settings take
    their defaults. Money may be a string ``"10.85"`` or a JSON number. Raises InvalidPolicy."""
    if not isinstance(data, dict):
        raise InvalidPolicy("a council policy must be a JSON object of setting -> value")
    allowed = [f.name for f in fields(CouncilPolicy)]
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in allowed:
            raise InvalidPolicy(
                f"unknown setting {json.dumps(key)}: the settings are "
                + ", ".join(f'"{k}"' for k in allowed)
            )
        if key in _MONEY_SETTINGS and value is not None:
            if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
                raise InvalidPolicy(f'{key} must be an amount such as "10.85", not {value!r}')
            try:
                value = Decimal(repr(value) if isinstance(value, float) else value)
            except InvalidOperation:
                raise InvalidPolicy(f"{key}: {value!r} is not an amount of money") from None
        kwargs[key] = value
    return CouncilPolicy(**kwargs)
