"""Departure in the API: departure files with their checklists, batches (create, add interns,
record as departed) and an application's curriculum vitae (PDF). Same roles as the pages:
the central team acts; leadership and administrators read; a partner or a host company
reads the files of its own job orders only (404 for another's) and changes nothing (403).
Every other role gets 403."""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import, and
# @paginate re-reads them from its own module, where string annotations do not resolve.
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict

from magang.accounts.api_auth import api_auth
from magang.recruitment.journey import InvalidTransition

from ..checklist import Item
from ..cv import cv_attachment
from ..models import DepartureBatch, DepartureFile
from ..selectors import departure as selectors
from ..services.departure import batch_add, batch_create, batch_depart, departure_file_update
from .common import ErrorOut, PlacementPrefectureOut, prefecture_out, reader, refusals

router = Router(tags=["placement"], auth=api_auth)

TEXT_FIELDS = ("passport_number", "training_plan_number", "coe_number", "visa_number")


class ChecklistItemOut(Schema):
    key: str = Field(description="passport, training_plan, coe, visa or medical")
    ok: bool
    text_id: str
    text_en: str


class DepartureFileOut(Schema):
    id: int
    application_id: int
    registration_number: str
    full_name: str
    name_katakana: str
    job_order_id: int
    job_order: str = Field(description="The job order's reference.")
    host_company: str
    prefecture: PlacementPrefectureOut
    checked_against: dt.date = Field(
        description="The departure date the checklist is measured from: the batch's, else "
        "the job order's planned start."
    )
    batch_id: int | None
    departed: bool
    ready: bool
    warnings: list[ChecklistItemOut]


class DepartureFileDetailOut(DepartureFileOut):
    passport_number: str
    passport_pages: int | None
    passport_expires_on: dt.date | None
    training_plan_number: str
    training_plan_certified_on: dt.date | None
    coe_number: str
    coe_issued_on: dt.date | None
    visa_number: str
    visa_issued_on: dt.date | None
    medical_checked_on: dt.date | None
    medical_passed: bool | None
    checklist: list[ChecklistItemOut]


class DepartureFileIn(Schema):
    """Only the fields given change; an empty text or null clears one."""

    model_config = ConfigDict(extra="forbid")
    passport_number: str | None = Field(None, max_length=20)
    passport_pages: int | None = Field(None, ge=1, le=200)
    passport_expires_on: dt.date | None = None
    training_plan_number: str | None = Field(None, max_length=40)
    training_plan_certified_on: dt.date | None = None
    coe_number: str | None = Field(None, max_length=40)
    coe_issued_on: dt.date | None = None
    visa_number: str | None = Field(None, max_length=40)
    visa_issued_on: dt.date | None = None
    medical_checked_on: dt.date | None = None
    medical_passed: bool | None = None


class FileFiltersIn(Schema):
    not_ready: bool = Field(False, description="Only files with a warning, not yet departed.")
    q: str = Field("", max_length=60, description="A registration number or part of a name.")
    job_order: int | None = None


class DepartureBatchOut(Schema):
    id: int
    departs_on: dt.date
    flight: str
    airport: str
    arrives_at: str
    departed_at: dt.datetime | None
    interns: int = Field(description="Interns on the batch whom the caller sees.")


class BatchDetailOut(DepartureBatchOut):
    members: list[DepartureFileOut]


class BatchIn(Schema):
    model_config = ConfigDict(extra="forbid")
    departs_on: dt.date
    flight: str = Field(min_length=1, max_length=20)
    airport: str = Field("Soekarno-Hatta (CGK)", min_length=1, max_length=60)
    arrives_at: str = Field("", max_length=60)


class BatchAddIn(Schema):
    model_config = ConfigDict(extra="forbid")
    files: list[int] = Field(min_length=1, max_length=1000, description="Departure file ids.")


class RefusalOut(Schema):
    detail: str
    reasons: list[str] = Field(description="One line per intern refused, with what is missing.")


class DepartIn(Schema):
    model_config = ConfigDict(extra="forbid")
    confirm: bool = Field(description="Must be true: the batch has left.")


def _items(items: list[Item]) -> list[ChecklistItemOut]:
    return [
        ChecklistItemOut(key=i.key, ok=i.ok, text_id=i.text_id, text_en=i.text_en) for i in items
    ]


def _row_fields(row: selectors.FileRow) -> dict[str, Any]:
    file = row.file
    batch = row.batch
    return {
        "id": file.pk,
        "application_id": file.application_id,
        "registration_number": file.application.registration_number,
        "full_name": file.application.candidate.full_name,
        "name_katakana": file.application.candidate.name_katakana,
        "job_order_id": file.job_order_id,
        "job_order": file.job_order.reference,
        "host_company": file.job_order.host_company.name,
        "prefecture": prefecture_out(file.job_order.prefecture),
        "checked_against": row.checked_against,
        "batch_id": batch.pk if batch else None,
        "departed": row.departed,
        "ready": row.ready,
        "warnings": _items(row.warnings),
    }


def _file_out(row: selectors.FileRow) -> DepartureFileOut:
    return DepartureFileOut(**_row_fields(row))


def _file_detail_out(file: DepartureFile) -> DepartureFileDetailOut:
    row = selectors.file_row(file)
    return DepartureFileDetailOut(
        **_row_fields(row),
        passport_number=file.passport_number,
        passport_pages=file.passport_pages,
        passport_expires_on=file.passport_expires_on,
        training_plan_number=file.training_plan_number,
        training_plan_certified_on=file.training_plan_certified_on,
        coe_number=file.coe_number,
        coe_issued_on=file.coe_issued_on,
        visa_number=file.visa_number,
        visa_issued_on=file.visa_issued_on,
        medical_checked_on=file.medical_checked_on,
        medical_passed=file.medical_passed,
        checklist=_items(row.items),
    )


def _batch_fields(batch: DepartureBatch, interns: int) -> dict[str, Any]:
    return {
        "id": batch.pk,
        "departs_on": batch.departs_on,
        "flight": batch.flight,
        "airport": batch.airport,
        "arrives_at": batch.arrives_at,
        "departed_at": batch.departed_at,
        "interns": interns,
    }


def _recorder(request: HttpRequest) -> Any:
    """The caller, when they record departures (the central team); 403 for everyone else,
    whatever batch they name."""
    user = reader(request)
    if not selectors.may_record_departure(user):
        raise HttpError(403, _("Your role may not do this."))
    return user


def _batch_detail_out(batch: DepartureBatch, user: Any) -> BatchDetailOut:
    members = selectors.batch_members(batch=batch, user=user)
    return BatchDetailOut(
        **_batch_fields(batch, len(members)), members=[_file_out(row) for row in members]
    )


# --- Files ------------------------------------------------------------------------------


@router.get(
    "/departure/files",
    response={200: list[DepartureFileOut], 401: ErrorOut, 403: ErrorOut},
    summary="Departure files the caller sees, with each one's warnings",
)
@paginate(PageNumberPagination, page_size=100)
def departure_file_list(
    request: HttpRequest, filters: Query[FileFiltersIn]
) -> list[DepartureFileOut]:
    user = reader(request)
    chosen = selectors.FileFilters(
        not_ready=filters.not_ready, search=filters.q.strip(), job_order=filters.job_order
    )
    return [_file_out(row) for row in selectors.departure_file_rows(user=user, filters=chosen)]


@router.get(
    "/departure/files/{file_id}",
    response={200: DepartureFileDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="One departure file: numbers, dates and the full checklist",
)
def departure_file_detail(request: HttpRequest, file_id: int) -> DepartureFileDetailOut:
    user = reader(request)
    return _file_detail_out(selectors.access_departure_file(user=user, pk=file_id))


@router.patch(
    "/departure/files/{file_id}",
    response={
        200: DepartureFileDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut
    },
    summary="Record numbers and dates (central team)",
)  # fmt: skip
def departure_file_change(
    request: HttpRequest, file_id: int, payload: DepartureFileIn
) -> DepartureFileDetailOut:
    user = reader(request)
    with refusals():
        file = selectors.access_departure_file(user=user, pk=file_id, write=True)
        changes = payload.model_dump(exclude_unset=True)
        for name in TEXT_FIELDS:
            if name in changes and changes[name] is None:
                changes[name] = ""
        if changes:
            departure_file_update(file=file, changes=changes, by=user)
    return _file_detail_out(selectors.access_departure_file(user=user, pk=file_id))


# --- Batches ----------------------------------------------------------------------------


@router.get(
    "/departure/batches",
    response={200: list[DepartureBatchOut], 401: ErrorOut, 403: ErrorOut},
    summary="Departure batches the caller sees, latest departure first",
)
@paginate(PageNumberPagination, page_size=100)
def batch_list(request: HttpRequest) -> list[DepartureBatchOut]:
    user = reader(request)
    return [
        DepartureBatchOut(**_batch_fields(batch, int(getattr(batch, "interns", 0))))
        for batch in selectors.batch_list(user=user)
    ]


@router.post(
    "/departure/batches",
    response={201: BatchDetailOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Create a batch (central team)",
)
def batch_new(request: HttpRequest, payload: BatchIn) -> Status[BatchDetailOut]:
    user = _recorder(request)
    with refusals():
        batch = batch_create(**payload.model_dump(), by=user)
    return Status(201, _batch_detail_out(batch, user))


@router.get(
    "/departure/batches/{batch_id}",
    response={200: BatchDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="A batch and the interns on it whom the caller sees",
)
def batch_detail(request: HttpRequest, batch_id: int) -> BatchDetailOut:
    user = reader(request)
    return _batch_detail_out(selectors.access_batch(user=user, pk=batch_id), user)


@router.post(
    "/departure/batches/{batch_id}/members",
    response={
        200: BatchDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: RefusalOut
    },
    summary="Put interns on a batch (central team); refused, for everyone, if any is not "
    "complete for its date",
)  # fmt: skip
def batch_members_add(
    request: HttpRequest, batch_id: int, payload: BatchAddIn
) -> BatchDetailOut | Status[RefusalOut]:
    user = _recorder(request)
    batch = selectors.access_batch(user=user, pk=batch_id, write=True)
    ids = list(dict.fromkeys(payload.files))
    files = list(DepartureFile.objects.filter(pk__in=ids).select_related(*selectors.FILE_RELATED))
    unknown = sorted(set(ids) - {f.pk for f in files})
    if unknown:
        message = _("No such departure files: %(ids)s.") % {
            "ids": ", ".join(str(pk) for pk in unknown)
        }
        return Status(422, RefusalOut(detail=message, reasons=[message]))
    try:
        batch_add(batch=batch, files=files, by=user)
    except ValidationError as exc:
        return Status(422, RefusalOut(detail=_("Nobody was added."), reasons=list(exc.messages)))
    return _batch_detail_out(batch, user)


@router.post(
    "/departure/batches/{batch_id}/depart",
    response={
        200: BatchDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
        422: ErrorOut,
    },
    summary="Record that the batch has left (central team): the interns move to departed "
    "and their internships start",
)  # fmt: skip
def batch_departed(request: HttpRequest, batch_id: int, payload: DepartIn) -> BatchDetailOut:
    user = _recorder(request)
    batch = selectors.access_batch(user=user, pk=batch_id, write=True)
    if not payload.confirm:
        raise HttpError(422, _("Confirm that the batch has left."))
    try:
        with refusals():
            batch_depart(batch=batch, by=user)
    except InvalidTransition as exc:
        raise HttpError(409, str(exc)) from exc
    return _batch_detail_out(selectors.access_batch(user=user, pk=batch_id), user)


# --- Curriculum vitae -------------------------------------------------------------------


@router.get(
    "/applications/{application_id}/cv",
    response={401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="An application's curriculum vitae (履歴書) as a PDF attachment",
    openapi_extra={
        "responses": {
            200: {
                "description": "The PDF.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def application_cv(request: HttpRequest, application_id: int) -> HttpResponse:
    user = reader(request)
    application, order = selectors.access_cv(user=user, application_id=application_id)
    return cv_attachment(application=application, job_order=order, user=user)
