"""The same figures computed directly from the programme's tables with GROUP BY.

This is how the statistics worked before the summary tables. No page calls it: it is the
baseline the benchmark compares each page against (``bench/stats.py`` swaps these functions
in for the summary readers), and the reference the tests check the summaries against.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import ExtractYear

from magang.accounts.models import Organisation
from magang.internships.models import EndReason, Internship
from magang.internships.selectors import internship_scope
from magang.placement.models import JobOrder, Match, MatchState
from magang.recruitment.models import Application, RecruitmentRound, SelectionSite
from magang.reference.models import Prefecture, Trade
from magang.selection.models import StageResult
from magang.training.models import Enrolment

from . import scoped
from .selectors import (
    FIRST_YEAR,
    SELECTED_OR_LATER,
    OutcomeRow,
    PrefectureRow,
    ProvinceRow,
    RoundRow,
    Summary,
    TradeRow,
    minimum_cell_size,
)
from .suppression import cell, check_minimum


def _place_counts(as_of: date) -> dict[str, Any]:
    still_there = Q(ended_on__isnull=True) | Q(ended_on__gt=as_of)
    ended = Q(ended_on__lte=as_of)
    return {
        "departed": Count("pk"),
        "in_japan": Count("pk", filter=still_there),
        "completed": Count("pk", filter=ended & Q(end_reason=EndReason.COMPLETED)),
        "early_return": Count("pk", filter=ended & Q(end_reason=EndReason.EARLY_RETURN)),
        "missing": Count("pk", filter=ended & Q(end_reason=EndReason.MISSING)),
    }


def summary_direct(*, as_of: date, minimum_cell: int | None = None) -> Summary:
    """``selectors.summary`` by GROUP BY over the internships and applications."""
    minimum = minimum_cell_size() if minimum_cell is None else check_minimum(minimum_cell)
    departed = Internship.objects.filter(departed_on__lte=as_of)
    counts = _place_counts(as_of)

    totals = departed.aggregate(**counts)
    per_year = {
        int(row["year"]): row
        for row in departed.annotate(year=ExtractYear("departed_on"))
        .values("year")
        .annotate(**counts)
        .order_by("year")
    }
    departures_by_year = {}
    outcomes = []
    for year in range(min([FIRST_YEAR, *per_year]), as_of.year + 1):
        row = per_year.get(year)
        departures_by_year[year] = cell(row["departed"] if row else 0, minimum)
        if row:
            outcomes.append(
                OutcomeRow(
                    year=year,
                    **{key: cell(row[key], minimum) for key in counts},
                )
            )

    def breakdown(path: str, names: tuple[str, ...]) -> list[dict[str, Any]]:
        fields = {name: F(f"{path}__{name}") for name in names}
        return list(departed.values(**fields).annotate(**counts).order_by("code"))

    by_province = tuple(
        ProvinceRow(
            r["code"], r["name"], cell(r["departed"], minimum), cell(r["in_japan"], minimum)
        )
        for r in breakdown("application__candidate__province", ("code", "name"))
    )
    by_prefecture = tuple(
        PrefectureRow(
            r["code"],
            r["name_en"],
            r["name_ja"],
            r["name_id"],
            cell(r["departed"], minimum),
            cell(r["in_japan"], minimum),
        )
        for r in breakdown("prefecture", ("code", "name_en", "name_ja", "name_id"))
    )
    by_trade = tuple(
        TradeRow(
            r["code"],
            r["name_en"],
            r["name_ja"],
            r["name_id"],
            cell(r["departed"], minimum),
            cell(r["in_japan"], minimum),
        )
        for r in breakdown("trade", ("code", "name_en", "name_ja", "name_id"))
    )
    return Summary(
        as_of=as_of,
        minimum_cell=minimum,
        departed_total=cell(totals["departed"], minimum),
        in_japan=cell(totals["in_japan"], minimum),
        departures_by_year=departures_by_year,
        by_province=by_province,
        by_prefecture=by_prefecture,
        by_trade=by_trade,
        outcomes_by_year=tuple(outcomes),
        rounds=current_rounds_direct(minimum),
        data_as_of=None,
    )


def current_rounds_direct(minimum: int) -> tuple[RoundRow, ...]:
    latest = RecruitmentRound.objects.aggregate(y=Max("year"))["y"]
    if latest is None:
        return ()
    rows = []
    for r in RecruitmentRound.objects.filter(year=latest).order_by("opens_on", "code"):
        n = Application.objects.filter(round=r).aggregate(
            registered=Count("pk"), selected=Count("pk", filter=Q(status__in=SELECTED_OR_LATER))
        )
        rows.append(
            RoundRow(
                r.code, r.name, r.year, cell(n["registered"], minimum), cell(n["selected"], minimum)
            )
        )
    return tuple(rows)


# --- Dashboards ---------------------------------------------------------------------------


def status_counts_direct(
    round_id: int, sites: QuerySet[SelectionSite]
) -> list[tuple[int, str, int]]:
    return list(
        Application.objects.filter(round_id=round_id, site_id__in=sites.values("pk"))
        .order_by()
        .values("site_id", "status")
        .annotate(n=Count("pk"))
        .values_list("site_id", "status", "n")
    )


def stage_counts_direct(
    round_id: int, sites: QuerySet[SelectionSite]
) -> list[tuple[int, int, int]]:
    return list(
        StageResult.objects.filter(
            application__round_id=round_id, application__site_id__in=sites.values("pk")
        )
        .order_by()
        .values("application__site_id", "stage_id")
        .annotate(n=Count("pk", filter=Q(passed=True)))
        .values_list("application__site_id", "stage_id", "n")
    )


def cohort_counts_direct(cohort_ids: list[int]) -> list[tuple[int, str, int]]:
    return list(
        Enrolment.objects.filter(cohort_id__in=cohort_ids)
        .order_by()
        .values("cohort_id", "state")
        .annotate(n=Count("pk"))
        .values_list("cohort_id", "state", "n")
    )


def _scoped_internships(user: Any, today: date) -> Any:
    return internship_scope(user=user).filter(departed_on__lte=today).order_by()


def placements_by_direct(*, user: Any, by: str) -> list[scoped.PlacementLine]:
    from .selectors import stats_today

    today = stats_today()
    path, model = ("prefecture", Prefecture) if by == "prefecture" else ("trade", Trade)
    names = dict(model.objects.values_list("code", "name_en"))
    rows = (
        _scoped_internships(user, today)
        .values(code=F(f"{path}__code"))
        .annotate(**_place_counts(today))
        .values_list("code", "departed", "in_japan", "completed", "early_return", "missing")
    )
    lines = [scoped.PlacementLine(code, names.get(code, code), *n) for code, *n in rows]
    return sorted(lines, key=lambda line: line.code)


def rates_by_host_direct(
    *, user: Any, min_departed: int = 10, limit: int = 30
) -> list[scoped.PlacementLine]:
    from .selectors import stats_today

    today = stats_today()
    rows = (
        _scoped_internships(user, today)
        .exclude(host_company_id=None)
        .values("host_company_id")
        .annotate(**_place_counts(today))
        .filter(departed__gte=min_departed)
        .values_list(
            "host_company_id", "departed", "in_japan", "completed", "early_return", "missing"
        )
    )
    ranked = sorted(rows, key=lambda r: ((r[4] + r[5]) / r[1], r[1]), reverse=True)[:limit]
    names = dict(
        Organisation.objects.filter(pk__in=[r[0] for r in ranked]).values_list("pk", "name")
    )
    return [scoped.PlacementLine(str(pk), names.get(pk, str(pk)), *n) for pk, *n in ranked]


def orders_by_prefecture_direct(*, user: Any) -> list[scoped.OrderLine]:
    from magang.accounts.scopes import scope_for

    visible = scoped._organisation_filter(scope_for(user))
    orders = JobOrder.objects.all() if visible is None else JobOrder.objects.filter(visible)
    filled = dict(
        Match.objects.filter(run__state=MatchState.FINAL, job_order__in=orders)
        .order_by()
        .values("job_order_id")
        .annotate(n=Count("pk"))
        .values_list("job_order_id", "n")
    )
    names = dict(Prefecture.objects.values_list("code", "name_en"))
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for pk, code, state, slots in orders.values_list("pk", "prefecture__code", "state", "slots"):
        line = totals[code]
        line[2] += min(filled.get(pk, 0), slots)
        if state == "open":
            line[0] += 1
            line[1] += slots
        elif state == "matched":
            line[3] += 1
            line[4] += slots
    return [
        scoped.OrderLine(code, names.get(code, code), *counts)
        for code, counts in sorted(totals.items())
    ]


def incidents_direct(*, user: Any) -> list[scoped.CaseLine]:
    """``scoped.incidents`` from the cases themselves, within the same scope."""
    from magang.accounts.models import Role
    from magang.accounts.scopes import scope_for
    from magang.internships.models.cases import OPEN_CASE_STATUSES, Case, CaseCategory

    scope = scope_for(user)
    cases = Case.objects.all()
    if not scope.has_role(*scoped.MINISTRY_ROLES):
        visible = Q(pk__in=[])
        officer = scope.organisations(Role.REGIONAL_OFFICER)
        if officer:
            visible |= Q(internship__application__site__organisation_id__in=officer)
        partner = scope.organisations(Role.PARTNER)
        if partner:
            supervised = Q(internship__supervising_organisation_id__in=partner)
            visible |= Q(share_with_partner=True) & supervised
        cases = cases.filter(visible)
    counts = {
        row["category"]: row
        for row in cases.order_by()
        .values("category")
        .annotate(
            f=Count("pk"),
            o=Count("pk", filter=Q(status__in=OPEN_CASE_STATUSES)),
            r=Count("pk", filter=Q(resolved_at__isnull=False)),
            e=Count("pk", filter=Q(escalated_at__isnull=False)),
        )
    }
    hours: dict[str, float] = defaultdict(float)
    for category, filed_at, resolved_at in cases.filter(resolved_at__isnull=False).values_list(
        "category", "filed_at", "resolved_at"
    ):
        if resolved_at is not None:
            hours[category] += (resolved_at - filed_at).total_seconds() / 3600
    lines = []
    for category in CaseCategory:
        row = counts.get(category.value, {"f": 0, "o": 0, "r": 0, "e": 0})
        r = row["r"]
        mean = round(hours[category.value] / r, 1) if r else None
        lines.append(
            scoped.CaseLine(
                category.value, str(category.label), row["f"], row["o"], r, row["e"], mean
            )
        )
    return lines


def alumni_outcomes_direct() -> list[scoped.AlumniLine]:
    """``scoped.alumni_outcomes`` from every alumnus's latest survey."""
    from magang.internships.models.alumni import AlumniSurvey, Employment

    latest = AlumniSurvey.objects.filter(profile=OuterRef("profile")).order_by(
        "-answered_on", "-pk"
    )
    rows = (
        AlumniSurvey.objects.filter(pk=Subquery(latest.values("pk")[:1]))
        .order_by()
        .values("employment")
        .annotate(
            n=Count("pk"),
            b=Count("pk", filter=Q(business_started=True)),
            s=Count("pk", filter=Q(back_in_japan_ssw=True)),
        )
    )
    totals = {row["employment"]: (row["n"], row["b"], row["s"]) for row in rows}
    return [
        scoped.AlumniLine(e.value, str(e.label), *totals[e.value])
        for e in Employment
        if e.value in totals
    ]


# What bench/stats.py swaps in: (module attribute, direct replacement).
REPLACEMENTS = {
    "summary": summary_direct,
    "status_counts": status_counts_direct,
    "stage_counts": stage_counts_direct,
    "cohort_counts": cohort_counts_direct,
    "placements_by": placements_by_direct,
    "rates_by_host": rates_by_host_direct,
    "orders_by_prefecture": orders_by_prefecture_direct,
    "incidents": incidents_direct,
    "alumni_outcomes": alumni_outcomes_direct,
}
