"""The Mental Health Act 1983 as carebridge records it: the legal statuses a person can hold,
how long each lasts, and which of them lead to aftercare under section 117.

The one place these facts live (pure: no Django). Sources, all on legislation.gov.uk
(https://www.legislation.gov.uk/ukpga/1983/20):

* s2 admission for assessment: up to 28 days (s2(4)).
* s3 admission for treatment: up to 6 months, renewable for 6 months then yearly (s20(1)-(2)).
* s4 emergency admission for assessment: 72 hours from admission unless a second medical
  recommendation converts it to s2 (s4(4)).
* s5(2) doctor's holding power: 72 hours (s5(2)); s5(4) nurse's holding power: 6 hours (s5(4)).
* s135(1) warrant to enter and remove, s135(2) warrant to retake, s136 removal by police to a
  place of safety: up to 24 hours, extendable by 12 (s135(3ZA), s136(2A) and s136B, as amended by
  the Policing and Crime Act 2017).
* s7 guardianship: 6 months, renewable as s3 (s20(1)-(2)).
* s17A community treatment order (CTO): 6 months, renewable (s20A).
* Part III, patients concerned in criminal proceedings: s35, s36, s37 hospital order, s37/41
  with restrictions, s38 interim hospital order, s45A hospital and limitation direction, s47
  transfer of sentenced prisoners, s48 transfer of other prisoners (s49 restrictions may follow).

Aftercare (s117(1), as amended by the Care Act 2014 s75): "persons who are detained under
section 3 above, or admitted to a hospital in pursuance of a hospital order made under section
37 above, or transferred to a hospital in pursuance of a hospital direction made under section
45A above or a transfer direction made under section 47 or 48 above, and then cease to be
detained and (whether or not immediately after so ceasing) leave hospital". s117(2): the duty
lasts until the ICB and the council are satisfied the person no longer needs the services, "but
they shall not be so satisfied in the case of a community patient while he remains such a
patient" (a CTO cannot end s117).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

LEGISLATION = "https://www.legislation.gov.uk/ukpga/1983/20"


class Kind(StrEnum):
    HOLDING_POWER = "holding power"
    PLACE_OF_SAFETY = "place of safety"
    CIVIL_DETENTION = "civil detention"
    FORENSIC_DETENTION = "detention under Part III (criminal proceedings)"
    COMMUNITY = "community"


@dataclass(frozen=True, slots=True)
class Section:
    code: str  # stored value, stable (reports and scripts use it)
    label: str  # how practitioners say it
    title: str  # what it is
    kind: Kind
    # The longest the first period lasts (renewals aside); None where the Act sets none
    # (a restriction order under s41 has no time limit).
    lasts: dt.timedelta | None
    lasts_text: str
    citation: str
    detains: bool = True  # False: the person lives in the community (CTO, guardianship)
    s117_qualifying: bool = False

    @property
    def url(self) -> str:
        """The section on legislation.gov.uk (s37/41 links to s37)."""
        return f"{LEGISLATION}/section/{self.code[1:].split('_')[0].upper()}"


_HOURS = dt.timedelta(hours=1)
_DAYS = dt.timedelta(days=1)

SECTIONS: tuple[Section, ...] = (
    Section("s2", "Section 2", "Admission for assessment", Kind.CIVIL_DETENTION, 28 * _DAYS,
            "up to 28 days", "Mental Health Act 1983 s2"),
    Section("s3", "Section 3", "Admission for treatment", Kind.CIVIL_DETENTION, None,
            "up to 6 months, renewable", "Mental Health Act 1983 s3 and s20", s117_qualifying=True),
    Section("s4", "Section 4", "Emergency admission for assessment", Kind.CIVIL_DETENTION,
            72 * _HOURS, "up to 72 hours", "Mental Health Act 1983 s4"),
    Section("s5_2", "Section 5(2)", "Doctor's holding power", Kind.HOLDING_POWER, 72 * _HOURS,
            "up to 72 hours", "Mental Health Act 1983 s5(2)"),
    Section("s5_4", "Section 5(4)", "Nurse's holding power", Kind.HOLDING_POWER, 6 * _HOURS,
            "up to 6 hours", "Mental Health Act 1983 s5(4)"),
    Section("s135_1", "Section 135(1)", "Warrant to search for and remove to a place of safety",
            Kind.PLACE_OF_SAFETY, 24 * _HOURS, "up to 24 hours (36 if extended)",
            "Mental Health Act 1983 s135(1) and s135(3ZA)"),
    Section("s135_2", "Section 135(2)", "Warrant to retake a patient", Kind.PLACE_OF_SAFETY,
            24 * _HOURS, "up to 24 hours (36 if extended)", "Mental Health Act 1983 s135(2)"),
    Section("s136", "Section 136", "Removal to a place of safety by the police",
            Kind.PLACE_OF_SAFETY, 24 * _HOURS, "up to 24 hours (36 if extended)",
            "Mental Health Act 1983 s136 and s136B"),
    Section("s7", "Section 7", "Guardianship", Kind.COMMUNITY, None,
            "up to 6 months, renewable", "Mental Health Act 1983 s7 and s20", detains=False),
    Section("s17a", "CTO (s17A)", "Community treatment order", Kind.COMMUNITY, None,
            "up to 6 months, renewable", "Mental Health Act 1983 s17A and s20A", detains=False),
    Section("s35", "Section 35", "Remand to hospital for a report", Kind.FORENSIC_DETENTION,
            28 * _DAYS, "up to 28 days, renewable to 12 weeks", "Mental Health Act 1983 s35"),
    Section("s36", "Section 36", "Remand to hospital for treatment", Kind.FORENSIC_DETENTION,
            28 * _DAYS, "up to 28 days, renewable to 12 weeks", "Mental Health Act 1983 s36"),
    Section("s37", "Section 37", "Hospital order", Kind.FORENSIC_DETENTION, None,
            "up to 6 months, renewable", "Mental Health Act 1983 s37", s117_qualifying=True),
    Section("s37_41", "Section 37/41", "Hospital order with restrictions",
            Kind.FORENSIC_DETENTION, None, "without limit of time",
            "Mental Health Act 1983 s37 and s41", s117_qualifying=True),
    Section("s38", "Section 38", "Interim hospital order", Kind.FORENSIC_DETENTION, 12 * 7 * _DAYS,
            "up to 12 weeks, renewable to 12 months", "Mental Health Act 1983 s38"),
    Section("s45a", "Section 45A", "Hospital and limitation direction", Kind.FORENSIC_DETENTION,
            None, "as the sentence", "Mental Health Act 1983 s45A", s117_qualifying=True),
    Section("s47", "Section 47", "Transfer of a sentenced prisoner", Kind.FORENSIC_DETENTION,
            None, "as the sentence", "Mental Health Act 1983 s47", s117_qualifying=True),
    Section("s48", "Section 48", "Transfer of an unsentenced prisoner", Kind.FORENSIC_DETENTION,
            None, "until the proceedings end", "Mental Health Act 1983 s48",
            s117_qualifying=True),
)  # fmt: skip

BY_CODE: dict[str, Section] = {s.code: s for s in SECTIONS}
CHOICES: tuple[tuple[str, str], ...] = tuple((s.code, f"{s.label}: {s.title}") for s in SECTIONS)
S117_QUALIFYING: frozenset[str] = frozenset(s.code for s in SECTIONS if s.s117_qualifying)
# Sections that hold the person (in hospital or a place of safety), and those that do not.
DETAINING: tuple[str, ...] = tuple(s.code for s in SECTIONS if s.detains)
COMMUNITY: tuple[str, ...] = tuple(s.code for s in SECTIONS if not s.detains)
CTO = "s17a"


class EndReason(StrEnum):
    """How a legal status ended. Stored values are stable."""

    DISCHARGED_BY_CLINICIAN = "discharged_rc"  # s23(2): the responsible clinician
    DISCHARGED_BY_TRIBUNAL = "discharged_tribunal"  # s72: the First-tier Tribunal
    DISCHARGED_BY_MANAGERS = "discharged_managers"  # s23(2): the hospital managers
    DISCHARGED_BY_NEAREST_RELATIVE = "discharged_nr"  # s23(2)(a), subject to s25 barring
    EXPIRED = "expired"  # the period ran out without renewal
    REPLACED = "replaced"  # by another section (s2 -> s3, s4 -> s2, s136 -> s2, s3 -> CTO...)
    CTO_REVOKED = "cto_revoked"  # s17F: back to detention under the original section
    DIED = "died"
    TRANSFERRED_OUT = "transferred_out"  # to another jurisdiction (s80 onwards)
    # A holding power or place of safety whose purpose is served without a detention: the
    # person was examined and interviewed and no application made (s5(2), s5(4), s135(3),
    # s136(2): held "for the purpose of enabling him to be examined ... and interviewed").
    NOT_DETAINED_AFTER_ASSESSMENT = "not_detained"


END_REASON_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (reason.value, label)
    for reason, label in (
        (EndReason.DISCHARGED_BY_CLINICIAN, "Discharged by the responsible clinician (s23)"),
        (EndReason.DISCHARGED_BY_TRIBUNAL, "Discharged by the tribunal (s72)"),
        (EndReason.DISCHARGED_BY_MANAGERS, "Discharged by the hospital managers (s23)"),
        (EndReason.DISCHARGED_BY_NEAREST_RELATIVE, "Discharged by the nearest relative (s23)"),
        (EndReason.EXPIRED, "Expired without renewal"),
        (EndReason.REPLACED, "Replaced by another section"),
        (EndReason.CTO_REVOKED, "Community treatment order revoked (s17F)"),
        (EndReason.DIED, "Died"),
        (EndReason.TRANSFERRED_OUT, "Transferred outside England and Wales"),
        (
            EndReason.NOT_DETAINED_AFTER_ASSESSMENT,
            "Ended after assessment without detention (s5, s135, s136)",
        ),
    )
)


def section(code: str) -> Section:
    try:
        return BY_CODE[code]
    except KeyError:
        raise ValueError(f"not a Mental Health Act section carebridge knows: {code!r}") from None


def qualifies_for_s117(code: str) -> bool:
    """Whether detention under this section leads to s117 aftercare once the person ceases to be
    detained and leaves hospital (s117(1))."""
    return code in S117_QUALIFYING


def s117_may_end(on_cto: bool) -> bool:
    """s117(2): the ICB and the council cannot be satisfied aftercare is no longer needed while
    the person is a community patient (on a CTO)."""
    return not on_cto
