"""Attendance rates of a class: per trainee and per module, from one grouped query. A rate
counts present and late over the sessions held, excused ones left out (as readiness does)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from ..models import Attendance, AttendanceStatus, Enrolment, Module, TrainingClass

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


@dataclass(frozen=True)
class Rate:
    held: int = 0
    attended: int = 0
    excused: int = 0

    @property
    def percent(self) -> float | None:
        counted = self.held - self.excused
        return None if counted <= 0 else 100 * self.attended / counted

    def __add__(self, other: Rate) -> Rate:
        return Rate(
            self.held + other.held, self.attended + other.attended, self.excused + other.excused
        )


@dataclass(frozen=True)
class TraineeRates:
    enrolment: Enrolment
    overall: Rate
    by_module: tuple[Rate, ...]  # in the order of ``ClassAttendance.modules``


@dataclass(frozen=True)
class ClassAttendance:
    modules: tuple[Module, ...]
    rows: tuple[TraineeRates, ...]
    module_totals: tuple[Rate, ...]
    total: Rate


def class_attendance(*, training_class: TrainingClass) -> ClassAttendance:
    modules = tuple(training_class.cohort.curriculum.modules.order_by("order"))
    enrolments = list(
        Enrolment.objects.filter(training_class=training_class)
        .select_related("application__candidate")
        .order_by("application__candidate__full_name", "pk")
    )
    counts: dict[tuple[int, int], Rate] = defaultdict(Rate)
    for row in (
        Attendance.objects.filter(session__training_class=training_class)
        .values("enrolment_id", "session__module_id")
        .annotate(
            held=Count("id"),
            attended=Count("id", filter=Q(status__in=ATTENDED)),
            excused=Count("id", filter=Q(status=AttendanceStatus.EXCUSED)),
        )
        .order_by()
    ):
        counts[row["enrolment_id"], row["session__module_id"]] = Rate(
            row["held"], row["attended"], row["excused"]
        )
    rows = []
    for enrolment in enrolments:
        per_module = tuple(counts[enrolment.pk, m.pk] for m in modules)
        rows.append(TraineeRates(enrolment, sum(per_module, Rate()), per_module))
    module_totals = tuple(sum((r.by_module[i] for r in rows), Rate()) for i in range(len(modules)))
    return ClassAttendance(
        modules=modules,
        rows=tuple(rows),
        module_totals=module_totals,
        total=sum(module_totals, Rate()),
    )
