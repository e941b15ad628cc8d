"""Ranking one selection round: who is eliminated where, who is selected, who is a reserve,
and a one-line reason for each in Indonesian and English.

Pure: numpy and the standard library, no Django. The service loads a round's rows into an
``Applications`` table (one column per field or stage result, one entry per application),
calls ``rank`` and writes back what the ``RankingResult`` says. The same inputs in any order
give the same result and the same digests. The rules below are the published ones;
``RULES_VERSION`` names this text and changes whenever a rule does.

1. Stages are taken in plan order. An application is eliminated at the *first* eliminating
   stage it fails. A gate is passed (1) or failed (0). A score passes at or above its pass
   mark (a stage without a pass mark cannot be failed). A measure stage passes when every
   measurement meets the limit for the applicant's sex: at most the limit when lower is
   better (a run time), at least the limit when higher is better (push-ups). Failing a stage
   that does not eliminate changes nothing but the record.
2. A result is needed for each eliminating stage up to the one that eliminates (later ones may
   be missing), and for each weighted score stage of those who are not eliminated. A missing
   needed result makes the run incomplete: ``rank`` refuses it with ``IncompleteResults``
   (counts by stage) unless ``allow_incomplete=True``, which treats a missing eliminating
   result as failing that stage ("no result") and a missing weighted score of a stage that
   does not eliminate as the stage's minimum (the explanation says so).
3. The total of an application that is not eliminated is the weighted mean of its score
   stages, each scaled to 0..100 over the stage's range: the sum over stages with weight
   w > 0 of ``(w * 100 / (W * (max - min))) * (score - min)``, in plan order, where W is the
   sum of the weights (0 for everyone when no stage has a weight). It is kept at full
   precision; explanations show it rounded half up to one decimal.
4. Applications are ordered by total (higher first), then by each tie-break stage's score in
   the rules' order (higher first; no result comes last), then by earlier registration, then
   by registration number (ascending text), then by application id. No ties remain.
5. In each quota unit, in that order, the first ``seats`` are selected, the next
   ``reserves_per_unit`` are reserves (numbered from 1), the rest are not selected.
6. Seats a unit cannot fill (fewer qualified than seats) are handled by the rules'
   ``redistribution``: ``"none"`` leaves them empty; ``"proportional"`` adds them to the units
   that still have unselected qualified applications, in proportion to how many each has
   (largest remainder; an equal remainder favours the unit with more remaining, then the
   lower unit key); ``"national_pool"`` gives them to the best remaining applications of all
   units, ordered by rule 4. Reserves are numbered after redistribution.
"""

from __future__ import annotations

import hashlib
import json
import math
import numbers
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import Any, Literal, TypeAlias, TypedDict

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "RULES_VERSION",
    "ApplicationRecord",
    "Applications",
    "IncompleteResults",
    "InvalidInput",
    "Measure",
    "Outcome",
    "Placement",
    "RankingResult",
    "RankingRules",
    "Stage",
    "StagePlan",
    "UnitSummary",
    "digest",
    "rank",
]

RULES_VERSION = "ranking-1"

StageKind: TypeAlias = Literal["gate", "score", "measure"]
Better: TypeAlias = Literal["lower", "higher"]
Redistribution: TypeAlias = Literal["none", "proportional", "national_pool"]
Language: TypeAlias = Literal["id", "en"]
ResultValue: TypeAlias = "bool | float | Mapping[str, float | None] | None"

Floats: TypeAlias = NDArray[np.float64]
Ints: TypeAlias = NDArray[np.int64]
Codes: TypeAlias = NDArray[np.int32]
Rows: TypeAlias = NDArray[np.intp]

_KINDS = ("gate", "score", "measure")
_REDISTRIBUTIONS = ("none", "proportional", "national_pool")
_MAX_UNITS = 32_767  # unit codes are sorted as int16, which numpy sorts by radix
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SEX_WORDS = {"M": ("men", "laki-laki"), "F": ("women", "perempuan")}


class Outcome(StrEnum):
    SELECTED = "selected"
    RESERVE = "reserve"
    NOT_SELECTED = "not_selected"
    ELIMINATED = "eliminated"


_OUTCOMES = (Outcome.SELECTED, Outcome.RESERVE, Outcome.NOT_SELECTED, Outcome.ELIMINATED)
_SELECTED, _RESERVE, _NOT_SELECTED, _ELIMINATED = range(4)


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


# --- The applications --------------------------------------------------------------------


class ApplicationRecord(TypedDict):
    """One application as a record, for ``Applications.from_records``.

    ``results`` maps a stage key to True/False (gate), a number (score) or a mapping of
    measure key to number (measure); a missing key or None means no result yet.
    ``registered_at`` is microseconds since 1970-01-01 UTC or a timezone-aware datetime.
    """

    id: int
    unit: str
    sex: str
    registered_at: int | datetime
    registration_number: str
    results: Mapping[str, ResultValue]


def _frozen(values: ArrayLike, dtype: type[Any]) -> NDArray[Any]:
    array = np.array(values, dtype=dtype)  # a copy, so callers cannot change it afterwards
    if array.ndim != 1:
        raise InvalidInput(["Every application column must be one-dimensional."])
    array.flags.writeable = False
    return array


def _categories(values: Sequence[str] | NDArray[Any]) -> tuple[tuple[str, ...], Codes]:
    items = values.tolist() if isinstance(values, np.ndarray) else list(values)
    if not all(isinstance(v, str) for v in items):
        raise InvalidInput(["Units and sexes must be text."])
    keys = tuple(sorted(set(items)))
    code = {key: i for i, key in enumerate(keys)}
    return keys, np.fromiter(map(code.__getitem__, items), dtype=np.int32, count=len(items))


@dataclass(frozen=True, eq=False)
class Applications:
    """The applications of one round as columns (entry ``i`` of each is application ``i``).

    Build with ``from_columns`` (what a service loading rows uses) or ``from_records``.
    ``unit_keys`` and ``sex_keys`` are the sorted distinct values and ``*_codes`` index them.
    ``results`` holds one float column per ``StagePlan.columns()`` entry: 1.0/0.0 for a gate,
    the score, or the measured value; NaN means no result. Ids must be unique. The columns are
    read-only copies.
    """

    ids: Ints
    unit_keys: tuple[str, ...]
    unit_codes: Codes
    sex_keys: tuple[str, ...]
    sex_codes: Codes
    registered_at: Ints
    registration_numbers: tuple[str, ...]
    results: Mapping[str, Floats]
    by_id: Rows = field(init=False, repr=False)
    sorted_ids: Ints = field(init=False, repr=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "ids", _frozen(self.ids, np.int64))
        set_(self, "unit_codes", _frozen(self.unit_codes, np.int32))
        set_(self, "sex_codes", _frozen(self.sex_codes, np.int32))
        set_(self, "registered_at", _frozen(self.registered_at, np.int64))
        set_(self, "unit_keys", tuple(self.unit_keys))
        set_(self, "sex_keys", tuple(self.sex_keys))
        set_(self, "registration_numbers", tuple(self.registration_numbers))
        set_(
            self,
            "results",
            MappingProxyType({k: _frozen(v, np.float64) for k, v in self.results.items()}),
        )
        n = self.ids.size
        problems = []
        sizes = [
            self.unit_codes.size,
            self.sex_codes.size,
            self.registered_at.size,
            len(self.registration_numbers),
            *(column.size for column in self.results.values()),
        ]
        if any(size != n for size in sizes):
            problems.append(f"Every application column must have {n:,} entries.")
        for name, keys, codes in (
            ("unit", self.unit_keys, self.unit_codes),
            ("sex", self.sex_keys, self.sex_codes),
        ):
            if list(keys) != sorted(set(keys)):
                problems.append(f"The {name} keys must be sorted and distinct.")
            if codes.size and (codes.min() < 0 or codes.max() >= len(keys)):
                problems.append(f"A {name} code points outside the {name} keys.")
        if problems:
            raise InvalidInput(problems)
        by_id = np.argsort(self.ids, kind="stable")
        sorted_ids = self.ids[by_id]
        repeated = sorted_ids[1:][sorted_ids[1:] == sorted_ids[:-1]]
        if repeated.size:
            shown = ", ".join(map(str, np.unique(repeated)[:5].tolist()))
            raise InvalidInput([f"Application ids repeat: {shown}."])
        by_id.flags.writeable = False
        sorted_ids.flags.writeable = False
        set_(self, "by_id", by_id)
        set_(self, "sorted_ids", sorted_ids)

    @classmethod
    def from_columns(
        cls,
        *,
        ids: ArrayLike,
        units: Sequence[str] | NDArray[Any],
        sexes: Sequence[str] | NDArray[Any],
        registered_at: ArrayLike,
        registration_numbers: Sequence[str],
        results: Mapping[str, ArrayLike | Sequence[float | None]],
    ) -> Applications:
        """Columns as a service loads them: ``results`` maps each of the plan's columns to a
        sequence of numbers, booleans (gates) or None (no result)."""
        unit_keys, unit_codes = _categories(units)
        sex_keys, sex_codes = _categories(sexes)
        return cls(
            ids=np.asarray(ids),
            unit_keys=unit_keys,
            unit_codes=unit_codes,
            sex_keys=sex_keys,
            sex_codes=sex_codes,
            registered_at=np.asarray(registered_at),
            registration_numbers=tuple(registration_numbers),
            results={key: np.asarray(column, dtype=np.float64) for key, column in results.items()},
        )

    @classmethod
    def from_records(
        cls, records: Iterable[ApplicationRecord | Mapping[str, Any]], *, plan: StagePlan
    ) -> Applications:
        """One record per application (see ``ApplicationRecord``), e.g. for tests."""
        records = list(records)
        columns: dict[str, list[float | None]] = {c: [] for c in plan.columns()}
        stage_keys = {s.key for s in plan.stages}
        problems: list[str] = []
        for record in records:
            results = record.get("results") or {}
            for key in sorted(set(results) - stage_keys):
                problems.append(f"Application {record.get('id')!r}: unknown stage '{key}'.")
            for stage in plan.stages:
                value = results.get(stage.key)
                if stage.kind == "measure":
                    values = value if value is not None else {}
                    if not isinstance(values, Mapping):
                        problems.append(f"'{stage.key}' of {record.get('id')!r} is not a mapping.")
                        values = {}
                    for m in stage.measures:
                        columns[f"{stage.key}.{m.key}"].append(_record_number(values.get(m.key)))
                elif value is not None and isinstance(value, bool) != (stage.kind == "gate"):
                    wanted = "True or False" if stage.kind == "gate" else "a number"
                    problems.append(f"'{stage.key}' of {record.get('id')!r} must be {wanted}.")
                    columns[stage.key].append(None)
                else:
                    columns[stage.key].append(_record_number(value))
        if problems:
            raise InvalidInput(problems[:20])
        return cls.from_columns(
            ids=np.array([r["id"] for r in records], dtype=np.int64),
            units=[r["unit"] for r in records],
            sexes=[r["sex"] for r in records],
            registered_at=np.array(
                [_microseconds(r["registered_at"]) for r in records], dtype=np.int64
            ),
            registration_numbers=[r["registration_number"] for r in records],
            results=columns,
        )

    def __len__(self) -> int:
        return int(self.ids.size)

    def row(self, application_id: int) -> int:
        """The row of an application; KeyError if it is not here."""
        at = int(np.searchsorted(self.sorted_ids, application_id))
        if at == self.sorted_ids.size or self.sorted_ids[at] != application_id:
            raise KeyError(application_id)
        return int(self.by_id[at])

    def canonical_parts(self) -> Iterator[tuple[str, bytes]]:
        """The columns in id order as bytes (little-endian int64 / int32 codes / float64 with
        one NaN and no -0.0; texts as JSON), for digests."""
        order = self.by_id
        yield "ids", self.sorted_ids.astype("<i8").tobytes()
        yield "unit_keys", _canonical_json(list(self.unit_keys)).encode()
        yield "unit_codes", self.unit_codes[order].astype("<i4").tobytes()
        yield "sex_keys", _canonical_json(list(self.sex_keys)).encode()
        yield "sex_codes", self.sex_codes[order].astype("<i4").tobytes()
        yield "registered_at", self.registered_at[order].astype("<i8").tobytes()
        in_order = list(map(self.registration_numbers.__getitem__, order.tolist()))
        yield "registration_numbers", _canonical_json(in_order).encode()
        for key in sorted(self.results):
            yield f"result:{key}", _canonical_floats(self.results[key][order])


def _record_number(value: object) -> float | None:
    if value is None:
        return None
    if not isinstance(value, numbers.Real):  # bool is a Real: True counts as 1 (a pass)
        raise InvalidInput([f"A result must be a number or None, not {value!r}."])
    return float(value)


def _microseconds(value: object) -> int:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise InvalidInput(["registered_at must be timezone-aware."])
        return (value - _EPOCH) // timedelta(microseconds=1)
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    raise InvalidInput([f"registered_at must be an int or a datetime, not {value!r}."])


def _canonical_floats(values: Floats) -> bytes:
    values = values + 0.0  # turns -0.0 into 0.0
    values[np.isnan(values)] = np.nan
    return values.astype("<f8").tobytes()


def _feed(hasher: Any, name: str, data: bytes) -> None:
    hasher.update(f"{name}:{len(data)}\n".encode())
    hasher.update(data)


def digest(
    *,
    applications: Applications,
    plan: StagePlan,
    units: Mapping[str, int],
    rules: RankingRules,
) -> str:
    """SHA-256 (hex) of the inputs, independent of the applications' order: a JSON header
    (RULES_VERSION, plan, units, rules; sorted keys, compact) and then the application
    columns in id order (``Applications.canonical_parts``), each part prefixed by
    ``name:length\\n``."""
    hasher = hashlib.sha256()
    header = {
        "rules_version": RULES_VERSION,
        "plan": plan.to_dict(),
        "units": {key: int(units[key]) for key in sorted(units)},
        "rules": rules.to_dict(),
    }
    _feed(hasher, "header", _canonical_json(header).encode())
    for name, data in applications.canonical_parts():
        _feed(hasher, name, data)
    return hasher.hexdigest()


# --- Ranking ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Order:
    """Everything rule 4 orders by, as full-length columns."""

    neg_totals: Floats
    tie_breaks: tuple[Floats, ...]  # negated scores, no result as +inf
    registered_at: Ints
    registration_numbers: tuple[str, ...]
    ids: Ints
    units: NDArray[np.int16]

    def sort(self, rows: Rows, *, by_unit: bool) -> Rows:
        """``rows`` in rule 4's order (within units first when ``by_unit``): stable sorts from
        the least significant key up, then full ties settled by registration number and id."""
        order = rows[np.argsort(self.registered_at[rows], kind="stable")]
        for key in reversed(self.tie_breaks):
            order = order[np.argsort(key[order], kind="stable")]
        order = order[np.argsort(self.neg_totals[order], kind="stable")]
        keys: list[NDArray[Any]] = [self.neg_totals, *self.tie_breaks, self.registered_at]
        if by_unit:
            order = order[np.argsort(self.units[order], kind="stable")]
            keys.insert(0, self.units)
        self._settle_ties(order, keys)
        return order

    def _settle_ties(self, order: Rows, keys: list[NDArray[Any]]) -> None:
        if order.size < 2:
            return
        same = np.ones(order.size - 1, dtype=bool)
        for key in keys:
            sorted_key = key[order]
            same &= sorted_key[1:] == sorted_key[:-1]
            if not same.any():
                return
        # Every position in a run of full ties, and which run it is in.
        tied = np.flatnonzero(same)
        member = np.zeros(order.size, dtype=bool)
        member[tied] = member[tied + 1] = True
        positions = np.flatnonzero(member)
        run = np.cumsum(np.concatenate(([True], ~same[positions[1:] - 1])))
        rows = order[positions]
        # One Python sort of the tied rows' registration numbers (stable, after sorting by
        # id), then each run in that order.
        texts = list(map(self.registration_numbers.__getitem__, rows.tolist()))
        by_id = np.argsort(self.ids[rows], kind="stable").tolist()
        by_number = np.array(sorted(by_id, key=texts.__getitem__), dtype=np.intp)
        place = np.empty(rows.size, dtype=np.int64)
        place[by_number] = np.arange(rows.size)
        order[positions] = rows[np.lexsort((place, run))]


def rank(
    *,
    applications: Applications,
    plan: StagePlan,
    units: Mapping[str, int],
    rules: RankingRules,
    unit_names: Mapping[str, str] | None = None,
    allow_incomplete: bool = False,
) -> RankingResult:
    """Rank a round by the rules in this module's docstring.

    ``units`` maps each quota unit key (a province or a selection site) to its seats;
    ``unit_names`` gives display names for explanations (the key otherwise). Raises
    ``InvalidInput`` listing every problem with the inputs, and ``IncompleteResults`` when a
    needed result is missing and ``allow_incomplete`` is False.
    """
    apps = applications
    units = {key: units[key] for key in sorted(units)}
    problems = _input_problems(apps, plan, units, rules)
    if problems:
        raise InvalidInput(problems)
    n = len(apps)
    eliminated_at = np.full(n, -1, dtype=np.int16)
    no_result = np.zeros(n, dtype=bool)
    alive = np.ones(n, dtype=bool)
    missing: dict[str, int] = {}
    for index, stage in enumerate(plan.stages):
        if not stage.eliminating:
            continue
        passed, absent = _verdicts(stage, apps, alive, problems)
        out = alive & ~passed
        eliminated_at[out] = index
        lacking = out & absent
        if lacking.any():
            no_result |= lacking
            missing[stage.key] = int(np.count_nonzero(lacking))
        alive &= passed
    if problems:
        raise InvalidInput(problems)

    weighted = [s for s in plan.stages if s.kind == "score" and s.weight > 0]
    lacking_score = np.zeros(n, dtype=bool)
    for stage in weighted:
        if not stage.eliminating:
            lacking = alive & np.isnan(apps.results[stage.key])
            if lacking.any():
                lacking_score |= lacking
                missing[stage.key] = int(np.count_nonzero(lacking))
    if missing and not allow_incomplete:
        examples = np.sort(apps.ids[no_result | lacking_score])[:5]
        in_plan_order = {s.key: missing[s.key] for s in plan.stages if s.key in missing}
        raise IncompleteResults(in_plan_order, examples.tolist())

    rows = np.flatnonzero(alive)
    totals = np.full(n, np.nan)
    weight_sum = float(sum(s.weight for s in weighted))
    running = np.zeros(rows.size)
    for stage in weighted:
        scores = apps.results[stage.key][rows]
        if not stage.eliminating:
            scores = np.where(np.isnan(scores), stage.min_score, scores)
        factor = stage.weight * 100.0 / (weight_sum * (stage.max_score - stage.min_score))
        running += factor * (scores - stage.min_score)
    totals[rows] = running

    unit_list = tuple(units)
    position_of = {key: i for i, key in enumerate(unit_list)}
    remap = np.array([position_of[key] for key in apps.unit_keys], dtype=np.int16)
    unit_of_row = remap[apps.unit_codes]
    tie_breaks = []
    for key in rules.tie_break_stages:
        negated = -apps.results[key]
        negated[np.isnan(negated)] = np.inf
        tie_breaks.append(negated)
    order_by = _Order(
        neg_totals=-totals,
        tie_breaks=tuple(tie_breaks),
        registered_at=apps.registered_at,
        registration_numbers=apps.registration_numbers,
        ids=apps.ids,
        units=unit_of_row,
    )
    order = order_by.sort(rows, by_unit=True)

    count = len(unit_list)
    unit_in_order = unit_of_row[order].astype(np.intp)
    qualified = np.bincount(unit_in_order, minlength=count)
    start = np.zeros(count, dtype=np.int64)
    start[1:] = np.cumsum(qualified)[:-1]
    place = np.arange(order.size, dtype=np.int64) - start[unit_in_order] + 1
    seats = np.array(list(units.values()), dtype=np.int64)
    spare = int(np.maximum(seats - qualified, 0).sum())
    extra = np.zeros(count, dtype=np.int64)
    if rules.redistribution == "proportional":
        extra = _largest_remainder(spare, np.maximum(qualified - seats, 0))

    outcome = np.full(n, _ELIMINATED, dtype=np.int8)
    rank_in_unit = np.zeros(n, dtype=np.int32)
    rank_in_unit[order] = place
    in_seats = place <= (seats + extra)[unit_in_order]
    outcome[order[in_seats]] = _SELECTED
    pool_rank = np.zeros(n, dtype=np.int32)
    pool_seats = spare if rules.redistribution == "national_pool" else 0
    picked = np.zeros(0, dtype=np.intp)
    if pool_seats:
        rest = order[~in_seats]
        if rest.size > pool_seats:
            cut = rest.size - pool_seats
            threshold = np.partition(totals[rest], cut)[cut]
            rest = rest[totals[rest] >= threshold]
        picked = order_by.sort(rest, by_unit=False)[:pool_seats]
        outcome[picked] = _SELECTED
        pool_rank[picked] = np.arange(1, picked.size + 1)

    waiting = outcome[order] != _SELECTED
    waited = np.concatenate(([0], np.cumsum(waiting)))
    number = waited[1:] - waited[start[unit_in_order]]
    is_reserve = waiting & (number <= rules.reserves_per_unit)
    reserve_number = np.zeros(n, dtype=np.int32)
    reserve_number[order[is_reserve]] = number[is_reserve]
    outcome[order[is_reserve]] = _RESERVE
    outcome[order[waiting & ~is_reserve]] = _NOT_SELECTED

    selected = np.bincount(unit_in_order[~waiting], minlength=count)
    from_pool = np.bincount(unit_of_row[picked].astype(np.intp), minlength=count)
    reserves = np.bincount(unit_in_order[is_reserve], minlength=count)
    names = unit_names or {}
    summaries = {
        key: UnitSummary(
            key=key,
            name=names.get(key, key),
            seats=int(seats[i]),
            extra_seats=int(extra[i]),
            qualified=int(qualified[i]),
            selected=int(selected[i]),
            selected_from_pool=int(from_pool[i]),
            reserves=int(reserves[i]),
        )
        for i, key in enumerate(unit_list)
    }
    for array in (outcome, eliminated_at, no_result, totals, rank_in_unit, reserve_number):
        array.flags.writeable = False
    pool_rank.flags.writeable = False
    return RankingResult(
        applications=apps,
        plan=plan,
        units=MappingProxyType(units),
        rules=rules,
        allow_incomplete=allow_incomplete,
        outcome_codes=outcome,
        eliminated_stage=eliminated_at,
        no_result=no_result,
        totals=totals,
        rank_in_unit=rank_in_unit,
        reserve_number=reserve_number,
        pool_rank=pool_rank,
        unit_summaries=MappingProxyType(summaries),
        pool_seats=pool_seats,
        pool_filled=int(picked.size),
    )


def _input_problems(
    apps: Applications, plan: StagePlan, units: Mapping[str, int], rules: RankingRules
) -> list[str]:
    problems: list[str] = []
    for key, seats in units.items():
        problems += _key_problems(key, "unit")
        if not isinstance(seats, int | np.integer) or isinstance(seats, bool) or seats < 0:
            problems.append(f"Unit '{key}': seats must be a whole number of at least 0.")
    if len(units) > _MAX_UNITS:
        problems.append(f"At most {_MAX_UNITS:,} quota units.")
    unknown = sorted(set(apps.unit_keys) - set(units))
    if unknown:
        problems.append(f"Applications name unknown quota units: {', '.join(unknown[:10])}.")
    for key in rules.tie_break_stages:
        kind = next((s.kind for s in plan.stages if s.key == key), None)
        if kind != "score":
            problems.append(f"Tie-break stage '{key}' is not a score stage of the plan.")
    expected, present = set(plan.columns()), set(apps.results)
    if expected - present:
        problems.append(f"Result columns missing: {', '.join(sorted(expected - present))}.")
    if present - expected:
        problems.append(f"Result columns not in the plan: {', '.join(sorted(present - expected))}.")
    if problems:
        return problems
    for stage in plan.stages:
        for column in stage.columns():
            values = apps.results[column]
            if stage.kind == "gate":
                bad = ~(np.isnan(values) | (values == 0.0) | (values == 1.0))
                allowed = "0 (failed) or 1 (passed)"
            elif stage.kind == "score":
                bad = (values < stage.min_score) | (values > stage.max_score)
                allowed = f"{stage.min_score:g}..{stage.max_score:g}"
            else:
                bad = np.isinf(values)
                allowed = "finite"
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                problems.append(
                    f"'{column}': {int(np.count_nonzero(bad)):,} value(s) not {allowed}, e.g. "
                    f"{values[row]:g} for application {int(apps.ids[row])}."
                )
    return problems


def _verdicts(
    stage: Stage, apps: Applications, alive: NDArray[np.bool_], problems: list[str]
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """(passed, no result) for every application at one stage."""
    if stage.kind != "measure":
        values = apps.results[stage.key]
        absent = np.isnan(values)
        if stage.kind == "gate":
            return values == 1.0, absent
        if stage.pass_mark is None:
            return ~absent, absent
        return values >= stage.pass_mark, absent
    passed = np.ones(alive.size, dtype=bool)
    absent = np.zeros(alive.size, dtype=bool)
    for m in stage.measures:
        by_sex = np.array([m.limits.get(sex, np.nan) for sex in apps.sex_keys])
        unlimited = np.isnan(by_sex)
        if unlimited.any() and (alive & unlimited[apps.sex_codes]).any():
            sexes = ", ".join(repr(s) for s, u in zip(apps.sex_keys, unlimited, strict=True) if u)
            problems.append(f"'{stage.key}.{m.key}' has no limit for sex {sexes}.")
        limit = by_sex[apps.sex_codes]
        values = apps.results[f"{stage.key}.{m.key}"]
        passed &= values <= limit if m.better == "lower" else values >= limit
        absent |= np.isnan(values)
    return passed, absent


def _largest_remainder(seats: int, remaining: Ints) -> Ints:
    """Share ``seats`` among units in proportion to ``remaining`` (Hamilton's method)."""
    total = int(remaining.sum())
    if seats >= total:
        return remaining.copy()
    shares = [seats * int(r) // total for r in remaining]
    left = seats - sum(shares)
    by_remainder = sorted(
        range(remaining.size),
        key=lambda i: (-(seats * int(remaining[i]) % total), -int(remaining[i]), i),
    )
    for i in by_remainder[:left]:
        shares[i] += 1
    return np.array(shares, dtype=np.int64)


# --- The result ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSummary:
    """One quota unit after ranking. ``extra_seats`` came from proportional redistribution;
    ``selected`` includes ``selected_from_pool`` (selected from the national pool)."""

    key: str
    name: str
    seats: int
    extra_seats: int
    qualified: int
    selected: int
    selected_from_pool: int
    reserves: int

    @property
    def unused_seats(self) -> int:
        return self.seats + self.extra_seats - (self.selected - self.selected_from_pool)


@dataclass(frozen=True)
class Placement:
    """Where one application ended up. ``total`` has full precision (``total_display`` is
    for people); ``rank_in_unit`` counts every qualified application of the unit;
    ``pool_rank`` is the place among national-pool seats; ``counted_as_minimum`` lists
    weighted stages without a result that counted as their minimum (``allow_incomplete``)."""

    application_id: int
    unit: str
    outcome: Outcome
    eliminated_at: str | None
    no_result: bool
    total: float | None
    rank_in_unit: int | None
    reserve_number: int | None
    pool_rank: int | None
    counted_as_minimum: tuple[str, ...]

    def total_display(self, language: Language = "id") -> str | None:
        return None if self.total is None else _total_text(self.total, language == "en")


@dataclass(frozen=True, eq=False, kw_only=True)
class RankingResult:
    """What ``rank`` returns. Columns are row-aligned with ``applications`` and read-only:
    ``outcome_codes`` index ``OUTCOMES``; ``eliminated_stage`` indexes ``plan.stages`` (-1:
    not eliminated); 0 in ``rank_in_unit``, ``reserve_number`` and ``pool_rank`` means none;
    ``totals`` is NaN for the eliminated. Look one application up with ``placement`` and
    ``explain``."""

    OUTCOMES = _OUTCOMES

    applications: Applications
    plan: StagePlan
    units: Mapping[str, int]
    rules: RankingRules
    allow_incomplete: bool
    outcome_codes: NDArray[np.int8]
    eliminated_stage: NDArray[np.int16]
    no_result: NDArray[np.bool_]
    totals: Floats
    rank_in_unit: NDArray[np.int32]
    reserve_number: NDArray[np.int32]
    pool_rank: NDArray[np.int32]
    unit_summaries: Mapping[str, UnitSummary]
    pool_seats: int
    pool_filled: int

    def __len__(self) -> int:
        return len(self.applications)

    def counts(self) -> dict[Outcome, int]:
        tally = np.bincount(self.outcome_codes, minlength=len(_OUTCOMES))
        return {outcome: int(tally[i]) for i, outcome in enumerate(_OUTCOMES)}

    def placement(self, application_id: int) -> Placement:
        return self._placement(self.applications.row(application_id))

    def placements(self) -> Iterator[Placement]:
        """Every application's placement, in id order."""
        for row in self.applications.by_id.tolist():
            yield self._placement(row)

    def _placement(self, row: int) -> Placement:
        apps = self.applications
        stage = int(self.eliminated_stage[row])
        total = float(self.totals[row])
        counted: tuple[str, ...] = ()
        if stage < 0:
            counted = tuple(
                s.key
                for s in self.plan.stages
                if s.kind == "score"
                and s.weight > 0
                and not s.eliminating
                and math.isnan(apps.results[s.key][row])
            )
        return Placement(
            application_id=int(apps.ids[row]),
            unit=apps.unit_keys[apps.unit_codes[row]],
            outcome=_OUTCOMES[self.outcome_codes[row]],
            eliminated_at=self.plan.stages[stage].key if stage >= 0 else None,
            no_result=bool(self.no_result[row]),
            total=None if math.isnan(total) else total,
            rank_in_unit=int(self.rank_in_unit[row]) or None,
            reserve_number=int(self.reserve_number[row]) or None,
            pool_rank=int(self.pool_rank[row]) or None,
            counted_as_minimum=counted,
        )

    def explain(self, application_id: int, language: Language = "id") -> str:
        """One line saying why, in Indonesian ("id") or English ("en")."""
        if language not in ("id", "en"):
            raise ValueError(f"language must be 'id' or 'en', not {language!r}.")
        en = language == "en"
        row = self.applications.row(application_id)
        p = self._placement(row)
        if p.outcome is Outcome.ELIMINATED:
            return self._explain_elimination(row, en)
        assert p.total is not None and p.rank_in_unit is not None  # noqa: S101 - not eliminated
        unit = self.unit_summaries[p.unit]
        name, score = unit.name, _total_text(p.total, en)
        rank, seats = _int_text(p.rank_in_unit, en), unit.seats + unit.extra_seats
        if p.outcome is Outcome.SELECTED and p.pool_rank:
            pool, place = _int_text(self.pool_seats, en), _int_text(p.pool_rank, en)
            text = (
                f"Selected from the national pool: place {place} of the {pool} unused seats; "
                f"rank {rank} in {name} ({_seats_en(seats)} filled) with a score of {score}"
                if en
                else f"Terpilih dari kuota nasional: urutan {place} dari {pool} kursi sisa; "
                f"peringkat {rank} di {name} ({_int_text(seats, en)} kursi terisi) "
                f"dengan nilai {score}"
            )
        elif p.outcome is Outcome.SELECTED:
            split = ""
            if unit.extra_seats:
                base, added = _int_text(unit.seats, en), _int_text(unit.extra_seats, en)
                split = (
                    f" ({base} + {added} redistributed)"
                    if en
                    else f" ({base} + {added} kursi limpahan)"
                )
            text = (
                f"Selected: rank {rank} of the {_seats_en(seats)} of {name}{split} "
                f"with a score of {score}"
                if en
                else f"Terpilih: peringkat {rank} dari {_int_text(seats, en)} kursi {name}{split} "
                f"dengan nilai {score}"
            )
        elif p.outcome is Outcome.RESERVE:
            number = _int_text(p.reserve_number or 0, en)
            text = (
                f"Reserve number {number} in {name}: {_the_seats_filled(seats)}; "
                f"your rank is {rank} with a score of {score}"
                if en
                else f"Cadangan nomor {number} di {name}: {_int_text(seats, en)} kursi terisi; "
                f"peringkat Anda {rank} dengan nilai {score}"
            )
        else:
            text = (
                f"Not selected: {_the_seats_filled(seats, of=name)}; "
                f"your rank is {rank} with a score of {score}"
                if en
                else f"Tidak terpilih: kuota {name} {_int_text(seats, en)} kursi terisi; "
                f"peringkat Anda {rank} dengan nilai {score}"
            )
        if p.outcome is not Outcome.SELECTED and self.pool_seats:
            pool = _int_text(self.pool_filled, en)
            text += (
                f"; the {pool} national pool seats went to higher-ranked applicants"
                if en
                else f"; {pool} kursi kuota nasional terisi oleh peringkat yang lebih tinggi"
            )
        for key in p.counted_as_minimum:
            stage = self.plan.stage(key)
            least = _number_text(stage.min_score, en)
            text += (
                f"; no result for the {stage.name_en}, counted as {least}"
                if en
                else f"; tanpa hasil {stage.name_id}, dihitung {least}"
            )
        return text

    def _explain_elimination(self, row: int, en: bool) -> str:
        stage = self.plan.stages[int(self.eliminated_stage[row])]
        lead = f"Eliminated at the {stage.name_en}" if en else f"Gugur pada tahap {stage.name_id}"
        results = self.applications.results
        if self.no_result[row]:
            detail = "no result recorded" if en else "belum ada hasil"
        elif stage.kind == "gate":
            detail = "not passed" if en else "tidak lulus"
        elif stage.kind == "score":
            score = _number_text(float(results[stage.key][row]), en)
            mark = _number_text(float(stage.pass_mark or 0.0), en)
            detail = (
                f"score {score} is below the pass mark of {mark}"
                if en
                else f"nilai {score} di bawah batas lulus {mark}"
            )
        else:
            sex = self.applications.sex_keys[self.applications.sex_codes[row]]
            sex_en, sex_id = _SEX_WORDS.get(sex, (sex, sex))
            parts = []
            for m in stage.measures:
                value = float(results[f"{stage.key}.{m.key}"][row])
                if m.passes(value, sex):
                    continue
                unit = f" {m.unit}" if m.unit else ""
                shown = f"{_number_text(value, en)}{unit}"
                limit = f"{_number_text(m.limits[sex], en)}{unit}"
                if en:
                    bound = "over the limit" if m.better == "lower" else "below the minimum"
                    parts.append(f"{m.name_en} {shown}, {bound} of {limit} for {sex_en}")
                else:
                    bound = "melebihi batas" if m.better == "lower" else "di bawah batas"
                    parts.append(f"{m.name_id} {shown}, {bound} {limit} untuk {sex_id}")
            detail = "; ".join(parts)
        return f"{lead}: {detail}"

    @cached_property
    def input_digest(self) -> str:
        """``digest`` of this run's inputs."""
        return digest(
            applications=self.applications, plan=self.plan, units=self.units, rules=self.rules
        )

    def digest(self) -> str:
        """SHA-256 (hex) of the output: the input digest, the options, then the result
        columns in id order (as ``Applications.canonical_parts`` encodes them)."""
        hasher = hashlib.sha256()
        _feed(hasher, "input", self.input_digest.encode())
        options = {"rules_version": RULES_VERSION, "allow_incomplete": self.allow_incomplete}
        _feed(hasher, "options", _canonical_json(options).encode())
        order = self.applications.by_id
        _feed(hasher, "outcome", self.outcome_codes[order].astype("<i1").tobytes())
        _feed(hasher, "eliminated_stage", self.eliminated_stage[order].astype("<i2").tobytes())
        _feed(hasher, "no_result", self.no_result[order].astype("u1").tobytes())
        _feed(hasher, "totals", _canonical_floats(self.totals[order]))
        for name in ("rank_in_unit", "reserve_number", "pool_rank"):
            column: NDArray[np.int32] = getattr(self, name)
            _feed(hasher, name, column[order].astype("<i4").tobytes())
        return hasher.hexdigest()


# --- Words and numbers ----------------------------------------------------------------------


def _number_text(value: float, en: bool) -> str:
    """12 -> "12", 12.5 -> "12.5" / "12,5" (Indonesian uses a decimal comma)."""
    text = format(Decimal(repr(float(value))).normalize(), "f")
    return text if en else text.replace(".", ",")


def _total_text(value: float, en: bool) -> str:
    """One decimal, rounded half up: 71.45 -> "71.5" / "71,5"."""
    text = format(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), "f")
    return text if en else text.replace(".", ",")


def _int_text(value: int, en: bool) -> str:
    """1263 -> "1,263" / "1.263"."""
    text = f"{value:,}"
    return text if en else text.replace(",", ".")


def _seats_word(count: int) -> str:
    return "seat" if count == 1 else "seats"


def _seats_en(count: int) -> str:
    return f"{_int_text(count, True)} {_seats_word(count)}"


def _the_seats_filled(count: int, of: str | None = None) -> str:
    where = f" of {of}" if of else ""
    verb = "is" if count == 1 else "are"
    return f"the {_seats_en(count)}{where} {verb} filled"
