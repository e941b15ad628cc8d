"""The candidate's own application: what its status means, uploading its documents, and
downloading a stored document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from .. import selectors, services
from ..forms import DocumentUploadForm
from ..journey import Status
from ..models import Application, Document, DocumentType
from ..services.documents import SUFFIX, max_upload_bytes
from .common import CandidateRequest, reader_language

# What each status means for the person who applied, in plain words.
STATUS_EXPLANATIONS: Mapping[str, Promise] = {
    Status.REGISTERED: gettext_lazy(
        "We have your registration. Upload every required document; the officers of your "
        "selection site then check them and confirm whether you meet the requirements."
    ),
    Status.ELIGIBLE: gettext_lazy(
        "Your documents were checked and you meet the requirements of this round. Your "
        "selection site will invite you to the selection stages."
    ),
    Status.INELIGIBLE: gettext_lazy(
        "You do not meet one or more requirements of this round; the reasons are below. If "
        "you think this is a mistake, contact your selection site."
    ),
    Status.IN_SELECTION: gettext_lazy("You are taking part in the selection stages."),
    Status.SELECTED: gettext_lazy(
        "You have been selected. You will be invited to the pre-departure training."
    ),
    Status.RESERVE: gettext_lazy(
        "You are on the reserve list: you will be called if a place becomes free."
    ),
    Status.NOT_SELECTED: gettext_lazy(
        "You were not selected in this round. You may apply again in a later round."
    ),
    Status.WITHDRAWN: gettext_lazy("This application was withdrawn."),
    Status.IN_TRAINING: gettext_lazy("You are in the pre-departure training."),
    Status.GRADUATED: gettext_lazy(
        "You have completed the pre-departure training and wait to be matched with a host "
        "company in Japan."
    ),
    Status.DROPPED_OUT: gettext_lazy("You left the pre-departure training."),
    Status.MATCHED: gettext_lazy(
        "You have been matched with a host company; your departure is being prepared."
    ),
    Status.DEPARTED: gettext_lazy("You have departed for Japan."),
    Status.IN_JAPAN: gettext_lazy("You are doing your internship in Japan."),
    Status.COMPLETED: gettext_lazy("You have completed your internship in Japan."),
    Status.EARLY_RETURN: gettext_lazy("Your internship in Japan ended early."),
    Status.MISSING: gettext_lazy("Your host company reported that it cannot reach you."),
    Status.RETURNED: gettext_lazy("You have returned home. Welcome back."),
}
UPLOAD_OPEN = frozenset({Status.REGISTERED.value, Status.ELIGIBLE.value})


def _own_application(request: CandidateRequest, pk: int) -> Application:
    """The candidate's own application; staff use the officer pages instead (404 here)."""
    application = selectors.access_application(user=request.user, pk=pk)
    if application.candidate.user_id != request.user.pk:
        raise Http404("No such application.")
    return application


@login_required
@require_GET
def my_application(request: HttpRequest, application_id: int) -> HttpResponse:
    request = cast(CandidateRequest, request)
    application = _own_application(request, application_id)
    language = reader_language()
    eligibility = application.eligibility or {}
    failures = [
        f.get("id") if language.startswith("id") else f.get("en")
        for f in eligibility.get("failures", [])
    ]
    return render(
        request,
        "recruitment/public/my_application.html",
        {
            "application": application,
            "explanation": STATUS_EXPLANATIONS.get(application.status, ""),
            "missing": [t.name_for(language) for t in services.missing_documents(application)],
            "rejected": [
                {"name": d.document_type.name_for(language), "reason": d.rejection_reason}
                for d in application.documents.filter(
                    status=Document.Status.REJECTED
                ).select_related("document_type")
            ],
            "eligibility": eligibility,
            "failures": failures,
            "events": selectors.application_events(application=application),
            "can_upload": application.status in UPLOAD_OPEN,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_documents(request: HttpRequest, application_id: int) -> HttpResponse:
    request = cast(CandidateRequest, request)
    application = _own_application(request, application_id)
    language = reader_language()
    required = list(application.round.required_documents.order_by("order", "code"))
    documents = {
        d.document_type_id: d for d in application.documents.select_related("document_type")
    }
    types = required + [
        d.document_type for d in documents.values() if d.document_type not in required
    ]
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        form = DocumentUploadForm(request.POST, request.FILES)
        code = request.POST.get("document_type", "")
        document_type = next((t for t in types if t.code == code), None)
        if document_type is None:
            return HttpResponse(_("Unknown document type."), status=400)
        if not form.is_valid():
            errors[code] = [str(m) for m in form.errors.get("file", [])]
        else:
            upload = form.cleaned_data["file"]
            try:
                services.document_upload(
                    application=application,
                    document_type=document_type,
                    upload=cast(IO[bytes], upload),
                    size=upload.size,
                    by=request.user,
                )
            except ValidationError as exc:
                errors[code] = exc.messages
            else:
                messages.success(
                    request,
                    _("%(document)s uploaded. The officers will check it.")
                    % {"document": document_type.name_for(language)},
                )
                return redirect("recruitment:my_documents", application.pk)
    rows = [_document_row(t, documents.get(t.pk), language, application, errors) for t in types]
    return render(
        request,
        "recruitment/public/my_documents.html",
        {
            "application": application,
            "rows": rows,
            "can_upload": application.status in UPLOAD_OPEN,
            "limit_mb": round(max_upload_bytes() / 1024 / 1024, 1),
        },
        status=400 if errors else 200,
    )


def _document_row(
    document_type: DocumentType,
    document: Document | None,
    language: str,
    application: Application,
    errors: Mapping[str, list[str]],
) -> dict[str, Any]:
    accepted = document is not None and document.status == Document.Status.ACCEPTED
    return {
        "type": document_type,
        "name": document_type.name_for(language),
        "document": document,
        "errors": errors.get(document_type.code, []),
        "can_upload": application.status in UPLOAD_OPEN and not accepted,
    }


@login_required
@require_GET
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """Stream a stored document to whoever may read its application (candidate or staff)."""
    document = selectors.access_document(user=request.user, pk=pk)
    suffix = SUFFIX.get(document.content_type) or ""
    filename = f"{document.document_type.code}-{document.application.registration_number}{suffix}"
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=document.content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("my/<int:application_id>/", my_application, name="my_application"),
    path("my/<int:application_id>/documents/", my_documents, name="my_documents"),
    path("documents/<int:pk>/file/", document_file, name="document_file"),
]
