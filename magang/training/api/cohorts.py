"""Training API: cohorts, their classes and trainees (read by training staff of the centre,
the central team, leadership and administrators)."""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import, and
# @paginate re-reads them from its own module, where string annotations do not resolve.
import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from magang.accounts.api_auth import api_auth
from magang.recruitment.services.privacy import medical_read_log

from ..access import cohort_scope, may_manage
from ..models import Cohort, Enrolment, EnrolmentState, TrainingClass, TrainingStage
from ..selectors.readiness import trainees_of_class
from .common import ErrorOut, class_for, cohort_for, staff

router = Router(tags=["training"], auth=api_auth)

ACTIVE = Q(enrolments__state=EnrolmentState.ACTIVE)


class CohortFields(Schema):
    id: int
    code: str
    name: str
    centre_id: int
    centre_name: str
    stage: TrainingStage
    starts_on: dt.date
    ends_on: dt.date
    capacity: int
    active_trainees: int
    classes: int


class CohortOut(CohortFields):
    """A list row, read straight from the annotated queryset."""

    @staticmethod
    def resolve_centre_name(obj: Cohort) -> str:
        return obj.centre.name

    @staticmethod
    def resolve_active_trainees(obj: Cohort) -> int:
        return int(getattr(obj, "active_count", 0))

    @staticmethod
    def resolve_classes(obj: Cohort) -> int:
        return int(getattr(obj, "class_count", 0))


class ModuleOut(Schema):
    id: int
    key: str
    name_en: str
    name_id: str
    category: str
    planned_hours: int
    pass_mark: float
    weight: float


class CohortDetailOut(CohortFields):
    curriculum_code: str
    curriculum_name: str
    modules: list[ModuleOut]
    readiness_rules: dict[str, object]
    alert_rules: dict[str, object]
    may_manage: bool = Field(description="Whether the caller may change this cohort.")


class ClassOut(Schema):
    id: int
    name: str
    homeroom_trainer: str | None
    active_trainees: int

    @staticmethod
    def resolve_homeroom_trainer(obj: TrainingClass) -> str | None:
        return str(obj.homeroom_trainer) if obj.homeroom_trainer else None

    @staticmethod
    def resolve_active_trainees(obj: TrainingClass) -> int:
        return int(getattr(obj, "size", 0))


class TraineeOut(Schema):
    enrolment_id: int
    registration_number: str
    full_name: str
    sex: str
    class_id: int | None
    state: EnrolmentState
    enrolled_on: dt.date
    ended_on: dt.date | None
    end_reason: str
    medical_passed: bool | None
    medical_checked_on: dt.date | None


def trainee_out(enrolment: Enrolment) -> TraineeOut:
    candidate = enrolment.application.candidate
    return TraineeOut(
        enrolment_id=enrolment.pk,
        registration_number=enrolment.application.registration_number,
        full_name=candidate.full_name,
        sex=candidate.sex,
        class_id=enrolment.training_class_id,
        state=EnrolmentState(enrolment.state),
        enrolled_on=enrolment.enrolled_on,
        ended_on=enrolment.ended_on,
        end_reason=enrolment.end_reason,
        medical_passed=enrolment.medical_passed,
        medical_checked_on=enrolment.medical_checked_on,
    )


def _counted(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    return cohorts.select_related("centre", "curriculum").annotate(
        active_count=Count("enrolments", filter=ACTIVE, distinct=True),
        class_count=Count("classes", distinct=True),
    )


@router.get(
    "/cohorts",
    response={200: list[CohortOut], 401: ErrorOut, 403: ErrorOut},
    summary="The cohorts the caller may read, newest first",
)
@paginate(PageNumberPagination, page_size=50)
def cohort_list(request: HttpRequest) -> QuerySet[Cohort]:
    user = staff(request)
    return _counted(cohort_scope(user=user)).order_by("-starts_on", "code")


@router.get(
    "/cohorts/{cohort_id}",
    response={200: CohortDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def cohort_detail(request: HttpRequest, cohort_id: int) -> CohortDetailOut:
    user = staff(request)
    cohort = cohort_for(user, cohort_id)
    counted = _counted(Cohort.objects.filter(pk=cohort.pk)).get()
    return CohortDetailOut(
        id=cohort.pk,
        code=cohort.code,
        name=cohort.name,
        centre_id=cohort.centre_id,
        centre_name=cohort.centre.name,
        stage=TrainingStage(cohort.stage),
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        capacity=cohort.capacity,
        active_trainees=int(getattr(counted, "active_count", 0)),
        classes=int(getattr(counted, "class_count", 0)),
        curriculum_code=cohort.curriculum.code,
        curriculum_name=cohort.curriculum.name,
        modules=[
            ModuleOut(
                id=m.pk,
                key=m.key,
                name_en=m.name_en,
                name_id=m.name_id,
                category=m.category,
                planned_hours=m.planned_hours,
                pass_mark=float(m.pass_mark),
                weight=float(m.weight),
            )
            for m in cohort.curriculum.modules.order_by("order")
        ],
        readiness_rules=dict(cohort.curriculum.readiness_rules),
        alert_rules=dict(cohort.curriculum.alert_rules),
        may_manage=may_manage(user, cohort),
    )


@router.get(
    "/cohorts/{cohort_id}/classes",
    response={200: list[ClassOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def class_list(request: HttpRequest, cohort_id: int) -> list[TrainingClass]:
    cohort = cohort_for(staff(request), cohort_id)
    return list(
        cohort.classes.select_related("homeroom_trainer")
        .annotate(size=Count("enrolments", filter=ACTIVE))
        .order_by("name")
    )


@router.get(
    "/classes/{class_id}/trainees",
    response={200: list[TraineeOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Everyone ever in the class, those in training first",
)
def class_trainees(request: HttpRequest, class_id: int) -> list[TraineeOut]:
    training_class = class_for(staff(request), class_id)
    enrolments = list(trainees_of_class(training_class))
    # The medical check's outcome is health data: each read is logged (who, when, whose).
    medical_read_log(
        actor=request.user,
        candidate_ids=[
            e.application.candidate_id for e in enrolments if e.medical_passed is not None
        ],
        what="training.api.class_trainees",
    )
    return [trainee_out(e) for e in enrolments]
