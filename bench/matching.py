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
  of them, scaled up), ``stored_reasons`` (what a run stores instead of the texts),
  ``columns`` and ``statistics``;
- the ``matching`` library (``HospitalResident.create_from_dictionaries`` and
  ``solve(optimal="resident")``, once) on instances generated the same way at 10,000 and
  50,000 candidates (job orders and slots scaled in proportion), each in its own process
  with a time limit, beside ``stable_match`` on the same instance: the times, their ratio,
  and whether the two assignments are identical. A RecursionError is reported as such;
  each size is also tried with the recursion limit raised (in a thread with a 1 GiB stack,
  so that deep recursion does not crash the interpreter);
- the service, once, in its own process: ``services.matching.match_run`` over every job
  order of a throwaway PostgreSQL database holding the same instance (organisations,
  candidates, graduated applications, open job orders, every preference and every
  company's ranking written by ``COPY``, not timed): read, match and write one ``Match``
  per candidate with the facts of its explanation (goal: 15 s). Its parts are timed inside
  that one run by wrapping the functions it calls; ``match_inputs`` (the read) is then timed
  again on its own. The stored assignment is compared with ``stable_match``'s on the
  instance, and the explanations said from the stored facts (``match_explained``, as the
  pages and the API show them) with ``explain`` for a sample of candidates; a page of 100
  results is timed as the committee's page reads it.

Prints one JSON object. ``--candidates N`` (or MAGANG_BENCH_MATCHING_CANDIDATES) sets the
size of the main instance; ``--quick`` is 50,000 for a check; ``--skip-library`` leaves
out the library (minutes at 50,000 candidates) and ``--skip-service`` the database run.
PostgreSQL: MAGANG_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432); a database
``magang_bench_matching_<pid>`` is created and dropped. Run as ``python -m bench.matching``
(as a file, its name would hide the ``matching`` library).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
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
SERVICE_GOAL_SECONDS = 15.0
SERVICE_RUNS = 3  # match_run is timed this many times; the median run is reported
SERVICE_TIME_LIMIT = 1800  # seconds for the database run: generation, load and service
HOST_COMPANIES = 2000
EXPLAINED_SAMPLE = 10_000  # stored results said again and compared with ``explain``


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
    reasons_seconds, _ = best_of(3, result.stored_reasons)
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
        "reasons_seconds": round(reasons_seconds, 3),
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
    """``library_run`` in its own process."""
    jobs, slots = sizes(candidates)
    about = {"candidates": candidates, "job_orders": jobs, "slots": slots}
    arguments = ["--library", str(candidates), *(["--raise-limit"] if raise_limit else [])]
    return _child(arguments, about, LIBRARY_TIME_LIMIT)


# --- The service, on a PostgreSQL database holding the same instance ---------------------


def _ranked(prefs: dict[int, list[int]], owners: Any, others: Any) -> tuple[Any, Any, Any]:
    """The lists of ``prefs`` as flat columns of database ids: owner, other side, rank
    (1-based), owners in id order. Database ids are 1.. in the order of the instance's ids
    (``owners`` and ``others``, sorted)."""
    keys = owners.tolist()
    lengths = np.fromiter((len(prefs[k]) for k in keys), dtype=np.int64, count=len(keys))
    flat = np.fromiter(chain.from_iterable(prefs[k] for k in keys), dtype=np.int64)
    owner = np.repeat(np.arange(1, len(keys) + 1), lengths)
    other = np.searchsorted(others, flat) + 1
    assert (others[other - 1] == flat).all()
    rank = np.arange(flat.size) - np.repeat(np.cumsum(lengths) - lengths, lengths) + 1
    return owner, other, rank


def load_instance(instance: Instance) -> dict[str, Any]:
    """The instance in the freshly migrated database: a programme, a round and a site (ORM),
    then by ``COPY`` one supervising organisation and its host companies, a candidate and a
    graduated application per candidate, an open job order per job order, every preference
    and every company's ranking (interview passed). Candidates and job orders get ids 1..n
    and 1..m in the order of the instance's ids. Foreign keys are unchecked while loading
    (``session_replication_role``: the generator keeps them) and the secondary indexes of
    the big tables are built afterwards, as in ``bench.selection``."""
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    from bench.selection import _Copy, _drop_secondary_indexes, _sealed
    from magang.accounts.models import Organisation
    from magang.placement.models import Candidacy, JobOrder, Preference
    from magang.recruitment.journey import Status
    from magang.recruitment.models import (
        Application,
        Candidate,
        Programme,
        RecruitmentRound,
        SelectionSite,
    )
    from magang.reference.models import Prefecture, Province, Trade

    started = time.perf_counter()
    candidate_ids = np.array(sorted(instance.candidate_prefs), dtype=np.int64)
    job_ids = np.array(sorted(instance.capacities), dtype=np.int64)
    n, m = candidate_ids.size, job_ids.size
    for model in (Candidate, Application, JobOrder, Preference, Candidacy):
        assert not model.objects.exists(), model  # ids start at 1
    province = Province.objects.get(code="32")
    programme = Programme.objects.create(
        code="titp", name="TITP", duration_months=36, max_duration_months=60,
        valid_from=dt.date(1993, 1, 1),
    )  # fmt: skip
    round_row = RecruitmentRound.objects.create(
        programme=programme, code="titp-2026", name="TITP 2026", year=2026,
        opens_on=dt.date(2026, 1, 1), closes_on=dt.date(2026, 3, 1),
        reference_date=dt.date(2026, 12, 31),
    )  # fmt: skip
    office = Organisation.objects.create(
        kind=Organisation.Kind.REGIONAL_OFFICE, name="Disnaker 32", province=province
    )
    site = SelectionSite.objects.create(
        round=round_row, organisation=office, name="Seleksi 32", province=province,
        registration_deadline=dt.date(2026, 3, 1), quota=n,
    )  # fmt: skip
    prefectures = list(Prefecture.objects.order_by("code").values_list("id", flat=True))
    trades = list(Trade.objects.order_by("code").values_list("id", flat=True))
    supervisor = (Organisation.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    hosts = list(range(supervisor + 1, supervisor + 1 + HOST_COMPANIES))
    host_prefecture = {h: prefectures[k % len(prefectures)] for k, h in enumerate(hosts)}
    now = timezone.now().isoformat()
    pref_app, pref_job, pref_rank = _ranked(instance.candidate_prefs, candidate_ids, job_ids)
    cand_job, cand_app, cand_rank = _ranked(instance.job_prefs, job_ids, candidate_ids)
    slots = [instance.capacities[j] for j in job_ids.tolist()]

    organisations = _Copy(
        Organisation, ("kind", "name", "parent", "prefecture", "staff_count"), now
    )
    candidates = _Copy(
        Candidate, ("nik", "nik_index", "full_name", "sex", "birth_date", "province"), now
    )
    applications = _Copy(
        Application,
        ("candidate", "round", "site", "registration_number", "status", "status_changed_at",
         "submitted_at", "source", "education", "documents_state"),
        now,
    )  # fmt: skip
    orders = _Copy(
        JobOrder,
        ("host_company", "supervising_organisation", "round", "reference", "trade",
         "prefecture", "slots", "planned_start", "state"),
        now,
    )  # fmt: skip
    preferences = _Copy(Preference, ("application", "job_order", "rank"), now)
    candidacies = _Copy(Candidacy, ("job_order", "application", "result", "company_rank"), now)
    big = [model._meta.db_table for model in (Candidate, Application, Preference, Candidacy)]
    counts = {
        Organisation._meta.db_table: hosts[-1],
        Candidate._meta.db_table: n,
        Application._meta.db_table: n,
        JobOrder._meta.db_table: m,
        Preference._meta.db_table: pref_app.size,
        Candidacy._meta.db_table: cand_app.size,
    }
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        indexes = _drop_secondary_indexes(cursor, big)
        organisations.write(
            cursor,
            iter(
                [
                    f"{supervisor}\tsupervising_organisation\tKumiai Bench\t\\N\t\\N\t\\N",
                    *(
                        f"{h}\thost_company\tHost company {h:05d}\t{supervisor}"
                        f"\t{host_prefecture[h]}\t10000"
                        for h in hosts
                    ),
                ]
            ),
        )
        candidates.write(
            cursor,
            (
                f"{i}\t{_sealed(f'32{i:014d}')}\tPeserta {i}\t{'F' if i % 7 == 0 else 'M'}"
                "\t2003-05-17"
                f"\t{province.pk}"
                for i in range(1, n + 1)
            ),
        )
        graduated = Status.GRADUATED.value
        applications.write(
            cursor,
            (
                f"{i}\t{i}\t{round_row.pk}\t{site.pk}\t2026-0032-{i:07d}\t{graduated}\t{now}"
                f"\t{now}\tonline\tsmk\tverified"
                for i in range(1, n + 1)
            ),
        )
        orders.write(
            cursor,
            (
                f"{j}\t{host}\t{supervisor}\t{round_row.pk}\tJO-2027-{j:06d}"
                f"\t{trades[j % len(trades)]}\t{host_prefecture[host]}\t{slot}\t2027-07-01\topen"
                for j, slot in enumerate(slots, 1)
                for host in [hosts[(j - 1) % len(hosts)]]
            ),
        )
        preferences.write(
            cursor,
            (
                f"{k}\t{a}\t{j}\t{r}"
                for k, a, j, r in zip(
                    range(1, pref_app.size + 1), pref_app.tolist(), pref_job.tolist(),
                    pref_rank.tolist(), strict=True,
                )
            ),
        )  # fmt: skip
        candidacies.write(
            cursor,
            (
                f"{k}\t{j}\t{a}\tpassed\t{r}"
                for k, j, a, r in zip(
                    range(1, cand_app.size + 1), cand_job.tolist(), cand_app.tolist(),
                    cand_rank.tolist(), strict=True,
                )
            ),
        )  # fmt: skip
        cursor.execute("SET session_replication_role = origin")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for statement in indexes:
            cursor.execute(statement)
        for table, count in counts.items():
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, count])
            cursor.execute(f"VACUUM ANALYZE {table}")
    return {
        "candidate_ids": candidate_ids,
        "job_ids": job_ids,
        "host_companies": len(hosts),
        "preference_rows": int(pref_app.size),
        "candidacy_rows": int(cand_app.size),
        "load_seconds": round(time.perf_counter() - started, 1),
    }


@contextmanager
def _timing(owner: Any, name: str, label: str, parts: dict[str, float]) -> Iterator[None]:
    """Replace ``owner.name`` (a module's function or a class's method) by a wrapper that adds
    the time of each call to ``parts[label]``; put it back afterwards."""
    original = getattr(owner, name)
    own = name in vars(owner)  # else a method of an object's class

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            parts[label] += time.perf_counter() - started

    setattr(owner, name, timed)
    try:
        yield
    finally:
        if own:
            setattr(owner, name, original)
        else:
            delattr(owner, name)


def _server_cpu(pid: int) -> float | None:
    """CPU seconds used so far by the PostgreSQL backend ``pid``, when it runs on this
    machine and its /proc entry can be read; else None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_service(instance: Instance, loaded: dict[str, Any], profile: bool) -> dict[str, Any]:
    """``match_run`` once over every job order, its parts, the check against the pure
    function, and ``match_inputs`` again on its own."""
    from django.db import connections

    from magang.core.bulk import BulkTable
    from magang.placement.matching import Matching, stable_match
    from magang.placement.models import JobOrder, Match
    from magang.placement.services import matching as service

    candidate_ids, job_ids = loaded["candidate_ids"], loaded["job_ids"]
    orders = list(JobOrder.objects.select_related("host_company"))
    backend = connections["default"].connection.info.backend_pid
    runs: list[dict[str, Any]] = []
    for _ in range(SERVICE_RUNS):
        parts: dict[str, float] = defaultdict(float)
        wrapped = [
            (service, "match_inputs", "read"),
            (service, "stable_match", "match"),
            (service, "_digest", "digest"),
            (Matching, "stored_reasons", "reasons"),
            (BulkTable, "write", "write"),
            (service, "audit_record", "audit"),
            (connections["default"], "commit", "commit"),
        ]
        with ExitStack() as stack:
            for owner, name, label in wrapped:
                stack.enter_context(_timing(owner, name, label, parts))
            server_before = _server_cpu(backend)
            started, started_cpu = time.perf_counter(), time.process_time()
            run = service.match_run(orders=orders, by=None)
            seconds = time.perf_counter() - started
            cpu_seconds = time.process_time() - started_cpu
            server_after = _server_cpu(backend)
        server_cpu = None
        if server_before is not None and server_after is not None:
            server_cpu = round(server_after - server_before, 2)
        runs.append(
            {
                "run": run,
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "server_cpu": server_cpu,
                "parts": {label: round(parts[label], 2) for _o, _n, label in wrapped},
                "rest": seconds - sum(parts.values()),
            }
        )
    # The median run stands for the service: one slow run (a checkpoint, autovacuum on the
    # tables just loaded) or one fast one does not decide the verdict.
    middle = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    run, seconds, cpu_seconds = middle["run"], middle["seconds"], middle["cpu_seconds"]
    server_cpu, rest = middle["server_cpu"], middle["rest"]
    rows = Match.objects.filter(run=run).count()
    stored = {
        int(candidate_ids[a - 1]): int(job_ids[j - 1])
        for a, j in Match.objects.filter(run=run, job_order__isnull=False).values_list(
            "application_id", "job_order_id"
        )
    }
    ours = dict(stable_match(*instance.args()))
    with connections["default"].cursor() as cursor:
        table = Match._meta.db_table
        cursor.execute(
            "SELECT avg(length(reasons::text)), "  # noqa: S608
            f"pg_total_relation_size('{table}') FROM {table}"
        )
        characters, table_bytes = cursor.fetchone()
    read_alone, _ = best_of(3, lambda: service.match_inputs(orders))
    facts: dict[str, Any] = {
        "service_seconds": round(seconds, 2),
        "service_cpu_seconds": round(cpu_seconds, 2),
        "service_server_cpu_seconds": server_cpu,
        "service_runs": [round(r["seconds"], 2) for r in runs],
        "service_parts": middle["parts"],
        "service_rest_seconds": round(rest, 2),
        "match_rows": rows,
        "stored_matched": len(stored),
        "same_as_pure": stored == ours and rows == len(instance.candidate_prefs),
        "read_alone_seconds": round(read_alone, 2),
        "reasons_characters": round(float(characters)),
        **_check_explanations(instance, run, candidate_ids, job_ids),
        "match_table_megabytes": round(table_bytes / 2**20),
    }
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(service.match_run, orders=orders, by=None)
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(30)
    return facts


def _check_explanations(
    instance: Instance, run: Any, candidate_ids: Any, job_ids: Any
) -> dict[str, Any]:
    """The explanations said from what the run stored, as the pages and the API say them
    (``match_explained``), against ``explain`` on the instance (job orders named as in the
    database), for a sample of candidates in both languages; and the time to read a page of
    100 results as the committee's page does, and the time to explain them."""
    from magang.placement.matching import stable_match
    from magang.placement.models import JobOrder, Match
    from magang.placement.selectors.matching import job_order_name, match_explained

    names = {
        int(job_ids[order.pk - 1]): job_order_name(order)
        for order in JobOrder.objects.select_related("host_company")
    }
    result = stable_match(*instance.args(), job_names=names)
    step = max(1, len(candidate_ids) // EXPLAINED_SAMPLE)
    sample = Match.objects.filter(
        run=run, application_id__in=range(1, len(candidate_ids) + 1, step)
    ).select_related("job_order__host_company")
    rows = match_explained(sample)
    same = sum(
        [row.explanation_id, row.explanation_en]
        == [result.explain(c, "id"), result.explain(c, "en")]
        for row in rows
        for c in [int(candidate_ids[row.match.application_id - 1])]
    )
    page = (
        Match.objects.filter(run=run)
        .select_related("application__candidate", "job_order__host_company", "changed_by")
        .order_by("job_order__reference", "application__registration_number")
    )
    query_seconds, _ = best_of(3, lambda: list(page[:100]))
    first_page = list(page[:100])
    render_seconds, _ = best_of(3, lambda: match_explained(first_page))
    return {
        "explained_sample": len(rows),
        "explained_same": same,
        "page_query_seconds": round(query_seconds, 3),
        "page_explain_seconds": round(render_seconds, 4),
    }


def service_run(candidates: int, profile: bool) -> dict[str, Any]:
    """In a child process: generate, build the database, time ``match_run``."""
    from bench.selection import _create_database, _django, _drop_database

    load_average = round(os.getloadavg()[0], 1)
    instance = generate(candidates)
    url = _create_database("matching")
    try:
        _django(url, "matching")
        from django.core.management import call_command
        from django.db import connection

        from magang.reference.services import reference_load_all

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        reference_load_all()
        migrate_seconds = time.perf_counter() - started
        loaded = load_instance(instance)
        version = connection.cursor().connection.info.server_version
        facts: dict[str, Any] = {
            "candidates": candidates,
            "load_average": load_average,
            "postgresql": f"{version // 10000}.{version % 10000}",
            "migrate_seconds": round(migrate_seconds, 1),
            **{k: v for k, v in loaded.items() if not k.endswith("_ids")},
        }
        facts.update(time_service(instance, loaded, profile))
    finally:
        _drop_database(url)
    return facts


def _child(
    arguments: list[str], about: dict[str, Any], limit: int, echo: bool = False
) -> dict[str, Any]:
    """``python -m bench.matching`` with ``arguments`` in its own process, so that a crash or
    a run past the time limit is reported rather than ending the benchmark. ``echo`` passes
    on what it wrote to stderr (a profile)."""
    command = [sys.executable, "-m", "bench.matching", *arguments]
    started = time.perf_counter()
    try:
        done = subprocess.run(  # noqa: S603  (our own module, fixed arguments)
            command,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=limit,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    except subprocess.TimeoutExpired:
        return {**about, "outcome": f"did not finish within {limit:,} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [""])[-1]
        return {
            **about,
            "outcome": f"the process ended with code {done.returncode} "
            f"after {time.perf_counter() - started:.0f} s {last}".strip(),
        }
    if echo and done.stderr.strip():
        print(done.stderr, file=sys.stderr)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def measure_service(candidates: int, profile: bool = False) -> dict[str, Any]:
    arguments = ["--service", str(candidates), *(["--profile"] if profile else [])]
    return _child(arguments, {"candidates": candidates}, SERVICE_TIME_LIMIT, echo=profile)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.matching")
    parser.add_argument("--candidates", type=int, default=CANDIDATES)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK:,} candidates")
    parser.add_argument(
        "--skip-library", action="store_true", help="leave out the matching library (minutes)"
    )
    parser.add_argument(
        "--skip-service", action="store_true", help="leave out match_run on PostgreSQL"
    )
    parser.add_argument(
        "--profile", action="store_true", help="profile a second match_run (cProfile, stderr)"
    )
    parser.add_argument("--library", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--raise-limit", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--service", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.library:
        print(json.dumps(library_run(args.library, args.raise_limit)))
        return
    if args.service:
        print(json.dumps(service_run(args.service, args.profile)))
        return
    n = QUICK if args.quick else args.candidates
    load_average = round(os.getloadavg()[0], 1)
    started = time.perf_counter()
    instance = generate(n)
    generate_seconds = time.perf_counter() - started
    pure = measure_pure(instance)
    del instance
    service = None if args.skip_service else measure_service(n, args.profile)
    library = [
        measure_library(size, raise_limit)
        for size in ([] if args.skip_library else LIBRARY_SIZES)
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
        "service_goal_seconds": SERVICE_GOAL_SECONDS,
        "service": service,
        "library_time_limit": LIBRARY_TIME_LIMIT,
        "library": library,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
