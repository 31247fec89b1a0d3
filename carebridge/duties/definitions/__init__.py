"""The statutory duties carebridge evaluates: one module per duty, each declaring a ``DUTY``.

Add a duty by adding a module and listing it here; its id is stable (reports and councils'
scripts use it)."""

from __future__ import annotations

from ..spec import Duty
from . import (
    accommodation_status_current,
    advocacy_considered,
    amhp_report_completed,
    annual_review,
    assessment_after_request,
    carer_assessment_offered,
    direct_payment_review,
    eligibility_recorded,
    financial_assessment_before_charge,
    first_review,
    personal_budget_in_plan,
    plan_after_eligibility,
    s117_joint_review,
    s117_plan_at_discharge,
    safeguarding_decision,
    safeguarding_enquiry_concluded,
    safeguarding_outcomes_asked,
)

_MODULES = (
    assessment_after_request,
    eligibility_recorded,
    plan_after_eligibility,
    personal_budget_in_plan,
    first_review,
    annual_review,
    direct_payment_review,
    advocacy_considered,
    carer_assessment_offered,
    financial_assessment_before_charge,
    accommodation_status_current,
    amhp_report_completed,
    s117_plan_at_discharge,
    s117_joint_review,
    safeguarding_decision,
    safeguarding_enquiry_concluded,
    safeguarding_outcomes_asked,
)

DUTIES: dict[str, Duty] = {m.DUTY.id: m.DUTY for m in _MODULES}
if len(DUTIES) != len(_MODULES):
    raise RuntimeError("two duty definitions share an id")
