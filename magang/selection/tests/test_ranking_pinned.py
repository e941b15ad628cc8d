"""Pinned outputs of the pure ranking: the input digest, the result digest and every
explanation of a fixed round, under each redistribution rule. They may change only together
with ``RULES_VERSION``: a run published today must be reproducible, to the digest, later."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from magang.selection.ranking import (
    RULES_VERSION,
    Applications,
    Measure,
    RankingResult,
    RankingRules,
    Stage,
    StagePlan,
    rank,
)

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
            ),
        ),
        Stage.score("interview", name_en="interview", name_id="wawancara", pass_mark=60, weight=2),
        Stage.score(
            "psych",
            name_en="psychological test",
            name_id="tes psikologi",
            min_score=10,
            pass_mark=50,
            weight=1.5,
            eliminating=False,
        ),
        Stage.gate("passport", name_en="passport", name_id="paspor", eliminating=False),
    )
)
UNITS = {"32": 9, "33": 4, "94": 6}
NAMES = {"32": "Jawa Barat", "33": "Jawa Tengah", "94": "Papua"}


def fixed_round() -> Applications:
    """120 applications from arithmetic alone (no random generator whose stream could change
    between library versions): every kind of elimination, missing results, equal totals,
    equal registration times and a unit with fewer qualified than seats."""
    records: list[dict[str, Any]] = []
    for i in range(120):
        id_ = 1_000 + (i * 37) % 120 * 11
        results: dict[str, Any] = {
            "admin": None if i % 41 == 40 else i % 23 != 5,
            "maths": [16, 14, 20, 12, 18, 15.5][i % 6],
            "endurance": {
                "run": [800, 640, 901, 659.5, 700][i % 5],
                "push_ups": None if i % 53 == 7 else [40, 36, 21, 19, 35][i % 5 - 1],
            },
            "interview": None if i % 47 == 3 else [70, 80.25, 60, 59.5, 95, 70][i % 6 - 2],
            "psych": None if i % 9 == 4 else [60, 10, 100, 33.3][i % 4],
            "passport": [True, False, None][i % 3],
        }
        records.append(
            {
                "id": id_,
                "unit": ("32", "33", "33", "32", "94")[i % 5] if i % 17 else "94",
                "sex": "F" if i % 4 == 1 else "M",
                "registered_at": 1_767_225_600_000_000 + (i % 7) * 1_000_000,
                "registration_number": f"2026-{(i * 13) % 120:06d}",
                "results": results,
            }
        )
    return Applications.from_records(records, plan=PLAN)


def explanations_digest(result: RankingResult) -> str:
    hasher = hashlib.sha256()
    for application_id in result.applications.sorted_ids.tolist():
        for language in ("id", "en"):
            hasher.update(result.explain(application_id, language).encode())
            hasher.update(b"\n")
    return hasher.hexdigest()


INPUT_DIGESTS = {
    "none": "a5649199029cb1c7dc38df01dcdbcdd009d6fdf13bce3756226d9a1e4dd29fbb",
    "proportional": "58f6a25d8f2c693cdaa54a6aa07ca8e2eef92c1ebf835a8d52290c908090923a",
    "national_pool": "6fac65b0dcf0f3e171abb15b8f39f4ec6939c017b91f1843cd4b393c9a598d62",
}
RESULT_DIGESTS = {
    "none": "52724120447f5aa02a23c5ba624c8dbcfe8205e6ee99ac14818ec55730da04a6",
    "proportional": "afcfde23905435666b26eef735c2fb70805e272362232bcf56d176bd98dcf0ea",
    "national_pool": "b4cf2a37a65750a6e4369623fb5f5acbfb7ec08a794c26bf389de5efc1af95a3",
}
EXPLANATION_DIGESTS = {
    "none": "2d1ea9f8d326d8807eb6fc8290a75957be263f9fbbfc0614d7275ba5ad9babdb",
    "proportional": "c2342c9e43d5e0f2560ab7c3ea8c51dd56cdaf56934477f8f3933e56e55341a6",
    "national_pool": "3007c7e64ac56bd7952eef2f3f6831672bdb77a2c626607f1afda9a475c0a2c8",
}


@pytest.mark.parametrize("redistribution", ["none", "proportional", "national_pool"])
def test_it_keeps_the_digests_and_explanations_of_a_fixed_round(redistribution: Any) -> None:
    rules = RankingRules(
        tie_break_stages=("interview", "maths"), reserves_per_unit=2, redistribution=redistribution
    )
    result = rank(
        applications=fixed_round(),
        plan=PLAN,
        units=UNITS,
        rules=rules,
        unit_names=NAMES,
        allow_incomplete=True,
    )
    assert RULES_VERSION == "ranking-1"
    assert result.input_digest == INPUT_DIGESTS[redistribution]
    assert result.digest() == RESULT_DIGESTS[redistribution]
    assert explanations_digest(result) == EXPLANATION_DIGESTS[redistribution]
