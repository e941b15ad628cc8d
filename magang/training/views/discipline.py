"""Discipline pages: a cohort's (or one class's) merits and demerits, each trainee's points,
and the form to record one. Training staff of the centre record; the central team,
leadership and administrators read."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from magang.accounts.models import User
from magang.accounts.permissions import role_required

from ..access import READER_ROLES, access_cohort, may_manage
from ..models import Cohort, DisciplineKind, TrainingClass
from ..selectors import discipline as selectors
from ..selectors.readiness import access_enrolment
from ..services import discipline_record
from .dormitory import number


class UserRequest(HttpRequest):
    user: User


def parse_date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip()[:10])
    except ValueError:
        return None


def _class_filter(request: HttpRequest, cohort: Cohort) -> TrainingClass | None:
    raw = request.GET.get("class", "")
    if not raw:
        return None
    pk = number(raw)
    training_class = cohort.classes.filter(pk=pk).first() if pk is not None else None
    if training_class is None:
        raise Http404("No such class in this cohort.")
    return training_class


def _record(request: UserRequest, cohort: Cohort) -> list[str]:
    """Record the posted merit or demerit; the problems, if any."""
    enrolment_id = number(request.POST.get("enrolment"))
    if enrolment_id is None:
        return [_("Choose the trainee.")]
    enrolment = access_enrolment(user=request.user, pk=enrolment_id, write=True)
    if enrolment.cohort_id != cohort.pk:
        raise Http404("No such trainee in this cohort.")
    occurred_on = parse_date(request.POST.get("occurred_on"))
    if occurred_on is None:
        return [_("Give the date as YYYY-MM-DD.")]
    try:
        discipline_record(
            enrolment=enrolment,
            kind=request.POST.get("kind", ""),
            points=number(request.POST.get("points")) or 0,
            occurred_on=occurred_on,
            description=request.POST.get("description", ""),
            by=request.user,
        )
    except ValidationError as exc:
        return list(exc.messages)
    return []


@role_required(*READER_ROLES)
@require_http_methods(["GET", "POST"])
def discipline_list(request: UserRequest, cohort_id: int) -> HttpResponse:
    cohort = access_cohort(user=request.user, pk=cohort_id, write=request.method == "POST")
    training_class = _class_filter(request, cohort)
    errors: list[str] = []
    if request.method == "POST":
        errors = _record(request, cohort)
        if not errors:
            messages.success(request, _("The record was saved."))
            url = reverse("training:discipline_list", args=[cohort.pk])
            return redirect(f"{url}?class={training_class.pk}" if training_class else url)
    manages = may_manage(request.user, cohort)
    records = selectors.discipline_records(cohort=cohort, training_class=training_class)
    return render(
        request,
        "training/discipline_list.html",
        {
            "cohort": cohort,
            "training_class": training_class,
            "classes": cohort.classes.order_by("name"),
            "page": Paginator(records, 50).get_page(request.GET.get("page")),
            "totals": selectors.discipline_totals(cohort=cohort, training_class=training_class),
            "trainees": (
                selectors.recordable_trainees(cohort=cohort, training_class=training_class)
                if manages
                else []
            ),
            "kinds": DisciplineKind.choices,
            "manages": manages,
            "today": timezone.localdate(),
            "errors": errors,
            "post": request.POST,
        },
        status=400 if errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("cohorts/<int:cohort_id>/discipline/", discipline_list, name="discipline_list"),
]
