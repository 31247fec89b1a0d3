from .assessment import MHAAssessment
from .legal_status import LegalStatus

__all__ = ["LegalStatus", "MHAAssessment"]
