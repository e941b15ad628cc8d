"""Registration: checking what a candidate gives us, and turning it into an application.

The same checks serve the online wizard (step by step), the single submit, and the
spreadsheet import (``imports.py``), so a rule is written once.

The package: ``checking`` (one registration's data, regions, errors and warnings),
``eligibility`` (the round's rules applied to an application), ``submit`` (the candidate and
their application, written in one transaction) and ``progress`` (the application's documents
and the wizard's draft).
"""

from .checking import Checked, RegionIndex, RegistrationData, nik_regency_code, registration_check
from .eligibility import (
    DEPARTED_STATUSES,
    application_eligibility,
    has_departed_before,
    round_rules,
    verdict_as_dict,
)
from .progress import (
    documents_state,
    missing_documents,
    registration_draft_open,
    registration_draft_save,
)
from .submit import (
    CONSENT_NOTICE_VERSION,
    CONSENT_PURPOSE,
    registration_nik_conflict,
    registration_submit,
    unlinked_application_message,
)

__all__ = [
    "CONSENT_NOTICE_VERSION",
    "CONSENT_PURPOSE",
    "DEPARTED_STATUSES",
    "Checked",
    "RegionIndex",
    "RegistrationData",
    "application_eligibility",
    "documents_state",
    "has_departed_before",
    "missing_documents",
    "nik_regency_code",
    "registration_check",
    "registration_draft_open",
    "registration_draft_save",
    "registration_nik_conflict",
    "registration_submit",
    "round_rules",
    "unlinked_application_message",
    "verdict_as_dict",
]
