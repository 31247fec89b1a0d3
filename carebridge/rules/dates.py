"""Date rules shared across statutory logic: parsing what people type, ages, and sense checks."""

from __future__ import annotations

import calendar
import datetime as dt
import re

# The oldest person ever verified lived to 122; anything older is a typing error.
MAX_PLAUSIBLE_AGE_YEARS = 125

_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%d %b %Y", "%d %B %Y")


class InvalidDate(ValueError):
    pass


def parse(text: str) -> dt.date:
    """Parse a date as people type it in England (day first). Raises InvalidDate."""
    t = re.sub(r"\s+", " ", (text or "").strip())
    if not t:
        raise InvalidDate("Enter a date")
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(t, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise InvalidDate("Enter a real date, like 27 3 1950 or 1950-03-27")


def from_parts(day: str, month: str, year: str) -> dt.date:
    """Build a date from the three boxes of a GOV.UK date input, with GOV.UK error wording."""
    missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not str(v).strip()]
    if len(missing) == 3:
        raise InvalidDate("Enter a date")
    if missing:
        raise InvalidDate("Date must include a " + " and ".join(missing))
    try:
        d, m, y = int(day), int(month), int(year)
    except ValueError:
        raise InvalidDate("Date must be a real date, using numbers only") from None
    if y < 1000:
        raise InvalidDate("Year must include 4 numbers")
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise InvalidDate("Date must be a real date") from None


def age_on(born: dt.date, on: dt.date) -> int:
    """Age in completed years on a date (a person born 29 Feb has a birthday on 1 Mar)."""
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


def check_birth_and_death(
    born: dt.date | None, died: dt.date | None, today: dt.date
) -> dict[str, str]:
    """Field -> message for impossible combinations; empty when the dates make sense."""
    errors: dict[str, str] = {}
    if born is not None:
        if born > today:
            errors["date_of_birth"] = "Date of birth must be today or in the past"
        elif age_on(born, today) > MAX_PLAUSIBLE_AGE_YEARS:
            errors["date_of_birth"] = (
                f"Date of birth must be after {today.year - MAX_PLAUSIBLE_AGE_YEARS}; "
                "check the year"
            )
    if died is not None:
        if died > today:
            errors["date_of_death"] = "Date of death must be today or in the past"
        elif born is not None and died < born:
            errors["date_of_death"] = "Date of death must be the same as or after date of birth"
    return errors


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` calendar months on (or back, if negative), clamped to
    the end of a shorter month: 31 Aug 2025 + 6 = 28 Feb 2026; 29 Feb 2028 + 12 = 28 Feb 2029."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
