"""From the inputs to the match: the checks that refuse inputs (``InvalidInput``), each side's
ids as dense codes (``_Ids``), the inputs as arrays of codes (``_Encoded``), and
candidate-proposing deferred acceptance over them, in numpy rounds and then one proposal at a
time. Part of ``matching`` (which re-exports what is public); pure: numpy and the standard
library, no Django.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray

from .matching_explain import _FILLED, _NO_SLOTS, _NOT_LISTED, _NOT_OPEN

Ints: TypeAlias = NDArray[np.int64]

_SHOWN_PROBLEMS = 10
_MOST_SLOTS = 2**31 - 1


class InvalidInput(ValueError):
    """Inputs that cannot be matched; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        more = len(self.problems) - _SHOWN_PROBLEMS
        shown = " ".join(self.problems[:_SHOWN_PROBLEMS])
        super().__init__(f"Cannot match: {shown}" + (f" ({more:,} more)" if more > 0 else ""))


@dataclass(frozen=True)
class _Encoded:
    """A matching's inputs as codes: candidates 0..n-1 and job orders 0..m-1 in id order."""

    cap: Ints  # slots by job order
    room: Ints  # slots by job order that can be filled: at most one per candidate
    start: Ints  # by candidate: where their choices start in the choice columns
    length: Ints  # by candidate: how many they listed
    owner: Ints  # by choice: the candidate
    choice_job: Ints  # by choice: the job order (m and up: not in capacities)
    choice_position: Ints  # by choice: position in the job orders' lists, -1: not acceptable
    position_job: Ints  # by position: the job order (m: not in capacities)
    position_candidate: Ints  # by position: the candidate (n and up: not a candidate)

    def reasons(self, choices: Ints) -> Ints:
        """The reason code for not being matched to each of ``choices``, all above their
        candidate's match (or of unmatched candidates). By stability, an acceptable job order
        with slots that does not have the candidate filled its slots with ones it ranked
        higher."""
        m = self.cap.size
        job = self.choice_job[choices]
        why = np.full(choices.size, _FILLED, dtype=np.int64)
        why[self.choice_position[choices] < 0] = _NOT_LISTED
        acceptable = why == _FILLED
        acceptable[acceptable] = self.cap[job[acceptable]] == 0
        why[acceptable] = _NO_SLOTS
        why[job >= m] = _NOT_OPEN
        return why


# --- Deferred acceptance ------------------------------------------------------------------


def _deferred_acceptance(e: _Encoded, sequential_below: int) -> tuple[Ints, Ints]:
    """Candidate-proposing deferred acceptance with capacities. Returns every job order's
    slots (``cap`` of them each, job orders in code order), holding the positions of its
    candidates in its list best first, -1 when empty; and the choice each candidate is
    matched by, -1 if none. Once fewer than ``sequential_below`` candidates are free, the
    rest of the proposals are made one at a time (``_one_by_one``)."""
    n = e.length.size
    cap, offset = e.room, _starts(e.room)
    slots = np.full(int(cap.sum()), -1, dtype=np.int64)
    # Each candidate's acceptable choices of job orders with slots, in their order.
    usable = e.choice_position >= 0
    usable[usable] = cap[e.choice_job[usable]] > 0
    choices = np.flatnonzero(usable)
    count = np.bincount(e.owner[choices], minlength=n)
    first = _starts(count)
    position = e.choice_position[choices]
    at = np.zeros(n, dtype=np.int64)  # the choice each candidate proposes by or is held by
    free = np.flatnonzero(count)
    while free.size and free.size >= sequential_below:
        proposed = position[first[free] + at[free]]
        touched = np.zeros(cap.size, dtype=bool)
        touched[e.position_job[proposed]] = True
        touched = np.flatnonzero(touched)
        block = _ranges(offset[touched], cap[touched])
        pool = slots[block]
        pool = np.concatenate((pool[pool >= 0], proposed))
        pool.sort()  # each job order's proposals and holds together, best first
        job = e.position_job[pool]
        run_start = np.zeros(pool.size, dtype=np.int64)
        new_job = np.flatnonzero(job[1:] != job[:-1]) + 1
        run_start[new_job] = new_job
        place = np.arange(pool.size) - np.maximum.accumulate(run_start)
        keep = place < cap[job]
        slots[block] = -1
        slots[offset[job[keep]] + place[keep]] = pool[keep]
        rejected = e.position_candidate[pool[~keep]]
        at[rejected] += 1
        free = rejected[at[rejected] < count[rejected]]
    if free.size:
        _one_by_one(free.tolist(), e, slots, offset, at, count, first, position)
    matched = e.position_candidate[slots[slots >= 0]]
    matched_choice = np.full(n, -1, dtype=np.int64)
    matched_choice[matched] = choices[first[matched] + at[matched]]
    return slots, matched_choice


def _one_by_one(
    free: list[int],
    e: _Encoded,
    slots: Ints,
    offset: Ints,
    at: Ints,
    count: Ints,
    first: Ints,
    position: Ints,
) -> None:
    """The rest of deferred acceptance, one proposal at a time, on the same state."""
    held: dict[int, list[int]] = {}
    cap = e.room
    while free:
        candidate = free.pop()
        proposed = int(position[first[candidate] + at[candidate]])
        job = int(e.position_job[proposed])
        kept = held.get(job)
        if kept is None:
            block = slots[offset[job] : offset[job] + cap[job]]
            kept = held[job] = block[block >= 0].tolist()
        if len(kept) < cap[job]:
            insort(kept, proposed)
            continue
        rejected = candidate
        if proposed < kept[-1]:
            rejected = int(e.position_candidate[kept.pop()])
            insort(kept, proposed)
        at[rejected] += 1
        if at[rejected] < count[rejected]:
            free.append(rejected)
    for job, kept in held.items():
        slots[offset[job] : offset[job] + cap[job]] = -1
        slots[offset[job] : offset[job] + len(kept)] = kept


# --- Inputs -------------------------------------------------------------------------------


def _lists(
    prefs: Mapping[Any, Sequence[Any]], who: str, of: str, problems: list[str]
) -> tuple[list[Any], list[Sequence[Any]]]:
    keys, lists = list(prefs), list(prefs.values())
    if set(map(type, lists)) <= {list, tuple}:
        return keys, lists
    for i, value in enumerate(lists):
        if isinstance(value, str | bytes | bytearray) or not isinstance(value, Sequence):
            kind = type(value).__name__
            problems.append(f"{who} {keys[i]!r}: the {of} must be a list, not {kind}.")
            lists[i] = ()
    return keys, lists


def _capacity_problems(capacities: Mapping[Any, int]) -> list[str]:
    values = list(capacities.values())
    if (
        set(map(type, values)) <= {int}
        and 0 <= min(values, default=0) <= max(values, default=0) <= _MOST_SLOTS
    ):
        return []
    return [
        f"Job order {job!r}: slots must be a whole number from 0 to {_MOST_SLOTS:,}."
        for job, slots in capacities.items()
        if not isinstance(slots, int | np.integer)
        or isinstance(slots, bool)
        or not 0 <= slots <= _MOST_SLOTS
    ]


def _as_ints(lists: Sequence[Iterable[Any]], count: int) -> Ints | None:
    """Every entry of ``lists`` as int64 if all are whole numbers that fit, else None. The
    sum is an int only if every entry is one (numpy would also read "7" and 7.5 as 7)."""
    try:
        if type(sum(chain.from_iterable(lists))) is not int:
            return None
        return np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=count)
    except (TypeError, ValueError, OverflowError):
        return None


class _Ids:
    """One side's ids in id order (a code is a place in that order), with each input row's
    code, and the codes of the ids in lists."""

    def __init__(self, keys: list[Any], who: str, problems: list[str]) -> None:
        ints = _as_ints([keys], len(keys))
        if ints is not None:
            order = np.argsort(ints)  # ids are distinct
            self.sorted_ints: Ints | None = ints[order]
            self.ids: tuple[Any, ...] = tuple(self.sorted_ints.tolist())
        else:
            self.sorted_ints = None
            try:
                by_id = sorted(range(len(keys)), key=keys.__getitem__)
            except TypeError:
                problems.append(f"{who} ids must all be whole numbers or all text.")
                by_id = list(range(len(keys)))
            order = np.array(by_id, dtype=np.int64)
            self.ids = tuple(keys[i] for i in by_id)
        self.row_of_code: Ints = order
        self.code_of_row: Ints = np.empty_like(order)
        self.code_of_row[order] = np.arange(order.size)

    def decode(self, code: int, unknown: list[Any]) -> Any:
        return self.ids[code] if code < len(self.ids) else unknown[code - len(self.ids)]

    def encode(
        self,
        lists: list[Sequence[Any]],
        lengths: Ints,
        problems: list[str],
        who: str,
        owners: list[Any],
    ) -> tuple[Ints, list[Any]]:
        """The codes of every entry of ``lists`` (``owners``' lists, of ``lengths``),
        flattened; an id not among ours gets a code from len(ids) up and is listed in the
        second value (in id order when they are whole numbers)."""
        total = int(lengths.sum())
        n = len(self.ids)
        flat = None
        if self.sorted_ints is not None or not n:
            flat = _as_ints(lists, total)
        if flat is not None:
            codes = self._lookup(flat)
            missing = np.flatnonzero(codes < 0)
            if not missing.size:
                return codes, []
            unknown, inverse = np.unique(flat[missing], return_inverse=True)
            codes[missing] = n + inverse
            return codes, unknown.tolist()
        index = {id_: code for code, id_ in enumerate(self.ids)}
        values = list(chain.from_iterable(lists))
        try:
            codes = np.fromiter(map(index.get, values, repeat(-1)), dtype=np.int64, count=total)
        except TypeError:
            for owner, items in zip(owners, lists, strict=True):
                if any(not isinstance(item, Hashable) for item in items):
                    problems.append(f"{who} {owner!r} lists something that is not an id.")
            return np.zeros(total, dtype=np.int64), []
        others: dict[Any, int] = {}
        missing = np.flatnonzero(codes < 0)
        for i in missing.tolist():
            codes[i] = n + others.setdefault(values[i], len(others))
        return codes, list(others)

    def _lookup(self, flat: Ints) -> Ints:
        """Codes of whole-number ids, -1 for those not among ours."""
        ids = self.sorted_ints
        codes = np.full(flat.size, -1, dtype=np.int64)
        if ids is None or not ids.size or not flat.size:
            return codes
        low, high = int(ids[0]), int(ids[-1])
        inside = np.flatnonzero((flat >= low) & (flat <= high))
        if high - low <= 4 * ids.size + 65_536:  # dense enough for a table
            table = np.full(high - low + 1, -1, dtype=np.int64)
            table[ids - low] = np.arange(ids.size)
            codes[inside] = table[flat[inside] - low]
            return codes
        values, where = _sort_with_positions(flat[inside] - low)
        at = np.minimum(np.searchsorted(ids - low, values), ids.size - 1)
        hit = ids[at] - low == values
        codes[inside[where[hit]]] = at[hit]
        return codes


def _lengths(lists: list[Sequence[Any]]) -> Ints:
    return np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))


def _starts(lengths: Ints) -> Ints:
    starts = np.zeros(lengths.size, dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    return starts


def _ranges(starts: Ints, lengths: Ints) -> Ints:
    """The concatenated ranges ``starts[i] .. starts[i] + lengths[i] - 1``."""
    total = int(lengths.sum())
    shift = np.repeat(starts - _starts(lengths), lengths)
    return np.arange(total, dtype=np.int64) + shift


def _sort_with_positions(keys: Ints) -> tuple[Ints, Ints]:
    """``keys`` (at least 0) sorted, and where each came from: one sort of keys and
    positions packed into one integer when they fit, else an argsort."""
    if not keys.size:
        return keys, np.zeros(0, dtype=np.int64)
    bits = (keys.size - 1).bit_length()
    if int(keys.max()).bit_length() + bits <= 62:
        packed = np.sort((keys << bits) | np.arange(keys.size, dtype=np.int64))
        return packed >> bits, packed & ((1 << bits) - 1)
    order = np.argsort(keys, kind="stable")
    return keys[order], order


def _repeats(keys: Ints, span: int, *, presorted: bool = False) -> Iterator[tuple[int, int]]:
    """Each (list, id code) pair that ``keys`` (list * span + id code) holds more than once."""
    ordered = keys if presorted else np.sort(keys)
    twice = ordered[1:][ordered[1:] == ordered[:-1]]
    for key in np.unique(twice).tolist():
        yield divmod(key, span)
