"""Spreadsheet import of job orders, for partners (their host companies) and the central
team: template (prefilled with their open job orders), upload (kept privately under a
random token), preview (every problem by row and column, nothing written), commit (every
row or none). A row whose reference is already imported changes that job order, or leaves
it as it is."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from magang.accounts.permissions import role_required
from magang.recruitment.services.imports import ImportFileError, max_import_bytes

from ..selectors.orders import editable_host_companies
from ..services import imports as service
from .common import UserRequest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_PROBLEMS = 500


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}),
    )


@require_GET
@role_required(*service.IMPORT_ROLES)
def import_template(request: UserRequest) -> HttpResponse:
    companies = list(editable_host_companies(user=request.user))
    content = service.orders_template(companies=companies)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="job-orders.xlsx"'
    return response


def _upload_page(
    request: HttpRequest, form: UploadForm, errors: list[str], status: int = 200
) -> HttpResponse:
    return render(
        request,
        "placement/import_upload.html",
        {"form": form, "file_errors": errors, "columns": service.COLUMNS},
        status=status,
    )


def _too_large_request(request: HttpRequest) -> bool:
    length = request.META.get("CONTENT_LENGTH") or "0"
    return length.isdigit() and int(length) > max_import_bytes() + 64 * 1024


@require_http_methods(["GET", "POST"])
@role_required(*service.IMPORT_ROLES)
@csrf_exempt  # only so the size is checked before the body is read: CSRF is checked below
def import_upload(request: UserRequest) -> HttpResponse:
    if request.method == "POST" and _too_large_request(request):
        message = _(
            "The file is larger than %(limit)s MB. Split it into smaller files and import them "
            "one after the other."
        ) % {"limit": f"{max_import_bytes() / 1024 / 1024:.1f}"}
        return _upload_page(request, UploadForm(), [message], status=413)
    return _import_upload(request)


@csrf_protect
def _import_upload(request: UserRequest) -> HttpResponse:
    if request.method != "POST":
        return _upload_page(request, UploadForm(), [])
    form = UploadForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored = service.order_upload_store(
                upload=upload, size=upload.size, user=request.user, file_name=upload.name or ""
            )
        except ValidationError as exc:
            errors.extend(exc.messages)
        else:
            return redirect("placement:import_preview", token=stored.token)
    return _upload_page(request, form, errors, status=400)


def _preview_page(
    request: HttpRequest,
    stored: service.StoredOrders,
    *,
    report: service.OrdersReport | None,
    file_errors: list[str],
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {"stored": stored, "report": report, "file_errors": file_errors}
    if report is not None:
        context["errors"] = report.errors[:SHOWN_PROBLEMS]
        context["truncated"] = len(report.errors) > SHOWN_PROBLEMS
        context["limit"] = SHOWN_PROBLEMS
    return render(request, "placement/import_preview.html", context, status=status)


@require_GET
@role_required(*service.IMPORT_ROLES)
def import_preview(request: UserRequest, token: str) -> HttpResponse:
    stored = service.access_order_upload(user=request.user, token=token)
    try:
        rows = service.orders_read(stored.path)
    except ImportFileError as exc:
        return _preview_page(request, stored, report=None, file_errors=exc.messages)
    report = service.orders_preview(user=request.user, rows=rows)
    return _preview_page(request, stored, report=report, file_errors=[])


@require_POST
@role_required(*service.IMPORT_ROLES)
def import_commit(request: UserRequest, token: str) -> HttpResponse:
    stored = service.access_order_upload(user=request.user, token=token)
    try:
        report = service.orders_import(user=request.user, rows=service.orders_read(stored.path))
    except ImportFileError as exc:
        return _preview_page(request, stored, report=None, file_errors=exc.messages, status=400)
    except service.OrdersImportRefused as exc:
        return _preview_page(request, stored, report=exc.report, file_errors=[], status=400)
    service.order_upload_discard(stored)
    if report.to_write:
        messages.success(
            request,
            _(
                "Imported %(file)s: %(new)s new job order(s), %(changed)s changed, "
                "%(unchanged)s already as in the file."
            )
            % {
                "file": stored.file_name,
                "new": report.new,
                "changed": report.changed,
                "unchanged": report.unchanged,
            },
        )
    else:
        messages.info(
            request,
            _("Nothing changed: every job order of %(file)s is already as in the file.")
            % {"file": stored.file_name},
        )
    return redirect("placement:order_list")


urlpatterns: list[URLPattern] = [
    path("orders/import/", import_upload, name="import_upload"),
    path("orders/import/template.xlsx", import_template, name="import_template"),
    path("orders/import/<str:token>/", import_preview, name="import_preview"),
    path("orders/import/<str:token>/commit/", import_commit, name="import_commit"),
]
