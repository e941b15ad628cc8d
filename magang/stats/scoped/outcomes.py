"""Incidents and grievances by category, within the case scope, and alumni outcomes by their
latest survey."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, Sum

from magang.accounts.models import Role
from magang.accounts.scopes import scope_for

from ..models import AlumniCount, CaseCount
from .panels import MINISTRY_ROLES


@dataclass(frozen=True)
class CaseLine:
    category: str
    label: str
    filed: int
    open: int
    resolved: int
    escalated: int
    mean_hours_to_resolution: float | None


def incidents(*, user: Any) -> list[CaseLine]:
    """Cases by category within what ``case_scope`` lets the user read; every category."""
    from magang.internships.models.cases import CaseCategory

    scope = scope_for(user)
    rows = CaseCount.objects.all()
    if not scope.has_role(*MINISTRY_ROLES):
        visible = Q(pk__in=[])
        officer = scope.organisations(Role.REGIONAL_OFFICER)
        if officer:
            visible |= Q(site_organisation_id__in=officer)
        partner = scope.organisations(Role.PARTNER)
        if partner:
            visible |= Q(shared_with_partner=True, supervising_organisation_id__in=partner)
        rows = rows.filter(visible)
    sums = {
        category: (f, o, r, e, h)
        for category, f, o, r, e, h in rows.order_by()
        .values("category")
        .annotate(
            f=Sum("filed"), o=Sum("open"), r=Sum("resolved"), e=Sum("escalated"),
            h=Sum("hours_to_resolution"),
        )
        .values_list("category", "f", "o", "r", "e", "h")
    }  # fmt: skip
    lines = []
    for category in CaseCategory:
        f, o, r, e, h = sums.get(category.value, (0, 0, 0, 0, 0.0))
        mean = round(h / r, 1) if r else None
        lines.append(CaseLine(category.value, str(category.label), f, o, r, e, mean))
    return lines


@dataclass(frozen=True)
class AlumniLine:
    employment: str
    label: str
    count: int
    business_started: int
    back_in_japan_ssw: int


def alumni_outcomes() -> list[AlumniLine]:
    """What returned interns do now, by their latest survey (ministry roles)."""
    from magang.internships.models.alumni import Employment

    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for employment, business, ssw, n in AlumniCount.objects.values_list(
        "employment", "business_started", "back_in_japan_ssw", "count"
    ):
        line = totals[employment]
        line[0] += n
        line[1] += n if business else 0
        line[2] += n if ssw else 0
    return [
        AlumniLine(e.value, str(e.label), *totals[e.value]) for e in Employment if e.value in totals
    ]
