"""Selection API: a round's funnel, the caller's own selection, and one application's stage
results (read and record), scoped like the pages.

Every endpoint needs a session (401 without one). Staff endpoints answer 403 to roles that
may not use them and 404 for applications or sites outside the caller's scope. Medical
detail is masked for everyone but the central team and the candidate. Recording goes
through ``result_record``: the caller sends a value, never ``passed``, a version or a
status; a stale ``expected_version`` is refused with 409 and the current result.
"""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import.
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import InvalidOperation
from typing import Annotated, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, StringConstraints

from magang.accounts.api_auth import api_auth
from magang.accounts.models import User
from magang.accounts.scopes import scope_for
from magang.recruitment.models import ApplicationStatus, RecruitmentRound, SelectionSite

from .. import selectors
from ..models import Stage, StageResult
from ..services import StaleResult, may_record, result_parse, result_record

router = Router(tags=["selection"], auth=api_auth)

# ---------------------------------------------------------------------------------------
# Schemas. Inputs forbid unknown fields, so a caller cannot slip in passed, version or status.


class ResultErrorOut(Schema):
    detail: str
    messages: list[str] = Field(default_factory=list, description="Every problem, one each.")


class StageOut(Schema):
    key: str
    name: str = Field(description="In Indonesian when the request asks for it, else English.")
    kind: str
    eliminating: bool
    is_medical: bool
    recorded_by: str


class StageCountOut(Schema):
    key: str
    reached: int
    passed: int
    failed: int
    pending: int = Field(description="Reached the stage, no result yet.")


class FunnelRowOut(Schema):
    site_id: int | None = Field(description="None on the total row.")
    site_name: str | None
    registered: int = Field(description="Applications of the round, any status.")
    entered: int = Field(description="Applications that entered selection.")
    stages: list[StageCountOut]
    ranked_selected: int | None = Field(description="In the final run; None without one.")
    ranked_reserve: int | None
    selected_now: int = Field(description="Applications whose status is selected now.")
    reserve_now: int


class FunnelOut(Schema):
    round_code: str
    round_name: str
    has_plan: bool
    final_run: int | None = Field(description="Number of the round's final ranking run.")
    stages: list[StageOut]
    sites: list[FunnelRowOut]
    total: FunnelRowOut = Field(description="Over the sites listed (an officer's own).")


class FunnelQuery(Schema):
    site: int | None = Field(None, ge=1, le=999_999_999, description="Selection site id.")


class StageLineOut(Schema):
    key: str
    name: str
    state: str = Field(description="passed, failed, pending (no result yet) or not_reached.")
    text: str = Field(description="The result as people read it, masked where due.")
    passed: bool | None
    score: str | None = Field(description="Score stages, when the caller may see values.")
    measurements: dict[str, str] | None = Field(
        description="Measurement stages, when the caller may see values."
    )
    masked: bool = Field(description="True when the value is health data the caller may not see.")


class MySelectionOut(Schema):
    application_id: int
    registration_number: str
    round_code: str
    round_name: str
    site_name: str
    status: ApplicationStatus
    stages: list[StageLineOut]
    published: bool = Field(description="Whether the round's final ranking is published.")
    outcome: str | None = Field(description="selected, reserve, not_selected or eliminated.")
    outcome_label: str
    explanation: str = Field(description="In Indonesian when asked for, else English.")
    rank_in_unit: int | None
    reserve_number: int | None


class ChangeOut(Schema):
    by: str
    at: dt.datetime
    old: str
    new: str
    reason: str | None = Field(description="None for medical stages the caller may not see.")


class ResultOut(StageLineOut):
    note: str
    version: int | None = Field(description="Send it back as expected_version; None: no result.")
    recorded_by: str | None
    recorded_at: dt.datetime | None
    may_record: bool
    changes: list[ChangeOut]


class ApplicationResultsOut(Schema):
    application_id: int
    registration_number: str
    round_code: str
    site_name: str
    status: ApplicationStatus
    stages: list[ResultOut]


class StaleOut(Schema):
    detail: str
    current: ResultOut | None


Text = Annotated[str, StringConstraints(max_length=40)]
Number = Annotated[float, Field(ge=-1e9, le=1e9)]


class ResultIn(Schema):
    model_config = ConfigDict(extra="forbid")

    value: bool | int | Number | Text | dict[Text, int | Number | Text] = Field(
        description="Gate: true or false (or 1/0, lulus/gagal). Score: a number with at most "
        "two decimals, within the stage's range. Measurements: an object with every "
        'measurement of the stage, e.g. {"height": 165, "weight": 60.5}.'
    )
    expected_version: int = Field(
        ge=0,
        le=1_000_000,
        description="The version you saw (0 when there was no result). If it changed since, "
        "nothing is saved and the answer is 409 with the current result.",
    )
    reason: str = Field("", max_length=1000, description="Required to change a result.")
    note: str = Field("", max_length=300)


# ---------------------------------------------------------------------------------------
# Building outputs


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # api_auth has let only logged-in users through


def _require(request: HttpRequest, roles: tuple[str, ...]) -> None:
    if not scope_for(request.user).has_role(*roles):
        raise HttpError(403, _("Your role may not do this."))


def _values(result: StageResult | None, visible: bool) -> dict[str, Any]:
    if result is None or not visible:
        return {"score": None, "measurements": None}
    return {
        "score": None if result.score is None else str(result.score),
        "measurements": {k: str(v) for k, v in result.measurements.items()} or None,
    }


def _line_out(line: selectors.StageLine) -> StageLineOut:
    return StageLineOut(
        key=line.stage.key,
        name=line.name,
        state=line.state,
        text=line.text,
        passed=None if line.result is None else line.result.passed,
        masked=not line.detail,
        **_values(line.result, line.detail),
    )


def _result_out(line: selectors.ResultLine) -> ResultOut:
    result = line.result
    return ResultOut(
        **_line_out(line).model_dump(),
        note=line.note,
        version=None if result is None else result.version,
        recorded_by=str(result.recorded_by) if result and result.recorded_by else None,
        recorded_at=None if result is None else result.updated_at,
        may_record=line.may_record,
        changes=[
            ChangeOut(by=c.by, at=c.at, old=c.old, new=c.new, reason=c.reason) for c in line.changes
        ],
    )


def _row_out(row: selectors.FunnelRow) -> FunnelRowOut:
    return FunnelRowOut(
        site_id=None if row.site is None else row.site.pk,
        site_name=None if row.site is None else row.site.name,
        registered=row.registered,
        entered=row.entered,
        stages=[
            StageCountOut(
                key=c.stage.key,
                reached=c.reached,
                passed=c.passed,
                failed=c.failed,
                pending=c.pending,
            )
            for c in row.stages
        ],
        ranked_selected=row.ranked_selected,
        ranked_reserve=row.ranked_reserve,
        selected_now=row.selected,
        reserve_now=row.reserve,
    )


def _stage_out(stage: Stage) -> StageOut:
    return StageOut(
        key=stage.key,
        name=selectors.stage_name(stage),
        kind=stage.kind,
        eliminating=stage.eliminating,
        is_medical=stage.is_medical,
        recorded_by=stage.recorded_by,
    )


def _results_out(request: HttpRequest, application: Any) -> ApplicationResultsOut:
    results = selectors.application_results(user=request.user, application=application)
    return ApplicationResultsOut(
        application_id=application.pk,
        registration_number=application.registration_number,
        round_code=application.round.code,
        site_name=application.site.name,
        status=ApplicationStatus(application.status),
        stages=[_result_out(line) for line in results.stages],
    )


@contextmanager
def _refusals() -> Iterator[None]:
    """The services' refusals as HTTP answers with their messages."""
    try:
        yield
    except PermissionDenied as exc:
        raise HttpError(403, _("Your role may not do this.")) from exc
    except InvalidOperation as exc:
        raise HttpError(400, _("The value is not a number this stage can hold.")) from exc


# ---------------------------------------------------------------------------------------
# Endpoints


@router.get(
    "/rounds/{round_code}/funnel",
    response={200: FunnelOut, 401: ResultErrorOut, 403: ResultErrorOut, 404: ResultErrorOut},
    url_name="funnel",
    summary="A round's selection funnel per selection site",
    description="Registered, entered selection, each stage (reached, passed, failed, no "
    "result yet), and selected / reserve in the final run and now. Regional officers see "
    "their own sites (the total is over them); 404 for another region's site.",
)
def funnel(request: HttpRequest, round_code: str, filters: Query[FunnelQuery]) -> FunnelOut:
    _require(request, selectors.FUNNEL_ROLES)
    round_ = get_object_or_404(RecruitmentRound, code=round_code[:40])
    site = None
    if filters.site is not None:
        site = get_object_or_404(SelectionSite, pk=filters.site, round=round_)
    figures = selectors.funnel(user=request.user, round_=round_, site=site)
    return FunnelOut(
        round_code=round_.code,
        round_name=round_.name,
        has_plan=figures.plan is not None,
        final_run=None if figures.final_run is None else figures.final_run.number,
        stages=[_stage_out(s) for s in figures.stages],
        sites=[_row_out(row) for row in figures.rows],
        total=_row_out(figures.total),
    )


@router.get(
    "/me/selection",
    response={200: list[MySelectionOut], 401: ResultErrorOut},
    url_name="my_selection",
    summary="My selection: every stage and the final result of my applications",
    description="Only the caller's own applications in rounds with a selection plan. The "
    "final result and its explanation appear once the final ranking is published.",
)
def my_selection(request: HttpRequest) -> list[MySelectionOut]:
    out = []
    for selection in selectors.my_selection(user=request.user):
        application, placement = selection.application, selection.placement
        out.append(
            MySelectionOut(
                application_id=application.pk,
                registration_number=application.registration_number,
                round_code=application.round.code,
                round_name=application.round.name,
                site_name=application.site.name,
                status=ApplicationStatus(application.status),
                stages=[_line_out(line) for line in selection.stages],
                published=selection.published,
                outcome=selection.outcome or None,
                outcome_label=selection.outcome_label,
                explanation=selection.explanation,
                rank_in_unit=placement.rank_in_unit if placement else None,
                reserve_number=placement.reserve_number if placement else None,
            )
        )
    return out


@router.get(
    "/applications/{application_id}/results",
    response={
        200: ApplicationResultsOut,
        401: ResultErrorOut,
        403: ResultErrorOut,
        404: ResultErrorOut,
    },
    url_name="application_results",
    summary="One application's stage results with their history",
    description="Staff within their scope. Medical values, notes and reasons are masked for "
    "everyone but the central team: only pass/fail and pass/fail changes are shown.",
)
def application_results(request: HttpRequest, application_id: int) -> ApplicationResultsOut:
    _require(request, selectors.RESULT_READER_ROLES)
    application = selectors.access_application_results(user=request.user, pk=application_id)
    return _results_out(request, application)


@router.put(
    "/applications/{application_id}/results/{stage_key}",
    response={
        200: ResultOut,
        400: ResultErrorOut,
        401: ResultErrorOut,
        403: ResultErrorOut,
        404: ResultErrorOut,
        409: StaleOut,
    },
    url_name="result_record",
    summary="Record or change one stage result",
    description="The stage's rule decides whether it passed. A change needs a reason and is "
    "kept in the history. 403 when the caller may not record this stage (leadership; "
    "officers for central stages); 409 when expected_version is stale; 400 with every "
    "problem of the value.",
)
def result_put(
    request: HttpRequest, application_id: int, stage_key: str, payload: ResultIn
) -> Status[ResultOut | StaleOut | ResultErrorOut]:
    _require(request, selectors.RESULT_READER_ROLES)
    application = selectors.access_application_results(user=request.user, pk=application_id)
    stage = get_object_or_404(
        Stage.objects.select_related("plan"),
        plan__round_id=application.round_id,
        key=stage_key[:40],
    )
    user = _user(request)
    if not may_record(user, stage, application):
        raise HttpError(403, _("Your role may not record this stage."))
    current = StageResult.objects.filter(application=application, stage=stage).first()
    if (current.version if current else 0) != payload.expected_version:
        return Status(409, _stale(request, application, stage, current))
    try:
        with _refusals():
            value = result_parse(stage, payload.value)
            result_record(
                application=application,
                stage=stage,
                value=value,
                by=user,
                reason=payload.reason,
                note=payload.note,
                expected_version=payload.expected_version,
            )
    except StaleResult as exc:
        return Status(409, _stale(request, application, stage, exc.current))
    except ValidationError as exc:
        return Status(400, ResultErrorOut(detail=" ".join(exc.messages), messages=exc.messages))
    return Status(200, _line_for(request, application, stage))


def _line_for(request: HttpRequest, application: Any, stage: Stage) -> ResultOut:
    results = selectors.application_results(user=request.user, application=application)
    return _result_out(next(line for line in results.stages if line.stage.pk == stage.pk))


def _stale(
    request: HttpRequest, application: Any, stage: Stage, current: StageResult | None
) -> StaleOut:
    if current is None:
        detail = _("This result was removed meanwhile. Reload and try again.")
        return StaleOut(detail=detail, current=None)
    line = _line_for(request, application, stage)
    who = str(current.recorded_by) if current.recorded_by else _("someone else")
    detail = _("%(who)s saved this result meanwhile as %(value)s. Check it, then save again.") % {
        "who": who,
        "value": line.text,
    }
    return StaleOut(detail=detail, current=line)
