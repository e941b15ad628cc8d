"""Navigation by role, for the base layout."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Role
from .scopes import scope_for
from .two_factor import is_verified, two_factor_enforced, two_factor_required


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    active: bool


APPLICATION_READERS = (
    Role.REGIONAL_OFFICER,
    Role.CENTRAL_TEAM,
    Role.LEADERSHIP,
    Role.ADMINISTRATOR,
)


def navigation(request: HttpRequest) -> dict[str, list[NavItem]]:
    user = getattr(request, "user", None)
    scope = scope_for(user)
    entries: list[tuple[str | Promise, str]] = [(_("Statistics"), reverse("stats:public"))]
    if scope.is_authenticated:
        entries.insert(0, (_("Home"), reverse("accounts:home")))
        if scope.has_role(*APPLICATION_READERS):
            entries.append((_("Applications"), reverse("recruitment:application_list")))
        # Named by URL, not imported: selection is downstream of accounts.
        if scope.has_role(Role.REGIONAL_OFFICER, Role.CENTRAL_TEAM, Role.ADMINISTRATOR):
            entries.append((_("Results"), reverse("selection:grid_index")))
            entries.append((_("Corrections"), reverse("recruitment:correction_list")))
        if scope.has_role(Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR):
            entries.append((_("Selection"), reverse("selection:plan_list")))
        if scope.has_role(
            Role.TRAINING_STAFF, Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR
        ):
            entries.append((_("Training"), reverse("training:cohort_list")))
        if scope.has_role(
            Role.PARTNER, Role.HOST_COMPANY, Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR
        ):
            entries.append((_("Job orders"), reverse("placement:order_list")))
        if scope.has_role(Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR):
            entries.append((_("Matching"), reverse("placement:match_list")))
            entries.append((_("Departure"), reverse("placement:departure_file_list")))
        if scope.has_role(
            Role.PARTNER, Role.HOST_COMPANY, Role.REGIONAL_OFFICER, Role.CENTRAL_TEAM,
            Role.LEADERSHIP, Role.ADMINISTRATOR,
        ):  # fmt: skip
            entries.append((_("Internships"), reverse("internships:list")))
        elif scope.has_role(Role.CANDIDATE) or not scope.roles:
            entries.append((_("My internship"), reverse("internships:mine")))
            entries.append((_("My data"), reverse("recruitment:my_data")))
        if scope.has_role(
            Role.PARTNER, Role.REGIONAL_OFFICER, Role.CENTRAL_TEAM, Role.LEADERSHIP,
            Role.ADMINISTRATOR,
        ):  # fmt: skip
            entries.append((_("Cases"), reverse("internships:case_list")))
        if scope.has_role(
            Role.REGIONAL_OFFICER, Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR
        ):
            entries.append((_("Alumni"), reverse("internships:alumni_list")))
        if scope.has_role(
            Role.PARTNER, Role.HOST_COMPANY, Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR
        ):
            entries.append((_("Partnerships"), reverse("partnerships:index")))
        if scope.has_role(*(r for r in Role if r != Role.CANDIDATE)):
            entries.append((_("Dashboard"), reverse("stats:dashboard")))
        if scope.has_role(Role.ADMINISTRATOR):
            entries.append((_("Audit trail"), reverse("accounts:audit_log")))
            entries.append((_("Administration"), reverse("admin:index")))
        if two_factor_required(user):
            if two_factor_enforced() and not is_verified(request):
                entries = []  # until the second step, nothing but logging out
            else:
                entries.append(
                    (_("Two-step verification"), reverse("accounts:two_factor_recovery"))
                )
    else:
        entries.insert(0, (_("Programme"), reverse("core:index")))
        entries.append((_("Selection results"), reverse("selection:public_index")))
        entries.append((_("Partnerships"), reverse("partnerships:index")))
    path = request.path
    return {
        "nav_items": [NavItem(label=label, url=url, active=path == url) for label, url in entries]
    }
