"""Home page sections for the intern (their reports, the way to report a problem), the
alumnus (their alumni page, grant) and case staff (open cases, those past their target)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from magang.accounts.home import register_home_section
from magang.accounts.scopes import Scope

from .alumni_access import my_profile
from .cases_access import CASE_STAFF_ROLES, case_scope
from .cases_selectors import my_cases, my_internships
from .models import OPEN_CASE_STATUSES, BusinessGrant


def _intern(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    if scope.is_staff_member or not my_internships(user=request.user).exists():
        return None
    cases = my_cases(user=request.user)
    return {
        "open": cases.filter(status__in=OPEN_CASE_STATUSES).count(),
        "to_confirm": cases.filter(status="resolved").count(),
    }


def _alumnus(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    profile = my_profile(request.user)
    if profile is None:
        return None
    grant = (
        BusinessGrant.objects.filter(
            return_record__internship__application__candidate_id=profile.candidate_id
        )
        .order_by("-created_at")
        .first()
    )
    return {"profile": profile, "grant": grant}


def _staff(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    if not scope.has_role(*CASE_STAFF_ROLES):
        return None
    counts = (
        case_scope(user=request.user)
        .filter(status__in=OPEN_CASE_STATUSES)
        .aggregate(
            open=Count("id"),
            overdue=Count("id", filter=Q(due_at__lt=timezone.now())),
            escalated=Count("id", filter=Q(escalated_at__isnull=False)),
        )
    )
    return {"counts": counts}


register_home_section(
    key="internships.cases_intern", order=20, template_name="internships/cases_home_intern.html",
    build=_intern,
)  # fmt: skip
register_home_section(
    key="internships.alumni", order=21, template_name="internships/alumni_home.html",
    build=_alumnus,
)  # fmt: skip
register_home_section(
    key="internships.cases_staff", order=46, template_name="internships/cases_home_staff.html",
    build=_staff,
)  # fmt: skip
