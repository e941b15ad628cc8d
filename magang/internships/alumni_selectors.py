"""Reads of returns, grants and the alumni directory, starting from ``alumni_access``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from .alumni_access import returned_scope
from .models import AlumniProfile, GrantStatus, Internship


def alumni_rows(*, user: Any, returned: str = "", grant: str = "") -> QuerySet[Internship]:
    """Ended stays the user may read as staff, with their return and grant; ``returned`` is
    "yes" / "no" / "" and ``grant`` a grant status or "none"."""
    qs = returned_scope(user=user).select_related(
        "application__candidate",
        "application__site",
        "prefecture",
        "trade",
        "return_record__grant",
    )
    if returned == "yes":
        qs = qs.filter(return_record__isnull=False)
    elif returned == "no":
        qs = qs.filter(return_record__isnull=True)
    if grant == "none":
        qs = qs.filter(return_record__grant__isnull=True)
    elif grant in GrantStatus.values:
        qs = qs.filter(return_record__grant__status=grant)
    return qs.order_by("-ended_on", "-id")


def profile_for_internship(internship: Internship) -> AlumniProfile | None:
    return (
        AlumniProfile.objects.filter(candidate_id=internship.application.candidate_id)
        .select_related("candidate")
        .first()
    )


@dataclass(frozen=True)
class DirectoryRow:
    """What the directory shows of a consenting alumnus, and nothing more."""

    name: str
    headline: str
    province: str
    trade: str
    returned_year: int | None
    contact: str


def directory_rows(
    *, qs: QuerySet[AlumniProfile], province: str = "", query: str = ""
) -> list[DirectoryRow]:
    """Directory fields of the given (already scoped) profiles, by name."""
    if province:
        qs = qs.filter(province__code=province)
    if query.strip():
        term = query.strip()
        qs = qs.filter(Q(candidate__full_name__icontains=term) | Q(headline__icontains=term))
    profiles = list(
        qs.select_related("candidate", "province").order_by("candidate__full_name")[:500]
    )
    latest: dict[int, tuple[str, int | None]] = {}
    for candidate_id, trade, year in (
        Internship.objects.filter(
            application__candidate_id__in=[p.candidate_id for p in profiles],
            return_record__isnull=False,
        )
        .order_by("departed_on")
        .values_list(
            "application__candidate_id", "trade__name_en", "return_record__returned_on__year"
        )
    ):
        latest[candidate_id] = (trade or "", year)
    return [
        DirectoryRow(
            name=p.candidate.full_name,
            headline=p.headline,
            province=p.province.name if p.province else "",
            trade=latest.get(p.candidate_id, ("", None))[0],
            returned_year=latest.get(p.candidate_id, ("", None))[1],
            contact=p.directory_contact,
        )
        for p in profiles
    ]
