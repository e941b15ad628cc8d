"""Reads for the grade pages: an assessment as a user may see it, a class's gradebook (every
trainee's scores by module, module averages and the weighted total) and an assessment's
score grid. A fixed number of queries, however many trainees and assessments there are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from .. import readiness
from ..access import cohort_scope, may_manage
from ..models import Assessment, Enrolment, EnrolmentState, Module, Score, TrainingClass
from ..services.readiness import module_averages

TENTH = Decimal("0.1")


def access_assessment(*, user: Any, pk: int, write: bool = False) -> Assessment:
    """The assessment, when its cohort is one the user may read (404 otherwise, missing and
    not yours alike); 403 when ``write`` and the user may not change the cohort."""
    assessment = (
        Assessment.objects.filter(pk=pk, cohort__in=cohort_scope(user=user))
        .select_related("cohort__centre", "cohort__curriculum", "module")
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment.")
    if write and not may_manage(user, assessment.cohort):
        raise PermissionDenied
    return assessment


def plain(number: Decimal) -> str:
    """A score as typed: 45.5, 40 (no trailing zeros, no exponent)."""
    return format(number.normalize(), "f")


def one_decimal(value: Decimal | float, pass_mark: Decimal | None = None) -> str:
    """A mark on 0..100 with one decimal, rounded half up, except that a mark below its
    pass mark is rounded down: 59.96 below 60 shows 59.9, never a "failing" 60.0."""
    number = Decimal(str(value))
    below = pass_mark is not None and number < pass_mark
    return str(number.quantize(TENTH, rounding=ROUND_FLOOR if below else ROUND_HALF_UP))


@dataclass(frozen=True)
class Cell:
    text: str = ""
    below: bool = False  # under the module's pass mark
    average: bool = False  # a module's average, not one assessment's score


@dataclass(frozen=True)
class ModuleColumns:
    module: Module
    assessments: list[Assessment]

    @property
    def span(self) -> int:
        return len(self.assessments) + 1


@dataclass(frozen=True)
class GradeRow:
    enrolment: Enrolment
    cells: list[Cell]
    total: str
    below: int  # modules under their pass mark


@dataclass(frozen=True)
class Gradebook:
    modules: list[ModuleColumns]
    rows: list[GradeRow]


def _module_info(module: Module) -> readiness.ModuleInfo:
    return readiness.ModuleInfo(
        key=module.key, name_en=module.name_en, name_id=module.name_id,
        category=module.category, pass_mark=float(module.pass_mark),
        weight=float(module.weight),
    )  # fmt: skip


def _weighted_totals(
    modules: list[Module], averages: dict[int, dict[str, float]], ids: list[int]
) -> dict[int, float | None]:
    """The weighted total of module averages exactly as graduation reads it (the readiness
    rules' own), None while a weighted module has no average yet."""
    infos = [_module_info(m) for m in modules]
    known = {m.key for m in modules}
    records = [
        readiness.TraineeRecord(
            enrolment_id=pk,
            sessions_held=0,
            sessions_attended=0,
            sessions_excused=0,
            module_averages={k: v for k, v in averages.get(pk, {}).items() if k in known},
        )
        for pk in ids
    ]
    verdicts = readiness.evaluate(records, infos, readiness.ReadinessRules())
    return {pk: verdict.weighted_total for pk, verdict in verdicts.items()}


def gradebook(training_class: TrainingClass) -> Gradebook:
    """Rows of the class's trainees (active first), columns of the cohort's assessments
    grouped by module, each module closed by its average; below-pass-mark cells flagged."""
    cohort = training_class.cohort
    enrolments = list(
        Enrolment.objects.filter(training_class=training_class)
        .select_related("application__candidate")
        .order_by("application__candidate__full_name", "application__registration_number")
    )
    enrolments.sort(key=lambda e: e.state != EnrolmentState.ACTIVE)
    ids = [e.pk for e in enrolments]
    modules = list(Module.objects.filter(curriculum_id=cohort.curriculum_id).order_by("order"))
    by_module: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in Assessment.objects.filter(cohort=cohort).order_by("held_on", "name"):
        by_module[assessment.module_id].append(assessment)
    columns = [ModuleColumns(m, by_module.get(m.pk, [])) for m in modules]
    scores = {
        (enrolment_id, assessment_id): score
        for enrolment_id, assessment_id, score in Score.objects.filter(
            enrolment_id__in=ids, assessment__cohort=cohort
        ).values_list("enrolment_id", "assessment_id", "score")
    }
    averages = module_averages(cohort, ids)
    totals = _weighted_totals(modules, averages, ids)
    rows = []
    for enrolment in enrolments:
        cells: list[Cell] = []
        below = 0
        for group in columns:
            mark = group.module.pass_mark
            for assessment in group.assessments:
                score = scores.get((enrolment.pk, assessment.pk))
                if score is None:
                    cells.append(Cell())
                else:
                    scaled = score * 100 / assessment.max_score
                    cells.append(Cell(plain(score), below=scaled < mark))
            average = averages.get(enrolment.pk, {}).get(group.module.key)
            if average is None:
                cells.append(Cell(average=True))
            else:
                failing = Decimal(str(average)) < mark
                below += failing
                cells.append(Cell(one_decimal(average, mark), below=failing, average=True))
        total = totals.get(enrolment.pk)
        rows.append(
            GradeRow(
                enrolment=enrolment,
                cells=cells,
                total=one_decimal(total) if total is not None else "",
                below=below,
            )
        )
    return Gradebook(modules=columns, rows=rows)


@dataclass
class ScoreRow:
    """One trainee's line of an assessment's score grid, and what a save answered."""

    enrolment: Enrolment
    score: Score | None
    value: str = ""  # what the input shows
    was: str = ""  # the recorded score the editor saw
    version: int = 0
    error: str = ""
    now: str = ""  # someone else's newer score


def score_rows(*, assessment: Assessment, training_class: int | None = None) -> list[ScoreRow]:
    """Everyone in training in the assessment's cohort (or one class of it), and anyone else
    of the cohort who already has a score, with their score. Two queries."""
    enrolments = Enrolment.objects.filter(cohort_id=assessment.cohort_id).filter(
        Q(state=EnrolmentState.ACTIVE) | Q(scores__assessment=assessment)
    )
    if training_class is not None:
        enrolments = enrolments.filter(training_class_id=training_class)
    people = list(
        enrolments.distinct()
        .select_related("application__candidate", "training_class")
        .order_by(
            "training_class__name",
            "application__candidate__full_name",
            "application__registration_number",
        )
    )
    scores = {
        s.enrolment_id: s
        for s in Score.objects.filter(assessment=assessment, enrolment__in=[p.pk for p in people])
    }
    rows = []
    for person in people:
        score = scores.get(person.pk)
        shown = plain(score.score) if score is not None else ""
        rows.append(
            ScoreRow(
                enrolment=person,
                score=score,
                value=shown,
                was=shown,
                version=score.version if score is not None else 0,
            )
        )
    return rows
