"""Home page sections for candidates, regional officers, the central team and leadership."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from magang.accounts.home import register_home_section
from magang.accounts.models import Role
from magang.accounts.scopes import Scope

from .models import Application, ApplicationStatus, RecruitmentRound
from .selectors import application_scope, site_scope, status_counts


def _candidate(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    if scope.user_id is None:
        return None
    applications = Application.objects.filter(candidate__user_id=scope.user_id).select_related(
        "round", "site"
    )
    if not applications.exists():
        return None
    return {"applications": applications.order_by("-round__year")}


def _sites(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    """A regional officer's sites in the latest round they take part in, with its counts."""
    if not scope.has_role(Role.REGIONAL_OFFICER):
        return None
    sites = site_scope(user=request.user).filter(
        organisation_id__in=scope.organisations(Role.REGIONAL_OFFICER)
    )
    latest = sites.order_by("-round__year", "-round__opens_on").values_list("round", flat=True)
    round_id = latest.first()
    if round_id is None:
        return {"round": None, "sites": [], "counts": []}
    current = list(sites.filter(round_id=round_id).select_related("round").order_by("name"))
    counts = status_counts(
        applications=application_scope(user=request.user).filter(site__in=current)
    )
    return {"round": current[0].round, "sites": current, "counts": _labelled(counts)}


def _round_progress(request: HttpRequest, scope: Scope) -> dict[str, Any] | None:
    if not scope.has_role(Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR):
        return None
    current = RecruitmentRound.objects.order_by("-year", "-opens_on").first()
    if current is None:
        return {"round": None, "counts": []}
    counts = status_counts(applications=application_scope(user=request.user).filter(round=current))
    return {"round": current, "counts": _labelled(counts), "sites": current.sites.count()}


def _labelled(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    return [
        (value, str(label), counts[value])
        for value, label in ApplicationStatus.choices
        if counts.get(value)
    ]


register_home_section(
    key="recruitment.candidate",
    order=10,
    template_name="recruitment/home_candidate.html",
    build=_candidate,
)
register_home_section(
    key="recruitment.sites", order=20, template_name="recruitment/home_sites.html", build=_sites
)
register_home_section(
    key="recruitment.round",
    order=30,
    template_name="recruitment/home_round.html",
    build=_round_progress,
)
