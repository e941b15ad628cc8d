"""Grade pages: a class's gradebook (scores by module, module averages, the weighted total),
a new assessment, an assessment's score grid (one input per trainee, saved all at once,
refused row by row), and the XLSX import of its scores (template, upload, preview with
problems by row, commit of every row or none). Training staff of the centre act; the
central team, leadership and administrators read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from magang.accounts.models import User
from magang.accounts.permissions import role_required
from magang.recruitment.services.imports import ImportFileError, max_import_bytes

from .. import services
from ..access import READER_ROLES, may_manage
from ..models import Assessment, AssessmentKind, Module, TrainingClass
from ..selectors import grades as selectors
from ..selectors.readiness import access_class
from ..selectors.timetable import session_modules
from ..services import imports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_PROBLEMS = 500


class StaffRequest(HttpRequest):
    user: User


@require_GET
@role_required(*READER_ROLES)
def gradebook(request: StaffRequest, pk: int) -> HttpResponse:
    klass = access_class(user=request.user, pk=pk)
    return render(
        request,
        "training/gradebook.html",
        {
            "klass": klass,
            "cohort": klass.cohort,
            "book": selectors.gradebook(klass),
            "acts": may_manage(request.user, klass.cohort),
        },
    )


class AssessmentForm(forms.Form):
    module = forms.ModelChoiceField(label=gettext_lazy("Module"), queryset=Module.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=AssessmentKind.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    held_on = forms.DateField(
        label=gettext_lazy("Held on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    max_score = forms.DecimalField(
        label=gettext_lazy("Highest score"), max_digits=6, decimal_places=2, min_value=0.01,
        initial=100,
    )  # fmt: skip
    weight = forms.DecimalField(
        label=gettext_lazy("Weight within its module"), max_digits=5, decimal_places=2,
        min_value=0, initial=1,
    )  # fmt: skip

    def __init__(self, *args: Any, training_class: TrainingClass, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        module = self.fields["module"]
        assert isinstance(module, forms.ModelChoiceField)  # noqa: S101 - declared above
        module.queryset = session_modules(training_class)


@require_http_methods(["GET", "POST"])
@role_required(*READER_ROLES)
def assessment_create(request: StaffRequest, pk: int) -> HttpResponse:
    """A new assessment of the class's cohort (every class of it takes it)."""
    klass = access_class(user=request.user, pk=pk, write=True)
    if request.method == "POST":
        form = AssessmentForm(request.POST, training_class=klass)
        if form.is_valid():
            try:
                assessment = services.assessment_create(
                    cohort=klass.cohort, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("%(name)s was created.") % {"name": assessment.name})
                return redirect(score_grid_url(assessment, klass.pk))
    else:
        form = AssessmentForm(initial={"held_on": timezone.localdate()}, training_class=klass)
    return render(
        request,
        "training/score_assessment_form.html",
        {"klass": klass, "cohort": klass.cohort, "form": form},
        status=400 if form.errors else 200,
    )


def score_grid_url(assessment: Assessment, class_pk: int | None) -> str:
    url = reverse("training:score_grid", args=[assessment.pk])
    return f"{url}?class={class_pk}" if class_pk else url


def _class_filter(request: StaffRequest, assessment: Assessment) -> TrainingClass | None:
    raw = request.GET.get("class", "")
    if not raw.isdigit() or len(raw) > 12:
        return None
    return TrainingClass.objects.filter(cohort_id=assessment.cohort_id, pk=int(raw)).first()


def _grid_save(
    request: StaffRequest, assessment: Assessment, rows: list[selectors.ScoreRow]
) -> list[str] | None:
    """Save what the grid's inputs changed, all or none: None when saved; otherwise each
    refused row says why, and what concerns no single row is returned."""
    scores: dict[int, object] = {}
    versions: dict[int, int] = {}
    for row in rows:
        pk = row.enrolment.pk
        row.value = request.POST.get(f"score-{pk}", "").strip()[:20]
        row.was = request.POST.get(f"was-{pk}", row.was).strip()[:20]
        seen = request.POST.get(f"version-{pk}", "")
        row.version = int(seen) if seen.isdigit() and len(seen) <= 9 else row.version
        if row.value == row.was or not row.value:
            continue  # untouched (or emptied: a recorded score is never removed here)
        try:
            services.score_parse(assessment, row.value)
        except ValidationError as exc:
            row.error = " ".join(exc.messages)
            continue
        scores[pk], versions[pk] = row.value, row.version
    if any(row.error for row in rows):
        return []
    try:
        services.scores_save(
            assessment=assessment, scores=scores, versions=versions, by=request.user
        )
    except ValidationError as exc:
        # Someone saved meanwhile: show their score and take their version, so saving again
        # is a decision made knowing it.
        for row in rows:
            pk = row.enrolment.pk
            current = row.score.version if row.score is not None else 0
            if pk in versions and versions[pk] != current and row.score is not None:
                row.error = _("Changed meanwhile to %(score)s; check and save again.") % {
                    "score": selectors.plain(row.score.score)
                }
                row.now = selectors.plain(row.score.score)
                row.was, row.version = row.now, current
        return [] if any(row.error for row in rows) else exc.messages
    return None


@require_http_methods(["GET", "POST"])
@role_required(*READER_ROLES)
def score_grid(request: StaffRequest, pk: int) -> HttpResponse:
    assessment = selectors.access_assessment(
        user=request.user, pk=pk, write=request.method == "POST"
    )
    klass = _class_filter(request, assessment)
    rows = selectors.score_rows(
        assessment=assessment, training_class=klass.pk if klass is not None else None
    )
    problems: list[str] | None = []
    if request.method == "POST":
        problems = _grid_save(request, assessment, rows)
        if problems is None:
            messages.success(request, _("The scores were saved."))
            return redirect(score_grid_url(assessment, klass.pk if klass else None))
    return render(
        request,
        "training/score_grid.html",
        {
            "assessment": assessment,
            "cohort": assessment.cohort,
            "klass": klass,
            "rows": rows,
            "errors": sum(1 for row in rows if row.error),
            "problems": problems,
            "acts": may_manage(request.user, assessment.cohort),
            "highest": selectors.plain(assessment.max_score),
        },
        status=200 if request.method == "GET" else 400,
    )


# --- The XLSX import ------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}),
    )


@require_GET
@role_required(*READER_ROLES)
def import_template(request: StaffRequest, pk: int) -> HttpResponse:
    assessment = selectors.access_assessment(user=request.user, pk=pk)
    response = HttpResponse(imports.scores_template(assessment=assessment), content_type=XLSX)
    name = f"scores-{slugify(assessment.cohort.code)}-{slugify(assessment.name)}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _upload_page(
    request: HttpRequest, assessment: Assessment, form: UploadForm, errors: list[str],
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    return render(
        request,
        "training/import_upload.html",
        {
            "assessment": assessment,
            "cohort": assessment.cohort,
            "form": form,
            "file_errors": errors,
            "columns": imports.COLUMNS,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(*READER_ROLES)
@csrf_exempt  # only so the size is checked before the body is read: CSRF is checked below
def import_upload(request: StaffRequest, pk: int) -> HttpResponse:
    assessment = selectors.access_assessment(user=request.user, pk=pk, write=True)
    length = request.META.get("CONTENT_LENGTH") or "0"
    if request.method == "POST" and length.isdigit() and int(length) > max_import_bytes() + 65536:
        message = _(
            "The file is larger than %(limit)s MB. Split it into smaller files and import them "
            "one after the other."
        ) % {"limit": f"{max_import_bytes() / 1024 / 1024:.1f}"}
        return _upload_page(request, assessment, UploadForm(), [message], status=413)
    return _import_upload(request, assessment)


@csrf_protect
def _import_upload(request: StaffRequest, assessment: Assessment) -> HttpResponse:
    if request.method != "POST":
        return _upload_page(request, assessment, UploadForm(), [])
    form = UploadForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored = imports.score_upload_store(
                upload=upload, size=upload.size, user=request.user, assessment=assessment,
                file_name=upload.name or "",
            )  # fmt: skip
        except ValidationError as exc:
            errors.extend(exc.messages)
        else:
            return redirect("training:import_preview", pk=assessment.pk, token=stored.token)
    return _upload_page(request, assessment, form, errors, status=400)


def _render_preview(
    request: HttpRequest,
    stored: imports.StoredScores,
    assessment: Assessment,
    *,
    report: imports.ScoresReport | None,
    file_errors: list[str],
    status: int = 200,
) -> HttpResponse:
    limit = None if request.GET.get("all") == "1" else SHOWN_PROBLEMS
    context: dict[str, Any] = {
        "stored": stored,
        "assessment": assessment,
        "cohort": assessment.cohort,
        "report": report,
        "file_errors": file_errors,
        "limit": SHOWN_PROBLEMS,
    }
    if report is not None:
        context.update(
            errors=report.errors[:limit],
            warnings=report.warnings[:limit],
            changes=report.changes[:limit],
            truncated=limit is not None
            and max(len(report.errors), len(report.warnings), len(report.changes)) > limit,
        )
    return render(request, "training/import_preview.html", context, status=status)


def _stored(request: StaffRequest, pk: int, token: str) -> tuple[imports.StoredScores, Assessment]:
    """The user's upload and the assessment it goes into; 404 when either is not theirs."""
    assessment = selectors.access_assessment(user=request.user, pk=pk, write=True)
    stored = imports.access_score_upload(user=request.user, token=token, assessment=assessment)
    return stored, assessment


@require_GET
@role_required(*READER_ROLES)
def import_preview(request: StaffRequest, pk: int, token: str) -> HttpResponse:
    stored, assessment = _stored(request, pk, token)
    try:
        rows = imports.scores_read(stored.path)
    except ImportFileError as exc:
        return _render_preview(request, stored, assessment, report=None, file_errors=exc.messages)
    report = imports.scores_preview(assessment=assessment, rows=rows)
    return _render_preview(request, stored, assessment, report=report, file_errors=[])


@require_POST
@role_required(*READER_ROLES)
def import_commit(request: StaffRequest, pk: int, token: str) -> HttpResponse:
    stored, assessment = _stored(request, pk, token)
    try:
        rows = imports.scores_read(stored.path)
        report = imports.scores_import(
            assessment=assessment, rows=rows, by=request.user, file_name=stored.file_name,
            fingerprint=request.POST.get("fingerprint") or None,
        )  # fmt: skip
    except ImportFileError as exc:
        return _render_preview(
            request, stored, assessment, report=None, file_errors=exc.messages, status=400
        )
    except imports.ScoresImportRefused as exc:
        return _render_preview(
            request, stored, assessment, report=exc.report, file_errors=[], status=400
        )
    except imports.ScoresChanged as exc:
        messages.error(request, exc.messages[0])
        return redirect("training:import_preview", pk=assessment.pk, token=stored.token)
    imports.score_upload_discard(stored)
    if report.to_write:
        messages.success(
            request,
            _(
                "Imported %(file)s: %(new)s new score(s), %(changed)s changed, %(unchanged)s "
                "already recorded as in the file."
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
            _("Nothing changed: every score in %(file)s is already recorded as in the file.")
            % {"file": stored.file_name},
        )
    return HttpResponseRedirect(score_grid_url(assessment, None))


urlpatterns: list[URLPattern] = [
    path("classes/<int:pk>/gradebook/", gradebook, name="gradebook"),
    path("classes/<int:pk>/assessments/new/", assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/scores/", score_grid, name="score_grid"),
    path("assessments/<int:pk>/import/", import_upload, name="import_upload"),
    path("assessments/<int:pk>/import/template.xlsx", import_template, name="import_template"),
    path("assessments/<int:pk>/import/<str:token>/", import_preview, name="import_preview"),
    path("assessments/<int:pk>/import/<str:token>/commit/", import_commit, name="import_commit"),
]
