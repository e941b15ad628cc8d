"""Departure pages: every matched intern's departure file with its checklist (warnings for
anything missing, or a passport that expires before the stay ends), one file's numbers and
dates, the batches, a batch's interns and the interns it may take, the printable manifest
and the record that a batch has left. Also each application's curriculum vitae (PDF).

The central team acts; leadership and administrators read; a partner or a host company
reads only the files of its own job orders (another's answer "not found") and never
changes documents."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from magang.accounts.models import Role
from magang.accounts.permissions import role_required
from magang.recruitment.journey import InvalidTransition

from ..cv import cv_attachment
from ..models import DepartureBatch, DepartureFile
from ..selectors import departure as selectors
from ..services.departure import (
    DOCUMENT_FIELDS,
    batch_add,
    batch_create,
    batch_depart,
    departure_file_update,
)
from .common import UserRequest, indonesian, refused

PAGE_SIZE = 100
MEDICAL_CHOICES = [
    ("", gettext_lazy("Not yet")),
    ("1", gettext_lazy("Passed")),
    ("0", gettext_lazy("Not passed")),
]


def _yes_no(value: str) -> bool:
    return value == "1"


class DateInput(forms.DateInput):
    """The browser's date picker reads and sends ISO dates, whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DepartureFileForm(forms.Form):
    """The checklist's numbers and dates; labels are the model's."""

    passport_number = forms.CharField(max_length=20, required=False)
    passport_pages = forms.IntegerField(min_value=1, max_value=200, required=False)
    passport_expires_on = forms.DateField(required=False, widget=DateInput)
    training_plan_number = forms.CharField(max_length=40, required=False)
    training_plan_certified_on = forms.DateField(required=False, widget=DateInput)
    coe_number = forms.CharField(max_length=40, required=False)
    coe_issued_on = forms.DateField(required=False, widget=DateInput)
    visa_number = forms.CharField(max_length=40, required=False)
    visa_issued_on = forms.DateField(required=False, widget=DateInput)
    medical_checked_on = forms.DateField(required=False, widget=DateInput)
    medical_passed = forms.TypedChoiceField(
        choices=MEDICAL_CHOICES, coerce=_yes_no, empty_value=None, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            model_field = DepartureFile._meta.get_field(name)
            if isinstance(model_field, models.Field):
                field.label = capfirst(model_field.verbose_name)

    @staticmethod
    def initial_of(file: DepartureFile) -> dict[str, Any]:
        initial = {name: getattr(file, name) for name in DOCUMENT_FIELDS}
        medical = file.medical_passed
        initial["medical_passed"] = "" if medical is None else ("1" if medical else "0")
        return initial

    def changes(self, file: DepartureFile) -> dict[str, Any]:
        """Only what differs from the file, so the audit row names what changed."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in DOCUMENT_FIELDS and getattr(file, name) != value
        }


class BatchForm(forms.Form):
    departs_on = forms.DateField(label=gettext_lazy("Departure date"), widget=DateInput)
    flight = forms.CharField(label=gettext_lazy("Flight"), max_length=20)
    airport = forms.CharField(
        label=gettext_lazy("Airport"), max_length=60, initial="Soekarno-Hatta (CGK)"
    )
    arrives_at = forms.CharField(
        label=gettext_lazy("Arrival airport"), max_length=60, required=False
    )


# --- Files ------------------------------------------------------------------------------


@require_GET
@role_required(*selectors.DEPARTURE_READERS)
def departure_file_list(request: UserRequest) -> HttpResponse:
    filters = selectors.FileFilters.from_query(request.GET)
    rows = selectors.departure_file_rows(user=request.user, filters=filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "placement/departure_list.html",
        {
            "page": page,
            "filters": filters,
            "indonesian": indonesian(),
            "acts": selectors.may_record_departure(request.user),
        },
    )


def _file_page(
    request: UserRequest, file: DepartureFile, form: DepartureFileForm | None, status: int = 200
) -> HttpResponse:
    acts = selectors.may_record_departure(request.user)
    if acts and form is None:
        form = DepartureFileForm(initial=DepartureFileForm.initial_of(file))
    return render(
        request,
        "placement/departure_file.html",
        {
            "file": file,
            "row": selectors.file_row(file),
            "form": form if acts else None,
            "acts": acts,
            "indonesian": indonesian(),
        },
        status=status,
    )


@role_required(*selectors.DEPARTURE_READERS)
@require_http_methods(["GET", "POST"])
def departure_file_detail(request: UserRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return _file_page(request, selectors.access_departure_file(user=request.user, pk=pk), None)
    file = selectors.access_departure_file(user=request.user, pk=pk, write=True)
    form = DepartureFileForm(request.POST)
    if form.is_valid():
        changes = form.changes(file)
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect("placement:departure_file_detail", pk=file.pk)
        try:
            departure_file_update(file=file, changes=changes, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The departure file was saved."))
            return redirect("placement:departure_file_detail", pk=file.pk)
    # The refused changes stay in the form; the page shows the file as stored.
    file = selectors.access_departure_file(user=request.user, pk=pk)
    return _file_page(request, file, form, status=400)


# --- Batches ----------------------------------------------------------------------------


def _batch_list_page(request: UserRequest, form: BatchForm, status: int = 200) -> HttpResponse:
    acts = selectors.may_record_departure(request.user)
    return render(
        request,
        "placement/batch_list.html",
        {
            "batches": selectors.batch_list(user=request.user),
            "form": form if acts else None,
            "acts": acts,
        },
        status=status,
    )


@role_required(*selectors.DEPARTURE_READERS)
@require_http_methods(["GET", "POST"])
def batch_list(request: UserRequest) -> HttpResponse:
    if request.method != "POST":
        return _batch_list_page(request, BatchForm())
    if not selectors.may_record_departure(request.user):
        raise PermissionDenied
    form = BatchForm(request.POST)
    if form.is_valid():
        try:
            batch = batch_create(**form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request, _("Batch %(batch)s was created. Add the interns.") % {"batch": batch}
            )
            return redirect("placement:batch_detail", pk=batch.pk)
    return _batch_list_page(request, form, status=400)


@require_GET
@role_required(*selectors.DEPARTURE_READERS)
def batch_detail(request: UserRequest, pk: int) -> HttpResponse:
    batch = selectors.access_batch(user=request.user, pk=pk)
    acts = selectors.may_record_departure(request.user)
    candidates = (
        selectors.batch_candidates(batch=batch) if acts and batch.departed_at is None else None
    )
    return render(
        request,
        "placement/batch_detail.html",
        {
            "batch": batch,
            "members": selectors.batch_members(batch=batch, user=request.user),
            "candidates": candidates,
            "acts": acts,
            "indonesian": indonesian(),
        },
    )


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 10]


@require_POST
@role_required(Role.CENTRAL_TEAM)
def batch_add_interns(request: UserRequest, pk: int) -> HttpResponse:
    batch = selectors.access_batch(user=request.user, pk=pk, write=True)
    ids = _ids(request.POST.getlist("files"))
    files = list(
        DepartureFile.objects.filter(pk__in=ids)
        .select_related(*selectors.FILE_RELATED)
        .order_by("application__registration_number")
    )
    if not files:
        messages.error(request, _("Choose at least one intern."))
        return redirect("placement:batch_detail", pk=batch.pk)
    try:
        added = batch_add(batch=batch, files=files, by=request.user)
    except ValidationError as exc:
        messages.error(request, _("Nobody was added:"))
        refused(request, exc)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s intern was added to the batch.",
                "%(count)s interns were added to the batch.",
                added,
            )
            % {"count": added},
        )
    return redirect("placement:batch_detail", pk=batch.pk)


@require_POST
@role_required(Role.CENTRAL_TEAM)
def batch_record_departed(request: UserRequest, pk: int) -> HttpResponse:
    batch = selectors.access_batch(user=request.user, pk=pk, write=True)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm that the batch has left."))
        return redirect("placement:batch_detail", pk=batch.pk)
    try:
        departed = batch_depart(batch=batch, by=request.user)
    except ValidationError as exc:
        refused(request, exc)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            ngettext(
                "Recorded as departed: %(count)s intern is now in the internship records.",
                "Recorded as departed: %(count)s interns are now in the internship records.",
                departed,
            )
            % {"count": departed},
        )
    return redirect("placement:batch_detail", pk=batch.pk)


@require_GET
@role_required(*selectors.DEPARTURE_READERS)
def batch_manifest(request: UserRequest, pk: int) -> HttpResponse:
    batch: DepartureBatch = selectors.access_batch(user=request.user, pk=pk)
    return render(
        request,
        "placement/manifest.html",
        {
            "batch": batch,
            "rows": selectors.batch_manifest(batch=batch, user=request.user),
            "printed_at": timezone.localtime(),
        },
    )


# --- Curriculum vitae -------------------------------------------------------------------


@require_GET
@role_required(*selectors.DEPARTURE_READERS)
def cv(request: UserRequest, application_id: int) -> HttpResponse:
    """The application's curriculum vitae as a PDF attachment."""
    application, order = selectors.access_cv(user=request.user, application_id=application_id)
    return cv_attachment(application=application, job_order=order, user=request.user)


urlpatterns: list[URLPattern] = [
    path("departure/", departure_file_list, name="departure_file_list"),
    path("departure/<int:pk>/", departure_file_detail, name="departure_file_detail"),
    path("departure/batches/", batch_list, name="batch_list"),
    path("departure/batches/<int:pk>/", batch_detail, name="batch_detail"),
    path("departure/batches/<int:pk>/add/", batch_add_interns, name="batch_add"),
    path("departure/batches/<int:pk>/depart/", batch_record_departed, name="batch_depart"),
    path("departure/batches/<int:pk>/manifest/", batch_manifest, name="batch_manifest"),
    path("applications/<int:application_id>/cv.pdf", cv, name="cv"),
]
