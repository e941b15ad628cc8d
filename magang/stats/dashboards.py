"""Leadership and partner dashboards (login, scoped) and the lists behind their figures.

Pages: the overview (placements, job orders, training cohorts: whichever the user's roles
give), the selection funnel of a round per site, and early return and missing rates (ministry
roles). Figures come from the summary tables (``scoped``); the drill-down lists read the
programme's tables through the owning apps' scoped selectors, a page at a time.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from magang.accounts.permissions import role_required
from magang.accounts.scopes import scope_for

from . import scoped
from .selectors import data_as_of, stats_today


def _urls() -> dict[str, str]:
    """Drill-down targets, reversed once per page rather than once per figure."""
    cohort = reverse("training:cohort_detail", args=[1])
    return {
        "internships": reverse("stats:drill_internships"),
        "orders": reverse("placement:order_list"),
        "cases": reverse("internships:case_list"),
        "cohorts": cohort[: cohort.rindex("1/")],
    }


def _panels(request: HttpRequest, needed: str) -> frozenset[str]:
    panels = scoped.panels_for(scope_for(request.user))
    if needed not in panels:
        raise PermissionDenied
    return panels


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) <= 9 else None


def _page(qs: Any, request: HttpRequest) -> dict[str, Any]:
    """One page of ``qs`` without counting it all: fetch one row more to know of a next."""
    number = max(1, _int(request.GET.get("page")) or 1)
    start = (number - 1) * scoped.DRILL_PAGE
    rows = list(qs[start : start + scoped.DRILL_PAGE + 1])
    query = request.GET.copy()
    query.pop("page", None)
    base = query.urlencode()
    return {
        "rows": rows[: scoped.DRILL_PAGE],
        "number": number,
        "first": start + 1,
        "previous": f"?{base}&page={number - 1}" if number > 1 else "",
        "next": f"?{base}&page={number + 1}" if len(rows) > scoped.DRILL_PAGE else "",
    }


@role_required(*scoped.DASHBOARD_ROLES)
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    panels = scoped.panels_for(scope_for(request.user))
    context: dict[str, Any] = {"panels": panels, "taken": data_as_of(), "urls": _urls()}
    if "placements" in panels:
        context["by_prefecture"] = scoped.placements_by(user=request.user, by="prefecture")
        context["by_trade"] = scoped.placements_by(user=request.user, by="trade")
    if "orders" in panels:
        context["orders"] = scoped.orders_by_prefecture(user=request.user)
    if "cohorts" in panels:
        context["cohorts"] = scoped.cohort_outcomes(user=request.user)
        context["cohort_states"] = scoped.COHORT_STATES
    if "incidents" in panels:
        context["incidents"] = scoped.incidents(user=request.user)
    if "alumni" in panels:
        context["alumni"] = scoped.alumni_outcomes()
    return render(request, "stats/dashboard.html", context)


@role_required(*scoped.DASHBOARD_ROLES)
@require_safe
def funnel(request: HttpRequest) -> HttpResponse:
    panels = _panels(request, "funnel")
    rounds = scoped.funnel_rounds(user=request.user)
    chosen = _int(request.GET.get("round"))
    if chosen is not None:
        round_ = next((r for r in rounds if r.pk == chosen), None)
        if round_ is None:
            raise Http404
    else:
        round_ = rounds[0] if rounds else None
    context: dict[str, Any] = {"panels": panels, "rounds": rounds, "taken": data_as_of()}
    if round_ is not None:
        context["funnel"] = scoped.funnel(user=request.user, round_=round_)
    return render(request, "stats/funnel.html", context)


@role_required(*scoped.MINISTRY_ROLES)
@require_safe
def rates(request: HttpRequest) -> HttpResponse:
    panels = _panels(request, "rates")
    return render(
        request,
        "stats/rates.html",
        {
            "panels": panels,
            "taken": data_as_of(),
            "urls": _urls(),
            "by_host": scoped.rates_by_host(user=request.user),
            "by_trade": scoped.placements_by(user=request.user, by="trade"),
        },
    )


@role_required(*scoped.DASHBOARD_ROLES)
@require_safe
def application_list(request: HttpRequest) -> HttpResponse:
    _panels(request, "funnel")
    round_id = _int(request.GET.get("round"))
    if round_id is None:
        raise Http404
    rounds = {r.pk: r for r in scoped.funnel_rounds(user=request.user)}
    if round_id not in rounds:
        raise Http404
    site_id = _int(request.GET.get("site"))
    if site_id is not None:
        site = get_object_or_404(
            scoped.visible_sites(user=request.user, round_id=round_id), pk=site_id
        )
    else:
        site = None
    step = request.GET.get("step", "registered")[:20]
    qs = scoped.application_drill(user=request.user, round_id=round_id, site_id=site_id, step=step)
    return render(
        request,
        "stats/drill_applications.html",
        {
            "round": rounds[round_id],
            "site": site,
            "step": step,
            "page": _page(qs, request),
            "back": "?" + urlencode({"round": round_id}),
        },
    )


@role_required(*scoped.DASHBOARD_ROLES)
@require_safe
def internship_list(request: HttpRequest) -> HttpResponse:
    panels = scoped.panels_for(scope_for(request.user))
    if "placements" not in panels:
        raise PermissionDenied
    host = _int(request.GET.get("host"))
    if host is not None and "rates" not in panels:
        # Lists by host company are the rates page's drill-down: ministry roles only.
        raise PermissionDenied
    outcome = request.GET.get("outcome", "")
    qs = scoped.internship_drill(
        user=request.user,
        prefecture=request.GET.get("prefecture", "")[:2],
        trade=request.GET.get("trade", "")[:12],
        host=host,
        outcome=outcome if outcome in scoped.OUTCOMES else "",
        today=stats_today(),
    )
    return render(
        request,
        "stats/drill_internships.html",
        {"page": _page(qs, request), "filters": request.GET, "outcome": outcome},
    )
