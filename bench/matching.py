"""Placement at scale: the stable matching of 500,000 candidates to 20,000 job orders with
100,000 slots, against the ``matching`` library's hospital-resident solver.

The instance (numpy, fixed seed): every candidate lists 1 to 10 job orders (10 or fewer
when popular ones were drawn twice), drawn by popularity (log-normal: a popular job order is
chosen ten times as often as a typical one); every job order ranks every candidate who
listed it, by a score of the candidate plus its own view of them; the slots are shared out
with at least one per job order, the rest in proportion to a log-normal size. Ids look like
database ids (candidates from 1..2n, job orders from 1..3m, with gaps), and the dicts are
filled in a shuffled order.

Timed, best of 3 unless said (wall clock; CPU time of the process beside it, since other
work on the machine slows the wall clock):

- ``stable_match`` on the dicts, input conversion included (goal: 2 s);
- baseline: reading every preference of both sides into numpy arrays (``np.fromiter``), the
  least any function taking these dicts has to do;
- ``explanations`` of every candidate in each language, and ``explain`` one by one (10,000
  of them, scaled up), ``columns`` and ``statistics``;
- the ``matching`` library (``HospitalResident.create_from_dictionaries`` and
  ``solve(optimal="resident")``, once) on instances generated the same way at 10,000 and
  50,000 candidates (job orders and slots scaled in proportion), each in its own process
  with a time limit, beside ``stable_match`` on the same instance: the times, their ratio,
  and whether the two assignments are identical. A RecursionError is reported as such;
  each size is also tried with the recursion limit raised (in a thread with a 1 GiB stack,
  so that deep recursion does not crash the interpreter).

Prints one JSON object. ``--candidates N`` (or MAGANG_BENCH_MATCHING_CANDIDATES) sets the
size of the main instance; ``--quick`` is 50,000 for a check. Run as ``python -m
bench.matching`` (as a file, its name would hide the ``matching`` library).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = int(os.environ.get("MAGANG_BENCH_MATCHING_CANDIDATES", "500000"))
QUICK = 50_000
JOBS_PER_CANDIDATE = 20_000 / 500_000
SLOTS_PER_CANDIDATE = 100_000 / 500_000
MOST_CHOICES = 10
SEED = 20270701
GOAL_SECONDS = 2.0
LIBRARY_SIZES = (10_000, 50_000)
LIBRARY_TIME_LIMIT = 1800  # seconds per run of the library, generation included


@dataclass
class Instance:
    candidate_prefs: dict[int, list[int]]
    job_prefs: dict[int, list[int]]
    capacities: dict[int, int]

    def args(self) -> tuple[Any, Any, Any]:
        return self.candidate_prefs, self.job_prefs, self.capacities


def sizes(candidates: int) -> tuple[int, int]:
    """Job orders and slots for ``candidates``, in the proportions of 500,000 / 20,000 /
    100,000."""
    return round(candidates * JOBS_PER_CANDIDATE), round(candidates * SLOTS_PER_CANDIDATE)


def generate(candidates: int, seed: int = SEED) -> Instance:
    """A deterministic instance of ``candidates`` with job orders and slots in proportion."""
    n = candidates
    m, slots = sizes(n)
    rng = np.random.default_rng(seed)
    size = rng.lognormal(0.0, 0.8, m)
    capacity = 1 + rng.multinomial(slots - m, size / size.sum())
    popularity = rng.lognormal(0.0, 1.0, m)
    wanted = rng.integers(1, MOST_CHOICES + 1, n)
    draws = rng.choice(m, size=(n, 2 * MOST_CHOICES), p=popularity / popularity.sum())
    # Keep the first draw of each job order in a row, up to the number wanted.
    by_job = np.argsort(draws, axis=1, kind="stable")
    in_order = np.take_along_axis(draws, by_job, axis=1)
    again = np.zeros(draws.shape, dtype=bool)
    again[:, 1:] = in_order[:, 1:] == in_order[:, :-1]
    repeated = np.zeros(draws.shape, dtype=bool)
    np.put_along_axis(repeated, by_job, again, axis=1)
    keep = ~repeated & (np.cumsum(~repeated, axis=1) <= wanted[:, None])
    counts = keep.sum(axis=1)
    chosen = draws[keep]
    owner = np.repeat(np.arange(n), counts)
    # A company sees a candidate's overall score plus its own view of them.
    score = rng.normal(0.0, 1.0, n)
    view = score[owner] + rng.normal(0.0, 0.5, owner.size)
    ranked = np.lexsort((-view, chosen))
    candidate_ids = np.sort(rng.choice(2 * n, size=n, replace=False)) + 1
    job_ids = np.sort(rng.choice(3 * m, size=m, replace=False)) + 1

    def lists(flat: list[int], lengths: Any, keys: Any, order: Any) -> dict[int, list[int]]:
        ends = np.cumsum(lengths)
        starts = (ends - lengths).tolist()
        ends = ends.tolist()
        key_list = keys.tolist()
        return {key_list[i]: flat[starts[i] : ends[i]] for i in order.tolist()}

    candidate_prefs = lists(job_ids[chosen].tolist(), counts, candidate_ids, rng.permutation(n))
    job_prefs = lists(
        candidate_ids[owner[ranked]].tolist(),
        np.bincount(chosen, minlength=m),
        job_ids,
        rng.permutation(m),
    )
    capacities = dict(zip(job_ids.tolist(), capacity.tolist(), strict=True))
    return Instance(candidate_prefs, job_prefs, capacities)


def best_of(runs: int, work: Callable[[], object]) -> tuple[float, float]:
    """The best wall-clock and the best CPU time of ``runs`` runs of ``work``."""
    wall = cpu = float("inf")
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    return wall, cpu


def read_all(instance: Instance) -> None:
    """The baseline: every preference of both sides into numpy arrays."""
    for prefs in (instance.candidate_prefs, instance.job_prefs):
        lists = list(prefs.values())
        np.fromiter(prefs, dtype=np.int64, count=len(prefs))
        np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        np.fromiter(chain.from_iterable(lists), dtype=np.int64)


def measure_pure(instance: Instance) -> dict[str, Any]:
    from magang.placement.matching import stable_match

    result = stable_match(*instance.args())
    match_wall, match_cpu = best_of(3, lambda: stable_match(*instance.args()))
    read_wall, read_cpu = best_of(3, lambda: read_all(instance))
    explain_id, _ = best_of(3, lambda: result.explanations("id"))
    explain_en, _ = best_of(3, lambda: result.explanations("en"))
    sample = result.candidates[:: max(1, len(result.candidates) // 10_000)]
    one_by_one, _ = best_of(
        1, lambda: [result.explain(c, lang) for c in sample for lang in ["id", "en"]]
    )
    columns_seconds, _ = best_of(1, result.columns)
    statistics_seconds, _ = best_of(1, result.statistics)
    stats = result.statistics()
    columns = result.columns()
    example = columns["candidate"][columns["choice"].index(3)]  # one matched to a 3rd choice
    lengths = [len(v) for v in instance.job_prefs.values()]
    return {
        "match_seconds": round(match_wall, 3),
        "match_cpu_seconds": round(match_cpu, 3),
        "read_seconds": round(read_wall, 3),
        "read_cpu_seconds": round(read_cpu, 3),
        "explanations_id_seconds": round(explain_id, 3),
        "explanations_en_seconds": round(explain_en, 3),
        "explanations_seconds": round(explain_id + explain_en, 3),
        "explain_one_by_one_seconds": round(one_by_one / len(sample) * len(result.candidates), 1),
        "columns_seconds": round(columns_seconds, 3),
        "statistics_seconds": round(statistics_seconds, 3),
        "preferences": sum(map(len, instance.candidate_prefs.values())),
        "longest_job_list": max(lengths),
        "matched": stats.matched,
        "at_first_choice": stats.at_first_choice,
        "by_choice": {str(k): v for k, v in stats.by_choice.items()},
        "unmatched_by_reason": {str(k): v for k, v in stats.unmatched_by_reason.items()},
        "job_orders_full": stats.job_orders_full,
        "slots_filled": stats.slots_filled,
        "example_explanations": {
            "en": result.explain(example, "en"),
            "id": result.explain(example, "id"),
        },
    }


# --- The matching library, one size per process ------------------------------------------


def library_run(candidates: int, raise_limit: bool) -> dict[str, Any]:
    """In a child process: generate, time ``stable_match`` and the library, compare."""
    import threading
    import warnings
    from importlib.metadata import version

    from matching.games import HospitalResident

    from magang.placement.matching import stable_match

    instance = generate(candidates)
    ours = dict(stable_match(*instance.args()))
    ours_wall, ours_cpu = best_of(3, lambda: stable_match(*instance.args()))
    facts: dict[str, Any] = {
        "candidates": candidates,
        "job_orders": len(instance.capacities),
        "slots": sum(instance.capacities.values()),
        "ours_seconds": round(ours_wall, 3),
        "ours_cpu_seconds": round(ours_cpu, 3),
        "recursion_limit": sys.getrecursionlimit(),
        "library_version": version("matching"),
    }

    def solve() -> None:
        step = "create_from_dictionaries"
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                started = time.perf_counter()
                game = HospitalResident.create_from_dictionaries(*instance.args())
                facts["create_seconds"] = round(time.perf_counter() - started, 2)
                step = "solve"
                started = time.perf_counter()
                solved = game.solve(optimal="resident")
                facts["solve_seconds"] = round(time.perf_counter() - started, 2)
            facts["warnings"] = len(caught)
        except RecursionError as error:
            facts["outcome"] = f"RecursionError in {step}: {error}"
            return
        theirs = {r.name: h.name for h, rs in solved.items() for r in rs}
        facts["outcome"] = "solved"
        facts["library_seconds"] = round(facts["create_seconds"] + facts["solve_seconds"], 2)
        facts["identical"] = theirs == ours
        facts["ratio"] = round(facts["library_seconds"] / ours_wall, 1)
        facts["solve_ratio"] = round(facts["solve_seconds"] / ours_wall, 1)

    if raise_limit:
        sys.setrecursionlimit(1_000_000)
        facts["recursion_limit"] = sys.getrecursionlimit()
        threading.stack_size(1 << 30)
        worker = threading.Thread(target=solve)
        worker.start()
        worker.join()
    else:
        solve()
    return facts


def measure_library(candidates: int, raise_limit: bool) -> dict[str, Any]:
    """``library_run`` in its own process, so that a crash or a run past the time limit is
    reported rather than ending the benchmark."""
    jobs, slots = sizes(candidates)
    about = {"candidates": candidates, "job_orders": jobs, "slots": slots}
    command = [sys.executable, "-m", "bench.matching", "--library", str(candidates)]
    if raise_limit:
        command.append("--raise-limit")
    started = time.perf_counter()
    try:
        done = subprocess.run(  # noqa: S603  (our own module, fixed arguments)
            command,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=LIBRARY_TIME_LIMIT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    except subprocess.TimeoutExpired:
        return {**about, "outcome": f"did not finish within {LIBRARY_TIME_LIMIT:,} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [""])[-1]
        return {
            **about,
            "outcome": f"the process ended with code {done.returncode} "
            f"after {time.perf_counter() - started:.0f} s {last}".strip(),
        }
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.matching")
    parser.add_argument("--candidates", type=int, default=CANDIDATES)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK:,} candidates")
    parser.add_argument("--library", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--raise-limit", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.library:
        print(json.dumps(library_run(args.library, args.raise_limit)))
        return
    n = QUICK if args.quick else args.candidates
    load_average = round(os.getloadavg()[0], 1)
    started = time.perf_counter()
    instance = generate(n)
    generate_seconds = time.perf_counter() - started
    pure = measure_pure(instance)
    del instance
    library = [
        measure_library(size, raise_limit)
        for size in LIBRARY_SIZES
        for raise_limit in (False, True)
    ]
    m, slots = sizes(n)
    report: dict[str, Any] = {
        "candidates": n,
        "job_orders": m,
        "slots": slots,
        "most_choices": MOST_CHOICES,
        "goal_seconds": GOAL_SECONDS,
        "load_average": load_average,
        "load_average_after": round(os.getloadavg()[0], 1),
        "generate_seconds": round(generate_seconds, 1),
        **pure,
        "match_ratio": round(pure["match_seconds"] / pure["read_seconds"], 2),
        "library_time_limit": LIBRARY_TIME_LIMIT,
        "library": library,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
