"""The pure ranking on small rounds: properties (Hypothesis), a plain-Python reading of the
published rules as an oracle, and worked examples for ties, explanations, redistribution and
incomplete results."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from magang.selection.ranking import (
    RULES_VERSION,
    Applications,
    IncompleteResults,
    InvalidInput,
    Measure,
    Outcome,
    RankingResult,
    RankingRules,
    Stage,
    StagePlan,
    digest,
    rank,
)

ADMIN = Stage.gate("admin", name_en="administrative check", name_id="pemeriksaan administrasi")
MATHS = Stage.score(
    "maths", name_en="maths test", name_id="tes matematika", max_score=20, pass_mark=14, weight=1
)
RUN = Measure(
    key="run",
    name_en="3 km run",
    name_id="lari 3 km",
    better="lower",
    limits={"M": 900, "F": 660},
    unit="s",
)
PUSH_UPS = Measure(
    key="push_ups",
    name_en="push-ups",
    name_id="push-up",
    better="higher",
    limits={"M": 35, "F": 20},
)
ENDURANCE = Stage.measure(
    "endurance", name_en="endurance test", name_id="tes ketahanan fisik", measures=(RUN, PUSH_UPS)
)
INTERVIEW = Stage.score(
    "interview", name_en="interview", name_id="wawancara", pass_mark=60, weight=2
)
PSYCH = Stage.score(
    "psych",
    name_en="psychological test",
    name_id="tes psikologi",
    pass_mark=50,
    weight=1,
    eliminating=False,
)
PASSPORT = Stage.gate("passport", name_en="passport", name_id="paspor", eliminating=False)
PLAN = StagePlan((ADMIN, MATHS, ENDURANCE, INTERVIEW, PSYCH, PASSPORT))

# A one-score plan whose total is the score itself, for worked examples.
SCORE = Stage.score("score", name_en="final test", name_id="tes akhir", pass_mark=40, weight=1)
SIMPLE = StagePlan((ADMIN, SCORE))
NAMES = {"33": "Jawa Tengah", "32": "Jawa Barat", "94": "Papua"}


def record(
    id: int,
    *,
    unit: str = "33",
    sex: str = "M",
    registered_at: int = 0,
    number: str | None = None,
    **results: Any,
) -> dict[str, Any]:
    return {
        "id": id,
        "unit": unit,
        "sex": sex,
        "registered_at": registered_at,
        "registration_number": number or f"2026-0033-{id:06d}",
        "results": results,
    }


def passing(id: int, **overrides: Any) -> dict[str, Any]:
    """Passes every stage of PLAN with a total of 70 unless the scores are overridden."""
    results: dict[str, Any] = {
        "admin": True,
        "maths": 16,
        "endurance": {"run": 800, "push_ups": 40},
        "interview": 70,
        "psych": 60,
        "passport": True,
    }
    fields = {
        k: overrides.pop(k) for k in ("unit", "sex", "registered_at", "number") if k in overrides
    }
    results.update(overrides)
    return record(id, **fields, **results)


def ranked(
    records: Sequence[Mapping[str, Any]],
    *,
    plan: StagePlan = PLAN,
    units: Mapping[str, int] | None = None,
    rules: RankingRules | None = None,
    allow_incomplete: bool = False,
) -> RankingResult:
    return rank(
        applications=Applications.from_records(records, plan=plan),
        plan=plan,
        units=units if units is not None else {"33": 2},
        rules=rules or RankingRules(),
        unit_names=NAMES,
        allow_incomplete=allow_incomplete,
    )


def scored_round(scores: Sequence[float], *, seats: int, reserves: int = 0) -> RankingResult:
    """Everyone in Jawa Tengah on SIMPLE; application i+1 scores scores[i]."""
    records = [record(i + 1, admin=True, score=s) for i, s in enumerate(scores)]
    return ranked(
        records,
        plan=SIMPLE,
        units={"33": seats},
        rules=RankingRules(reserves_per_unit=reserves),
    )


# --- An independent reading of the published rules (the oracle) -------------------------


def _passes(stage: Stage, value: Any, sex: str) -> bool:
    if stage.kind == "gate":
        return value is True
    if stage.kind == "score":
        return value is not None and (stage.pass_mark is None or value >= stage.pass_mark)
    values = value or {}
    for m in stage.measures:
        v = values.get(m.key)
        limit = m.limits[sex]
        if v is None or not (v <= limit if m.better == "lower" else v >= limit):
            return False
    return True


def reference(
    records: Sequence[Mapping[str, Any]],
    plan: StagePlan,
    units: Mapping[str, int],
    rules: RankingRules,
) -> dict[int, tuple[str, str | None, int | None, int | None, int | None]]:
    """id -> (outcome, eliminated at, rank in unit, reserve number, pool rank)."""
    weighted = [s for s in plan.stages if s.kind == "score" and s.weight > 0]
    weight_sum = float(sum(s.weight for s in weighted))
    out: dict[int, Any] = {}
    alive: list[tuple[tuple[Any, ...], Mapping[str, Any]]] = []
    for r in records:
        results = r["results"]
        failed = next(
            (
                s.key
                for s in plan.stages
                if s.eliminating and not _passes(s, results.get(s.key), r["sex"])
            ),
            None,
        )
        if failed:
            out[r["id"]] = ("eliminated", failed, None, None, None)
            continue
        total = 0.0
        for s in weighted:
            score = results.get(s.key)
            score = s.min_score if score is None else score
            total += (s.weight * 100.0 / (weight_sum * (s.max_score - s.min_score))) * (
                score - s.min_score
            )
        breaks = []
        for key in rules.tie_break_stages:
            value = results.get(key)
            breaks.append(float("inf") if value is None else -value)
        key = (-total, *breaks, r["registered_at"], r["registration_number"], r["id"])
        alive.append((key, r))
    by_unit: dict[str, list[Any]] = {u: [] for u in units}
    for key, r in sorted(alive, key=lambda pair: pair[0]):
        by_unit[r["unit"]].append((key, r))
    spare = sum(max(0, units[u] - len(rows)) for u, rows in by_unit.items())
    extra = dict.fromkeys(units, 0)
    if rules.redistribution == "proportional":
        remaining = {u: max(0, len(rows) - units[u]) for u, rows in by_unit.items()}
        whole = sum(remaining.values())
        if spare >= whole:
            extra = remaining
        else:
            extra = {u: spare * remaining[u] // whole for u in units}
            left = spare - sum(extra.values())
            order = sorted(units, key=lambda u: (-(spare * remaining[u] % whole), -remaining[u], u))
            for u in order[:left]:
                extra[u] += 1
    chosen: dict[int, int] = {}
    for u, rows in by_unit.items():
        for place, (_, r) in enumerate(rows, start=1):
            if place <= units[u] + extra[u]:
                chosen[r["id"]] = 0
    if rules.redistribution == "national_pool":
        rest = sorted(
            (k, r) for u, rows in by_unit.items() for k, r in rows if r["id"] not in chosen
        )
        for place, (_, r) in enumerate(rest[:spare], start=1):
            chosen[r["id"]] = place
    for rows in by_unit.values():
        waiting = 0
        for place, (_, r) in enumerate(rows, start=1):
            if r["id"] in chosen:
                out[r["id"]] = ("selected", None, place, None, chosen[r["id"]] or None)
                continue
            waiting += 1
            if waiting <= rules.reserves_per_unit:
                out[r["id"]] = ("reserve", None, place, waiting, None)
            else:
                out[r["id"]] = ("not_selected", None, place, None, None)
    return out


# --- Hypothesis strategies --------------------------------------------------------------


def stage_results(*, gaps: bool) -> st.SearchStrategy[dict[str, Any]]:
    """Results for PLAN with few distinct values, so ties are common; with ``gaps`` any
    result may be missing. A passing value comes first: Hypothesis favours it."""

    def maybe(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(st.none(), values) if gaps else values

    return st.fixed_dictionaries(
        {
            "admin": maybe(st.sampled_from([True] * 9 + [False])),
            "maths": maybe(st.sampled_from([16, 14, 16, 18, 18, 20, 12])),
            "endurance": st.fixed_dictionaries(
                {
                    "run": maybe(st.sampled_from([600, 620, 640, 650, 880, 950])),
                    "push_ups": maybe(st.sampled_from([40, 36, 45, 50, 30])),
                }
            ),
            "interview": maybe(st.sampled_from([70, 60, 70, 80, 80.5, 55])),
            "psych": maybe(st.sampled_from([60, 40])),
            "passport": st.sampled_from([True, False, None]),
        }
    )


complete_people = st.tuples(
    st.sampled_from(("32", "32", "33", "33", "94")),  # Papua has few applicants
    st.sampled_from("MF"),
    st.integers(0, 3),  # registration time: few values, so ties reach the number
    stage_results(gaps=False),
)
# About one person in eight lacks some results.
people = st.one_of(
    *[complete_people] * 7,
    st.tuples(complete_people.map(lambda p: p[:3]), stage_results(gaps=True)).map(
        lambda pair: (*pair[0], pair[1])
    ),
)


@st.composite
def rounds(
    draw: st.DrawFn, *, complete: bool = False
) -> tuple[list[dict[str, Any]], dict[str, int], RankingRules]:
    """Small rounds of up to 30 applications; eliminations, ties and units with unused
    seats are common."""
    n = draw(st.integers(0, 30))
    drawn = draw(st.lists(complete_people if complete else people, min_size=n, max_size=n))
    ids = draw(st.lists(st.integers(1, 10**9), min_size=n, max_size=n, unique=True))
    numbers = draw(st.permutations(range(n)))
    records = [
        record(
            ids[i],
            unit=unit,
            sex=sex,
            registered_at=registered_at,
            number=f"2026-{numbers[i]:06d}",
            **results,
        )
        for i, (unit, sex, registered_at, results) in enumerate(drawn)
    ]
    units = {
        "32": draw(st.integers(0, 4)),
        "33": draw(st.integers(0, 4)),
        "94": draw(st.integers(0, 8)),
    }
    rules = RankingRules(
        tie_break_stages=draw(st.sampled_from([(), ("interview",), ("psych", "maths")])),
        reserves_per_unit=draw(st.integers(0, 3)),
        redistribution=draw(st.sampled_from(["none", "proportional", "national_pool"])),
    )
    return records, units, rules


Round = tuple[list[dict[str, Any]], dict[str, int], RankingRules]


def run(case: Round, records: Sequence[Mapping[str, Any]] | None = None) -> RankingResult:
    original, units, rules = case
    return ranked(
        records if records is not None else original,
        units=units,
        rules=rules,
        allow_incomplete=True,
    )


def placements(result: RankingResult) -> list[Any]:
    return list(result.placements())


# --- Properties -----------------------------------------------------------------------------


@settings(deadline=None, max_examples=200)
@given(rounds())
def test_it_matches_a_plain_reading_of_the_published_rules(case: Round) -> None:
    records, units, rules = case
    result = run(case)
    expected = reference(records, PLAN, units, rules)
    for p in result.placements():
        assert (
            p.outcome.value,
            p.eliminated_at,
            p.rank_in_unit,
            p.reserve_number,
            p.pool_rank,
        ) == expected[p.application_id]


@settings(deadline=None)
@given(rounds())
def test_it_never_gives_a_unit_more_seats_than_it_has_plus_those_redistributed(case: Round) -> None:
    _, units, rules = case
    result = run(case)
    selected: dict[str, int] = dict.fromkeys(units, 0)
    from_pool = 0
    for p in result.placements():
        if p.outcome is Outcome.SELECTED:
            selected[p.unit] += 1
            from_pool += p.pool_rank is not None
    spare = sum(s.seats - min(s.seats, s.qualified) for s in result.unit_summaries.values())
    for key, summary in result.unit_summaries.items():
        assert summary.selected == selected[key]
        assert summary.selected - summary.selected_from_pool <= units[key] + summary.extra_seats
        assert summary.selected <= summary.qualified
    assert sum(s.extra_seats for s in result.unit_summaries.values()) <= spare
    assert from_pool == result.pool_filled <= result.pool_seats
    if rules.redistribution == "none":
        assert all(s.selected <= units[k] for k, s in result.unit_summaries.items())
        assert result.pool_seats == 0
        assert all(s.extra_seats == 0 for s in result.unit_summaries.values())


@settings(deadline=None)
@given(rounds())
def test_it_ranks_the_selected_above_reserves_and_reserves_above_the_rest(case: Round) -> None:
    result = run(case)
    level = {Outcome.SELECTED: 0, Outcome.RESERVE: 1, Outcome.NOT_SELECTED: 2}
    by_unit: dict[str, list[Any]] = {}
    for p in result.placements():
        if p.outcome is Outcome.ELIMINATED:
            assert p.rank_in_unit is None and p.total is None and p.eliminated_at
            continue
        by_unit.setdefault(p.unit, []).append(p)
    for people in by_unit.values():
        people.sort(key=lambda p: p.rank_in_unit)
        assert [p.rank_in_unit for p in people] == list(range(1, len(people) + 1))
        levels = [level[p.outcome] for p in people]
        assert levels == sorted(levels)
        reserves = [p.reserve_number for p in people if p.outcome is Outcome.RESERVE]
        assert reserves == list(range(1, len(reserves) + 1))
        totals = [p.total for p in people]
        assert totals == sorted(totals, reverse=True)


@settings(deadline=None)
@given(rounds(), st.randoms(use_true_random=False))
def test_it_gives_the_same_result_whatever_the_order_of_the_input(case: Round, rng: Any) -> None:
    shuffled = list(case[0])
    rng.shuffle(shuffled)
    first, second = run(case), run(case, shuffled)
    assert placements(first) == placements(second)
    assert first.input_digest == second.input_digest
    assert first.digest() == second.digest()
    for p in placements(first)[:5]:
        for language in ("id", "en"):
            assert first.explain(p.application_id, language) == second.explain(
                p.application_id, language
            )


@settings(deadline=None, max_examples=50)
@given(rounds())
def test_it_gives_the_same_output_and_digest_for_the_same_input(case: Round) -> None:
    first, second = run(case), run(case)
    assert placements(first) == placements(second)
    assert first.digest() == second.digest()
    records, units, rules = case
    assert first.input_digest == digest(
        applications=Applications.from_records(records, plan=PLAN),
        plan=PLAN,
        units=units,
        rules=rules,
    )


@settings(deadline=None)
@given(rounds(complete=True))
def test_it_ranks_a_complete_round_without_allow_incomplete(case: Round) -> None:
    records, units, rules = case
    strict = ranked(records, units=units, rules=rules)
    assert placements(strict) == placements(run(case))
    assert not any(p.no_result for p in strict.placements())


# --- Elimination ------------------------------------------------------------------------------


def test_it_eliminates_at_the_first_failed_eliminating_stage() -> None:
    result = ranked([passing(1, maths=12, interview=50), passing(2, interview=50)])
    assert result.placement(1).eliminated_at == "maths"
    assert result.placement(2).eliminated_at == "interview"
    assert result.placement(1).outcome is Outcome.ELIMINATED
    assert result.explain(1) == "Gugur pada tahap tes matematika: nilai 12 di bawah batas lulus 14"
    assert result.explain(1, "en") == (
        "Eliminated at the maths test: score 12 is below the pass mark of 14"
    )
    assert result.explain(2) == "Gugur pada tahap wawancara: nilai 50 di bawah batas lulus 60"


def test_it_explains_a_failed_gate_and_failed_measures_with_the_limits_for_the_sex() -> None:
    result = ranked(
        [
            passing(1, admin=False),
            passing(2, sex="F", endurance={"run": 700.5, "push_ups": 19}),
            passing(3, sex="F", endurance={"run": 700, "push_ups": 40}),
        ]
    )
    assert result.explain(1) == "Gugur pada tahap pemeriksaan administrasi: tidak lulus"
    assert result.explain(1, "en") == "Eliminated at the administrative check: not passed"
    assert result.explain(2) == (
        "Gugur pada tahap tes ketahanan fisik: lari 3 km 700,5 s, melebihi batas 660 s untuk "
        "perempuan; push-up 19, di bawah batas 20 untuk perempuan"
    )
    assert result.explain(2, "en") == (
        "Eliminated at the endurance test: 3 km run 700.5 s, over the limit of 660 s for "
        "women; push-ups 19, below the minimum of 20 for women"
    )
    assert result.explain(3, "en") == (
        "Eliminated at the endurance test: 3 km run 700 s, over the limit of 660 s for women"
    )


def test_it_passes_a_man_on_the_limits_for_men() -> None:
    result = ranked([passing(1, sex="M", endurance={"run": 900, "push_ups": 35})])
    assert result.placement(1).outcome is Outcome.SELECTED


def test_it_does_not_eliminate_for_failing_a_stage_that_does_not_eliminate() -> None:
    result = ranked([passing(1, psych=10, passport=False), passing(2)])
    first = result.placement(1)
    assert first.outcome is Outcome.SELECTED
    assert first.eliminated_at is None
    # The failed psychological test still counts in the total: 10 instead of 60.
    assert first.total is not None and first.total < result.placement(2).total


def test_it_needs_no_results_after_the_stage_that_eliminated_someone() -> None:
    result = ranked([record(1, admin=True, maths=10), passing(2)])
    assert result.placement(1).eliminated_at == "maths"
    assert not result.placement(1).no_result


# --- Incomplete results --------------------------------------------------------------------------


def test_it_refuses_a_round_with_missing_results_and_counts_them() -> None:
    records = [
        record(7, admin=True),
        record(3, admin=True, maths=16, endurance={"run": 800}),
        passing(5, psych=None),
        passing(9),
    ]
    with pytest.raises(IncompleteResults) as caught:
        ranked(records)
    assert dict(caught.value.missing) == {"maths": 1, "endurance": 1, "psych": 1}
    assert caught.value.count == 3
    assert caught.value.examples == (3, 5, 7)
    assert "allow_incomplete=True" in str(caught.value)


def test_it_eliminates_for_a_missing_result_when_allowed_and_says_so() -> None:
    result = ranked([record(7, admin=True), passing(9)], allow_incomplete=True)
    placement = result.placement(7)
    assert (placement.outcome, placement.eliminated_at, placement.no_result) == (
        Outcome.ELIMINATED,
        "maths",
        True,
    )
    assert result.explain(7) == "Gugur pada tahap tes matematika: belum ada hasil"
    assert result.explain(7, "en") == "Eliminated at the maths test: no result recorded"


def test_it_counts_a_missing_weighted_score_that_does_not_eliminate_as_its_minimum() -> None:
    result = ranked(
        [passing(1, psych=None), passing(2, psych=0)], units={"33": 1}, allow_incomplete=True
    )
    first, second = result.placement(1), result.placement(2)
    assert first.total == second.total
    assert first.counted_as_minimum == ("psych",)
    assert result.explain(1).endswith("; tanpa hasil tes psikologi, dihitung 0")
    assert result.explain(1, "en").endswith("; no result for the psychological test, counted as 0")


# --- Totals and ties ------------------------------------------------------------------------------


def test_it_weights_each_score_over_its_range() -> None:
    # maths 16/20 = 80, interview 70, psych 60; weights 1, 2, 1 -> (80 + 140 + 60) / 4 = 70.
    result = ranked([passing(1)])
    assert result.placement(1).total == pytest.approx(70.0, abs=1e-12)


def test_it_breaks_ties_by_the_named_stage_then_registration_then_number_then_id() -> None:
    # Equal totals: maths 18 + interview 65 (or 70 with maths 16).
    same = {"maths": 18, "interview": 65, "psych": 60}
    records = [
        passing(1, maths=16, interview=70, registered_at=0),  # lower maths, same total
        passing(2, **same, registered_at=5, number="2026-0033-000004"),
        passing(3, **same, registered_at=1, number="2026-0033-000009"),
        passing(4, **same, registered_at=5, number="2026-0033-000002"),
        passing(6, **same, registered_at=5, number="2026-0033-000003"),
        passing(5, **same, registered_at=5, number="2026-0033-000003"),
    ]
    result = ranked(records, units={"33": 6}, rules=RankingRules(tie_break_stages=("maths",)))
    assert len({result.placement(i).total for i in range(1, 7)}) == 1
    order = sorted(range(1, 7), key=lambda i: result.placement(i).rank_in_unit or 0)
    assert order == [3, 4, 5, 6, 2, 1]
    without = ranked(records, units={"33": 6})
    order = sorted(range(1, 7), key=lambda i: without.placement(i).rank_in_unit or 0)
    assert order == [1, 3, 4, 5, 6, 2]


def test_it_ranks_no_result_in_a_tie_break_stage_last() -> None:
    records = [passing(1, psych=None), passing(2, psych=0, registered_at=5)]
    result = ranked(
        records,
        units={"33": 1},
        rules=RankingRules(tie_break_stages=("psych",)),
        allow_incomplete=True,
    )
    assert result.placement(2).outcome is Outcome.SELECTED
    assert result.placement(1).outcome is Outcome.NOT_SELECTED


# --- Explanations ------------------------------------------------------------------------


def example_round() -> RankingResult:
    """Jawa Tengah, 250 seats, 10 reserves. Application i has rank i: 1-11 score 95, 12 scores
    88, 13-252 score 80, 253 scores 77, 254-262 score 75, 263 scores 71.4 and 264 scores 60."""
    scores = [95.0] * 11 + [88.0] + [80.0] * 240 + [77.0] + [75.0] * 9 + [71.4, 60.0]
    return scored_round(scores, seats=250, reserves=10)


def test_it_explains_a_selection_in_both_languages() -> None:
    result = example_round()
    assert (
        result.explain(12) == "Terpilih: peringkat 12 dari 250 kursi Jawa Tengah dengan nilai 88,0"
    )
    assert result.explain(12, "en") == (
        "Selected: rank 12 of the 250 seats of Jawa Tengah with a score of 88.0"
    )


def test_it_explains_a_reserve_in_both_languages() -> None:
    result = example_round()
    assert result.placement(253).reserve_number == 3
    assert result.explain(253) == (
        "Cadangan nomor 3 di Jawa Tengah: 250 kursi terisi; peringkat Anda 253 dengan nilai 77,0"
    )
    assert result.explain(253, "en") == (
        "Reserve number 3 in Jawa Tengah: the 250 seats are filled; "
        "your rank is 253 with a score of 77.0"
    )


def test_it_explains_a_rejection_in_both_languages() -> None:
    result = example_round()
    assert result.placement(263).rank_in_unit == 263
    assert result.explain(263) == (
        "Tidak terpilih: kuota Jawa Tengah 250 kursi terisi; peringkat Anda 263 dengan nilai 71,4"
    )
    assert result.explain(263, "en") == (
        "Not selected: the 250 seats of Jawa Tengah are filled; "
        "your rank is 263 with a score of 71.4"
    )


def test_it_writes_thousands_and_decimals_the_indonesian_way() -> None:
    result = scored_round([50.0] * 1_200 + [45.25], seats=1)
    assert result.explain(1_201) == (
        "Tidak terpilih: kuota Jawa Tengah 1 kursi terisi; peringkat Anda 1.201 dengan nilai 45,3"
    )
    assert result.explain(1_201, "en") == (
        "Not selected: the 1 seat of Jawa Tengah is filled; your rank is 1,201 with a score of 45.3"
    )


def test_it_rounds_the_total_for_display_only() -> None:
    result = scored_round([71.45, 71.44999], seats=2)
    first = result.placement(1)
    assert first.total == 71.45
    assert first.total_display() == "71,5"
    assert first.total_display("en") == "71.5"
    assert result.placement(2).total_display("en") == "71.4"


def test_it_refuses_an_unknown_language_and_an_unknown_application() -> None:
    result = scored_round([50.0], seats=1)
    with pytest.raises(ValueError, match="language"):
        result.explain(1, "ja")  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        result.explain(99)


# --- Redistribution -------------------------------------------------------------------------


def redistribution_round(how: str) -> RankingResult:
    """Papua has 3 seats and 1 qualified; Jawa Barat 2 seats and 4 qualified; Jawa Tengah 2
    seats and 5 qualified. Scores make the national order across units clear."""
    scores = {
        "94": [50.0],
        "32": [90.0, 85.0, 84.0, 60.0],
        "33": [95.0, 91.0, 86.0, 83.0, 82.0],
    }
    records = []
    for unit, values in scores.items():
        for value in values:
            records.append(record(len(records) + 1, unit=unit, admin=True, score=value))
    return ranked(
        records,
        plan=SIMPLE,
        units={"94": 3, "32": 2, "33": 2},
        rules=RankingRules(redistribution=how, reserves_per_unit=1),  # type: ignore[arg-type]
    )


def outcomes(result: RankingResult) -> dict[int, str]:
    return {p.application_id: p.outcome.value for p in result.placements()}


def test_it_leaves_unused_seats_empty_without_redistribution() -> None:
    result = redistribution_round("none")
    assert result.counts()[Outcome.SELECTED] == 5
    assert result.unit_summaries["94"].unused_seats == 2
    assert outcomes(result)[4] == "reserve"  # Jawa Barat's 84


def test_it_gives_unused_seats_to_the_best_remaining_applications_nationally() -> None:
    result = redistribution_round("national_pool")
    # 2 unused seats in Papua: Jawa Tengah's 86 (application 8) and Jawa Barat's 84 (4).
    assert result.pool_seats == 2 and result.pool_filled == 2
    assert result.placement(8).pool_rank == 1 and result.placement(4).pool_rank == 2
    assert outcomes(result)[9] == "reserve" and outcomes(result)[5] == "reserve"
    assert outcomes(result)[10] == "not_selected"
    assert result.unit_summaries["33"].selected_from_pool == 1
    assert result.explain(8) == (
        "Terpilih dari kuota nasional: urutan 1 dari 2 kursi sisa; peringkat 3 di Jawa Tengah "
        "(2 kursi terisi) dengan nilai 86,0"
    )
    assert result.explain(8, "en") == (
        "Selected from the national pool: place 1 of the 2 unused seats; rank 3 in Jawa Tengah "
        "(2 seats filled) with a score of 86.0"
    )
    assert result.explain(10) == (
        "Tidak terpilih: kuota Jawa Tengah 2 kursi terisi; peringkat Anda 5 dengan nilai 82,0; "
        "2 kursi kuota nasional terisi oleh peringkat yang lebih tinggi"
    )
    assert result.explain(10, "en").endswith(
        "; the 2 national pool seats went to higher-ranked applicants"
    )


def test_it_shares_unused_seats_in_proportion_to_remaining_applications() -> None:
    result = redistribution_round("proportional")
    # 2 spare seats; Jawa Barat has 2 remaining, Jawa Tengah 3: 0.8 and 1.2 -> 1 each
    # (floors 0 and 1; the larger remainder, 0.8, takes the last seat).
    assert result.unit_summaries["32"].extra_seats == 1
    assert result.unit_summaries["33"].extra_seats == 1
    assert outcomes(result)[4] == "selected" and outcomes(result)[8] == "selected"
    assert result.explain(8) == (
        "Terpilih: peringkat 3 dari 3 kursi Jawa Tengah (2 + 1 kursi limpahan) dengan nilai 86,0"
    )
    assert result.explain(8, "en") == (
        "Selected: rank 3 of the 3 seats of Jawa Tengah (2 + 1 redistributed) with a score of 86.0"
    )


def test_it_breaks_an_equal_remainder_by_remaining_count_then_unit_key() -> None:
    records = [record(i, unit="32", admin=True, score=50) for i in range(1, 4)]
    records += [record(i, unit="33", admin=True, score=50) for i in range(4, 7)]
    result = ranked(
        records,
        plan=SIMPLE,
        units={"32": 2, "33": 2, "94": 1},
        rules=RankingRules(redistribution="proportional"),
    )
    # 1 spare seat, 1 remaining in each unit: an equal remainder goes to the lower key.
    assert result.unit_summaries["32"].extra_seats == 1
    assert result.unit_summaries["33"].extra_seats == 0
    # 2 spare seats, 1 and 3 remaining: shares 0.5 and 1.5, equal remainders of 0.5; the
    # unit with more remaining takes the seat left over.
    records = [record(i, unit="32", admin=True, score=50) for i in range(1, 3)]
    records += [record(i, unit="33", admin=True, score=50) for i in range(3, 7)]
    result = ranked(
        records,
        plan=SIMPLE,
        units={"32": 1, "33": 1, "94": 2},
        rules=RankingRules(redistribution="proportional"),
    )
    assert result.unit_summaries["32"].extra_seats == 0
    assert result.unit_summaries["33"].extra_seats == 2


# --- Digests and inputs ---------------------------------------------------------------------


def test_it_changes_the_digests_when_a_result_or_a_rule_changes() -> None:
    base = scored_round([70.0, 60.0], seats=1)
    changed = scored_round([70.0, 60.5], seats=1)
    assert base.input_digest != changed.input_digest
    assert base.digest() != changed.digest()
    assert len(base.digest()) == 64 and RULES_VERSION
    records = [record(1, admin=True, score=70.0), record(2, admin=True, score=60.0)]
    with_reserve = ranked(
        records, plan=SIMPLE, units={"33": 1}, rules=RankingRules(reserves_per_unit=1)
    )
    assert with_reserve.input_digest != base.input_digest


def test_it_accepts_aware_datetimes_for_registration_time() -> None:
    when = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    apps = Applications.from_records(
        [record(1, admin=True, score=50) | {"registered_at": when}], plan=SIMPLE
    )
    assert apps.registered_at[0] == 1_772_353_800_000_000
    with pytest.raises(InvalidInput):
        Applications.from_records(
            [record(1, admin=True, score=50) | {"registered_at": datetime(2026, 3, 1)}],
            plan=SIMPLE,
        )


def test_it_builds_the_same_table_from_columns_as_from_records() -> None:
    records = [record(2, admin=True, score=50.5), record(1, admin=None, score=None)]
    from_records = Applications.from_records(records, plan=SIMPLE)
    from_columns = Applications.from_columns(
        ids=[2, 1],
        units=["33", "33"],
        sexes=["M", "M"],
        registered_at=[0, 0],
        registration_numbers=["2026-0033-000002", "2026-0033-000001"],
        results={"admin": [True, None], "score": [50.5, None]},
    )
    assert list(from_records.canonical_parts()) == list(from_columns.canonical_parts())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"units": {"32": 1}}, "unknown quota units: 33"),
        ({"rules": RankingRules(tie_break_stages=("admin",))}, "not a score stage"),
        ({"rules": RankingRules(tie_break_stages=("nope",))}, "not a score stage"),
        ({"units": {"33": -1}}, "seats must be"),
    ],
)
def test_it_refuses_inputs_that_do_not_fit_the_plan(change: dict[str, Any], message: str) -> None:
    arguments: dict[str, Any] = {
        "applications": Applications.from_records([record(1, admin=True, score=50)], plan=SIMPLE),
        "plan": SIMPLE,
        "units": {"33": 1},
        "rules": RankingRules(),
    } | change
    with pytest.raises(InvalidInput, match=message):
        rank(**arguments)


def test_it_refuses_scores_outside_the_range_and_gates_other_than_pass_or_fail() -> None:
    apps = Applications.from_columns(
        ids=[1, 2],
        units=["33", "33"],
        sexes=["M", "M"],
        registered_at=[0, 0],
        registration_numbers=["a", "b"],
        results={"admin": [1.0, 0.5], "score": [101.0, 50.0]},
    )
    with pytest.raises(InvalidInput) as caught:
        rank(applications=apps, plan=SIMPLE, units={"33": 1}, rules=RankingRules())
    problems = " ".join(caught.value.problems)
    assert "'admin': 1 value(s) not 0 (failed) or 1 (passed)" in problems
    assert "'score': 1 value(s) not 0..100, e.g. 101 for application 1" in problems


def test_it_refuses_repeated_ids_and_missing_or_unknown_columns() -> None:
    with pytest.raises(InvalidInput, match="ids repeat: 1"):
        Applications.from_records(
            [record(1, admin=True, score=1), record(1, admin=True, score=2)], plan=SIMPLE
        )
    apps = Applications.from_columns(
        ids=[1],
        units=["33"],
        sexes=["M"],
        registered_at=[0],
        registration_numbers=["a"],
        results={"admin": [1.0], "extra": [1.0]},
    )
    with pytest.raises(InvalidInput) as caught:
        rank(applications=apps, plan=SIMPLE, units={"33": 1}, rules=RankingRules())
    assert caught.value.problems == (
        "Result columns missing: score.",
        "Result columns not in the plan: extra.",
    )


def test_it_refuses_a_measure_without_a_limit_for_an_applicants_sex() -> None:
    with pytest.raises(InvalidInput, match=r"'endurance\.run' has no limit for sex 'X'"):
        ranked([passing(1, sex="X")])
    # Someone eliminated before the measure needs no limit.
    assert ranked([passing(1, sex="X", admin=False)]).placement(1).eliminated_at == "admin"


def test_it_refuses_an_inconsistent_plan() -> None:
    with pytest.raises(InvalidInput, match="pass mark must lie within"):
        Stage.score("s", name_en="s", name_id="s", max_score=20, pass_mark=30)
    with pytest.raises(InvalidInput, match="only score stages"):
        Stage(key="g", name_en="g", name_id="g", kind="gate", weight=1)
    with pytest.raises(InvalidInput, match="repeat"):
        StagePlan((ADMIN, ADMIN))
    with pytest.raises(InvalidInput, match="without dots"):
        Stage.gate("a.b", name_en="g", name_id="g")
    with pytest.raises(InvalidInput, match="reserves_per_unit"):
        RankingRules(reserves_per_unit=-1)


def test_it_ranks_an_empty_round() -> None:
    result = ranked([], units={"33": 5}, rules=RankingRules(redistribution="national_pool"))
    assert len(result) == 0
    assert result.counts() == dict.fromkeys(Outcome, 0)
    assert result.unit_summaries["33"].unused_seats == 5
    assert len(result.digest()) == 64


def test_it_ranks_a_plan_without_weights_by_the_tie_breaks() -> None:
    plan = StagePlan((ADMIN,))
    records = [record(1, admin=True, registered_at=5), record(2, admin=True, registered_at=1)]
    result = ranked(records, plan=plan, units={"33": 1})
    assert result.placement(2).outcome is Outcome.SELECTED
    assert result.placement(1).total == 0.0


def test_it_keeps_its_columns_read_only() -> None:
    result = scored_round([50.0], seats=1)
    with pytest.raises(ValueError, match="read-only"):
        result.totals[0] = 99.0
    with pytest.raises(ValueError, match="read-only"):
        result.applications.results["score"][0] = 99.0


def test_it_exposes_columns_a_service_can_write_in_bulk() -> None:
    result = example_round()
    codes = result.outcome_codes
    assert [RankingResult.OUTCOMES[c] for c in codes[:12]] == [Outcome.SELECTED] * 12
    assert np.count_nonzero(codes == RankingResult.OUTCOMES.index(Outcome.RESERVE)) == 10
