"""Recruitment API: candidate self-service and officer actions, scoped like the pages.

Every endpoint needs a session (401 without one). ``/me/...`` answers only about the
caller's own applications; the officer endpoints need a staff role (403 otherwise) and
answer 404 for applications outside the caller's scope, exactly as the pages do. Writes
call the same services as the pages; a refused write changes nothing and says why.
"""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import, and
# @paginate re-reads them from its own module, where string annotations do not resolve.
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict

from magang.accounts.api_auth import api_auth
from magang.accounts.models import User
from magang.accounts.scopes import scope_for

from . import selectors, services
from .journey import InvalidTransition
from .models import Application, ApplicationStatus, Document, DocumentsState, JourneyEvent

router = Router(tags=["recruitment"], auth=api_auth)

# ---------------------------------------------------------------------------------------
# Schemas. Inputs forbid unknown fields, so a caller cannot slip in a status.


class ErrorOut(Schema):
    detail: str


class DocumentTypeOut(Schema):
    code: str
    name: str


class ApplicationDocumentOut(Schema):
    id: int
    type_code: str
    type_name: str
    status: Document.Status
    rejection_reason: str = Field(description="Why it was rejected; empty unless rejected.")
    content_type: str
    size: int = Field(description="Bytes, after images were re-encoded.")
    updated_at: dt.datetime = Field(
        description="Changes on every upload and review; send it back as seen_updated_at."
    )
    reviewed_at: dt.datetime | None


class FailureOut(Schema):
    rule: str
    message: str = Field(description="In Indonesian when the request asks for it, else English.")


class EligibilityOut(Schema):
    checked: bool = Field(description="False when the round has no eligibility rules.")
    eligible: bool | None
    failures: list[FailureOut]


class JourneyEventOut(Schema):
    from_status: str
    to_status: ApplicationStatus
    effective_on: dt.date
    recorded_at: dt.datetime
    reason: str


class StaffEventOut(JourneyEventOut):
    actor: str | None


class MyApplicationOut(Schema):
    id: int
    registration_number: str
    round_code: str
    round_name: str
    site_name: str
    status: ApplicationStatus
    status_label: str
    documents_state: DocumentsState
    submitted_at: dt.datetime | None


class MyApplicationDetailOut(MyApplicationOut):
    missing_documents: list[DocumentTypeOut]
    rejected_documents: list[ApplicationDocumentOut]
    documents: list[ApplicationDocumentOut]
    eligibility: EligibilityOut
    events: list[JourneyEventOut]


class ApplicationOut(Schema):
    id: int
    registration_number: str
    nik: str
    full_name: str
    family_name: str
    sex: str
    birth_date: dt.date
    province: str
    regency: str | None
    site_id: int
    site_name: str
    round_code: str
    status: ApplicationStatus
    documents_state: DocumentsState
    warnings_count: int
    submitted_at: dt.datetime | None


class ApplicationRowOut(ApplicationOut):
    """A list row, read straight from the ORM (the resolvers follow the relations)."""

    @staticmethod
    def resolve_nik(obj: Application) -> str:
        return str(obj.candidate.nik)

    @staticmethod
    def resolve_full_name(obj: Application) -> str:
        return obj.candidate.full_name

    @staticmethod
    def resolve_family_name(obj: Application) -> str:
        return obj.candidate.family_name

    @staticmethod
    def resolve_sex(obj: Application) -> str:
        return obj.candidate.sex

    @staticmethod
    def resolve_birth_date(obj: Application) -> dt.date:
        return obj.candidate.birth_date

    @staticmethod
    def resolve_province(obj: Application) -> str:
        return obj.candidate.province.name

    @staticmethod
    def resolve_regency(obj: Application) -> str | None:
        return obj.candidate.regency.name if obj.candidate.regency else None

    @staticmethod
    def resolve_site_name(obj: Application) -> str:
        return obj.site.name

    @staticmethod
    def resolve_round_code(obj: Application) -> str:
        return obj.round.code

    @staticmethod
    def resolve_warnings_count(obj: Application) -> int:
        return len(obj.warnings) if isinstance(obj.warnings, list) else 0


class HistoryOut(Schema):
    id: int
    registration_number: str
    round_code: str
    site_name: str
    status: ApplicationStatus


class ApplicationDetailOut(ApplicationOut):
    name_katakana: str
    warnings: list[str] = Field(description="For the officer: NIK mismatches, earlier attempts.")
    eligibility: EligibilityOut
    missing_documents: list[DocumentTypeOut]
    documents: list[ApplicationDocumentOut]
    events: list[StaffEventOut]
    history: list[HistoryOut] = Field(description="The same person's other applications.")
    can_change: bool = Field(description="Whether the caller may review and verify it.")


class ApplicationQuery(Schema):
    status: ApplicationStatus | None = None
    round: str | None = Field(None, max_length=40, description="Round code.")
    site: int | None = Field(None, ge=1, le=999_999_999, description="Selection site id.")
    q: str | None = Field(
        None, max_length=100, description="Registration number, NIK or part of the name."
    )
    documents_state: DocumentsState | None = None
    has_warnings: bool | None = None

    def filters(self) -> selectors.ApplicationFilters:
        return selectors.ApplicationFilters(
            status=self.status.value if self.status else "",
            round_code=self.round or "",
            site_id=self.site,
            query=self.q or "",
            documents_state=self.documents_state.value if self.documents_state else "",
            has_warnings=self.has_warnings,
        )


class ReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    accept: bool
    reason: str = Field("", max_length=1000, description="Required when rejecting.")
    seen_updated_at: dt.datetime | None = Field(
        None,
        description="The document's updated_at as the reviewer saw it; when it changed "
        "since (another review, a new upload) the review is refused with 409.",
    )


class ReviewOut(Schema):
    document: ApplicationDocumentOut
    documents_state: DocumentsState


class VerifyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field("", max_length=500)


# ---------------------------------------------------------------------------------------
# Building outputs


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # api_auth has let only logged-in users through


def _require_staff(request: HttpRequest, *, write: bool = False) -> None:
    roles = selectors.STAFF_WRITER_ROLES if write else selectors.STAFF_READER_ROLES
    if not scope_for(request.user).has_role(*roles):
        raise HttpError(403, _("Your role may not do this."))


@contextmanager
def _refusals() -> Iterator[None]:
    """Turn the services' and selectors' refusals into HTTP answers with their message."""
    try:
        yield
    except PermissionDenied as exc:
        raise HttpError(403, _("Your role may not do this.")) from exc
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    except InvalidTransition as exc:
        raise HttpError(409, str(exc)) from exc


def _document_out(document: Document) -> ApplicationDocumentOut:
    return ApplicationDocumentOut(
        id=document.pk,
        type_code=document.document_type.code,
        type_name=document.document_type.name_for(get_language()),
        status=Document.Status(document.status),
        rejection_reason=document.rejection_reason,
        content_type=document.content_type,
        size=document.size,
        updated_at=document.updated_at,
        reviewed_at=document.reviewed_at,
    )


def _eligibility_out(eligibility: dict[str, Any]) -> EligibilityOut:
    key = "id" if (get_language() or "").startswith("id") else "en"
    return EligibilityOut(
        checked=bool(eligibility),
        eligible=eligibility.get("eligible") if eligibility else None,
        failures=[
            FailureOut(rule=str(f.get("rule", "")), message=str(f.get(key) or f.get("en") or ""))
            for f in eligibility.get("failures", [])
        ],
    )


def _event_out(event: JourneyEvent) -> JourneyEventOut:
    return JourneyEventOut(
        from_status=event.from_status,
        to_status=ApplicationStatus(event.to_status),
        effective_on=event.effective_on,
        recorded_at=event.recorded_at,
        reason=event.reason,
    )


def _documents(
    application: Application,
) -> tuple[list[ApplicationDocumentOut], list[DocumentTypeOut]]:
    language = get_language()
    uploaded, missing = [], []
    for item in selectors.document_checklist(application=application):
        if item.document is not None:
            uploaded.append(_document_out(item.document))
        elif item.required:
            missing.append(
                DocumentTypeOut(
                    code=item.document_type.code, name=item.document_type.name_for(language)
                )
            )
    return uploaded, missing


def _my_out(application: Application) -> MyApplicationOut:
    return MyApplicationOut(
        id=application.pk,
        registration_number=application.registration_number,
        round_code=application.round.code,
        round_name=application.round.name,
        site_name=application.site.name,
        status=ApplicationStatus(application.status),
        status_label=str(application.get_status_display()),
        documents_state=DocumentsState(application.documents_state),
        submitted_at=application.submitted_at,
    )


def _my_detail_out(application: Application) -> MyApplicationDetailOut:
    documents, missing = _documents(application)
    return MyApplicationDetailOut(
        **_my_out(application).model_dump(),
        missing_documents=missing,
        rejected_documents=[d for d in documents if d.status == Document.Status.REJECTED],
        documents=documents,
        eligibility=_eligibility_out(application.eligibility or {}),
        events=[_event_out(e) for e in selectors.application_events(application=application)],
    )


def _detail_out(request: HttpRequest, application: Application) -> ApplicationDetailOut:
    documents, missing = _documents(application)
    return ApplicationDetailOut(
        **ApplicationRowOut.from_orm(application).model_dump(),
        name_katakana=application.candidate.name_katakana,
        warnings=[str(w) for w in application.warnings or []],
        eligibility=_eligibility_out(application.eligibility or {}),
        missing_documents=missing,
        documents=documents,
        events=[
            StaffEventOut(**_event_out(e).model_dump(), actor=str(e.actor) if e.actor else None)
            for e in selectors.application_events(application=application)
        ],
        history=[
            HistoryOut(
                id=other.pk,
                registration_number=other.registration_number,
                round_code=other.round.code,
                site_name=other.site.name,
                status=ApplicationStatus(other.status),
            )
            for other in selectors.candidate_history(user=request.user, application=application)
        ],
        can_change=selectors.can_change_application(user=request.user, application=application),
    )


# ---------------------------------------------------------------------------------------
# Candidate self-service


@router.get(
    "/me/applications",
    response={200: list[MyApplicationOut], 401: ErrorOut},
    url_name="my_applications",
    summary="My applications",
)
def my_applications(request: HttpRequest) -> list[MyApplicationOut]:
    return [_my_out(a) for a in selectors.own_applications(user=request.user)]


@router.get(
    "/me/applications/{application_id}",
    response={200: MyApplicationDetailOut, 401: ErrorOut, 404: ErrorOut},
    url_name="my_application",
    summary="One of my applications: status, missing and rejected documents, eligibility",
)
def my_application(request: HttpRequest, application_id: int) -> MyApplicationDetailOut:
    application = selectors.access_own_application(user=request.user, pk=application_id)
    return _my_detail_out(application)


@router.post(
    "/me/applications/{application_id}/documents/{type_code}",
    response={201: ApplicationDocumentOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    url_name="my_document_upload",
    summary="Upload (or replace) one of my documents",
    description="A PDF, JPEG or PNG, checked by content. Images are re-encoded. An accepted "
    "document cannot be replaced.",
)
def my_document_upload(
    request: HttpRequest, application_id: int, type_code: str, file: File[UploadedFile]
) -> Status[ApplicationDocumentOut]:
    application = selectors.access_own_application(user=request.user, pk=application_id)
    document_type = application.round.required_documents.filter(code=type_code[:40]).first()
    if document_type is None:
        raise HttpError(
            404,
            _("This round does not ask for a document of type “%(code)s”.")
            % {"code": type_code[:40]},
        )
    with _refusals():
        document = services.document_upload(
            application=application,
            document_type=document_type,
            upload=cast(IO[bytes], file),
            size=file.size,
            by=_user(request),
        )
    return Status(201, _document_out(document))


# ---------------------------------------------------------------------------------------
# Officers


@router.get(
    "/applications",
    response=list[ApplicationRowOut],
    url_name="applications",
    summary="Applications in my scope, filtered",
)
@paginate(PageNumberPagination, page_size=50, max_page_size=200)
def applications(request: HttpRequest, filters: Query[ApplicationQuery]) -> QuerySet[Application]:
    _require_staff(request)
    return selectors.application_list(user=request.user, filters=filters.filters()).select_related(
        "candidate__regency"
    )


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    url_name="application",
    summary="One application with documents, warnings, eligibility, journey and history",
)
def application(request: HttpRequest, application_id: int) -> ApplicationDetailOut:
    _require_staff(request)
    found = selectors.access_application(user=request.user, pk=application_id)
    return _detail_out(request, found)


@router.post(
    "/documents/{document_id}/review",
    response={
        200: ReviewOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    url_name="document_review",
    summary="Accept or reject a document",
    description="A rejection needs a reason, which the candidate reads. With seen_updated_at, "
    "a document that changed since is refused with 409 and its current state.",
)
def document_review(request: HttpRequest, document_id: int, payload: ReviewIn) -> ReviewOut:
    _require_staff(request, write=True)
    with _refusals():
        document = selectors.access_document_for_review(user=request.user, pk=document_id)
        if document.application.status not in selectors.REVIEW_OPEN_STATUSES:
            raise HttpError(
                409,
                _("Documents of this application can no longer be reviewed (status: %(status)s).")
                % {"status": document.application.get_status_display()},
            )
        if payload.seen_updated_at is not None:
            conflict = selectors.review_conflict(document=document, seen=payload.seen_updated_at)
            if conflict:
                raise HttpError(409, conflict)
        reviewed = services.document_review(
            document=document, accept=payload.accept, reason=payload.reason, by=_user(request)
        )
    return ReviewOut(
        document=_document_out(reviewed),
        documents_state=DocumentsState(reviewed.application.documents_state),
    )


@router.post(
    "/applications/{application_id}/verify",
    response={
        200: ApplicationDetailOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    url_name="application_verify",
    summary="Confirm eligibility once every required document is accepted",
    description="Moves the application to eligible, or to ineligible with every failed rule "
    "as the reason. 422 while a required document is not accepted; 409 when already decided.",
)
def application_verify(
    request: HttpRequest, application_id: int, payload: VerifyIn
) -> ApplicationDetailOut:
    _require_staff(request, write=True)
    with _refusals():
        found = selectors.access_application_for_change(user=request.user, pk=application_id)
        services.application_verify(application=found, by=_user(request), note=payload.note)
    return _detail_out(request, selectors.access_application(user=request.user, pk=found.pk))
