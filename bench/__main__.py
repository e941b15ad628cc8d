"""`python -m bench`: run every benchmark in its own process and write docs/benchmarks.md."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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


def _imports_section(r: dict[str, Any]) -> str:
    """Bulk import of registrations (issue 3): 100,000 rows, SQLite and PostgreSQL."""
    databases = [("SQLite", r["sqlite"]), ("PostgreSQL", r.get("postgresql"))]
    shown = [(name, d) for name, d in databases if d]
    header = "| measure | " + " | ".join(f"{n} {d['version']}" for n, d in shown) + " |"
    rule = "|---|" + "---|" * len(shown)

    def line(label: str, key: str, unit: str = " s", bold: bool = False) -> str:
        cells = []
        for _name, d in shown:
            value = f"{d[key]:,}{unit}"
            cells.append(f"**{value}**" if bold else value)
        return f"| {label} | " + " | ".join(cells) + " |"

    goal = r["goal_seconds"]
    verdicts = ", ".join(
        f"{name} {'meets' if d['import_seconds'] <= goal else 'misses'} it" for name, d in shown
    )
    note = f"\n{r['postgresql_note']}\n" if r.get("postgresql_note") else ""
    b = r["sqlite"].get("breakdown", {})
    where = ""
    if b:
        sqlite = r["sqlite"]
        rest = sqlite["preview_seconds"] - sqlite["read_seconds"] - b["cells"]
        rest -= b["registration_check"] + b["rules"]
        speedup = b["bulk_create_candidates"] / max(b["writer_candidates"], 0.001)
        where = f"""
Where the time goes (SQLite run; each step timed on its own over the same {r["rows"]:,} rows):
reading {sqlite["read_seconds"]} s; cell types and formats (`cells.row_data`) {b["cells"]} s;
`registration_check` (NIK, names, region codes: the online registration's own check)
**{b["registration_check"]} s**; the round's rules (`eligibility.evaluate`) {b["rules"]} s;
NIK look-ups, duplicates and the report about {max(rest, 0):.1f} s; writing
{sqlite["write_seconds"]} s. The writer (one prepared INSERT per 10,000 rows, `COPY` on
PostgreSQL, ids reserved from the database's sequences) wrote {b["sample_rows"]:,} candidates
in {b["writer_candidates"]} s where Django's `bulk_create` took {b["bulk_create_candidates"]} s
({speedup:.0f}x). The cyclic garbage collector is paused while a sheet is read, checked and
written: millions of short-lived objects and no cycles, which it rescanned for seconds.
"""
    return f"""## Bulk import of {r["rows"]:,} registrations from XLSX (issue 3; goal: 20 s)

A generated {r["rows"]:,}-row workbook ({r["file_megabytes"]} MB; realistic names, NIKs of real
districts, dates as Date cells, NIK and phone as Text cells) imported into one selection site
of a freshly migrated database holding the reference data. The baseline is only reading the
same file with the importer's reader (python-calamine, every cell with its type), best of 3:
**{r["read_only_seconds"]} s**. "Import" is `registrations_import` end to end: read, check
every row (cells, `registration_check`, NIKs against the database, the round's rules) and
write every candidate, application, first journey event, the batch and its audit row in one
transaction. Goal {goal:g} s: {verdicts}. Load average when the run started:
{r["load_average"]} (2 cores; other work on the machine slows every figure).
{note}
{header}
{rule}
{line("read the rows (`workbook_read`)", "read_seconds")}
{line("read + check, nothing written (the preview)", "preview_seconds")}
{line("import: read + check + write, end to end", "import_seconds", bold=True)}
{line("of which writing", "write_seconds")}
{line("rows per second, end to end", "rows_per_second", unit="", bold=True)}
{line("ratio import / read-only baseline", "ratio", unit="x")}
{line(f"re-upload check: the same {r['rows']:,} rows, all unchanged", "reupload_preview_seconds")}
{where}"""


def _ranking_section(r: dict[str, Any]) -> str:
    return f"""## Ranking, the pure function (issue: selection; goal: 1,000,000 in 1 s or less)

`magang.selection.ranking.rank` on {r["applications"]:,} synthetic applications with 8 stages
and 38 province quota units, best of 3. Baseline: {r["baseline"]}.

| measure | value |
|---|---|
| rank() | **{r["ranking_seconds"]} s** |
| baseline | {r["baseline_seconds"]} s |
| ratio | {r["ratio"]}x |

The whole ranking service (read from PostgreSQL, rank, write) is not built yet."""


def main() -> None:
    demo = _run("bench.demo_build")
    imports = _run("bench.import_xlsx")
    ranking = _run("bench.ranking")
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

{_imports_section(imports)}

{_ranking_section(ranking)}"""
    (ROOT / "docs" / "benchmarks.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
