"""Reads for the funnel of a round: per selection site, who registered, entered selection,
reached and passed each stage, and was selected or kept in reserve."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When
from django.http import Http404

from magang.accounts.models import Role
from magang.accounts.scopes import scope_for
from magang.recruitment.models import (
    Application,
    ApplicationStatus,
    RecruitmentRound,
    SelectionSite,
)
from magang.recruitment.selectors import site_scope

from ..models import Outcome, Placement, RankingRun, RunState, SelectionPlan, Stage, StageResult

# Who reads the funnel: officers for their own sites, the rest for every site.
FUNNEL_ROLES = (Role.REGIONAL_OFFICER, Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR)
# An application in one of these statuses has not entered selection (unless it has results:
# someone may withdraw half-way).
NOT_ENTERED = (
    ApplicationStatus.REGISTERED,
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.INELIGIBLE,
    ApplicationStatus.WITHDRAWN,
)
# One application's code at one stage in the funnel's query: passed, failed (NULL: none).
_PASSED, _FAILED = 2, 1


@dataclass
class StageCount:
    """Who reached a stage (a result at every earlier stage, none of them an eliminating
    failure), and of them who passed, failed, or has no result yet."""

    stage: Stage
    reached: int = 0
    passed: int = 0
    failed: int = 0

    @property
    def pending(self) -> int:
        return self.reached - self.passed - self.failed


@dataclass
class FunnelRow:
    """One selection site's figures (``site`` None: the total of the sites shown)."""

    site: SelectionSite | None
    stages: list[StageCount]
    registered: int = 0
    entered: int = 0
    selected: int = 0
    reserve: int = 0
    ranked_selected: int | None = None
    ranked_reserve: int | None = None

    def add(self, other: FunnelRow) -> None:
        self.registered += other.registered
        self.entered += other.entered
        self.selected += other.selected
        self.reserve += other.reserve
        if other.ranked_selected is not None:
            self.ranked_selected = (self.ranked_selected or 0) + other.ranked_selected
            self.ranked_reserve = (self.ranked_reserve or 0) + (other.ranked_reserve or 0)
        for mine, theirs in zip(self.stages, other.stages, strict=True):
            mine.reached += theirs.reached
            mine.passed += theirs.passed
            mine.failed += theirs.failed


@dataclass
class Funnel:
    round: RecruitmentRound
    plan: SelectionPlan | None
    stages: list[Stage]
    rows: list[FunnelRow]
    total: FunnelRow
    final_run: RankingRun | None
    site: SelectionSite | None = None
    sites: list[SelectionSite] = field(default_factory=list)


def round_plan(round_: RecruitmentRound) -> SelectionPlan | None:
    return SelectionPlan.objects.filter(round=round_).first()


def final_run(plan: SelectionPlan | None) -> RankingRun | None:
    if plan is None:
        return None
    return RankingRun.objects.filter(plan=plan, state=RunState.FINAL).first()


def funnel_sites(*, user: Any, round_: RecruitmentRound) -> list[SelectionSite]:
    """The round's selection sites whose figures the user may read."""
    if not scope_for(user).has_role(*FUNNEL_ROLES):
        raise PermissionDenied
    return list(site_scope(user=user).filter(round=round_).order_by("province__code", "name"))


def funnel(*, user: Any, round_: RecruitmentRound, site: SelectionSite | None = None) -> Funnel:
    """Per selection site: registered, entered selection, each stage in plan order (reached,
    passed, failed, no result yet), and selected / reserve, both as the final ranking
    decided and as the applications' statuses are now. The total is over the sites the user
    may read (an officer's own sites), or the one ``site`` asked for.

    PermissionDenied for roles that do not read figures; Http404 for a site outside the
    user's scope. A fixed number of queries whatever the size of the round.
    """
    sites = funnel_sites(user=user, round_=round_)
    if site is not None:
        sites = [s for s in sites if s.pk == site.pk]
        if not sites:
            raise Http404("No such selection site.")
    plan = round_plan(round_)
    stages = list(plan.stages.order_by("order")) if plan is not None else []
    run = final_run(plan)

    def empty(row_site: SelectionSite | None) -> FunnelRow:
        row = FunnelRow(site=row_site, stages=[StageCount(stage=s) for s in stages])
        if run is not None:
            row.ranked_selected, row.ranked_reserve = 0, 0
        return row

    rows = {s.pk: empty(s) for s in sites}
    applications = Application.objects.filter(round=round_, site_id__in=list(rows))
    _count_statuses(rows, applications, plan)
    if stages:
        _count_stages(rows, applications, stages)
    if run is not None:
        _count_ranked(rows, run)
    total = empty(None)
    for row in rows.values():
        total.add(row)
    return Funnel(
        round=round_,
        plan=plan,
        stages=stages,
        rows=list(rows.values()),
        total=total,
        final_run=run,
        site=site,
        sites=sites,
    )


def _count_statuses(
    rows: Mapping[int, FunnelRow], applications: QuerySet[Application], plan: SelectionPlan | None
) -> None:
    """Registered, entered, and selected / reserve now: one GROUP BY site."""
    entered = ~Q(status__in=NOT_ENTERED)
    if plan is not None:
        entered |= Q(pk__in=StageResult.objects.filter(stage__plan=plan).values("application_id"))
    counts = (
        applications.order_by()
        .values("site_id")
        .annotate(
            registered=Count("id"),
            entered=Count("id", filter=entered),
            selected=Count("id", filter=Q(status=ApplicationStatus.SELECTED)),
            reserve=Count("id", filter=Q(status=ApplicationStatus.RESERVE)),
        )
    )
    for item in counts:
        row = rows[item["site_id"]]
        row.registered, row.entered = item["registered"], item["entered"]
        row.selected, row.reserve = item["selected"], item["reserve"]


def _count_stages(
    rows: Mapping[int, FunnelRow], applications: QuerySet[Application], stages: Sequence[Stage]
) -> None:
    """Each application's results become one code per stage (passed, failed, none) in a
    GROUP BY application; the outer query counts applications per site and combination of
    codes, so Python walks a few dozen combinations, never one row per application. The
    walk stops at a missing result or an eliminating failure: a result recorded after one
    is not counted as reached."""
    codes = {
        f"stage_{index}": Max(
            Case(
                When(
                    stage_results__stage_id=stage.pk,
                    then=Case(
                        When(stage_results__passed=True, then=Value(_PASSED)),
                        default=Value(_FAILED),
                    ),
                ),
                default=None,
                output_field=IntegerField(),
            )
        )
        for index, stage in enumerate(stages)
    }
    per_application = (
        applications.filter(stage_results__stage_id__in=[s.pk for s in stages])
        .order_by()
        .values("id", "site_id")
        .annotate(**codes)
    )
    inner, params = per_application.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in ["site_id", *codes])
    sql = (
        f"SELECT {columns}, COUNT(*) FROM ({inner}) per_application "  # noqa: S608  (names from here)
        f"GROUP BY {columns}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        combinations = cursor.fetchall()
    with_results: dict[int, int] = defaultdict(int)
    for site_id, *stage_codes, number in combinations:
        with_results[site_id] += number
        _walk(rows[site_id].stages, stage_codes, number)
    for site_id, row in rows.items():
        # Entered selection with nothing recorded yet: waiting at the first stage.
        row.stages[0].reached += max(row.entered - with_results[site_id], 0)


def _walk(counts: Sequence[StageCount], codes: Sequence[int | None], number: int) -> None:
    for count, code in zip(counts, codes, strict=True):
        count.reached += number
        if code == _PASSED:
            count.passed += number
        elif code == _FAILED:
            count.failed += number
            if count.stage.eliminating:
                return
        else:
            return


def _count_ranked(rows: Mapping[int, FunnelRow], run: RankingRun) -> None:
    counts = (
        Placement.objects.filter(run=run, application__site_id__in=list(rows))
        .order_by()
        .values("application__site_id")
        .annotate(
            selected=Count("id", filter=Q(outcome=Outcome.SELECTED)),
            reserve=Count("id", filter=Q(outcome=Outcome.RESERVE)),
        )
    )
    for item in counts:
        row = rows[item["application__site_id"]]
        row.ranked_selected, row.ranked_reserve = item["selected"], item["reserve"]


def funnel_rounds(*, user: Any) -> list[RecruitmentRound]:
    """Rounds with a selection plan, latest first; an officer's only where they run a site."""
    scope = scope_for(user)
    if not scope.has_role(*FUNNEL_ROLES):
        return []
    rounds = RecruitmentRound.objects.filter(selection_plan__isnull=False)
    if not scope.is_nationwide:
        rounds = rounds.filter(sites__in=site_scope(user=user)).distinct()
    return list(rounds.order_by("-year", "-opens_on", "code"))
