"""How long `make demo` takes to build its data on SQLite, against a raw-insert baseline.

Run in a fresh process (Django settings are per process): a new SQLite file in a temporary
directory is migrated, then reference data is loaded and the full demo built, as `make demo`
does. The baseline writes the same number of rows with the standard library's sqlite3
(`executemany`, one transaction, same pragmas) on the same machine in the same run: it is the
floor any ORM-based builder can approach. Prints one JSON object.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path


def _baseline(rows: int, directory: Path) -> float:
    path = directory / "baseline.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT, d INTEGER, "
        "e TEXT, f TEXT, g INTEGER)"
    )
    data = [
        (f"value-{i}", "registered", "2019-10-01", i % 97, "in_japan", "", i) for i in range(rows)
    ]
    started = time.perf_counter()
    with connection:
        connection.executemany("INSERT INTO t (a, b, c, d, e, f, g) VALUES (?,?,?,?,?,?,?)", data)
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


def _departed_2023() -> int | None:
    import datetime as dt

    from magang.stats.selectors import summary

    return summary(as_of=dt.date(2023, 12, 31)).departed_total.count


def main() -> None:
    directory = Path(tempfile.mkdtemp(prefix="magang-bench-"))
    os.environ["MAGANG_VAR_DIR"] = str(directory)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    from magang.demo.builder import demo_build
    from magang.reference.services import reference_load_all

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    reference_load_all()
    reference_seconds = time.perf_counter() - started
    result = demo_build()
    total = time.perf_counter() - started
    tables = (
        "organisations",
        "users",
        "candidates",
        "applications",
        "journey_events",
        "internships",
    )
    rows = sum(result.counts.get(table, 0) for table in tables)
    baseline = _baseline(rows, directory)

    import datetime as dt

    from magang.stats.selectors import summary

    timings = []
    for _ in range(5):
        t0 = time.perf_counter()
        figures = summary(as_of=dt.date(2024, 9, 7))
        timings.append(time.perf_counter() - t0)
    from django.db import connection

    with connection.cursor() as cursor:
        t0 = time.perf_counter()
        for _ in range(5):
            cursor.execute(
                "SELECT SUM(departed_on <= %s), SUM(departed_on <= %s AND "
                "(ended_on IS NULL OR ended_on > %s)) FROM internships_internship",
                ["2024-09-07", "2024-09-07", "2024-09-07"],
            )
            cursor.fetchone()
        count_seconds = (time.perf_counter() - t0) / 5
    print(
        json.dumps(
            {
                "demo_seconds": round(total, 2),
                "reference_seconds": round(reference_seconds, 2),
                "rows_written": rows,
                "counts": result.counts,
                "baseline_seconds": round(baseline, 3),
                "ratio": round(total / baseline, 1),
                "summary_seconds": round(min(timings), 4),
                "count_seconds": round(count_seconds, 5),
                "summary_ratio": round(min(timings) / count_seconds, 1),
                "departed_2023": _departed_2023(),
                "in_japan_2024_09_07": figures.in_japan.count,
            }
        )
    )


if __name__ == "__main__":
    main()
