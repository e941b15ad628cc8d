"""The demo's statistics: the summary tables computed once the history is built, so the
public page and the dashboards show figures straight away."""

from __future__ import annotations

from collections.abc import Callable

from magang.stats.refresh import stats_refresh


def stats_build(*, say: Callable[[str], None]) -> None:
    say("Statistics summaries")
    stats_refresh()
