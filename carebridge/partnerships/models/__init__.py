from .agreement import Agreement, AgreementExtension, PerformanceCondition
from .hosting import Employment, TeamHosting
from .transfer import Transfer, TransferCase

__all__ = [
    "Agreement",
    "AgreementExtension",
    "Employment",
    "PerformanceCondition",
    "TeamHosting",
    "Transfer",
    "TransferCase",
]
