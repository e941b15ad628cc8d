"""The figures of one prefecture as of a date, counted in the database from that prefecture's
internships only.

Why not the statistics summaries: ``stats`` is the last reader of everything and nothing
imports it (DESIGN.md); this app sits upstream of it. Instead each query here is restricted
to one prefecture (``Internship.prefecture`` is an indexed foreign key), so a request reads
that prefecture's rows and never a whole table; the result is cached for
``FIGURES_TTL_SECONDS`` per prefecture and date, so figures are at most that old.

The counts here are exact. ``publish`` turns them into suppressed ``Cell`` values for anyone
who is not a ministry role; exact host company names and incidents never leave for them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db import models
from django.db.models import CharField, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from magang.internships.models import EndReason, Internship
from magang.reference.models import Prefecture

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


def _year_rows(
    internships: QuerySet[Internship], as_of: dt.date
) -> tuple[tuple[YearRow, ...], dict[str, int]]:
    ended = Q(ended_on__lte=as_of)
    rows = (
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
        .values("departed_year", "ended_year", "reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    departed: dict[int, int] = {}
    endings: dict[tuple[int, str], int] = {}
    totals = {reason.value: 0 for reason in EndReason}
    for row in rows:
        n = int(row["n"])
        departed[int(row["departed_year"])] = departed.get(int(row["departed_year"]), 0) + n
        if row["ended_year"] is not None and row["reason"] in totals:
            key = (int(row["ended_year"]), str(row["reason"]))
            endings[key] = endings.get(key, 0) + n
            totals[str(row["reason"])] += n
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


def _incidents(prefecture_id: int, as_of: dt.date) -> tuple[IncidentRow, ...]:
    from magang.internships.models import OPEN_CASE_STATUSES, Case, CaseCategory

    rows = (
        Case.objects.filter(internship__prefecture_id=prefecture_id, filed_at__date__lte=as_of)
        .values("category")
        .annotate(total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_CASE_STATUSES)))
        .order_by("category")
    )
    labels = dict(CaseCategory.choices)
    return tuple(
        IncidentRow(
            category=row["category"],
            label=str(labels.get(row["category"], row["category"])),
            total=int(row["total"]),
            open=int(row["open"]),
        )
        for row in rows
    )


def compute_figures(prefecture: Prefecture, as_of: dt.date) -> PrefectureFigures:
    """Count the prefecture's figures now, without the cache (four grouped queries, each
    over this prefecture's internships only)."""
    internships = Internship.objects.filter(prefecture_id=prefecture.pk, departed_on__lte=as_of)
    still_there = Q(ended_on__isnull=True) | Q(ended_on__gt=as_of)
    counts = {"departed": Count("pk"), "in_japan": Count("pk", filter=still_there)}
    years, outcomes = _year_rows(internships, as_of)
    trades = tuple(
        TradeRow(
            code=row["code"],
            name_en=row["name_en"],
            name_ja=row["name_ja"],
            name_id=row["name_id"],
            departed=row["departed"],
            in_japan=row["in_japan"],
        )
        for row in internships.values(
            code=F("trade__code"),
            name_en=F("trade__name_en"),
            name_ja=F("trade__name_ja"),
            name_id=F("trade__name_id"),
        )
        .annotate(**counts)
        .order_by("code")
    )
    hosts = tuple(
        HostRow(pk=row["pk"], name=row["name"], departed=row["departed"], in_japan=row["in_japan"])
        for row in internships.filter(host_company__isnull=False)
        .values(pk=F("host_company_id"), name=F("host_company__name"))
        .annotate(**counts)
        .order_by("-in_japan", "name")
    )
    departed = sum(y.departed for y in years)
    ended = sum(outcomes.values())
    return PrefectureFigures(
        prefecture_id=prefecture.pk,
        as_of=as_of,
        departed=departed,
        in_japan=departed - ended,
        completed=outcomes[EndReason.COMPLETED],
        early_return=outcomes[EndReason.EARLY_RETURN],
        missing=outcomes[EndReason.MISSING],
        host_companies_now=sum(1 for h in hosts if h.in_japan),
        host_companies_ever=len(hosts),
        years=years,
        trades=trades,
        hosts=hosts,
        incidents=_incidents(prefecture.pk, as_of),
    )


def _cache_key(prefecture_id: int, as_of: dt.date) -> str:
    return f"partnerships:figures:{_CACHE_VERSION}:{prefecture_id}:{as_of.isoformat()}"


def prefecture_figures(prefecture: Prefecture, as_of: dt.date) -> PrefectureFigures:
    """The prefecture's exact figures as of ``as_of``, at most ``FIGURES_TTL_SECONDS`` old."""
    key = _cache_key(prefecture.pk, as_of)
    cached = cache.get(key)
    if isinstance(cached, PrefectureFigures):
        return cached
    figures = compute_figures(prefecture, as_of)
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
