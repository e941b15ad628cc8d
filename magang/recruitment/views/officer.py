"""Staff pages: the application list and its exports, the application page, document review,
eligibility confirmation and katakana corrections."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from magang.accounts.models import User
from magang.accounts.permissions import role_required
from magang.accounts.scopes import scope_for
from magang.core.exports import iter_csv, write_xlsx

from .. import selectors, services
from ..journey import InvalidTransition, Status
from ..models import Application, ApplicationStatus, Document, DocumentsState, Sex
from ..services.candidates import candidate_katakana_update

STAFF_READERS = selectors.STAFF_READER_ROLES
REVIEW_OPEN = selectors.REVIEW_OPEN_STATUSES
PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class StaffRequest(HttpRequest):
    """A request that passed ``login_required`` (or ``role_required``)."""

    user: User
    htmx: HtmxDetails


def export_max_rows() -> int:
    return int(getattr(settings, "MAGANG_EXPORT_MAX_ROWS", 200_000))


def list_filters(params: QueryDict) -> selectors.ApplicationFilters:
    """The list's filters from a query string; unknown values mean "all"."""
    status = params.get("status", "")
    documents = params.get("documents", "")
    site = params.get("site", "")
    return selectors.ApplicationFilters(
        status=status if status in ApplicationStatus.values else "",
        round_code=params.get("round", "")[:40],
        site_id=int(site) if site.isdigit() and len(site) <= 9 else None,
        query=params.get("q", "")[:100],
        documents_state=documents if documents in DocumentsState.values else "",
        has_warnings={"yes": True, "no": False}.get(params.get("warnings", "")),
    )


def _query_without_page(params: QueryDict) -> str:
    query = params.copy()
    query.pop("page", None)
    return query.urlencode()


@role_required(*STAFF_READERS)
@require_GET
def application_list(request: HtmxHttpRequest) -> HttpResponse:
    filters = list_filters(request.GET)
    applications = selectors.application_list(user=request.user, filters=filters)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "statuses": ApplicationStatus.choices,
        "documents_states": DocumentsState.choices,
        "sites": selectors.site_scope(user=request.user)
        .select_related("round")
        .order_by("-round__year", "name")[:200],
        "rounds": selectors.current_rounds()[:40],
        "export_query": _query_without_page(request.GET),
    }
    template = (
        "recruitment/_application_rows.html"
        if request.htmx
        else "recruitment/application_list.html"
    )
    return render(request, template, context)


# ---------------------------------------------------------------------------------------
# Exports

EXPORT_HEADERS = (
    gettext_lazy("Registration number"),
    gettext_lazy("NIK"),
    gettext_lazy("Name"),
    gettext_lazy("Sex"),
    gettext_lazy("Birth date"),
    gettext_lazy("Province"),
    gettext_lazy("Regency or city"),
    gettext_lazy("Selection site"),
    gettext_lazy("Round"),
    gettext_lazy("Status"),
    gettext_lazy("Documents"),
    gettext_lazy("Warnings"),
    gettext_lazy("Submitted at"),
)


def export_rows(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Turn ``selectors.application_export`` tuples into the export's columns, with labels
    in the current language."""
    sexes = {value: str(label) for value, label in Sex.choices}
    statuses = {value: str(label) for value, label in ApplicationStatus.choices}
    states = {value: str(label) for value, label in DocumentsState.choices}
    for (
        number,
        nik,
        full_name,
        family_name,
        sex,
        birth_date,
        province,
        regency,
        site,
        round_name,
        status,
        documents_state,
        warnings,
        submitted_at,
    ) in rows:
        yield (
            number,
            nik,
            " ".join(part for part in (full_name, family_name) if part),
            sexes.get(sex, sex),
            birth_date,
            province,
            regency or "",
            site,
            round_name,
            statuses.get(status, status),
            states.get(documents_state, documents_state),
            len(warnings) if isinstance(warnings, list) else 0,
            submitted_at,
        )


def _export(request: HttpRequest, kind: str) -> HttpResponseBase:
    if not scope_for(request.user).has_role(*STAFF_READERS):
        raise PermissionDenied
    filters = list_filters(request.GET)
    rows = selectors.application_export(user=request.user, filters=filters)
    count = rows.count()
    limit = export_max_rows()
    if count > limit:
        messages.error(
            request,
            _(
                "This list has %(count)s applications; an export holds at most %(limit)s. "
                "Narrow it down, for example by round, selection site or status."
            )
            % {"count": f"{count:,}", "limit": f"{limit:,}"},
        )
        query = _query_without_page(request.GET)
        return HttpResponseRedirect(
            reverse("recruitment:application_list") + (f"?{query}" if query else "")
        )
    headers = [str(h) for h in EXPORT_HEADERS]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    lines = export_rows(rows.iterator(chunk_size=2000))
    response: HttpResponseBase
    if kind == "csv":
        response = StreamingHttpResponse(
            iter_csv(lines, headers), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            write_xlsx(lines, headers, str(_("Applications"))), content_type=XLSX
        )
    response["Content-Disposition"] = f'attachment; filename="applications-{stamp}.{kind}"'
    response["Cache-Control"] = "private, no-store"
    return response


# role_required is typed for HttpResponse views; a CSV export streams, so check here.
@login_required
@require_GET
def application_export_xlsx(request: HttpRequest) -> HttpResponseBase:
    return _export(request, "xlsx")


@login_required
@require_GET
def application_export_csv(request: HttpRequest) -> HttpResponseBase:
    return _export(request, "csv")


# ---------------------------------------------------------------------------------------
# The application page and its actions


def eligibility_failures(eligibility: dict[str, Any], language: str | None) -> list[str]:
    """Each failed rule of a stored check, in Indonesian or else English."""
    key = "id" if (language or "").startswith("id") else "en"
    return [str(f.get(key) or f.get("en") or "") for f in eligibility.get("failures", [])]


def _item_context(item: selectors.ChecklistItem, *, can_review: bool) -> dict[str, Any]:
    return {
        "item": item,
        "name": item.document_type.name_for(get_language()),
        "can_review": can_review,
    }


def _can_review(request: HttpRequest, application: Application) -> bool:
    return application.status in REVIEW_OPEN and selectors.can_change_application(
        user=request.user, application=application
    )


def _can_verify(request: HttpRequest, application: Application) -> bool:
    return (
        application.status == Status.REGISTERED.value
        and application.documents_state == DocumentsState.VERIFIED
        and selectors.can_change_application(user=request.user, application=application)
    )


def _detail_context(request: HttpRequest, application: Application) -> dict[str, Any]:
    language = get_language()
    can_review = _can_review(request, application)
    return {
        "application": application,
        "events": selectors.application_events(application=application),
        "history": selectors.candidate_history(user=request.user, application=application),
        "items": [
            _item_context(item, can_review=can_review)
            for item in selectors.document_checklist(application=application)
        ],
        "can_change": selectors.can_change_application(user=request.user, application=application),
        "can_verify": _can_verify(request, application),
        "eligibility": application.eligibility or {},
        "failures": eligibility_failures(application.eligibility or {}, language),
    }


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.access_application(user=request.user, pk=pk)
    if not scope_for(request.user).has_role(*STAFF_READERS):
        # Only the candidate themself gets this far: their own page leaves out what is
        # meant for officers (warnings, history, other people's notes).
        return redirect("recruitment:my_application", application.pk)
    return render(
        request, "recruitment/application_detail.html", _detail_context(request, application)
    )


def _parse_seen(value: str) -> dt.datetime | None:
    try:
        seen = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return seen if timezone.is_aware(seen) else None


@login_required
@require_POST
def document_review(request: StaffRequest, pk: int) -> HttpResponse:
    """Accept or reject one document; refused when it changed since the reviewer saw it."""
    document = selectors.access_document_for_review(user=request.user, pk=pk)
    application = document.application
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "")[:1000]
    seen = _parse_seen(request.POST.get("seen", ""))
    error = None
    if application.status not in REVIEW_OPEN:
        error = _(
            "Documents of this application can no longer be reviewed (status: %(status)s)."
        ) % {"status": application.get_status_display()}
    elif decision not in ("accept", "reject"):
        error = _("Choose accept or reject.")
    elif seen is None:
        error = _("The form is incomplete; reload the page and try again.")
    else:
        error = selectors.review_conflict(document=document, seen=seen)
    if error is None:
        try:
            document = services.document_review(
                document=document,
                accept=decision == "accept",
                reason=reason,
                by=request.user,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    document = selectors.access_document_for_review(user=request.user, pk=pk)
    application = document.application
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _document_done(document))
        return redirect("recruitment:application_detail", application.pk)
    item = next(
        i
        for i in selectors.document_checklist(application=application)
        if i.document is not None and i.document.pk == document.pk
    )
    context = _item_context(item, can_review=_can_review(request, application))
    context.update(
        {
            "application": application,
            "error": error,
            "done": None if error else _document_done(document),
            "can_verify": _can_verify(request, application),
            "oob": True,
        }
    )
    return render(request, "recruitment/officer/_document_reviewed.html", context)


def _document_done(document: Document) -> str:
    name = document.document_type.name_for(get_language())
    if document.status == Document.Status.ACCEPTED:
        return _("%(document)s accepted.") % {"document": name}
    return _("%(document)s rejected. The candidate sees your reason.") % {"document": name}


@login_required
@require_POST
def application_verify(request: StaffRequest, pk: int) -> HttpResponse:
    """Confirm eligibility once every required document is accepted."""
    application = selectors.access_application_for_change(user=request.user, pk=pk)
    note = request.POST.get("note", "").strip()[:500]
    try:
        services.application_verify(application=application, by=request.user, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except InvalidTransition:
        messages.error(
            request,
            _("This application has already been decided: it is %(status)s.")
            % {"status": application.get_status_display()},
        )
    else:
        if application.status == Status.ELIGIBLE.value:
            messages.success(request, _("The application is now eligible."))
        else:
            messages.warning(
                request,
                _("The application is ineligible: %(reasons)s")
                % {
                    "reasons": "; ".join(
                        eligibility_failures(application.eligibility, get_language())
                    )
                },
            )
    return redirect("recruitment:application_detail", application.pk)


@login_required
@require_POST
def candidate_katakana(request: StaffRequest, pk: int) -> HttpResponse:
    """Correct the katakana name of the candidate behind application ``pk``."""
    application = selectors.access_application_for_change(user=request.user, pk=pk)
    value = request.POST.get("name_katakana", "")[:300]
    error = None
    try:
        candidate_katakana_update(candidate=application.candidate, value=value, by=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        return render(
            request,
            "recruitment/officer/_katakana.html",
            {
                "application": application,
                "can_change": True,
                "value": value if error else application.candidate.name_katakana,
                "error": error,
                "saved": error is None,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The name in katakana was saved."))
    return redirect("recruitment:application_detail", application.pk)


urlpatterns: list[URLPattern] = [
    path("applications/", application_list, name="application_list"),
    path("applications/export.xlsx", application_export_xlsx, name="application_export_xlsx"),
    path("applications/export.csv", application_export_csv, name="application_export_csv"),
    path("applications/<int:pk>/", application_detail, name="application_detail"),
    path("applications/<int:pk>/verify/", application_verify, name="application_verify"),
    path("applications/<int:pk>/katakana/", candidate_katakana, name="candidate_katakana"),
    path("documents/<int:pk>/review/", document_review, name="document_review"),
]
