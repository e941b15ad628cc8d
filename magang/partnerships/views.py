"""Partnership pages under /partnerships/.

- ``index``: public. Agreements marked public (title, kind, parties, dates) and the partner
  prefectures; ministry roles also get links to every agreement and to the comparison.
- ``prefecture_detail``: a partner prefecture's page. Ministry roles read exact figures,
  host company names and incidents of any prefecture; everyone else the suppressed figures
  of a partner prefecture they see.
- ``compare``: 2 to 4 prefectures side by side (ministry roles).
- agreements: list and detail (ministry roles; a partner or host company the signed ones
  naming it), create, change, terminate, documents (central team and administrators).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from magang.accounts.models import User
from magang.accounts.permissions import role_required
from magang.accounts.scopes import scope_for

from . import selectors
from .access import (
    COMPARE_ROLES,
    EDITOR_ROLES,
    READER_ROLES,
    access_agreement,
    access_agreement_document,
    is_ministry,
    may_edit,
)
from .figures import COMPARE_ROWS
from .forms import AgreementForm, CompareForm, DocumentForm, RemoveDocumentForm, TerminateForm
from .models import AgreementStatus
from .services import (
    agreement_document_add,
    agreement_document_remove,
    agreement_save,
    agreement_terminate,
)

PAGE_SIZE = 50
# The comparison shows departures of the last this many years, one row each.
COMPARE_YEARS = 5


class UserRequest(HttpRequest):
    user: User


def _refused(request: HttpRequest, exc: ValidationError, form: Any = None) -> None:
    """Show a service's refusal: on the form's fields where it names them, else as messages."""
    if form is not None and hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return
    for message in exc.messages:
        messages.error(request, message)


def _form_refused(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    return render(
        request,
        "partnerships/index.html",
        {
            "agreements": selectors.public_agreement_list()[:200],
            "prefectures": selectors.partner_prefectures(user=request.user),
            "ministry": is_ministry(scope),
            "reader": scope.has_role(*READER_ROLES),
            "today": selectors.programme_today(),
        },
    )


@require_safe
def prefecture_detail(request: HttpRequest, code: str) -> HttpResponse:
    prefecture = selectors.access_prefecture(user=request.user, code=code)
    profile = selectors.prefecture_profile(user=request.user, prefecture=prefecture)
    readable = selectors.readable_agreement_ids(user=request.user, prefecture=prefecture)
    return render(
        request,
        "partnerships/prefecture.html",
        {
            "profile": profile,
            "prefecture": prefecture,
            "agreements": selectors.prefecture_agreements(user=request.user, prefecture=prefecture),
            "readable": readable,
            "today": profile.as_of,
        },
    )


@require_GET
@role_required(*COMPARE_ROLES)
def compare(request: UserRequest) -> HttpResponse:
    form = CompareForm(request.GET if "p" in request.GET else None)
    profiles = []
    if form.is_bound and form.is_valid():
        profiles = selectors.compare_profiles(user=request.user, codes=form.cleaned_data["p"])
    rows: list[tuple[str, list[Any]]] = [
        (str(label), [getattr(profile, name) for profile in profiles])
        for name, label in COMPARE_ROWS
    ]
    if profiles:
        last = profiles[0].as_of.year
        for year in range(last - COMPARE_YEARS + 1, last + 1):
            label = _("Departed in %(year)s") % {"year": year}
            rows.append((label, [profile.departed_in(year) for profile in profiles]))
    return render(
        request,
        "partnerships/compare.html",
        {
            "form": form,
            "chosen": request.GET.getlist("p"),
            "profiles": profiles,
            "rows": rows,
            "agreement_counts": selectors.signed_agreement_counts(
                user=request.user, prefectures=[p.prefecture for p in profiles]
            ),
        },
    )


@require_GET
@role_required(*READER_ROLES)
def agreement_list(request: UserRequest) -> HttpResponse:
    filters = selectors.AgreementFilters.from_query(request.GET)
    agreements = selectors.agreement_list(user=request.user, filters=filters)
    page = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/agreement_list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": AgreementStatus.choices,
            "may_edit": may_edit(request.user),
            "today": selectors.programme_today(),
        },
    )


@require_GET
@role_required(*READER_ROLES)
def agreement_detail(request: UserRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(user=request.user, pk=pk)
    editor = may_edit(request.user)
    parts = selectors.agreement_parts(agreement=agreement)
    return render(
        request,
        "partnerships/agreement_detail.html",
        {
            "agreement": agreement,
            "organisations": parts.organisations,
            "trades": parts.trades,
            "documents": parts.documents,
            "state": agreement.state_on(selectors.programme_today()),
            "may_edit": editor and agreement.status != AgreementStatus.TERMINATED,
            "may_terminate": editor and agreement.status == AgreementStatus.SIGNED,
            "may_manage_documents": editor,
            "document_form": DocumentForm() if editor else None,
            "terminate_form": TerminateForm() if editor else None,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*EDITOR_ROLES)
def agreement_create(request: UserRequest) -> HttpResponse:
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = agreement_save(data=form.agreement_data(), by=request.user)
        except ValidationError as exc:
            _refused(request, exc, form)
        else:
            messages.success(request, _("The agreement was recorded."))
            return redirect("partnerships:agreement_detail", pk=agreement.pk)
    return render(request, "partnerships/agreement_form.html", {"form": form, "agreement": None})


@require_http_methods(["GET", "POST"])
@role_required(*EDITOR_ROLES)
def agreement_edit(request: UserRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(user=request.user, pk=pk, write=True)
    form = AgreementForm(
        request.POST if request.method == "POST" else None,
        initial=AgreementForm.initial_from(agreement),
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement_save(agreement=agreement, data=form.agreement_data(), by=request.user)
        except ValidationError as exc:
            _refused(request, exc, form)
        else:
            messages.success(request, _("The agreement was saved."))
            return redirect("partnerships:agreement_detail", pk=agreement.pk)
    return render(
        request, "partnerships/agreement_form.html", {"form": form, "agreement": agreement}
    )


@require_POST
@role_required(*EDITOR_ROLES)
def agreement_end(request: UserRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(user=request.user, pk=pk, write=True)
    form = TerminateForm(request.POST)
    if not form.is_valid():
        _form_refused(request, form)
        return redirect("partnerships:agreement_detail", pk=agreement.pk)
    try:
        agreement_terminate(
            agreement=agreement,
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The agreement was terminated."))
    return redirect("partnerships:agreement_detail", pk=agreement.pk)


@require_POST
@role_required(*EDITOR_ROLES)
def document_upload(request: UserRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(user=request.user, pk=pk, write=True)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_refused(request, form)
        return redirect("partnerships:agreement_detail", pk=agreement.pk)
    upload = form.cleaned_data["file"]
    try:
        agreement_document_add(
            agreement=agreement,
            title=form.cleaned_data["title"],
            upload=upload,
            size=upload.size,
            by=request.user,
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The document was added."))
    return redirect("partnerships:agreement_detail", pk=agreement.pk)


@require_GET
def document_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Stream a document to whoever reads its agreement in full, always as a download.
    (``role_required`` types plain responses; a file streams, so the check is written out.)"""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not scope_for(request.user).has_role(*READER_ROLES):
        raise PermissionDenied
    document = access_agreement_document(user=request.user, pk=pk)
    filename = f"agreement-{document.agreement_id}-document-{document.pk}.pdf"
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@role_required(*EDITOR_ROLES)
def document_remove(request: UserRequest, pk: int) -> HttpResponse:
    document = access_agreement_document(user=request.user, pk=pk, write=True)
    form = RemoveDocumentForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        agreement_document_remove(document=document, reason=reason, by=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The document was removed."))
    return redirect("partnerships:agreement_detail", pk=document.agreement_id)


app_name = "partnerships"

urlpatterns: list[URLPattern] = [
    path("", index, name="index"),
    path("prefectures/<str:code>/", prefecture_detail, name="prefecture_detail"),
    path("compare/", compare, name="compare"),
    path("agreements/", agreement_list, name="agreement_list"),
    path("agreements/new/", agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/terminate/", agreement_end, name="agreement_terminate"),
    path("agreements/<int:pk>/documents/", document_upload, name="document_upload"),
    path("documents/<int:pk>/", document_file, name="document_file"),
    path("documents/<int:pk>/remove/", document_remove, name="document_remove"),
]
