"""Objections: the candidate files one against their published result; the central team
reviews each and records the decision and its reason, which the candidate reads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from magang.accounts.models import Role, User
from magang.accounts.permissions import role_required
from magang.accounts.scopes import scope_for
from magang.recruitment.models import Application

from .. import services
from ..models import Objection, ObjectionState

READERS = (Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR)


class UserRequest(HttpRequest):
    user: User


@login_required
@require_http_methods(["GET", "POST"])
def objection_file(request: UserRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.select_related("candidate", "round"),
        pk=pk,
        candidate__user_id=request.user.pk,
    )
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.objection_file(
                application=application, by=request.user, reason=request.POST.get("reason", "")
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Your objection was received. A person will review it."))
            return redirect("selection:objection_file", pk=application.pk)
    return render(
        request,
        "selection/objection_file.html",
        {
            "application": application,
            "objections": application.objections.order_by("-created_at"),
            "published": services.published_run(application) is not None,
            "errors": errors,
            "reason": request.POST.get("reason", ""),
        },
        status=400 if errors else 200,
    )


@require_GET
@role_required(*READERS)
def objection_list(request: UserRequest) -> HttpResponse:
    state = request.GET.get("state", ObjectionState.OPEN)
    objections = Objection.objects.select_related("application__round", "reviewed_by").order_by(
        "created_at"
    )
    if state in ObjectionState.values:
        objections = objections.filter(state=state)
    page = Paginator(objections, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "selection/objection_list.html",
        {"page": page, "state": state, "states": ObjectionState.choices},
    )


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def objection_review(request: UserRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(
        Objection.objects.select_related("application__round", "run", "reviewed_by"), pk=pk
    )
    acts = scope_for(request.user).has_role(Role.CENTRAL_TEAM)
    errors: list[str] = []
    if request.method == "POST":
        if not acts:
            return HttpResponse(status=403)
        try:
            services.objection_review(
                objection=objection,
                by=request.user,
                upheld=request.POST.get("upheld") == "1",
                decision=request.POST.get("decision", ""),
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("The decision was recorded; the candidate can read it."))
            return redirect("selection:objection_list")
    placement = None
    if objection.run is not None:
        placement = objection.run.placements.filter(application=objection.application).first()
    return render(
        request,
        "selection/objection_review.html",
        {
            "objection": objection,
            "placement": placement,
            "acts": acts,
            "errors": errors,
            "post": request.POST,
        },
        status=400 if errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("my/<int:pk>/objection/", objection_file, name="objection_file"),
    path("objections/", objection_list, name="objection_list"),
    path("objections/<int:pk>/", objection_review, name="objection_review"),
]
