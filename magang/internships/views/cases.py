"""Incident and grievance pages. The intern's own (made for a phone, Indonesian by default):
their cases and the form to report a problem. Staff: the list (scoped, overdue and escalated
cases flagged) and the form to file for an intern. Everyone who may read a case: its page
with the timeline and the actions their role allows. Files are streamed only through
``case_attachment_file``, as a download."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from magang.accounts.models import User
from magang.accounts.permissions import role_required
from magang.accounts.scopes import scope_for
from magang.recruitment.services.documents import SUFFIX

from ..cases_access import CASE_STAFF_ROLES, CaseLens, access_attachment, access_case
from ..cases_selectors import CaseFilters, case_list, is_overdue, my_cases, my_internships
from ..models import (
    Audience,
    CaseCategory,
    CaseKind,
    CaseSeverity,
    CaseStatus,
    Internship,
)
from ..services import cases as services


class UserRequest(HttpRequest):
    user: User


def _number(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 9 else None


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip()[:10])
    except ValueError:
        return None


def _messages(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _uploads(request: HttpRequest) -> list[services.Upload]:
    return [
        services.Upload(file=f, size=f.size)
        for f in request.FILES.getlist("attachments")
        if f.size or f.name
    ]


def _choices() -> dict[str, Any]:
    return {
        "kinds": CaseKind.choices,
        "categories": CaseCategory.choices,
        "severities": CaseSeverity.choices,
    }


@require_GET
@login_required
def case_my(request: UserRequest) -> HttpResponse:
    internships = list(my_internships(user=request.user))
    if not internships:
        raise PermissionDenied
    return render(
        request,
        "internships/cases_my.html",
        {"cases": my_cases(user=request.user), "now": timezone.now()},
    )


def _file_for_intern(request: UserRequest, internships: list[Internship]) -> Internship:
    """The intern's chosen internship (their latest when they have one)."""
    chosen = _number(request.POST.get("internship"))
    return next((i for i in internships if i.pk == chosen), internships[0])


@require_http_methods(["GET", "POST"])
@login_required
def case_new(request: UserRequest) -> HttpResponse:
    """The intern reports a problem; staff (officer, central team, partner) file for an
    intern by registration number."""
    internships = list(my_internships(user=request.user))
    as_intern = bool(internships)
    if not as_intern and not _is_case_staff(request.user):
        raise PermissionDenied
    errors: list[str] = []
    if request.method == "POST":
        internship: Internship | None
        if as_intern:
            internship = _file_for_intern(request, internships)
        else:
            number = request.POST.get("registration_number", "").strip()
            internship = (
                Internship.objects.select_related(
                    "application__candidate", "application__site", "supervising_organisation"
                )
                .filter(application__registration_number=number)
                .first()
                if number
                else None
            )
        if internship is None:
            errors = [_("No internship with this registration number that you may file for.")]
        else:
            try:
                case = services.case_file(
                    internship=internship,
                    by=request.user,
                    kind=request.POST.get("kind", CaseKind.GRIEVANCE),
                    category=request.POST.get("category", ""),
                    severity=request.POST.get("severity", ""),
                    description=request.POST.get("description", ""),
                    health_details=request.POST.get("health_details", ""),
                    occurred_on=_date(request.POST.get("occurred_on")),
                    about_host_company=request.POST.get("about_host_company") == "on",
                    share_with_partner=request.POST.get("share_with_partner") == "on",
                    uploads=_uploads(request),
                )
            except PermissionDenied:
                errors = [_("No internship with this registration number that you may file for.")]
            except ValidationError as exc:
                errors = _messages(exc)
            else:
                messages.success(
                    request,
                    _("Your report was received (case #%(id)s). We will follow it up.")
                    % {"id": case.pk},
                )
                return redirect("internships:case_detail", case.pk)
    return render(
        request,
        "internships/cases_new.html",
        {
            **_choices(),
            "as_intern": as_intern,
            "internships": internships,
            "errors": errors,
            "post": request.POST,
            "today": timezone.localdate(),
        },
        status=400 if errors else 200,
    )


def _is_case_staff(user: Any) -> bool:
    return scope_for(user).has_role(*CASE_STAFF_ROLES)


@require_GET
@role_required(*CASE_STAFF_ROLES)
def case_list_page(request: UserRequest) -> HttpResponse:
    filters = CaseFilters(
        status=request.GET.get("status", "open"),
        category=request.GET.get("category", ""),
        severity=request.GET.get("severity", ""),
        overdue=request.GET.get("overdue") == "1",
        assigned_to_me=request.GET.get("mine") == "1",
        query=request.GET.get("q", ""),
    )
    page = Paginator(case_list(user=request.user, filters=filters), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "internships/cases_list.html",
        {
            **_choices(),
            "page": page,
            "filters": filters,
            "statuses": CaseStatus.choices,
            "now": timezone.now(),
        },
    )


def _act(request: UserRequest, lens: CaseLens) -> list[str]:
    """Carry out the posted action; the problems, if any."""
    case, by, post = lens.case, request.user, request.POST
    action = post.get("action", "")
    try:
        if action == "note":
            services.case_note_add(
                case=case, by=by, text=post.get("text", ""),
                audience=post.get("audience", Audience.EVERYONE),
            )  # fmt: skip
        elif action == "attach":
            uploads = _uploads(request)
            if not uploads:
                return [_("Choose a file.")]
            for upload in uploads:
                services.case_attach(
                    case=case, upload=upload, by=by,
                    audience=post.get("audience", Audience.EVERYONE),
                )  # fmt: skip
        elif action == "assign":
            assignee = User.objects.filter(pk=_number(post.get("assignee")) or 0).first()
            if assignee is None:
                return [_("Choose the officer.")]
            services.case_assign(case=case, assignee=assignee, by=by)
        elif action == "start":
            services.case_start(case=case, by=by)
        elif action == "resolve":
            services.case_resolve(case=case, by=by, resolution=post.get("resolution", ""))
        elif action == "confirm":
            services.case_confirm(case=case, by=by)
        elif action == "reopen":
            services.case_reopen(case=case, by=by, reason=post.get("reason", ""))
        elif action == "close":
            services.case_close(case=case, by=by, reason=post.get("reason", ""))
        elif action == "severity":
            services.case_change_severity(
                case=case, by=by, severity=post.get("severity", ""),
                reason=post.get("reason", ""),
            )  # fmt: skip
        elif action == "sharing":
            services.case_set_sharing(case=case, by=by, share=post.get("share") == "on")
        else:
            return [_("Unknown action.")]
    except ValidationError as exc:
        return _messages(exc)
    return []


@require_http_methods(["GET", "POST"])
@login_required
def case_detail(request: UserRequest, pk: int) -> HttpResponse:
    lens = access_case(user=request.user, pk=pk)
    errors: list[str] = []
    if request.method == "POST":
        errors = _act(request, lens)
        if not errors:
            messages.success(request, _("Saved."))
            return redirect("internships:case_detail", pk)
        lens = access_case(user=request.user, pk=pk)
    case = lens.case
    return render(
        request,
        "internships/cases_detail.html",
        {
            **_choices(),
            "lens": lens,
            "case": case,
            "events": lens.events(),
            "attachments": lens.attachments(),
            "overdue": is_overdue(case),
            "officers": services.assignable_officers(case) if lens.may_manage else [],
            "audiences": Audience.choices,
            "errors": errors,
            "post": request.POST,
            "back": (
                reverse("internships:case_my")
                if lens.is_intern
                else reverse("internships:case_list")
            ),
        },
        status=400 if errors else 200,
    )


@require_GET
@login_required
def case_attachment_file(request: UserRequest, pk: int) -> FileResponse:
    """Stream an attachment, as a download, to someone who may read it on the case page."""
    attachment = access_attachment(user=request.user, pk=pk)
    filename = f"case-{attachment.case_id}-{attachment.pk}{SUFFIX.get(attachment.content_type, '')}"
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("cases/", case_list_page, name="case_list"),
    path("cases/my/", case_my, name="case_my"),
    path("cases/new/", case_new, name="case_new"),
    path("cases/<int:pk>/", case_detail, name="case_detail"),
    path("cases/files/<int:pk>/", case_attachment_file, name="case_attachment_file"),
]
