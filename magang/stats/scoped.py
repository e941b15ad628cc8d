"""Dashboard figures, scoped to the user, read from the summary tables.

Who sees which panel (``panels_for``):

- the funnel of a round per selection site: nationwide roles (central team, leadership,
  administrator) every site, a regional officer the sites of their own office;
- training outcomes per cohort: nationwide roles every cohort, training staff their centre's;
- placements per prefecture and trade, and job orders open and filled: nationwide roles
  everything, a partner what it supervises, a host company its own;
- early return and missing rates by host company and trade: ministry roles only;
- incidents and grievances by category with time to resolution: ministry roles all, a
  regional officer those of interns from their sites, a partner those the intern shared with
  it (the rules of ``internships.cases_access.case_scope``); host companies none;
- alumni outcomes (latest survey answers): ministry roles.

Counts are exact (staff read the people behind them anyway); every figure links to the list
behind it, which is filtered by the same scope (``drill``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from magang.accounts.models import Organisation, Role
from magang.accounts.scopes import Scope, scope_for
from magang.recruitment.models import ApplicationStatus, RecruitmentRound, SelectionSite
from magang.reference.models import Prefecture, Trade
from magang.selection.models import Stage
from magang.training.models import Cohort, EnrolmentState

from .models import (
    AlumniCount,
    CaseCount,
    CohortCount,
    OrderCount,
    PlacementCount,
    StageCount,
    StatusCount,
)
from .selectors import SELECTED_OR_LATER

MINISTRY_ROLES = (Role.CENTRAL_TEAM, Role.LEADERSHIP, Role.ADMINISTRATOR)
DASHBOARD_ROLES = (
    Role.REGIONAL_OFFICER,
    Role.TRAINING_STAFF,
    Role.PARTNER,
    Role.HOST_COMPANY,
    *MINISTRY_ROLES,
)

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


def panels_for(scope: Scope) -> frozenset[str]:
    panels = set()
    if scope.has_role(*MINISTRY_ROLES):
        panels |= {"funnel", "cohorts", "placements", "orders", "rates", "incidents", "alumni"}
    if scope.has_role(Role.REGIONAL_OFFICER):
        panels |= {"funnel", "incidents"}
    if scope.has_role(Role.TRAINING_STAFF):
        panels.add("cohorts")
    if scope.has_role(Role.PARTNER, Role.HOST_COMPANY):
        panels |= {"placements", "orders"}
    if scope.has_role(Role.PARTNER):
        panels.add("incidents")
    return frozenset(panels)


# --- Funnel ----------------------------------------------------------------------------


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


# --- Training --------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortRow:
    cohort: Cohort
    counts: dict[str, int]

    @property
    def enrolled(self) -> int:
        return sum(self.counts.values())

    def count(self, state: str) -> int:
        return self.counts.get(state, 0)

    @property
    def by_state(self) -> list[int]:
        return [self.counts.get(state.value, 0) for state in EnrolmentState]


def cohort_counts(cohort_ids: list[int]) -> list[tuple[int, str, int]]:
    rows = CohortCount.objects.filter(cohort_id__in=cohort_ids)
    return list(rows.values_list("cohort_id", "state", "count"))


def cohort_outcomes(*, user: Any, limit: int = 60) -> list[CohortRow]:
    """The latest ``limit`` cohorts the user may read, with enrolments by state."""
    scope = scope_for(user)
    cohorts = Cohort.objects.select_related("centre").order_by("-starts_on", "code")
    if not scope.has_role(*MINISTRY_ROLES):
        cohorts = cohorts.filter(centre_id__in=scope.organisations(Role.TRAINING_STAFF))
    shown = list(cohorts[:limit])
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for cohort_id, state, n in cohort_counts([c.pk for c in shown]):
        counts[cohort_id][state] = n
    return [CohortRow(c, counts[c.pk]) for c in shown]


COHORT_STATES = tuple(EnrolmentState)


# --- Placements and job orders ---------------------------------------------------------


def _organisation_filter(scope: Scope) -> Q | None:
    """None: everything (ministry roles); else the partner's and host company's own rows."""
    if scope.has_role(*MINISTRY_ROLES):
        return None
    visible = Q(pk__in=[])
    partner = scope.organisations(Role.PARTNER)
    if partner:
        visible |= Q(supervising_organisation_id__in=partner)
    host = scope.organisations(Role.HOST_COMPANY)
    if host:
        visible |= Q(host_company_id__in=host)
    return visible


def placement_rows(*, user: Any) -> QuerySet[PlacementCount]:
    visible = _organisation_filter(scope_for(user))
    rows = PlacementCount.objects.all()
    return rows if visible is None else rows.filter(visible)


def order_rows(*, user: Any) -> QuerySet[OrderCount]:
    visible = _organisation_filter(scope_for(user))
    rows = OrderCount.objects.all()
    return rows if visible is None else rows.filter(visible)


@dataclass(frozen=True)
class PlacementLine:
    code: str
    name: str
    departed: int
    in_japan: int
    completed: int
    early_return: int
    missing: int

    @property
    def ended(self) -> int:
        return self.completed + self.early_return + self.missing

    def rate(self, count: int) -> float | None:
        return round(100 * count / self.departed, 1) if self.departed else None

    @property
    def early_return_rate(self) -> float | None:
        return self.rate(self.early_return)

    @property
    def missing_rate(self) -> float | None:
        return self.rate(self.missing)


_SUMS = {
    "d": Sum("departed"),
    "j": Sum("in_japan"),
    "c": Sum("completed"),
    "e": Sum("early_return"),
    "m": Sum("missing"),
}


def _lines(rows: QuerySet[PlacementCount], by: str, names: dict[Any, str]) -> list[PlacementLine]:
    grouped = rows.order_by().values(by).annotate(**_SUMS).values_list(by, "d", "j", "c", "e", "m")
    lines = [
        PlacementLine(str(key or ""), names.get(key, str(key or "-")), *counts)
        for key, *counts in grouped
    ]
    return sorted(lines, key=lambda line: line.code)


def placements_by(*, user: Any, by: str) -> list[PlacementLine]:
    """Placements per ``prefecture`` or ``trade`` in the user's scope."""
    rows = placement_rows(user=user)
    if by == "prefecture":
        names = dict(Prefecture.objects.values_list("code", "name_en"))
        return _lines(rows, "prefecture_code", names)
    names = dict(Trade.objects.values_list("code", "name_en"))
    return _lines(rows, "trade_code", names)


def rates_by_host(*, user: Any, min_departed: int = 10, limit: int = 30) -> list[PlacementLine]:
    """Host companies with at least ``min_departed`` interns, highest early-return plus
    missing rate first. Ministry roles only: the caller checks ``panels_for``."""
    lines = (
        placement_rows(user=user)
        .exclude(host_company_id=None)
        .order_by()
        .values("host_company_id")
        .annotate(
            d=Sum("departed"),
            j=Sum("in_japan"),
            c=Sum("completed"),
            e=Sum("early_return"),
            m=Sum("missing"),
        )
        .values_list("host_company_id", "d", "j", "c", "e", "m")
    )
    big_enough = [line for line in lines if line[1] >= min_departed]
    ranked = sorted(big_enough, key=lambda r: ((r[4] + r[5]) / r[1], r[1]), reverse=True)[:limit]
    names: dict[Any, str] = dict(
        Organisation.objects.filter(pk__in=[r[0] for r in ranked]).values_list("pk", "name")
    )
    return [PlacementLine(str(pk), names.get(pk, str(pk)), *counts) for pk, *counts in ranked]


@dataclass(frozen=True)
class OrderLine:
    key: str
    name: str
    open_orders: int
    open_slots: int
    filled: int
    matched_orders: int
    matched_slots: int


def orders_by_prefecture(*, user: Any) -> list[OrderLine]:
    names = dict(Prefecture.objects.values_list("code", "name_en"))
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for prefecture, state, orders, slots, filled in (
        order_rows(user=user)
        .order_by()
        .values("prefecture_code", "state")
        .annotate(o=Sum("orders"), s=Sum("slots"), f=Sum("filled"))
        .values_list("prefecture_code", "state", "o", "s", "f")
    ):
        line = totals[prefecture]
        line[2] += filled
        if state == "open":
            line[0] += orders
            line[1] += slots
        elif state == "matched":
            line[3] += orders
            line[4] += slots
    return [
        OrderLine(code, names.get(code, code), o, s, f, mo, ms)
        for code, (o, s, f, mo, ms) in sorted(totals.items())
    ]


# --- Incidents and alumni ----------------------------------------------------------------


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


# --- Drill-down: the lists behind the figures -------------------------------------------

DRILL_PAGE = 50


def application_drill(*, user: Any, round_id: int, site_id: int | None, step: str) -> QuerySet[Any]:
    """The applications behind one funnel figure, within the user's scope."""
    from magang.recruitment.selectors import application_scope

    qs = application_scope(user=user).filter(round_id=round_id)
    if site_id is not None:
        qs = qs.filter(site_id=site_id)
    if step.startswith("stage-") and step[6:].isdigit():
        qs = qs.filter(stage_results__stage_id=int(step[6:]), stage_results__passed=True)
    else:
        reached = STATUS_STEPS.get(step)
        if reached is not None:
            qs = qs.filter(status__in=sorted(reached))
    return qs.select_related("site", "round").order_by("registration_number")


OUTCOMES = ("in_japan", "completed", "early_return", "missing")


def internship_drill(
    *, user: Any, prefecture: str, trade: str, host: int | None, outcome: str, today: Any
) -> QuerySet[Any]:
    """The internships behind one placement figure, within the user's scope."""
    from magang.internships.selectors import in_japan_on, internship_scope

    qs = internship_scope(user=user)
    if prefecture:
        qs = qs.filter(prefecture__code=prefecture)
    if trade:
        qs = qs.filter(trade__code=trade)
    if host is not None:
        qs = qs.filter(host_company_id=host)
    if outcome == "in_japan":
        qs = in_japan_on(qs, today)
    elif outcome in OUTCOMES:
        qs = qs.filter(end_reason=outcome, ended_on__lte=today)
    else:
        qs = qs.filter(departed_on__lte=today)
    return qs.select_related("application", "prefecture", "trade", "host_company").order_by(
        "-departed_on", "pk"
    )
