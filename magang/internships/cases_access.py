"""Who may see and act on an incident or grievance. The only place that decides it.

- The intern sees and files their own cases, reads every note and file marked for everyone,
  and decides whether the supervising organisation may see a case.
- Regional officers see the cases of interns who registered at their selection sites; the
  central team, leadership and administrators see all. Officers of the site, the central
  team and administrators act (assign, change the status, resolve); leadership only reads.
- A partner (supervising organisation) sees a case only when the intern allowed it (or the
  partner filed it) and the intern is one it supervises. It never reads health details,
  the description or files of a health case, or notes and files kept for officials.
- Host companies see no case at all: a grievance about a host company must never reach it,
  and the issue names no case a host company files (an accident at a host company is
  reported through its supervising organisation). This keeps the rule simple to check.

A case outside the reader's scope is "not found" (404), like a missing one; a case the user
may read but not change answers 403 to a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from magang.accounts.models import Role
from magang.accounts.scopes import Scope, scope_for

from .models import Audience, Case, CaseAttachment, CaseCategory, CaseEvent, Internship

# Roles that open the staff case pages (what each sees is narrowed by ``case_scope``).
CASE_STAFF_ROLES = (
    Role.REGIONAL_OFFICER,
    Role.CENTRAL_TEAM,
    Role.LEADERSHIP,
    Role.ADMINISTRATOR,
    Role.PARTNER,
)
# Ministry roles that read every case in full (nationwide).
CASE_OFFICIAL_NATIONWIDE = (Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR)
# Who may manage any case (assign, status, resolve) nationwide.
CASE_MANAGER_NATIONWIDE = (Role.CENTRAL_TEAM, Role.ADMINISTRATOR)


def case_scope(*, user: Any) -> QuerySet[Case]:
    """Every case the user may read, and nothing else."""
    scope = scope_for(user)
    qs = Case.objects.all()
    if not scope.is_authenticated:
        return qs.none()
    if scope.has_role(*CASE_OFFICIAL_NATIONWIDE):
        return qs
    # The intern's own cases, as a subquery: joining application and candidate into every
    # reader's query (a partner's page counts thousands of cases) made PostgreSQL scan all
    # internships.
    visible = Q(
        internship_id__in=Internship.objects.filter(
            application__candidate__user_id=scope.user_id or 0
        ).values("pk")
    )
    officer_orgs = scope.organisations(Role.REGIONAL_OFFICER)
    if officer_orgs:
        visible |= Q(internship__application__site__organisation_id__in=officer_orgs)
    partner_orgs = scope.organisations(Role.PARTNER)
    if partner_orgs:
        visible |= Q(
            share_with_partner=True, internship__supervising_organisation_id__in=partner_orgs
        )
    qs = qs.filter(visible)
    host_orgs = scope.organisations(Role.HOST_COMPANY)
    if host_orgs:
        # Someone who also works for the host company never reads a case about it, whatever
        # other role they hold.
        qs = qs.exclude(about_host_company=True, host_company_id__in=host_orgs)
    return qs


@dataclass(frozen=True)
class CaseLens:
    """What one reader may see and do on one case."""

    case: Case
    is_official: bool  # ministry: full read
    is_intern: bool
    is_partner: bool
    may_manage: bool  # assign, change status and severity, resolve, close
    may_write: bool = True  # notes and files; leadership only reads

    @property
    def sees_health(self) -> bool:
        return self.is_official or self.is_intern

    @property
    def sees_description(self) -> bool:
        return self.sees_health or self.case.category != CaseCategory.HEALTH

    @property
    def may_note(self) -> bool:
        return self.may_write and (self.is_official or self.is_intern or self.is_partner)

    @property
    def may_attach(self) -> bool:
        return self.may_note

    @property
    def may_choose_sharing(self) -> bool:
        return self.is_intern

    @property
    def audiences(self) -> tuple[str, ...]:
        return tuple(Audience.values) if self.is_official else (Audience.EVERYONE,)

    def events(self) -> QuerySet[CaseEvent]:
        """The timeline lines this reader may see. On a health case a partner sees only
        that it moved (no notes; the page shows no text)."""
        qs = self.case.events.filter(audience__in=self.audiences)
        if not self.sees_description:
            qs = qs.exclude(kind__in=[CaseEvent.Kind.NOTE, CaseEvent.Kind.ATTACHMENT])
        return qs.select_related("actor", "assignee").order_by("at", "id")

    def attachments(self) -> QuerySet[CaseAttachment]:
        if not self.sees_description:
            return self.case.attachments.none()
        return self.case.attachments.filter(audience__in=self.audiences).order_by(
            "uploaded_at", "id"
        )


def lens_for(scope: Scope, case: Case) -> CaseLens | None:
    """The reader's view of a case they may read (``None`` when they may not)."""
    internship = case.internship
    site_org = internship.application.site.organisation_id
    nationwide = scope.has_role(*CASE_OFFICIAL_NATIONWIDE)
    regional = site_org in scope.organisations(Role.REGIONAL_OFFICER)
    is_intern = (
        scope.user_id is not None and internship.application.candidate.user_id == scope.user_id
    )
    is_partner = (
        case.share_with_partner
        and internship.supervising_organisation_id in scope.organisations(Role.PARTNER)
    )
    if not (nationwide or regional or is_intern or is_partner):
        return None
    if (
        not nationwide
        and case.about_host_company
        and case.host_company_id in scope.organisations(Role.HOST_COMPANY)
    ):
        return None
    return CaseLens(
        case=case,
        is_official=nationwide or regional,
        is_intern=is_intern,
        is_partner=is_partner and not (nationwide or regional),
        may_manage=regional or scope.has_role(*CASE_MANAGER_NATIONWIDE),
        may_write=regional or is_intern or is_partner or scope.has_role(*CASE_MANAGER_NATIONWIDE),
    )


def access_case(*, user: Any, pk: int, manage: bool = False) -> CaseLens:
    """The case as this user may see it; 404 when out of scope, 403 when ``manage`` is asked
    and the user may only read."""
    case = (
        case_scope(user=user)
        .select_related(
            "internship__application__candidate",
            "internship__application__site",
            "internship__supervising_organisation",
            "internship__host_company",
            "internship__prefecture",
            "assigned_to",
            "filed_by",
        )
        .filter(pk=pk)
        .first()
    )
    lens = lens_for(scope_for(user), case) if case is not None else None
    if lens is None:
        raise Http404("No such case.")
    if manage and not lens.may_manage:
        raise PermissionDenied
    return lens


def access_attachment(*, user: Any, pk: int) -> CaseAttachment:
    """An attachment the user may download (the same rules as the case page)."""
    attachment = CaseAttachment.objects.filter(pk=pk).only("pk", "case_id").first()
    if attachment is None:
        raise Http404("No such file.")
    lens = access_case(user=user, pk=attachment.case_id)
    visible = lens.attachments().filter(pk=pk).first()
    if visible is None:
        raise Http404("No such file.")
    return visible
