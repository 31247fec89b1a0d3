"""NHS number validation (Modulus 11) and UK Core verification status.

Source: NHS Data Dictionary, "NHS Number" attribute: the tenth digit is a Modulus 11 check digit
over the first nine digits weighted 10 down to 2; a remainder giving 10 means the number is invalid.
Verification status codes: FHIR UK Core, Extension-UKCore-NHSNumberVerificationStatus
(CodeSystem UKCore-NHSNumberVerificationStatusEngland).
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

FHIR_NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
FHIR_VERIFICATION_STATUS_EXTENSION = (
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus"
)

# UK Core NHS number verification status (code -> display).
VERIFICATION_STATUS: dict[str, str] = {
    "01": "Number present and verified",
    "02": "Number present but not traced",
    "03": "Trace required",
    "04": "Trace attempted - No match or multiple match found",
    "05": "Trace needs to be resolved - (NHS number or patient detail conflict)",
    "06": "Trace in progress",
    "07": "Number not present and trace not required",
    "08": "Trace postponed (baby under six weeks old)",
}

# Numbers beginning 999 are never issued to real patients and are used for testing.
TEST_RANGE_PREFIX = "999"

_WEIGHTS = range(10, 1, -1)
_SEPARATORS = re.compile(r"[\s-]")


class InvalidNHSNumber(ValueError):
    """The text is not a valid NHS number; ``str(error)`` says why in plain English."""


@dataclass(frozen=True, slots=True)
class NHSNumber:
    digits: str

    def formatted(self) -> str:
        """The 3-3-4 form used on screen and in letters, e.g. ``943 476 5919``."""
        return f"{self.digits[:3]} {self.digits[3:6]} {self.digits[6:]}"

    def __str__(self) -> str:
        return self.digits


def check_digit(first_nine: str) -> int | None:
    """The Modulus 11 check digit for nine digits, or None when no valid number can end them."""
    if len(first_nine) != 9:
        raise ValueError("check_digit needs exactly nine digits")
    total = sum(map(operator.mul, map(int, first_nine), _WEIGHTS))
    c = 11 - (total % 11)
    if c == 11:
        return 0
    if c == 10:
        return None
    return c


def normalise(text: str) -> str:
    """Strip spaces and hyphens, as people type NHS numbers in 3-3-4 groups."""
    return _SEPARATORS.sub("", text or "")


def parse(text: str) -> NHSNumber:
    """Parse and validate; raises :class:`InvalidNHSNumber` with a message a worker can act on."""
    digits = normalise(text)
    if not digits:
        raise InvalidNHSNumber("Enter an NHS number")
    if not digits.isdigit():
        raise InvalidNHSNumber("An NHS number must contain only numbers, like 943 476 5919")
    if len(digits) != 10:
        raise InvalidNHSNumber(
            f"An NHS number must be 10 digits long; you entered {len(digits)} digits"
        )
    expected = check_digit(digits[:9])
    if expected is None or expected != int(digits[9]):
        raise InvalidNHSNumber(
            "This is not a valid NHS number: the check digit does not match. "
            "Check it has been copied correctly"
        )
    return NHSNumber(digits)


def is_valid(text: str) -> bool:
    try:
        parse(text)
    except InvalidNHSNumber:
        return False
    return True
