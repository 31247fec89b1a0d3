from .aftercare import (
    AftercareEndDecision,
    AftercareEpisode,
    AftercareFunding,
    AftercarePlan,
    AftercareReview,
)
from .assessment import MHAAssessment
from .legal_status import LegalStatus

__all__ = [
    "AftercareEndDecision",
    "AftercareEpisode",
    "AftercareFunding",
    "AftercarePlan",
    "AftercareReview",
    "LegalStatus",
    "MHAAssessment",
]
