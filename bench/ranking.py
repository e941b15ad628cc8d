"""Ranking 1,000,000 applications with the pure function, against a bare sort of its keys.

Synthetic round (numpy, fixed seed): 8 stages as DOMAIN.md describes them (administrative
check, maths test 0-20 passing at 14, body check, endurance with limits by sex, interview,
medical check-up, Japanese test, passport), later stages left without a result once someone
is eliminated, as in real rounds; 38 provinces with seats summing to about 10,000 in
proportion to their applicants; ties broken by the interview; 20 reserves per province;
unused seats to a national pool. Timings are the best of 3:

- ranking: ``rank(...)`` on a built ``Applications`` (the goal is about 1 s);
- baseline: ``numpy.lexsort`` of the ranked applications by unit, total, interview score and
  registration time, the sort any ranking has to do, on the totals ``rank`` computed;
- build and digest: ``Applications.from_columns`` and ``RankingResult.digest()``, reported
  separately (the service builds once per run and digests once).

Prints one JSON object.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from magang.selection.ranking import (
    Applications,
    Measure,
    RankingRules,
    Stage,
    StagePlan,
    rank,
)

APPLICATIONS = int(os.environ.get("MAGANG_BENCH_RANKING_APPLICATIONS", "1000000"))
SEATS = 10_000
GOAL_SECONDS = 1.0
# The 38 provinces (Kemendagri codes) and rough shares of applicants: Java and Sumatra
# heavy, Papua light.
SHARES = {
    "11": 5,
    "12": 14,
    "13": 5,
    "14": 6,
    "15": 3,
    "16": 8,
    "17": 2,
    "18": 9,
    "19": 1,
    "21": 2,
    "31": 10,
    "32": 48,
    "33": 38,
    "34": 4,
    "35": 41,
    "36": 12,
    "51": 4,
    "52": 5,
    "53": 5,
    "61": 5,
    "62": 3,
    "63": 4,
    "64": 4,
    "65": 1,
    "71": 2,
    "72": 9,
    "73": 3,
    "74": 3,
    "75": 1,
    "76": 1,
    "81": 1,
    "82": 1,
    "91": 1,
    "92": 1,
    "93": 1,
    "94": 1,
    "95": 1,
    "96": 1,
}
PROVINCES = tuple(SHARES)
WEIGHTS = np.array(list(SHARES.values()), dtype=np.float64)

PLAN = StagePlan(
    (
        Stage.gate("admin", name_en="administrative check", name_id="pemeriksaan administrasi"),
        Stage.score(
            "maths",
            name_en="maths test",
            name_id="tes matematika",
            max_score=20,
            pass_mark=14,
            weight=1,
        ),
        Stage.gate("body", name_en="body check", name_id="pemeriksaan fisik"),
        Stage.measure(
            "endurance",
            name_en="endurance test",
            name_id="tes ketahanan fisik",
            measures=(
                Measure(
                    key="run",
                    name_en="3 km run",
                    name_id="lari 3 km",
                    better="lower",
                    limits={"M": 900, "F": 660},
                    unit="s",
                ),
                Measure(
                    key="push_ups",
                    name_en="push-ups",
                    name_id="push-up",
                    better="higher",
                    limits={"M": 35, "F": 20},
                ),
                Measure(
                    key="sit_ups",
                    name_en="sit-ups",
                    name_id="sit-up",
                    better="higher",
                    limits={"M": 25, "F": 15},
                ),
            ),
        ),
        Stage.score("interview", name_en="interview", name_id="wawancara", pass_mark=60, weight=2),
        Stage.gate("medical", name_en="medical check-up", name_id="pemeriksaan kesehatan"),
        Stage.score(
            "japanese",
            name_en="Japanese test",
            name_id="tes bahasa Jepang",
            pass_mark=60,
            weight=1,
        ),
        Stage.gate("passport", name_en="passport", name_id="paspor"),
    )
)
RULES = RankingRules(
    tie_break_stages=("interview",), reserves_per_unit=20, redistribution="national_pool"
)


def generate(n: int, seed: int = 20260401) -> tuple[Applications, dict[str, int]]:
    """A deterministic round of ``n`` applications and its seats per province."""
    rng = np.random.default_rng(seed)
    share = WEIGHTS / WEIGHTS.sum()
    unit_codes = rng.choice(len(PROVINCES), size=n, p=share)
    seats = {code: max(5, round(SEATS * s)) for code, s in zip(PROVINCES, share, strict=True)}
    female = rng.random(n) < 0.15
    start = 1_767_225_600_000_000  # 2026-01-01 UTC in microseconds
    registered_at = start + rng.integers(0, 60 * 86_400 * 10**6, size=n)
    sequence = np.zeros(n, dtype=np.int64)
    for code in range(len(PROVINCES)):
        members = np.flatnonzero(unit_codes == code)
        sequence[members[np.argsort(registered_at[members])]] = np.arange(1, members.size + 1)
    numbers = [
        f"2026-{int(PROVINCES[u]):04d}-{s:06d}"
        for u, s in zip(unit_codes.tolist(), sequence.tolist(), strict=True)
    ]

    def gate(rate: float) -> np.ndarray[Any, np.dtype[np.float64]]:
        return (rng.random(n) < rate).astype(np.float64)

    def marks(mean: float, spread: float, top: int) -> np.ndarray[Any, np.dtype[np.float64]]:
        return np.clip(np.rint(rng.normal(mean, spread, n)), 0, top)

    run = np.where(female, rng.normal(600, 50, n), rng.normal(820, 60, n)).round()
    columns = {
        "admin": gate(0.95),
        "maths": rng.binomial(20, 0.72, n).astype(np.float64),
        "body": gate(0.9),
        "endurance.run": run,
        "endurance.push_ups": np.rint(rng.normal(np.where(female, 28, 45), 8)),
        "endurance.sit_ups": np.rint(rng.normal(np.where(female, 22, 33), 6)),
        "interview": marks(72, 12, 100),
        "medical": gate(0.92),
        "japanese": marks(75, 12, 100),
        "passport": gate(0.98),
    }
    # Real rounds record nothing after the stage that eliminated someone.
    alive = np.ones(n, dtype=bool)
    for stage in PLAN.stages:
        cols = stage.columns()
        for key in cols:
            columns[key][~alive] = np.nan
        if stage.kind == "gate":
            alive &= columns[stage.key] == 1.0
        elif stage.kind == "score":
            alive &= columns[stage.key] >= (stage.pass_mark or 0)
        else:
            limit = {m.key: np.where(female, m.limits["F"], m.limits["M"]) for m in stage.measures}
            for m in stage.measures:
                value = columns[f"{stage.key}.{m.key}"]
                alive &= value <= limit[m.key] if m.better == "lower" else value >= limit[m.key]
    applications = Applications.from_columns(
        ids=np.arange(1, n + 1, dtype=np.int64),
        units=[PROVINCES[u] for u in unit_codes.tolist()],
        sexes=np.where(female, "F", "M"),
        registered_at=registered_at,
        registration_numbers=numbers,
        results=columns,
    )
    return applications, seats


def best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    started = time.perf_counter()
    applications, seats = generate(APPLICATIONS)
    generate_seconds = time.perf_counter() - started

    result = rank(applications=applications, plan=PLAN, units=seats, rules=RULES)
    ranking_seconds = best_of(
        3, lambda: rank(applications=applications, plan=PLAN, units=seats, rules=RULES)
    )

    ranked = np.flatnonzero(result.eliminated_stage < 0)
    unit = applications.unit_codes[ranked]
    total = result.totals[ranked]
    interview = applications.results["interview"][ranked]
    registered = applications.registered_at[ranked]
    baseline_seconds = best_of(3, lambda: np.lexsort((registered, -interview, -total, unit)))

    build_seconds = best_of(
        1,
        lambda: Applications.from_columns(
            ids=applications.ids,
            units=[applications.unit_keys[c] for c in applications.unit_codes.tolist()],
            sexes=[applications.sex_keys[c] for c in applications.sex_codes.tolist()],
            registered_at=applications.registered_at,
            registration_numbers=applications.registration_numbers,
            results=applications.results,
        ),
    )
    digest_seconds = best_of(1, result.digest)
    sample = applications.ids[:: max(1, APPLICATIONS // 1000)].tolist()
    explain_seconds = best_of(1, lambda: [result.explain(i) for i in sample])
    counts = result.counts()
    print(
        json.dumps(
            {
                "applications": APPLICATIONS,
                "stages": len(PLAN.stages),
                "units": len(seats),
                "seats": sum(seats.values()),
                "ranked": int(ranked.size),
                "selected": counts["selected"],
                "reserve": counts["reserve"],
                "ranking_seconds": round(ranking_seconds, 3),
                "goal_seconds": GOAL_SECONDS,
                "baseline_seconds": round(baseline_seconds, 3),
                "baseline": "numpy.lexsort of the ranked applications by unit, total, "
                "tie-break score and registration time",
                "ratio": round(ranking_seconds / baseline_seconds, 2),
                "build_seconds": round(build_seconds, 3),
                "digest_seconds": round(digest_seconds, 3),
                "explain_microseconds": round(explain_seconds / len(sample) * 1e6, 1),
                "generate_seconds": round(generate_seconds, 3),
                "digest": result.digest(),
            }
        )
    )


if __name__ == "__main__":
    main()
