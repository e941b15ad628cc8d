"""When the demo's interns departed and how each stay ended. Pure: no Django.

The plan is calibrated to the two published figures (Kemnaker, Sept 2024): 52,440 participants
departed by 31 Dec 2023, and 6,365 in Japan on 7 Sept 2024. Departures before 2024 follow a
growth curve that is scaled to the first figure exactly. The second figure is then reached by
adding departures between 1 Jan and 7 Sept 2024, one at a time, until the number of people in
Japan on that day is exact. Departures after that date (the rest of 2024, 2025, 2026) are free.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", int, str)

DEPARTED_BY = dt.date(2023, 12, 31)
DEPARTED_BY_TARGET = 52_440
AS_OF = dt.date(2024, 9, 7)
IN_JAPAN_TARGET = 6_365
FIRST_YEAR = 1993

# Relative departures per year before 2024: a slow start in the 1990s, the 1998 crisis, the
# 2009 recession, the 2011 earthquake, growth in the 2010s, closed borders in 2020-21 (most
# departures before April 2020 and after October 2021), and the recovery.
YEAR_WEIGHTS: dict[int, int] = {
    1993: 80, 1994: 420, 1995: 700, 1996: 950, 1997: 1200, 1998: 850, 1999: 1000, 2000: 1250,
    2001: 1450, 2002: 1600, 2003: 1750, 2004: 1900, 2005: 2050, 2006: 2200, 2007: 2400,
    2008: 2450, 2009: 1800, 2010: 1700, 2011: 1550, 2012: 1850, 2013: 2000, 2014: 2150,
    2015: 2300, 2016: 2450, 2017: 2600, 2018: 2750, 2019: 2850, 2020: 1150, 2021: 450,
    2022: 1900, 2023: 2300,
}  # fmt: skip

# Departures after the calibration date, at full scale (people, not weights).
LATE_DEPARTURES: dict[int, int] = {2024: 1450, 2025: 3600, 2026: 4000}

# The months in which a year's batches may leave.
BATCH_MONTHS: dict[int, tuple[int, int]] = {1993: (9, 12), 2020: (1, 3), 2021: (10, 12)}

COMPLETED = "completed"
EARLY_RETURN = "early_return"
MISSING = "missing"

MISSING_SHARE = 0.02
EARLY_RETURN_SHARE = 0.045
STAGE3_SHARE = 0.12
# TITP stage 3 (years 4-5) exists since the Technical Intern Training Act of Nov 2017.
STAGE3_FROM = dt.date(2017, 11, 1)


@dataclass(frozen=True, slots=True)
class Stay:
    """One intern's stay in Japan: when it began, and when and why it ended (if it has)."""

    departed_on: dt.date
    ended_on: dt.date | None
    end_reason: str  # "" while the intern is still in Japan

    def in_japan_on(self, day: dt.date) -> bool:
        return self.departed_on <= day and (self.ended_on is None or self.ended_on > day)


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def split_total(total: int, weights: Mapping[K, float]) -> dict[K, int]:
    """Split ``total`` over the keys in proportion to the weights (largest remainder)."""
    weight_sum = sum(weights.values())
    exact = {key: total * weight / weight_sum for key, weight in weights.items()}
    counts = {key: int(value) for key, value in exact.items()}
    short = total - sum(counts.values())
    by_remainder = sorted(weights, key=lambda key: (counts[key] - exact[key], key))
    for key in by_remainder[:short]:
        counts[key] += 1
    return counts


def departed_by(stays: Iterable[Stay], day: dt.date) -> int:
    return sum(1 for stay in stays if stay.departed_on <= day)


def in_japan_on(stays: Iterable[Stay], day: dt.date) -> int:
    return sum(1 for stay in stays if stay.in_japan_on(day))


def _batch_dates(
    rng: random.Random,
    year: int,
    count: int,
    *,
    first: dt.date | None = None,
    last: dt.date | None = None,
) -> list[dt.date]:
    first_month, last_month = BATCH_MONTHS.get(year, (1, 12))
    start = dt.date(year, first_month, 1)
    end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
    if first is not None:
        start = max(start, first)
    if last is not None:
        end = min(end, last)
    batches = max(2, min(14, count // 150 + 1))
    span = (end - start).days
    days = {start + dt.timedelta(days=rng.randint(0, span)) for _ in range(batches)}
    return sorted(days)


def _end(rng: random.Random, departed_on: dt.date) -> tuple[dt.date, str]:
    draw = rng.random()
    if draw < MISSING_SHARE:
        return departed_on + dt.timedelta(days=rng.randint(45, 1000)), MISSING
    if draw < MISSING_SHARE + EARLY_RETURN_SHARE:
        return departed_on + dt.timedelta(days=rng.randint(14, 1060)), EARLY_RETURN
    months = 36
    if add_months(departed_on, 36) >= STAGE3_FROM and rng.random() < STAGE3_SHARE:
        months = 60
    return add_months(departed_on, months) - dt.timedelta(days=rng.randint(0, 10)), COMPLETED


def _stays_in_year(
    rng: random.Random, year: int, count: int, batches: Sequence[dt.date]
) -> list[Stay]:
    stays = []
    for _ in range(count):
        departed_on = rng.choice(batches)
        ended_on, reason = _end(rng, departed_on)
        stays.append(Stay(departed_on, ended_on, reason))
    return stays


def plan_departures(seed: int, *, scale: float = 1.0, today: dt.date | None = None) -> list[Stay]:
    """Every demo intern's stay, sorted by departure, hitting both figures exactly.

    With ``scale`` below 1 both figures (and everything else) shrink proportionally. With
    ``today``, departures after it are left out and stays that would end after it are still
    running; neither changes the two figures as long as ``today`` is after 7 Sept 2024.
    """
    if not 0 < scale <= 1:
        raise ValueError("scale must be in (0, 1]")
    rng = random.Random(seed)
    target_departed = round(DEPARTED_BY_TARGET * scale)
    target_in_japan = round(IN_JAPAN_TARGET * scale)

    stays: list[Stay] = []
    for year, count in split_total(target_departed, YEAR_WEIGHTS).items():
        stays.extend(_stays_in_year(rng, year, count, _batch_dates(rng, year, count)))

    # The calibration: top up with departures in 2024 up to 7 Sept until the number of
    # people in Japan on that day is exact.
    missing = target_in_japan - in_japan_on(stays, AS_OF)
    if missing < 0:
        raise ValueError(
            f"The growth curve already puts {-missing} too many people in Japan on {AS_OF}."
        )
    batches = _batch_dates(rng, 2024, missing, last=AS_OF)
    while missing > 0:
        departed_on = rng.choice(batches)
        ended_on, reason = _end(rng, departed_on)
        stay = Stay(departed_on, ended_on, reason)
        stays.append(stay)
        if stay.in_japan_on(AS_OF):
            missing -= 1

    for year, full_count in LATE_DEPARTURES.items():
        count = round(full_count * scale)
        first = AS_OF + dt.timedelta(days=1) if year == AS_OF.year else None
        batches = _batch_dates(rng, year, count, first=first)
        stays.extend(_stays_in_year(rng, year, count, batches))

    if today is not None:
        stays = [
            stay
            if stay.ended_on is None or stay.ended_on <= today
            else Stay(stay.departed_on, None, "")
            for stay in stays
            if stay.departed_on <= today
        ]
    stays.sort(key=lambda stay: stay.departed_on)
    return stays
