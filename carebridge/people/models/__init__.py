from .alert import PersonAlert
from .carer import CarerAssessmentOffer, CarerRelationship
from .histories import AccommodationStatusRecord, EmploymentStatusRecord
from .name import PersonName, PersonNameKey
from .person import Person

__all__ = [
    "AccommodationStatusRecord",
    "CarerAssessmentOffer",
    "CarerRelationship",
    "EmploymentStatusRecord",
    "Person",
    "PersonAlert",
    "PersonName",
    "PersonNameKey",
]
