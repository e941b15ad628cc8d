"""Home page sections: partners (their interns in Japan and overdue monitoring duties), host
companies (their interns), Kemnaker's central team and leadership (overdue monitoring by
supervising organisation)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, Q
from django.http import HttpRequest
from django.utils import timezone

from magang.accounts.home import register_home_section
from magang.accounts.models import Role
from magang.accounts.scopes import Scope

from .models import DutyStatus, MonitoringDuty
from .selectors import in_japan_on, internship_scope


def _partner(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    if not scope.has_role(Role.PARTNER):
        return None
    today = timezone.localdate()
    now = in_japan_on(
        internship_scope(user=request.user).filter(
            supervising_organisation_id__in=scope.organisations(Role.PARTNER)
        ),
        today,
    )
    by_prefecture = (
        now.order_by()
        .values("prefecture__code", "prefecture__name_en", "prefecture__name_ja")
        .annotate(n=Count("id"))
        .order_by("-n", "prefecture__code")
    )
    organisations = sorted(scope.organisations(Role.PARTNER))
    overdue = (
        MonitoringDuty.objects.filter(
            supervising_organisation_id__in=organisations,
            status=DutyStatus.OPEN,
            overdue_from__lte=today,
        )
        .order_by()
        .values("kind")
        .annotate(n=Count("id"))
    )
    counts = {row["kind"]: row["n"] for row in overdue}
    return {
        "today": today,
        "total": now.count(),
        "by_prefecture": list(by_prefecture),
        "overdue_visits": counts.get("visit", 0),
        "overdue_audits": counts.get("audit", 0),
        "organisation_ids": organisations,
    }


def _kemnaker(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    """Overdue monitoring duties by supervising organisation, for the central team and
    leadership."""
    if not scope.has_role(Role.CENTRAL_TEAM, Role.LEADERSHIP):
        return None
    today = timezone.localdate()
    rows = (
        MonitoringDuty.objects.filter(status=DutyStatus.OPEN, overdue_from__lte=today)
        .order_by()
        .values("supervising_organisation_id", "supervising_organisation__name")
        .annotate(
            visits=Count("id", filter=Q(kind="visit")),
            audits=Count("id", filter=Q(kind="audit")),
            oldest=Min("due_on"),
        )
        .order_by("oldest")
    )
    return {"today": today, "rows": list(rows[:20])}


def _host(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    if not scope.has_role(Role.HOST_COMPANY):
        return None
    today = timezone.localdate()
    interns = (
        in_japan_on(
            internship_scope(user=request.user).filter(
                host_company_id__in=scope.organisations(Role.HOST_COMPANY)
            ),
            today,
        )
        .select_related("application__candidate", "trade", "prefecture")
        .order_by("departed_on", "id")
    )
    return {"today": today, "interns": interns[:200], "total": interns.count()}


register_home_section(
    key="internships.partner",
    order=40,
    template_name="internships/home_partner.html",
    build=_partner,
)
register_home_section(
    key="internships.host", order=50, template_name="internships/home_host.html", build=_host
)
register_home_section(
    key="internships.overdue",
    order=45,
    template_name="internships/home_overdue.html",
    build=_kemnaker,
)
