"""The charging letter: what the person pays each week towards their care, worked out line by
line from their financial assessment (Care Act 2014 s14 and s17; SI 2014/2672), how to ask for a
review, and that s117 aftercare is never charged. A real PDF, produced on request and audited,
never stored."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.http import HttpResponse
from django.utils import timezone

from carebridge.core import audit
from carebridge.letters import builders
from carebridge.letters.contexts import LetterContext
from carebridge.letters.render import pdf_response, render_pdf
from carebridge.rules.charging.sources import SOURCES, cited
from carebridge.rules.money import money

from .models import ChargeDecision, FinancialAssessment

FA = FinancialAssessment
# Steps shown in bold: the totals a person checks first.
TOTAL_KINDS = frozenset({"subtotal", "charge", "council"})
# Kinds of step in plain words, for the letter's table (where the step's own words need it).
KIND_WORDS = {
    "income": "Income counted",
    "disregard": "Not counted",
    "allowance": "Allowed for your living costs",
}


class WorkingsLine(TypedDict):
    step: str
    what: str  # the kind of line in plain words
    amount: str  # "£67.71", or with a minus sign for a disregard or allowance
    total: bool
    source: int  # number in the list of sources


class ChargingLetterContext(LetterContext):
    """``letters/charging.html``."""

    kind: str  # "Full financial assessment"
    financial_year: str
    setting: str
    assessed_on: dt.date
    weekly_charge: str
    council_pays: str
    weekly_care_cost: str | None
    valid_from: dt.date
    full_cost: bool
    free: bool
    s117: bool
    declined: bool
    reason: str
    workings: list[WorkingsLine]
    sources: list[str]
    references: list[str]  # "[S14] Knowsley Council, ..."
    unconfirmed: list[str]
    evidence_seen: bool


def charging_context(fa: FinancialAssessment, decision: ChargeDecision) -> ChargingLetterContext:
    person = fa.person
    result = decision.workings or fa.result or {}
    sources: list[str] = []
    workings: list[WorkingsLine] = []
    for s in result.get("steps", []):
        if s["source"] not in sources:
            sources.append(s["source"])
        workings.append(
            {
                "step": s["step"],
                "what": KIND_WORDS.get(s.get("kind", ""), ""),
                "amount": money(s["amount"]),
                "total": s.get("kind") in TOTAL_KINDS,
                "source": sources.index(s["source"]) + 1,
            }
        )
    codes: dict[str, None] = {}
    for source in sources:
        codes.update(dict.fromkeys(cited(source)))
    references = [f"[{code}] {SOURCES[code]}" for code in codes if code in SOURCES]
    return {
        "council": builders.council(),
        "recipient": builders.recipient(person),
        "person": builders.about(person),
        "letter_date": timezone.localdate(),
        "reference": f"{person.person_id}/FA{fa.pk}",
        "signed_by": builders.signed_by(fa.assessed_by or fa.started_by),
        "kind": fa.get_kind_display(),
        "financial_year": fa.financial_year,
        "setting": fa.get_setting_display(),
        "assessed_on": fa.completed_on or timezone.localdate(),
        "weekly_charge": money(decision.weekly_amount),
        "council_pays": money(decision.council_pays) or "£0.00",
        "weekly_care_cost": money(decision.weekly_care_cost),
        "valid_from": decision.valid_from,
        "full_cost": bool(result.get("full_cost")),
        "free": bool(result.get("free_reason")) or decision.s117_aftercare,
        "s117": decision.s117_aftercare,
        "declined": fa.kind == FA.Kind.DECLINED,
        "reason": decision.reason,
        "workings": workings,
        "sources": sources,
        "references": references,
        "unconfirmed": list(result.get("unconfirmed") or []),
        "evidence_seen": bool(fa.evidence.strip()),
    }


def charging_letter(worker, fa: FinancialAssessment, decision: ChargeDecision) -> HttpResponse:
    context = charging_context(fa, decision)
    pdf = render_pdf(
        "letters/charging.html",
        context,
        title=f"Your contribution to the cost of your care: {fa.person.full_name}",
    )
    audit.record(
        worker,
        audit.Action.EXPORT,
        person=fa.person,
        obj=fa,
        summary="Produced the charging letter (PDF)",
    )
    return pdf_response(pdf, f"charging-letter-{fa.person.person_id}-{fa.pk}.pdf")
