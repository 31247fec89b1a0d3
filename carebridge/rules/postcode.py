"""UK postcode normalisation and format check.

Source: the postcode format in the ONS/Royal Mail "Postcode Address File" documentation and
BS 7666: outward code (area letters, district digits, optional letter) then a space and an
inward code (one digit, two letters). Format only: whether the postcode exists is for the
address service, not this module.
"""

from __future__ import annotations

import re

_POSTCODE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]? ?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]? ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)


class InvalidPostcode(ValueError):
    pass


def compact(text: str) -> str:
    """Upper case with all white space removed: the form stored for searching."""
    return re.sub(r"\s+", "", (text or "").upper())


def parse(text: str) -> str:
    """The postcode in its standard display form (``NR1 2DH``); raises InvalidPostcode."""
    c = compact(text)
    if not c:
        raise InvalidPostcode("Enter a postcode")
    if len(c) < 5 or len(c) > 7 or not _POSTCODE.match(c):
        raise InvalidPostcode("Enter a real postcode, like NR1 2DH")
    return f"{c[:-3]} {c[-3:]}"


def is_partial_postcode(text: str) -> bool:
    """True when the text looks like an outward code or sector (``NR1``, ``NR1 2``) to search by."""
    c = compact(text)
    return bool(re.fullmatch(r"[A-Z]{1,2}[0-9][0-9A-Z]?[0-9]?", c))


def district(text: str) -> str | None:
    """The postcode district (the outward code: ``NR1`` of ``NR1 2DH``), or None when the text
    is not a full postcode in the standard format (blank, partial or mistyped)."""
    try:
        return parse(text).split(" ", 1)[0]
    except InvalidPostcode:
        return None
