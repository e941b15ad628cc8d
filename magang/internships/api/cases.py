"""Incidents and grievances in the API, at /api/v1/internships/cases: the same scopes and
rules as the pages (``cases_access``). The intern reads and files their own; officers of the
intern's site, the central team, leadership and administrators read (the first three also
act); a partner reads only the cases an intern shared (never health details, nor the text of
a health case); host companies and other roles get 403. Someone else's case answers 404."""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import, and
# @paginate re-reads them from its own module, where string annotations do not resolve.
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict

from magang.accounts.api_auth import api_auth
from magang.accounts.models import User
from magang.accounts.scopes import scope_for

from ..cases_access import CASE_STAFF_ROLES, CaseLens, access_case
from ..cases_selectors import (
    CaseFilters,
    case_list,
    case_statistics,
    is_overdue,
    my_internships,
)
from ..models import Audience, Case, CaseCategory, CaseKind, CaseSeverity, CaseStatus, Internship
from ..services import cases as services

router = Router(tags=["internships: cases"], auth=api_auth)


class ErrorOut(Schema):
    detail: str


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - api_auth let only users through
    return user


def _reader(request: HttpRequest) -> User:
    """Case staff or an intern; 403 for everyone else (host companies included)."""
    user = _user(request)
    if not scope_for(user).has_role(*CASE_STAFF_ROLES) and not my_internships(user=user).exists():
        raise HttpError(403, _("Your role may not do this."))
    return user


@contextmanager
def refusals() -> Iterator[None]:
    try:
        yield
    except PermissionDenied as exc:
        raise HttpError(403, _("Your role may not do this.")) from exc
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc


class CaseFields(Schema):
    id: int
    internship_id: int
    registration_number: str
    kind: CaseKind
    category: CaseCategory
    severity: CaseSeverity
    status: CaseStatus
    filed_as: str
    filed_at: dt.datetime
    due_at: dt.datetime
    overdue: bool
    escalated_at: dt.datetime | None
    assigned_to: str | None
    share_with_partner: bool


class CaseRowOut(CaseFields):
    @staticmethod
    def resolve_registration_number(obj: Case) -> str:
        return obj.internship.application.registration_number

    @staticmethod
    def resolve_overdue(obj: Case) -> bool:
        return is_overdue(obj)

    @staticmethod
    def resolve_assigned_to(obj: Case) -> str | None:
        return str(obj.assigned_to) if obj.assigned_to else None


class EventOut(Schema):
    kind: str
    at: dt.datetime
    actor: str | None
    from_status: str
    to_status: str
    assignee: str | None
    text: str
    audience: str


class AttachmentOut(Schema):
    id: int
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    url: str


class CaseOut(CaseFields):
    description: str | None
    health_details: str | None
    occurred_on: dt.date | None
    about_host_company: bool | None
    resolution: str | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    confirmed_by_intern: bool
    timeline: list[EventOut]
    attachments: list[AttachmentOut]


def case_out(lens: CaseLens) -> CaseOut:
    case = lens.case
    row: dict[str, Any] = {
        "id": case.pk,
        "internship_id": case.internship_id,
        "registration_number": case.internship.application.registration_number,
        "kind": case.kind,
        "category": case.category,
        "severity": case.severity,
        "status": case.status,
        "filed_as": case.filed_as,
        "filed_at": case.filed_at,
        "due_at": case.due_at,
        "overdue": is_overdue(case),
        "escalated_at": case.escalated_at,
        "assigned_to": str(case.assigned_to) if case.assigned_to else None,
        "share_with_partner": case.share_with_partner,
    }
    text = lens.sees_description
    return CaseOut(
        **row,
        description=case.description if text else None,
        health_details=case.health_details if lens.sees_health else None,
        occurred_on=case.occurred_on,
        about_host_company=case.about_host_company if not lens.is_partner else None,
        resolution=case.resolution if text else None,
        resolved_at=case.resolved_at,
        closed_at=case.closed_at,
        confirmed_by_intern=case.confirmed_by_intern,
        timeline=[
            EventOut(
                kind=e.kind,
                at=e.at,
                actor=str(e.actor) if e.actor else None,
                from_status=e.from_status,
                to_status=e.to_status,
                assignee=str(e.assignee) if e.assignee else None,
                text=e.text if text else "",
                audience=e.audience,
            )
            for e in lens.events()
        ],
        attachments=[
            AttachmentOut(
                id=a.pk,
                content_type=a.content_type,
                size=a.size,
                sha256=a.sha256,
                uploaded_at=a.uploaded_at,
                url=reverse("internships:case_attachment_file", args=[a.pk]),
            )
            for a in lens.attachments()
        ],
    )


class CaseListFilters(Schema):
    status: Literal["open", "all", "in_progress", "resolved", "closed"] = "open"
    category: CaseCategory | None = None
    overdue: bool = False


@router.get(
    "/cases",
    response={200: list[CaseRowOut], 401: ErrorOut, 403: ErrorOut},
    summary="Cases the caller may read, newest first",
)
@paginate(PageNumberPagination, page_size=100)
def cases_list(request: HttpRequest, filters: Query[CaseListFilters]) -> object:
    user = _reader(request)
    return case_list(
        user=user,
        filters=CaseFilters(
            status=filters.status, category=filters.category or "", overdue=filters.overdue
        ),
    )


class CaseIn(Schema):
    model_config = ConfigDict(extra="forbid")
    internship_id: int
    kind: CaseKind = CaseKind.GRIEVANCE
    category: CaseCategory
    severity: CaseSeverity
    description: str = Field(min_length=1, max_length=10_000)
    health_details: str = Field(default="", max_length=10_000)
    occurred_on: dt.date | None = None
    about_host_company: bool = False
    share_with_partner: bool = False


@router.post(
    "/cases",
    response={201: CaseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="File an incident or grievance (as the intern, an officer or the partner)",
)
def case_create(request: HttpRequest, payload: CaseIn) -> Status[CaseOut]:
    user = _reader(request)
    internship = (
        Internship.objects.select_related(
            "application__candidate", "application__site", "supervising_organisation"
        )
        .filter(pk=payload.internship_id)
        .first()
    )
    if internship is None:
        raise Http404("No such internship.")
    try:
        services.filer_role(internship=internship, by=user)
    except PermissionDenied:
        raise Http404("No such internship.") from None
    with refusals():
        case = services.case_file(
            internship=internship,
            by=user,
            kind=payload.kind,
            category=payload.category,
            severity=payload.severity,
            description=payload.description,
            health_details=payload.health_details,
            occurred_on=payload.occurred_on,
            about_host_company=payload.about_host_company,
            share_with_partner=payload.share_with_partner,
        )
    return Status(201, case_out(access_case(user=user, pk=case.pk)))


class CategoryCountOut(Schema):
    category: CaseCategory
    label: str
    filed: int
    open: int
    resolved: int
    escalated: int
    mean_hours_to_resolution: float | None


@router.get(
    "/cases/statistics",
    response={200: list[CategoryCountOut], 401: ErrorOut, 403: ErrorOut},
    summary="Cases by category within the caller's scope: counts and mean hours to resolution",
)
def cases_statistics(
    request: HttpRequest, since: dt.date | None = None, until: dt.date | None = None
) -> list[CategoryCountOut]:
    user = _user(request)
    if not scope_for(user).has_role(*CASE_STAFF_ROLES):
        raise HttpError(403, _("Your role may not do this."))
    return [
        CategoryCountOut(**vars(row))
        for row in case_statistics(user=user, since=since, until=until)
    ]


@router.get(
    "/cases/{case_id}",
    response={200: CaseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="One case with its timeline, as the caller may see it",
)
def case_detail(request: HttpRequest, case_id: int) -> CaseOut:
    return case_out(access_case(user=_reader(request), pk=case_id))


class NoteIn(Schema):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=10_000)
    audience: Audience = Audience.EVERYONE


@router.post(
    "/cases/{case_id}/notes",
    response={201: CaseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Add a note to the timeline",
)
def case_note(request: HttpRequest, case_id: int, payload: NoteIn) -> Status[CaseOut]:
    user = _reader(request)
    lens = access_case(user=user, pk=case_id)
    with refusals():
        services.case_note_add(
            case=lens.case, by=user, text=payload.text, audience=payload.audience
        )
    return Status(201, case_out(access_case(user=user, pk=case_id)))


@router.post(
    "/cases/{case_id}/attachments",
    response={201: CaseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Add a PDF, JPEG or PNG file (checked by content)",
)
def case_attachment(
    request: HttpRequest,
    case_id: int,
    file: File[UploadedFile],
    audience: Audience = Audience.EVERYONE,
) -> Status[CaseOut]:
    user = _reader(request)
    lens = access_case(user=user, pk=case_id)
    with refusals():
        services.case_attach(
            case=lens.case,
            upload=services.Upload(file=file, size=file.size),
            by=user,
            audience=audience,
        )
    return Status(201, case_out(access_case(user=user, pk=case_id)))


class AssignIn(Schema):
    model_config = ConfigDict(extra="forbid")
    assignee_id: int


@router.post(
    "/cases/{case_id}/assign",
    response={200: CaseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Assign the case to an officer",
)
def case_assign(request: HttpRequest, case_id: int, payload: AssignIn) -> CaseOut:
    user = _reader(request)
    lens = access_case(user=user, pk=case_id, manage=True)
    assignee = User.objects.filter(pk=payload.assignee_id).first()
    if assignee is None:
        raise HttpError(422, _("No such user."))
    with refusals():
        services.case_assign(case=lens.case, assignee=assignee, by=user)
    return case_out(access_case(user=user, pk=case_id))


class TransitionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    action: Literal["start", "resolve", "confirm", "reopen", "close"]
    text: str = Field(default="", max_length=10_000)


@router.post(
    "/cases/{case_id}/transition",
    response={200: CaseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Move the case: start, resolve (text = resolution), confirm (the intern), "
    "reopen or close (text = reason)",
)
def case_transition(request: HttpRequest, case_id: int, payload: TransitionIn) -> CaseOut:
    user = _reader(request)
    case = access_case(user=user, pk=case_id).case
    with refusals():
        if payload.action == "start":
            services.case_start(case=case, by=user)
        elif payload.action == "resolve":
            services.case_resolve(case=case, by=user, resolution=payload.text)
        elif payload.action == "confirm":
            services.case_confirm(case=case, by=user)
        elif payload.action == "reopen":
            services.case_reopen(case=case, by=user, reason=payload.text)
        else:
            services.case_close(case=case, by=user, reason=payload.text)
    return case_out(access_case(user=user, pk=case_id))


class SeverityIn(Schema):
    model_config = ConfigDict(extra="forbid")
    severity: CaseSeverity
    reason: str = Field(min_length=1, max_length=2000)


@router.post(
    "/cases/{case_id}/severity",
    response={200: CaseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Change the severity (the target time is counted again)",
)
def case_severity(request: HttpRequest, case_id: int, payload: SeverityIn) -> CaseOut:
    user = _reader(request)
    lens = access_case(user=user, pk=case_id, manage=True)
    with refusals():
        services.case_change_severity(
            case=lens.case, by=user, severity=payload.severity, reason=payload.reason
        )
    return case_out(access_case(user=user, pk=case_id))


class SharingIn(Schema):
    model_config = ConfigDict(extra="forbid")
    share_with_partner: bool


@router.post(
    "/cases/{case_id}/sharing",
    response={200: CaseOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="The intern decides whether the supervising organisation may see the case",
)
def case_sharing(request: HttpRequest, case_id: int, payload: SharingIn) -> CaseOut:
    user = _reader(request)
    lens = access_case(user=user, pk=case_id)
    with refusals():
        services.case_set_sharing(case=lens.case, by=user, share=payload.share_with_partner)
    return case_out(access_case(user=user, pk=case_id))
