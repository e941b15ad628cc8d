"""The internship pages: the intern's own, the staff list with filters, one internship with
its timeline and move forms (and their posts), and the monitoring schedule with its record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from magang.accounts.models import Role, User
from magang.accounts.permissions import role_required
from magang.accounts.scopes import scope_for
from magang.recruitment.journey import Status

from ...access import READER_ROLES, access_internship, internship_scope, may_manage, sees_sensitive
from ...models import DutyStatus, Internship, Stage
from ...selectors import InternshipFilters, duty_scope, internship_list, internship_timeline
from ...services import monitoring
from ...services import stay as services
from .actions import ACTIONS, _form
from .forms import DutyForm

PAGE_SIZE = 100


class StaffRequest(HttpRequest):
    user: User


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _number(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) <= 12 else None


@require_GET
@role_required(*READER_ROLES)
def internship_list_view(request: StaffRequest) -> HttpResponse:
    g = request.GET
    filters = InternshipFilters(
        status=g.get("status", "")[:20],
        stage=g.get("stage", "")[:40],
        supervising_organisation_id=_number(g.get("supervisor")),
        host_company_id=_number(g.get("host")),
        prefecture=g.get("prefecture", "")[:2],
        query=g.get("q", "")[:100],
        overdue=g.get("overdue") == "1",
    )
    qs = internship_list(user=request.user, filters=filters, today=timezone.localdate())
    page = Paginator(qs, PAGE_SIZE).get_page(g.get("page"))
    statuses = [
        s
        for s in Status
        if s.value in {"departed", "in_japan", "missing", "completed", "early_return", "returned"}
    ]
    return render(
        request,
        "internships/list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": statuses,
            "stages": Stage.objects.select_related("programme").order_by("programme", "number"),
            "query": _without_page(request),
        },
    )


def _detail_context(request: HttpRequest, internship: Internship) -> dict[str, Any]:
    user = request.user
    forms_ = []
    status = internship.application.status
    for action in ACTIONS.values():
        if status in action.statuses and action.allowed(user, internship):
            forms_.append((action, _form(action, internship)))
    check = None
    if status == Status.IN_JAPAN and may_manage(user, internship):
        check = services.next_stage_check(internship, timezone.localdate())
    return {
        "internship": internship,
        "status": status,
        "timeline": internship_timeline(internship),
        "sensitive": sees_sensitive(user, internship),
        "forms": forms_,
        "stage_check": check,
        "stage_reasons": [services.reason_text(r) for r in check.reasons] if check else [],
        "may_record_duties": may_manage(user, internship) and status == Status.IN_JAPAN,
        "today": timezone.localdate(),
    }


@require_GET
@login_required
def internship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    internship = access_internship(user=request.user, pk=pk)
    return render(request, "internships/detail.html", _detail_context(request, internship))


@require_POST
@login_required
def internship_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404("No such action.")
    internship = access_internship(user=request.user, pk=pk)
    if not chosen.allowed(request.user, internship):
        raise PermissionDenied
    form = _form(chosen, internship, request.POST)
    if form.is_valid():
        try:
            assert isinstance(request.user, User)  # noqa: S101 - login_required above
            chosen.run(internship, form.cleaned_data, request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Saved: %(what)s.") % {"what": chosen.title})
            return redirect("internships:detail", pk=internship.pk)
    context = _detail_context(request, internship)
    context["forms"] = [(a, form if a.key == action else f) for a, f in context["forms"]]
    return render(request, "internships/detail.html", context, status=422)


@require_POST
@login_required
def duty_record(request: HttpRequest, pk: int) -> HttpResponse:
    duty = duty_scope(user=request.user).filter(pk=pk).select_related("internship").first()
    if duty is None:
        raise Http404("No such duty.")
    internship = access_internship(user=request.user, pk=duty.internship_id)
    if not may_manage(request.user, internship):
        raise PermissionDenied
    form = DutyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.values()))
    else:
        try:
            assert isinstance(request.user, User)  # noqa: S101 - login_required above
            monitoring.duty_record(
                duty=duty,
                done_on=form.cleaned_data["done_on"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The visit or audit is recorded."))
    target = request.POST.get("next", "")
    if target == "duties":
        return redirect("internships:duties")
    return redirect("internships:detail", pk=internship.pk)


@require_GET
@role_required(*READER_ROLES)
def duties(request: StaffRequest) -> HttpResponse:
    """The monitoring schedule: open duties falling due in the next 31 days or overdue."""
    today = timezone.localdate()
    horizon = today + dt.timedelta(days=31)
    qs = (
        duty_scope(user=request.user)
        .filter(status=DutyStatus.OPEN, due_on__lte=horizon)
        .select_related(
            "internship__application__candidate", "host_company", "supervising_organisation"
        )
        .order_by("due_on", "id")
    )
    kind = request.GET.get("kind", "")
    if kind in ("visit", "audit"):
        qs = qs.filter(kind=kind)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = scope_for(request.user)
    return render(
        request,
        "internships/duties.html",
        {
            "page": page,
            "today": today,
            "kind": kind,
            "query": _without_page(request),
            "form": DutyForm(initial={"done_on": today}),
            "may_record": scope.has_role(Role.CENTRAL_TEAM, Role.PARTNER),
        },
    )


@require_GET
@login_required
def my_internship(request: HttpRequest) -> HttpResponse:
    """The intern's own stay (every internship of theirs, newest first)."""
    own = (
        internship_scope(user=request.user)
        .filter(application__candidate__user_id=scope_for(request.user).user_id or 0)
        .select_related(
            "supervising_organisation",
            "host_company",
            "prefecture",
            "trade",
            "stage",
            "application",
        )
        .order_by("-departed_on")
    )
    stays = [(i, internship_timeline(i)) for i in own]
    return render(request, "internships/mine.html", {"stays": stays})
