"""Pages of the stay: the intern's own ("My internship"); the staff list with filters; one
internship with its timeline and the forms of the moves its status allows; the monitoring
schedule; a supervising organisation's page of overdue duties and open incidents.

Who: see ``access.py``. Lists need a reading role (403 otherwise); another's internship is
404; a form posted by someone who may read but not act is 403."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from magang.accounts.models import Organisation, Role, User
from magang.accounts.permissions import role_required
from magang.accounts.scopes import scope_for
from magang.recruitment.journey import Status

from ..access import (
    READER_ROLES,
    access_internship,
    internship_scope,
    may_manage,
    may_notify_missing,
    sees_sensitive,
)
from ..cases_access import case_scope
from ..models import (
    OPEN_CASE_STATUSES,
    Case,
    DutyStatus,
    EarlyReturnReason,
    ExamResult,
    ExamType,
    Internship,
    Stage,
    TransferReason,
)
from ..selectors import (
    InternshipFilters,
    duty_scope,
    internship_list,
    internship_timeline,
    overdue_duties,
)
from ..services import monitoring
from ..services import stay as services

PAGE_SIZE = 100
ORGANISATION_ROWS = 100


class StaffRequest(HttpRequest):
    user: User


def _day() -> forms.DateField:
    return forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )


def _note() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ArrivalForm(forms.Form):
    on = _day()
    centre = forms.CharField(
        label=gettext_lazy("Collective training centre"), max_length=120, required=False
    )


class DayForm(forms.Form):
    on = _day()
    note = _note()


class NextStageForm(forms.Form):
    on = _day()


class ExamForm(forms.Form):
    exam_type = forms.ModelChoiceField(label=gettext_lazy("Exam"), queryset=ExamType.objects.all())
    taken_on = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    result = forms.ChoiceField(label=gettext_lazy("Result"), choices=ExamResult.choices)
    score = forms.DecimalField(
        label=gettext_lazy("Score"), required=False, min_value=0, max_digits=6, decimal_places=2
    )
    certificate_number = forms.CharField(
        label=gettext_lazy("Certificate number"), required=False, max_length=60
    )


class HomeLeaveForm(forms.Form):
    left_on = forms.DateField(
        label=gettext_lazy("Left Japan on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    returned_on = forms.DateField(
        label=gettext_lazy("Back in Japan on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class TransferForm(forms.Form):
    to_company = forms.ModelChoiceField(
        label=gettext_lazy("New host company"), queryset=Organisation.objects.none()
    )
    on = _day()
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=TransferReason.choices)
    note = _note()

    def __init__(self, *args: Any, internship: Internship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_company"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = Organisation.objects.filter(
            kind=Organisation.Kind.HOST_COMPANY,
            is_active=True,
            parent_id=internship.supervising_organisation_id,
        ).exclude(pk=internship.host_company_id or 0)


class EarlyReturnForm(forms.Form):
    on = _day()
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=EarlyReturnReason.choices)
    note = _note()


@dataclass(frozen=True)
class Action:
    key: str
    title: Any
    form: type[forms.Form]
    statuses: frozenset[str]
    run: Callable[[Internship, dict[str, Any], User], object]
    allowed: Callable[[Any, Internship], bool] = may_manage


IN_JAPAN = frozenset({Status.IN_JAPAN.value})
ACTIONS = {
    a.key: a
    for a in (
        Action(
            "arrival",
            gettext_lazy("Record arrival"),
            ArrivalForm,
            frozenset({Status.DEPARTED.value}),
            lambda i, d, u: services.internship_arrive(
                internship=i, arrived_on=d["on"], centre=d["centre"], by=u
            ),
        ),
        Action(
            "next_stage",
            gettext_lazy("Move to the next stage"),
            NextStageForm,
            IN_JAPAN,
            lambda i, d, u: services.internship_next_stage(internship=i, on=d["on"], by=u),
        ),
        Action(
            "exam",
            gettext_lazy("Record an exam"),
            ExamForm,
            IN_JAPAN,
            lambda i, d, u: services.exam_record(
                internship=i,
                exam_type=d["exam_type"],
                taken_on=d["taken_on"],
                result=d["result"],
                score=d["score"],
                certificate_number=d["certificate_number"],
                by=u,
            ),
        ),
        Action(
            "home_leave",
            gettext_lazy("Temporary return home"),
            HomeLeaveForm,
            IN_JAPAN,
            lambda i, d, u: services.home_leave_record(
                internship=i, left_on=d["left_on"], returned_on=d["returned_on"], by=u
            ),
        ),
        Action(
            "transfer",
            gettext_lazy("Transfer to another host company"),
            TransferForm,
            IN_JAPAN,
            lambda i, d, u: services.internship_transfer(
                internship=i,
                to_company=d["to_company"],
                on=d["on"],
                reason=d["reason"],
                note=d["note"],
                by=u,
            ),
        ),
        Action(
            "early_return",
            gettext_lazy("Early return"),
            EarlyReturnForm,
            frozenset({Status.IN_JAPAN.value, Status.MISSING.value}),
            lambda i, d, u: services.internship_early_return(
                internship=i, on=d["on"], reason=d["reason"], note=d["note"], by=u
            ),
        ),
        Action(
            "missing",
            gettext_lazy("Training can no longer continue (missing)"),
            DayForm,
            IN_JAPAN,
            lambda i, d, u: services.internship_missing(
                internship=i, on=d["on"], note=d["note"], by=u
            ),
            may_notify_missing,
        ),
        Action(
            "found",
            gettext_lazy("Found again"),
            DayForm,
            frozenset({Status.MISSING.value}),
            lambda i, d, u: services.internship_found(
                internship=i, on=d["on"], note=d["note"], by=u
            ),
        ),
        Action(
            "completed",
            gettext_lazy("Completed"),
            DayForm,
            IN_JAPAN,
            lambda i, d, u: services.internship_complete(
                internship=i, on=d["on"], note=d["note"], by=u
            ),
        ),
    )
}


def _form(action: Action, internship: Internship, data: Any = None) -> forms.Form:
    if action.form is TransferForm:
        return TransferForm(data, internship=internship, prefix=action.key)
    return action.form(data, prefix=action.key)


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


class DutyForm(forms.Form):
    done_on = forms.DateField(
        label=gettext_lazy("Done on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = _note()


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


def _open_cases(user: Any, organisation: Organisation) -> tuple[list[Case], int]:
    """Open incidents about the organisation's interns that the user may read (what a
    partner may read of a case is decided by ``cases_access.case_scope``)."""
    qs = case_scope(user=user).filter(
        internship__supervising_organisation=organisation, status__in=OPEN_CASE_STATUSES
    )
    rows = list(
        qs.select_related("internship__application", "internship__host_company").order_by(
            "due_at", "id"
        )[:ORGANISATION_ROWS]
    )
    return rows, qs.count()


@require_GET
@role_required(Role.PARTNER, Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR)
def organisation_page(request: StaffRequest, pk: int) -> HttpResponse:
    """One supervising organisation: its overdue visits and audits, and its interns' open
    incidents. A fixed number of queries whatever the organisation's size."""
    scope = scope_for(request.user)
    if not scope.is_nationwide and pk not in scope.organisations(Role.PARTNER):
        raise Http404("No such organisation.")
    organisation = Organisation.objects.filter(
        pk=pk, kind=Organisation.Kind.SUPERVISING_ORGANISATION
    ).first()
    if organisation is None:
        raise Http404("No such organisation.")
    today = timezone.localdate()
    overdue = overdue_duties(user=request.user, today=today, organisation=organisation)
    counts = dict.fromkeys(("visit", "audit"), 0)
    # COUNT(*) rather than COUNT(id): the partial index on (organisation, overdue from, kind)
    # answers it without reading the table.
    for row in overdue.order_by().values("kind").annotate(n=Count("*")):
        counts[row["kind"]] = row["n"]
    total = sum(counts.values())
    # Pages of the overdue list from the counts above (no second COUNT of the duties).
    pages = max(1, -(-total // ORGANISATION_ROWS))
    try:
        page = min(max(1, int(request.GET.get("page", "1"))), pages)
    except ValueError:
        page = 1
    start = (page - 1) * ORGANISATION_ROWS
    rows = list(overdue[start : start + ORGANISATION_ROWS])
    cases = _open_cases(request.user, organisation)
    return render(
        request,
        "internships/organisation.html",
        {
            "organisation": organisation,
            "today": today,
            "overdue": rows,
            "overdue_counts": counts,
            "overdue_total": total,
            "overdue_page": page,
            "overdue_pages": pages,
            "overdue_first": start + 1,
            "overdue_last": start + len(rows),
            "overdue_previous": page - 1 if page > 1 else None,
            "overdue_next": page + 1 if page < pages else None,
            "cases": cases[0],
            "cases_total": cases[1],
            "cases_available": True,
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


@require_GET
@role_required(Role.PARTNER)
def my_organisation(request: StaffRequest) -> HttpResponse:
    """A partner's shortcut to its own organisation's page."""
    ids = sorted(scope_for(request.user).organisations(Role.PARTNER))
    return redirect("internships:organisation", pk=ids[0])


urlpatterns: list[URLPattern] = [
    path("", internship_list_view, name="list"),
    path("mine/", my_internship, name="mine"),
    path("monitoring/", duties, name="duties"),
    path("monitoring/<int:pk>/record/", duty_record, name="duty_record"),
    path("organisations/<int:pk>/", organisation_page, name="organisation"),
    path("organisations/mine/", my_organisation, name="my_organisation"),
    path("<int:pk>/", internship_detail, name="detail"),
    path("<int:pk>/<slug:action>/", internship_act, name="act"),
]
