from .legal_status import LegalStatus

__all__ = ["LegalStatus"]
