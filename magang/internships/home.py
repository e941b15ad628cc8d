"""Home page sections for partners (supervising organisations) and host companies."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone

from magang.accounts.home import register_home_section
from magang.accounts.models import Role
from magang.accounts.scopes import Scope

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
    return {"today": today, "total": now.count(), "by_prefecture": list(by_prefecture)}


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
