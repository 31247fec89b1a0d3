from .alert import PersonAlert
from .carer import CarerRelationship
from .histories import AccommodationStatusRecord, EmploymentStatusRecord
from .name import PersonName, PersonNameKey
from .person import Person

__all__ = [
    "AccommodationStatusRecord",
    "CarerRelationship",
    "EmploymentStatusRecord",
    "Person",
    "PersonAlert",
    "PersonName",
    "PersonNameKey",
]
