"""Local code lists: vocabularies carebridge records that CLD does not define.

These are council data-standard choices, not statutory lists. Where a national list exists it
is named beside the list; otherwise the list is ours and may be extended by a council.
"""

from __future__ import annotations

# Who made a request for support. CLD Release 2 has no "source of request" field; the categories
# follow the SALT STS001 "source of request" breakdown used before CLD (NHS Digital SALT guidance
# 2022-23, table STS001) so that councils can still report referral sources.
REQUEST_SOURCES: tuple[tuple[str, str], ...] = (
    ("self", "Self-referral"),
    ("family_friend", "Family, friend or neighbour"),
    ("carer", "Unpaid carer"),
    ("gp", "GP or primary care"),
    ("acute_hospital", "Acute hospital"),
    ("mental_health_trust", "NHS mental health trust"),
    ("community_health", "Community health services"),
    ("police", "Police"),
    ("housing", "Housing or homelessness service"),
    ("voluntary_sector", "Voluntary or community organisation"),
    ("provider", "Care provider"),
    ("other_la_department", "Another council department"),
    ("other", "Other"),
)
# A caring relationship brought in from a CLD file, which links a carer to the adults they care
# for but does not say how they are related. Not offered on the form: a worker records the
# relationship they know.
RELATIONSHIP_NOT_RECORDED = ("not_recorded", "Not recorded (imported from a CLD file)")

# How a contact reached the council (front-door channel).
CONTACT_METHODS: tuple[tuple[str, str], ...] = (
    ("phone", "Telephone"),
    ("email", "Email"),
    ("online_form", "Online form"),
    ("letter", "Letter"),
    ("in_person", "In person"),
    ("nhs_referral", "NHS electronic referral"),
)

CASE_NOTE_KINDS: tuple[tuple[str, str], ...] = (
    ("home_visit", "Home visit"),
    ("phone_call", "Telephone call"),
    ("office_visit", "Office or clinic appointment"),
    ("email_letter", "Email or letter"),
    ("mdt", "Multi-disciplinary team discussion"),
    ("supervision", "Supervision or management oversight"),
    ("case_recording", "Case recording"),
    ("other", "Other"),
)

ALERT_KINDS: tuple[tuple[str, str], ...] = (
    ("risk_to_staff", "Risk to staff - lone working"),
    ("risk_to_others", "Risk to others"),
    ("safeguarding", "Safeguarding concern open"),
    ("communication", "Communication need"),
    ("interpreter", "Interpreter required"),
    ("do_not_contact", "Do not contact without checking"),
    ("key_safe", "Key safe or access information"),
    ("other", "Other"),
)

CARER_RELATIONSHIPS: tuple[tuple[str, str], ...] = (
    ("spouse_partner", "Spouse or partner"),
    ("parent", "Parent"),
    ("child", "Son or daughter"),
    ("sibling", "Brother or sister"),
    ("other_relative", "Other relative"),
    ("friend_neighbour", "Friend or neighbour"),
    ("other", "Other"),
)

# How an unpaid carer was offered an assessment of their own (Care Act 2014 s10). Ours: no
# national list.
CARER_OFFER_METHODS: tuple[tuple[str, str], ...] = (
    ("in_person", "In person"),
    ("phone", "Telephone"),
    ("video", "Video call"),
    ("letter", "Letter"),
    ("email", "Email"),
    ("text_message", "Text message"),
    ("other", "Other"),
)

ALLOCATION_REASONS: tuple[tuple[str, str], ...] = (
    ("new_request", "New request for support"),
    ("worker_capacity", "Caseload balancing"),
    ("worker_left", "Worker has left or moved"),
    ("specialism", "Needs a different specialism"),
    ("move_area", "Person moved area"),
    ("team_change", "Transferred to another team"),
    ("other", "Other"),
)

ORGANISATION_KINDS: tuple[tuple[str, str], ...] = (
    ("council", "Council (CASSR)"),
    ("nhs_trust", "NHS trust"),
    ("icb", "Integrated care board"),
    ("provider", "Care provider"),
    ("gp_practice", "GP practice"),
)

TEAM_KINDS: tuple[tuple[str, str], ...] = (
    ("front_door", "Front door / adult social care contact"),
    ("locality", "Locality team"),
    ("cmht", "Community mental health team"),
    ("hospital", "Hospital discharge team"),
    ("amhp", "AMHP service"),
    ("learning_disability", "Learning disability team"),
    ("safeguarding", "Safeguarding adults team"),
    ("finance", "Financial assessment and charging"),
    ("commissioning", "Commissioning"),
    ("performance", "Performance and intelligence"),
    ("reablement", "Reablement"),
    ("business_support", "Business support"),
)


def label(codes: tuple[tuple[str, str], ...], value: str) -> str:
    return dict(codes).get(value, value)
