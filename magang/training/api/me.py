"""Training API for the trainee: their own training, nobody else's. Users without a
candidate record (staff, partners, host companies) have no training of their own: 403."""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import.
import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from magang.accounts.api_auth import api_auth

from .. import readiness
from ..models import AttendanceStatus, DisciplineKind, Enrolment, EnrolmentState, TrainingStage
from ..selectors import trainee as selectors
from ..selectors.readiness import verdicts
from .common import ErrorOut, user_of
from .graduation import ReadinessOut, readiness_out

router = Router(tags=["training"], auth=api_auth)


class MySessionOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    module_key: str
    module_name_en: str
    module_name_id: str
    room: str
    trainer: str
    status: AttendanceStatus | None = Field(description="The roll call, once taken.")


class MyAttendanceLineOut(Schema):
    session_id: int
    starts_at: dt.datetime
    module_key: str
    status: AttendanceStatus
    reason: str


class MyAttendanceOut(Schema):
    rate: float | None = Field(description="Present or late over held minus excused; 0..1.")
    held: int
    attended: int
    excused: int
    absent: int
    sessions: list[MyAttendanceLineOut] = Field(description="Newest first.")


class MyScoreOut(Schema):
    assessment_id: int
    name: str
    module_key: str
    held_on: dt.date
    max_score: float
    score: float | None


class MyModuleOut(Schema):
    key: str
    name_en: str
    name_id: str
    pass_mark: float
    average: float | None = Field(description="0..100; null while not scored.")
    passed: bool | None


class MyGradesOut(Schema):
    modules: list[MyModuleOut]
    assessments: list[MyScoreOut]


class MyDisciplineRecordOut(Schema):
    kind: DisciplineKind
    points: int
    occurred_on: dt.date
    description: str


class MyDisciplineOut(Schema):
    merit_points: int
    demerit_points: int
    net_points: int = Field(description="Demerit minus merit points.")
    records: list[MyDisciplineRecordOut]


class MyBedOut(Schema):
    building: str
    room: str
    bed: str
    since: dt.date


class MyTrainingOut(Schema):
    enrolment_id: int
    cohort_code: str
    cohort_name: str
    centre: str
    stage: TrainingStage
    class_name: str | None
    state: EnrolmentState
    enrolled_on: dt.date
    ended_on: dt.date | None
    timetable: list[MySessionOut] = Field(description="This week and next.")
    attendance: MyAttendanceOut
    grades: MyGradesOut
    discipline: MyDisciplineOut
    bed: MyBedOut | None
    readiness: ReadinessOut | None


def _training(enrolment: Enrolment) -> MyTrainingOut:
    today = timezone.localdate()
    days = selectors.my_timetable(enrolment=enrolment, today=today)
    attendance = selectors.my_attendance(enrolment=enrolment)
    grades = selectors.my_grades(enrolment=enrolment)
    discipline = selectors.my_discipline(enrolment=enrolment)
    bed = selectors.my_bed(enrolment=enrolment)
    try:
        verdict: readiness.Verdict | None = verdicts(enrolment.cohort, [enrolment])[enrolment.pk]
    except readiness.InvalidRules:
        verdict = None
    return MyTrainingOut(
        enrolment_id=enrolment.pk,
        cohort_code=enrolment.cohort.code,
        cohort_name=enrolment.cohort.name,
        centre=enrolment.cohort.centre.name,
        stage=TrainingStage(enrolment.cohort.stage),
        class_name=enrolment.training_class.name if enrolment.training_class else None,
        state=EnrolmentState(enrolment.state),
        enrolled_on=enrolment.enrolled_on,
        ended_on=enrolment.ended_on,
        timetable=[
            MySessionOut(
                id=line.session.pk,
                starts_at=line.session.starts_at,
                ends_at=line.session.ends_at,
                module_key=line.session.module.key,
                module_name_en=line.session.module.name_en,
                module_name_id=line.session.module.name_id,
                room=line.session.room,
                trainer=str(line.session.trainer),
                status=AttendanceStatus(line.status) if line.status else None,
            )
            for day in days
            for line in day.sessions
        ],
        attendance=MyAttendanceOut(
            rate=attendance.rate,
            held=attendance.held,
            attended=attendance.attended,
            excused=attendance.excused,
            absent=attendance.absent,
            sessions=[
                MyAttendanceLineOut(
                    session_id=line.session.pk,
                    starts_at=line.session.starts_at,
                    module_key=line.session.module.key,
                    status=AttendanceStatus(line.status),
                    reason=line.reason,
                )
                for line in attendance.lines
            ],
        ),
        grades=MyGradesOut(
            modules=[
                MyModuleOut(
                    key=m.module.key,
                    name_en=m.module.name_en,
                    name_id=m.module.name_id,
                    pass_mark=float(m.module.pass_mark),
                    average=m.average,
                    passed=m.passed,
                )
                for m in grades.modules
            ],
            assessments=[
                MyScoreOut(
                    assessment_id=s.assessment.pk,
                    name=s.assessment.name,
                    module_key=s.assessment.module.key,
                    held_on=s.assessment.held_on,
                    max_score=float(s.assessment.max_score),
                    score=float(s.score) if s.score is not None else None,
                )
                for s in grades.scores
            ],
        ),
        discipline=MyDisciplineOut(
            merit_points=discipline.merit_points,
            demerit_points=discipline.demerit_points,
            net_points=discipline.net_points,
            records=[
                MyDisciplineRecordOut(
                    kind=DisciplineKind(r.kind),
                    points=r.points,
                    occurred_on=r.occurred_on,
                    description=r.description,
                )
                for r in discipline.records
            ],
        ),
        bed=(
            MyBedOut(
                building=bed.bed.room.building.name,
                room=bed.bed.room.name,
                bed=bed.bed.label,
                since=bed.from_date,
            )
            if bed
            else None
        ),
        readiness=readiness_out(verdict) if verdict else None,
    )


@router.get(
    "/me/training",
    response={200: list[MyTrainingOut], 401: ErrorOut, 403: ErrorOut},
    summary="My training: timetable, attendance, grades, discipline, bed and readiness",
)
def my_training(request: HttpRequest) -> list[MyTrainingOut]:
    user = user_of(request)
    if not selectors.is_candidate(user):
        raise HttpError(403, _("Only trainees have a training record."))
    return [_training(e) for e in selectors.my_enrolments(user=user)]
