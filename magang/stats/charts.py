"""Geometry for server-side SVG charts. Pure: no Django.

The template draws what these functions compute; the same figures always sit in a table
beside the chart, which is what screen readers and spreadsheets use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .suppression import Cell


@dataclass(frozen=True, slots=True)
class Bar:
    key: int
    value: Cell
    x: float
    y: float
    width: float
    height: float
    labelled: bool  # whether the axis shows this bar's key

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True, slots=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]

    @property
    def label_y(self) -> int:
        return self.bottom + 14


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten that is at least ``value`` (and >= 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def year_bar_chart(counts: Mapping[int, Cell], *, width: int = 640, height: int = 220) -> BarChart:
    """Vertical bars, one per year. A suppressed year gets a small outline, not its size."""
    left, right, top, bottom = 44, width - 16, 8, height - 22
    plot_height = bottom - top
    # A suppressed year is drawn as "up to minimum - 1": what "<5" already says, no more.
    heights = [c.minimum - 1 if c.count is None else c.count for c in counts.values()]
    scale_max = nice_ceiling(max(heights, default=0))
    ticks = [Tick(0, bottom), Tick(scale_max, top)]
    if scale_max % 2 == 0:
        ticks.insert(1, Tick(scale_max // 2, top + plot_height / 2))

    slot = (right - left) / max(len(counts), 1)
    gap = min(2.0, slot * 0.2)
    every = 1 if len(counts) <= 12 else 5
    bars = []
    for index, ((key, value), size) in enumerate(zip(counts.items(), heights, strict=True)):
        bar_height = plot_height * size / scale_max
        if value.count is None:
            bar_height = max(bar_height, 2.0)  # visible as an outline even on a tall scale
        bars.append(
            Bar(
                key=key,
                value=value,
                x=round(left + index * slot + gap / 2, 2),
                y=round(bottom - bar_height, 2),
                width=round(slot - gap, 2),
                height=round(bar_height, 2),
                labelled=key % every == 0,
            )
        )
    return BarChart(width, height, left, right, top, bottom, tuple(bars), tuple(ticks))
