"""Reads for selection, always starting from what the user may see.

Each section below serves one area of the selection pages; add new reads in a section of
their own rather than widening an existing one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from magang.accounts.models import Role
from magang.accounts.scopes import scope_for
from magang.recruitment.models import (
    Application,
    ApplicationStatus,
    RecruitmentRound,
    SelectionSite,
)
from magang.recruitment.selectors import application_scope, site_scope

from .models import (
    Outcome,
    Placement,
    RankingRun,
    RecordedBy,
    RunState,
    SelectionPlan,
    Stage,
    StageKind,
    StageResult,
    StageResultChange,
)
from .services.results import may_record, may_record_at, may_see_detail, plain, sees_stage_detail

# ---------------------------------------------------------------------------------------
# Results grid: who may open a stage's grid at a site, the people who sat the stage there,
# and how far each grid is filled in (the index).
#
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


# ---------------------------------------------------------------------------------------
# People: the funnel of a round, a candidate's own selection, and one application's results
# for staff, each as the reader may see it (medical detail through ``may_see_detail``).

# Who reads the funnel: officers for their own sites, the rest for every site.
FUNNEL_ROLES = (Role.REGIONAL_OFFICER, Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR)
# Staff who read one application's results within their scope (as the application pages).
RESULT_READER_ROLES = FUNNEL_ROLES
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


def in_language(english: str, indonesian: str, language: str | None = None) -> str:
    """Indonesian text for Indonesian readers, English for everyone else (Japanese too)."""
    language = language if language is not None else get_language()
    return indonesian if (language or "").startswith("id") and indonesian else english


def stage_name(stage: Stage, language: str | None = None) -> str:
    return in_language(stage.name_en, stage.name_id, language)


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


# How one result reads.


class StageState:
    PASSED = "passed"
    FAILED = "failed"
    PENDING = "pending"  # no result yet
    NOT_REACHED = "not_reached"  # an earlier stage eliminated the application


def _decimal(value: Any) -> str:
    try:
        return plain(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def value_text(
    stage: Stage,
    *,
    passed: bool,
    score: Any = None,
    measurements: Mapping[str, Any] | None = None,
    detail: bool,
    language: str | None = None,
) -> str:
    """A result for people: "16 of 20 (passed)", "height 165 cm, weight 60 kg (passed)";
    without ``detail`` (medical, not theirs to see) only "passed" or "failed"."""
    verdict = _("passed") if passed else _("failed")
    if not detail or stage.kind == StageKind.GATE:
        return verdict
    if stage.kind == StageKind.SCORE and score is not None:
        if stage.max_score is None:
            return f"{_decimal(score)} ({verdict})"
        return _("%(score)s of %(max)s (%(verdict)s)") % {
            "score": _decimal(score),
            "max": plain(stage.max_score),
            "verdict": verdict,
        }
    if stage.kind == StageKind.MEASURE and measurements:
        parts = []
        for measure in stage.measures:
            if measure["key"] not in measurements:
                continue
            name = in_language(
                measure.get("name_en", measure["key"]), measure.get("name_id", ""), language
            )
            number = _decimal(measurements[measure["key"]])
            parts.append(f"{name} {number} {measure.get('unit', '')}".rstrip())
        return f"{', '.join(parts)} ({verdict})"
    return verdict


def result_display(result: StageResult, *, detail: bool, language: str | None = None) -> str:
    return value_text(
        result.stage,
        passed=result.passed,
        score=result.score,
        measurements=result.measurements,
        detail=detail,
        language=language,
    )


@dataclass
class StageLine:
    """One stage of one application: its state, and the result as the reader may see it."""

    stage: Stage
    name: str
    state: str
    text: str
    result: StageResult | None
    detail: bool


def _detail_for(user: Any, application: Application) -> Callable[[Stage], bool]:
    return lambda stage: may_see_detail(user, stage, application)


def _stage_lines(
    stages: Iterable[Stage],
    results: Mapping[int, StageResult],
    *,
    detail_for: Callable[[Stage], bool],
    language: str | None,
) -> list[StageLine]:
    lines: list[StageLine] = []
    eliminated = False
    for stage in stages:
        result = results.get(stage.pk)
        detail = detail_for(stage)
        if result is not None:
            state = StageState.PASSED if result.passed else StageState.FAILED
            text = result_display(result, detail=detail, language=language)
        elif eliminated:
            state, text = StageState.NOT_REACHED, _("not reached")
        else:
            state, text = StageState.PENDING, _("not yet recorded")
        eliminated = eliminated or (state == StageState.FAILED and stage.eliminating)
        lines.append(
            StageLine(
                stage=stage,
                name=stage_name(stage, language),
                state=state,
                text=text,
                result=result,
                detail=detail,
            )
        )
    return lines


# The candidate's own selection.


@dataclass
class MySelection:
    """One of the candidate's applications in a round with a selection plan."""

    application: Application
    stages: list[StageLine]
    published: bool
    placement: Placement | None
    outcome: str  # an Outcome value; "" before publication
    outcome_label: str
    explanation: str


def my_selection(*, user: Any, language: str | None = None) -> list[MySelection]:
    """The user's own applications in rounds with a plan: every stage in plan order, and the
    final result with its explanation once the final run is published."""
    user_id = scope_for(user).user_id
    if user_id is None:
        return []
    language = language if language is not None else get_language()
    applications = list(
        Application.objects.filter(candidate__user_id=user_id, round__selection_plan__isnull=False)
        .select_related("candidate", "round", "round__selection_plan", "site")
        .order_by("-round__year", "-created_at", "-id")
    )
    if not applications:
        return []
    plan_ids = {a.round.selection_plan.pk for a in applications}
    stages_by_plan: dict[int, list[Stage]] = defaultdict(list)
    for stage in Stage.objects.filter(plan_id__in=plan_ids).order_by("plan_id", "order"):
        stages_by_plan[stage.plan_id].append(stage)
    results: dict[int, dict[int, StageResult]] = defaultdict(dict)
    for result in StageResult.objects.filter(application__in=applications).select_related("stage"):
        results[result.application_id][result.stage_id] = result
    published = {
        run.plan_id: run
        for run in RankingRun.objects.filter(
            plan_id__in=plan_ids, state=RunState.FINAL, published_at__isnull=False
        )
    }
    placements = {
        (p.run_id, p.application_id): p
        for p in Placement.objects.filter(
            run__in=list(published.values()), application__in=applications
        )
    }
    selections = []
    for application in applications:
        plan = application.round.selection_plan
        lines = _stage_lines(
            stages_by_plan[plan.pk],
            results[application.pk],
            detail_for=_detail_for(user, application),
            language=language,
        )
        run = published.get(plan.pk)
        placement = placements.get((run.pk, application.pk)) if run is not None else None
        if placement is not None:
            outcome = placement.outcome
            label = str(Outcome(outcome).label)
            explanation = in_language(placement.explanation_en, placement.explanation_id, language)
        elif run is not None:
            outcome, label = "", _("Not ranked")
            explanation = _("Your application was not part of the published ranking.")
        else:
            outcome, label = "", _("Not yet published")
            explanation = _(
                "The final result is published once every stage is complete and the ranking "
                "is approved."
            )
        selections.append(
            MySelection(
                application=application,
                stages=lines,
                published=run is not None,
                placement=placement,
                outcome=outcome,
                outcome_label=label,
                explanation=explanation,
            )
        )
    return selections


# One application's results, for staff.


@dataclass
class ChangeLine:
    """One change to a result. For a masked (medical) stage only pass/fail changes are
    listed, as pass/fail, and the reason is withheld: it may describe a health condition."""

    by: str
    at: dt.datetime
    old: str
    new: str
    reason: str | None


@dataclass
class ResultLine(StageLine):
    may_record: bool = False
    note: str = ""
    changes: list[ChangeLine] = field(default_factory=list)


@dataclass
class ApplicationResults:
    application: Application
    plan: SelectionPlan
    stages: list[ResultLine]


def access_application_results(*, user: Any, pk: int) -> Application:
    """An application whose results the user may read as staff: PermissionDenied for roles
    that do not; Http404 outside their scope, when missing, and without a selection plan."""
    if not scope_for(user).has_role(*RESULT_READER_ROLES):
        raise PermissionDenied
    try:
        return (
            application_scope(user=user)
            .select_related("candidate", "round", "round__selection_plan", "site")
            .get(pk=pk, round__selection_plan__isnull=False)
        )
    except Application.DoesNotExist:
        raise Http404("No such application.") from None


def _snapshot_text(
    stage: Stage, snapshot: Mapping[str, Any], *, detail: bool, language: str | None
) -> str:
    if not snapshot:
        return "—"
    return value_text(
        stage,
        passed=bool(snapshot.get("passed")),
        score=snapshot.get("score"),
        measurements=snapshot.get("measurements"),
        detail=detail,
        language=language,
    )


def application_results(
    *, user: Any, application: Application, language: str | None = None
) -> ApplicationResults:
    """Every stage of the application's plan with its result and history as ``user`` may see
    them (medical detail through ``may_see_detail``). Check access first with
    ``access_application_results``."""
    language = language if language is not None else get_language()
    plan = application.round.selection_plan
    stages = list(plan.stages.order_by("order"))
    results = {
        r.stage_id: r
        for r in StageResult.objects.filter(application=application).select_related(
            "stage", "recorded_by"
        )
    }
    changes: dict[int, list[StageResultChange]] = defaultdict(list)
    for change in (
        StageResultChange.objects.filter(result__application=application)
        .select_related("changed_by")
        .order_by("changed_at", "id")
    ):
        changes[change.result_id].append(change)
    lines = _stage_lines(
        stages,
        results,
        detail_for=_detail_for(user, application),
        language=language,
    )
    out = []
    for line in lines:
        history = []
        for change in changes[line.result.pk] if line.result is not None else []:
            old, new = change.old or {}, change.new or {}
            if not line.detail and old.get("passed") == new.get("passed"):
                continue
            history.append(
                ChangeLine(
                    by=str(change.changed_by) if change.changed_by else _("someone else"),
                    at=change.changed_at,
                    old=_snapshot_text(line.stage, old, detail=line.detail, language=language),
                    new=_snapshot_text(line.stage, new, detail=line.detail, language=language),
                    reason=change.reason if line.detail else None,
                )
            )
        out.append(
            ResultLine(
                stage=line.stage,
                name=line.name,
                state=line.state,
                text=line.text,
                result=line.result,
                detail=line.detail,
                may_record=may_record(user, line.stage, application),
                note=line.result.note if line.result is not None and line.detail else "",
                changes=history,
            )
        )
    return ApplicationResults(application=application, plan=plan, stages=out)
