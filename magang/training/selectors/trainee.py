"""A trainee's own training: timetable, attendance, grades, discipline, bed and readiness.
Everything starts from ``my_enrolments(user=...)``, the enrolments of the user's own
applications, so nobody reads another trainee's record here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from magang.recruitment.models import Candidate

from ..models import (
    Assessment,
    Attendance,
    AttendanceStatus,
    BedAssignment,
    DisciplineKind,
    DisciplineRecord,
    Enrolment,
    EnrolmentState,
    Module,
    Score,
    Session,
)
from ..services.readiness import module_averages
from .dormitory import current_bed
from .readiness import TraineeReadiness, in_language, trainee_readiness

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


def is_candidate(user: Any) -> bool:
    """Whether the user has a candidate record: only candidates have a training of their
    own (staff, partners and host companies do not)."""
    return bool(user.is_authenticated) and Candidate.objects.filter(user_id=user.pk).exists()


def my_enrolments(*, user: Any) -> QuerySet[Enrolment]:
    """The user's own enrolments: the one in training first, then the latest."""
    return (
        Enrolment.objects.filter(application__candidate__user_id=user.pk)
        .select_related("cohort__centre", "cohort__curriculum", "training_class", "application")
        .annotate(
            ended=Case(
                When(state=EnrolmentState.ACTIVE, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("ended", "-enrolled_on", "-pk")
    )


def my_enrolment(*, user: Any, pk: int) -> Enrolment:
    """One of the user's own enrolments; 404 for anyone else's."""
    enrolment = my_enrolments(user=user).filter(pk=pk).first()
    if enrolment is None:
        raise Http404("No such enrolment.")
    return enrolment


def module_name(module: Module) -> str:
    return in_language(module.name_en, module.name_id)


# --- Timetable ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionLine:
    session: Session
    module: str
    status: str  # the roll call's status; empty while not taken

    @property
    def status_label(self) -> str:
        return str(AttendanceStatus(self.status).label) if self.status else ""


@dataclass(frozen=True)
class Day:
    date: dt.date
    sessions: tuple[SessionLine, ...]


def week_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday())


def my_timetable(*, enrolment: Enrolment, today: dt.date | None = None) -> list[Day]:
    """The class's sessions this week and next (Monday to the Sunday after), by day, each
    with the trainee's roll call status once taken. Days without sessions are left out."""
    if enrolment.training_class_id is None:
        return []
    monday = week_start(today or timezone.localdate())
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=zone)
    end = start + dt.timedelta(days=14)
    sessions = list(
        Session.objects.filter(
            training_class_id=enrolment.training_class_id, starts_at__gte=start, starts_at__lt=end
        )
        .select_related("module", "trainer")
        .order_by("starts_at", "pk")
    )
    marks = dict(
        Attendance.objects.filter(enrolment=enrolment, session__in=sessions).values_list(
            "session_id", "status"
        )
    )
    days: dict[dt.date, list[SessionLine]] = {}
    for session in sessions:
        day = timezone.localtime(session.starts_at).date()
        days.setdefault(day, []).append(
            SessionLine(
                session=session,
                module=module_name(session.module),
                status=marks.get(session.pk, ""),
            )
        )
    return [Day(date=day, sessions=tuple(lines)) for day, lines in days.items()]


# --- Attendance ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceLine:
    session: Session
    module: str
    status: str
    status_label: str
    reason: str


@dataclass(frozen=True)
class MyAttendance:
    lines: tuple[AttendanceLine, ...]
    held: int
    attended: int
    excused: int

    @property
    def rate(self) -> float | None:
        """Present and late over the sessions held, excused ones left out (as readiness)."""
        counted = self.held - self.excused
        return self.attended / counted if counted else None

    @property
    def percent(self) -> float | None:
        rate = self.rate
        return None if rate is None else rate * 100

    @property
    def absent(self) -> int:
        return self.held - self.attended - self.excused


def my_attendance(*, enrolment: Enrolment) -> MyAttendance:
    """Every roll call the trainee was in, newest first."""
    rows = list(
        Attendance.objects.filter(enrolment=enrolment)
        .select_related("session__module")
        .order_by("-session__starts_at", "-session_id")
    )
    lines = tuple(
        AttendanceLine(
            session=row.session,
            module=module_name(row.session.module),
            status=row.status,
            status_label=row.get_status_display(),
            reason=row.reason,
        )
        for row in rows
    )
    return MyAttendance(
        lines=lines,
        held=len(rows),
        attended=sum(1 for row in rows if row.status in ATTENDED),
        excused=sum(1 for row in rows if row.status == AttendanceStatus.EXCUSED),
    )


# --- Grades -------------------------------------------------------------------------------


def plain(value: Decimal) -> Decimal:
    """Without trailing zeros: 72.50 -> 72.5, 100.00 -> 100 (never 1E+2)."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


@dataclass(frozen=True)
class ScoreLine:
    assessment: Assessment
    module: str
    score: Decimal | None

    @property
    def score_shown(self) -> Decimal | None:
        return None if self.score is None else plain(self.score)

    @property
    def max_shown(self) -> Decimal:
        return plain(self.assessment.max_score)

    @property
    def percentage(self) -> float | None:
        if self.score is None:
            return None
        return float(self.score * 100 / self.assessment.max_score)


@dataclass(frozen=True)
class ModuleLine:
    module: Module
    name: str
    average: float | None

    @property
    def passed(self) -> bool | None:
        return None if self.average is None else self.average >= float(self.module.pass_mark)

    @property
    def pass_mark_shown(self) -> Decimal:
        return plain(self.module.pass_mark)


@dataclass(frozen=True)
class MyGrades:
    scores: tuple[ScoreLine, ...]
    modules: tuple[ModuleLine, ...]


def my_grades(*, enrolment: Enrolment) -> MyGrades:
    """The cohort's assessments so far with the trainee's score (None: not scored), and
    each module's average on 0..100 (as readiness counts it)."""
    assessments = list(
        Assessment.objects.filter(cohort_id=enrolment.cohort_id)
        .select_related("module")
        .order_by("held_on", "name")
    )
    scores = dict(
        Score.objects.filter(enrolment=enrolment, assessment__in=assessments).values_list(
            "assessment_id", "score"
        )
    )
    averages = module_averages(enrolment.cohort, [enrolment.pk]).get(enrolment.pk, {})
    modules = Module.objects.filter(curriculum_id=enrolment.cohort.curriculum_id).order_by("order")
    return MyGrades(
        scores=tuple(
            ScoreLine(assessment=a, module=module_name(a.module), score=scores.get(a.pk))
            for a in assessments
        ),
        modules=tuple(
            ModuleLine(module=m, name=module_name(m), average=averages.get(m.key)) for m in modules
        ),
    )


# --- Discipline ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MyDiscipline:
    records: tuple[DisciplineRecord, ...]

    @property
    def merit_points(self) -> int:
        return sum(r.points for r in self.records if r.kind == DisciplineKind.MERIT)

    @property
    def demerit_points(self) -> int:
        return sum(r.points for r in self.records if r.kind == DisciplineKind.DEMERIT)

    @property
    def net_points(self) -> int:
        return self.demerit_points - self.merit_points


def my_discipline(*, enrolment: Enrolment) -> MyDiscipline:
    """The trainee's own merits and demerits, newest first."""
    return MyDiscipline(
        records=tuple(
            DisciplineRecord.objects.filter(enrolment=enrolment).order_by("-occurred_on", "-id")
        )
    )


# --- Everything at once -------------------------------------------------------------------


@dataclass(frozen=True)
class MyTraining:
    enrolment: Enrolment
    readiness: TraineeReadiness | None
    bed: BedAssignment | None
    timetable: list[Day]
    attendance: MyAttendance
    grades: MyGrades
    discipline: MyDiscipline


def my_bed(*, enrolment: Enrolment) -> BedAssignment | None:
    return current_bed(enrolment=enrolment)


def my_training(*, enrolment: Enrolment, today: dt.date | None = None) -> MyTraining:
    """The whole record of one of the user's enrolments (from ``my_enrolment``)."""
    return MyTraining(
        enrolment=enrolment,
        readiness=trainee_readiness(enrolment=enrolment),
        bed=my_bed(enrolment=enrolment),
        timetable=my_timetable(enrolment=enrolment, today=today),
        attendance=my_attendance(enrolment=enrolment),
        grades=my_grades(enrolment=enrolment),
        discipline=my_discipline(enrolment=enrolment),
    )
