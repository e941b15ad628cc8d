"""Reads for recruitment, always starting from what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from magang.accounts.models import Role
from magang.accounts.scopes import scope_for
from magang.core.crypto import blind_indexes

from .models import (
    Application,
    ApplicationStatus,
    Candidate,
    Document,
    DocumentType,
    JourneyEvent,
    RecruitmentRound,
    RegistrationDraft,
    SelectionSite,
)


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
    documents_state: str = ""
    # None: all; True: only applications with warnings for the officer; False: only without.
    has_warnings: bool | None = None


def application_list(*, user: Any, filters: ApplicationFilters) -> QuerySet[Application]:
    qs = application_scope(user=user).select_related(
        "candidate", "candidate__province", "candidate__regency", "round", "site"
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.round_code:
        qs = qs.filter(round__code=filters.round_code)
    if filters.site_id:
        qs = qs.filter(site_id=filters.site_id)
    if filters.documents_state:
        qs = qs.filter(documents_state=filters.documents_state)
    if filters.has_warnings is not None:
        qs = qs.exclude(warnings=[]) if filters.has_warnings else qs.filter(warnings=[])
    if filters.query:
        term = filters.query.strip()
        qs = qs.filter(
            Q(registration_number__iexact=term)
            # The NIK is sealed: an exact match through its blind index, spaces ignored.
            | Q(candidate__nik_index__in=blind_indexes("".join(term.split()), purpose="nik"))
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


def access_document(*, user: Any, pk: int) -> Document:
    """A document whose application the user may read; 404 otherwise (same as missing)."""
    try:
        return Document.objects.select_related("application", "document_type").get(
            pk=pk, application__in=application_scope(user=user)
        )
    except Document.DoesNotExist:
        raise Http404("No such document.") from None


def _taking_registrations(today: Any, *, site: str = "") -> Q:
    """A selection site (reached through ``site``) takes registrations on ``today``."""
    return Q(**{f"{site}registration_deadline__gte": today, f"{site}round__opens_on__lte": today})


def open_sites(*, today: Any) -> QuerySet[SelectionSite]:
    """Selection sites still taking registrations, for the public list."""
    return (
        SelectionSite.objects.filter(_taking_registrations(today))
        .select_related("round", "round__programme", "province", "regency")
        .order_by("registration_deadline", "province__code", "name")
    )


# --- Staff pages and the API: who may change what, documents, exports, own applications.

# Staff who read applications within their scope; leadership only reads.
STAFF_READER_ROLES = (
    Role.REGIONAL_OFFICER,
    Role.CENTRAL_TEAM,
    Role.LEADERSHIP,
    Role.ADMINISTRATOR,
)
# Staff who may review documents, confirm eligibility and correct candidate records.
STAFF_WRITER_ROLES = (Role.REGIONAL_OFFICER, Role.CENTRAL_TEAM, Role.ADMINISTRATOR)
# Documents can be reviewed while they can still be uploaded (see services.document_upload).
REVIEW_OPEN_STATUSES = frozenset({ApplicationStatus.REGISTERED, ApplicationStatus.ELIGIBLE})


def can_change_application(*, user: Any, application: Application) -> bool:
    """The central team and administrators everywhere; a regional officer at their own sites."""
    scope = scope_for(user)
    if scope.has_role(Role.CENTRAL_TEAM, Role.ADMINISTRATOR):
        return True
    return application.site.organisation_id in scope.organisations(Role.REGIONAL_OFFICER)


def access_application_for_change(*, user: Any, pk: int) -> Application:
    """The application if the user may change it: 404 when they may not even read it (or it
    is missing), 403 when they may read but not change it (leadership)."""
    application = access_application(user=user, pk=pk)
    if not can_change_application(user=user, application=application):
        raise PermissionDenied
    return application


def access_document_for_review(*, user: Any, pk: int) -> Document:
    """A document the user may review: 404 when its application is out of their scope or it
    is missing, 403 when they may only read it."""
    try:
        document = Document.objects.select_related(
            "application__site", "application__round", "document_type", "reviewed_by"
        ).get(pk=pk, application__in=application_scope(user=user))
    except Document.DoesNotExist:
        raise Http404("No such document.") from None
    if not can_change_application(user=user, application=document.application):
        raise PermissionDenied
    return document


def review_conflict(*, document: Document, seen: dt.datetime) -> str | None:
    """Why a review based on the document as it was at ``seen`` would be stale, or None.

    ``seen`` is the document's ``updated_at`` when the reviewer loaded it; any later change
    (another review, a new upload) means the reviewer has not seen what they would decide on.
    """
    if document.updated_at == seen:
        return None
    if document.reviewed_at is not None and document.reviewed_at > seen:
        return _(
            "%(document)s was reviewed by %(who)s at %(when)s after you opened the page: it "
            "is now %(status)s. Nothing was changed; look at it again."
        ) % {
            "document": document.document_type.name_for(get_language()),
            "who": document.reviewed_by or _("someone else"),
            "when": formats.date_format(document.reviewed_at, "DATETIME_FORMAT"),
            "status": document.get_status_display(),
        }
    return _(
        "%(document)s changed after you opened the page (a new file was uploaded): it is now "
        "%(status)s. Nothing was changed; look at it again."
    ) % {
        "document": document.document_type.name_for(get_language()),
        "status": document.get_status_display(),
    }


@dataclass(frozen=True)
class ChecklistItem:
    """One line of an application's documents: a required type, or an extra upload."""

    document_type: DocumentType
    document: Document | None
    required: bool


def document_checklist(*, application: Application) -> list[ChecklistItem]:
    """The round's required documents with what was uploaded for each (None if nothing yet),
    followed by uploads of types the round does not require."""
    documents = {
        d.document_type_id: d
        for d in application.documents.select_related("document_type", "reviewed_by")
    }
    items = [
        ChecklistItem(document_type=t, document=documents.pop(t.pk, None), required=True)
        for t in application.round.required_documents.order_by("order", "code")
    ]
    extra = sorted(documents.values(), key=lambda d: (d.document_type.order, d.document_type.code))
    items += [
        ChecklistItem(document_type=d.document_type, document=d, required=False) for d in extra
    ]
    return items


def application_export(*, user: Any, filters: ApplicationFilters) -> QuerySet[Any]:
    """Rows for a list export, as tuples, in ``EXPORT_FIELDS`` order. Iterate with
    ``.iterator()``: an export may hold a whole round."""
    return application_list(user=user, filters=filters).values_list(*EXPORT_FIELDS)


EXPORT_FIELDS = (
    "registration_number",
    "candidate__nik",
    "candidate__full_name",
    "candidate__family_name",
    "candidate__sex",
    "candidate__birth_date",
    "candidate__province__name",
    "candidate__regency__name",
    "site__name",
    "round__name",
    "status",
    "documents_state",
    "warnings",
    "submitted_at",
)


def own_applications(*, user: Any) -> QuerySet[Application]:
    """The applications of the candidate record linked to this account (none for staff)."""
    if not scope_for(user).is_authenticated:
        return Application.objects.none()
    return (
        Application.objects.filter(candidate__user_id=user.pk)
        .select_related("candidate", "round", "site")
        .order_by("-created_at", "-id")
    )


def access_own_application(*, user: Any, pk: int) -> Application:
    """One of the caller's own applications; 404 for anyone else's and for missing ones."""
    try:
        return own_applications(user=user).get(pk=pk)
    except Application.DoesNotExist:
        raise Http404("No such application.") from None


def open_site_draft(*, user: Any, site_id: int, today: Any) -> RegistrationDraft | None:
    """The user's draft at this site with the site and its round, while the site takes
    registrations (the wizard's one read before its step; None also when no draft exists
    yet: then ``open_sites`` says whether the site is open)."""
    # Only what the wizard shows and checks, in one query: each join costs time too.
    drafts = RegistrationDraft.objects.filter(
        _taking_registrations(today, site="site__"), user_id=user.pk, site_id=site_id
    ).select_related("site__round")
    try:
        return drafts.get()  # one per user and site (a unique constraint)
    except RegistrationDraft.DoesNotExist:
        return None


def open_drafts(*, user: Any, today: Any) -> QuerySet[RegistrationDraft]:
    """The user's own unfinished registrations at sites still open."""
    return RegistrationDraft.objects.filter(
        user_id=user.pk, application__isnull=True, site__registration_deadline__gte=today
    ).select_related("site", "site__round")


def own_candidate(*, user: Any) -> Candidate | None:
    """The person record linked to this account, if any."""
    return Candidate.objects.filter(user_id=user.pk).select_related("province", "regency").first()
