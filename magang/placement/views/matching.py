"""Match runs for the committee (the central team acts; leadership and administrators read):
choose job orders, run, read the statistics and every result with its reason, change one
with a reason, finalise. Candidates read their own result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from magang.accounts.models import Role
from magang.accounts.permissions import role_required
from magang.accounts.scopes import scope_for

from ..models import JobOrder, JobOrderState, Match, MatchRun
from ..selectors.matching import match_explained, reader_language
from ..services.matching import match_change, match_finalise, match_run
from .common import UserRequest, refused

READERS = (Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR)
PAGE_SIZE = 100


@require_GET
@role_required(*READERS)
def run_list(request: UserRequest) -> HttpResponse:
    return render(
        request,
        "placement/match_list.html",
        {
            "runs": MatchRun.objects.select_related("created_by", "finalised_by")[:50],
            "open_orders": JobOrder.objects.filter(state=JobOrderState.OPEN)
            .select_related("host_company", "prefecture", "trade")
            .order_by("planned_start", "reference"),
            "acts": scope_for(request.user).has_role(Role.CENTRAL_TEAM),
        },
    )


@require_POST
@role_required(Role.CENTRAL_TEAM)
def run_create(request: UserRequest) -> HttpResponse:
    ids = [int(pk) for pk in request.POST.getlist("orders") if pk.isdigit()]
    try:
        run = match_run(orders=JobOrder.objects.filter(pk__in=ids), by=request.user)
    except ValidationError as exc:
        refused(request, exc)
        return redirect("placement:match_list")
    messages.success(request, _("The matching is ready for review."))
    return redirect("placement:match_detail", pk=run.pk)


@require_GET
@role_required(*READERS)
def run_detail(request: UserRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(MatchRun.objects.select_related("created_by", "finalised_by"), pk=pk)
    results = Match.objects.filter(run=run).select_related(
        "application__candidate", "job_order__host_company", "changed_by"
    )
    shown = request.GET.get("show", "")
    if shown == "matched":
        results = results.filter(job_order__isnull=False)
    elif shown == "unmatched":
        results = results.filter(job_order__isnull=True)
    page = Paginator(
        results.order_by("job_order__reference", "application__registration_number"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    language = reader_language()
    return render(
        request,
        "placement/match_detail.html",
        {
            "run": run,
            "page": page,
            "rows": [(row.match, row.explanation(language)) for row in match_explained(page)],
            "orders": run.job_orders.select_related("host_company").order_by("reference"),
            "show": shown,
            "acts": scope_for(request.user).has_role(Role.CENTRAL_TEAM) and run.state == "draft",
        },
    )


@require_POST
@role_required(Role.CENTRAL_TEAM)
def run_change(request: UserRequest, pk: int, match: int) -> HttpResponse:
    result = get_object_or_404(Match, pk=match, run_id=pk)
    order_id = request.POST.get("job_order", "")
    order = get_object_or_404(JobOrder, pk=int(order_id)) if order_id.isdigit() else None
    try:
        match_change(
            match=result, job_order=order, reason=request.POST.get("reason", ""), by=request.user
        )
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The result was changed and the reason recorded."))
    return redirect("placement:match_detail", pk=pk)


@require_POST
@role_required(Role.CENTRAL_TEAM)
def run_finalise(request: UserRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(MatchRun, pk=pk)
    try:
        match_finalise(run=run, by=request.user)
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Final: the matched candidates and the partners are told."))
    return redirect("placement:match_detail", pk=pk)


@require_GET
@login_required
def my_match(request: UserRequest) -> HttpResponse:
    """The candidate's own results of final runs, with the reason."""
    language = reader_language()
    results = (
        Match.objects.filter(application__candidate__user_id=request.user.pk, run__state="final")
        .select_related(
            "application",
            "job_order__host_company",
            "job_order__prefecture",
            "job_order__trade",
            "run",
        )
        .order_by("-run__finalised_at")
    )
    rows = [(row.match, row.explanation(language)) for row in match_explained(results)]
    return render(request, "placement/my_match.html", {"rows": rows})


urlpatterns: list[URLPattern] = [
    path("matching/", run_list, name="match_list"),
    path("matching/run/", run_create, name="match_create"),
    path("matching/<int:pk>/", run_detail, name="match_detail"),
    path("matching/<int:pk>/results/<int:match>/", run_change, name="match_change"),
    path("matching/<int:pk>/finalise/", run_finalise, name="match_finalise"),
    path("my/match/", my_match, name="my_match"),
]
