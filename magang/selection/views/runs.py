"""Central-team pages for a round's ranking: the plan and its runs, one run with what changed
since the previous one, and the two-person finalisation and publication. Leadership and
administrators read; only the central team acts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from magang.accounts.models import Role, User
from magang.accounts.permissions import role_required
from magang.accounts.scopes import scope_for
from magang.recruitment.journey import Status
from magang.recruitment.models import Application, RecruitmentRound

from .. import services
from ..models import Outcome, Placement, RankingRun, RunState, SelectionPlan
from ..selectors import run_changes

READERS = (Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR)
PAGE_SIZE = 100


class StaffRequest(HttpRequest):
    user: User


def _plan(round_code: str) -> SelectionPlan:
    return get_object_or_404(SelectionPlan.objects.select_related("round"), round__code=round_code)


def _run(round_code: str, number: int) -> RankingRun:
    return get_object_or_404(
        RankingRun.objects.select_related(
            "plan__round", "created_by", "proposed_by", "approved_by"
        ),
        plan__round__code=round_code,
        number=number,
    )


def _acts(request: StaffRequest) -> bool:
    return scope_for(request.user).has_role(Role.CENTRAL_TEAM)


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_GET
@role_required(*READERS)
def plan_list(request: StaffRequest) -> HttpResponse:
    plans = SelectionPlan.objects.select_related("round").order_by("-round__year", "round__code")
    return render(request, "selection/plan_list.html", {"plans": plans})


@require_GET
@role_required(*READERS)
def run_list(request: StaffRequest, round_code: str) -> HttpResponse:
    plan = _plan(round_code)
    in_selection = Application.objects.filter(
        round_id=plan.round_id, status=Status.IN_SELECTION
    ).count()
    return render(
        request,
        "selection/run_list.html",
        {
            "plan": plan,
            "stages": plan.stages.all(),
            "quotas": plan.quotas.all(),
            "runs": plan.runs.select_related("created_by", "proposed_by", "approved_by"),
            "in_selection": in_selection,
            "acts": _acts(request),
            "can_copy": scope_for(request.user).has_role(Role.ADMINISTRATOR),
            "final": plan.runs.filter(state=RunState.FINAL).first(),
        },
    )


@require_POST
@role_required(Role.CENTRAL_TEAM)
def run_create(request: StaffRequest, round_code: str) -> HttpResponse:
    plan = _plan(round_code)
    try:
        run = services.ranking_run(
            plan=plan, by=request.user, allow_incomplete=request.POST.get("allow_incomplete") == "1"
        )
    except ValidationError as exc:
        _refused(request, exc)
        return redirect("selection:run_list", round_code=round_code)
    messages.success(request, _("Run %(number)s is ready for review.") % {"number": run.number})
    return redirect("selection:run_detail", round_code=round_code, number=run.number)


def _placements(run: RankingRun, request: HttpRequest) -> QuerySet[Placement]:
    placements = Placement.objects.filter(run=run).select_related("application")
    unit = request.GET.get("unit", "")
    outcome = request.GET.get("outcome", "")
    if unit:
        placements = placements.filter(unit_key=unit)
    if outcome in Outcome.values:
        placements = placements.filter(outcome=outcome)
    return placements.order_by("unit_key", "rank_in_unit", "application__registration_number")


@require_GET
@role_required(*READERS)
def run_detail(request: StaffRequest, round_code: str, number: int) -> HttpResponse:
    run = _run(round_code, number)
    language = "en" if (get_language() or "id").startswith(("en", "ja")) else "id"
    page = Paginator(_placements(run, request), PAGE_SIZE).get_page(request.GET.get("page"))
    unit_names = {unit["key"]: unit["name"] for unit in run.units}
    return render(
        request,
        "selection/run_detail.html",
        {
            "run": run,
            "plan": run.plan,
            "changes": run_changes(run, language=language),
            "page": page,
            "rows": [
                (
                    p,
                    getattr(p, "explanation_en" if language == "en" else "explanation_id"),
                    unit_names.get(p.unit_key, p.unit_key),
                )
                for p in page
            ],
            "outcomes": Outcome.choices,
            "unit": request.GET.get("unit", ""),
            "outcome": request.GET.get("outcome", ""),
            "acts": _acts(request),
            "is_latest": not run.plan.runs.filter(number__gt=run.number).exists(),
        },
    )


def _act(
    request: StaffRequest, round_code: str, number: int, action: Any, done: str
) -> HttpResponse:
    run = _run(round_code, number)
    try:
        action(run=run, by=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, done)
    return redirect("selection:run_detail", round_code=round_code, number=number)


@require_POST
@role_required(Role.CENTRAL_TEAM)
def run_propose(request: StaffRequest, round_code: str, number: int) -> HttpResponse:
    return _act(
        request, round_code, number, services.run_propose,
        _("Proposed. Another member of the central team must approve it."),
    )  # fmt: skip


@require_POST
@role_required(Role.CENTRAL_TEAM)
def run_approve(request: StaffRequest, round_code: str, number: int) -> HttpResponse:
    return _act(
        request, round_code, number, services.run_approve,
        _("Approved: the ranking is final and every application has its result."),
    )  # fmt: skip


@require_POST
@role_required(Role.CENTRAL_TEAM)
def run_publish(request: StaffRequest, round_code: str, number: int) -> HttpResponse:
    return _act(
        request, round_code, number, services.run_publish,
        _("Published with its SHA-256 digest."),
    )  # fmt: skip


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def plan_copy(request: StaffRequest, round_code: str) -> HttpResponse:
    """Next year's plan: copy this one to a round without a plan, then edit the copy."""
    source = _plan(round_code)
    targets = RecruitmentRound.objects.filter(selection_plan__isnull=True).order_by("-year", "code")
    errors: list[str] = []
    if request.method == "POST":
        target = targets.filter(code=request.POST.get("round", "")).first()
        if target is None:
            errors = [_("Choose a round that has no selection plan yet.")]
        else:
            try:
                copy = services.plan_copy(source=source, round_=target, by=request.user)
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(
                    request,
                    _("The plan was copied to %(round)s. Edit its stages and quotas here.")
                    % {"round": target.name},
                )
                return redirect("admin:selection_selectionplan_change", copy.pk)
    return render(
        request,
        "selection/plan_copy.html",
        {"source": source, "targets": targets, "errors": errors},
        status=400 if errors else 200,
    )


@role_required(Role.CENTRAL_TEAM)
def seat_vacate(request: StaffRequest, pk: int) -> HttpResponse:
    """A selected person leaves; the unit's next reserve is promoted."""
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    application = get_object_or_404(
        Application.objects.select_related("candidate", "round"), pk=pk, status=Status.SELECTED
    )
    errors: list[str] = []
    if request.method == "POST":
        try:
            promotion = services.seat_vacate(
                application=application,
                to=request.POST.get("to", ""),
                reason=request.POST.get("reason", ""),
                by=request.user,
            )
        except (ValidationError, ValueError) as exc:
            errors = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        except PermissionDenied:
            raise
        else:
            if promotion.promoted is not None:
                messages.success(
                    request,
                    _("%(number)s was promoted from the reserve list.")
                    % {"number": promotion.promoted.registration_number},
                )
            else:
                messages.warning(
                    request, _("No reserve is left in this unit; the seat stays empty.")
                )
            return redirect("selection:run_list", round_code=application.round.code)
    return render(
        request,
        "selection/seat_vacate.html",
        {"application": application, "errors": errors, "post": request.POST},
        status=400 if errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("plans/", plan_list, name="plan_list"),
    path("plans/<slug:round_code>/", run_list, name="run_list"),
    path("plans/<slug:round_code>/runs/", run_create, name="run_create"),
    path("plans/<slug:round_code>/runs/<int:number>/", run_detail, name="run_detail"),
    path("plans/<slug:round_code>/runs/<int:number>/propose/", run_propose, name="run_propose"),
    path("plans/<slug:round_code>/runs/<int:number>/approve/", run_approve, name="run_approve"),
    path("plans/<slug:round_code>/runs/<int:number>/publish/", run_publish, name="run_publish"),
    path("plans/<slug:round_code>/copy/", plan_copy, name="plan_copy"),
    path("seats/<int:pk>/vacate/", seat_vacate, name="seat_vacate"),
]
