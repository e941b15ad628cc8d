"""Who may see returns, grants, alumni and job events.

- Returns, grants and surveys are ministry records: officers of the intern's selection site
  read and record them for their site, the central team, leadership and administrators for
  all; only the central team decides and pays grants. Partners and host companies read none
  of them. The alumnus reads their own.
- The alumni directory lists only alumni who consented, and only directory fields (name,
  what they do now, province, trade, year of return, a contact they chose). It is open to
  logged-in alumni (peers), ministry staff (regional officers, central team, leadership,
  administrators) and partners (who recruit returnees as Specified Skilled Workers); never to
  host companies, applicants who have not been in Japan, or anonymous visitors.
- Job events are read by the same people as the directory; the central team, regional
  officers and partners create them; alumni register interest. Who registered is seen by the
  event's creator and nationwide staff.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from magang.accounts.models import Role
from magang.accounts.scopes import scope_for

from .models import AlumniProfile, JobEvent, ReturnRecord
from .models.stay import Internship

ALUMNI_STAFF_ROLES = (Role.REGIONAL_OFFICER, Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR)
NATIONWIDE = (Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR)
DIRECTORY_STAFF_ROLES = (*ALUMNI_STAFF_ROLES, Role.PARTNER)
EVENT_ORGANISER_ROLES = (Role.CENTRAL_TEAM, Role.REGIONAL_OFFICER, Role.PARTNER)


def my_profile(user: Any) -> AlumniProfile | None:
    """The user's own alumni profile (a returnee's), or None."""
    if user is None or not user.is_authenticated:
        return None
    return (
        AlumniProfile.objects.filter(candidate__user_id=user.pk)
        .select_related("candidate", "province")
        .first()
    )


def may_manage_alumnus(user: Any, internship: Internship) -> bool:
    """Officers of the intern's site, the central team and administrators record returns
    and surveys."""
    scope = scope_for(user)
    return scope.has_role(Role.CENTRAL_TEAM, Role.ADMINISTRATOR) or (
        internship.application.site.organisation_id in scope.organisations(Role.REGIONAL_OFFICER)
    )


def returned_scope(*, user: Any) -> QuerySet[Internship]:
    """Internships whose return the user may read as staff: ended ones (completed or early
    return), nationwide or of the officer's sites."""
    scope = scope_for(user)
    qs = Internship.objects.filter(ended_on__isnull=False)
    if scope.has_role(*NATIONWIDE):
        return qs
    officer_orgs = scope.organisations(Role.REGIONAL_OFFICER)
    if officer_orgs:
        return qs.filter(application__site__organisation_id__in=officer_orgs)
    return qs.none()


def return_scope(*, user: Any) -> QuerySet[ReturnRecord]:
    return ReturnRecord.objects.filter(internship__in=returned_scope(user=user))


def may_read_directory(user: Any) -> bool:
    scope = scope_for(user)
    if not scope.is_authenticated:
        return False
    return scope.has_role(*DIRECTORY_STAFF_ROLES) or my_profile(user) is not None


def directory_scope(*, user: Any) -> QuerySet[AlumniProfile]:
    """Consenting alumni, for those who may read the directory; nothing otherwise."""
    if not may_read_directory(user):
        return AlumniProfile.objects.none()
    return AlumniProfile.objects.filter(directory_consent=True)


def job_event_scope(*, user: Any) -> QuerySet[JobEvent]:
    if not may_read_directory(user):
        return JobEvent.objects.none()
    return JobEvent.objects.all()


def may_see_registrants(user: Any, event: JobEvent) -> bool:
    scope = scope_for(user)
    return scope.has_role(*NATIONWIDE) or (
        event.created_by_id is not None and event.created_by_id == scope.user_id
    )


def alumni_staff_filter(user: Any) -> Q:
    """A filter on ``AlumniProfile`` for the staff alumni list (by the site of any of the
    person's applications that reached Japan)."""
    scope = scope_for(user)
    if scope.has_role(*NATIONWIDE):
        return Q()
    officer_orgs = scope.organisations(Role.REGIONAL_OFFICER)
    if officer_orgs:
        return Q(candidate__applications__site__organisation_id__in=officer_orgs)
    return Q(pk__in=[])
