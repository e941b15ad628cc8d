"""Reads for the timetable pages: one session as a user may see it, a class's week as a grid
of days and start times, and a session's roll call as it stands."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from ..access import cohort_scope, may_manage
from ..models import (
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentState,
    Module,
    Session,
    TrainingClass,
)

WORKING_DAYS = 6  # Monday to Saturday; Sunday shows only when something is on it


def access_session(*, user: Any, pk: int, write: bool = False) -> Session:
    """The session, when its cohort is one the user may read (404 otherwise, missing and
    not yours alike); 403 when ``write`` and the user may not change the cohort."""
    session = (
        Session.objects.filter(pk=pk, training_class__cohort__in=cohort_scope(user=user))
        .select_related(
            "training_class__cohort__centre",
            "training_class__cohort__curriculum",
            "module",
            "trainer",
        )
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    if write and not may_manage(user, session.training_class.cohort):
        raise PermissionDenied
    return session


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def default_week(training_class: TrainingClass, today: dt.date | None = None) -> dt.date:
    """This week while the cohort runs; its first or last week before or after."""
    cohort = training_class.cohort
    today = today or timezone.localdate()
    return week_start(min(max(today, cohort.starts_on), cohort.ends_on))


@dataclass
class Slot:
    """One start time of the week: the sessions starting then, per day."""

    start: dt.time
    cells: list[list[Session]]


@dataclass
class Week:
    monday: dt.date
    days: list[dt.date]
    slots: list[Slot]
    sessions: list[Session] = field(default_factory=list)

    @property
    def previous(self) -> dt.date:
        return self.monday - dt.timedelta(days=7)

    @property
    def next(self) -> dt.date:
        return self.monday + dt.timedelta(days=7)


def class_week(*, training_class: TrainingClass, monday: dt.date) -> Week:
    """The class's sessions of the week from ``monday``, by start time (rows) and day
    (columns), in the local time zone. One query."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=zone)
    sessions = list(
        Session.objects.filter(
            training_class=training_class,
            starts_at__gte=start,
            starts_at__lt=start + dt.timedelta(days=7),
        )
        .select_related("module", "trainer")
        .order_by("starts_at", "pk")
    )
    local = [(timezone.localtime(s.starts_at, zone), s) for s in sessions]
    width = 7 if any(t.weekday() == 6 for t, _ in local) else WORKING_DAYS
    days = [monday + dt.timedelta(days=i) for i in range(width)]
    slots: dict[dt.time, Slot] = {}
    for when, session in local:
        slot = slots.setdefault(when.time(), Slot(when.time(), [[] for _ in days]))
        slot.cells[(when.date() - monday).days].append(session)
    return Week(
        monday=monday,
        days=days,
        slots=[slots[t] for t in sorted(slots)],
        sessions=sessions,
    )


def session_modules(training_class: TrainingClass) -> QuerySet[Module]:
    """The modules a session of this class may teach: its cohort's curriculum."""
    return Module.objects.filter(curriculum_id=training_class.cohort.curriculum_id).order_by(
        "order"
    )


@dataclass
class RollRow:
    enrolment: Enrolment
    status: str
    reason: str
    error: str = ""


@dataclass
class RollCall:
    rows: list[RollRow]
    counts: dict[str, int]
    taken: bool


def roll_call(session: Session) -> RollCall:
    """The class's active trainees with their recorded mark for the session (present for
    anyone not yet marked), and the counts per status once the roll has been taken. Two
    queries."""
    trainees = list(
        Enrolment.objects.filter(
            training_class_id=session.training_class_id, state=EnrolmentState.ACTIVE
        )
        .select_related("application__candidate")
        .order_by("application__candidate__full_name", "application__registration_number")
    )
    marks = {
        a.enrolment_id: a
        for a in Attendance.objects.filter(session=session, enrolment__in=trainees)
    }
    rows = [
        RollRow(
            enrolment=e,
            status=marks[e.pk].status if e.pk in marks else AttendanceStatus.PRESENT,
            reason=marks[e.pk].reason if e.pk in marks else "",
        )
        for e in trainees
    ]
    taken = session.roll_taken_at is not None
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    if taken:
        counts.update(Counter(row.status for row in rows))
    return RollCall(rows=rows, counts=counts, taken=taken)
