from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from magang.core.models import AuditEntry

from .home import home_sections
from .models import Membership, Role, User
from .permissions import role_required
from .scopes import scope_for


class AuthenticatedHttpRequest(HttpRequest):
    user: User


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One page per user, made of the sections their roles call for."""
    scope = scope_for(request.user)
    memberships = (
        Membership.objects.filter(user=request.user, is_active=True)
        .select_related("organisation", "organisation__province", "organisation__prefecture")
        .order_by("role")
    )
    return render(
        request,
        "accounts/home.html",
        {"memberships": memberships, "sections": home_sections(request, scope)},
    )


@role_required(Role.ADMINISTRATOR)
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.select_related("actor").order_by("-at", "-id")
    action = request.GET.get("action", "").strip()
    object_type = request.GET.get("object_type", "").strip()
    if action:
        entries = entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    return render(
        request,
        "accounts/audit_log.html",
        {"page": page, "actions": actions, "action": action, "object_type": object_type},
    )
