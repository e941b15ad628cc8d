"""Readiness and the end of training: a class's checklist and at-risk alerts, one trainee's
checklist with the medical check, and graduation, Stage I completion and drop-out. Training
staff of the centre act; the central team, leadership and administrators read."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from magang.accounts.models import User
from magang.accounts.permissions import role_required
from magang.recruitment.services.privacy import medical_read_log

from ..access import READER_ROLES, may_manage
from ..models import Enrolment, EnrolmentState, TrainingStage
from ..selectors import readiness as selectors
from ..services import (
    enrolment_complete_stage,
    enrolment_drop_out,
    enrolment_graduate,
    enrolment_medical_record,
)
from .discipline import parse_date


class UserRequest(HttpRequest):
    user: User


def rule_names() -> list[tuple[str, str]]:
    return [
        ("attendance", _("Attendance")),
        ("japanese", _("Japanese")),
        ("module", _("Modules")),
        ("demerits", _("Discipline")),
        ("medical", _("Medical check")),
    ]


@role_required(*READER_ROLES)
@require_GET
def attendance_class(request: UserRequest, class_id: int) -> HttpResponse:
    """Attendance rates of a class, per trainee and per module."""
    from ..selectors.attendance import class_attendance

    training_class = selectors.access_class(user=request.user, pk=class_id)
    return render(
        request,
        "training/attendance_class.html",
        {
            "training_class": training_class,
            "cohort": training_class.cohort,
            "attendance": class_attendance(training_class=training_class),
        },
    )


@role_required(*READER_ROLES)
@require_GET
def readiness_class(request: UserRequest, class_id: int) -> HttpResponse:
    training_class = selectors.access_class(user=request.user, pk=class_id)
    return render(
        request,
        "training/readiness_class.html",
        {
            "training_class": training_class,
            "cohort": training_class.cohort,
            "readiness": selectors.class_readiness(training_class=training_class),
            "rules": rule_names(),
            "manages": may_manage(request.user, training_class.cohort),
            "regional": training_class.cohort.stage == TrainingStage.REGIONAL,
        },
    )


@role_required(*READER_ROLES)
@require_GET
def alerts_class(request: UserRequest, class_id: int) -> HttpResponse:
    training_class = selectors.access_class(user=request.user, pk=class_id)
    return render(
        request,
        "training/readiness_alerts.html",
        {
            "training_class": training_class,
            "cohort": training_class.cohort,
            "alerts": selectors.class_alerts(training_class=training_class),
        },
    )


def _render_trainee(
    request: UserRequest, enrolment: Enrolment, errors: list[str] | None = None
) -> HttpResponse:
    if enrolment.medical_passed is not None:
        # The medical check's outcome is health data: each read is logged.
        medical_read_log(
            actor=request.user,
            candidate_ids=[enrolment.application.candidate_id],
            what="training.graduation_trainee",
        )
    return render(
        request,
        "training/graduation_trainee.html",
        {
            "enrolment": enrolment,
            "cohort": enrolment.cohort,
            "candidate": enrolment.application.candidate,
            "readiness": selectors.trainee_readiness(enrolment=enrolment),
            "rules": rule_names(),
            "manages": may_manage(request.user, enrolment.cohort),
            "active": enrolment.state == EnrolmentState.ACTIVE,
            "regional": enrolment.cohort.stage == TrainingStage.REGIONAL,
            "today": timezone.localdate(),
            "errors": errors or [],
            "post": request.POST,
        },
        status=400 if errors else 200,
    )


def _done(request: UserRequest, enrolment: Enrolment, message: str) -> HttpResponse:
    messages.success(request, message)
    if enrolment.training_class_id is not None:
        return redirect("training:readiness_class", class_id=enrolment.training_class_id)
    return redirect("training:graduation_trainee", enrolment_id=enrolment.pk)


@role_required(*READER_ROLES)
@require_GET
def graduation_trainee(request: UserRequest, enrolment_id: int) -> HttpResponse:
    enrolment = selectors.access_enrolment(user=request.user, pk=enrolment_id)
    return _render_trainee(request, enrolment)


def _not_ready(enrolment: Enrolment) -> list[str]:
    """The failing readiness rules, in the reader's language; empty when ready."""
    found = selectors.trainee_readiness(enrolment=enrolment)
    if found is None or found.ready:
        return []
    return [_("Not ready to graduate:"), *(reason.text for reason in found.failures)]


@role_required(*READER_ROLES)
@require_POST
def graduation_graduate(request: UserRequest, enrolment_id: int) -> HttpResponse:
    enrolment = selectors.access_enrolment(user=request.user, pk=enrolment_id, write=True)
    reason = request.POST.get("reason", "")
    if not reason.strip():
        return _render_trainee(request, enrolment, [_("Give the reason.")])
    try:
        enrolment_graduate(enrolment=enrolment, by=request.user, reason=reason)
    except ValidationError as exc:
        return _render_trainee(request, enrolment, _not_ready(enrolment) or exc.messages)
    return _done(
        request,
        enrolment,
        _("%(name)s graduated.") % {"name": enrolment.application.candidate.full_name},
    )


@role_required(*READER_ROLES)
@require_POST
def graduation_complete_stage(request: UserRequest, enrolment_id: int) -> HttpResponse:
    enrolment = selectors.access_enrolment(user=request.user, pk=enrolment_id, write=True)
    if enrolment.cohort.stage != TrainingStage.REGIONAL:
        return _render_trainee(
            request, enrolment, [_("Only a Stage I (regional) cohort is completed this way.")]
        )
    try:
        enrolment_complete_stage(
            enrolment=enrolment, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        return _render_trainee(request, enrolment, exc.messages)
    return _done(
        request,
        enrolment,
        _("%(name)s completed Stage I and may join a Stage II cohort.")
        % {"name": enrolment.application.candidate.full_name},
    )


@role_required(*READER_ROLES)
@require_POST
def graduation_medical(request: UserRequest, enrolment_id: int) -> HttpResponse:
    enrolment = selectors.access_enrolment(user=request.user, pk=enrolment_id, write=True)
    result, on = request.POST.get("passed", ""), parse_date(request.POST.get("on"))
    problems = []
    if result not in ("1", "0"):
        problems.append(_("Say whether the medical check was passed."))
    if on is None:
        problems.append(_("Give the date as YYYY-MM-DD."))
    if problems or on is None:
        return _render_trainee(request, enrolment, problems)
    try:
        enrolment_medical_record(enrolment=enrolment, passed=result == "1", on=on, by=request.user)
    except ValidationError as exc:
        return _render_trainee(request, enrolment, exc.messages)
    messages.success(request, _("The medical check result was recorded."))
    return redirect("training:graduation_trainee", enrolment_id=enrolment.pk)


@role_required(*READER_ROLES)
@require_http_methods(["GET", "POST"])
def graduation_drop_out(request: UserRequest, enrolment_id: int) -> HttpResponse:
    """A confirmation page: the reason is required, and so is ticking the confirmation."""
    enrolment = selectors.access_enrolment(user=request.user, pk=enrolment_id, write=True)
    errors: list[str] = []
    if request.method == "POST":
        if request.POST.get("confirm") != "1":
            errors.append(_("Tick the box to confirm that this trainee is sent home."))
        reason = request.POST.get("reason", "")
        if not reason.strip():
            errors.append(_("Give the reason."))
        if not errors:
            try:
                enrolment_drop_out(enrolment=enrolment, by=request.user, reason=reason)
            except ValidationError as exc:
                errors = list(exc.messages)
            else:
                return _done(
                    request,
                    enrolment,
                    _("%(name)s dropped out.")
                    % {"name": enrolment.application.candidate.full_name},
                )
    return render(
        request,
        "training/graduation_drop_out.html",
        {
            "enrolment": enrolment,
            "cohort": enrolment.cohort,
            "candidate": enrolment.application.candidate,
            "active": enrolment.state == EnrolmentState.ACTIVE,
            "errors": errors,
            "post": request.POST,
        },
        status=400 if errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("classes/<int:class_id>/attendance/", attendance_class, name="attendance_class"),
    path("classes/<int:class_id>/readiness/", readiness_class, name="readiness_class"),
    path("classes/<int:class_id>/alerts/", alerts_class, name="alerts_class"),
    path("trainees/<int:enrolment_id>/", graduation_trainee, name="graduation_trainee"),
    path("trainees/<int:enrolment_id>/graduate/", graduation_graduate, name="graduation_graduate"),
    path(
        "trainees/<int:enrolment_id>/complete-stage/",
        graduation_complete_stage,
        name="graduation_complete_stage",
    ),
    path("trainees/<int:enrolment_id>/medical/", graduation_medical, name="graduation_medical"),
    path("trainees/<int:enrolment_id>/drop-out/", graduation_drop_out, name="graduation_drop_out"),
]
