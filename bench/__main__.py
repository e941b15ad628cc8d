"""`python -m bench`: run every benchmark in its own process and write docs/benchmarks.md."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(module: str) -> dict[str, object]:
    output = subprocess.run(  # noqa: S603  (our own module, fixed arguments)
        [sys.executable, "-m", module],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def main() -> None:
    demo = _run("bench.demo_build")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = f"""# Benchmarks

Written by `make bench` ({when}; {machine}). Each figure is measured against a named baseline
on the same machine in the same run; tests never assert on time.

## Demo build on SQLite (issue: foundation; goal: under 60 s)

`make demo`'s data step on a freshly migrated SQLite file: reference data, organisations and
accounts, and the synthetic history (`magang/demo`).

| measure | value |
|---|---|
| reference data + full demo build | **{demo["demo_seconds"]} s** |
| of which reference data | {demo["reference_seconds"]} s |
| rows written | {demo["rows_written"]:,} |
| baseline: as many rows by raw `sqlite3.executemany` | {demo["baseline_seconds"]} s |
| ratio demo / baseline | {demo["ratio"]}x |
| check: departed by 2023-12-31 | {demo["departed_2023"]:,} |
| check: in Japan on 2024-09-07 | {demo["in_japan_2024_09_07"]:,} |

Demo counts: {", ".join(f"{k} {v:,}" for k, v in dict(demo["counts"]).items())}.

## Public statistics summary on the demo data (SQLite)

`magang.stats.selectors.summary(as_of=2024-09-07)`: 4 aggregate queries (totals, per year,
per province of origin through application and candidate, per prefecture), best of 5. The
baseline is the cheapest query that still reads every internship once.

| measure | value |
|---|---|
| summary() | {demo["summary_seconds"]} s |
| baseline: one raw SQL pass over all internships | {demo["count_seconds"]} s |
| ratio | {demo["summary_ratio"]}x |
"""
    (ROOT / "docs" / "benchmarks.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
