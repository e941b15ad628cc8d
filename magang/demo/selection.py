"""The current round's selection in the demo: its plan, and results for the applications in
selection, stage by stage in plan order with a realistic attrition.

The sites whose registration closed longest ago have finished every stage; the others have
reached the interview. Results are a bulk import (one INSERT per batch), each with the
``passed`` the stage's rule derives (``result_passes``), and one audit row; the demo
candidate's own results go through ``result_record`` like an officer's entries.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count

from magang.accounts.models import User
from magang.core.services import audit_record
from magang.recruitment.journey import Status
from magang.recruitment.models import Application, RecruitmentRound, SelectionSite
from magang.selection.models import (
    RecordedBy,
    SelectionPlan,
    Stage,
    StageKind,
    StageResult,
    UnitKind,
)
from magang.selection.services import plan_create, result_passes, result_record

from . import catalogue as cat

# Share of those who sit a stage and fail it.
ATTRITION: dict[str, float] = {
    "admin": 0.10,
    "maths": 0.25,
    "body": 0.08,
    "endurance": 0.15,
    "interview": 0.20,
    "medical": 0.10,
    "japanese": 0.15,
    "passport": 0.03,
}
# Sites (by organiser, see ``catalogue.CURRENT_SITES``) whose selection is complete; the
# rest have reached the interview and recorded part of it.
COMPLETE_SITES = frozenset({"52", "35"})
LAST_STAGE_ELSEWHERE = "interview"
INTERVIEWED_SHARE = 0.6
RESERVES_PER_UNIT = 2
PEOPLE_PER_SEAT = 8
BATCH = 5_000


def stage_value(rng: random.Random, stage: Stage, *, passes: bool, sex: str) -> Any:
    """A plausible value for ``stage`` that passes (or fails) its rule for ``sex``. Pure
    apart from the stage's fields: the caller derives ``passed`` with ``result_passes``."""
    if stage.kind == StageKind.GATE:
        return passes
    if stage.kind == StageKind.SCORE:
        low = int(stage.min_score or 0)
        high = int(stage.max_score if stage.max_score is not None else 100)
        mark = int(stage.pass_mark) if stage.pass_mark is not None else low
        if passes or mark <= low:
            return Decimal(rng.randint(mark, high))
        return Decimal(rng.randint(max(low, mark - (high - low) // 3), mark - 1))
    failing = None if passes else rng.choice([m["key"] for m in stage.measures])
    return {m["key"]: _measurement(rng, m, sex, fails=m["key"] == failing) for m in stage.measures}


def _measurement(
    rng: random.Random, measure: Mapping[str, Any], sex: str, *, fails: bool
) -> Decimal:
    limit = float(measure["limits"][sex])
    spread = max(limit * 0.15, 5.0)
    higher = measure["better"] == "higher"
    margin = rng.uniform(0, spread)
    if fails:
        margin = -max(1.0, margin * 0.6)
    value = limit + margin if higher else limit - margin
    digits = 1 if measure.get("unit") == "kg" else 0
    return Decimal(str(round(max(value, 0.0), digits)))


def plan_for(round_: RecruitmentRound, *, by: User) -> SelectionPlan:
    """The usual plan with a quota per selection site: about one seat for every
    ``PEOPLE_PER_SEAT`` people in selection there, so the ranking has to choose (IM Japan
    asks the sending side to recruit at least five times the places)."""
    in_selection = dict(
        Application.objects.filter(round=round_, status=Status.IN_SELECTION)
        .values_list("site_id")
        .annotate(n=Count("id"))
    )
    quotas = [
        (str(site.pk), site.name, max(1, in_selection.get(site.pk, 0) // PEOPLE_PER_SEAT))
        for site in SelectionSite.objects.filter(round=round_).order_by("pk")
    ]
    return plan_create(
        round_=round_,
        by=by,
        unit_kind=UnitKind.SITE,
        reserves_per_unit=RESERVES_PER_UNIT,
        quotas=quotas,
    )


def selection_build(
    *,
    round_: RecruitmentRound,
    sites: list[tuple[cat.CurrentSite, SelectionSite]],
    users: Mapping[str, User],
    mine: Application,
    seed: int,
    say: Callable[[str], None],
) -> int:
    """Plan the round and record its results; returns the number of results written."""
    rng = random.Random(seed)
    plan = plan_for(round_, by=users["central"])
    stages = list(plan.stages.order_by("order"))
    complete = {site.pk for planned, site in sites if planned.organiser in COMPLETE_SITES}
    officers = {"32": users["officer.jabar"], "33": users["officer.jateng"]}
    site_officer = {site.pk: officers.get(planned.organiser) for planned, site in sites}
    last_elsewhere = next(s.order for s in stages if s.key == LAST_STAGE_ELSEWHERE)
    applications = (
        Application.objects.filter(round=round_, status=Status.IN_SELECTION)
        .exclude(pk=mine.pk)
        .order_by("pk")
        .values_list("pk", "site_id", "candidate__sex")
    )
    results: list[StageResult] = []
    written = 0
    for application_id, site_id, sex in applications.iterator(chunk_size=BATCH):
        for stage in stages:
            if site_id not in complete:
                if stage.order > last_elsewhere:
                    break
                if stage.key == LAST_STAGE_ELSEWHERE and rng.random() >= INTERVIEWED_SHARE:
                    break
            passes = rng.random() >= ATTRITION.get(stage.key, 0.1)
            value = stage_value(rng, stage, passes=passes, sex=sex)
            passed = result_passes(stage, value, sex)
            recorder = (
                site_officer.get(site_id)
                if stage.recorded_by == RecordedBy.SITE
                else users["central"]
            )
            results.append(_result(application_id, stage, value, passed, recorder))
            if not passed and stage.eliminating:
                break
        if len(results) >= BATCH:
            written += _flush(results)
    written += _flush(results)
    audit_record(
        actor=None,
        action="demo.selection_results",
        obj=plan,
        changes={"results": written, "complete_sites": sorted(complete)},
        reason="Synthetic selection results of the demo's current round.",
    )
    say(f"Selection results: {written:,} in bulk")
    return written + _mine(mine, stages, users)


def _result(
    application_id: int, stage: Stage, value: Any, passed: bool, by: User | None
) -> StageResult:
    score = value if stage.kind == StageKind.SCORE else None
    measurements = {k: str(v) for k, v in value.items()} if stage.kind == StageKind.MEASURE else {}
    return StageResult(
        application_id=application_id,
        stage=stage,
        passed=passed,
        score=score,
        measurements=measurements,
        recorded_by=by,
    )


def _flush(results: list[StageResult]) -> int:
    count = len(results)
    StageResult.objects.bulk_create(results, batch_size=BATCH)
    results.clear()
    return count


def _mine(mine: Application, stages: list[Stage], users: Mapping[str, User]) -> int:
    """The demo candidate's results, entered by the West Java officer as on the grid, with
    one correction (a change with a reason, in the history)."""
    by = users["officer.jabar"]
    stage = {s.key: s for s in stages}
    entries: list[tuple[str, Any, str]] = [
        ("admin", True, ""),
        ("maths", Decimal(13), ""),
        ("maths", Decimal(15), "Salah input: lembar jawaban dinilai ulang, nilai 15."),
        ("body", {"height": Decimal(168), "weight": Decimal("61.5")}, ""),
        ("endurance", {"run": Decimal(842), "push_ups": Decimal(38), "sit_ups": Decimal(29)}, ""),
    ]
    for key, value, reason in entries:
        result_record(application=mine, stage=stage[key], value=value, by=by, reason=reason)
    return len({key for key, _value, _reason in entries})
