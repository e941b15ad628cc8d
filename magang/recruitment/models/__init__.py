"""Recruitment models: the journey spine and the registration records around it."""

from .registration import (
    Consent,
    Document,
    DocumentType,
    ImportBatch,
    RegistrationDraft,
    private_storage,
)
from .spine import (
    Application,
    ApplicationStatus,
    Candidate,
    DocumentsState,
    Education,
    JourneyEvent,
    Programme,
    RecruitmentRound,
    SelectionSite,
    Sex,
    Source,
)

__all__ = [
    "Application",
    "ApplicationStatus",
    "Candidate",
    "Consent",
    "Document",
    "DocumentType",
    "DocumentsState",
    "Education",
    "ImportBatch",
    "JourneyEvent",
    "Programme",
    "RecruitmentRound",
    "RegistrationDraft",
    "SelectionSite",
    "Sex",
    "Source",
    "private_storage",
]
