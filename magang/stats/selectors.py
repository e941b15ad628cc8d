"""Public statistics as of any date, counted in the database.

Definitions (DOMAIN.md): an intern has *departed* as of D when ``departed_on <= D``, and is
*in Japan* as of D when ``departed_on <= D`` and the stay has not ended by then
(``ended_on`` empty or after D). Departing on D counts; ending on D means back home.

``summary()`` runs four aggregate queries, each filtered by ``departed_on <= D`` so the
``internship_period_idx`` (departed_on, ended_on) index serves the range and, for the totals,
the whole count. Only aggregated rows (years, provinces, prefectures) reach Python, and only as
suppressed ``Cell`` values: true small counts never leave this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from magang.internships.models import Internship

from .suppression import Cell, cell, check_minimum

# The first Indonesian technical interns left for Japan in 1993.
FIRST_YEAR = 1993
# "Today" for the public figures is the programme's day, whatever the server's clock says.
PROGRAMME_TIME_ZONE = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True, slots=True)
class ProvinceCount:
    code: str
    name: str
    count: Cell


@dataclass(frozen=True, slots=True)
class PrefectureCount:
    code: str
    name_en: str
    name_ja: str
    name_id: str
    count: Cell


@dataclass(frozen=True, slots=True)
class ProvinceRow:
    """A province of origin with at least one departure as of the date."""

    code: str
    name: str
    departed: Cell
    in_japan: Cell


@dataclass(frozen=True, slots=True)
class PrefectureRow:
    """A prefecture that received at least one intern as of the date."""

    code: str
    name_en: str
    name_ja: str
    name_id: str
    departed: Cell
    in_japan: Cell


@dataclass(frozen=True, slots=True)
class Summary:
    """The public figures as of one date, every count already suppressed.

    Breakdowns are ordered by code, never by count: an order by size would rank the
    suppressed cells against each other and so reveal what suppression hides.
    """

    as_of: date
    minimum_cell: int
    departed_total: Cell
    in_japan: Cell
    departures_by_year: dict[int, Cell]
    by_province: tuple[ProvinceRow, ...]
    by_prefecture: tuple[PrefectureRow, ...]

    @property
    def departed_by_province(self) -> tuple[ProvinceCount, ...]:
        return tuple(ProvinceCount(r.code, r.name, r.departed) for r in self.by_province)

    @property
    def in_japan_by_province(self) -> tuple[ProvinceCount, ...]:
        return tuple(ProvinceCount(r.code, r.name, r.in_japan) for r in self.by_province)

    @property
    def departed_by_prefecture(self) -> tuple[PrefectureCount, ...]:
        return tuple(
            PrefectureCount(r.code, r.name_en, r.name_ja, r.name_id, r.departed)
            for r in self.by_prefecture
        )

    @property
    def in_japan_by_prefecture(self) -> tuple[PrefectureCount, ...]:
        return tuple(
            PrefectureCount(r.code, r.name_en, r.name_ja, r.name_id, r.in_japan)
            for r in self.by_prefecture
        )


def stats_today() -> date:
    """Today in Jakarta: the default as-of date."""
    return timezone.localdate(timezone=PROGRAMME_TIME_ZONE)


def public_as_of(requested: date | None) -> date:
    """The as-of date to publish: ``requested``, but never after today.

    Figures for a future date would be a forecast (everyone still in Japan today would
    count as in Japan then), so later dates show today's figures.
    """
    today = stats_today()
    return today if requested is None or requested > today else requested


def minimum_cell_size() -> int:
    return check_minimum(int(getattr(settings, "MAGANG_STATS_MIN_CELL", 5)))


def summary(*, as_of: date, minimum_cell: int | None = None) -> Summary:
    """The programme's figures as of ``as_of``, suppressed at ``minimum_cell``.

    ``minimum_cell`` defaults to ``settings.MAGANG_STATS_MIN_CELL``; 1 suppresses nothing
    (for staff dashboards that may see exact counts).
    """
    minimum = minimum_cell_size() if minimum_cell is None else check_minimum(minimum_cell)
    departed = Internship.objects.filter(departed_on__lte=as_of)
    still_there = Q(ended_on__isnull=True) | Q(ended_on__gt=as_of)
    counts = {"departed": Count("pk"), "in_japan": Count("pk", filter=still_there)}

    totals = departed.aggregate(**counts)

    per_year = {
        int(row["year"]): int(row["departed"])
        for row in departed.annotate(year=ExtractYear("departed_on"))
        .values("year")
        .annotate(departed=Count("pk"))
        .order_by("year")
    }
    first_year = min([FIRST_YEAR, *per_year])
    departures_by_year = {
        year: cell(per_year.get(year, 0), minimum) for year in range(first_year, as_of.year + 1)
    }

    by_province = tuple(
        ProvinceRow(
            code=row["code"],
            name=row["name"],
            departed=cell(row["departed"], minimum),
            in_japan=cell(row["in_japan"], minimum),
        )
        for row in departed.values(
            code=F("application__candidate__province__code"),
            name=F("application__candidate__province__name"),
        )
        .annotate(**counts)
        .order_by("code")
    )

    by_prefecture = tuple(
        PrefectureRow(
            code=row["code"],
            name_en=row["name_en"],
            name_ja=row["name_ja"],
            name_id=row["name_id"],
            departed=cell(row["departed"], minimum),
            in_japan=cell(row["in_japan"], minimum),
        )
        for row in departed.values(
            code=F("prefecture__code"),
            name_en=F("prefecture__name_en"),
            name_ja=F("prefecture__name_ja"),
            name_id=F("prefecture__name_id"),
        )
        .annotate(**counts)
        .order_by("code")
    )

    return Summary(
        as_of=as_of,
        minimum_cell=minimum,
        departed_total=cell(totals["departed"], minimum),
        in_japan=cell(totals["in_japan"], minimum),
        departures_by_year=departures_by_year,
        by_province=by_province,
        by_prefecture=by_prefecture,
    )
