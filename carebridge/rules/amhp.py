"""Mental Health Act assessments by an approved mental health professional (AMHP): who asks for
one, what it can decide, and what the Act requires before an application for detention (pure:
no Django). Stored values are stable.

Sources: the Mental Health Act 1983 (https://www.legislation.gov.uk/ukpga/1983/20) and the Mental
Health Act 1983: Code of Practice (Department of Health, 2015), chapter 14 "Applications for
detention in hospital" (https://www.gov.uk/government/publications/code-of-practice-mental-health-act-1983).

* Who applies: an AMHP (s11(1)), who must be satisfied that an application ought to be made and
  that detention in hospital is in all the circumstances the most appropriate way of providing
  care and treatment, having interviewed the patient (s13(1), s13(2)). The Code's chapter 14
  expects the AMHP to record the assessment and the reasons for their decision, including the
  alternatives to detention they considered.
* Medical recommendations: two for admission for assessment (s2(3)) or for treatment (s3(3));
  one of them from a practitioner approved under s12, and unless that practitioner has previous
  acquaintance with the patient the other "shall, if practicable," be given by one who has
  (s12(2)). An emergency application needs one recommendation, "if practicable" from a
  practitioner with previous acquaintance (s4(3)).
* The nearest relative (s26; a person displaced by the county court under s29 is replaced by
  the acting nearest relative the court appoints):
  - admission for assessment (s2, s4): the AMHP takes "such steps as are practicable" to inform
    them, before or within a reasonable time after the application (s11(3));
  - admission for treatment (s3): the AMHP may not apply if the nearest relative has notified
    an objection, and must consult them first unless consultation "is not reasonably
    practicable or would involve unreasonable delay" (s11(4));
  - a nearest relative may require the council to have an AMHP consider the case; an AMHP who
    decides not to apply gives the nearest relative the reasons in writing (s13(4)).
* Local standard: the Act sets no time for the AMHP's report; the council's default standard is
  5 working days from the assessment (``LOCAL_WORKING_DAYS_TO_REPORT``), a setting the council
  can change (duty ``amhp-report-completed``, ADR 0015 and 0021).
"""

from __future__ import annotations

from dataclasses import dataclass

# The council's default local standard for completing the AMHP report after the assessment, in
# working days (a council setting: the Act and the Code set no time).
LOCAL_WORKING_DAYS_TO_REPORT = 5

# Who asked for the assessment.
REQUESTERS: tuple[tuple[str, str], ...] = (
    ("gp", "GP"),
    ("police", "Police"),
    ("nearest_relative", "Nearest relative (s13(4))"),
    ("ward", "Ward or hospital staff"),
    ("care_coordinator", "Care coordinator or community mental health team"),
    ("crisis_team", "Crisis or home treatment team"),
    ("liaison", "Emergency department or liaison psychiatry"),
    ("clinician", "Responsible or approved clinician"),
    ("other", "Someone else"),
)
NEAREST_RELATIVE_REQUEST = "nearest_relative"

# The sections an assessment considers (an AMHP application).
CONSIDERED: tuple[tuple[str, str], ...] = (
    ("s2", "Section 2: admission for assessment"),
    ("s3", "Section 3: admission for treatment"),
    ("s4", "Section 4: emergency admission for assessment"),
)

# Outcomes, and the section each detains under.
DETAINED_S2 = "detained_s2"
DETAINED_S3 = "detained_s3"
DETAINED_S4 = "detained_s4"
INFORMAL_ADMISSION = "informal_admission"
COMMUNITY_SUPPORT = "community_support"
NO_FURTHER_ACTION = "no_further_action"
OUTCOMES: tuple[tuple[str, str], ...] = (
    (DETAINED_S2, "Detained under Section 2 (admission for assessment)"),
    (DETAINED_S3, "Detained under Section 3 (admission for treatment)"),
    (DETAINED_S4, "Detained under Section 4 (emergency admission for assessment)"),
    (INFORMAL_ADMISSION, "Informal admission to hospital"),
    (COMMUNITY_SUPPORT, "Support in the community"),
    (NO_FURTHER_ACTION, "No further action"),
)
DETAINS: dict[str, str] = {DETAINED_S2: "s2", DETAINED_S3: "s3", DETAINED_S4: "s4"}

# The nearest relative: what the AMHP did.
NR_CONSULTED = "consulted"
NR_INFORMED = "informed"
NR_NOT_PRACTICABLE = "not_practicable"
NR_NONE = "none"
NR_CONTACT: tuple[tuple[str, str], ...] = (
    (NR_CONSULTED, "Consulted (s11(4))"),
    (NR_INFORMED, "Informed (s11(3))"),
    (
        NR_NOT_PRACTICABLE,
        "Not consulted or informed: not reasonably practicable, or it would involve "
        "unreasonable delay",
    ),
    (NR_NONE, "The person has no nearest relative, or none could be identified"),
)
NR_NEEDS_REASON = frozenset({NR_NOT_PRACTICABLE, NR_NONE})

# Who the nearest relative is to the person: the s26(1) list, highest first, and a person who
# has lived with them for 5 years or more (s26(7)).
NR_RELATIONSHIPS: tuple[tuple[str, str], ...] = (
    ("spouse", "Husband, wife or civil partner"),
    ("child", "Son or daughter"),
    ("parent", "Father or mother"),
    ("sibling", "Brother or sister"),
    ("grandparent", "Grandparent"),
    ("grandchild", "Grandchild"),
    ("uncle_aunt", "Uncle or aunt"),
    ("nephew_niece", "Nephew or niece"),
    ("lived_with", "Someone who has lived with the person for 5 years or more (s26(7))"),
    ("acting", "Acting nearest relative appointed by the county court (s29)"),
)

# Statuses of an assessment, in order.
REQUESTED = "requested"
ALLOCATED = "allocated"
ASSESSED = "assessed"
REPORT_COMPLETED = "report_completed"
STATUSES: tuple[tuple[str, str], ...] = (
    (REQUESTED, "Requested"),
    (ALLOCATED, "Allocated to an AMHP"),
    (ASSESSED, "Assessed: report to write"),
    (REPORT_COMPLETED, "Report completed"),
)
OPEN = (REQUESTED, ALLOCATED, ASSESSED)


@dataclass(frozen=True, slots=True)
class Doctor:
    name: str
    s12_approved: bool
    previous_acquaintance: bool


def _label(choices: tuple[tuple[str, str], ...], value: str) -> str:
    return dict(choices).get(value, value)


def outcome_label(outcome: str) -> str:
    return _label(OUTCOMES, outcome)


def requester_label(role: str) -> str:
    return _label(REQUESTERS, role)


def outcome_problems(
    outcome: str,
    *,
    doctors: list[Doctor],
    acquaintance_reason: str,
    nr_contact: str,
    nr_name: str,
    nr_reason: str,
    nr_objected: bool,
) -> dict[str, str]:
    """What the Act requires before an application for detention, checked against what was
    recorded (field -> message; the fields are the assessment form's). Other outcomes need no
    doctors or nearest relative, but what is recorded must still make sense."""
    errors: dict[str, str] = {}
    if outcome not in dict(OUTCOMES):
        return {"outcome": "Select the outcome of the assessment"}
    named = [d for d in doctors if d.name.strip()]
    if len({d.name.strip().lower() for d in named}) < len(named):
        errors["doctor_2_name"] = "The two medical recommendations come from two different doctors"
    section = DETAINS.get(outcome)
    if section in ("s2", "s3"):
        if len(named) < 2:
            first_named = bool(doctors) and bool(doctors[0].name.strip())
            field = "doctor_2_name" if first_named else "doctor_1_name"
            errors[field] = (
                f"Enter both doctors: a Section {section[1:]} application is founded on two "
                f"medical recommendations (s{section[1:]}(3))"
            )
        elif not any(d.s12_approved for d in named):
            errors["doctor_1_s12"] = "One of the doctors must be approved under section 12 (s12(2))"
        elif not any(d.previous_acquaintance for d in named) and not acquaintance_reason.strip():
            errors["acquaintance_reason"] = (
                "Neither doctor knew the person before: say why it was not practicable for one "
                "who did to make a recommendation (s12(2))"
            )
    elif section == "s4":
        if not named:
            errors["doctor_1_name"] = (
                "Enter the doctor: a Section 4 application is founded on one medical "
                "recommendation (s4(3))"
            )
        elif not any(d.previous_acquaintance for d in named) and not acquaintance_reason.strip():
            errors["acquaintance_reason"] = (
                "The doctor did not know the person before: say why it was not practicable for "
                "one who did to make the recommendation (s4(3))"
            )
    if nr_contact and nr_contact not in dict(NR_CONTACT):
        errors["nr_contact"] = "Select what you did about the nearest relative"
    elif section is not None:
        if not nr_contact:
            errors["nr_contact"] = (
                "Select whether you consulted or informed the nearest relative (s11(3), s11(4))"
            )
        elif section == "s3" and nr_contact == NR_INFORMED:
            errors["nr_contact"] = (
                "Before a Section 3 application the nearest relative is consulted, not only "
                "informed, unless that is not reasonably practicable or would involve "
                "unreasonable delay (s11(4)(b))"
            )
        elif section == "s3" and nr_objected:
            errors["nr_objected"] = (
                "No Section 3 application can be made while the nearest relative objects "
                "(s11(4)(a)); the county court can displace them (s29)"
            )
    if nr_contact in (NR_CONSULTED, NR_INFORMED) and not nr_name.strip():
        errors["nr_name"] = "Enter the nearest relative's name"
    if nr_contact in NR_NEEDS_REASON and not nr_reason.strip():
        errors["nr_reason"] = "Say why the nearest relative was not consulted or informed"
    return errors
