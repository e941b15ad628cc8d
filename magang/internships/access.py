"""Who sees and changes which internships.

Reading: the central team, leadership and administrators every internship; a supervising
organisation (partner) the internships it supervises, which are its host companies' interns;
a host company its own interns; a regional officer the interns who registered at a selection
site their office organises; an intern their own. Anything else is "not found" (404), so
"missing" and "not yours" look the same.

Writing: the central team and the supervising organisation record stages, exams, returns home,
transfers, early returns, completion and monitoring; a host company notifies that training can
no longer continue (missing). Host companies never see health data (the early return reason,
notes) or family contacts.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from magang.accounts.models import Role
from magang.accounts.scopes import scope_for

from .models import Internship

READER_ROLES = (
    Role.CENTRAL_TEAM,
    Role.LEADERSHIP,
    Role.ADMINISTRATOR,
    Role.PARTNER,
    Role.HOST_COMPANY,
    Role.REGIONAL_OFFICER,
)


def internship_scope(*, user: Any) -> QuerySet[Internship]:
    """Internships the user may read, and nothing else."""
    scope = scope_for(user)
    qs = Internship.objects.all()
    if not scope.is_authenticated:
        return qs.none()
    if scope.is_nationwide:
        return qs
    visible = Q(application__candidate__user_id=scope.user_id)
    partner_orgs = scope.organisations(Role.PARTNER)
    if partner_orgs:
        visible |= Q(supervising_organisation_id__in=partner_orgs)
    host_orgs = scope.organisations(Role.HOST_COMPANY)
    if host_orgs:
        visible |= Q(host_company_id__in=host_orgs)
    officer_orgs = scope.organisations(Role.REGIONAL_OFFICER)
    if officer_orgs:
        visible |= Q(application__site__organisation_id__in=officer_orgs)
    return qs.filter(visible)


def may_read_as_staff(user: Any) -> bool:
    return scope_for(user).has_role(*READER_ROLES)


def may_manage(user: Any, internship: Internship) -> bool:
    """The central team, or the supervising organisation of this internship."""
    scope = scope_for(user)
    return scope.has_role(Role.CENTRAL_TEAM) or (
        internship.supervising_organisation_id in scope.organisations(Role.PARTNER)
    )


def may_notify_missing(user: Any, internship: Internship) -> bool:
    """Those who manage the internship, and its host company (the host notifies)."""
    return may_manage(user, internship) or (
        internship.host_company_id is not None
        and internship.host_company_id in scope_for(user).organisations(Role.HOST_COMPANY)
    )


def sees_sensitive(user: Any, internship: Internship) -> bool:
    """Health details (the early return reason, notes) and family contacts: everyone who may
    read the internship except host companies (who see them only if they also hold another
    role that reads them)."""
    scope = scope_for(user)
    if scope.is_nationwide or may_manage(user, internship):
        return True
    if scope.user_id is not None and internship.application.candidate.user_id == scope.user_id:
        return True
    officer_orgs = scope.organisations(Role.REGIONAL_OFFICER)
    return bool(officer_orgs) and internship.application.site.organisation_id in officer_orgs


def access_internship(
    *, user: Any, pk: int, write: bool = False, qs: QuerySet[Internship] | None = None
) -> Internship:
    """The internship, or 404 outside the user's scope; 403 when they may read but not
    change it."""
    base = qs if qs is not None else internship_scope(user=user)
    internship = (
        base.select_related(
            "application__candidate",
            "application__site",
            "application__round__programme",
            "supervising_organisation",
            "host_company",
            "prefecture",
            "trade",
            "stage",
        )
        .filter(pk=pk)
        .first()
    )
    if internship is None:
        raise Http404("No such internship.")
    if write and not may_manage(user, internship):
        raise PermissionDenied
    return internship
