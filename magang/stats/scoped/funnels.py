"""The funnel of a recruitment round per selection site: the steps an application has
reached, from the status and stage summaries, within the sites the user may read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from magang.accounts.models import Role
from magang.accounts.scopes import scope_for
from magang.recruitment.models import ApplicationStatus, RecruitmentRound, SelectionSite
from magang.selection.models import Stage

from ..models import StageCount, StatusCount
from ..selectors import SELECTED_OR_LATER
from .panels import MINISTRY_ROLES

S = ApplicationStatus
ELIGIBLE_OR_LATER = frozenset(
    {S.ELIGIBLE, S.IN_SELECTION, S.RESERVE, S.NOT_SELECTED} | set(SELECTED_OR_LATER)
)
TRAINED = frozenset(
    {S.GRADUATED, S.MATCHED, S.DEPARTED, S.IN_JAPAN}
    | {S.COMPLETED, S.EARLY_RETURN, S.MISSING, S.RETURNED}
)
DEPARTED = frozenset({S.DEPARTED, S.IN_JAPAN, S.COMPLETED, S.EARLY_RETURN, S.MISSING, S.RETURNED})
# Funnel steps that a current status answers: an application is counted in every step it
# has reached. Withdrawn applications count as registered only (where they left is not kept
# in the status).
STATUS_STEPS: dict[str, frozenset[str] | None] = {
    "registered": None,
    "eligible": ELIGIBLE_OR_LATER,
    "selected": frozenset(SELECTED_OR_LATER),
    "trained": TRAINED,
    "departed": DEPARTED,
}


@dataclass(frozen=True)
class Step:
    key: str  # "registered", "eligible", "stage-<id>", "selected", "trained", "departed"
    label: str


@dataclass
class FunnelRow:
    site_id: int | None  # None: the total of the shown sites
    name: str
    counts: dict[str, int] = field(default_factory=dict)

    def cells(self, steps: Iterable[Step]) -> list[tuple[Step, int]]:
        return [(step, self.counts.get(step.key, 0)) for step in steps]


@dataclass(frozen=True)
class Funnel:
    round: RecruitmentRound
    steps: tuple[Step, ...]
    rows: tuple[FunnelRow, ...]
    total: FunnelRow


def visible_sites(*, user: Any, round_id: int) -> QuerySet[SelectionSite]:
    scope = scope_for(user)
    sites = SelectionSite.objects.filter(round_id=round_id)
    if scope.has_role(*MINISTRY_ROLES):
        return sites
    return sites.filter(organisation_id__in=scope.organisations(Role.REGIONAL_OFFICER))


def access_site(*, user: Any, round_id: int, site_id: int) -> SelectionSite:
    """A selection site of the round whose funnel figures the user reads; 404 otherwise."""
    site = visible_sites(user=user, round_id=round_id).filter(pk=site_id).first()
    if site is None:
        raise Http404("No such selection site.")
    return site


def funnel_rounds(*, user: Any) -> list[RecruitmentRound]:
    """Rounds the user may pick, newest first."""
    scope = scope_for(user)
    rounds = RecruitmentRound.objects.order_by("-year", "-opens_on", "code")
    if not scope.has_role(*MINISTRY_ROLES):
        rounds = rounds.filter(
            sites__organisation_id__in=scope.organisations(Role.REGIONAL_OFFICER)
        ).distinct()
    return list(rounds)


def stage_steps(round_id: int) -> list[Step]:
    return [
        Step(f"stage-{pk}", name)
        for pk, name in Stage.objects.filter(plan__round_id=round_id)
        .order_by("order")
        .values_list("pk", "name_en")
    ]


def status_counts(round_id: int, sites: QuerySet[SelectionSite]) -> list[tuple[int, str, int]]:
    """(site, status, applications) of the round's ``sites``, from the summaries."""
    rows = StatusCount.objects.filter(round_id=round_id, site_id__in=sites.values("pk"))
    return list(rows.values_list("site_id", "status", "count"))


def stage_counts(round_id: int, sites: QuerySet[SelectionSite]) -> list[tuple[int, int, int]]:
    """(site, stage, passed) of the round's ``sites``, from the summaries."""
    rows = StageCount.objects.filter(round_id=round_id, site_id__in=sites.values("pk"))
    return list(rows.values_list("site_id", "stage_id", "passed"))


def funnel(*, user: Any, round_: RecruitmentRound) -> Funnel:
    # The sites go to the counts as a subquery: a national round has hundreds of them.
    visible = visible_sites(user=user, round_id=round_.pk)
    sites = dict(visible.values_list("pk", "name"))

    steps = (
        Step("registered", _("Registered")),
        Step("eligible", _("Eligible")),
        *stage_steps(round_.pk),
        Step("selected", _("Selected")),
        Step("trained", _("Trained")),
        Step("departed", _("Departed")),
    )
    rows: dict[int, FunnelRow] = {pk: FunnelRow(pk, name) for pk, name in sites.items()}
    for site_id, status, count in status_counts(round_.pk, visible):
        row = rows[site_id]
        for key, reached in STATUS_STEPS.items():
            if reached is None or status in reached:
                row.counts[key] = row.counts.get(key, 0) + count
    for site_id, stage_id, passed in stage_counts(round_.pk, visible):
        rows[site_id].counts[f"stage-{stage_id}"] = passed
    total = FunnelRow(None, _("All shown sites"))
    for row in rows.values():
        for key, n in row.counts.items():
            total.counts[key] = total.counts.get(key, 0) + n
    ordered = tuple(sorted(rows.values(), key=lambda r: r.name))
    return Funnel(round_, steps, ordered, total)
