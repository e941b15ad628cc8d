"""Reads for internships, each starting from the user's scope (``access.internship_scope``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from magang.accounts.models import Organisation, Role
from magang.accounts.scopes import scope_for

from .access import internship_scope
from .models import (
    DutyStatus,
    Exam,
    HomeLeave,
    HostPlacement,
    Internship,
    MonitoringDuty,
    StayEvent,
)

__all__ = [
    "InternshipFilters",
    "duty_scope",
    "in_japan_on",
    "internship_list",
    "internship_scope",
    "internship_timeline",
    "overdue_duties",
]


def in_japan_on(qs: QuerySet[Internship], day: dt.date) -> QuerySet[Internship]:
    return qs.filter(departed_on__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))


@dataclass(frozen=True)
class InternshipFilters:
    status: str = ""
    stage: str = ""
    supervising_organisation_id: int | None = None
    host_company_id: int | None = None
    prefecture: str = ""
    query: str = ""
    overdue: bool = False


def internship_list(
    *, user: Any, filters: InternshipFilters, today: dt.date | None = None
) -> QuerySet[Internship]:
    qs = internship_scope(user=user).select_related(
        "application__candidate",
        "host_company",
        "supervising_organisation",
        "prefecture",
        "trade",
        "stage",
    )
    if filters.status:
        qs = qs.filter(application__status=filters.status)
    if filters.stage:
        qs = qs.filter(stage__code=filters.stage)
    if filters.supervising_organisation_id:
        qs = qs.filter(supervising_organisation_id=filters.supervising_organisation_id)
    if filters.host_company_id:
        qs = qs.filter(host_company_id=filters.host_company_id)
    if filters.prefecture:
        qs = qs.filter(prefecture__code=filters.prefecture)
    if filters.query:
        term = filters.query.strip()
        qs = qs.filter(
            Q(application__registration_number__iexact=term)
            | Q(application__candidate__full_name__icontains=term)
        )
    if filters.overdue:
        day = today or dt.date.today()
        qs = qs.filter(
            pk__in=MonitoringDuty.objects.filter(
                status=DutyStatus.OPEN, overdue_from__lte=day
            ).values("internship_id")
        )
    return qs.order_by("-departed_on", "id")


def duty_scope(*, user: Any) -> QuerySet[MonitoringDuty]:
    """Monitoring duties of the internships the user may read."""
    scope = scope_for(user)
    if scope.is_nationwide:
        return MonitoringDuty.objects.all()
    partners = scope.organisations(Role.PARTNER)
    if partners and not scope.has_role(Role.HOST_COMPANY, Role.REGIONAL_OFFICER):
        # The common case reads one indexed column rather than a join on internships.
        return MonitoringDuty.objects.filter(supervising_organisation_id__in=partners)
    return MonitoringDuty.objects.filter(internship__in=internship_scope(user=user))


def overdue_duties(
    *, user: Any, today: dt.date, organisation: Organisation | None = None
) -> QuerySet[MonitoringDuty]:
    """Open duties past their days of grace, oldest first, for one supervising organisation
    or for all the user may read."""
    qs = duty_scope(user=user).filter(status=DutyStatus.OPEN, overdue_from__lte=today)
    if organisation is not None:
        qs = qs.filter(supervising_organisation=organisation)
    return qs.select_related(
        "internship__application__candidate", "host_company", "supervising_organisation"
    ).order_by("overdue_from", "id")


@dataclass(frozen=True)
class Timeline:
    events: list[StayEvent]
    placements: list[HostPlacement]
    exams: list[Exam]
    home_leaves: list[HomeLeave]
    duties: list[MonitoringDuty]


def internship_timeline(internship: Internship) -> Timeline:
    return Timeline(
        events=list(
            StayEvent.objects.filter(internship=internship).select_related(
                "stage", "host_company", "actor"
            )
        ),
        placements=list(
            HostPlacement.objects.filter(internship=internship).select_related(
                "host_company", "prefecture"
            )
        ),
        exams=list(Exam.objects.filter(internship=internship).select_related("exam_type")),
        home_leaves=list(HomeLeave.objects.filter(internship=internship)),
        duties=list(
            MonitoringDuty.objects.filter(internship=internship)
            .select_related("host_company", "done_by")
            .order_by("-due_on", "kind")[:60]
        ),
    )
