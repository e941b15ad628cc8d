"""``manage.py stats_refresh``: recompute the statistics summaries.

Run it from cron every 2 minutes (``*/2 * * * * manage.py stats_refresh``), or let it loop
with ``--every 120`` where there is no cron; a Celery beat calls
``magang.stats.refresh.refresh_if_stale`` instead.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from magang.stats.refresh import stats_refresh


class Command(BaseCommand):
    help = "Recompute the statistics summary tables (public figures and dashboards)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running, refreshing every SECONDS (at least 30).",
        )

    def handle(self, *args: Any, every: int = 0, **options: Any) -> None:
        if every and every < 30:
            self.stderr.write("--every must be at least 30 seconds.")
            raise SystemExit(2)
        while True:
            refresh = stats_refresh()
            rows = ", ".join(f"{name} {n:,}" for name, n in refresh.rows.items())
            self.stdout.write(f"Statistics refreshed in {refresh.seconds:.2f} s ({rows}).")
            if not every:
                return
            time.sleep(every)
