"""What ``rank`` returns: a ``RankingResult`` of row-aligned columns, with a ``Placement``
and an explanation per application and a ``UnitSummary`` per quota unit, and the digest of
the output. Part of ``ranking`` (which re-exports all of it); pure: numpy and the standard
library, no Django.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .ranking_explain import Language, explain_row, explain_rows, sentences, total_text
from .ranking_inputs import Applications, _canonical_floats, _feed, digest
from .ranking_plan import RULES_VERSION, Floats, RankingRules, StagePlan, _canonical_json


class Outcome(StrEnum):
    SELECTED = "selected"
    RESERVE = "reserve"
    NOT_SELECTED = "not_selected"
    ELIMINATED = "eliminated"


_OUTCOMES = (Outcome.SELECTED, Outcome.RESERVE, Outcome.NOT_SELECTED, Outcome.ELIMINATED)


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
        return None if self.total is None else total_text(self.total, language == "en")


@dataclass(frozen=True, eq=False, kw_only=True)
class RankingResult:
    """What ``rank`` returns. Columns are row-aligned with ``applications`` and read-only:
    ``outcome_codes`` index ``OUTCOMES``; ``eliminated_stage`` indexes ``plan.stages`` (-1:
    not eliminated); 0 in ``rank_in_unit``, ``reserve_number`` and ``pool_rank`` means none;
    ``totals`` is NaN for the eliminated. Look one application up with ``placement`` and
    ``explain``.

    To store a whole round, read the columns rather than a ``Placement`` per application:
    ``placement_columns()`` gives them as lists in row order, ready for a bulk write, and
    ``explanations(language)`` every explanation in the same order (``explain`` one by one
    would take ten times as long).
    """

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

    def placement_columns(self) -> dict[str, list[Any]]:
        """Every ``Placement`` field but ``counted_as_minimum`` as a list in row order (the
        order of ``applications.ids`` and of ``explanations``), with None where a
        ``Placement`` has None and the outcome as plain text: for writing a whole round at
        once."""
        apps = self.applications
        stage_keys: NDArray[np.object_] = np.array(
            [None, *(s.key for s in self.plan.stages)], dtype=object
        )
        outcomes: NDArray[np.object_] = np.array([o.value for o in self.OUTCOMES], dtype=object)
        units: NDArray[np.object_] = np.array(apps.unit_keys, dtype=object)
        totals: NDArray[np.object_] = self.totals.astype(object)
        totals[np.isnan(self.totals)] = None

        def or_none(column: NDArray[np.int32]) -> list[Any]:
            values: NDArray[np.object_] = column.astype(object)
            values[column == 0] = None
            return values.tolist()  # type: ignore[no-any-return]

        return {
            "application_id": apps.ids.tolist(),
            "unit": units[apps.unit_codes].tolist(),
            "outcome": outcomes[self.outcome_codes].tolist(),
            "eliminated_at": stage_keys[self.eliminated_stage.astype(np.intp) + 1].tolist(),
            "no_result": self.no_result.tolist(),
            "total": totals.tolist(),
            "rank_in_unit": or_none(self.rank_in_unit),
            "reserve_number": or_none(self.reserve_number),
            "pool_rank": or_none(self.pool_rank),
        }

    def explain(self, application_id: int, language: Language = "id") -> str:
        """One line saying why, in Indonesian ("id") or English ("en")."""
        sentences(language)  # an unknown language is refused before an unknown id
        return explain_row(self, self.applications.row(application_id), language)

    def explanations(self, language: Language = "id") -> list[str]:
        """Every application's ``explain`` text, in row order (the order of
        ``applications.ids``, not sorted by id), about ten times faster than one by one."""
        return explain_rows(self, language)

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
