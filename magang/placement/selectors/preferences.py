"""A candidate's own ranking of job orders: which application ranks, whether it may, and the
open job orders it may rank, each with the requirements it does not meet (if any). Only
the user's own applications; nobody reads another candidate's ranking here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from magang.recruitment.models import Application, Candidate

from ..eligibility import Unmet, unmet
from ..models import JobOrder, JobOrderState, Preference
from ..services.candidacies import MAX_PREFERENCES, MAY_RANK, facts_of, requirements_of

__all__ = [
    "MAX_PREFERENCES",
    "MAY_RANK",
    "Choice",
    "MyRanking",
    "is_candidate",
    "my_application",
    "my_ranking",
    "rankable_orders",
]


def is_candidate(user: Any) -> bool:
    """Whether the user has a candidate record (staff, partners and host companies do not)."""
    return bool(user.is_authenticated) and Candidate.objects.filter(user_id=user.pk).exists()


def my_application(*, user: Any) -> Application | None:
    """The application the user ranks with: the latest that may rank, else the latest."""
    applications = Application.objects.filter(candidate__user_id=user.pk).select_related(
        "candidate", "round"
    )
    return (
        applications.filter(status__in=MAY_RANK).order_by("-created_at", "-pk").first()
        or applications.order_by("-created_at", "-pk").first()
    )


def rankable_orders(application: Application) -> QuerySet[JobOrder]:
    """Open job orders for the application's round (or for no round in particular),
    earliest start first."""
    return (
        JobOrder.objects.filter(state=JobOrderState.OPEN)
        .filter(Q(round__isnull=True) | Q(round_id=application.round_id))
        .select_related("trade", "prefecture")
        .order_by("planned_start", "reference")
    )


@dataclass(frozen=True)
class Choice:
    """One job order on the candidate's page: their rank of it (if any) and the requirements
    they do not meet (none: they may rank it)."""

    order: JobOrder
    rank: int | None
    unmet: tuple[Unmet, ...]

    @property
    def eligible(self) -> bool:
        return not self.unmet


@dataclass(frozen=True)
class MyRanking:
    application: Application | None
    may_rank: bool
    choices: list[Choice]  # open orders they meet the requirements of: ranked first
    ineligible: list[Choice]
    ranked: list[Preference]  # the saved ranking, closed orders included

    @property
    def closed(self) -> list[Preference]:
        """Ranked orders that are no longer open (saving again leaves them out)."""
        return [p for p in self.ranked if p.job_order.state != JobOrderState.OPEN]


def my_ranking(*, user: Any) -> MyRanking:
    application = my_application(user=user)
    if application is None or application.status not in MAY_RANK:
        return MyRanking(application, may_rank=False, choices=[], ineligible=[], ranked=[])
    ranked = list(
        Preference.objects.filter(application=application)
        .select_related("job_order__trade", "job_order__prefecture")
        .order_by("rank")
    )
    ranks = {p.job_order_id: p.rank for p in ranked}
    facts = facts_of(application)
    choices: list[Choice] = []
    ineligible: list[Choice] = []
    for order in rankable_orders(application):
        choice = Choice(order, ranks.get(order.pk), unmet(facts, requirements_of(order)))
        (choices if choice.eligible else ineligible).append(choice)
    choices.sort(key=lambda c: (c.rank is None, c.rank or 0))
    return MyRanking(application, True, choices, ineligible, ranked)
