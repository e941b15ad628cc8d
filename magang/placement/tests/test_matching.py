"""The pure stable matching on small instances: properties (Hypothesis), two independent
oracles (every stable matching by brute force, and textbook one-at-a-time deferred
acceptance), the ``matching`` library when it is installed, and worked examples of the
explanations in Indonesian and English."""

from __future__ import annotations

import itertools
import random
import sys
import traceback
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from magang.placement import matching as matching_module
from magang.placement.matching import (
    InvalidInput,
    JobReason,
    Matching,
    Reason,
    Unmatched,
    Why,
    ordinal,
    stable_match,
)

Instance = tuple[dict[Any, list[Any]], dict[Any, list[Any]], dict[Any, int]]


# --- Instances ------------------------------------------------------------------------------


@st.composite
def instances(draw: Any, most_candidates: int = 8, most_jobs: int = 5) -> Instance:
    """Candidates 1..n and job orders "J1".."Jm" with partial lists both ways, capacities 0..3,
    and the odd stranger: a job order "J9" that is not in ``capacities``, a candidate 99 who
    is not a candidate, a job order with slots but no list, one with a list but no slots."""
    n = draw(st.integers(0, most_candidates))
    m = draw(st.integers(0, most_jobs))
    candidates = list(range(1, n + 1))
    jobs = [f"J{j}" for j in range(1, m + 1)]
    choosable = [*jobs, "J9"] if draw(st.booleans()) else jobs
    rankable = [*candidates, 99] if draw(st.booleans()) else candidates
    candidate_prefs = {
        c: draw(st.lists(st.sampled_from(choosable), unique=True)) if choosable else []
        for c in candidates
    }
    job_prefs: dict[Any, list[Any]] = {}
    capacities: dict[Any, int] = {}
    for job in jobs:
        listed, has_slots = draw(
            st.sampled_from([(True, True)] * 8 + [(True, False), (False, True)])
        )
        if listed:
            job_prefs[job] = (
                draw(st.lists(st.sampled_from(rankable), unique=True)) if rankable else []
            )
        if has_slots:
            capacities[job] = draw(st.integers(0, 3))
    return candidate_prefs, job_prefs, capacities


def acceptable(instance: Instance, candidate: Any, job: Any) -> bool:
    candidate_prefs, job_prefs, capacities = instance
    return (
        job in capacities
        and job in candidate_prefs[candidate]
        and candidate in job_prefs.get(job, [])
    )


def blocking_pairs(instance: Instance, result: Mapping[Any, Any]) -> list[tuple[Any, Any]]:
    """Acceptable pairs who would both rather be together."""
    candidate_prefs, job_prefs, capacities = instance
    holding: dict[Any, list[Any]] = {job: [] for job in capacities}
    for candidate, job in result.items():
        holding[job].append(candidate)
    pairs = []
    for candidate, choices in candidate_prefs.items():
        for job in choices:
            if job == result.get(candidate):
                break  # jobs below their match they do not want
            if not acceptable(instance, candidate, job):
                continue
            ranking = job_prefs[job]
            held = holding[job]
            if len(held) < capacities[job] or any(
                ranking.index(candidate) < ranking.index(other) for other in held
            ):
                pairs.append((candidate, job))
    return pairs


def deferred_acceptance(instance: Instance) -> dict[Any, Any]:
    """Textbook candidate-proposing deferred acceptance, one proposal at a time."""
    candidate_prefs, job_prefs, capacities = instance
    choices = {
        c: [j for j in prefs if acceptable(instance, c, j) and capacities[j] > 0]
        for c, prefs in candidate_prefs.items()
    }
    next_choice = dict.fromkeys(candidate_prefs, 0)
    held: dict[Any, list[Any]] = {job: [] for job in capacities}
    free = [c for c in candidate_prefs if choices[c]]
    while free:
        candidate = free.pop(0)
        job = choices[candidate][next_choice[candidate]]
        held[job].append(candidate)
        held[job].sort(key=job_prefs[job].index)
        if len(held[job]) > capacities[job]:
            loser = held[job].pop()
            next_choice[loser] += 1
            if next_choice[loser] < len(choices[loser]):
                free.append(loser)
    return {c: job for job, cs in held.items() for c in cs}


def every_stable_matching(instance: Instance) -> Iterator[dict[Any, Any]]:
    """By brute force: every way to give each candidate an acceptable job order or none
    within capacities, that has no blocking pair."""
    candidate_prefs, _, capacities = instance
    people = list(candidate_prefs)
    options = [
        [None, *(j for j in candidate_prefs[c] if acceptable(instance, c, j))] for c in people
    ]
    for assignment in itertools.product(*options):
        result = {c: j for c, j in zip(people, assignment, strict=True) if j is not None}
        taken = [j for j in assignment if j is not None]
        if any(taken.count(job) > capacities[job] for job in set(taken)):
            continue
        if not blocking_pairs(instance, result):
            yield result


def candidate_optimal(instance: Instance) -> dict[Any, Any]:
    """The stable matching every candidate likes at least as much as every other one."""
    candidate_prefs = instance[0]

    def rank(candidate: Any, result: Mapping[Any, Any]) -> int:
        job = result.get(candidate)
        return candidate_prefs[candidate].index(job) if job is not None else 10**6

    stable = list(every_stable_matching(instance))
    best = [
        s
        for s in stable
        if all(rank(c, s) <= rank(c, other) for other in stable for c in candidate_prefs)
    ]
    assert len(best) == 1
    return best[0]


def shuffled(instance: Instance, rng: random.Random) -> Instance:
    def shuffle(mapping: dict[Any, Any]) -> dict[Any, Any]:
        items = list(mapping.items())
        rng.shuffle(items)
        return dict(items)

    return shuffle(instance[0]), shuffle(instance[1]), shuffle(instance[2])


# --- Properties -----------------------------------------------------------------------------


@settings(deadline=None, max_examples=300)
@given(instances())
def test_it_is_stable_within_capacity_and_only_pairs_acceptable_pairs(instance: Instance) -> None:
    candidate_prefs, job_prefs, capacities = instance
    result = stable_match(*instance)
    assert not blocking_pairs(instance, result)
    assert all(acceptable(instance, c, j) for c, j in result.items())
    for job, slots in capacities.items():
        filled = result.filled(job)
        assert len(filled) <= slots
        assert sorted(c for c, j in result.items() if j == job) == sorted(filled)
        assert list(filled) == [c for c in job_prefs.get(job, []) if c in filled]
    assert set(result) <= set(candidate_prefs)


@settings(deadline=None, max_examples=150)
@given(instances(most_candidates=6, most_jobs=4))
def test_it_is_the_candidate_optimal_stable_matching_found_by_brute_force(
    instance: Instance,
) -> None:
    assert dict(stable_match(*instance)) == candidate_optimal(instance)


@settings(deadline=None, max_examples=300)
@given(instances())
def test_it_equals_textbook_deferred_acceptance(instance: Instance) -> None:
    assert dict(stable_match(*instance)) == deferred_acceptance(instance)


@settings(deadline=None, max_examples=100)
@given(instances(), st.randoms(use_true_random=False))
def test_it_does_not_depend_on_the_order_of_the_inputs(
    instance: Instance, rng: random.Random
) -> None:
    first, second = stable_match(*instance), stable_match(*shuffled(instance, rng))
    assert list(first.items()) == list(second.items())
    assert first.candidates == second.candidates
    for language in ("id", "en"):
        assert first.explanations(language) == second.explanations(language)
    assert first.statistics() == second.statistics()


@settings(deadline=None, max_examples=200)
@given(instances())
def test_its_reasons_hold(instance: Instance) -> None:
    candidate_prefs, job_prefs, capacities = instance
    result = stable_match(*instance)
    for candidate, choices in candidate_prefs.items():
        reason = result.reason(candidate)
        assert reason.job == result.get(candidate)
        assert reason.listed == len(choices)
        assert reason.choice == (choices.index(reason.job) + 1 if reason.job else None)
        above = choices[: reason.choice - 1] if reason.choice else choices
        assert [r.job for r in reason.not_matched] == above
        for item in reason.not_matched:
            assert item.choice == choices.index(item.job) + 1
            if item.why == Why.NOT_OPEN:
                assert item.job not in capacities and item.slots == 0
            elif item.why == Why.NOT_LISTED:
                assert candidate not in job_prefs.get(item.job, [])
            elif item.why == Why.NO_SLOTS:
                assert acceptable(instance, candidate, item.job) and capacities[item.job] == 0
            else:
                assert item.why == Why.FILLED
                filled = result.filled(item.job)
                ranking = job_prefs[item.job]
                assert len(filled) == capacities[item.job] == item.slots
                assert all(ranking.index(c) < ranking.index(candidate) for c in filled)
            assert result.why_not(candidate, item.job) == item
        if reason.job is None:
            expected = (
                Unmatched.NO_CHOICES
                if not choices
                else Unmatched.OUTRANKED
                if any(r.why == Why.FILLED for r in reason.not_matched)
                else Unmatched.NO_ACCEPTABLE
            )
            assert reason.unmatched == expected
        else:
            assert reason.unmatched is None
            assert result.why_not(candidate, reason.job) is None


@settings(deadline=None, max_examples=200)
@given(instances())
def test_explanations_all_at_once_equal_one_by_one(instance: Instance) -> None:
    result = stable_match(*instance)
    for language in ("id", "en"):
        one_by_one = [result.explain(c, language) for c in result.candidates]
        assert result.explanations(language) == one_by_one


@settings(deadline=None, max_examples=100)
@given(instances())
def test_statistics_and_columns_agree_with_the_mapping(instance: Instance) -> None:
    candidate_prefs, _, capacities = instance
    result = stable_match(*instance)
    stats = result.statistics()
    assert stats.candidates == len(candidate_prefs)
    assert stats.matched == len(result) == sum(stats.by_choice.values())
    assert stats.unmatched == len(candidate_prefs) - len(result)
    assert stats.at_first_choice == sum(1 for c, j in result.items() if candidate_prefs[c][0] == j)
    assert sum(stats.unmatched_by_reason.values()) == stats.unmatched
    assert stats.slots == sum(capacities.values())
    assert stats.slots_filled == len(result)
    assert stats.job_orders_full == sum(
        1 for job, slots in capacities.items() if slots and len(result.filled(job)) == slots
    )
    columns = result.columns()
    assert columns["candidate"] == sorted(candidate_prefs)
    assert columns["job"] == [result.get(c) for c in columns["candidate"]]
    assert columns["choice"] == [result.choice(c) for c in columns["candidate"]]


@settings(deadline=None, max_examples=100)
@given(instances())
def test_rounds_and_one_proposal_at_a_time_agree(instance: Instance) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matching_module, "SEQUENTIAL_BELOW", 0)
        in_rounds = dict(stable_match(*instance))
        patch.setattr(matching_module, "SEQUENTIAL_BELOW", 10**9)
        one_at_a_time = dict(stable_match(*instance))
    assert in_rounds == one_at_a_time == deferred_acceptance(instance)


def random_instance(
    n: int, m: int, seed: int, candidate_id: Any = int, job_id: Any = int
) -> Instance:
    rng = random.Random(seed)
    candidates = [candidate_id(i) for i in range(n)]
    jobs = [job_id(j) for j in range(m)]
    popular = [rng.random() ** 3 for _ in jobs]
    candidate_prefs: dict[Any, list[Any]] = {}
    for c in candidates:
        chosen = rng.choices(jobs, weights=popular, k=12)
        candidate_prefs[c] = list(dict.fromkeys(chosen))[: rng.randint(0, 10)]
    listed: dict[Any, list[Any]] = {j: [] for j in jobs}
    for c, prefs in candidate_prefs.items():
        for j in prefs:
            if rng.random() < 0.9:
                listed[j].append(c)
    job_prefs = {j: rng.sample(cs, len(cs)) for j, cs in listed.items()}
    capacities = {j: rng.randint(0, 6) for j in jobs}
    return candidate_prefs, job_prefs, capacities


@pytest.mark.parametrize(
    ("candidate_id", "job_id"),
    [
        (int, int),  # dense whole numbers: looked up in a table
        (lambda i: i * 10**12 + 7, lambda j: -j * 10**15),  # sparse: looked up by sorting
        (lambda i: f"C-{i:05d}", lambda j: f"JO-{j:04d}"),  # text
    ],
)
@pytest.mark.parametrize("sequential_below", [0, 256])
def test_larger_instances_equal_textbook_deferred_acceptance(
    candidate_id: Any, job_id: Any, sequential_below: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matching_module, "SEQUENTIAL_BELOW", sequential_below)
    instance = random_instance(3_000, 150, seed=7, candidate_id=candidate_id, job_id=job_id)
    result = stable_match(*instance)
    assert dict(result) == deferred_acceptance(instance)
    assert not blocking_pairs(instance, result)
    assert len(result) > 300


def test_it_takes_long_rejection_chains_without_recursion() -> None:
    """Everyone wants the same job orders in the same order and every job order ranks
    everyone the same way: 400 rounds of rejections, with room for only 50 more frames on
    the stack than the test itself uses."""
    n = 400
    candidate_prefs = {c: list(range(n)) for c in range(n)}
    job_prefs = {j: list(range(n)) for j in range(n)}
    capacities = dict.fromkeys(range(n), 1)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(traceback.extract_stack()) + 50)
    try:
        result = stable_match(candidate_prefs, job_prefs, capacities)
    finally:
        sys.setrecursionlimit(limit)
    assert dict(result) == {c: c for c in range(n)}


# --- The `matching` library, where installed -------------------------------------------------


@settings(deadline=None, max_examples=150)
@given(instances())
def test_it_equals_the_matching_library_resident_optimal(instance: Instance) -> None:
    library = pytest.importorskip("matching.games")
    candidate_prefs, job_prefs, capacities = instance
    # The library wants lists that are mutual, non-empty and capacities of at least 1.
    open_jobs = {j for j, slots in capacities.items() if slots > 0}
    residents = {
        c: [j for j in prefs if j in open_jobs and acceptable(instance, c, j)]
        for c, prefs in candidate_prefs.items()
    }
    residents = {c: prefs for c, prefs in residents.items() if prefs}
    hospitals = {
        j: [c for c in job_prefs.get(j, []) if c in residents and j in residents[c]]
        for j in open_jobs
    }
    hospitals = {j: prefs for j, prefs in hospitals.items() if prefs}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing of ours may be cleaned away silently
        game = library.HospitalResident.create_from_dictionaries(
            residents, hospitals, {j: capacities[j] for j in hospitals}
        )
        solved = game.solve(optimal="resident")
    theirs = {r.name: h.name for h, rs in solved.items() for r in rs}
    assert dict(stable_match(*instance)) == theirs


# --- Worked examples ------------------------------------------------------------------------


@pytest.fixture
def small() -> Matching[int, str]:
    """Ani (1) and Budi (2) both want Sendai Seiko's one slot most; it ranks Citra (3) first.
    Dewi (4) chose nothing; Eko (5) chose a job order outside this run, then Nagoya Kogyo,
    which did not list him."""
    return stable_match(
        {1: ["SS", "NK"], 2: ["SS"], 3: ["SS", "NK", "OS"], 4: [], 5: ["XX", "NK"]},
        {"SS": [3, 1, 2], "NK": [1, 3], "OS": [3]},
        {"SS": 1, "NK": 1, "OS": 0},
        job_names={"SS": "Sendai Seiko (SS-2027-01)", "NK": "Nagoya Kogyo (NK-2027-01)"},
    )


def test_the_mapping_holds_only_the_matched(small: Matching[int, str]) -> None:
    assert dict(small) == {1: "NK", 3: "SS"}
    assert small == {1: "NK", 3: "SS"}
    assert small[1] == "NK" and 2 not in small and len(small) == 2 and list(small) == [1, 3]
    with pytest.raises(KeyError):
        small[2]
    with pytest.raises(TypeError):
        small[2] = "SS"  # type: ignore[index]
    assert small.candidates == (1, 2, 3, 4, 5)
    assert small.jobs == ("NK", "OS", "SS")
    assert small.filled("SS") == (3,) and small.filled("OS") == ()
    with pytest.raises(KeyError):
        small.filled("XX")
    assert small.choice(1) == 2 and small.choice(2) is None
    assert repr(small) == "<Matching: 2 of 5 candidates matched>"


def test_explanations_in_english(small: Matching[int, str]) -> None:
    assert [small.explain(c, "en") for c in small.candidates] == [
        "Matched to Nagoya Kogyo (NK-2027-01), your 2nd choice; not matched to Sendai Seiko "
        "(SS-2027-01), your 1st choice: its only slot went to a candidate it ranked higher",
        "Not matched to Sendai Seiko (SS-2027-01), your 1st choice: its only slot went to a "
        "candidate it ranked higher",
        "Matched to Sendai Seiko (SS-2027-01), your 1st choice",
        "Not matched: you listed no job orders",
        "Not matched to XX, your 1st choice: it is not part of this matching; not matched to "
        "Nagoya Kogyo (NK-2027-01), your 2nd choice: it did not list you",
    ]


def test_explanations_in_indonesian(small: Matching[int, str]) -> None:
    assert small.explanations("id") == [
        "Ditempatkan di Nagoya Kogyo (NK-2027-01), pilihan ke-2 Anda; tidak ditempatkan di "
        "Sendai Seiko (SS-2027-01), pilihan pertama Anda: satu-satunya slotnya terisi oleh "
        "kandidat yang diperingkat lebih tinggi",
        "Tidak ditempatkan di Sendai Seiko (SS-2027-01), pilihan pertama Anda: satu-satunya "
        "slotnya terisi oleh kandidat yang diperingkat lebih tinggi",
        "Ditempatkan di Sendai Seiko (SS-2027-01), pilihan pertama Anda",
        "Tidak ditempatkan: Anda tidak memilih job order apa pun",
        "Tidak ditempatkan di XX, pilihan pertama Anda: job order ini tidak termasuk dalam "
        "pencocokan ini; tidak ditempatkan di Nagoya Kogyo (NK-2027-01), pilihan ke-2 Anda: "
        "job order ini tidak mencantumkan Anda",
    ]


def test_why_not_any_job_order(small: Matching[int, str]) -> None:
    assert small.why_not(1, "SS") == JobReason(job="SS", choice=1, why=Why.FILLED, slots=1)
    assert small.why_not(1, "NK") is None
    assert small.why_not(1, "OS") == JobReason(job="OS", choice=None, why=Why.NOT_CHOSEN, slots=0)
    assert small.why_not(3, "NK") == JobReason(job="NK", choice=2, why=Why.BELOW_MATCH, slots=1)
    assert small.explain_job(3, "NK", "en") == (
        "Not matched to Nagoya Kogyo (NK-2027-01), your 2nd choice: you ranked it below "
        "Sendai Seiko (SS-2027-01), your match"
    )
    assert small.explain_job(3, "NK", "id") == (
        "Tidak ditempatkan di Nagoya Kogyo (NK-2027-01), pilihan ke-2 Anda: Anda "
        "menempatkannya di bawah Sendai Seiko (SS-2027-01), tempat Anda ditempatkan"
    )
    assert (
        small.explain_job(2, "NK", "en")
        == "Not matched to Nagoya Kogyo (NK-2027-01): you did not list it"
    )
    assert small.explain_job(2, "NK", "id") == (
        "Tidak ditempatkan di Nagoya Kogyo (NK-2027-01): Anda tidak memilihnya"
    )
    assert (
        small.explain_job(1, "NK", "en") == "Matched to Nagoya Kogyo (NK-2027-01), your 2nd choice"
    )
    assert small.explain_job(3, "OS", "en") == (
        "Not matched to OS, your 3rd choice: you ranked it below Sendai Seiko (SS-2027-01), "
        "your match"
    )
    with pytest.raises(KeyError):
        small.why_not(6, "SS")


def test_reasons_and_statistics(small: Matching[int, str]) -> None:
    assert small.reason(5) == Reason(
        candidate=5,
        job=None,
        choice=None,
        listed=2,
        not_matched=(
            JobReason(job="XX", choice=1, why=Why.NOT_OPEN, slots=0),
            JobReason(job="NK", choice=2, why=Why.NOT_LISTED, slots=1),
        ),
        unmatched=Unmatched.NO_ACCEPTABLE,
    )
    assert small.reason(2).unmatched == Unmatched.OUTRANKED
    assert small.reason(4).unmatched == Unmatched.NO_CHOICES
    stats = small.statistics()
    assert (stats.candidates, stats.matched, stats.unmatched, stats.at_first_choice) == (5, 2, 3, 1)
    assert dict(stats.by_choice) == {1: 1, 2: 1}
    assert dict(stats.unmatched_by_reason) == {
        Unmatched.NO_CHOICES: 1,
        Unmatched.NO_ACCEPTABLE: 1,
        Unmatched.OUTRANKED: 1,
    }
    assert (stats.job_orders, stats.job_orders_full, stats.slots, stats.slots_filled) == (
        3,
        2,
        2,
        2,
    )


def test_a_job_order_with_no_slots_says_so() -> None:
    result = stable_match({1: ["A"]}, {"A": [1]}, {"A": 0})
    assert result.explain(1, "en") == "Not matched to A, your 1st choice: it has no slots"
    assert result.explain(1, "id") == (
        "Tidak ditempatkan di A, pilihan pertama Anda: job order ini tidak memiliki slot"
    )
    assert result.reason(1).unmatched == Unmatched.NO_ACCEPTABLE


def test_numbers_are_written_as_in_the_ranking() -> None:
    """1,200 slots taken by 1,200 higher-ranked candidates: thousands separated by a comma
    in English and a full stop in Indonesian."""
    n = 1_201
    result = stable_match(
        {c: ["A", "B"] for c in range(1, n + 1)},
        {"A": list(range(1, n + 1)), "B": list(range(1, n + 1))},
        {"A": 1_200, "B": 1},
    )
    assert result.explain(n, "en") == (
        "Matched to B, your 2nd choice; not matched to A, your 1st choice: its 1,200 slots "
        "went to candidates it ranked higher"
    )
    assert result.explain(n, "id") == (
        "Ditempatkan di B, pilihan ke-2 Anda; tidak ditempatkan di A, pilihan pertama Anda: "
        "semua 1.200 slotnya terisi oleh kandidat yang diperingkat lebih tinggi"
    )
    assert result.explanations("en")[-1] == result.explain(n, "en")


def test_ordinals() -> None:
    places = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 1_001]
    assert [ordinal(p, "en") for p in places] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st",
        "111th", "1,001st",
    ]  # fmt: skip
    assert [ordinal(p, "id") for p in (1, 2, 10, 1_001)] == ["pertama", "ke-2", "ke-10", "ke-1.001"]


def test_an_unknown_language_is_refused(small: Matching[int, str]) -> None:
    with pytest.raises(ValueError, match="language"):
        small.explain(1, "ja")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="language"):
        small.explanations("ja")  # type: ignore[arg-type]


def test_empty_inputs_match_nobody() -> None:
    result = stable_match({}, {}, {})
    assert dict(result) == {} and result.explanations("en") == []
    assert result.statistics().candidates == 0
    nobody_open = stable_match({1: ["A"]}, {"A": [1]}, {})
    assert nobody_open.explain(1, "en") == (
        "Not matched to A, your 1st choice: it is not part of this matching"
    )


# --- Refused inputs -------------------------------------------------------------------------


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(InvalidInput) as refused:
        stable_match(
            {1: ["A", "B", "A"], 2: "AB", 3: ["B"]},  # type: ignore[dict-item]
            {"A": [1, 3, 1], "B": [2]},
            {"A": -1, "B": True, "C": 1.5},  # type: ignore[dict-item]
        )
    assert refused.value.problems == (
        "Candidate 2: the job orders must be a list, not str.",
        "Job order 'A': slots must be a whole number from 0 to 2,147,483,647.",
        "Job order 'B': slots must be a whole number from 0 to 2,147,483,647.",
        "Job order 'C': slots must be a whole number from 0 to 2,147,483,647.",
    )
    with pytest.raises(InvalidInput) as refused:
        stable_match({1: ["A", "B", "A"], 3: ["B", "B"]}, {"A": [1, 3, 1], "B": [2]}, {"A": 1})
    assert refused.value.problems == (
        "Candidate 1 lists job order 'A' more than once.",
        "Candidate 3 lists job order 'B' more than once.",
        "Job order 'A' lists candidate 1 more than once.",
    )
    assert str(refused.value).startswith("Cannot match: Candidate 1 lists job order 'A'")


def test_ids_that_cannot_be_put_in_order_are_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        stable_match({1: ["A"], "two": ["A"]}, {"A": [1]}, {"A": 1, 2: 1})
    assert refused.value.problems == (
        "Candidate ids must all be whole numbers or all text.",
        "Job order ids must all be whole numbers or all text.",
    )


def test_entries_that_cannot_be_ids_are_refused() -> None:
    with pytest.raises(InvalidInput, match="Candidate 1 lists something that is not an id"):
        stable_match({1: [["A"]]}, {"A": [1]}, {"A": 1})  # type: ignore[list-item]


def test_numbers_as_text_or_fractions_are_not_whole_number_ids() -> None:
    """numpy would read "2" and 2.5 as 2; here they are other ids, not job order 2."""
    result = stable_match({1: ["2", 2.5, 2]}, {2: [1]}, {2: 1})
    assert dict(result) == {1: 2}
    reasons: Sequence[JobReason[Any]] = result.reason(1).not_matched
    assert [(r.job, r.why) for r in reasons] == [("2", Why.NOT_OPEN), (2.5, Why.NOT_OPEN)]
