"""Who may see and change a cohort: training staff of its centre; the central team,
leadership and administrators read every cohort; trainees see only themselves."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from magang.accounts.models import Role
from magang.accounts.scopes import scope_for

from .models import Cohort

READER_ROLES = (Role.TRAINING_STAFF, Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR)


def cohort_scope(*, user: Any) -> QuerySet[Cohort]:
    """Cohorts the user may read as staff."""
    scope = scope_for(user)
    if scope.is_nationwide:
        return Cohort.objects.all()
    centres = scope.organisations(Role.TRAINING_STAFF)
    return Cohort.objects.filter(centre_id__in=centres) if centres else Cohort.objects.none()


def may_manage(user: Any, cohort: Cohort) -> bool:
    """Training staff of the cohort's centre change it; nobody else does."""
    return cohort.centre_id in scope_for(user).organisations(Role.TRAINING_STAFF)


def access_cohort(*, user: Any, pk: int, write: bool = False) -> Cohort:
    """The cohort, or 404 when it is not one the user may read (missing and not yours look
    the same); 403 when the user may read it but not change it."""
    cohort = cohort_scope(user=user).select_related("centre", "curriculum").filter(pk=pk).first()
    if cohort is None:
        raise Http404("No such cohort.")
    if write and not may_manage(user, cohort):
        raise PermissionDenied
    return cohort


def require_manage(user: Any, cohort: Cohort) -> None:
    if user is not None and not may_manage(user, cohort):
        raise PermissionDenied
