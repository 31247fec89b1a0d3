"""The AMHP's report of a Mental Health Act assessment as a PDF (WeasyPrint): the record of the
assessment and the reasons for the decision (Code of Practice 2015 chapter 14). Produced on
request, audited, never stored."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from carebridge.core import audit
from carebridge.letters import builders
from carebridge.letters.contexts import AmhpReportContext
from carebridge.letters.render import pdf_response, render_pdf
from carebridge.rules import amhp

from .models import MHAAssessment
from .selectors import describe


def _at(moment) -> str:
    if moment is None:
        return "Not recorded"
    local = timezone.localtime(moment)
    return f"{local:%-d %B %Y} at {local:%H:%M}"


def report_context(assessment: MHAAssessment) -> AmhpReportContext:
    a = assessment
    completed = a.status == amhp.REPORT_COMPLETED
    return {
        "council": builders.council(),
        "person": builders.about(a.person),
        "letter_date": a.report_completed_on if completed else timezone.localdate(),
        "reference": a.reference or str(a.pk),
        "signed_by": builders.signed_by(a.held_by),
        "completed": completed,
        "requested_at": _at(a.requested_at),
        "requester": f"{a.requester_name} ({a.requester_text})",
        "request_reason": a.request_reason,
        "section_considered": a.get_section_considered_display() if a.section_considered else "",
        "assessed_at": _at(a.assessed_at),
        "location": a.location,
        "doctors": [
            {
                "name": d.name,
                "s12_approved": d.s12_approved,
                "previous_acquaintance": d.previous_acquaintance,
            }
            for d in a.doctors
        ],
        "acquaintance_reason": a.acquaintance_reason,
        "nearest_relative": {
            "name": a.nr_name,
            "relationship": a.get_nr_relationship_display() if a.nr_relationship else "",
            "contact": a.get_nr_contact_display() if a.nr_contact else "",
            "reason": a.nr_reason,
            "objected": a.nr_objected,
            "displaced": a.nr_displaced,
        },
        "outcome": a.outcome_text,
        "legal_status": describe(a.legal_status, since="from") if a.legal_status_id else None,
        "alternatives_considered": a.alternatives_considered,
        "report": a.report,
    }


def report_pdf(assessment: MHAAssessment) -> bytes:
    return render_pdf(
        "letters/amhp_report.html",
        report_context(assessment),
        title=f"AMHP report: {assessment.person.full_name}",
    )


def report_response(worker, assessment: MHAAssessment) -> HttpResponse:
    pdf = report_pdf(assessment)
    audit.record(
        worker,
        audit.Action.EXPORT,
        person=assessment.person,
        obj=assessment,
        summary=f"Produced the AMHP report {assessment.reference} (PDF)",
    )
    return pdf_response(pdf, f"amhp-report-{assessment.person.person_id}-{assessment.pk}.pdf")
