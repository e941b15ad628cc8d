"""`python -m bench`: run every benchmark in its own process and write docs/benchmarks.md.

`python -m bench selection` (any of demo, imports, selection, training, matching,
internships) runs only those and replaces their sections of docs/benchmarks.md, leaving the
others as the last run wrote them. Each section sits between `<!-- bench:NAME -->` and
`<!-- /bench:NAME -->`.
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


def _training_section(r: dict[str, Any]) -> str:
    """Roll call, gradebook page and readiness of a central cohort of 2,000 trainees."""
    roll, book, ready, goals = r["roll_call"], r["gradebook"], r["readiness"], r["goals"]

    def row(label: str, figures: dict[str, Any], unit: str, queries: object, base: Any) -> str:
        ratio = f"{figures['p50'] / base['p50']:.1f}x" if base else ""
        return (
            f"| {label} | {figures['p50']:,} {unit} | {figures['p95']:,} {unit} | {queries} "
            f"| {ratio} |"
        )

    bulk, empty = roll["baseline_bulk_create_ms"], book.get("baseline_empty_page_ms")
    group_by, ordered = ready["baseline_group_by_s"], ready["baseline_ordered_read_s"]
    lines = [
        row("baseline: the same 25 rows by one `bulk_create`", bulk, "ms", 1, None),
        row(
            f"**`roll_call_save`**, first save of a class of {roll['class_size']} "
            f"(goal {goals['roll_call_ms']} ms)",
            roll["first_save_ms"], "ms", roll["first_save_queries"], bulk,
        ),
        row(
            "`roll_call_save`, saved again with 2-4 other exceptions",
            roll["resave_ms"], "ms", roll["resave_queries"], bulk,
        ),
        row(
            "the roll-call page's POST (access, form, service, redirect)",
            roll["page_post_ms"], "ms", roll["page_post_queries"], bulk,
        ),
    ]  # fmt: skip
    if empty is None:
        lines.append(f"| gradebook page | {book.get('note', 'not measured')} | | | |")
    else:
        lines += [
            row("baseline: an empty page on the base layout", empty, "ms",
                book["baseline_queries"], None),
            row(
                f"**gradebook page**, class of {book['class_size']} x {book['assessments']} "
                f"assessments, {book['page_kilobytes']} KB (goal {goals['gradebook_ms']} ms)",
                book["page_ms"], "ms", book["page_queries"], empty,
            ),
        ]  # fmt: skip
    lines += [
        row("baseline: one GROUP BY over the cohort's attendance", group_by, "s", 1, None),
        row(
            f"**`cohort_readiness`**, {ready['trainees']:,} trainees "
            f"(goal {goals['readiness_s']:g} s)",
            ready["readiness_s"], "s", ready["readiness_queries"], group_by,
        ),
        row(
            f"baseline: the cohort's {r['attendance']:,} attendance statuses read in order",
            ordered, "s", 1, None,
        ),
        row(
            f"`cohort_alerts`, {ready['trainees']:,} trainees",
            ready["alerts_s"], "s", ready["alerts_queries"], ordered,
        ),
    ]  # fmt: skip

    def verdict(name: str, value: float, goal: float) -> str:
        return f"{name} {'meets' if value <= goal else 'misses'} its goal at p95"

    verdicts = [verdict("Roll call", roll["first_save_ms"]["p95"], goals["roll_call_ms"])]
    if empty is not None:
        verdicts.append(verdict("the gradebook", book["page_ms"]["p95"], goals["gradebook_ms"]))
    verdicts.append(verdict("readiness", ready["readiness_s"]["p95"], goals["readiness_s"]))
    table = "\n".join(lines)
    return f"""## Training: a central cohort of {r["trainees"]:,} trainees (issue: training; goals: roll call {goals["roll_call_ms"]} ms, gradebook {goals["gradebook_ms"]} ms, readiness {goals["readiness_s"]:g} s)

`bench/training.py`: a generated Stage II cohort of {r["trainees"]:,} trainees in
{r["classes"]} classes (one of 40, the others 24-25) over {r["weeks"]} weeks on PostgreSQL
{r["postgresql"]}: {r["sessions"]:,} sessions, every roll taken ({r["attendance"]:,} marks,
mostly present), 30 assessments of 10 modules with every trainee scored ({r["scores"]:,}
scores) and 300 discipline records, written by `bulk_create` and `COPY` in
{r["load_seconds"]} s (not timed). Server time is measured in the process: around the service
call, or around `django.test.Client`'s request for a page (middleware, session, user, view,
template; no network), with `DEBUG` off, p50 and p95 over {roll["first_save_ms"]["runs"]}
saves, {book.get("page_ms", {}).get("runs", 0)} page views and {ready["readiness_s"]["runs"]}
evaluations. Each save gets fresh user and session objects, as a request does. Query counts
come from a separate run under `CaptureQueriesContext` (a transaction's BEGIN and COMMIT
count as two). Ratios are p50 against the baseline above them in the same run, each
measurement and its baseline taking turns. Load average when the run started:
{r["load_average"]} (2 cores; other work slows every figure).

| measure | p50 | p95 | queries | ratio to the baseline |
|---|---|---|---|---|
{table}

{"; ".join(verdicts)}. No query per trainee: `cohort_readiness` takes
{ready["readiness_queries_20"]} queries for 20 trainees and {ready["readiness_queries"]} for
{ready["trainees"]:,}, `cohort_alerts` {ready["alerts_queries_20"]} and
{ready["alerts_queries"]}. Of the {ready["trainees"]:,}, {ready["ready"]:,} meet every
readiness rule and {ready["with_alerts"]:,} have at least one alert."""  # noqa: E501


def _matching_service(r: dict[str, Any]) -> str:
    """`match_run` on PostgreSQL, against the section's baseline and `stable_match()`."""
    s, goal = r.get("service"), r.get("service_goal_seconds", 15.0)
    heading = "### The whole run on PostgreSQL: `match_run()`"
    if s is None:
        return f"{heading}\n\nNot measured in this run (`--skip-service`)."
    if "service_seconds" not in s:
        return f"{heading}\n\nNot measured: {s.get('outcome', 'no result')}."
    baseline, pure = r["read_seconds"], r["match_seconds"]
    total = s["service_seconds"]
    runs = ", ".join(f"{seconds} s" for seconds in s.get("service_runs", [total]))

    def row(label: str, seconds: float, bold: bool = False) -> str:
        shown = f"**{seconds} s**" if bold else f"{seconds} s"
        return f"| {label} | {shown} | {seconds / baseline:.1f}x | {seconds / pure:.2f}x |"

    parts = s["service_parts"]
    other = round(s["service_rest_seconds"] + parts["audit"], 2)
    verdict = "meets" if total <= goal else "misses"
    same = "the same as" if s["same_as_pure"] else "**not** the same as"
    server = s.get("service_server_cpu_seconds")
    cpu = f"CPU time during the run: {s['service_cpu_seconds']} s in the Python process" + (
        f", {server} s in its PostgreSQL backend." if server is not None else "."
    )
    big = sorted(
        [
            ("reading", parts["read"]),
            ("writing the rows", parts["write"]),
            ("the commit", parts["commit"]),
            ("the reasons", parts["reasons"]),
            ("the rest", other),
        ],
        key=lambda item: -item[1],
    )
    where = ", ".join(f"{name} {seconds} s" for name, seconds in big[:3])
    write_label = f"of which writing the links and {s['match_rows']:,} rows (`BulkTable.write`)"
    return f"""{heading}

`services.matching.match_run(orders=<all {r["job_orders"]:,} job orders>, by=None)`,
{len(s.get("service_runs", [total]))} times in a row (each a new run: {runs}; the median run is
the one shown and judged), in its own process, on a throwaway PostgreSQL
{s["postgresql"]} database holding the same instance: one supervising organisation and
{s["host_companies"]:,} host companies,
{s["candidates"]:,} candidates with graduated applications, {r["job_orders"]:,} open job
orders with the instance's slots, {s["preference_rows"]:,} preferences and
{s["candidacy_rows"]:,} company rankings (interview passed), written by `COPY` with the
secondary indexes built afterwards in {s["load_seconds"]} s (not timed). The run locks the
job orders, reads both sides (two queries, each packed by PostgreSQL into one bytea that
numpy reads whole), matches, and writes the run's links to its job orders and
{s["match_rows"]:,} `Match` rows by `COPY` (`BulkTable`, foreign keys checked as the rows
arrive) in one transaction, commit included. Each row keeps the facts of its explanation
(`stored_reasons()`: for each job order listed above the match, its id, why not and its
slots, as JSON text), not the text in two languages: the pages and the API say them when
they show a result (`selectors.matching.match_explained`). Its parts are timed inside the
median run by wrapping the functions it calls; "the rest" is locking and reading the job
orders, the run row, `statistics()`, `columns()` and the audit row. Ratios are to this
section's baseline and to `stable_match()` above. Load average when it started:
{s["load_average"]} (2 cores).

| measure | time | ratio to the baseline | ratio to `stable_match()` |
|---|---|---|---|
{row(f"**`match_run()`**, PostgreSQL to stored results (goal {goal:g} s)", total, bold=True)}
{row("of which reading preferences and rankings (`match_inputs`)", parts["read"])}
{row("of which `stable_match()`", parts["match"])}
{row("of which the input digest (`_digest`)", parts["digest"])}
{row("of which the reasons to store (`stored_reasons()`)", parts["reasons"])}
{row(write_label, parts["write"])}
{row("of which the commit (deferred foreign-key checks)", parts["commit"])}
{row("of which the rest", other)}
{row("`match_inputs()` again on its own, best of 3", s["read_alone_seconds"])}
{row("a page of 100 results: the committee page's query, best of 3", s["page_query_seconds"])}
{row("a page of 100 results: their explanations, said", s["page_explain_seconds"])}

`match_run()` {verdict} its goal; most of the time goes to {where}. {cpu} The stored
assignment ({s["stored_matched"]:,} matched) is {same} `stable_match()`'s on the instance,
ids mapped back. Said again from the stored reasons as the pages and the API say them, the
explanations of {s["explained_same"]:,} of {s["explained_sample"]:,} sampled candidates are
exactly `explain()`'s, in both languages. The stored reasons average
{s["reasons_characters"]:,} characters per candidate; the run's rows take
{s["match_table_megabytes"]:,} MB with their indexes.

Before (2026-11-28 00:07 UTC, load average 1.8): `match_run()` took 19.37 s, of which reading
3.13 s, `explanations()` in both languages 2.8 s and writing the rows with the texts (1,243
characters per candidate, 596 MB with the indexes) 10.87 s. The write now carries about a
tenth of the bytes, into a table with two indexes fewer (the run's and the application's,
which the unique (application, run) and (run, job order) ones cover) and two made partial
(the job order's and the changer's, only where set). One run at the end of that session took
26.2 s (reading 7.9 s, writing 11.8 s) just after the full CI suite had run on PostgreSQL;
on a quiet server it takes about half that, which is why the service is now timed three
times and judged by the median."""


def _matching_section(r: dict[str, Any]) -> str:
    """The stable matching (the pure function), its explanations, and the `matching`
    library on smaller instances of the same kind."""
    n, m, slots = f"{r['candidates']:,}", f"{r['job_orders']:,}", f"{r['slots']:,}"
    baseline = r["read_seconds"]

    def row(label: str, seconds: float, cpu: float | None = None, bold: bool = False) -> str:
        shown = f"**{seconds} s**" if bold else f"{seconds} s"
        cpu_shown = f"{cpu} s" if cpu is not None else ""
        return f"| {label} | {shown} | {cpu_shown} | {seconds / baseline:.2f}x |"

    goal = r["goal_seconds"]
    verdict = "meets" if r["match_seconds"] <= goal else "misses"
    by_choice = ", ".join(f"{k}: {v:,}" for k, v in r["by_choice"].items())
    unmatched = ", ".join(f"{k} {v:,}" for k, v in r["unmatched_by_reason"].items() if v)
    library_rows = []
    for run in r["library"]:
        limit = f"{run['recursion_limit']:,}" if "recursion_limit" in run else "-"
        if run.get("outcome") != "solved":
            ours = f"{run['ours_seconds']} s" if "ours_seconds" in run else ""
            cells = [run.get("outcome", "-"), "", ours, "", ""]
        else:
            cells = [
                f"{run['library_seconds']:,} s",
                f"{run['solve_seconds']:,} s",
                f"{run['ours_seconds']} s",
                f"{run['ratio']:,}x ({run['solve_ratio']:,}x)",
                "yes" if run["identical"] else "**no**",
            ]
        size = f"{run['candidates']:,} / {run.get('job_orders', 0):,} / {run.get('slots', 0):,}"
        library_rows.append(f"| {size} | {limit} | " + " | ".join(cells) + " |")
    version = next((x["library_version"] for x in r["library"] if "library_version" in x), "")
    examples = r["example_explanations"]
    service_goal = r.get("service_goal_seconds", 15.0)
    return f"""## Placement: matching {n} candidates to {m} job orders (issue: placement; goals: the pure function in {goal:g} s, the whole run from PostgreSQL to stored results in {service_goal:g} s)

`bench/matching.py`: a generated instance of {n} candidates, {m} job orders and {slots}
slots. Each candidate lists 1 to {r["most_choices"]} job orders, drawn by a skewed
popularity ({r["preferences"]:,} preferences in all); each job order ranks every candidate
who listed it by their score plus its own view of them (the longest list has
{r["longest_job_list"]:,} candidates); slots are shared out with at least one per job order.
Ids look like database ids, with gaps, and the dicts are filled in a shuffled order.
Baseline: reading every preference of both sides into numpy arrays (`np.fromiter` over the
dicts), the least any function taking these dicts must do: **{baseline} s**. Best of 3; the
CPU time of the process is shown beside the wall clock, because other work on the machine
slows the wall clock (load average {r["load_average"]} when the run started,
{r["load_average_after"]} at the end; 2 cores). `stable_match()` {verdict} its goal.

| measure | time | CPU time | ratio to the baseline |
|---|---|---|---|
{row("baseline: every preference into numpy arrays", baseline, r["read_cpu_seconds"])}
{row(f"**`stable_match()`**, the pure function, from the dicts (goal {goal:g} s)", r["match_seconds"], r["match_cpu_seconds"], bold=True)}
{row("`explanations()` of every candidate, Indonesian + English", r["explanations_seconds"])}
{row("`stored_reasons()` of every candidate (what a run stores instead)", r["reasons_seconds"])}
{row("`explain()` one candidate at a time, both languages (10,000 timed)", r["explain_one_by_one_seconds"])}
{row("`columns()`, the results as lists for a bulk write", r["columns_seconds"])}
{row("`statistics()`", r["statistics_seconds"])}

Result: {r["matched"]:,} candidates matched ({r["at_first_choice"]:,} to their first
choice; by choice {by_choice}), {r["slots_filled"]:,} of {slots} slots filled,
{r["job_orders_full"]:,} job orders full; unmatched: {unmatched}. The explanation of a
candidate matched to their third choice: "{examples["en"]}" / "{examples["id"]}".

{_matching_service(r)}

### Against the `matching` library {version}

No peer system does stable matching; `matching` is the best-known Python library for it.
Its hospital-resident solver (`HospitalResident.create_from_dictionaries`, then
`solve(optimal="resident")`, once) ran on instances generated the same way at 10,000 and
50,000 candidates (job orders and slots in proportion), each in its own process with a
limit of {r["library_time_limit"]:,} s, beside `stable_match()` on the same instance (best
of 3). Each size ran with Python's default recursion limit, then with it raised (in a thread
with a 1 GiB stack, so that deep recursion cannot crash the interpreter). The ratio is the
library's time over `stable_match()`'s (in brackets: its `solve()` alone); "identical"
compares the two assignments.

| candidates / job orders / slots | recursion limit | `matching` | of which `solve()` | `stable_match()` | ratio | identical |
|---|---|---|---|---|---|---|
{chr(10).join(library_rows)}"""  # noqa: E501


def _internships_section(r: dict[str, Any]) -> str:
    from bench.internships import section  # the stay's section is written beside its bench

    return section(r)


def _stats_section(r: dict[str, Any]) -> str:
    """Statistics at national scale (issue 8): every public and dashboard page."""
    goal = r["goal_ms"]

    def worst(p: dict[str, Any]) -> float:
        return float(max(p["p95_ms"], p.get("fresh_p95_ms", p["p95_ms"])))

    rows = "\n".join(
        f"| {p['page']} | {p['p50_ms']} | {p['p95_ms']} | {p.get('fresh_p50_ms', '-')} | "
        f"**{p.get('fresh_p95_ms', '-')}** | {'meets' if worst(p) <= goal else 'misses'} | "
        f"{p['baseline_p50_ms']:,} | {p['ratio']:,}x |"
        for p in r["pages"]
    )
    met = sum(worst(p) <= goal for p in r["pages"])
    summary_rows = ", ".join(f"{k} {v:,}" for k, v in r["refresh_rows"].items())
    title = (
        f"Statistics on {r['applications']:,} applications and {r['internships']:,} "
        f"internships (issue 8; goal: p95 <= {goal:g} ms per page)"
    )
    return f"""## {title}

PostgreSQL, data written by `COPY` (`bench/stats.py`: 34 yearly rounds, {r["host_companies"]:,}
host companies crowded into the industrial prefectures (Aichi about a tenth),
{r["enrolments"]:,} training enrolments, 2,000 job orders, {r.get("stage_results", 0):,} stage
results of the current round, {r.get("cases", 0):,} incidents and grievances,
{r.get("alumni_profiles", 0):,} alumni with {r.get("alumni_surveys", 0):,} surveys, 6
cooperation agreements). Every page reads summary tables: those of `magang/stats/models.py`
and the partner prefectures' counts of `magang/partnerships/models.py`, which `stats_refresh`
rebuilt in **{r["refresh_seconds"]} s** (best of 3; {summary_rows} rows). Server time of each
page, in-process through Django's test client, three ways:

- *served*: {r["repeats"]} requests after 2 warm-ups, as users get them: what a page renders
  from the summaries is kept until the next refresh (`magang/stats/rendered.py`, and the
  prefecture figures in `magang/partnerships/figures.py`), so repeated requests are
  answered from the cache;
- *after a refresh*: {r["repeats"]} requests with that cache emptied before each, so each
  computes and renders its figures from the summaries, as the first request after every
  refresh does ("as of a past date" requests ask for a different date each time, so they
  compute either way);
- *baseline*: the same URL with the summary readers swapped for `magang/stats/direct.py`
  (GROUP BY over the programme's tables) and the prefecture figures for
  `partnerships.figures.compute_figures` (GROUP BY over the prefecture's internships and
  cases) ({r["baseline_repeats"]} requests); the ratio is baseline median / after-a-refresh
  median. The drill-down list reads the programme's tables either way (a page of 50).

A page meets the goal when both its p95s do: {met} of {len(r["pages"])} pages. Load average
when the run started: {r["load_average"]} (2 cores shared with other work).

| page | served median ms | served p95 ms | after a refresh median ms | after a refresh p95 ms \
| goal | baseline median ms | ratio |
|---|---|---|---|---|---|---|---|
{rows}
"""


def _load_section(r: dict[str, Any]) -> str:
    from bench.load import section  # the load test's section is written beside its bench

    return section(r)


BENCHMARKS: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
    "demo": ("bench.demo_build", _demo_section),
    "imports": ("bench.import_xlsx", _imports_section),
    "selection": ("bench.selection", _selection_section),
    "training": ("bench.training", _training_section),
    "matching": ("bench.matching", _matching_section),
    "internships": ("bench.internships", _internships_section),
    "stats": ("bench.stats", _stats_section),
    "load": ("bench.load", _load_section),
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
