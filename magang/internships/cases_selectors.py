"""Reads of incidents and grievances: the staff list, the intern's own cases, and the
aggregates the dashboards use. Every read starts from ``cases_access.case_scope``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from .cases_access import case_scope
from .models import OPEN_CASE_STATUSES, Case, CaseCategory, CaseStatus, Internship


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    category: str = ""
    severity: str = ""
    overdue: bool = False
    assigned_to_me: bool = False
    query: str = ""


def case_list(*, user: Any, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """Cases the user may read, newest first, with what a list row shows."""
    filters = filters or CaseFilters()
    qs = case_scope(user=user).select_related(
        "internship__application__candidate",
        "internship__prefecture",
        "internship__supervising_organisation",
        "assigned_to",
    )
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN_CASE_STATUSES)
    elif filters.status in CaseStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.category in CaseCategory.values:
        qs = qs.filter(category=filters.category)
    if filters.severity:
        qs = qs.filter(severity=filters.severity)
    if filters.overdue:
        qs = qs.filter(status__in=OPEN_CASE_STATUSES, due_at__lt=timezone.now())
    if filters.assigned_to_me:
        qs = qs.filter(assigned_to_id=getattr(user, "pk", None))
    query = filters.query.strip()
    if query:
        qs = qs.filter(
            Q(internship__application__registration_number__iexact=query)
            | Q(internship__application__candidate__full_name__icontains=query)
        )
    return qs.order_by("-filed_at", "-id")


def my_cases(*, user: Any) -> QuerySet[Case]:
    """The intern's own cases (filed by anyone), newest first."""
    if user is None or not user.is_authenticated:
        return Case.objects.none()
    return Case.objects.filter(internship__application__candidate__user_id=user.pk).order_by(
        "-filed_at", "-id"
    )


def my_internships(*, user: Any) -> QuerySet[Internship]:
    """The user's own internships, newest first (a case is filed about one of them)."""
    if user is None or not user.is_authenticated:
        return Internship.objects.none()
    return (
        Internship.objects.filter(application__candidate__user_id=user.pk)
        .select_related("prefecture", "host_company", "supervising_organisation")
        .order_by("-departed_on", "-id")
    )


def is_overdue(case: Case, now: dt.datetime | None = None) -> bool:
    return case.is_open and case.due_at < (now or timezone.now())


@dataclass(frozen=True)
class CategoryCount:
    category: str
    label: str
    filed: int
    open: int
    resolved: int
    escalated: int
    mean_hours_to_resolution: float | None


def case_statistics(
    *, user: Any, since: dt.date | None = None, until: dt.date | None = None
) -> list[CategoryCount]:
    """Incidents and grievances by category within the user's scope: how many were filed
    (in ``[since, until]`` by filing date), are open, were resolved, were escalated, and the
    mean hours from filing to resolution. Aggregates only, computed by the database in one
    query; every category appears, with zeros."""
    qs = case_scope(user=user)
    if since is not None:
        qs = qs.filter(filed_at__date__gte=since)
    if until is not None:
        qs = qs.filter(filed_at__date__lte=until)
    to_resolution = ExpressionWrapper(
        F("resolved_at") - F("filed_at"), output_field=DurationField()
    )
    rows = {
        row["category"]: row
        for row in qs.order_by()
        .values("category")
        .annotate(
            filed=Count("id"),
            open=Count("id", filter=Q(status__in=OPEN_CASE_STATUSES)),
            resolved=Count("id", filter=Q(resolved_at__isnull=False)),
            escalated=Count("id", filter=Q(escalated_at__isnull=False)),
            mean=Avg(to_resolution, filter=Q(resolved_at__isnull=False)),
        )
    }
    result = []
    for category in CaseCategory:
        row = rows.get(category.value)
        mean = row["mean"] if row else None
        result.append(
            CategoryCount(
                category=category.value,
                label=str(category.label),
                filed=row["filed"] if row else 0,
                open=row["open"] if row else 0,
                resolved=row["resolved"] if row else 0,
                escalated=row["escalated"] if row else 0,
                mean_hours_to_resolution=(
                    round(mean.total_seconds() / 3600, 1) if mean is not None else None
                ),
            )
        )
    return result
