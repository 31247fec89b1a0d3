"""The parts every letter's context shares, built from the models: the council, the person as
recipient and subject, and who signs. Letter-specific contexts are built by their apps."""

from __future__ import annotations

from django.conf import settings

from carebridge.organisations.models import Organisation

from .contexts import CouncilContext, PersonContext, RecipientContext, SignedByContext


def council() -> CouncilContext:
    org = Organisation.objects.filter(kind=Organisation.COUNCIL).order_by("pk").first()
    details = settings.COUNCIL_LETTERHEAD
    return {
        "name": org.name if org else "The council",
        "address_lines": list(details["address_lines"]),
        "postcode": details["postcode"],
        "phone": details["phone"],
        "email": details["email"],
        "website": details.get("website"),
    }


def recipient(person) -> RecipientContext:
    name = " ".join(p for p in (person.title, person.given_name, person.family_name) if p)
    return {
        "name": name,
        "address_lines": [
            p for p in (person.address_line_1, person.address_line_2, person.town) if p
        ],
        "postcode": person.postcode,
        "salutation": f"{person.title} {person.family_name}" if person.title else name,
    }


def about(person) -> PersonContext:
    return {
        "name": person.full_name,
        "person_id": person.person_id,
        "date_of_birth": person.date_of_birth,
        "nhs_number": person.nhs_number or None,
    }


def signed_by(worker) -> SignedByContext:
    return {
        "name": worker.get_full_name() or worker.username,
        "job_title": worker.job_title or worker.get_role_display(),
        "team": str(worker.team) if worker.team_id else "",
    }
