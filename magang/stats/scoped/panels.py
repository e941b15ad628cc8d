"""The roles that read dashboards, and which panels each of them sees."""

from __future__ import annotations

from magang.accounts.models import Role
from magang.accounts.scopes import Scope

MINISTRY_ROLES = (Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR)
DASHBOARD_ROLES = (
    Role.REGIONAL_OFFICER,
    Role.TRAINING_STAFF,
    Role.PARTNER,
    Role.HOST_COMPANY,
    *MINISTRY_ROLES,
)


def panels_for(scope: Scope) -> frozenset[str]:
    panels = set()
    if scope.has_role(*MINISTRY_ROLES):
        panels |= {"funnel", "cohorts", "placements", "orders", "rates", "incidents", "alumni"}
    if scope.has_role(Role.REGIONAL_OFFICER):
        panels |= {"funnel", "incidents"}
    if scope.has_role(Role.TRAINING_STAFF):
        panels.add("cohorts")
    if scope.has_role(Role.PARTNER, Role.HOST_COMPANY):
        panels |= {"placements", "orders"}
    if scope.has_role(Role.PARTNER):
        panels.add("incidents")
    return frozenset(panels)
