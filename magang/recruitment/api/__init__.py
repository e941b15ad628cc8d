"""Recruitment API: candidate self-service and officer actions, scoped like the pages.

Every endpoint needs a session (401 without one). ``/me/...`` answers only about the
caller's own applications; the officer endpoints need a staff role (403 otherwise) and
answer 404 for applications outside the caller's scope, exactly as the pages do. Writes
call the same services as the pages; a refused write changes nothing and says why.

The package: this module holds the ``router`` and its endpoints (Ninja names an operation
after its function's module, so they stay here to keep the published operation ids),
``schemas`` the inputs and outputs, ``outputs`` how outputs are built from the models.
"""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import, and
# @paginate re-reads them from its own module, where string annotations do not resolve.
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from magang.accounts.api_auth import api_auth
from magang.accounts.models import User
from magang.accounts.scopes import scope_for

from .. import selectors, services
from ..journey import InvalidTransition
from ..models import Application, DocumentsState
from .outputs import _detail_out, _document_out, _my_detail_out, _my_out
from .schemas import (
    ApplicationDetailOut,
    ApplicationDocumentOut,
    ApplicationQuery,
    ApplicationRowOut,
    ErrorOut,
    MyApplicationDetailOut,
    MyApplicationOut,
    ReviewIn,
    ReviewOut,
    VerifyIn,
)

router = Router(tags=["recruitment"], auth=api_auth)


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
