"""Training API: a class's readiness and alerts, the medical check, and the end of training
(graduation, Stage I completion, drop-out). A graduation refused for readiness answers 422
with the failing rules."""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import.
import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from magang.accounts.api_auth import api_auth

from .. import readiness
from ..models import EnrolmentState, TrainingStage
from ..selectors import readiness as selectors
from ..services import (
    enrolment_complete_stage,
    enrolment_drop_out,
    enrolment_graduate,
    enrolment_medical_record,
)
from ..services.readiness import cohort_alerts
from .cohorts import TraineeOut, trainee_out
from .common import ErrorOut, class_for, enrolment_for, refusals, staff

router = Router(tags=["training"], auth=api_auth)


class ReasonOut(Schema):
    rule: str
    passed: bool
    text_id: str
    text_en: str


class ReadinessOut(Schema):
    ready: bool
    attendance_rate: float | None = Field(description="0..1; excused sessions not counted.")
    weighted_total: float | None = Field(description="0..100, weighted by module.")
    reasons: list[ReasonOut]


class TraineeReadinessOut(ReadinessOut):
    enrolment_id: int
    registration_number: str
    full_name: str
    state: EnrolmentState


class AlertOut(Schema):
    rule: str
    severity: str
    text_id: str
    text_en: str


class TraineeAlertsOut(Schema):
    enrolment_id: int
    registration_number: str
    full_name: str
    alerts: list[AlertOut]


class NotReadyOut(Schema):
    detail: str
    reasons: list[ReasonOut] = Field(
        default_factory=list, description="The readiness rules that failed, if that is why."
    )


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=4000)


class MedicalIn(Schema):
    model_config = ConfigDict(extra="forbid")
    passed: bool
    on: dt.date = Field(description="The day of the check; not in the future.")


def reasons_out(verdict: readiness.Verdict, failing_only: bool = False) -> list[ReasonOut]:
    return [
        ReasonOut(rule=r.rule, passed=r.passed, text_id=r.text_id, text_en=r.text_en)
        for r in verdict.reasons
        if not (failing_only and r.passed)
    ]


def readiness_out(verdict: readiness.Verdict) -> ReadinessOut:
    return ReadinessOut(
        ready=verdict.ready,
        attendance_rate=verdict.attendance_rate,
        weighted_total=verdict.weighted_total,
        reasons=reasons_out(verdict),
    )


@router.get(
    "/classes/{class_id}/readiness",
    response={200: list[TraineeReadinessOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Every trainee of the class with each readiness rule, passed or not",
)
def class_readiness(request: HttpRequest, class_id: int) -> list[TraineeReadinessOut]:
    training_class = class_for(staff(request), class_id)
    enrolments = list(selectors.trainees_of_class(training_class))
    try:
        found = selectors.verdicts(training_class.cohort, enrolments)
    except readiness.InvalidRules as exc:
        raise HttpError(422, " ".join(exc.problems)) from exc
    return [
        TraineeReadinessOut(
            enrolment_id=e.pk,
            registration_number=e.application.registration_number,
            full_name=e.application.candidate.full_name,
            state=EnrolmentState(e.state),
            **readiness_out(found[e.pk]).model_dump(),
        )
        for e in enrolments
    ]


@router.get(
    "/classes/{class_id}/alerts",
    response={200: list[TraineeAlertsOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="The trainees in training with an at-risk alert, and the rules that fired",
)
def class_alerts(request: HttpRequest, class_id: int) -> list[TraineeAlertsOut]:
    training_class = class_for(staff(request), class_id)
    enrolments = [
        e for e in selectors.trainees_of_class(training_class) if e.state == EnrolmentState.ACTIVE
    ]
    if not enrolments:
        return []
    try:
        found = cohort_alerts(
            cohort=training_class.cohort, enrolment_ids=[e.pk for e in enrolments]
        )
    except readiness.InvalidRules as exc:
        raise HttpError(422, " ".join(exc.problems)) from exc
    return [
        TraineeAlertsOut(
            enrolment_id=e.pk,
            registration_number=e.application.registration_number,
            full_name=e.application.candidate.full_name,
            alerts=[
                AlertOut(rule=a.rule, severity=a.severity, text_id=a.text_id, text_en=a.text_en)
                for a in found[e.pk]
            ],
        )
        for e in enrolments
        if found.get(e.pk)
    ]


@router.post(
    "/enrolments/{enrolment_id}/graduate",
    response={200: TraineeOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: NotReadyOut},
    summary="Graduate a trainee who meets every readiness rule",
)
def graduate(
    request: HttpRequest, enrolment_id: int, payload: ReasonIn
) -> TraineeOut | Status[NotReadyOut]:
    user = staff(request)
    enrolment = enrolment_for(user, enrolment_id, write=True)
    with refusals():
        try:
            ended = enrolment_graduate(enrolment=enrolment, by=user, reason=payload.reason)
        except ValidationError as exc:
            verdict = selectors.verdicts(enrolment.cohort, [enrolment]).get(enrolment.pk)
            if verdict is None or verdict.ready:
                raise
            return Status(
                422,
                NotReadyOut(detail=" ".join(exc.messages), reasons=reasons_out(verdict, True)),
            )
    return trainee_out(ended)


@router.post(
    "/enrolments/{enrolment_id}/drop-out",
    response={200: TraineeOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Send a trainee home: the application moves to dropped out",
)
def drop_out(request: HttpRequest, enrolment_id: int, payload: ReasonIn) -> TraineeOut:
    user = staff(request)
    enrolment = enrolment_for(user, enrolment_id, write=True)
    with refusals():
        ended = enrolment_drop_out(enrolment=enrolment, by=user, reason=payload.reason)
    return trainee_out(ended)


@router.post(
    "/enrolments/{enrolment_id}/complete-stage",
    response={200: TraineeOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Stage I (regional) completed: free to join a Stage II cohort",
)
def complete_stage(request: HttpRequest, enrolment_id: int, payload: ReasonIn) -> TraineeOut:
    user = staff(request)
    enrolment = enrolment_for(user, enrolment_id, write=True)
    if enrolment.cohort.stage != TrainingStage.REGIONAL:
        raise HttpError(422, _("Only a Stage I (regional) cohort is completed this way."))
    with refusals():
        ended = enrolment_complete_stage(enrolment=enrolment, by=user, reason=payload.reason)
    return trainee_out(ended)


@router.post(
    "/enrolments/{enrolment_id}/medical",
    response={200: TraineeOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record the medical check: passed or not, and the day (no findings)",
)
def medical(request: HttpRequest, enrolment_id: int, payload: MedicalIn) -> TraineeOut:
    user = staff(request)
    enrolment = enrolment_for(user, enrolment_id, write=True)
    with refusals():
        recorded = enrolment_medical_record(
            enrolment=enrolment, passed=payload.passed, on=payload.on, by=user
        )
    recorded.application = enrolment.application
    return trainee_out(recorded)
