"""`python -m bench`: run every benchmark in its own process and write docs/benchmarks.md.

`python -m bench selection` (any of demo, imports, selection) runs only those and replaces
their sections of docs/benchmarks.md, leaving the others as the last run wrote them. Each
section sits between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
from collections.abc import Callable
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


def _demo_section(demo: dict[str, Any]) -> str:
    return f"""## Demo build on SQLite (issue: foundation; goal: under 60 s)

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
| ratio | {demo["summary_ratio"]}x |"""


def _selection_section(r: dict[str, Any]) -> str:
    """Ranking a round (the pure function), its explanations and the whole ranking run."""
    n = f"{r['applications']:,}"
    baseline = r["row_number_seconds"]

    def row(label: str, seconds: float | None, bold: bool = False) -> str:
        if seconds is None:
            return f"| {label} | not measured | |"
        shown = f"**{seconds} s**" if bold else f"{seconds} s"
        return f"| {label} | {shown} | {seconds / baseline:.2f}x |"

    counts = r["counts"]
    rank_goal, service_goal = r["rank_goal_seconds"], r["service_goal_seconds"]
    verdict = f"`rank()` {'meets' if r['rank_seconds'] <= rank_goal else 'misses'} its goal"
    service = r.get("service_seconds")
    if service is None:
        outcome = f"{verdict}. {r.get('note', '')}"
    else:
        same = "the same as" if r["same_result_as_pure"] else "**not** the same as"
        bulk = r["explanations_seconds"] + r["placement_columns_seconds"]
        outcome = f"""{verdict}; the service {"meets" if service <= service_goal else "misses"}
its goal. The run's result digest is {same} the pure function's on the same round. Calling
`explain()` for each application and language costs about {r["explain_one_by_one_seconds"]} s
of a run; `explanations()` and `placement_columns()` give the same texts and columns in
{bulk:.1f} s."""
    return f"""## Selection: ranking {n} applications and storing the run (issue: selection; goals: ranking 1 s, the whole run 30 s)

`bench/selection.py`: a generated round of {n} applications with the plan `plan_create`
makes by default (the {r["stages"]} usual stages, built by the `Stage` model), {r["units"]}
provinces as quota units with {r["seats"]:,} seats ({r["extra_seats"]:,} of them left
unused by Papua and Papua Barat and redistributed in proportion) and
{r["reserves_per_unit"]} reserves per unit. {r["ranked"]:,} pass every eliminating stage:
{counts["selected"]:,} selected, {counts["reserve"]:,} reserves, {counts["not_selected"]:,}
not selected; {counts["eliminated"]:,} are eliminated, with nothing recorded after the stage
that eliminated them. Whole-number scores make ties common. Baseline: PostgreSQL
{r["postgresql"]} alone numbering the same {n} rows per unit by total, `row_number() OVER
(PARTITION BY unit ORDER BY total DESC)`, over a temporary table loaded by `COPY` (not
timed; `work_mem` 256 MB so the sort stays in memory): **{baseline} s**. Best of 3, except
the service (once). Load average when the run started: {r["load_average"]} (2 cores; other
work slows every figure).

| measure | time | ratio to the baseline |
|---|---|---|
{row("baseline: PostgreSQL `row_number()` per unit", baseline)}
{row("`numpy.lexsort` of the ranked by unit, total, tie-breaks, registration time", r["lexsort_seconds"])}
{row("**`rank()`**, the pure function (goal 1 s)", r["rank_seconds"], bold=True)}
{row("`explanations()` of every application, Indonesian + English", r["explanations_seconds"])}
{row("`explain()` one application at a time, both languages (10,000 timed)", r["explain_one_by_one_seconds"])}
{row("`placement_columns()`, the placements as lists for a bulk write", r["placement_columns_seconds"])}
{row("`Applications.from_columns`, building the input once", r["build_seconds"])}
{row("`RankingResult.digest()`", r["digest_seconds"])}
{row(f"**`ranking_run()`**, the service: read, rank, explain, write {n} placements (goal 30 s)", service, bold=True)}
{row("of which reading the round (`run_inputs`, timed again on its own)", r.get("read_seconds"))}

{outcome} The round was written by `COPY` ({n} candidates and applications,
{r.get("stage_results", 0):,} stage results; indexes built afterwards) in
{r.get("load_seconds", "-")} s, not timed."""  # noqa: E501


BENCHMARKS: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
    "demo": ("bench.demo_build", _demo_section),
    "imports": ("bench.import_xlsx", _imports_section),
    "selection": ("bench.selection", _selection_section),
}


def _wrapped(name: str, section: str) -> str:
    return f"<!-- bench:{name} -->\n{section}\n<!-- /bench:{name} -->"


def main() -> None:
    names = sys.argv[1:] or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        sys.exit(f"Unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}.")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    sections = {}
    for name in names:
        module, section = BENCHMARKS[name]
        sections[name] = section(_run(module))
    path = ROOT / "docs" / "benchmarks.md"
    if len(names) == len(BENCHMARKS):
        body = "\n\n".join(_wrapped(name, sections[name]) for name in BENCHMARKS)
        text = f"""# Benchmarks

Written by `make bench` ({when}; {machine}). Each figure is measured against a named baseline
on the same machine in the same run; tests never assert on time.

{body}
"""
    else:
        text = path.read_text(encoding="utf-8")
        for name, section in sections.items():
            note = f"\n\n_Measured on its own by `python -m bench {name}` ({when}; {machine})._"
            chunk = _wrapped(name, section + note)
            pattern = re.compile(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->", re.DOTALL)
            if pattern.search(text):
                text = pattern.sub(lambda _match, chunk=chunk: chunk, text)
            else:
                text = text.rstrip("\n") + "\n\n" + chunk + "\n"
    path.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
