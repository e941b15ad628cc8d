"""A supervising organisation's page of overdue duties and open incidents, and a partner's
shortcut to its own."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from magang.accounts.models import Organisation, Role
from magang.accounts.permissions import role_required
from magang.accounts.scopes import scope_for

from ...cases_access import case_scope
from ...models import OPEN_CASE_STATUSES, Case
from ...selectors import overdue_duties
from .pages import StaffRequest

ORGANISATION_ROWS = 100


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
@role_required(Role.PARTNER)
def my_organisation(request: StaffRequest) -> HttpResponse:
    """A partner's shortcut to its own organisation's page."""
    ids = sorted(scope_for(request.user).organisations(Role.PARTNER))
    return redirect("internships:organisation", pk=ids[0])
