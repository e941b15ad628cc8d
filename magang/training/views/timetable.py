"""Timetable pages: a class's week (days by start time, a plain table that needs no
script), the session form (refused with the clash shown beside it when the trainer or the
room is taken), and the roll call of a session: one screen for the whole class, everyone
present unless marked otherwise, one save. Training staff of the centre act; the central
team, leadership and administrators read."""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from magang.accounts.models import User
from magang.accounts.permissions import role_required

from .. import services
from ..access import READER_ROLES, may_manage
from ..models import AttendanceStatus, Module, Session, TrainingClass
from ..selectors import timetable as selectors
from ..selectors.cohorts import centre_trainers
from ..selectors.readiness import access_class

REASON_LENGTH = 200  # Attendance.reason


class StaffRequest(HttpRequest):
    user: User


def _week(raw: str | None, training_class: TrainingClass) -> dt.date:
    try:
        return selectors.week_start(dt.date.fromisoformat(raw or ""))
    except ValueError:
        return selectors.default_week(training_class)


@require_GET
@role_required(*READER_ROLES)
def timetable(request: StaffRequest, pk: int) -> HttpResponse:
    klass = access_class(user=request.user, pk=pk)
    week = selectors.class_week(training_class=klass, monday=_week(request.GET.get("week"), klass))
    return render(
        request,
        "training/timetable_week.html",
        {
            "klass": klass,
            "cohort": klass.cohort,
            "week": week,
            "acts": may_manage(request.user, klass.cohort),
        },
    )


class SessionForm(forms.Form):
    module = forms.ModelChoiceField(label=gettext_lazy("Module"), queryset=Module.objects.none())
    trainer = forms.ModelChoiceField(label=gettext_lazy("Trainer"), queryset=User.objects.none())
    room = forms.CharField(label=gettext_lazy("Room"), max_length=60)
    day = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    starts = forms.TimeField(
        label=gettext_lazy("Starts at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    ends = forms.TimeField(
        label=gettext_lazy("Ends at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args: Any, training_class: TrainingClass, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        module, trainer = self.fields["module"], self.fields["trainer"]
        assert isinstance(module, forms.ModelChoiceField)  # noqa: S101 - declared above
        assert isinstance(trainer, forms.ModelChoiceField)  # noqa: S101
        module.queryset = selectors.session_modules(training_class)
        trainer.queryset = centre_trainers(training_class.cohort.centre_id)

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        zone = timezone.get_current_timezone()
        day = self.cleaned_data["day"]
        return (
            dt.datetime.combine(day, self.cleaned_data["starts"], tzinfo=zone),
            dt.datetime.combine(day, self.cleaned_data["ends"], tzinfo=zone),
        )


def _initial(session: Session) -> dict[str, Any]:
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return {
        "module": session.module_id,
        "trainer": session.trainer_id,
        "room": session.room,
        "day": starts.date(),
        "starts": starts.time(),
        "ends": ends.time(),
    }


def _session_form(
    request: StaffRequest, klass: TrainingClass, session: Session | None
) -> HttpResponse:
    if request.method == "POST":
        form = SessionForm(request.POST, training_class=klass)
        if form.is_valid():
            starts_at, ends_at = form.times()
            try:
                saved = services.session_save(
                    training_class=klass, module=form.cleaned_data["module"],
                    trainer=form.cleaned_data["trainer"], room=form.cleaned_data["room"],
                    starts_at=starts_at, ends_at=ends_at, by=request.user, session=session,
                )  # fmt: skip
            except ValidationError as exc:  # SessionClash among them, with the clash
                form.add_error(None, exc)
            else:
                messages.success(request, _("The session was saved."))
                week = selectors.week_start(timezone.localtime(saved.starts_at).date())
                return redirect(
                    reverse("training:timetable", args=[klass.pk]) + f"?week={week.isoformat()}"
                )
    elif session is not None:
        form = SessionForm(initial=_initial(session), training_class=klass)
    else:
        day = request.GET.get("day", "")
        initial: dict[str, Any] = {"trainer": request.user.pk}
        with suppress(ValueError):
            initial["day"] = dt.date.fromisoformat(day)
        form = SessionForm(initial=initial, training_class=klass)
    return render(
        request,
        "training/session_form.html",
        {"klass": klass, "cohort": klass.cohort, "session": session, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(*READER_ROLES)
def session_create(request: StaffRequest, pk: int) -> HttpResponse:
    return _session_form(request, access_class(user=request.user, pk=pk, write=True), None)


@require_http_methods(["GET", "POST"])
@role_required(*READER_ROLES)
def session_edit(request: StaffRequest, pk: int) -> HttpResponse:
    session = selectors.access_session(user=request.user, pk=pk, write=True)
    return _session_form(request, session.training_class, session)


def _marks(request: StaffRequest, rows: list[selectors.RollRow]) -> dict[int, tuple[str, str]]:
    """What the form marks, row by row (the rows show it again if the save is refused);
    only the exceptions go to the service, which counts everyone else present."""
    marks = {}
    for row in rows:
        pk = row.enrolment.pk
        status = request.POST.get(f"status-{pk}", AttendanceStatus.PRESENT)
        row.status = status if status in AttendanceStatus.values else AttendanceStatus.PRESENT
        row.reason = request.POST.get(f"reason-{pk}", "").strip()[:REASON_LENGTH]
        if row.status == AttendanceStatus.EXCUSED and not row.reason:
            row.error = _("An excused absence needs a reason.")
        if row.status != AttendanceStatus.PRESENT or row.reason:
            marks[pk] = (row.status, row.reason)
    return marks


@require_http_methods(["GET", "POST"])
@role_required(*READER_ROLES)
def roll_call(request: StaffRequest, pk: int) -> HttpResponse:
    session = selectors.access_session(user=request.user, pk=pk, write=request.method == "POST")
    acts = may_manage(request.user, session.training_class.cohort)
    call = selectors.roll_call(session)
    errors: list[str] = []
    if request.method == "POST":
        try:
            counts = services.roll_call_save(
                session=session, marks=_marks(request, call.rows), by=request.user
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _(
                    "Roll call saved: %(present)s present, %(late)s late, %(excused)s excused, "
                    "%(absent)s absent."
                )
                % counts,
            )
            return redirect("training:roll_call", pk=session.pk)
    return render(
        request,
        "training/roll_call.html",
        {
            "session": session,
            "klass": session.training_class,
            "cohort": session.training_class.cohort,
            "call": call,
            "acts": acts,
            "errors": errors,
            "statuses": AttendanceStatus.choices,
            "counts": [(v, label, call.counts[v]) for v, label in AttendanceStatus.choices],
            "week": selectors.week_start(timezone.localtime(session.starts_at).date()),
        },
        status=400 if errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("classes/<int:pk>/timetable/", timetable, name="timetable"),
    path("classes/<int:pk>/sessions/new/", session_create, name="session_create"),
    path("sessions/<int:pk>/edit/", session_edit, name="session_edit"),
    path("sessions/<int:pk>/roll-call/", roll_call, name="roll_call"),
]
