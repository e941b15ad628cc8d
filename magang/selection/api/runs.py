"""Selection API: ranking runs, the two-person finalisation, publication, public results,
seats left and objections. Same roles as the pages: leadership and administrators read,
the central team acts, candidates object to their own result, anyone reads published
results by registration number."""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import.
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict

from magang.accounts.api_auth import api_auth
from magang.accounts.models import Role, User
from magang.accounts.scopes import scope_for
from magang.recruitment.journey import InvalidTransition
from magang.recruitment.journey import Status as JourneyStatus
from magang.recruitment.models import Application

from .. import services
from ..models import (
    Objection,
    ObjectionState,
    Outcome,
    Placement,
    RankingRun,
    RunState,
    SelectionPlan,
)

router = Router(tags=["selection"], auth=api_auth)

READERS = (Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR)


class ErrorOut(Schema):
    detail: str


class UnitOut(Schema):
    key: str
    name: str
    seats: int
    extra_seats: int
    qualified: int
    selected: int
    reserves: int
    unused_seats: int


class RunOut(Schema):
    number: int
    state: RunState
    rules_version: str
    input_digest: str = Field(description="SHA-256 of the ranking's inputs.")
    result_digest: str = Field(description="SHA-256 of the ranking's output.")
    allow_incomplete: bool
    counts: dict[str, int]
    units: list[UnitOut]
    created_at: dt.datetime
    proposed_at: dt.datetime | None
    approved_at: dt.datetime | None
    published_at: dt.datetime | None
    published_digest: str = Field(description="SHA-256 of the published list; empty before.")


class PlacementOut(Schema):
    registration_number: str
    unit: str = Field(description="The quota unit's key: a province code or a site id.")
    outcome: Outcome
    eliminated_at: str
    total: float | None
    rank_in_unit: int | None
    reserve_number: int | None
    explanation_id: str
    explanation_en: str

    @staticmethod
    def resolve_registration_number(obj: Placement) -> str:
        return obj.application.registration_number

    @staticmethod
    def resolve_unit(obj: Placement) -> str:
        return obj.unit_key


class RunIn(Schema):
    model_config = ConfigDict(extra="forbid")
    allow_incomplete: bool = False


class PublicResultOut(Schema):
    registration_number: str
    unit: str
    outcome: Outcome
    rank_in_unit: int | None
    reserve_number: int | None
    explanation: str
    published_digest: str


class VacateIn(Schema):
    model_config = ConfigDict(extra="forbid")
    to: Literal["withdrawn", "not_selected"]
    reason: str = Field(min_length=1, max_length=2000)


class PromotionOut(Schema):
    vacated: str
    promoted: str | None
    unit: str


class ObjectionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(max_length=4000)


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    upheld: bool
    decision: str = Field(max_length=4000)


class ObjectionOut(Schema):
    id: int
    registration_number: str
    reason: str
    state: ObjectionState
    decision: str
    created_at: dt.datetime
    reviewed_at: dt.datetime | None

    @staticmethod
    def resolve_registration_number(obj: Objection) -> str:
        return obj.application.registration_number


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - api_auth let only users through
    return user


def _require(request: HttpRequest, *roles: str) -> User:
    user = _user(request)
    if not scope_for(user).has_role(*roles):
        raise HttpError(403, _("Your role may not do this."))
    return user


@contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except PermissionDenied as exc:
        raise HttpError(403, _("Your role may not do this.")) from exc
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    except InvalidTransition as exc:
        raise HttpError(409, str(exc)) from exc


def _run(round_code: str, number: int) -> RankingRun:
    return get_object_or_404(
        RankingRun.objects.select_related("plan__round"),
        plan__round__code=round_code,
        number=number,
    )


def _run_out(run: RankingRun) -> RunOut:
    return RunOut(
        number=run.number,
        state=RunState(run.state),
        rules_version=run.rules_version,
        input_digest=run.input_digest,
        result_digest=run.result_digest,
        allow_incomplete=run.allow_incomplete,
        counts=run.counts,
        units=[UnitOut(**unit) for unit in run.units],
        created_at=run.created_at,
        proposed_at=run.proposed_at,
        approved_at=run.approved_at,
        published_at=run.published_at,
        published_digest=run.published_digest,
    )


@router.get(
    "/rounds/{round_code}/runs",
    response={200: list[RunOut], 401: ErrorOut, 403: ErrorOut},
    summary="A round's ranking runs, newest first",
)
def run_list(request: HttpRequest, round_code: str) -> list[RunOut]:
    _require(request, *READERS)
    runs = RankingRun.objects.filter(plan__round__code=round_code).order_by("-number")
    return [_run_out(run) for run in runs]


@router.post(
    "/rounds/{round_code}/runs",
    response={201: RunOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Rank the round now (central team)",
)
def run_create(request: HttpRequest, round_code: str, payload: RunIn) -> Status[RunOut]:
    user = _require(request, Role.CENTRAL_TEAM)
    plan = get_object_or_404(SelectionPlan, round__code=round_code)
    with _refusals():
        run = services.ranking_run(plan=plan, by=user, allow_incomplete=payload.allow_incomplete)
    return Status(201, _run_out(run))


@router.get(
    "/rounds/{round_code}/runs/{number}",
    response={200: RunOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def run_detail(request: HttpRequest, round_code: str, number: int) -> RunOut:
    _require(request, *READERS)
    return _run_out(_run(round_code, number))


class PlacementFilters(Schema):
    unit: str = ""
    outcome: Outcome | None = None


@router.get(
    "/rounds/{round_code}/runs/{number}/placements",
    response={200: list[PlacementOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
@paginate(PageNumberPagination, page_size=200)
def run_placements(
    request: HttpRequest, round_code: str, number: int, filters: Query[PlacementFilters]
) -> QuerySet[Placement]:
    _require(request, *READERS)
    run = _run(round_code, number)
    placements = Placement.objects.filter(run=run).select_related("application")
    if filters.unit:
        placements = placements.filter(unit_key=filters.unit)
    if filters.outcome:
        placements = placements.filter(outcome=filters.outcome)
    return placements.order_by("application__registration_number")


def _step(request: HttpRequest, round_code: str, number: int, action: object) -> RunOut:
    user = _require(request, Role.CENTRAL_TEAM)
    run = _run(round_code, number)
    with _refusals():
        run = action(run=run, by=user)  # type: ignore[operator]
    return _run_out(run)


@router.post(
    "/rounds/{round_code}/runs/{number}/propose",
    response={200: RunOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def run_propose(request: HttpRequest, round_code: str, number: int) -> RunOut:
    return _step(request, round_code, number, services.run_propose)


@router.post(
    "/rounds/{round_code}/runs/{number}/approve",
    response={200: RunOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Approve a proposed run (a second member of the central team)",
)
def run_approve(request: HttpRequest, round_code: str, number: int) -> RunOut:
    return _step(request, round_code, number, services.run_approve)


@router.post(
    "/rounds/{round_code}/runs/{number}/publish",
    response={200: RunOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def run_publish(request: HttpRequest, round_code: str, number: int) -> RunOut:
    return _step(request, round_code, number, services.run_publish)


@router.get(
    "/public/{round_code}/results/{registration_number}",
    response={200: PublicResultOut, 404: ErrorOut},
    auth=None,
    summary="A published result by registration number (no login; no names)",
)
def public_result(
    request: HttpRequest,
    round_code: str,
    registration_number: str,
    lang: Literal["id", "en"] = "id",
) -> PublicResultOut:
    run = get_object_or_404(
        RankingRun,
        plan__round__code=round_code,
        state=RunState.FINAL,
        published_at__isnull=False,
    )
    placement = get_object_or_404(
        Placement.objects.select_related("application"),
        run=run,
        application__registration_number=registration_number.strip().upper()[:24],
    )
    return PublicResultOut(
        registration_number=placement.application.registration_number,
        unit=next((u["name"] for u in run.units if u["key"] == placement.unit_key), ""),
        outcome=Outcome(placement.outcome),
        rank_in_unit=placement.rank_in_unit,
        reserve_number=placement.reserve_number,
        explanation=placement.explanation_en if lang == "en" else placement.explanation_id,
        published_digest=run.published_digest,
    )


@router.post(
    "/applications/{application_id}/vacate",
    response={200: PromotionOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="A selected person leaves; the unit's next reserve is promoted (central team)",
)
def seat_vacate(request: HttpRequest, application_id: int, payload: VacateIn) -> PromotionOut:
    user = _require(request, Role.CENTRAL_TEAM)
    application = get_object_or_404(Application, pk=application_id, status=JourneyStatus.SELECTED)
    with _refusals():
        promotion = services.seat_vacate(
            application=application, to=payload.to, reason=payload.reason, by=user
        )
    return PromotionOut(
        vacated=application.registration_number,
        promoted=promotion.promoted.registration_number if promotion.promoted else None,
        unit=promotion.unit_key,
    )


@router.post(
    "/me/applications/{application_id}/objections",
    response={201: ObjectionOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Object to my published selection result",
)
def objection_file(
    request: HttpRequest, application_id: int, payload: ObjectionIn
) -> Status[Objection]:
    user = _user(request)
    application = get_object_or_404(
        Application.objects.select_related("candidate"),
        pk=application_id,
        candidate__user_id=user.pk,
    )
    with _refusals():
        objection = services.objection_file(application=application, by=user, reason=payload.reason)
    return Status(201, objection)


@router.get(
    "/me/applications/{application_id}/objections",
    response={200: list[ObjectionOut], 401: ErrorOut, 404: ErrorOut},
)
def my_objections(request: HttpRequest, application_id: int) -> list[Objection]:
    user = _user(request)
    application = get_object_or_404(Application, pk=application_id, candidate__user_id=user.pk)
    return list(application.objections.select_related("application"))


@router.get(
    "/objections",
    response={200: list[ObjectionOut], 401: ErrorOut, 403: ErrorOut},
)
@paginate(PageNumberPagination, page_size=100)
def objection_list(
    request: HttpRequest, state: ObjectionState | None = None
) -> QuerySet[Objection]:
    _require(request, *READERS)
    objections = Objection.objects.select_related("application").order_by("created_at")
    return objections.filter(state=state) if state else objections


@router.post(
    "/objections/{objection_id}/decision",
    response={200: ObjectionOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def objection_decide(request: HttpRequest, objection_id: int, payload: DecisionIn) -> Objection:
    user = _require(request, Role.CENTRAL_TEAM)
    objection = get_object_or_404(Objection.objects.select_related("application"), pk=objection_id)
    with _refusals():
        decided = services.objection_review(
            objection=objection, by=user, upheld=payload.upheld, decision=payload.decision
        )
    return decided
