"""Recruitment models: the journey spine and the registration records around it."""

from .privacy import CorrectionRequest, ErasureRecord, PersonalDataAccess
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
    "CorrectionRequest",
    "Document",
    "DocumentType",
    "DocumentsState",
    "Education",
    "ErasureRecord",
    "ImportBatch",
    "JourneyEvent",
    "PersonalDataAccess",
    "Programme",
    "RecruitmentRound",
    "RegistrationDraft",
    "SelectionSite",
    "Sex",
    "Source",
    "private_storage",
]
