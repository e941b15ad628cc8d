"""How recruitment's tables forget a person (``core.privacy``; docs/security.md).

The candidate row, their applications and journey events are kept as anonymous records,
so that registrations, selections and departures per round, province and sex still add up
in the statistics; everything that identifies the person is overwritten. Documents (and
their files), consents, drafts, correction requests and access logs are deleted.
"""

from __future__ import annotations

from typing import Any

from magang.core.privacy import register

ERASED_NAME = "[erased]"


def _erased_index(row: Any) -> str:
    return f"erased:{row.pk}"


def _birth_year_only(row: Any) -> Any:
    return row.birth_date.replace(month=1, day=1)


register(
    "recruitment.Candidate",
    keep=True,
    reason="Counted by province, sex and age in the statistics; identity and contacts erased.",
    values={
        "user": None,
        "nik": "",
        "nik_index": _erased_index,  # after "nik", which resets it
        "full_name": ERASED_NAME,
        "family_name": "",
        "name_katakana": "",
        "birth_date": _birth_year_only,
        "birth_place": "",
        "regency": None,
        "address": "",
        "phone": "",
        "email": "",
    },
)
register(
    "recruitment.Application",
    keep=True,
    reason="Counted per round, site and status; the registration number (published with "
    "results) and everything declared are erased.",
    values={
        "registration_number": lambda row: f"erased-{row.pk}",
        "education_institution": "",
        "graduation_year": None,
        "height_cm": None,
        "weight_kg": None,
        "declarations": [],
        "warnings": [],
        "eligibility": {},
    },
)
register(
    "recruitment.JourneyEvent",
    keep=True,
    reason="Flows between statuses per month; officers' reasons may name the person.",
    values={"reason": ""},
)
