"""What a round is ranked by: its stage plan (``Stage``, ``Measure``, ``StagePlan``), the
rules besides the plan (``RankingRules``), the version of the published rules, and the
errors that refuse inputs. Part of ``ranking`` (which re-exports all of it); pure: numpy
and the standard library, no Django.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray

# Names the rules published in ranking.py's docstring and how the digests encode a run.
# Change it whenever a rule or a digest's encoding changes, in any ranking_* module.
RULES_VERSION = "ranking-1"

StageKind: TypeAlias = Literal["gate", "score", "measure"]
Better: TypeAlias = Literal["lower", "higher"]
Redistribution: TypeAlias = Literal["none", "proportional", "national_pool"]

Floats: TypeAlias = NDArray[np.float64]
Ints: TypeAlias = NDArray[np.int64]
Codes: TypeAlias = NDArray[np.int32]
Rows: TypeAlias = NDArray[np.intp]

_KINDS = ("gate", "score", "measure")
_REDISTRIBUTIONS = ("none", "proportional", "national_pool")


class InvalidInput(ValueError):
    """Inputs that cannot be ranked; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("Cannot rank: " + " ".join(self.problems))


class IncompleteResults(ValueError):
    """Some applications still lack a result the ranking needs (rule 2).

    ``missing`` counts them by stage key in plan order; ``examples`` holds up to five of
    their application ids (the lowest).
    """

    def __init__(self, missing: Mapping[str, int], examples: Sequence[int]) -> None:
        self.missing = MappingProxyType(dict(missing))
        self.count = sum(self.missing.values())
        self.examples = tuple(examples)
        stages = ", ".join(f"{key} {count:,}" for key, count in self.missing.items())
        shown = ", ".join(map(str, self.examples))
        super().__init__(
            f"{self.count:,} application(s) lack a result the ranking needs ({stages}), "
            f"e.g. application(s) {shown}. Record the results, or rank with "
            "allow_incomplete=True to count a missing result as failing its stage."
        )


def _key_problems(key: object, what: str) -> list[str]:
    if not isinstance(key, str) or not key or "." in key or key != key.strip():
        return [f"A {what} key must be non-empty text without dots or outer spaces: {key!r}."]
    return []


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _canonical_json(value: object) -> str:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


# --- The plan --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Measure:
    """One measurement of a measure stage, e.g. the 3 km run in seconds. ``limits`` holds,
    per sex ("M", "F"), the worst value that still passes. Names are used mid-sentence
    ("push-ups", "lari 3 km")."""

    key: str
    name_en: str
    name_id: str
    better: Better
    limits: Mapping[str, float]
    unit: str = ""

    def __post_init__(self) -> None:
        limits = dict(self.limits)
        object.__setattr__(self, "limits", MappingProxyType(limits))
        problems = _key_problems(self.key, "measure")
        if self.better not in ("lower", "higher"):
            problems.append(f"Measure '{self.key}': better must be 'lower' or 'higher'.")
        if not limits:
            problems.append(f"Measure '{self.key}' has no limit for any sex.")
        for sex, limit in limits.items():
            if not isinstance(sex, str) or not _is_number(limit) or not math.isfinite(limit):
                problems.append(f"Measure '{self.key}': limit {sex!r}: {limit!r} is not valid.")
        if problems:
            raise InvalidInput(problems)

    def __hash__(self) -> int:
        return hash(_canonical_json(self.to_dict()))

    def passes(self, value: float, sex: str) -> bool:
        limit = self.limits[sex]
        return value <= limit if self.better == "lower" else value >= limit

    def to_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "name_en": self.name_en,
            "name_id": self.name_id,
            "better": self.better,
            "limits": {sex: float(v) for sex, v in sorted(self.limits.items())},
            "unit": self.unit,
        }


@dataclass(frozen=True, kw_only=True)
class Stage:
    """One selection stage. Build with ``Stage.gate``, ``Stage.score`` or ``Stage.measure``.

    Names are used mid-sentence ("maths test", "tes matematika"). ``min_score``,
    ``max_score``, ``pass_mark`` and ``weight`` apply to score stages only, ``measures`` to
    measure stages only.
    """

    key: str
    name_en: str
    name_id: str
    kind: StageKind
    eliminating: bool = True
    min_score: float = 0.0
    max_score: float = 100.0
    pass_mark: float | None = None
    weight: float = 0.0
    measures: tuple[Measure, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "measures", tuple(self.measures))
        problems = _stage_problems(self)
        if problems:
            raise InvalidInput(problems)

    @classmethod
    def gate(cls, key: str, *, name_en: str, name_id: str, eliminating: bool = True) -> Stage:
        return cls(key=key, name_en=name_en, name_id=name_id, kind="gate", eliminating=eliminating)

    @classmethod
    def score(
        cls,
        key: str,
        *,
        name_en: str,
        name_id: str,
        min_score: float = 0.0,
        max_score: float = 100.0,
        pass_mark: float | None = None,
        weight: float = 0.0,
        eliminating: bool = True,
    ) -> Stage:
        return cls(
            key=key,
            name_en=name_en,
            name_id=name_id,
            kind="score",
            eliminating=eliminating,
            min_score=min_score,
            max_score=max_score,
            pass_mark=pass_mark,
            weight=weight,
        )

    @classmethod
    def measure(
        cls,
        key: str,
        *,
        name_en: str,
        name_id: str,
        measures: Sequence[Measure],
        eliminating: bool = True,
    ) -> Stage:
        return cls(
            key=key,
            name_en=name_en,
            name_id=name_id,
            kind="measure",
            eliminating=eliminating,
            measures=tuple(measures),
        )

    def columns(self) -> tuple[str, ...]:
        """The result columns this stage reads: its key, or ``key.measure`` per measure."""
        if self.kind == "measure":
            return tuple(f"{self.key}.{m.key}" for m in self.measures)
        return (self.key,)

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "key": self.key,
            "name_en": self.name_en,
            "name_id": self.name_id,
            "kind": self.kind,
            "eliminating": self.eliminating,
        }
        if self.kind == "score":
            data.update(
                min_score=float(self.min_score),
                max_score=float(self.max_score),
                pass_mark=None if self.pass_mark is None else float(self.pass_mark),
                weight=float(self.weight),
            )
        if self.kind == "measure":
            data["measures"] = [m.to_dict() for m in self.measures]
        return data


def _stage_problems(stage: Stage) -> list[str]:
    problems = _key_problems(stage.key, "stage")
    where = f"Stage '{stage.key}'"
    if not stage.name_en or not stage.name_id:
        problems.append(f"{where} needs a name in English and in Indonesian.")
    if stage.kind not in _KINDS:
        return [*problems, f"{where}: kind must be one of {', '.join(_KINDS)}."]
    values = (stage.min_score, stage.max_score, stage.weight)
    if not all(_is_number(n) and math.isfinite(n) for n in values):
        return [*problems, f"{where}: min_score, max_score and weight must be finite numbers."]
    if stage.kind == "score":
        if stage.min_score >= stage.max_score:
            problems.append(f"{where}: min_score must be below max_score.")
        if stage.pass_mark is not None and not (
            _is_number(stage.pass_mark) and stage.min_score <= stage.pass_mark <= stage.max_score
        ):
            problems.append(f"{where}: the pass mark must lie within the score range.")
        if stage.weight < 0:
            problems.append(f"{where}: the weight cannot be negative.")
    elif stage.weight or stage.pass_mark is not None:
        problems.append(f"{where}: only score stages have a weight or a pass mark.")
    if stage.kind == "measure":
        keys = [m.key for m in stage.measures]
        if not keys:
            problems.append(f"{where} has no measures.")
        if len(set(keys)) != len(keys):
            problems.append(f"{where}: measure keys repeat.")
    elif stage.measures:
        problems.append(f"{where}: only measure stages have measures.")
    return problems


@dataclass(frozen=True)
class StagePlan:
    """The ordered stages of one round."""

    stages: tuple[Stage, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "stages", tuple(self.stages))
        keys = [s.key for s in self.stages]
        if not keys:
            raise InvalidInput(["A stage plan needs at least one stage."])
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise InvalidInput([f"Stage keys repeat: {', '.join(repeated)}."])

    def stage(self, key: str) -> Stage:
        for stage in self.stages:
            if stage.key == key:
                return stage
        raise KeyError(key)

    def columns(self) -> tuple[str, ...]:
        """Every result column ``Applications.results`` must hold, in plan order."""
        return tuple(column for stage in self.stages for column in stage.columns())

    def to_dict(self) -> dict[str, object]:
        return {"stages": [stage.to_dict() for stage in self.stages]}


@dataclass(frozen=True, kw_only=True)
class RankingRules:
    """Published rules of a ranking run besides the plan: the tie-break stages (score stages,
    higher first, before registration time and number), the reserves kept per unit, and what
    happens to seats a unit cannot fill (see rule 6 in the module docstring)."""

    tie_break_stages: tuple[str, ...] = ()
    reserves_per_unit: int = 0
    redistribution: Redistribution = "none"

    def __post_init__(self) -> None:
        object.__setattr__(self, "tie_break_stages", tuple(self.tie_break_stages))
        problems = []
        reserves = self.reserves_per_unit
        if not isinstance(reserves, int) or isinstance(reserves, bool) or reserves < 0:
            problems.append("reserves_per_unit must be a whole number of at least 0.")
        if self.redistribution not in _REDISTRIBUTIONS:
            problems.append(f"redistribution must be one of {', '.join(_REDISTRIBUTIONS)}.")
        if len(set(self.tie_break_stages)) != len(self.tie_break_stages):
            problems.append("tie_break_stages repeat a stage.")
        if problems:
            raise InvalidInput(problems)

    def to_dict(self) -> dict[str, object]:
        return {
            "tie_break_stages": list(self.tie_break_stages),
            "reserves_per_unit": self.reserves_per_unit,
            "redistribution": self.redistribution,
        }
