"""Training API: a cohort's assessments and their scores. Scores are saved all or none;
sending back the versions one saw refuses a score someone else changed meanwhile."""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import.
import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from magang.accounts.api_auth import api_auth

from ..models import Assessment, AssessmentKind, Module, Score
from ..services import assessment_create, scores_save
from .common import ErrorOut, assessment_for, cohort_for, refusals, staff

router = Router(tags=["training"], auth=api_auth)


class AssessmentOut(Schema):
    id: int
    module_id: int
    module_key: str
    kind: AssessmentKind
    name: str
    held_on: dt.date
    max_score: float
    weight: float
    scored: int = Field(description="How many trainees have a score.")


def assessment_out(assessment: Assessment, scored: int) -> AssessmentOut:
    return AssessmentOut(
        id=assessment.pk,
        module_id=assessment.module_id,
        module_key=assessment.module.key,
        kind=AssessmentKind(assessment.kind),
        name=assessment.name,
        held_on=assessment.held_on,
        max_score=float(assessment.max_score),
        weight=float(assessment.weight),
        scored=scored,
    )


class AssessmentIn(Schema):
    model_config = ConfigDict(extra="forbid")
    module_id: int
    kind: AssessmentKind
    name: str = Field(min_length=1, max_length=120)
    held_on: dt.date
    max_score: Decimal = Field(Decimal(100), gt=0, max_digits=6, decimal_places=2)
    weight: Decimal = Field(Decimal(1), ge=0, max_digits=5, decimal_places=2)


class ScoreOut(Schema):
    enrolment_id: int
    score: float
    version: int = Field(description="Send it back with a change to refuse lost updates.")


class ScoreIn(Schema):
    model_config = ConfigDict(extra="forbid")
    enrolment_id: int
    score: str | None = Field(
        description='"45.5" or "45,5"; empty or null leaves the score as it is.'
    )
    version: int | None = Field(
        None, description="The version you saw (0: none yet); a newer one is refused."
    )


class ScoresIn(Schema):
    model_config = ConfigDict(extra="forbid")
    scores: list[ScoreIn]


class ScoresSavedOut(Schema):
    changed: int


@router.get(
    "/cohorts/{cohort_id}/assessments",
    response={200: list[AssessmentOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def assessment_list(request: HttpRequest, cohort_id: int) -> list[AssessmentOut]:
    cohort = cohort_for(staff(request), cohort_id)
    assessments = list(
        Assessment.objects.filter(cohort=cohort)
        .select_related("module")
        .order_by("held_on", "name")
    )
    counts: dict[int, int] = {}
    for assessment_id in Score.objects.filter(assessment__cohort=cohort).values_list(
        "assessment_id", flat=True
    ):
        counts[assessment_id] = counts.get(assessment_id, 0) + 1
    return [assessment_out(a, counts.get(a.pk, 0)) for a in assessments]


@router.post(
    "/cohorts/{cohort_id}/assessments",
    response={201: AssessmentOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def assessment_add(
    request: HttpRequest, cohort_id: int, payload: AssessmentIn
) -> Status[AssessmentOut]:
    user = staff(request)
    cohort = cohort_for(user, cohort_id, write=True)
    module = Module.objects.filter(pk=payload.module_id, curriculum_id=cohort.curriculum_id).first()
    if module is None:
        raise HttpError(422, _("That module is not in this cohort's curriculum."))
    with refusals():
        assessment = assessment_create(
            cohort=cohort,
            module=module,
            kind=payload.kind,
            name=payload.name,
            held_on=payload.held_on,
            max_score=payload.max_score,
            weight=payload.weight,
            by=user,
        )
    return Status(201, assessment_out(assessment, 0))


@router.get(
    "/assessments/{assessment_id}/scores",
    response={200: list[ScoreOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def score_list(request: HttpRequest, assessment_id: int) -> list[ScoreOut]:
    assessment = assessment_for(staff(request), assessment_id)
    return [
        ScoreOut(enrolment_id=s.enrolment_id, score=float(s.score), version=s.version)
        for s in Score.objects.filter(assessment=assessment).order_by("enrolment_id")
    ]


@router.post(
    "/assessments/{assessment_id}/scores",
    response={200: ScoresSavedOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Save scores, all or none",
)
def score_save(request: HttpRequest, assessment_id: int, payload: ScoresIn) -> ScoresSavedOut:
    user = staff(request)
    assessment = assessment_for(user, assessment_id, write=True)
    if len({s.enrolment_id for s in payload.scores}) != len(payload.scores):
        raise HttpError(422, _("Each trainee appears once."))
    versions = {s.enrolment_id: s.version for s in payload.scores if s.version is not None}
    with refusals():
        changed = scores_save(
            assessment=assessment,
            scores={s.enrolment_id: s.score for s in payload.scores},
            versions=versions or None,
            by=user,
        )
    return ScoresSavedOut(changed=changed)
