from .allocation import Allocation
from .case_note import CaseNote
from .event import Event

__all__ = ["Allocation", "CaseNote", "Event"]
