"""Spreadsheet import of one stage's results at one selection site.

Template (prefilled with the people in the running), upload (kept privately under a random
token by the registration import's storage), preview (every problem by row and column,
nothing written), commit (every row or none). The same people as the grid: regional
officers for their own sites' site-recorded stages, the central team and administrators
everywhere; leadership may download the sheet but not import.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from magang.accounts.models import User
from magang.accounts.permissions import role_required
from magang.recruitment.services.imports import (
    ImportFileError,
    StoredImport,
    access_import,
    import_discard,
    import_store,
    max_import_bytes,
)

from .. import selectors
from ..services import imports as service
from .grid import grid_url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_PROBLEMS = 500


class ImportRequest(HttpRequest):
    user: User


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}),
    )


@require_GET
@role_required(*selectors.GRID_ROLES)
def import_template(request: ImportRequest, stage: int, site: int) -> HttpResponse:
    access = selectors.access_grid(user=request.user, stage_pk=stage, site_pk=site)
    workbook = service.results_template(access=access, by=request.user)
    response = HttpResponse(workbook, content_type=XLSX)
    name = f"results-{slugify(access.stage.key)}-{slugify(access.site.name)}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _too_large_request(request: HttpRequest) -> bool:
    length = request.META.get("CONTENT_LENGTH") or "0"
    return length.isdigit() and int(length) > max_import_bytes() + 64 * 1024


def _upload_page(
    request: HttpRequest,
    access: selectors.GridAccess,
    form: UploadForm,
    errors: list[str],
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "selection/import_upload.html",
        {
            "access": access,
            "stage": access.stage,
            "site": access.site,
            "stage_name": selectors.stage_name(access.stage),
            "columns": service.template_columns(access.stage),
            "form": form,
            "file_errors": errors,
            "grid_url": grid_url(access),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(*selectors.GRID_ROLES)
@csrf_exempt  # only so the size is checked before the body is read: CSRF is checked below
def import_upload(request: ImportRequest, stage: int, site: int) -> HttpResponse:
    access = selectors.access_grid(user=request.user, stage_pk=stage, site_pk=site, write=True)
    if request.method == "POST" and _too_large_request(request):
        message = _(
            "The file is larger than %(limit)s MB. Split it into smaller files and import them "
            "one after the other."
        ) % {"limit": f"{max_import_bytes() / 1024 / 1024:.1f}"}
        return _upload_page(request, access, UploadForm(), [message], status=413)
    return _import_upload(request, access)


@csrf_protect
def _import_upload(request: ImportRequest, access: selectors.GridAccess) -> HttpResponse:
    if request.method != "POST":
        return _upload_page(request, access, UploadForm(), [])
    form = UploadForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored = import_store(
                upload=upload,
                size=upload.size,
                user=request.user,
                site=access.site,
                file_name=upload.name or "",
            )
        except ValidationError as exc:
            errors.extend(exc.messages)
        else:
            return redirect("selection:import_preview", stage=access.stage.pk, token=stored.token)
    return _upload_page(request, access, form, errors, status=400)


def _stored(request: ImportRequest, stage: int, token: str) -> tuple[StoredImport, Any]:
    """The user's upload and the grid it goes into; 404 when either is not theirs."""
    stored = access_import(user=request.user, token=token)
    access = selectors.access_grid(
        user=request.user, stage_pk=stage, site_pk=stored.site.pk, write=True
    )
    return stored, access


def _render_preview(
    request: HttpRequest,
    stored: StoredImport,
    access: selectors.GridAccess,
    *,
    report: service.ResultsReport | None,
    file_errors: list[str],
    status: int = 200,
) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    limit = None if show_all else SHOWN_PROBLEMS
    context: dict[str, Any] = {
        "stored": stored,
        "access": access,
        "stage": access.stage,
        "site": access.site,
        "stage_name": selectors.stage_name(access.stage),
        "report": report,
        "file_errors": file_errors,
        "limit": SHOWN_PROBLEMS,
        "grid_url": grid_url(access),
    }
    if report is not None:
        context.update(
            errors=report.errors[:limit],
            warnings=report.warnings[:limit],
            changes=report.changes[:limit],
            truncated=not show_all
            and max(len(report.errors), len(report.warnings), len(report.changes)) > SHOWN_PROBLEMS,
        )
    return render(request, "selection/import_preview.html", context, status=status)


@require_GET
@role_required(*selectors.GRID_ROLES)
def import_preview(request: ImportRequest, stage: int, token: str) -> HttpResponse:
    stored, access = _stored(request, stage, token)
    try:
        rows = service.results_read(stored.path, stage=access.stage)
    except ImportFileError as exc:
        return _render_preview(request, stored, access, report=None, file_errors=exc.messages)
    report = service.results_preview(access=access, rows=rows)
    return _render_preview(request, stored, access, report=report, file_errors=[])


@require_POST
@role_required(*selectors.GRID_ROLES)
def import_commit(request: ImportRequest, stage: int, token: str) -> HttpResponse:
    stored, access = _stored(request, stage, token)
    try:
        rows = service.results_read(stored.path, stage=access.stage)
        report = service.results_import(
            access=access,
            rows=rows,
            by=request.user,
            file_name=stored.file_name,
            fingerprint=request.POST.get("fingerprint") or None,
        )
    except ImportFileError as exc:
        return _render_preview(
            request, stored, access, report=None, file_errors=exc.messages, status=400
        )
    except service.ResultsImportRefused as exc:
        return _render_preview(
            request, stored, access, report=exc.report, file_errors=[], status=400
        )
    except service.ResultsChanged as exc:
        messages.error(request, exc.messages[0])
        return redirect("selection:import_preview", stage=access.stage.pk, token=stored.token)
    import_discard(stored)
    if report.to_write:
        messages.success(
            request,
            _(
                "Imported %(file)s: %(new)s result(s) recorded, %(changed)s changed, "
                "%(unchanged)s already recorded as in the file."
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
            _("Nothing changed: every row of %(file)s is already recorded as in the file.")
            % {"file": stored.file_name},
        )
    return HttpResponseRedirect(grid_url(access))


urlpatterns: list[URLPattern] = [
    path("import/<int:stage>/<int:site>/", import_upload, name="import_upload"),
    path("import/<int:stage>/<int:site>/template.xlsx", import_template, name="import_template"),
    path("import/<int:stage>/file/<str:token>/", import_preview, name="import_preview"),
    path("import/<int:stage>/file/<str:token>/commit/", import_commit, name="import_commit"),
]
