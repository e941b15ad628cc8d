"""Selection at scale: ranking 1,000,000 applications with the usual 8-stage plan, explaining
every placement, and the whole ranking service on PostgreSQL, against PostgreSQL ranking the
same rows with ``row_number()``.

The round (numpy, fixed seed): the plan ``plan_create`` makes by default (the usual stages
of ``services.plans.USUAL_STAGES``, turned into ``ranking.Stage`` by the ``Stage`` model),
2 reserves per unit, unused seats shared in proportion; 38 provinces as quota units with
about one seat per 100 applicants in proportion to their applicants, except Papua and Papua
Barat, whose generous quotas they cannot fill (so seats are redistributed). Most applicants
pass each stage and some fail every eliminating one; nothing is recorded after the stage
that eliminated someone, as in real rounds. Scores are whole numbers, so totals tie often
and the tie-breaks (interview, Japanese test) decide; a third of the registrations came by
spreadsheet import with one timestamp per batch, so some ties reach the registration number.

Timed, best of 3 unless said:

- ``rank()`` on a built ``Applications`` (goal: 1 s for 1,000,000), and ``numpy.lexsort``
  of the ranked applications by unit, total, tie-breaks and registration time: the sort any
  ranking has to do;
- ``RankingResult.explanations`` in each language for every application, against
  ``explain`` one by one (10,000 of them, scaled up);
- baseline: PostgreSQL alone numbering the same rows per unit by total, ``row_number() OVER
  (PARTITION BY unit ORDER BY total DESC)``, over a temporary table loaded by ``COPY`` (not
  timed), ``work_mem`` raised so the sort stays in memory as numpy's does;
- the service, once: ``services.runs.ranking_run`` on a throwaway database holding the same
  round (candidates, applications and every stage result written by ``COPY``, not timed):
  read the round, rank, explain and write one placement per application (goal: 30 s).

Prints one JSON object. ``--applications N`` (or MAGANG_BENCH_SELECTION_APPLICATIONS) sets
the size; ``--quick`` is 100,000 for a check. PostgreSQL: MAGANG_BENCH_POSTGRES (default
postgres://postgres@127.0.0.1:5432); a database ``magang_bench_selection_<pid>`` is created
and dropped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("MAGANG_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
APPLICATIONS = int(os.environ.get("MAGANG_BENCH_SELECTION_APPLICATIONS", "1000000"))
QUICK = 100_000
RANK_GOAL_SECONDS = 1.0
SERVICE_GOAL_SECONDS = 30.0
RESERVES = 2
REDISTRIBUTION = "proportional"
# Rough shares of applicants by province (Kemendagri code): Java and Sumatra heavy, Papua
# light. Papua (91) and Papua Barat (92) get quotas larger than they can fill.
SHARES = {
    "11": 5, "12": 14, "13": 5, "14": 6, "15": 3, "16": 8, "17": 2, "18": 9, "19": 1,
    "21": 2, "31": 10, "32": 48, "33": 38, "34": 4, "35": 41, "36": 12, "51": 4, "52": 5,
    "53": 5, "61": 5, "62": 3, "63": 4, "64": 4, "65": 1, "71": 2, "72": 9, "73": 3, "74": 3,
    "75": 1, "76": 1, "81": 1, "82": 1, "91": 1, "92": 1, "93": 1, "94": 1, "95": 1, "96": 1,
}  # fmt: skip
GENEROUS = ("91", "92")
PROVINCES = tuple(SHARES)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
START = 1_767_225_600_000_000  # 2026-01-01 UTC in microseconds


def _django(database_url: str, name: str = "selection") -> None:
    directory = Path(tempfile.mkdtemp(prefix=f"magang-bench-{name}-"))
    os.environ["MAGANG_VAR_DIR"] = str(directory)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _usual_plan() -> tuple[Any, Any]:
    """The stage plan and rules ``plan_create`` makes by default, from unsaved models."""
    from magang.selection import ranking
    from magang.selection.models import SelectionPlan, Stage
    from magang.selection.services.plans import USUAL_STAGES, USUAL_TIE_BREAKS

    stages = ranking.StagePlan(
        tuple(Stage(order=i, **data).ranking_stage() for i, data in enumerate(USUAL_STAGES, 1))
    )
    rules = SelectionPlan(
        reserves_per_unit=RESERVES,
        redistribution=REDISTRIBUTION,
        tie_break_stages=list(USUAL_TIE_BREAKS),
    ).ranking_rules()
    return stages, rules


@dataclass
class Round:
    """A generated round as columns, row i being application i + 1."""

    provinces: np.ndarray[Any, np.dtype[np.intp]]  # index into PROVINCES
    female: np.ndarray[Any, np.dtype[np.bool_]]
    registered_at: np.ndarray[Any, np.dtype[np.int64]]  # microseconds since 1970
    imported: np.ndarray[Any, np.dtype[np.bool_]]
    numbers: list[str]
    results: dict[str, np.ndarray[Any, np.dtype[np.float64]]]  # NaN: not recorded
    seats: dict[str, int]

    def __len__(self) -> int:
        return int(self.provinces.size)


def generate(n: int, plan: Any, seed: int = 20260401) -> Round:
    """A deterministic round of ``n`` applications for the usual plan."""
    rng = np.random.default_rng(seed)
    weights = np.array(list(SHARES.values()), dtype=np.float64)
    share = weights / weights.sum()
    provinces = rng.choice(len(PROVINCES), size=n, p=share)
    seats = {code: max(5, round(n / 100 * s)) for code, s in zip(PROVINCES, share, strict=True)}
    for code in GENEROUS:
        seats[code] = round(n * 0.0025)
    female = rng.random(n) < 0.15
    # Two in three registered online (any microsecond over 60 days), the rest by
    # spreadsheet import: one timestamp per batch of about 1,000.
    imported = rng.random(n) < 1 / 3
    batches = START + rng.integers(0, 60 * 86_400, size=max(1, n // 3000)) * 1_000_000
    registered_at = np.where(
        imported,
        batches[rng.integers(0, batches.size, size=n)],
        START + rng.integers(0, 60 * 86_400 * 10**6, size=n),
    )
    sequence = np.zeros(n, dtype=np.int64)
    order = np.lexsort((np.arange(n), registered_at, provinces))
    counts = np.bincount(provinces, minlength=len(PROVINCES))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    sequence[order] = np.arange(n) - np.repeat(starts, counts) + 1
    codes = np.array([int(code) for code in PROVINCES])[provinces]
    numbers = [
        f"2026-{c:04d}-{s:06d}" for c, s in zip(codes.tolist(), sequence.tolist(), strict=True)
    ]

    def by_sex(men: tuple[float, float], women: tuple[float, float]) -> Any:
        return np.where(female, rng.normal(*women, n), rng.normal(*men, n))

    def marks(mean: float, spread: float, top: int) -> Any:
        return np.clip(np.rint(rng.normal(mean, spread, n)), 0, top)

    results = {
        "admin": (rng.random(n) < 0.96).astype(np.float64),
        "maths": rng.binomial(20, 0.82, n).astype(np.float64),
        "body.height": np.rint(by_sex((167, 6), (157, 5))),
        "body.weight": np.round(np.clip(by_sex((62, 8), (52, 7)), 30, 150), 1),
        "endurance.run": np.rint(by_sex((820, 45), (590, 45))),
        "endurance.push_ups": np.clip(np.rint(by_sex((45, 6), (28, 5))), 0, None),
        "endurance.sit_ups": np.clip(np.rint(by_sex((33, 5), (22, 4))), 0, None),
        "interview": marks(76, 9, 100),
        "medical": (rng.random(n) < 0.93).astype(np.float64),
        "japanese": marks(75, 9, 100),
        "passport": (rng.random(n) < 0.98).astype(np.float64),
    }
    # Nothing is recorded after the stage that eliminated someone.
    alive = np.ones(n, dtype=bool)
    for stage in plan.stages:
        for column in stage.columns():
            results[column][~alive] = np.nan
        alive &= _passed(stage, results, female)
    return Round(provinces, female, registered_at, imported, numbers, results, seats)


def _passed(stage: Any, results: dict[str, Any], female: Any) -> Any:
    """Whether each application passes ``stage`` (False where nothing is recorded)."""
    if stage.kind == "gate":
        return results[stage.key] == 1.0
    if stage.kind == "score":
        return results[stage.key] >= (stage.pass_mark or 0)
    passed = np.ones(female.size, dtype=bool)
    for m in stage.measures:
        limit = np.where(female, m.limits["F"], m.limits["M"])
        value = results[f"{stage.key}.{m.key}"]
        passed &= value <= limit if m.better == "lower" else value >= limit
    return passed


def _applications(round_: Round) -> Any:
    from magang.selection import ranking

    return ranking.Applications.from_columns(
        ids=np.arange(1, len(round_) + 1, dtype=np.int64),
        units=[PROVINCES[p] for p in round_.provinces.tolist()],
        sexes=np.where(round_.female, "F", "M"),
        registered_at=round_.registered_at,
        registration_numbers=round_.numbers,
        results=round_.results,
    )


def best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def measure_pure(round_: Round, plan: Any, rules: Any, names: dict[str, str]) -> dict[str, Any]:
    """rank(), explanations and the numpy floor, on the generated round."""
    from magang.selection import ranking

    started = time.perf_counter()
    applications = _applications(round_)
    build_seconds = time.perf_counter() - started

    def ranked() -> Any:
        return ranking.rank(
            applications=applications,
            plan=plan,
            units=round_.seats,
            rules=rules,
            unit_names=names,
        )

    result = ranked()
    rank_seconds = best_of(3, ranked)
    alive = np.flatnonzero(result.eliminated_stage < 0)
    keys = (
        applications.registered_at[alive],
        -np.nan_to_num(applications.results["japanese"][alive], nan=-1.0),
        -np.nan_to_num(applications.results["interview"][alive], nan=-1.0),
        -result.totals[alive],
        applications.unit_codes[alive],
    )
    lexsort_seconds = best_of(3, lambda: np.lexsort(keys))
    explain_id = best_of(3, lambda: result.explanations("id"))
    explain_en = best_of(3, lambda: result.explanations("en"))
    sample = applications.ids[:: max(1, len(round_) // 10_000)].tolist()
    one_by_one = best_of(
        1, lambda: [result.explain(i, lang) for i in sample for lang in ["id", "en"]]
    )
    digest_seconds = best_of(1, result.digest)
    columns_seconds = best_of(1, result.placement_columns)
    counts = result.counts()
    summaries = result.unit_summaries.values()
    return {
        "result": result,
        "build_seconds": round(build_seconds, 3),
        "rank_seconds": round(rank_seconds, 3),
        "lexsort_seconds": round(lexsort_seconds, 3),
        "explanations_id_seconds": round(explain_id, 3),
        "explanations_en_seconds": round(explain_en, 3),
        "explanations_seconds": round(explain_id + explain_en, 3),
        "explain_one_by_one_seconds": round(one_by_one / len(sample) * len(round_), 1),
        "digest_seconds": round(digest_seconds, 3),
        "placement_columns_seconds": round(columns_seconds, 3),
        "ranked": int(alive.size),
        "counts": {str(k): v for k, v in counts.items()},
        "seats": sum(round_.seats.values()),
        "extra_seats": sum(s.extra_seats for s in summaries),
        "digest": result.digest(),
    }


def measure_postgres_baseline(url: str, round_: Round, result: Any) -> dict[str, Any]:
    """row_number() per unit by total over the same rows, in PostgreSQL alone."""
    import psycopg

    totals = result.totals
    units = [PROVINCES[p] for p in round_.provinces.tolist()]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TEMPORARY TABLE ranking_input (id bigint, unit text, total float8)")
        with conn.cursor() as cursor, cursor.copy("COPY ranking_input FROM STDIN") as copy:
            copy.write(_copy_text(np.arange(1, totals.size + 1), units, totals))
        conn.execute("ANALYZE ranking_input")
        conn.execute("SET work_mem = '256MB'")
        query = (
            "SELECT count(*), sum(place) FROM (SELECT row_number() OVER (PARTITION BY unit "
            "ORDER BY total DESC NULLS LAST) AS place FROM ranking_input) AS numbered"
        )
        rows = conn.execute(query).fetchone()
        assert rows is not None and rows[0] == totals.size
        seconds = best_of(3, lambda: conn.execute(query).fetchone())
        version = conn.info.server_version
    return {
        "row_number_seconds": round(seconds, 3),
        "postgresql": f"{version // 10000}.{version % 10000}",
    }


def _copy_text(ids: Any, units: list[str], totals: Any) -> bytes:
    shown = ["\\N" if t != t else repr(t) for t in totals.tolist()]
    lines = (f"{i}\t{u}\t{t}\n" for i, u, t in zip(ids.tolist(), units, shown, strict=True))
    return "".join(lines).encode()


# --- The service, on a database holding the same round ------------------------------------


def _sealed(nik: str) -> str:
    """The NIK as stored: sealed, a tab, its blind index (``COPY`` text)."""
    from magang.core.crypto import seal

    return "\t".join(seal(nik, purpose="nik"))


class _Copy:
    """``COPY`` text for one model's table: an id and the given columns per row (as text),
    then every other column that cannot be NULL, filled with its default (timestamps:
    ``now``). Faster than ``BulkTable``'s row-by-row adaptation for millions of rows."""

    def __init__(self, model: Any, fields: tuple[str, ...], now: str) -> None:
        meta = model._meta
        given = [meta.get_field(name) for name in fields]
        columns = [meta.pk.column, *(field.column for field in given)]
        constants = []
        for field in meta.concrete_fields:
            if field.primary_key or field in given or field.null:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.has_default():
                value = _text(field.get_default())
            elif field.blank and field.empty_strings_allowed:
                value = ""
            else:
                raise ValueError(f"No value for {meta.label}.{field.name}.")
            columns.append(field.column)
            constants.append(value)
        self.sql = f"COPY {meta.db_table} ({', '.join(columns)}) FROM STDIN"
        self.tail = "".join(f"\t{value}" for value in constants) + "\n"

    def write(self, cursor: Any, rows: Iterator[str], chunk: int = 200_000) -> None:
        """Write ``rows``, each the tab-separated id and given columns."""
        with cursor.copy(self.sql) as copy:
            while batch := list(itertools.islice(rows, chunk)):
                copy.write((self.tail.join(batch) + self.tail).encode())


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)


_SECONDARY = """
SELECT format('ALTER TABLE %%I ADD CONSTRAINT %%I %%s', t.relname, c.conname,
              pg_get_constraintdef(c.oid)),
       format('ALTER TABLE %%I DROP CONSTRAINT %%I', t.relname, c.conname)
FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
WHERE c.contype = 'u' AND t.relname = ANY(%(tables)s)
UNION ALL
SELECT i.indexdef, format('DROP INDEX %%I', i.indexname)
FROM pg_indexes i
WHERE i.tablename = ANY(%(tables)s) AND NOT EXISTS (
    SELECT 1 FROM pg_constraint c
    WHERE c.conindid = format('%%I', i.indexname)::regclass AND c.contype IN ('p', 'u')
)
"""


def _drop_secondary_indexes(cursor: Any, tables: list[str]) -> list[str]:
    """Drop the unique constraints and indexes of ``tables`` but their primary keys, and
    return the statements that make them again: building an index once after loading is
    much faster than keeping it up to date row by row."""
    cursor.execute(_SECONDARY, {"tables": tables})
    statements = cursor.fetchall()
    for _create, drop in statements:
        cursor.execute(drop)
    return [create for create, _drop in statements]


def _timestamps(microseconds: Any) -> list[str]:
    """ISO text PostgreSQL reads into timestamptz, to the microsecond."""
    stamps = np.asarray(microseconds, dtype=np.int64).astype("datetime64[us]")
    return [f"{s}+00" for s in np.datetime_as_string(stamps).tolist()]


def load_round(round_: Round, plan: Any) -> dict[str, Any]:
    """The plan by ``plan_create``, one site per province; then the round's candidates,
    applications and stage results by ``COPY``, ids 1..n as in the pure run, foreign keys
    unchecked while loading (``session_replication_role``: the generator keeps them) and
    the other indexes built afterwards."""
    from django.db import connection
    from django.utils import timezone

    from magang.accounts.models import Organisation
    from magang.recruitment.models import (
        Application,
        Candidate,
        Programme,
        RecruitmentRound,
        SelectionSite,
    )
    from magang.reference.models import Province
    from magang.selection.models import StageResult
    from magang.selection.services.plans import plan_create

    started = time.perf_counter()
    n = len(round_)
    province_ids = dict(Province.objects.values_list("code", "id"))
    programme = Programme.objects.create(
        code="titp", name="TITP", duration_months=36, max_duration_months=60,
        valid_from=dt.date(1993, 1, 1),
    )  # fmt: skip
    round_row = RecruitmentRound.objects.create(
        programme=programme, code="titp-2026", name="TITP 2026", year=2026,
        opens_on=dt.date(2026, 1, 1), closes_on=dt.date(2026, 3, 1),
        reference_date=dt.date(2026, 12, 31),
    )  # fmt: skip
    site_ids = []
    for code in PROVINCES:
        office = Organisation.objects.create(
            kind=Organisation.Kind.REGIONAL_OFFICE,
            name=f"Disnaker {code}",
            province_id=province_ids[code],
        )
        site = SelectionSite.objects.create(
            round=round_row,
            organisation=office,
            name=f"Seleksi {code}",
            province_id=province_ids[code],
            registration_deadline=dt.date(2026, 3, 1),
            quota=round_.seats[code],
        )
        site_ids.append(site.pk)
    selection_plan = plan_create(
        round_=round_row, by=None, reserves_per_unit=RESERVES, redistribution=REDISTRIBUTION
    )
    assert selection_plan.ranking_plan() == plan
    stage_ids = {s.key: s.pk for s in selection_plan.stages.all()}

    now = f"{timezone.now().isoformat()}"
    provinces = round_.provinces.tolist()
    province = [province_ids[code] for code in PROVINCES]
    site = [site_ids[p] for p in range(len(PROVINCES))]
    codes = PROVINCES
    sexes = np.where(round_.female, "F", "M").tolist()
    submitted = _timestamps(round_.registered_at)
    sources = np.where(round_.imported, "import", "online").tolist()
    candidates = _Copy(
        Candidate, ("nik", "nik_index", "full_name", "sex", "birth_date", "province"), now
    )
    applications = _Copy(
        Application,
        ("candidate", "round", "site", "registration_number", "status", "status_changed_at",
         "submitted_at", "source", "education", "documents_state"),
        now,
    )  # fmt: skip
    results = _Copy(StageResult, ("application", "stage", "passed", "score", "measurements"), now)
    connection.ensure_connection()
    written = 0
    tables = [model._meta.db_table for model in (Candidate, Application, StageResult)]
    with connection.connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        indexes = _drop_secondary_indexes(cursor, tables)
        candidates.write(
            cursor,
            (
                f"{i}\t{_sealed(f'{codes[p]}{i:014d}')}\tPeserta {i}\t{sex}\t2003-05-17"
                f"\t{province[p]}"
                for i, p, sex in zip(range(1, n + 1), provinces, sexes, strict=True)
            ),
        )
        round_id = round_row.pk
        applications.write(
            cursor,
            (
                f"{i}\t{i}\t{round_id}\t{site[p]}\t{number}\tin_selection\t{now}\t{at}\t{source}"
                "\tsmk\tverified"
                for i, p, number, at, source in zip(
                    range(1, n + 1), provinces, round_.numbers, submitted, sources, strict=True
                )
            ),
        )
        for stage in plan.stages:
            rows = np.flatnonzero(~np.isnan(round_.results[stage.columns()[0]]))
            passed = np.where(_passed(stage, round_.results, round_.female)[rows], "t", "f")
            if stage.kind == "score":
                details = [f"{v:.2f}\t{{}}" for v in round_.results[stage.key][rows].tolist()]
            elif stage.kind == "measure":
                keys = [m.key for m in stage.measures]
                values = [round_.results[f"{stage.key}.{k}"][rows].tolist() for k in keys]
                details = [
                    "\\N\t" + json.dumps({k: f"{v:.2f}" for k, v in zip(keys, row, strict=True)})
                    for row in zip(*values, strict=True)
                ]
            else:
                details = ["\\N\t{}"] * rows.size
            stage_id = stage_ids[stage.key]
            results.write(
                cursor,
                (
                    f"{written + k}\t{row}\t{stage_id}\t{ok}\t{detail}"
                    for k, row, ok, detail in zip(
                        range(1, rows.size + 1), (rows + 1).tolist(), passed.tolist(), details,
                        strict=True,
                    )
                ),
            )  # fmt: skip
            written += rows.size
        cursor.execute("SET session_replication_role = origin")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for statement in indexes:
            cursor.execute(statement)
        for table, count in zip(tables, (n, n, written), strict=True):
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, count])
            cursor.execute(f"VACUUM ANALYZE {table}")
    return {
        "plan": selection_plan,
        "stage_results": written,
        "load_seconds": round(time.perf_counter() - started, 1),
    }


def measure_service(round_: Round, plan: Any, pure: dict[str, Any]) -> dict[str, Any]:
    """Migrate, load the round and time ``ranking_run`` once (the round is in a fresh
    database, so there is nothing to supersede)."""
    from django.core.management import call_command

    from magang.reference.services import regions_load
    from magang.selection.models import Placement
    from magang.selection.services import runs

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    regions_load()
    migrate_seconds = time.perf_counter() - started
    loaded = load_round(round_, plan)
    selection_plan = loaded.pop("plan")
    facts: dict[str, Any] = {"migrate_seconds": round(migrate_seconds, 1), **loaded}
    ranking_run = getattr(runs, "ranking_run", None)
    if ranking_run is None:
        facts["note"] = "services.runs.ranking_run does not exist yet; the service is not timed."
        return facts
    started = time.perf_counter()
    run = ranking_run(plan=selection_plan, by=None)
    facts["service_seconds"] = round(time.perf_counter() - started, 2)
    facts["placements"] = Placement.objects.filter(run=run).count()
    assert facts["placements"] == len(round_)
    facts["same_result_as_pure"] = run.result_digest == pure["digest"]
    facts["read_seconds"] = round(best_of(1, lambda: runs.run_inputs(selection_plan)), 2)
    return facts


def _create_database(kind: str = "selection") -> str:
    import psycopg

    name = f"magang_bench_{kind}_{os.getpid()}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES}/{name}"


def _drop_database(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.selection")
    parser.add_argument("--applications", type=int, default=APPLICATIONS)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK:,} applications")
    args = parser.parse_args()
    n = QUICK if args.quick else args.applications

    url = _create_database()
    try:
        _django(url)
        from magang.reference.services import wilayah_rows, wilayah_source

        names = {row["code"]: row["name"] for row in wilayah_rows(wilayah_source())[0]}
        assert set(names) == set(PROVINCES)
        plan, rules = _usual_plan()
        started = time.perf_counter()
        round_ = generate(n, plan)
        generate_seconds = time.perf_counter() - started
        pure = measure_pure(round_, plan, rules, names)
        baseline = measure_postgres_baseline(url, round_, pure["result"])
        service = measure_service(round_, plan, pure)
    finally:
        _drop_database(url)
    pure.pop("result")
    row_number = baseline["row_number_seconds"]
    report: dict[str, Any] = {
        "applications": n,
        "stages": len(plan.stages),
        "units": len(round_.seats),
        "reserves_per_unit": RESERVES,
        "redistribution": REDISTRIBUTION,
        "generate_seconds": round(generate_seconds, 1),
        "load_average": round(os.getloadavg()[0], 1),
        "rank_goal_seconds": RANK_GOAL_SECONDS,
        "service_goal_seconds": SERVICE_GOAL_SECONDS,
        **pure,
        **baseline,
        **service,
        "rank_ratio": round(pure["rank_seconds"] / row_number, 2),
        "explanations_ratio": round(pure["explanations_seconds"] / row_number, 2),
    }
    if "service_seconds" in service:
        report["service_ratio"] = round(service["service_seconds"] / row_number, 1)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
