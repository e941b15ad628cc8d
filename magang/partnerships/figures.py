"""The figures of one prefecture as of a date: departures, outcomes and who is there per
year, trades, host companies, incidents.

Why not the statistics summaries: ``stats`` is the last reader of everything and nothing
imports it (DESIGN.md); this app sits upstream of it. So it keeps counts of its own
(``models.Prefecture*Count``), rewritten for today by ``prefecture_counts_refresh`` in the
background (the statistics refresh calls it, every few minutes): a page reads a few indexed
rows of its prefecture (``counted_figures``) and never counts a table. For any other date,
or before the day's first refresh, ``compute_figures`` counts that prefecture's own rows
(an indexed foreign key, never a whole table) and the result is cached for
``FIGURES_TTL_SECONDS`` per prefecture and date. Both build the figures from the same
groups (``_figures``), so they agree; the tests check it.

The counts here are exact. ``publish`` turns them into suppressed ``Cell`` values for anyone
who is not a ministry role; exact host company names and incidents never leave for them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import models
from django.db.models import CharField, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from magang.internships.models import EndReason, Internship
from magang.reference.models import Prefecture

from .models import (
    PrefectureCaseCount,
    PrefectureCountsRefresh,
    PrefecturePlacementCount,
    PrefectureStayCount,
)

FIGURES_TTL_SECONDS = 300
_CACHE_VERSION = 1


@dataclass(frozen=True, slots=True)
class YearRow:
    """One calendar year: who departed to the prefecture, whose stay ended and how, and
    who was there at the end of the year (or on the as-of date, for its year)."""

    year: int
    departed: int
    completed: int
    early_return: int
    missing: int
    in_japan_at_end: int


@dataclass(frozen=True, slots=True)
class TradeRow:
    code: str
    name_en: str
    name_ja: str
    name_id: str
    departed: int
    in_japan: int


@dataclass(frozen=True, slots=True)
class HostRow:
    pk: int
    name: str
    departed: int
    in_japan: int


@dataclass(frozen=True, slots=True)
class IncidentRow:
    category: str
    label: str
    total: int
    open: int


@dataclass(frozen=True, slots=True)
class PrefectureFigures:
    prefecture_id: int
    as_of: dt.date
    departed: int
    in_japan: int
    completed: int
    early_return: int
    missing: int
    host_companies_now: int
    host_companies_ever: int
    years: tuple[YearRow, ...]
    trades: tuple[TradeRow, ...]
    hosts: tuple[HostRow, ...]
    incidents: tuple[IncidentRow, ...]

    @property
    def ended(self) -> int:
        return self.completed + self.early_return + self.missing

    def rate(self, count: int) -> float | None:
        """``count`` as a share of the stays that have ended, or None when none has."""
        return None if self.ended == 0 else count / self.ended


StayGroup = tuple[int, int | None, str, int]  # departed year, ended year, reason, count
PlacementGroup = tuple[int, int | None, int, int]  # trade, host company, departed, in Japan
CaseGroup = tuple[str, int, int]  # category, total, open


def _stay_groups(internships: QuerySet[Internship], as_of: dt.date, *by: str) -> Any:
    """Internships by ``by``, the year they departed and, if the stay had ended by
    ``as_of``, the year and the way it ended."""
    ended = Q(ended_on__lte=as_of)
    return (
        internships.annotate(
            departed_year=ExtractYear("departed_on"),
            ended_year=models.Case(
                When(ended, then=ExtractYear("ended_on")),
                default=Value(None),
                output_field=IntegerField(),
            ),
            reason=models.Case(
                When(ended, then=F("end_reason")), default=Value(""), output_field=CharField()
            ),
        )
        .values(*by, "departed_year", "ended_year", "reason")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list(*by, "departed_year", "ended_year", "reason", "n")
    )


def _placement_groups(internships: QuerySet[Internship], as_of: dt.date, *by: str) -> Any:
    still_there = Q(ended_on__isnull=True) | Q(ended_on__gt=as_of)
    return (
        internships.values(*by, "trade_id", "host_company_id")
        .annotate(departed=Count("pk"), in_japan=Count("pk", filter=still_there))
        .order_by()
        .values_list(*by, "trade_id", "host_company_id", "departed", "in_japan")
    )


def _case_groups(cases: QuerySet[Any], as_of: dt.date, *by: str) -> Any:
    from magang.internships.models import OPEN_CASE_STATUSES

    return (
        cases.filter(filed_at__date__lte=as_of)
        .values(*by, "category")
        .annotate(total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_CASE_STATUSES)))
        .order_by()
        .values_list(*by, "category", "total", "open")
    )


def _years(
    groups: Iterable[StayGroup], as_of: dt.date
) -> tuple[tuple[YearRow, ...], dict[str, int]]:
    departed: dict[int, int] = {}
    endings: dict[tuple[int, str], int] = {}
    totals = {reason.value: 0 for reason in EndReason}
    for departed_year, ended_year, reason, count in groups:
        n = int(count)
        departed[int(departed_year)] = departed.get(int(departed_year), 0) + n
        if ended_year is not None and reason in totals:
            endings[(int(ended_year), str(reason))] = endings.get((int(ended_year), reason), 0) + n
            totals[str(reason)] += n
    if not departed:
        return (), totals
    years: list[YearRow] = []
    there = 0
    for year in range(min(departed), as_of.year + 1):
        outcome = {reason.value: endings.get((year, reason.value), 0) for reason in EndReason}
        there += departed.get(year, 0) - sum(outcome.values())
        years.append(
            YearRow(
                year=year,
                departed=departed.get(year, 0),
                completed=outcome[EndReason.COMPLETED],
                early_return=outcome[EndReason.EARLY_RETURN],
                missing=outcome[EndReason.MISSING],
                in_japan_at_end=there,
            )
        )
    return tuple(years), totals


def _figures(
    prefecture_id: int,
    as_of: dt.date,
    stays: Iterable[StayGroup],
    placements: list[PlacementGroup],
    cases: Iterable[CaseGroup],
) -> PrefectureFigures:
    """One prefecture's figures from its groups, however they were counted."""
    from magang.accounts.models import Organisation
    from magang.internships.models import CaseCategory
    from magang.reference.models import Trade

    years, outcomes = _years(stays, as_of)
    by_trade: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    by_host: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for trade_id, host_id, departed_n, there_n in placements:
        by_trade[trade_id][0] += departed_n
        by_trade[trade_id][1] += there_n
        if host_id is not None:
            by_host[host_id][0] += departed_n
            by_host[host_id][1] += there_n
    trade_names = Trade.objects.filter(pk__in=list(by_trade)).values_list(
        "pk", "code", "name_en", "name_ja", "name_id"
    )
    trades = sorted(
        (TradeRow(code, en, ja, id_, *by_trade[pk]) for pk, code, en, ja, id_ in trade_names),
        key=lambda t: t.code,
    )
    host_names = dict(Organisation.objects.filter(pk__in=list(by_host)).values_list("pk", "name"))
    hosts = sorted(
        (HostRow(pk, host_names.get(pk, str(pk)), *counts) for pk, counts in by_host.items()),
        key=lambda h: (-h.in_japan, h.name),
    )
    labels = dict(CaseCategory.choices)
    incidents = tuple(
        IncidentRow(category, str(labels.get(category, category)), int(total), int(open_))
        for category, total, open_ in sorted(cases)
    )
    departed = sum(y.departed for y in years)
    ended = sum(outcomes.values())
    return PrefectureFigures(
        prefecture_id=prefecture_id,
        as_of=as_of,
        departed=departed,
        in_japan=departed - ended,
        completed=outcomes[EndReason.COMPLETED],
        early_return=outcomes[EndReason.EARLY_RETURN],
        missing=outcomes[EndReason.MISSING],
        host_companies_now=sum(1 for h in hosts if h.in_japan),
        host_companies_ever=len(hosts),
        years=years,
        trades=tuple(trades),
        hosts=tuple(hosts),
        incidents=incidents,
    )


def compute_figures(prefecture: Prefecture, as_of: dt.date) -> PrefectureFigures:
    """Count the prefecture's figures now from its own internships and cases (three grouped
    queries, each over this prefecture's rows only): for a date the counts are not for, and
    the baseline the counts are checked and benchmarked against."""
    from magang.internships.models import Case

    internships = Internship.objects.filter(prefecture_id=prefecture.pk, departed_on__lte=as_of)
    return _figures(
        prefecture.pk,
        as_of,
        _stay_groups(internships, as_of),
        list(_placement_groups(internships, as_of)),
        _case_groups(Case.objects.filter(internship__prefecture_id=prefecture.pk), as_of),
    )


def counted_figures(prefecture: Prefecture, as_of: dt.date) -> PrefectureFigures | None:
    """The prefecture's figures from the counts, when they were taken for ``as_of`` (a few
    indexed reads of this prefecture's rows); None when they were not."""
    taken = _taken()
    return _counted(prefecture.pk, as_of) if taken is not None and taken[0] == as_of else None


def _taken() -> tuple[dt.date, str] | None:
    """(day, token) of the counts, or None before the first refresh."""
    row = PrefectureCountsRefresh.objects.order_by("-data_as_of").values_list("day", "token")
    first = row.first()
    return (first[0], first[1].hex) if first else None


def _counted(pk: int, as_of: dt.date) -> PrefectureFigures:
    return _figures(
        pk,
        as_of,
        PrefectureStayCount.objects.filter(prefecture_id=pk).values_list(
            "departed_year", "ended_year", "end_reason", "count"
        ),
        list(
            PrefecturePlacementCount.objects.filter(prefecture_id=pk).values_list(
                "trade_id", "host_company_id", "departed", "in_japan"
            )
        ),
        PrefectureCaseCount.objects.filter(prefecture_id=pk).values_list(
            "category", "total", "open"
        ),
    )


def prefecture_counts_refresh(*, day: dt.date, now: dt.datetime) -> dict[str, int]:
    """Rewrite the prefecture counts for ``day``: three GROUP BY queries over every
    internship and case, for a background job (the statistics refresh calls it in its
    transaction, every few minutes). Returns the rows written per table."""
    from magang.internships.models import Case

    internships = Internship.objects.filter(departed_on__lte=day)
    stays = [
        PrefectureStayCount(prefecture_id=p, departed_year=d, ended_year=e, end_reason=r, count=n)
        for p, d, e, r, n in _stay_groups(internships, day, "prefecture_id")
    ]
    placements = [
        PrefecturePlacementCount(
            prefecture_id=p, trade_id=t, host_company_id=h, departed=d, in_japan=j
        )
        for p, t, h, d, j in _placement_groups(internships, day, "prefecture_id")
    ]
    cases = [
        PrefectureCaseCount(prefecture_id=p, category=c, total=t, open=o)
        for p, c, t, o in _case_groups(Case.objects.all(), day, "internship__prefecture_id")
    ]
    written = {}
    tables: tuple[tuple[str, Any, list[Any]], ...] = (
        ("prefecture_stays", PrefectureStayCount, stays),
        ("prefecture_placements", PrefecturePlacementCount, placements),
        ("prefecture_cases", PrefectureCaseCount, cases),
    )
    for name, model, rows in tables:
        model.objects.all().delete()  # one DELETE: nothing refers to these rows
        model.objects.bulk_create(rows, batch_size=5000)
        written[name] = len(rows)
    PrefectureCountsRefresh.objects.all().delete()
    PrefectureCountsRefresh.objects.create(day=day, data_as_of=now)
    return written


def _cache_key(prefecture_id: int, as_of: dt.date, token: str = "") -> str:
    return f"partnerships:figures:{_CACHE_VERSION}:{prefecture_id}:{as_of.isoformat()}:{token}"


def prefecture_figures(prefecture: Prefecture, as_of: dt.date) -> PrefectureFigures:
    """The prefecture's exact figures as of ``as_of``: from the counts when they were taken
    for that day (every few minutes), kept in the cache until the next counts; else counted
    from its own rows and cached for ``FIGURES_TTL_SECONDS`` (another date, or before the
    day's first refresh)."""
    taken = _taken()
    counts = taken is not None and taken[0] == as_of
    key = _cache_key(prefecture.pk, as_of, taken[1] if taken is not None and counts else "")
    cached = cache.get(key)
    if isinstance(cached, PrefectureFigures):
        return cached
    figures = _counted(prefecture.pk, as_of) if counts else compute_figures(prefecture, as_of)
    cache.set(key, figures, FIGURES_TTL_SECONDS)
    return figures


# Labels of the comparison rows, in the order the table shows them.
COMPARE_ROWS = (
    ("in_japan", _("In Japan now")),
    ("departed", _("Departed in all")),
    ("completed", _("Completed")),
    ("early_return", _("Early return")),
    ("missing", _("Missing")),
    ("host_companies_now", _("Host companies with interns now")),
    ("host_companies_ever", _("Host companies ever")),
)
