"""The stay in the API: internships (list with filters, detail), overdue monitoring duties,
and partner batches of status changes and exam results.

Who: the central team, leadership and administrators read every internship; a supervising
organisation (partner) those it supervises; a host company its own interns (never the early
return reason or notes, which may hold health data); a regional officer the interns who
registered at their site. Anyone else: 403 on lists, 404 on someone else's internship.

Batches (``POST /batches/status``, ``POST /batches/exams``) need an ``Idempotency-Key``
header. Items are applied one by one, each in its own transaction: the response lists every
item with ``ok`` and, when refused, ``error``; a refused item changes nothing. A retry with
the same key and body returns the first response (``replayed: true``) and changes nothing
again; the same key with a different body answers 422. The central team and the supervising
organisation may send every action; a host company only ``missing`` (its notification that
training can no longer continue) for its own interns.
"""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import.
import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.params import functions as param
from pydantic import ConfigDict

from magang.accounts.api_auth import api_auth
from magang.accounts.models import User

from ..access import access_internship, may_read_as_staff, sees_sensitive
from ..models import EarlyReturnReason, Internship, MonitoringDuty, TransferReason
from ..selectors import InternshipFilters, internship_list, overdue_duties
from ..services import partner

router = Router(tags=["internships"], auth=api_auth)

IdempotencyKey = Annotated[
    str,
    param.Header(
        alias="Idempotency-Key",
        description="1-100 characters, new for each batch; repeat it only to retry the same "
        "request.",
    ),
]

Action = Literal[
    "arrival",
    "next_stage",
    "home_leave",
    "transfer",
    "early_return",
    "missing",
    "found",
    "completed",
]


class ErrorOut(Schema):
    detail: str


class InternshipOut(Schema):
    id: int
    registration_number: str
    full_name: str
    status: str = Field(description="The application's journey status (in_japan, missing...).")
    supervising_organisation: str
    host_company: str | None
    prefecture_code: str
    trade_code: str
    stage: str | None = Field(description="The current stage's code, e.g. titp-2.")
    stage_started_on: dt.date | None
    departed_on: dt.date
    arrived_on: dt.date | None
    ended_on: dt.date | None
    end_reason: str

    @staticmethod
    def resolve_registration_number(obj: Internship) -> str:
        return obj.application.registration_number

    @staticmethod
    def resolve_full_name(obj: Internship) -> str:
        return obj.application.candidate.full_name

    @staticmethod
    def resolve_status(obj: Internship) -> str:
        return obj.application.status

    @staticmethod
    def resolve_supervising_organisation(obj: Internship) -> str:
        return str(obj.supervising_organisation)

    @staticmethod
    def resolve_host_company(obj: Internship) -> str | None:
        return str(obj.host_company) if obj.host_company else None

    @staticmethod
    def resolve_prefecture_code(obj: Internship) -> str:
        return obj.prefecture.code

    @staticmethod
    def resolve_trade_code(obj: Internship) -> str:
        return obj.trade.code

    @staticmethod
    def resolve_stage(obj: Internship) -> str | None:
        return obj.stage.code if obj.stage else None


class InternshipDetailOut(InternshipOut):
    collective_training_centre: str
    collective_training_until: dt.date | None
    early_return_reason: str | None = Field(
        description="Hidden (null) from host companies: it may be health data."
    )


class InternshipQuery(Schema):
    status: str = ""
    stage: str = ""
    host_company_id: int | None = None
    supervising_organisation_id: int | None = None
    prefecture: str = ""
    q: str = ""
    overdue: bool = False


class DutyOut(Schema):
    id: int
    internship_id: int
    registration_number: str
    kind: str
    sequence: int
    due_on: dt.date
    overdue_from: dt.date
    supervising_organisation: str
    host_company: str | None

    @staticmethod
    def resolve_registration_number(obj: MonitoringDuty) -> str:
        return obj.internship.application.registration_number

    @staticmethod
    def resolve_supervising_organisation(obj: MonitoringDuty) -> str:
        return str(obj.supervising_organisation)

    @staticmethod
    def resolve_host_company(obj: MonitoringDuty) -> str | None:
        return str(obj.host_company) if obj.host_company else None


class StatusItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    registration_number: str = Field(max_length=24)
    action: Action
    effective_on: dt.date = Field(
        description="The day it happened (for home_leave: the day the intern left Japan; for "
        "missing: the day of the host company's notification)."
    )
    reason: str = Field(
        "",
        max_length=20,
        description="transfer: "
        + ", ".join(TransferReason.values)
        + "; early_return: "
        + ", ".join(EarlyReturnReason.values),
    )
    host_company_id: int | None = Field(None, description="transfer: the new host company.")
    returned_on: dt.date | None = Field(None, description="home_leave: back in Japan on.")
    centre: str = Field("", max_length=120, description="arrival: collective training centre.")
    note: str = Field("", max_length=2000)


class StatusBatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    items: list[StatusItemIn] = Field(min_length=1, max_length=partner.MAX_ITEMS)


class ExamItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    registration_number: str = Field(max_length=24)
    exam: str = Field(max_length=40, description="The exam type's code, e.g. titp-basic.")
    taken_on: dt.date
    result: Literal["passed", "failed", "absent"]
    score: Decimal | None = Field(None, ge=0, max_digits=6, decimal_places=2)
    certificate_number: str = Field("", max_length=60)


class ExamBatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    items: list[ExamItemIn] = Field(min_length=1, max_length=partner.MAX_ITEMS)


class ItemResultOut(Schema):
    index: int
    registration_number: str
    ok: bool
    error: str | None = None
    internship_id: int | None = None
    status: str | None = None
    exam_id: int | None = None


class BatchOut(Schema):
    idempotency_key: str
    replayed: bool = Field(description="True when this is the stored answer to an earlier try.")
    applied: int
    failed: int
    results: list[ItemResultOut]


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not may_read_as_staff(user):
        raise HttpError(403, _("Your role does not read internships."))
    return user


@router.get("/", response=list[InternshipOut], url_name="internships_list")
@paginate(PageNumberPagination, page_size=100)
def list_internships(request: HttpRequest, filters: Query[InternshipQuery]) -> Any:
    """Internships the caller may read, newest departure first, 100 a page."""
    user = _user(request)
    qs = internship_list(
        user=user,
        filters=InternshipFilters(
            status=filters.status,
            stage=filters.stage,
            supervising_organisation_id=filters.supervising_organisation_id,
            host_company_id=filters.host_company_id,
            prefecture=filters.prefecture,
            query=filters.q,
            overdue=filters.overdue,
        ),
        today=timezone.localdate(),
    )
    return qs


@router.get("/duties/overdue", response=list[DutyOut], url_name="internships_overdue_duties")
@paginate(PageNumberPagination, page_size=100)
def list_overdue(request: HttpRequest) -> Any:
    """Open monitoring visits and audits past their days of grace, oldest first."""
    return overdue_duties(user=_user(request), today=timezone.localdate())


@router.get(
    "/{int:internship_id}",
    response={200: InternshipDetailOut, 403: ErrorOut, 404: ErrorOut},
    url_name="internships_detail",
)
def get_internship(request: HttpRequest, internship_id: int) -> Any:
    user = request.user
    if not isinstance(user, User):
        raise HttpError(403, _("Your role does not read internships."))
    internship = access_internship(user=user, pk=internship_id)
    out = InternshipDetailOut.from_orm(internship)
    if not sees_sensitive(user, internship):
        out.early_return_reason = None
    return out


def _batch(
    request: HttpRequest, key: str, endpoint: str, payload: dict[str, Any], kind: str
) -> Any:
    user = _user(request)
    key = key.strip()
    if not key or len(key) > 100:
        raise HttpError(400, _("Send an Idempotency-Key header of 1 to 100 characters."))
    items = payload["items"]
    applier = partner.Applier(user, [i["registration_number"] for i in items])
    applier.prefetch_companies(items)
    try:
        outcome = partner.batch_run(
            user=user,
            key=key,
            endpoint=endpoint,
            payload=payload,
            items=items,
            apply=applier.status if kind == "status" else applier.exam,
            apply_all=applier.status_all if kind == "status" else None,
        )
    except partner.KeyReused as exc:
        raise HttpError(
            422, _("This Idempotency-Key was used before with a different request.")
        ) from exc
    return Status(outcome.status, {**outcome.body, "replayed": outcome.replayed})


@router.post(
    "/batches/status",
    response={200: BatchOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    url_name="internships_batch_status",
)
def post_status_batch(
    request: HttpRequest,
    body: StatusBatchIn,
    idempotency_key: IdempotencyKey = "",
) -> Any:
    """Status changes for many interns (arrival, next_stage, home_leave, transfer,
    early_return, missing, found, completed), applied item by item."""
    return _batch(request, idempotency_key, "status", body.model_dump(mode="python"), "status")


@router.post(
    "/batches/exams",
    response={200: BatchOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    url_name="internships_batch_exams",
)
def post_exam_batch(
    request: HttpRequest,
    body: ExamBatchIn,
    idempotency_key: IdempotencyKey = "",
) -> Any:
    """Exam results (basic grade, grade 3, grade 2 or any exam type's code) for many
    interns, applied item by item; the same exam on the same day is corrected."""
    return _batch(request, idempotency_key, "exams", body.model_dump(mode="python"), "exams")
