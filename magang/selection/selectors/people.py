"""Reads about people in selection: a candidate's own selection, and one application's
results for staff, each as the reader may see it (medical detail through
``may_see_detail``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from magang.accounts.scopes import scope_for
from magang.recruitment.models import Application
from magang.recruitment.selectors import application_scope
from magang.recruitment.services.privacy import medical_read_log

from ..models import (
    Outcome,
    Placement,
    RankingRun,
    RunState,
    SelectionPlan,
    Stage,
    StageKind,
    StageResult,
    StageResultChange,
)
from ..services.results import may_record, may_see_detail, plain
from .funnel import FUNNEL_ROLES

# Staff who read one application's results within their scope (as the application pages).
RESULT_READER_ROLES = FUNNEL_ROLES


def in_language(english: str, indonesian: str, language: str | None = None) -> str:
    """Indonesian text for Indonesian readers, English for everyone else (Japanese too)."""
    language = language if language is not None else get_language()
    return indonesian if (language or "").startswith("id") and indonesian else english


def stage_name(stage: Stage, language: str | None = None) -> str:
    return in_language(stage.name_en, stage.name_id, language)


# How one result reads.


class StageState:
    PASSED = "passed"
    FAILED = "failed"
    PENDING = "pending"  # no result yet
    NOT_REACHED = "not_reached"  # an earlier stage eliminated the application


def _decimal(value: Any) -> str:
    try:
        return plain(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def value_text(
    stage: Stage,
    *,
    passed: bool,
    score: Any = None,
    measurements: Mapping[str, Any] | None = None,
    detail: bool,
    language: str | None = None,
) -> str:
    """A result for people: "16 of 20 (passed)", "height 165 cm, weight 60 kg (passed)";
    without ``detail`` (medical, not theirs to see) only "passed" or "failed"."""
    verdict = _("passed") if passed else _("failed")
    if not detail or stage.kind == StageKind.GATE:
        return verdict
    if stage.kind == StageKind.SCORE and score is not None:
        if stage.max_score is None:
            return f"{_decimal(score)} ({verdict})"
        return _("%(score)s of %(max)s (%(verdict)s)") % {
            "score": _decimal(score),
            "max": plain(stage.max_score),
            "verdict": verdict,
        }
    if stage.kind == StageKind.MEASURE and measurements:
        parts = []
        for measure in stage.measures:
            if measure["key"] not in measurements:
                continue
            name = in_language(
                measure.get("name_en", measure["key"]), measure.get("name_id", ""), language
            )
            number = _decimal(measurements[measure["key"]])
            parts.append(f"{name} {number} {measure.get('unit', '')}".rstrip())
        return f"{', '.join(parts)} ({verdict})"
    return verdict


def result_display(result: StageResult, *, detail: bool, language: str | None = None) -> str:
    return value_text(
        result.stage,
        passed=result.passed,
        score=result.score,
        measurements=result.measurements,
        detail=detail,
        language=language,
    )


@dataclass
class StageLine:
    """One stage of one application: its state, and the result as the reader may see it."""

    stage: Stage
    name: str
    state: str
    text: str
    result: StageResult | None
    detail: bool


def _log_medical_reads(
    user: Any, pairs: Iterable[tuple[Application, list[StageLine]]], what: str
) -> None:
    """Every showing of a medical result's detail is logged: who, when, whose (never the
    values). Staff pass/fail views are not detail and are not logged."""
    shown = [
        application.candidate_id
        for application, lines in pairs
        if any(line.detail and line.stage.is_medical and line.result is not None for line in lines)
    ]
    if shown:
        medical_read_log(actor=user, candidate_ids=shown, what=what)


def _detail_for(user: Any, application: Application) -> Callable[[Stage], bool]:
    return lambda stage: may_see_detail(user, stage, application)


def _stage_lines(
    stages: Iterable[Stage],
    results: Mapping[int, StageResult],
    *,
    detail_for: Callable[[Stage], bool],
    language: str | None,
) -> list[StageLine]:
    lines: list[StageLine] = []
    eliminated = False
    for stage in stages:
        result = results.get(stage.pk)
        detail = detail_for(stage)
        if result is not None:
            state = StageState.PASSED if result.passed else StageState.FAILED
            text = result_display(result, detail=detail, language=language)
        elif eliminated:
            state, text = StageState.NOT_REACHED, _("not reached")
        else:
            state, text = StageState.PENDING, _("not yet recorded")
        eliminated = eliminated or (state == StageState.FAILED and stage.eliminating)
        lines.append(
            StageLine(
                stage=stage,
                name=stage_name(stage, language),
                state=state,
                text=text,
                result=result,
                detail=detail,
            )
        )
    return lines


# The candidate's own selection.


@dataclass
class MySelection:
    """One of the candidate's applications in a round with a selection plan."""

    application: Application
    stages: list[StageLine]
    published: bool
    placement: Placement | None
    outcome: str  # an Outcome value; "" before publication
    outcome_label: str
    explanation: str


def my_selection(*, user: Any, language: str | None = None) -> list[MySelection]:
    """The user's own applications in rounds with a plan: every stage in plan order, and the
    final result with its explanation once the final run is published."""
    user_id = scope_for(user).user_id
    if user_id is None:
        return []
    language = language if language is not None else get_language()
    applications = list(
        Application.objects.filter(candidate__user_id=user_id, round__selection_plan__isnull=False)
        .select_related("candidate", "round", "round__selection_plan", "site")
        .order_by("-round__year", "-created_at", "-id")
    )
    if not applications:
        return []
    plan_ids = {a.round.selection_plan.pk for a in applications}
    stages_by_plan: dict[int, list[Stage]] = defaultdict(list)
    for stage in Stage.objects.filter(plan_id__in=plan_ids).order_by("plan_id", "order"):
        stages_by_plan[stage.plan_id].append(stage)
    results: dict[int, dict[int, StageResult]] = defaultdict(dict)
    for result in StageResult.objects.filter(application__in=applications).select_related("stage"):
        results[result.application_id][result.stage_id] = result
    published = {
        run.plan_id: run
        for run in RankingRun.objects.filter(
            plan_id__in=plan_ids, state=RunState.FINAL, published_at__isnull=False
        )
    }
    placements = {
        (p.run_id, p.application_id): p
        for p in Placement.objects.filter(
            run__in=list(published.values()), application__in=applications
        )
    }
    selections = []
    for application in applications:
        plan = application.round.selection_plan
        lines = _stage_lines(
            stages_by_plan[plan.pk],
            results[application.pk],
            detail_for=_detail_for(user, application),
            language=language,
        )
        _log_medical_reads(user, [(application, lines)], "selection.my_selection")
        run = published.get(plan.pk)
        placement = placements.get((run.pk, application.pk)) if run is not None else None
        if placement is not None:
            outcome = placement.outcome
            label = str(Outcome(outcome).label)
            explanation = in_language(placement.explanation_en, placement.explanation_id, language)
        elif run is not None:
            outcome, label = "", _("Not ranked")
            explanation = _("Your application was not part of the published ranking.")
        else:
            outcome, label = "", _("Not yet published")
            explanation = _(
                "The final result is published once every stage is complete and the ranking "
                "is approved."
            )
        selections.append(
            MySelection(
                application=application,
                stages=lines,
                published=run is not None,
                placement=placement,
                outcome=outcome,
                outcome_label=label,
                explanation=explanation,
            )
        )
    return selections


# One application's results, for staff.


@dataclass
class ChangeLine:
    """One change to a result. For a masked (medical) stage only pass/fail changes are
    listed, as pass/fail, and the reason is withheld: it may describe a health condition."""

    by: str
    at: dt.datetime
    old: str
    new: str
    reason: str | None


@dataclass
class ResultLine(StageLine):
    may_record: bool = False
    note: str = ""
    changes: list[ChangeLine] = field(default_factory=list)


@dataclass
class ApplicationResults:
    application: Application
    plan: SelectionPlan
    stages: list[ResultLine]


def access_application_results(*, user: Any, pk: int) -> Application:
    """An application whose results the user may read as staff: PermissionDenied for roles
    that do not; Http404 outside their scope, when missing, and without a selection plan."""
    if not scope_for(user).has_role(*RESULT_READER_ROLES):
        raise PermissionDenied
    try:
        return (
            application_scope(user=user)
            .select_related("candidate", "round", "round__selection_plan", "site")
            .get(pk=pk, round__selection_plan__isnull=False)
        )
    except Application.DoesNotExist:
        raise Http404("No such application.") from None


def _snapshot_text(
    stage: Stage, snapshot: Mapping[str, Any], *, detail: bool, language: str | None
) -> str:
    if not snapshot:
        return "—"
    return value_text(
        stage,
        passed=bool(snapshot.get("passed")),
        score=snapshot.get("score"),
        measurements=snapshot.get("measurements"),
        detail=detail,
        language=language,
    )


def application_results(
    *, user: Any, application: Application, language: str | None = None
) -> ApplicationResults:
    """Every stage of the application's plan with its result and history as ``user`` may see
    them (medical detail through ``may_see_detail``). Check access first with
    ``access_application_results``."""
    language = language if language is not None else get_language()
    plan = application.round.selection_plan
    stages = list(plan.stages.order_by("order"))
    results = {
        r.stage_id: r
        for r in StageResult.objects.filter(application=application).select_related(
            "stage", "recorded_by"
        )
    }
    changes: dict[int, list[StageResultChange]] = defaultdict(list)
    for change in (
        StageResultChange.objects.filter(result__application=application)
        .select_related("changed_by")
        .order_by("changed_at", "id")
    ):
        changes[change.result_id].append(change)
    lines = _stage_lines(
        stages,
        results,
        detail_for=_detail_for(user, application),
        language=language,
    )
    _log_medical_reads(user, [(application, lines)], "selection.application_results")
    out = []
    for line in lines:
        history = []
        for change in changes[line.result.pk] if line.result is not None else []:
            old, new = change.old or {}, change.new or {}
            if not line.detail and old.get("passed") == new.get("passed"):
                continue
            history.append(
                ChangeLine(
                    by=str(change.changed_by) if change.changed_by else _("someone else"),
                    at=change.changed_at,
                    old=_snapshot_text(line.stage, old, detail=line.detail, language=language),
                    new=_snapshot_text(line.stage, new, detail=line.detail, language=language),
                    reason=change.reason if line.detail else None,
                )
            )
        out.append(
            ResultLine(
                stage=line.stage,
                name=line.name,
                state=line.state,
                text=line.text,
                result=line.result,
                detail=line.detail,
                may_record=may_record(user, line.stage, application),
                note=line.result.note if line.result is not None and line.detail else "",
                changes=history,
            )
        )
    return ApplicationResults(application=application, plan=plan, stages=out)
