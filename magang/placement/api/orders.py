"""Job orders, their shortlists, interviews and the company's ranking in the API. The same
roles as the pages: the central team, leadership and administrators read every order, a
partner the orders it sends, a host company its own; the central team, the order's partner
and its host company act. Of a shortlisted candidate only the card the pages show is
answered (never health data, contacts or discipline records)."""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import.
import datetime as dt
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict

from magang.accounts.api_auth import api_auth
from magang.accounts.scopes import scope_for
from magang.recruitment.models import Application
from magang.reference.models import Prefecture, Trade

from ..disclosures import disclosure_log, partner_reader
from ..models import Candidacy, InterviewResult, JobOrder, JobOrderState
from ..selectors import orders as selectors
from ..selectors.shortlists import ShortlistRow, shortlist_rows
from ..services.candidacies import company_ranking_set, interview_record, shortlist_propose
from ..services.orders import JobOrderData, job_order_save
from .common import (
    ErrorOut,
    PlacementPrefectureOut,
    PlacementTradeOut,
    order_for,
    reader,
    refusals,
    user_of,
)

router = Router(tags=["placement"], auth=api_auth)

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE = {**READ, 422: ErrorOut}


class JobOrderOut(Schema):
    id: int
    reference: str
    host_company_id: int
    host_company: str
    supervising_organisation: str
    trade: PlacementTradeOut
    prefecture: PlacementPrefectureOut
    slots: int = Field(description="Interns wanted.")
    planned_start: dt.date
    interview_on: dt.date | None
    sex: str = Field(description="M (men only), F (women only) or empty (any).")
    min_age: int | None = Field(description="At the planned start.")
    max_age: int | None
    min_height_cm: int | None
    japanese_level: str = Field(description="N5, N4, A2 (JFT-Basic) or empty.")
    notes: str
    state: JobOrderState

    @staticmethod
    def resolve_host_company(obj: JobOrder) -> str:
        return obj.host_company.name

    @staticmethod
    def resolve_supervising_organisation(obj: JobOrder) -> str:
        return obj.supervising_organisation.name


class FiguresOut(Schema):
    ranked: int = Field(description="Candidates who ranked the order.")
    shortlisted: int
    passed: int
    failed: int
    absent: int
    pending: int
    company_ranked: int
    year_ordered: int = Field(description="Interns the company ordered for the start's year.")
    year_cap: int | None = Field(description="OTIT's cap; null without a staff count.")


class JobOrderDetailOut(JobOrderOut):
    figures: FiguresOut

    @staticmethod
    def resolve_figures(obj: JobOrder) -> FiguresOut:
        figures = selectors.order_figures(obj)
        return FiguresOut(
            ranked=figures.ranked, shortlisted=figures.shortlisted, passed=figures.passed,
            failed=figures.failed, absent=figures.absent, pending=figures.pending,
            company_ranked=figures.company_ranked, year_ordered=figures.intake.ordered,
            year_cap=figures.intake.cap,
        )  # fmt: skip


class JobOrderIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reference: str = Field(min_length=1, max_length=40)
    trade: str = Field(description="OTIT trade code, e.g. 6-1-1.", max_length=12)
    prefecture: str = Field(description="JIS code 01-47.", max_length=2)
    slots: int = Field(ge=1, le=999)
    planned_start: dt.date
    interview_on: dt.date | None = None
    sex: Literal["", "M", "F"] = ""
    min_age: int | None = Field(default=None, ge=0, le=99)
    max_age: int | None = Field(default=None, ge=0, le=99)
    min_height_cm: int | None = Field(default=None, ge=0, le=300)
    japanese_level: Literal["", "N5", "N4", "A2"] = ""
    notes: str = Field(default="", max_length=2000)


class JobOrderCreateIn(JobOrderIn):
    host_company_id: int


class OrderFiltersIn(Schema):
    state: JobOrderState | None = None
    trade: str = Field(default="", max_length=12)
    prefecture: str = Field(default="", max_length=2)


class CandidacyOut(Schema):
    id: int
    application_id: int
    registration_number: str
    full_name: str
    name_katakana: str
    age: int
    sex: str = Field(description="M or F.")
    height_cm: int | None
    japanese_level: str = Field(description="Certified level: N5, N4, A2 or empty.")
    training_total: float | None = Field(description="Weighted training total, 0..100.")
    interviewed_on: dt.date | None
    interviewer: str
    result: InterviewResult
    notes: str
    company_rank: int | None


class ProposeOut(Schema):
    added: int
    shortlist: list[CandidacyOut]


class InterviewIn(Schema):
    model_config = ConfigDict(extra="forbid")
    interviewed_on: dt.date
    interviewer: str = Field(default="", max_length=120)
    result: InterviewResult
    notes: str = Field(default="", max_length=2000)


class RankingIn(Schema):
    model_config = ConfigDict(extra="forbid")
    registration_numbers: list[str] = Field(
        description="Those who passed, the most wanted first; anyone left out is not "
        "acceptable to the company.",
        max_length=500,
    )


def _data(payload: JobOrderIn) -> JobOrderData:
    trade = Trade.objects.filter(code=payload.trade.strip()).first()
    prefecture = Prefecture.objects.filter(code=payload.prefecture.strip().zfill(2)).first()
    problems = []
    if trade is None:
        problems.append(_("No trade has the code %(code)s.") % {"code": payload.trade})
    if prefecture is None:
        problems.append(_("No prefecture has the code %(code)s.") % {"code": payload.prefecture})
    if trade is None or prefecture is None:
        raise HttpError(422, " ".join(problems))
    return JobOrderData(
        reference=payload.reference, trade=trade, prefecture=prefecture, slots=payload.slots,
        planned_start=payload.planned_start, sex=payload.sex, min_age=payload.min_age,
        max_age=payload.max_age, min_height_cm=payload.min_height_cm,
        japanese_level=payload.japanese_level, interview_on=payload.interview_on,
        notes=payload.notes,
    )  # fmt: skip


@router.get("/orders", response={200: list[JobOrderOut], **READ}, summary="Job orders I see")
@paginate(PageNumberPagination, page_size=100)
def order_list(request: HttpRequest, filters: Query[OrderFiltersIn]) -> QuerySet[JobOrder]:
    user = reader(request)
    wanted = selectors.OrderFilters(
        state=filters.state.value if filters.state else "",
        trade=filters.trade.strip(),
        prefecture=filters.prefecture.strip(),
    )
    return selectors.job_order_list(user=user, filters=wanted)


@router.get("/orders/{order_id}", response={200: JobOrderDetailOut, **READ})
def order_detail(request: HttpRequest, order_id: int) -> JobOrder:
    return order_for(reader(request), order_id)


@router.post("/orders", response={201: JobOrderDetailOut, **WRITE}, summary="Send a job order")
def order_create(request: HttpRequest, payload: JobOrderCreateIn) -> Status[JobOrder]:
    user = user_of(request)
    if not scope_for(user).has_role(*selectors.ORDER_SENDERS):
        raise HttpError(403, _("Your role may not do this."))
    company = (
        selectors.editable_host_companies(user=user).filter(pk=payload.host_company_id).first()
    )
    if company is None:
        raise HttpError(422, _("Choose one of the host companies you send job orders for."))
    data = _data(payload)
    with refusals():
        order = job_order_save(host_company=company, data=data, by=user)
    return Status(201, order)


@router.put("/orders/{order_id}", response={200: JobOrderDetailOut, **WRITE})
def order_update(request: HttpRequest, order_id: int, payload: JobOrderIn) -> JobOrder:
    user = reader(request)
    order = order_for(user, order_id, write=True)
    if order.state != JobOrderState.OPEN:
        raise HttpError(422, _("Only open job orders can be changed."))
    data = _data(payload)
    with refusals():
        return job_order_save(host_company=order.host_company, data=data, by=user, order=order)


def _candidacy_out(row: ShortlistRow) -> CandidacyOut:
    card, candidacy = row.card, row.candidacy
    return CandidacyOut(
        id=candidacy.pk, application_id=card.application_id,
        registration_number=card.registration_number, full_name=card.full_name,
        name_katakana=card.name_katakana, age=card.age, sex=card.sex, height_cm=card.height_cm,
        japanese_level=card.japanese_level, training_total=card.training_total,
        interviewed_on=candidacy.interviewed_on, interviewer=candidacy.interviewer,
        result=InterviewResult(candidacy.result), notes=candidacy.notes,
        company_rank=candidacy.company_rank,
    )  # fmt: skip


def _shortlist(order: JobOrder) -> list[CandidacyOut]:
    return [_candidacy_out(row) for row in shortlist_rows(order=order, today=timezone.localdate())]


@router.get(
    "/orders/{order_id}/shortlist",
    response={200: list[CandidacyOut], **READ},
    summary="The shortlist: the company's ranking first, then by registration number",
)
def shortlist_get(request: HttpRequest, order_id: int) -> list[CandidacyOut]:
    user = reader(request)
    order = order_for(user, order_id)
    rows = _shortlist(order)
    if partner_reader(user):
        disclosure_log(
            user=user,
            application_ids=[row.application_id for row in rows],
            what="placement.api.shortlist",
            job_order=order,
        )
    return rows


@router.post(
    "/orders/{order_id}/shortlist",
    response={200: ProposeOut, **WRITE},
    summary="Add eligible candidates who ranked the order, up to three per intern wanted",
)
def shortlist_post(request: HttpRequest, order_id: int) -> ProposeOut:
    user = reader(request)
    order = order_for(user, order_id, write=True)
    with refusals():
        added = shortlist_propose(order=order, by=user)
    return ProposeOut(added=len(added), shortlist=_shortlist(order))


@router.put(
    "/orders/{order_id}/shortlist/{candidacy_id}/interview",
    response={200: CandidacyOut, **WRITE},
)
def interview_put(
    request: HttpRequest, order_id: int, candidacy_id: int, payload: InterviewIn
) -> CandidacyOut:
    user = reader(request)
    order = order_for(user, order_id, write=True)
    candidacy = get_object_or_404(Candidacy, pk=candidacy_id, job_order=order)
    with refusals():
        interview_record(
            candidacy=candidacy, on=payload.interviewed_on, interviewer=payload.interviewer,
            result=payload.result.value, notes=payload.notes, by=user,
        )  # fmt: skip
    return next(c for c in _shortlist(order) if c.id == candidacy.pk)


@router.put(
    "/orders/{order_id}/ranking",
    response={200: list[CandidacyOut], **WRITE},
    summary="The company's ranking of those who passed its interview",
)
def ranking_put(request: HttpRequest, order_id: int, payload: RankingIn) -> list[CandidacyOut]:
    user = reader(request)
    order = order_for(user, order_id, write=True)
    numbers = [n.strip().upper() for n in payload.registration_numbers]
    found = {
        a.registration_number: a
        for a in Application.objects.filter(
            registration_number__in=numbers, candidacies__job_order=order
        )
    }
    strangers = [n for n in numbers if n not in found]
    if strangers:
        raise HttpError(
            422,
            _("Not on this shortlist: %(numbers)s.") % {"numbers": ", ".join(strangers)},
        )
    with refusals():
        company_ranking_set(order=order, applications=[found[n] for n in numbers], by=user)
    return _shortlist(order)
