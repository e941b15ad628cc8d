"""Candidate forms: the account, each step of the registration wizard, a document upload.

- ``account``: signing up for a candidate account.
- ``steps``: one form per step of the registration wizard, and what the steps share.
- ``wizard``: the order of the steps, progress through a draft, the service's input and the
  review page's summary.
- ``documents``: uploading one document of an application.
"""

from .account import SignupForm
from .documents import DocumentUploadForm
from .steps import StepForm, WizardContext, regency_choices
from .wizard import (
    REVIEW,
    SERVICE_FIELDS,
    STEP_BY_SLUG,
    STEPS,
    Step,
    first_open_step,
    registration_data,
    step_done,
    summary,
)

__all__ = [
    "REVIEW",
    "SERVICE_FIELDS",
    "STEPS",
    "STEP_BY_SLUG",
    "DocumentUploadForm",
    "SignupForm",
    "Step",
    "StepForm",
    "WizardContext",
    "first_open_step",
    "regency_choices",
    "registration_data",
    "step_done",
    "summary",
]
