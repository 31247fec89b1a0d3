"""Local standards in force: the council's own periods for duties where the law sets none.

A council sets a standard from a date (``LocalStandard`` rows, added and never changed), so
"were we compliant on 31 March 2025?" is judged by the standard in force when each clock
started. Without a council setting, the definition's default applies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .spec import Period


@dataclass(frozen=True, slots=True)
class Version:
    effective_from: dt.date
    period: Period


def in_force(duty_ids: Iterable[str]) -> dict[str, list[Version]]:
    """duty id -> the council's versions of its standard (one query)."""
    from .models import LocalStandard

    out: dict[str, list[Version]] = {}
    rows = LocalStandard.objects.filter(duty_id__in=list(duty_ids)).order_by("effective_from")
    for row in rows:
        out.setdefault(row.duty_id, []).append(
            Version(row.effective_from, Period(days=row.days, months=row.months))
        )
    return out
