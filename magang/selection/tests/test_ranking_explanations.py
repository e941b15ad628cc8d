"""``RankingResult.explanations`` (every row at once, for the service) says exactly what
``explain`` says one application at a time, and ``placement_columns`` what ``placement``
says."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from magang.selection.ranking import (
    Applications,
    Measure,
    RankingResult,
    RankingRules,
    Stage,
    StagePlan,
    rank,
)
from magang.selection.tests.test_ranking import NAMES, PLAN, Round, rounds

# Unit names are data: braces in them must come out as written.
ODD_NAMES = {"32": "Jawa {Barat}", "33": "{0} {name}", "94": ""}


def assert_same_texts(result: RankingResult) -> None:
    ids = result.applications.ids.tolist()
    for language in ("id", "en"):
        bulk = result.explanations(language)
        assert len(bulk) == len(ids)
        for application_id, text in zip(ids, bulk, strict=True):
            assert text == result.explain(application_id, language)


def assert_same_columns(result: RankingResult) -> None:
    columns = result.placement_columns()
    for row, application_id in enumerate(result.applications.ids.tolist()):
        p = result.placement(application_id)
        assert columns["application_id"][row] == p.application_id
        assert columns["unit"][row] == p.unit
        assert columns["outcome"][row] == p.outcome.value
        assert type(columns["outcome"][row]) is str
        assert columns["eliminated_at"][row] == p.eliminated_at
        assert columns["no_result"][row] is p.no_result
        assert columns["total"][row] == p.total
        assert columns["rank_in_unit"][row] == p.rank_in_unit
        assert columns["reserve_number"][row] == p.reserve_number
        assert columns["pool_rank"][row] == p.pool_rank


@settings(deadline=None, max_examples=300)
@given(rounds(), st.sampled_from([NAMES, ODD_NAMES, {}]))
def test_it_explains_every_row_at_once_as_it_explains_each(
    case: Round, names: dict[str, str]
) -> None:
    records, units, rules = case
    result = rank(
        applications=Applications.from_records(records, plan=PLAN),
        plan=PLAN,
        units=units,
        rules=rules,
        unit_names=names,
        allow_incomplete=True,
    )
    assert_same_texts(result)
    assert_same_columns(result)


# A plan with what the usual one lacks: a score range below zero (so -0.0 and 0.0 both
# occur), measures without a unit and for a third sex, and a weighted stage that does not
# eliminate with a minimum above zero.
DELTA = Stage.score(
    "delta",
    name_en="balance test",
    name_id="tes keseimbangan",
    min_score=-5,
    max_score=5,
    pass_mark=0.25,
    weight=0.5,
)
BODY = Stage.measure(
    "body",
    name_en="body check",
    name_id="pemeriksaan fisik",
    measures=(
        Measure(
            key="height",
            name_en="height",
            name_id="tinggi badan",
            better="higher",
            limits={"M": 158, "F": 150, "X": 154.5},
            unit="cm",
        ),
        Measure(
            key="grip",
            name_en="grip",
            name_id="genggaman",
            better="higher",
            limits={"M": 30, "F": 20, "X": 25},
        ),
        Measure(
            key="pulse",
            name_en="resting pulse",
            name_id="denyut istirahat",
            better="lower",
            limits={"M": 90, "F": 95, "X": 92.5},
            unit="bpm",
        ),
    ),
)
ESSAY = Stage.score(
    "essay",
    name_en="essay",
    name_id="esai",
    min_score=10,
    max_score=60,
    weight=3,
    eliminating=False,
)
WIDE = StagePlan((DELTA, BODY, ESSAY))


def wide_round(n: int, rules: RankingRules, units: dict[str, int]) -> RankingResult:
    """``n`` applications from arithmetic: every value repeats, some results are missing."""
    i = np.arange(n)
    deltas = np.array([-0.0, 0.0, 0.5, 2.25, -3.0, 5.0, 1e-7, 4.95])
    return rank(
        applications=Applications.from_columns(
            ids=(i * 7919) % 1_000_003 + 1,
            units=np.array(["32", "33", "94", "33", "32"])[i % 5],
            sexes=np.array(["M", "F", "X"])[i % 3],
            registered_at=i % 11,
            registration_numbers=[f"R{(k * 31) % n:07d}" for k in range(n)],
            results={
                "delta": deltas[i % 8],
                "body.height": np.where(i % 37 == 0, np.nan, 140 + (i * 3) % 40 + 0.5 * (i % 2)),
                "body.grip": 15 + (i * 5) % 30,
                "body.pulse": 60 + (i * 11) % 45,
                "essay": np.where(i % 5 == 0, np.nan, 10 + (i * 13) % 51),
            },
        ),
        plan=WIDE,
        units=units,
        rules=rules,
        unit_names={"32": "Jawa Barat", "33": "Jawa Tengah"},
        allow_incomplete=True,
    )


@pytest.mark.parametrize(
    ("redistribution", "units"),
    [
        ("none", {"32": 1, "33": 600, "94": 0}),
        ("proportional", {"32": 3, "33": 300, "94": 900}),
        ("national_pool", {"32": 1, "33": 300, "94": 900}),
    ],
)
def test_it_explains_every_row_at_once_as_it_explains_each_on_a_wide_plan(
    redistribution: Any, units: dict[str, int]
) -> None:
    rules = RankingRules(
        tie_break_stages=("delta",), reserves_per_unit=600, redistribution=redistribution
    )
    result = wide_round(12_000, rules, units)
    counts = result.counts()
    assert all(counts.values()), counts  # every outcome occurs
    assert int(result.rank_in_unit.max()) > 1_000  # thousands separators
    assert_same_texts(result)
    assert_same_columns(result)
    texts = set(result.explanations("id"))
    assert "Gugur pada tahap tes keseimbangan: nilai -0 di bawah batas lulus 0,25" in texts
    assert "Gugur pada tahap tes keseimbangan: nilai 0 di bawah batas lulus 0,25" in texts


def test_it_explains_an_empty_round_at_once() -> None:
    result = wide_round(0, RankingRules(), {"32": 1})
    assert result.explanations("en") == []
    assert result.placement_columns()["outcome"] == []


def test_it_refuses_an_unknown_language_at_once_too() -> None:
    result = wide_round(3, RankingRules(), {"32": 1, "33": 1, "94": 1})
    with pytest.raises(ValueError, match="language"):
        result.explanations("ja")  # type: ignore[arg-type]
