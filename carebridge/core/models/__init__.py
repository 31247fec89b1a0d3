from .access import BreakGlassAccess, RestrictedAccess
from .audit import AuditEvent
from .calendar import CalendarDay
from .submission import SubmissionReceipt

__all__ = ["AuditEvent", "BreakGlassAccess", "CalendarDay", "RestrictedAccess", "SubmissionReceipt"]
