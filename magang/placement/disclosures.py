"""Disclosures of candidates' data to Japanese partners, logged per person with the legal
basis (``recruitment.services.privacy``): the CV PDF whoever prints it (it is made for the
partner), and the shortlist when a partner or host company reads it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from magang.accounts.models import Organisation, Role
from magang.accounts.scopes import scope_for
from magang.recruitment.models import Application
from magang.recruitment.services.privacy import partner_export_log

from .models import JobOrder

PARTNER_ROLES = (Role.PARTNER, Role.HOST_COMPANY)


def partner_reader(user: Any) -> bool:
    return scope_for(user).has_role(*PARTNER_ROLES)


def recipient_for(user: Any, job_order: JobOrder | None) -> Organisation | None:
    """The organisation receiving the data: the reader's own partner or host company (the
    one on the job order when there is one), else the job order's host company."""
    own = scope_for(user).organisations(*PARTNER_ROLES)
    if own:
        if job_order is not None:
            for pk in (job_order.host_company_id, job_order.supervising_organisation_id):
                if pk in own:
                    return Organisation.objects.get(pk=pk)
        return Organisation.objects.filter(pk__in=own).order_by("pk").first()
    return job_order.host_company if job_order is not None else None


def disclosure_log(
    *, user: Any, application_ids: Iterable[int], what: str, job_order: JobOrder | None
) -> None:
    ids = list(application_ids)
    candidate_ids = Application.objects.filter(pk__in=ids).values_list("candidate_id", flat=True)
    partner_export_log(
        actor=user,
        candidate_ids=list(candidate_ids),
        what=what,
        recipient=recipient_for(user, job_order),
    )
