"""The applications of a round as columns (``Applications``) and the digest of a run's
inputs (``digest``). Part of ``ranking`` (which re-exports all of it); pure: numpy and the
standard library, no Django.
"""

from __future__ import annotations

import hashlib
import numbers
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any, TypeAlias, TypedDict

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .ranking_plan import (
    RULES_VERSION,
    Codes,
    Floats,
    Ints,
    InvalidInput,
    RankingRules,
    Rows,
    StagePlan,
    _canonical_json,
)

ResultValue: TypeAlias = "bool | float | Mapping[str, float | None] | None"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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
