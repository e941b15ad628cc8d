"""The steps the case services share: the target time of a severity, the caller's
lens on a case, the locked case and its timeline events."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from magang.accounts.models import User
from magang.accounts.scopes import scope_for

from ...cases_access import CaseLens, lens_for
from ...models import Case, CaseEvent, CaseSeverity, CaseTarget

# Used when the table has no row for a severity (the table is the configuration).
DEFAULT_TARGET_HOURS = {
    CaseSeverity.CRITICAL: 24,
    CaseSeverity.HIGH: 72,
    CaseSeverity.MEDIUM: 168,
    CaseSeverity.LOW: 336,
}


def target_hours(severity: str) -> int:
    row = CaseTarget.objects.filter(severity=severity).first()
    if row is not None:
        return row.resolve_within_hours
    return DEFAULT_TARGET_HOURS[CaseSeverity(severity)]


def _lens(case: Case, by: User) -> CaseLens:
    lens = lens_for(scope_for(by), case)
    if lens is None:
        raise PermissionDenied
    return lens


def _event(case: Case, by: User | None, kind: str, **fields: Any) -> CaseEvent:
    return CaseEvent.objects.create(case=case, actor=by, kind=kind, at=timezone.now(), **fields)


def _locked(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related(
            "internship__application__candidate",
            "internship__application__site",
            "internship__supervising_organisation",
        )
        .get(pk=case.pk)
    )
