from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

from magang.accounts.models import Role
from magang.accounts.permissions import role_required

from django.urls import path

from .. import selectors
from ..models import ApplicationStatus

STAFF_READERS = (Role.REGIONAL_OFFICER, Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@role_required(*STAFF_READERS)
def application_list(request: HtmxHttpRequest) -> HttpResponse:
    site = request.GET.get("site", "")
    filters = selectors.ApplicationFilters(
        status=request.GET.get("status", "")
        if request.GET.get("status", "") in ApplicationStatus.values
        else "",
        round_code=request.GET.get("round", ""),
        site_id=int(site) if site.isdigit() else None,
        query=request.GET.get("q", "")[:100],
    )
    applications = selectors.application_list(user=request.user, filters=filters)
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "statuses": ApplicationStatus.choices,
        "sites": selectors.site_scope(user=request.user)
        .select_related("round")
        .order_by("-round__year", "name")[:200],
        "rounds": selectors.current_rounds()[:40],
    }
    template = (
        "recruitment/_application_rows.html"
        if request.htmx
        else ("recruitment/application_list.html")
    )
    return render(request, template, context)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.access_application(user=request.user, pk=pk)
    return render(
        request,
        "recruitment/application_detail.html",
        {
            "application": application,
            "events": selectors.application_events(application=application),
            "history": selectors.candidate_history(user=request.user, application=application),
        },
    )


urlpatterns = [
    path("applications/", application_list, name="application_list"),
    path("applications/<int:pk>/", application_detail, name="application_detail"),
]
