"""My training: the trainee's own pages, made for a phone. An overview (readiness, bed,
attendance rate, the next sessions) and one page each for the timetable, attendance,
grades and discipline. Only the user's own enrolments; anyone else's is "not found"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET

from magang.accounts.models import User

from ..models import Enrolment
from ..selectors import trainee as selectors
from ..selectors.readiness import trainee_readiness


class UserRequest(HttpRequest):
    user: User


TraineeView = Callable[..., HttpResponse]


def trainee_required(view: TraineeView) -> TraineeView:
    """Anonymous users log in first; users without a candidate record (staff, partners,
    host companies) have no training of their own: 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.is_candidate(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _context(request: UserRequest, enrolment: Enrolment, section: str) -> dict[str, Any]:
    return {
        "enrolment": enrolment,
        "cohort": enrolment.cohort,
        "section": section,
        "others": [e for e in selectors.my_enrolments(user=request.user) if e.pk != enrolment.pk],
    }


def _overview(request: UserRequest, enrolment: Enrolment | None) -> HttpResponse:
    if enrolment is None:
        return render(request, "training/my_training.html", {"enrolment": None})
    today = timezone.localdate()
    timetable = selectors.my_timetable(enrolment=enrolment, today=today)
    return render(
        request,
        "training/my_training.html",
        {
            **_context(request, enrolment, "overview"),
            "readiness": trainee_readiness(enrolment=enrolment),
            "attendance": selectors.my_attendance(enrolment=enrolment),
            "bed": selectors.my_bed(enrolment=enrolment),
            "upcoming": [day for day in timetable if day.date >= today][:2],
            "today": today,
        },
    )


@require_GET
@trainee_required
def my_training(request: UserRequest) -> HttpResponse:
    return _overview(request, selectors.my_enrolments(user=request.user).first())


@require_GET
@trainee_required
def my_training_detail(request: UserRequest, enrolment_id: int) -> HttpResponse:
    return _overview(request, selectors.my_enrolment(user=request.user, pk=enrolment_id))


@require_GET
@trainee_required
def my_timetable(request: UserRequest, enrolment_id: int) -> HttpResponse:
    enrolment = selectors.my_enrolment(user=request.user, pk=enrolment_id)
    today = timezone.localdate()
    monday = selectors.week_start(today)
    days = selectors.my_timetable(enrolment=enrolment, today=today)
    next_monday = monday + dt.timedelta(days=7)
    return render(
        request,
        "training/my_timetable.html",
        {
            **_context(request, enrolment, "timetable"),
            "today": today,
            "this_week": [d for d in days if d.date < next_monday],
            "next_week": [d for d in days if d.date >= next_monday],
            "monday": monday,
            "next_monday": next_monday,
        },
    )


@require_GET
@trainee_required
def my_attendance(request: UserRequest, enrolment_id: int) -> HttpResponse:
    enrolment = selectors.my_enrolment(user=request.user, pk=enrolment_id)
    return render(
        request,
        "training/my_attendance.html",
        {
            **_context(request, enrolment, "attendance"),
            "attendance": selectors.my_attendance(enrolment=enrolment),
        },
    )


@require_GET
@trainee_required
def my_grades(request: UserRequest, enrolment_id: int) -> HttpResponse:
    enrolment = selectors.my_enrolment(user=request.user, pk=enrolment_id)
    return render(
        request,
        "training/my_grades.html",
        {
            **_context(request, enrolment, "grades"),
            "grades": selectors.my_grades(enrolment=enrolment),
        },
    )


@require_GET
@trainee_required
def my_discipline(request: UserRequest, enrolment_id: int) -> HttpResponse:
    enrolment = selectors.my_enrolment(user=request.user, pk=enrolment_id)
    return render(
        request,
        "training/my_discipline.html",
        {
            **_context(request, enrolment, "discipline"),
            "discipline": selectors.my_discipline(enrolment=enrolment),
        },
    )


urlpatterns: list[URLPattern] = [
    path("my/", my_training, name="my_training"),
    path("my/<int:enrolment_id>/", my_training_detail, name="my_training_detail"),
    path("my/<int:enrolment_id>/timetable/", my_timetable, name="my_timetable"),
    path("my/<int:enrolment_id>/attendance/", my_attendance, name="my_attendance"),
    path("my/<int:enrolment_id>/grades/", my_grades, name="my_grades"),
    path("my/<int:enrolment_id>/discipline/", my_discipline, name="my_discipline"),
]
