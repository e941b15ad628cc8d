"""Leadership and partner dashboards (login, scoped) and the lists behind their figures.

Pages: the overview (placements, job orders, training cohorts: whichever the user's roles
give), the selection funnel of a round per site, and early return and missing rates (ministry
roles). Figures come from the summary tables (``scoped``) and are rendered once per
refresh, scope and language (``rendered.kept``); the drill-down lists read the programme's
tables through the owning apps' scoped selectors, a page at a time.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from magang.accounts.permissions import role_required
from magang.accounts.scopes import Scope, scope_for

from . import rendered, scoped
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
    """One page of ``qs`` without counting it all: fetch one row more to know of a next.
    The page's ids first, then its rows with what they show: sorting thousands of rows
    joined to their names only to keep fifty was most of a large list's time."""
    number = max(1, _int(request.GET.get("page")) or 1)
    start = (number - 1) * scoped.DRILL_PAGE
    ids = list(qs.values_list("pk", flat=True)[start : start + scoped.DRILL_PAGE + 1])
    found = {row.pk: row for row in qs.order_by().filter(pk__in=ids)}
    rows = [found[pk] for pk in ids if pk in found]
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


def _kept(name: str, scope: Scope, parts: tuple[object, ...], make: Any) -> tuple[Any, Any]:
    """(when the figures were taken, the fragment ``make`` renders for this scope), kept
    until the next refresh (``rendered.kept``)."""
    stamp = rendered.latest_stamp()
    parts = (rendered.scope_key(scope), *parts)
    fragment = rendered.kept(name, stamp=stamp, parts=parts, make=make)
    return (stamp.data_as_of if stamp else None), mark_safe(fragment)  # noqa: S308 - ours


def _panels_html(user: Any, panels: frozenset[str]) -> str:
    context: dict[str, Any] = {"panels": panels, "urls": _urls()}
    if "placements" in panels:
        context["by_prefecture"] = scoped.placements_by(user=user, by="prefecture")
        context["by_trade"] = scoped.placements_by(user=user, by="trade")
    if "orders" in panels:
        context["orders"] = scoped.orders_by_prefecture(user=user)
    if "cohorts" in panels:
        context["cohorts"] = scoped.cohort_outcomes(user=user)
        context["cohort_states"] = scoped.COHORT_STATES
    if "incidents" in panels:
        context["incidents"] = scoped.incidents(user=user)
    if "alumni" in panels:
        context["alumni"] = scoped.alumni_outcomes()
    return render_to_string("stats/_dashboard_panels.html", context)


@role_required(*scoped.DASHBOARD_ROLES)
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    panels = scoped.panels_for(scope)
    taken, figures = _kept("dashboard", scope, (), lambda: _panels_html(request.user, panels))
    return render(
        request,
        "stats/dashboard.html",
        {"panels": panels, "taken": taken, "figures": figures},
    )


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
    context: dict[str, Any] = {"panels": panels, "rounds": rounds, "taken": None}
    if round_ is not None:
        shown = round_

        def table() -> str:
            funnel = scoped.funnel(user=request.user, round_=shown)
            return render_to_string("stats/_funnel_table.html", {"funnel": funnel})

        context["chosen"] = round_.pk
        context["taken"], context["figures"] = _kept(
            "funnel", scope_for(request.user), (round_.pk,), table
        )
    else:
        context["taken"] = data_as_of()
    return render(request, "stats/funnel.html", context)


@role_required(*scoped.MINISTRY_ROLES)
@require_safe
def rates(request: HttpRequest) -> HttpResponse:
    panels = _panels(request, "rates")

    def tables() -> str:
        return render_to_string(
            "stats/_rates_tables.html",
            {
                "urls": _urls(),
                "by_host": scoped.rates_by_host(user=request.user),
                "by_trade": scoped.placements_by(user=request.user, by="trade"),
            },
        )

    taken, figures = _kept("rates", scope_for(request.user), (), tables)
    return render(
        request, "stats/rates.html", {"panels": panels, "taken": taken, "figures": figures}
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
    site = (
        scoped.access_site(user=request.user, round_id=round_id, site_id=site_id)
        if site_id is not None
        else None
    )
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
