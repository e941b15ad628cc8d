"""Public statistics as of any date, read from the summary tables (``models.py``).

Definitions (DOMAIN.md): an intern has *departed* as of D when ``departed_on <= D``, and is
*in Japan* as of D when ``departed_on <= D`` and the stay has not ended by then
(``ended_on`` empty or after D). Departing on D counts; ending on D means back home.

``summary()`` reads the running totals of D's month and the day rows from the first of the
month to D (``flow_totals``), the names of the places and trades, and the current rounds'
application counts: a handful of small indexed queries, whatever the size of the programme.
The figures are those of the last refresh (``data_as_of``). Only suppressed ``Cell`` values
leave this module: true small counts never do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max, Subquery, Sum
from django.utils import timezone

from magang.recruitment.models import ApplicationStatus, RecruitmentRound
from magang.reference.models import Prefecture, Province, Trade

from .models import Dimension, FlowDay, FlowMonth, StatusCount
from .rendered import latest_stamp
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
class TradeRow:
    """A trade with at least one departure as of the date."""

    code: str
    name_en: str
    name_ja: str
    name_id: str
    departed: Cell
    in_japan: Cell


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    """How the stays of one departure year stood on the date."""

    year: int
    departed: Cell
    in_japan: Cell
    completed: Cell
    early_return: Cell
    missing: Cell


@dataclass(frozen=True, slots=True)
class RoundRow:
    """A current recruitment round's progress: registered and selected so far."""

    code: str
    name: str
    year: int
    registered: Cell
    selected: Cell


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
    by_trade: tuple[TradeRow, ...]
    outcomes_by_year: tuple[OutcomeRow, ...]
    rounds: tuple[RoundRow, ...]
    data_as_of: datetime | None  # when the summaries were taken; None: never refreshed

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


# Statuses that mean "selected at some point" (the journey only moves on from selected).
SELECTED_OR_LATER = frozenset(
    {
        ApplicationStatus.SELECTED,
        ApplicationStatus.IN_TRAINING,
        ApplicationStatus.GRADUATED,
        ApplicationStatus.DROPPED_OUT,
        ApplicationStatus.MATCHED,
        ApplicationStatus.DEPARTED,
        ApplicationStatus.IN_JAPAN,
        ApplicationStatus.COMPLETED,
        ApplicationStatus.EARLY_RETURN,
        ApplicationStatus.MISSING,
        ApplicationStatus.RETURNED,
    }
)

Counts = list[int]  # [departed, completed, early_return, missing]


def flow_totals(as_of: date) -> dict[tuple[str, str], Counts]:
    """(dimension, key) -> running totals up to and including ``as_of``: two indexed reads,
    the monthly totals of the latest month on or before ``as_of`` and the days after it."""
    latest = FlowMonth.objects.filter(month__lte=as_of).order_by("-month").values("month")[:1]
    totals: dict[tuple[str, str], Counts] = {}
    columns = ("dimension", "key", "departed", "completed", "early_return", "missing")
    base = None
    for month, dimension, key, *counts in FlowMonth.objects.filter(
        month=Subquery(latest)
    ).values_list("month", *columns):
        base = month
        totals[(dimension, key)] = counts
    days = FlowDay.objects.filter(day__lte=as_of)
    if base is not None:
        days = days.filter(day__gte=base)
    for dimension, key, *counts in days.values_list(*columns):
        running = totals.setdefault((dimension, key), [0, 0, 0, 0])
        for i, n in enumerate(counts):
            running[i] += n
    return totals


def in_japan(counts: Counts) -> int:
    return counts[0] - counts[1] - counts[2] - counts[3]


def data_as_of() -> datetime | None:
    """When the figures were taken (the last refresh), or None if never."""
    stamp = latest_stamp()
    return stamp.data_as_of if stamp else None


@dataclass(frozen=True, slots=True)
class _Names:
    provinces: dict[str, str]
    prefectures: dict[str, tuple[str, str, str]]
    trades: dict[str, tuple[str, str, str]]


# What does not depend on the date, kept per process for the current refresh (by its
# token): names of places and trades, and the current rounds' progress.
_per_refresh: dict[tuple[object, ...], object] = {}


def _for_refresh(token: str | None, key: tuple[object, ...], make: Any) -> Any:
    cache_key = (token, *key)
    if token is None or cache_key not in _per_refresh:
        value = make()
        if token is None:
            return value
        if len(_per_refresh) > 64:
            _per_refresh.clear()
        _per_refresh[cache_key] = value
    return _per_refresh[cache_key]


def _names() -> _Names:
    return _Names(
        provinces=dict(Province.objects.values_list("code", "name")),
        prefectures={
            code: (en, ja, id_)
            for code, en, ja, id_ in Prefecture.objects.values_list(
                "code", "name_en", "name_ja", "name_id"
            )
        },
        trades={
            code: (en, ja, id_)
            for code, en, ja, id_ in Trade.objects.values_list(
                "code", "name_en", "name_ja", "name_id"
            )
        },
    )


def current_rounds(minimum: int) -> tuple[RoundRow, ...]:
    """The rounds of the latest recruitment year: registered and selected so far."""
    latest = RecruitmentRound.objects.aggregate(y=Max("year"))["y"]
    if latest is None:
        return ()
    rounds = list(RecruitmentRound.objects.filter(year=latest).order_by("opens_on", "code"))
    counts: dict[tuple[int, str], int] = {
        (r, status): n
        for r, status, n in StatusCount.objects.filter(round_id__in=[r.pk for r in rounds])
        .values("round_id", "status")
        .annotate(n=Sum("count"))
        .values_list("round_id", "status", "n")
    }
    rows = []
    for r in rounds:
        registered = sum(n for (rid, _status), n in counts.items() if rid == r.pk)
        selected = sum(
            n for (rid, status), n in counts.items() if rid == r.pk and status in SELECTED_OR_LATER
        )
        rows.append(
            RoundRow(r.code, r.name, r.year, cell(registered, minimum), cell(selected, minimum))
        )
    return tuple(rows)


def summary(*, as_of: date, minimum_cell: int | None = None) -> Summary:
    """The programme's figures as of ``as_of``, suppressed at ``minimum_cell``.

    ``minimum_cell`` defaults to ``settings.MAGANG_STATS_MIN_CELL``; 1 suppresses nothing
    (for staff dashboards that may see exact counts).
    """
    minimum = minimum_cell_size() if minimum_cell is None else check_minimum(minimum_cell)
    stamp = latest_stamp()
    token = stamp.token if stamp else None
    totals = flow_totals(as_of)
    names: _Names = _for_refresh(token, ("names",), _names)

    def of(dimension: Dimension) -> dict[str, Counts]:
        return {
            key: counts
            for (dim, key), counts in totals.items()
            if dim == dimension.value and counts[0] > 0
        }

    total = totals.get((Dimension.TOTAL.value, ""), [0, 0, 0, 0])
    years = {int(key): counts for key, counts in of(Dimension.YEAR).items()}
    departures_by_year: dict[int, Cell] = {}
    outcomes = []
    for year in range(min([FIRST_YEAR, *years]), as_of.year + 1):
        counts = years.get(year, [0, 0, 0, 0])
        departures_by_year[year] = cell(counts[0], minimum)
        if counts[0]:
            outcomes.append(
                OutcomeRow(
                    year=year,
                    departed=cell(counts[0], minimum),
                    in_japan=cell(in_japan(counts), minimum),
                    completed=cell(counts[1], minimum),
                    early_return=cell(counts[2], minimum),
                    missing=cell(counts[3], minimum),
                )
            )

    provinces = of(Dimension.PROVINCE)
    by_province = tuple(
        ProvinceRow(
            code=code,
            name=names.provinces[code],
            departed=cell(provinces[code][0], minimum),
            in_japan=cell(in_japan(provinces[code]), minimum),
        )
        for code in sorted(provinces)
        if code in names.provinces
    )
    prefectures = of(Dimension.PREFECTURE)
    by_prefecture = tuple(
        PrefectureRow(
            code,
            *names.prefectures[code],
            departed=cell(prefectures[code][0], minimum),
            in_japan=cell(in_japan(prefectures[code]), minimum),
        )
        for code in sorted(prefectures)
        if code in names.prefectures
    )
    trades = of(Dimension.TRADE)
    by_trade = tuple(
        TradeRow(
            code,
            *names.trades[code],
            departed=cell(trades[code][0], minimum),
            in_japan=cell(in_japan(trades[code]), minimum),
        )
        for code in sorted(trades)
        if code in names.trades
    )
    return Summary(
        as_of=as_of,
        minimum_cell=minimum,
        departed_total=cell(total[0], minimum),
        in_japan=cell(in_japan(total), minimum),
        departures_by_year=departures_by_year,
        by_province=by_province,
        by_prefecture=by_prefecture,
        by_trade=by_trade,
        outcomes_by_year=tuple(outcomes),
        rounds=_for_refresh(token, ("rounds", minimum), lambda: current_rounds(minimum)),
        data_as_of=stamp.data_as_of if stamp else None,
    )
