from .access import BreakGlassAccess, RestrictedAccess
from .audit import AuditEvent
from .submission import SubmissionReceipt

__all__ = ["AuditEvent", "BreakGlassAccess", "RestrictedAccess", "SubmissionReceipt"]
