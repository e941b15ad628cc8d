"""Reads for the results grid: who may open a stage's grid at a site, the people who sat
the stage there, and how far each grid is filled in (the index)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
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

from ..models import RecordedBy, Stage, StageResult
from ..services.results import may_record_at, sees_stage_detail

# "In the running" for a stage: an application of the site in selection that has not
# failed an earlier *eliminating* stage. A missing earlier result does not remove anyone;
# the row is marked instead, so that the gap gets filled.

GRID_ROLES = (Role.REGIONAL_OFFICER, Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR)


@dataclass(frozen=True)
class GridAccess:
    """A stage's grid at one site as one user may use it."""

    stage: Stage
    site: SelectionSite
    may_record: bool  # rows (and imports) may be written
    detail: bool  # values are shown; otherwise only passed or failed (medical stages)


def _may_open_stage(user: object, stage: Stage) -> bool:
    """Nationwide roles open every stage's grid; regional officers the site-recorded ones."""
    scope = scope_for(user)
    if scope.is_nationwide:
        return True
    return stage.recorded_by == RecordedBy.SITE and scope.has_role(Role.REGIONAL_OFFICER)


def access_grid(*, user: object, stage_pk: int, site_pk: int, write: bool = False) -> GridAccess:
    """The grid of stage ``stage_pk`` at site ``site_pk``.

    ``Http404`` when the site is outside the user's scope, or the stage is not of the site's
    round (missing and not yours alike); ``PermissionDenied`` when the user may not open
    this stage (a regional officer and a central stage) or, with ``write``, may not record.
    """
    site = site_scope(user=user).select_related("round").filter(pk=site_pk).first()
    if site is None:
        raise Http404("No such site.")
    stage = (
        Stage.objects.select_related("plan")
        .filter(pk=stage_pk, plan__round_id=site.round_id)
        .first()
    )
    if stage is None:
        raise Http404("No such stage.")
    if not _may_open_stage(user, stage):
        raise PermissionDenied
    detail = sees_stage_detail(user, stage)
    access = GridAccess(
        stage=stage,
        site=site,
        # Writing a row shows its value (and someone else's, when stale): detail first.
        may_record=detail and may_record_at(user, stage, site),
        detail=detail,
    )
    if write and not access.may_record:
        raise PermissionDenied
    return access


def _failed_eliminating_before(order: int) -> Exists:
    return Exists(
        StageResult.objects.filter(
            application=OuterRef("pk"),
            passed=False,
            stage__eliminating=True,
            stage__order__lt=order,
        )
    )


def grid_applications(
    *, stage: Stage, site: SelectionSite, to_record: bool = False
) -> QuerySet[Application]:
    """The site's applications in the running for ``stage``, by registration number;
    ``to_record``: only those without a result at the stage yet."""
    applications = (
        Application.objects.filter(
            site=site, round_id=stage.plan.round_id, status=ApplicationStatus.IN_SELECTION
        )
        .exclude(_failed_eliminating_before(stage.order))
        .select_related("candidate")
        .order_by("registration_number", "pk")
    )
    if to_record:
        applications = applications.exclude(
            Exists(StageResult.objects.filter(application=OuterRef("pk"), stage=stage))
        )
    return applications


@dataclass(frozen=True)
class GridRow:
    application: Application
    result: StageResult | None
    missing: tuple[Stage, ...]  # earlier eliminating stages without a result

    @property
    def version(self) -> int:
        return self.result.version if self.result is not None else 0


def grid_rows(*, stage: Stage, applications: Sequence[Application]) -> list[GridRow]:
    """One row per application (a page of ``grid_applications``): its result at the stage
    and the earlier eliminating stages it has no result for. Two queries, whatever the
    number of rows."""
    ids = [application.pk for application in applications]
    results = {
        result.application_id: result
        for result in StageResult.objects.filter(stage=stage, application_id__in=ids)
        .select_related("stage", "recorded_by")
        .order_by()
    }
    earlier = list(
        Stage.objects.filter(plan_id=stage.plan_id, eliminating=True, order__lt=stage.order)
    )
    present: dict[int, set[int]] = defaultdict(set)
    if earlier:
        pairs = StageResult.objects.filter(application_id__in=ids, stage__in=earlier).values_list(
            "application_id", "stage_id"
        )
        for application_id, stage_id in pairs:
            present[application_id].add(stage_id)
    return [
        GridRow(
            application=application,
            result=results.get(application.pk),
            missing=tuple(s for s in earlier if s.pk not in present[application.pk]),
        )
        for application in applications
    ]


def grid_row(*, access: GridAccess, application_pk: int) -> GridRow:
    """The row of one application of the grid; ``Http404`` when it is not in the running."""
    application = (
        grid_applications(stage=access.stage, site=access.site).filter(pk=application_pk).first()
    )
    if application is None:
        raise Http404("No such row.")
    return grid_rows(stage=access.stage, applications=[application])[0]


@dataclass(frozen=True)
class GridProgress:
    stage: Stage
    site: SelectionSite
    running: int
    recorded: int

    @property
    def to_record(self) -> int:
        return self.running - self.recorded


@dataclass(frozen=True)
class GridSiteProgress:
    site: SelectionSite
    stages: list[GridProgress]


@dataclass(frozen=True)
class GridRound:
    round: RecruitmentRound
    stages: list[Stage]
    sites: list[GridSiteProgress]


def _first_failure() -> Subquery:
    """The order of an application's earliest failed eliminating stage (NULL: none)."""
    return Subquery(
        StageResult.objects.filter(
            application=OuterRef("pk"), passed=False, stage__eliminating=True
        )
        .order_by("stage__order")
        .values("stage__order")[:1],
        output_field=IntegerField(),
    )


def grid_index(*, user: object) -> list[GridRound]:
    """Every grid the user may open, by round (latest first) and site: how many people are
    in the running for each stage and how many of them have a result.

    Only rounds with a selection plan and applications in selection at the user's sites are
    listed. Counted in the database, in two grouped queries."""
    in_selection = Application.objects.filter(
        site__in=site_scope(user=user),
        status=ApplicationStatus.IN_SELECTION,
        round__selection_plan__isnull=False,
    )
    running: dict[int, dict[int | None, int]] = defaultdict(dict)
    for row in (
        in_selection.annotate(first_failure=_first_failure())
        .values("site_id", "first_failure")
        .annotate(n=Count("id"))
        .order_by()
    ):
        running[row["site_id"]][row["first_failure"]] = row["n"]
    if not running:
        return []
    recorded: dict[tuple[int, int], int] = defaultdict(int)
    for row in (
        StageResult.objects.filter(application__in=in_selection)
        .annotate(
            first_failure=Subquery(
                StageResult.objects.filter(
                    application_id=OuterRef("application_id"),
                    passed=False,
                    stage__eliminating=True,
                )
                .order_by("stage__order")
                .values("stage__order")[:1],
                output_field=IntegerField(),
            )
        )
        .values("application__site_id", "stage_id", "stage__order", "first_failure")
        .annotate(n=Count("id"))
        .order_by()
    ):
        failure = row["first_failure"]
        if failure is None or failure >= row["stage__order"]:
            recorded[(row["application__site_id"], row["stage_id"])] += row["n"]

    sites = list(
        SelectionSite.objects.filter(pk__in=running)
        .select_related("round", "province")
        .order_by("-round__year", "round__code", "province__code", "name")
    )
    stages_by_round: dict[int, list[Stage]] = defaultdict(list)
    for stage in Stage.objects.filter(
        plan__round_id__in={site.round_id for site in sites}
    ).select_related("plan"):
        if _may_open_stage(user, stage):
            stages_by_round[stage.plan.round_id].append(stage)

    rounds: dict[int, GridRound] = {}
    for site in sites:
        stages = stages_by_round[site.round_id]
        if not stages:
            continue
        entry = rounds.setdefault(
            site.round_id, GridRound(round=site.round, stages=stages, sites=[])
        )
        counts = running[site.pk]
        entry.sites.append(
            GridSiteProgress(
                site=site,
                stages=[
                    GridProgress(
                        stage=stage,
                        site=site,
                        running=sum(
                            n
                            for failure, n in counts.items()
                            if failure is None or failure >= stage.order
                        ),
                        recorded=recorded[(site.pk, stage.pk)],
                    )
                    for stage in stages
                ],
            )
        )
    return list(rounds.values())


def grid_counts(*, stage: Stage, site: SelectionSite) -> GridProgress:
    """One grid's progress: people in the running and how many have a result."""
    applications = grid_applications(stage=stage, site=site)
    return GridProgress(
        stage=stage,
        site=site,
        running=applications.count(),
        recorded=StageResult.objects.filter(stage=stage, application__in=applications).count(),
    )
