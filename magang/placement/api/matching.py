"""Match runs in the API: the committee's runs (central team acts; leadership and
administrators read), and a candidate's own results."""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import.
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict

from magang.accounts.api_auth import api_auth
from magang.accounts.models import Role, User
from magang.accounts.scopes import scope_for

from ..models import JobOrder, Match, MatchRun, MatchState
from ..selectors.matching import ExplainedMatch, match_explained
from ..services.matching import match_change, match_finalise, match_run

router = Router(tags=["placement"], auth=api_auth)
READERS = (Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR)


class ErrorOut(Schema):
    detail: str


class MatchRunOut(Schema):
    id: int
    state: MatchState
    created_at: dt.datetime
    finalised_at: dt.datetime | None
    input_digest: str
    statistics: dict[str, object]
    job_orders: list[str]

    @staticmethod
    def resolve_job_orders(obj: MatchRun) -> list[str]:
        return sorted(obj.job_orders.values_list("reference", flat=True))


class MatchOut(Schema):
    registration_number: str
    job_order: str | None
    choice: int | None = Field(description="Place of the job order in the candidate's list.")
    explanation_id: str
    explanation_en: str
    changed: bool

    @staticmethod
    def resolve_registration_number(obj: ExplainedMatch) -> str:
        return obj.match.application.registration_number

    @staticmethod
    def resolve_job_order(obj: ExplainedMatch) -> str | None:
        return obj.match.job_order.reference if obj.match.job_order else None

    @staticmethod
    def resolve_choice(obj: ExplainedMatch) -> int | None:
        return obj.match.preference_rank

    @staticmethod
    def resolve_changed(obj: ExplainedMatch) -> bool:
        return obj.match.changed_by_id is not None


class ExplainedPages(PageNumberPagination):
    """Pages of results, each page's explanations said from the facts stored."""

    def paginate_queryset(
        self,
        queryset: QuerySet[Match],
        pagination: PageNumberPagination.Input,
        request: HttpRequest,
        **params: object,
    ) -> dict[str, object]:
        page: dict[str, object] = super().paginate_queryset(queryset, pagination, request)
        items = page[self.items_attribute]
        assert isinstance(items, QuerySet)  # noqa: S101 - a slice of the results
        page[self.items_attribute] = match_explained(items)
        return page


class MatchRunIn(Schema):
    model_config = ConfigDict(extra="forbid")
    job_orders: list[str] = Field(description="References of open job orders.", min_length=1)


class ChangeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    job_order: str | None
    reason: str = Field(min_length=1, max_length=2000)


def _require(request: HttpRequest, *roles: str) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - api_auth let only users through
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


@router.get("/matching/runs", response={200: list[MatchRunOut], 401: ErrorOut, 403: ErrorOut})
def runs(request: HttpRequest) -> list[MatchRun]:
    _require(request, *READERS)
    return list(MatchRun.objects.prefetch_related("job_orders")[:50])


@router.post(
    "/matching/runs",
    response={201: MatchRunOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Match open job orders (central team)",
)
def run_create(request: HttpRequest, payload: MatchRunIn) -> Status[MatchRun]:
    user = _require(request, Role.CENTRAL_TEAM)
    orders = list(JobOrder.objects.filter(reference__in=payload.job_orders))
    unknown = sorted(set(payload.job_orders) - {o.reference for o in orders})
    if unknown:
        raise HttpError(422, _("Unknown job orders: %(refs)s.") % {"refs": ", ".join(unknown)})
    with _refusals():
        run = match_run(orders=orders, by=user)
    return Status(201, run)


@router.get(
    "/matching/runs/{run_id}",
    response={200: MatchRunOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def run_detail(request: HttpRequest, run_id: int) -> MatchRun:
    _require(request, *READERS)
    return get_object_or_404(MatchRun, pk=run_id)


@router.get(
    "/matching/runs/{run_id}/results",
    response={200: list[MatchOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
@paginate(ExplainedPages, page_size=200)
def run_results(request: HttpRequest, run_id: int) -> QuerySet[Match]:
    _require(request, *READERS)
    run = get_object_or_404(MatchRun, pk=run_id)
    return (
        Match.objects.filter(run=run)
        .select_related("application", "job_order__host_company")
        .order_by("application__registration_number")
    )


@router.put(
    "/matching/runs/{run_id}/results/{registration_number}",
    response={200: MatchOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Change one result, with the reason (central team)",
)
def result_change(
    request: HttpRequest, run_id: int, registration_number: str, payload: ChangeIn
) -> ExplainedMatch:
    user = _require(request, Role.CENTRAL_TEAM)
    result = get_object_or_404(
        Match, run_id=run_id, application__registration_number=registration_number
    )
    order = get_object_or_404(JobOrder, reference=payload.job_order) if payload.job_order else None
    with _refusals():
        changed = match_change(match=result, job_order=order, reason=payload.reason, by=user)
    return match_explained([changed])[0]


@router.post(
    "/matching/runs/{run_id}/finalise",
    response={200: MatchRunOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def run_finalise(request: HttpRequest, run_id: int) -> MatchRun:
    user = _require(request, Role.CENTRAL_TEAM)
    run = get_object_or_404(MatchRun, pk=run_id)
    with _refusals():
        return match_finalise(run=run, by=user)


@router.get("/me/match", response={200: list[MatchOut], 401: ErrorOut})
def my_match(request: HttpRequest) -> list[ExplainedMatch]:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - api_auth let only users through
    return match_explained(
        Match.objects.filter(
            application__candidate__user_id=user.pk, run__state=MatchState.FINAL
        ).select_related("application", "job_order__host_company")
    )
