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

# This module holds the rules above and ``rank``, which applies them. The rest lives beside
# it and is re-exported here, so callers import only ``ranking``: ranking_plan.py (stages,
# rules, RULES_VERSION, errors), ranking_inputs.py (``Applications``, the input digest),
# ranking_result.py (``RankingResult`` and what it holds) and ranking_explain.py (the
# sentences of the explanations).
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .ranking_explain import Language as Language
from .ranking_inputs import ApplicationRecord, Applications, digest
from .ranking_inputs import ResultValue as ResultValue
from .ranking_plan import (
    RULES_VERSION,
    Floats,
    IncompleteResults,
    Ints,
    InvalidInput,
    Measure,
    RankingRules,
    Rows,
    Stage,
    StagePlan,
    _key_problems,
)
from .ranking_plan import Better as Better
from .ranking_plan import Codes as Codes
from .ranking_plan import Redistribution as Redistribution
from .ranking_plan import StageKind as StageKind
from .ranking_result import Outcome, Placement, RankingResult, UnitSummary

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

_MAX_UNITS = 32_767  # unit codes are sorted as int16, which numpy sorts by radix
_SELECTED, _RESERVE, _NOT_SELECTED, _ELIMINATED = map(
    RankingResult.OUTCOMES.index,
    (Outcome.SELECTED, Outcome.RESERVE, Outcome.NOT_SELECTED, Outcome.ELIMINATED),
)


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
