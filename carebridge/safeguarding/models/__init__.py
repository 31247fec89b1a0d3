from .concern import Concern
from .concern_risk_type import ConcernRiskType
from .decision import S42Decision
from .enquiry import Enquiry
from .enquiry_action import EnquiryAction
from .plan_review import SafeguardingPlanReview
from .safeguarding_plan import SafeguardingPlan
from .strategy_meeting import StrategyMeeting

__all__ = [
    "Concern",
    "ConcernRiskType",
    "Enquiry",
    "EnquiryAction",
    "S42Decision",
    "SafeguardingPlan",
    "SafeguardingPlanReview",
    "StrategyMeeting",
]
