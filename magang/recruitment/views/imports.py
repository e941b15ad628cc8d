"""Spreadsheet import of registrations for regional officers.

Upload (the file is kept privately under a random token), preview (every problem by row and
column, nothing written), commit (all rows or none). Regional officers import into their own
sites; the central team and administrators into any site; leadership only reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from magang.accounts.models import Role
from magang.accounts.permissions import role_required

from ..models import SelectionSite
from ..services import imports as service

IMPORTERS = (Role.REGIONAL_OFFICER, Role.CENTRAL_TEAM, Role.ADMINISTRATOR)
# The preview lists this many problems unless asked for all of them.
SHOWN_PROBLEMS = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SiteChoiceField(forms.ModelChoiceField[SelectionSite]):
    def label_from_instance(self, obj: SelectionSite) -> str:
        return f"{obj.round.year} · {obj.name}"


class UploadForm(forms.Form):
    site = SiteChoiceField(
        label=gettext_lazy("Selection site"), queryset=SelectionSite.objects.none()
    )
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["site"]
        assert isinstance(field, SiteChoiceField)  # noqa: S101 - narrows the type
        # Current rounds only: a round closed over a year ago takes no more registrations.
        recent = timezone.localdate() - dt.timedelta(days=365)
        field.queryset = (
            service.importable_sites(user=user)
            .filter(round__closes_on__gte=recent)
            .select_related("round")
            .order_by("-round__year", "name")
        )


@require_GET
@role_required(*IMPORTERS)
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(service.import_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="magang-import-template.xlsx"'
    return response


def _too_large_request(request: HttpRequest) -> bool:
    length = request.META.get("CONTENT_LENGTH") or "0"
    return length.isdigit() and int(length) > service.max_import_bytes() + 64 * 1024


def _upload_page(
    request: HttpRequest, form: UploadForm, errors: list[str], status: int = 200
) -> HttpResponse:
    return render(
        request,
        "recruitment/imports/upload.html",
        {"form": form, "file_errors": errors, "columns": service.COLUMNS},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(*IMPORTERS)
@csrf_exempt  # only so the size is checked before the body is read: CSRF is checked below
def import_upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and _too_large_request(request):
        message = _(
            "The file is larger than %(limit)s MB. Split it into smaller files and import them "
            "one after the other."
        ) % {"limit": f"{service.max_import_bytes() / 1024 / 1024:.1f}"}
        return _upload_page(request, UploadForm(user=request.user), [message], status=413)
    return _import_upload(request)


@csrf_protect
def _import_upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _upload_page(request, UploadForm(user=request.user), [])
    form = UploadForm(request.POST, request.FILES, user=request.user)
    errors: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored = service.import_store(
                upload=upload,
                size=upload.size,
                user=request.user,  # type: ignore[arg-type]
                site=form.cleaned_data["site"],
                file_name=upload.name or "",
            )
        except ValidationError as exc:
            errors.extend(exc.messages)
        else:
            return redirect("recruitment:import_preview", token=stored.token)
    return _upload_page(request, form, errors, status=400)


def _render_preview(
    request: HttpRequest,
    stored: service.StoredImport,
    *,
    report: service.ImportReport | None,
    file_errors: list[str],
    status: int = 200,
) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    limit = None if show_all else SHOWN_PROBLEMS
    context: dict[str, Any] = {
        "stored": stored,
        "site": stored.site,
        "report": report,
        "file_errors": file_errors,
        "limit": SHOWN_PROBLEMS,
    }
    if report is not None:
        context.update(
            errors=report.errors[:limit],
            warnings=report.warnings[:limit],
            history=report.history[:limit],
            truncated=not show_all
            and max(len(report.errors), len(report.warnings), len(report.history)) > SHOWN_PROBLEMS,
        )
    return render(request, "recruitment/imports/preview.html", context, status=status)


@require_GET
@role_required(*IMPORTERS)
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    stored = service.access_import(user=request.user, token=token)
    try:
        sheet = service.workbook_read(stored.path)
    except service.ImportFileError as exc:
        return _render_preview(request, stored, report=None, file_errors=exc.messages)
    report = service.import_preview(site=stored.site, rows=sheet.rows, sha256=stored.sha256)
    return _render_preview(request, stored, report=report, file_errors=[])


@require_POST
@role_required(*IMPORTERS)
def import_commit(request: HttpRequest, token: str) -> HttpResponse:
    stored = service.access_import(user=request.user, token=token)
    try:
        sheet = service.workbook_read(stored.path)
        batch = service.registrations_import(
            site=stored.site,
            rows=sheet.rows,
            by=request.user,  # type: ignore[arg-type]
            file_name=stored.file_name,
            sha256=stored.sha256,
        )
    except service.ImportFileError as exc:
        return _render_preview(request, stored, report=None, file_errors=exc.messages, status=400)
    except service.ImportRefused as exc:
        return _render_preview(request, stored, report=exc.report, file_errors=[], status=400)
    except service.AlreadyImported as exc:
        service.import_discard(stored)
        messages.info(request, exc.messages[0])
        return redirect("recruitment:import_upload")
    except service.ImportConflict as exc:
        messages.error(request, exc.messages[0])
        return redirect("recruitment:import_preview", token=stored.token)
    service.import_discard(stored)
    messages.success(
        request,
        _(
            "Imported %(file)s into %(site)s: %(created)s new application(s), %(unchanged)s "
            "already present and left unchanged."
        )
        % {
            "file": batch.file_name,
            "site": stored.site.name,
            "created": batch.created,
            "unchanged": batch.unchanged,
        },
    )
    return HttpResponseRedirect(f"{reverse('recruitment:application_list')}?site={stored.site.pk}")


urlpatterns: list[URLPattern] = [
    path("import/", import_upload, name="import_upload"),
    path("import/template.xlsx", import_template, name="import_template"),
    path("import/<str:token>/", import_preview, name="import_preview"),
    path("import/<str:token>/commit/", import_commit, name="import_commit"),
]
