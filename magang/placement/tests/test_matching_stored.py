"""What a run stores instead of the explanations' text (``Matching.stored_reasons``) and
how it is said again (``explain_stored``): exactly ``explain``'s words, in both languages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings

from magang.placement.matching import Matching, stable_match
from magang.placement.matching_explain import explain_change, explain_stored

from .test_matching import Instance, instances, small  # noqa: F401 - the fixture


def said_again(result: Matching[Any, Any], names: dict[Any, str], language: Any) -> list[str]:
    """Every candidate's explanation said from the stored reasons and columns alone."""
    columns = result.columns()
    return [
        explain_stored(
            json.loads(stored),
            match=None if job is None else names.get(job, str(job)),
            choice=choice,
            names=names,
            language=language,
        )
        for job, choice, stored in zip(
            columns["job"], columns["choice"], result.stored_reasons(), strict=True
        )
    ]


@settings(deadline=None, max_examples=200)
@given(instances())
def test_stored_reasons_say_what_explain_says(instance: Instance) -> None:
    result = stable_match(*instance)
    for language in ("id", "en"):
        assert said_again(result, {}, language) == [
            result.explain(c, language) for c in result.candidates
        ]


@settings(deadline=None, max_examples=100)
@given(instances())
def test_stored_reasons_are_the_reasons_in_short(instance: Instance) -> None:
    result = stable_match(*instance)
    for candidate, stored in zip(result.candidates, result.stored_reasons(), strict=True):
        reason = result.reason(candidate)
        assert json.loads(stored) == [[r.job, r.why.value, r.slots] for r in reason.not_matched]


def test_the_worked_example_stored_and_said_again(small: Matching[int, str]) -> None:  # noqa: F811
    assert small.stored_reasons() == [
        '[["SS","filled",1]]',
        '[["SS","filled",1]]',
        "[]",
        "[]",
        '[["XX","not_open",0],["NK","not_listed",1]]',
    ]
    names = {"SS": "Sendai Seiko (SS-2027-01)", "NK": "Nagoya Kogyo (NK-2027-01)"}
    for language in ("id", "en"):
        assert said_again(small, names, language) == small.explanations(language)


def test_numbers_and_ids_survive_storing() -> None:
    n = 1_201
    result = stable_match(
        {c: [10, 20] for c in range(1, n + 1)},
        {10: list(range(1, n + 1)), 20: list(range(1, n + 1))},
        {10: 1_200, 20: 1},
        job_names={10: "A", 20: "B"},
    )
    assert result.stored_reasons()[-1] == '[[10,"filled",1200]]'
    assert said_again(result, {10: "A", 20: "B"}, "en")[-1] == result.explain(n, "en")
    assert said_again(result, {10: "A", 20: "B"}, "id")[-1] == result.explain(n, "id")
    assert stable_match({}, {}, {}).stored_reasons() == []


def test_a_change_by_the_committee_is_said_in_both_languages() -> None:
    assert explain_change("SS-2027-01", "Next in line", "en") == (
        "Changed by the committee to SS-2027-01: Next in line"
    )
    assert explain_change(None, "Withdrew consent", "id") == (
        "Diubah oleh komite ke -: Withdrew consent"
    )


def test_an_unknown_language_or_reason_is_refused() -> None:
    with pytest.raises(ValueError, match="language"):
        explain_stored([], match=None, choice=None, names={}, language="ja")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="gone"):
        explain_stored([["A", "gone", 1]], match=None, choice=None, names={}, language="en")
