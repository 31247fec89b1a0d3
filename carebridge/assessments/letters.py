"""The eligibility determination letter: the written record of the determination and its
reasons (Care Act 2014 s13(2)) and, where needs are not eligible, the advice and information
s13(5) requires. A real PDF (WeasyPrint), produced on request and audited, never stored."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from carebridge.core import audit
from carebridge.letters import builders
from carebridge.letters.contexts import EligibilityDeterminationContext
from carebridge.letters.render import pdf_response, render_pdf

from . import answers
from .models import Assessment, EligibilityDetermination


def determination_context(
    assessment: Assessment, determination: EligibilityDetermination
) -> EligibilityDeterminationContext:
    person = assessment.person
    limbs = answers.limb_labels(assessment.kind)
    outcomes = []
    for key, label in answers.outcome_labels(assessment.kind).items():
        answer = (assessment.outcomes or {}).get(key, {})
        chosen = [limbs[x] for x in answer.get("limbs", []) if x in limbs]
        outcomes.append(
            {
                "label": label,
                "unable": key in determination.outcomes_unable,
                "limbs": chosen,
                "evidence": answer.get("evidence", ""),
            }
        )
    return {
        "council": builders.council(),
        "recipient": builders.recipient(person),
        "person": builders.about(person),
        "letter_date": timezone.localdate(),
        "reference": f"{person.person_id}/A{assessment.pk}",
        "signed_by": builders.signed_by(determination.determined_by),
        "kind": assessment.kind,
        "eligible": determination.eligible,
        "determination_date": determination.determined_on,
        "outcomes": outcomes,
        "reasons": list(determination.reasons),
        "regulation": determination.regulation,
        "prevention_advice": determination.prevention_advice,
        "next_steps": determination.next_steps,
    }


def determination_letter(worker, assessment, determination) -> HttpResponse:
    context = determination_context(assessment, determination)
    pdf = render_pdf(
        "letters/eligibility_determination.html",
        context,
        title=f"Eligibility determination: {assessment.person.full_name}",
    )
    audit.record(
        worker,
        audit.Action.EXPORT,
        person=assessment.person,
        obj=determination,
        summary="Produced the eligibility determination letter (PDF)",
    )
    return pdf_response(pdf, f"eligibility-{assessment.person.person_id}-{assessment.pk}.pdf")
