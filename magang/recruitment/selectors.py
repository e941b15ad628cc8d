"""Reads for recruitment, always starting from what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from magang.accounts.models import Role
from magang.accounts.scopes import scope_for

from .models import Application, JourneyEvent, RecruitmentRound, SelectionSite


def application_scope(*, user: Any) -> QuerySet[Application]:
    """Every application the user may read, and nothing else."""
    scope = scope_for(user)
    qs = Application.objects.all()
    if not scope.is_authenticated:
        return qs.none()
    if scope.is_nationwide:
        return qs
    visible = Q(candidate__user_id=scope.user_id)
    officer_orgs = scope.organisations(Role.REGIONAL_OFFICER)
    if officer_orgs:
        visible |= Q(site__organisation_id__in=officer_orgs)
    return qs.filter(visible)


def site_scope(*, user: Any) -> QuerySet[SelectionSite]:
    """Selection sites whose applications the user may read as staff."""
    scope = scope_for(user)
    if scope.is_nationwide:
        return SelectionSite.objects.all()
    return SelectionSite.objects.filter(
        organisation_id__in=scope.organisations(Role.REGIONAL_OFFICER)
    )


@dataclass(frozen=True)
class ApplicationFilters:
    status: str = ""
    round_code: str = ""
    site_id: int | None = None
    query: str = ""


def application_list(*, user: Any, filters: ApplicationFilters) -> QuerySet[Application]:
    qs = application_scope(user=user).select_related(
        "candidate", "candidate__province", "round", "site"
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.round_code:
        qs = qs.filter(round__code=filters.round_code)
    if filters.site_id:
        qs = qs.filter(site_id=filters.site_id)
    if filters.query:
        term = filters.query.strip()
        qs = qs.filter(
            Q(registration_number__iexact=term)
            | Q(candidate__nik=term)
            | Q(candidate__full_name__icontains=term)
        )
    return qs.order_by("-created_at", "-id")


def access_application(*, user: Any, pk: int) -> Application:
    """The application if the user may read it; 404 both when missing and when not theirs."""
    try:
        return (
            application_scope(user=user)
            .select_related(
                "candidate",
                "candidate__province",
                "candidate__regency",
                "round",
                "round__programme",
                "site",
            )
            .get(pk=pk)
        )
    except Application.DoesNotExist:
        raise Http404("No such application.") from None


def application_events(*, application: Application) -> QuerySet[JourneyEvent]:
    return application.events.select_related("actor").order_by("recorded_at", "id")


def candidate_history(*, user: Any, application: Application) -> QuerySet[Application]:
    """The same person's other applications that the user may read (earlier attempts)."""
    return (
        application_scope(user=user)
        .filter(candidate_id=application.candidate_id)
        .exclude(pk=application.pk)
        .select_related("round", "site")
        .order_by("-round__year")
    )


def status_counts(*, applications: QuerySet[Application]) -> dict[str, int]:
    rows = applications.order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def current_rounds() -> QuerySet[RecruitmentRound]:
    return RecruitmentRound.objects.select_related("programme").order_by("-year", "code")
