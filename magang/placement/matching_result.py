"""What ``stable_match`` returns: a ``Matching``, with the ``Reason`` for every candidate's
result (a ``JobReason`` for each job order they are not matched to), their explanations and
the ``MatchStatistics`` of the whole matching. Part of ``matching`` (which re-exports all of
it); pure: numpy and the standard library, no Django.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from types import MappingProxyType
from typing import Any, Generic, Protocol, TypeVar

import numpy as np

from .matching_explain import (
    _FILLED,
    _REASONS,
    Language,
    Texts,
    Unmatched,
    Why,
    _distinct,
    _head,
    _piece,
    ordinal,
    sentences,
)
from .matching_solve import _deferred_acceptance, _Encoded, _ranges, _starts


class _Id(Hashable, Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


C = TypeVar("C", bound=_Id)
J = TypeVar("J", bound=_Id)


@dataclass(frozen=True)
class JobReason(Generic[J]):
    """Why a candidate is not matched to ``job``: ``choice`` is its place in the candidate's
    list (1 = first choice; None if they did not list it), ``slots`` its slots (0 when it is
    not part of the matching)."""

    job: J
    choice: int | None
    why: Why
    slots: int


@dataclass(frozen=True)
class Reason(Generic[C, J]):
    """A candidate's result: their job order (None if unmatched) and its place in their list
    (``choice``, 1 = first), how many job orders they ``listed``, why not each one they
    listed higher (all of them, when unmatched) in their order, and why not any
    (``unmatched``, for the unmatched only)."""

    candidate: C
    job: J | None
    choice: int | None
    listed: int
    not_matched: tuple[JobReason[J], ...]
    unmatched: Unmatched | None


@dataclass(frozen=True)
class MatchStatistics:
    """Counts over a whole matching. ``by_choice`` maps a place in candidates' lists (1 =
    first choice) to how many were matched there; job orders and slots are those in
    ``capacities``."""

    candidates: int
    matched: int
    unmatched: int
    at_first_choice: int
    by_choice: Mapping[int, int]
    unmatched_by_reason: Mapping[Unmatched, int]
    job_orders: int
    job_orders_full: int
    slots: int
    slots_filled: int


class Matching(Mapping[C, J]):
    """What ``stable_match`` returns: a read-only mapping of each matched candidate to their
    job order (``dict(matching)`` gives it whole; unmatched candidates are absent), with the
    reason for everyone's result (``reason``, ``why_not``, ``explain``, ``explain_job``),
    each job order's candidates (``filled``) and the counts (``statistics``).

    ``candidates`` holds every candidate in id order and ``jobs`` every job order of
    ``capacities``. To store a whole run, ``columns()`` and ``stored_reasons()`` (or
    ``explanations(language)``) give one entry per candidate in the order of ``candidates``.
    """

    def __init__(
        self,
        *,
        candidates: Sequence[C],
        jobs: Sequence[J],
        unknown_jobs: tuple[J, ...],
        job_names: Mapping[J, str],
        encoded: _Encoded,
        sequential_below: int,
    ) -> None:
        self.candidates: tuple[C, ...] = tuple(candidates)
        self.jobs: tuple[J, ...] = tuple(jobs)
        self._unknown_jobs = unknown_jobs
        self._job_names = job_names
        self._e = e = encoded
        self._offset = _starts(e.room)  # each job order's first slot
        self._slots, matched_choice = _deferred_acceptance(e, sequential_below)
        codes = np.flatnonzero(matched_choice >= 0)
        self._job_of = np.full(len(self.candidates), -1, dtype=np.int64)
        self._job_of[codes] = e.choice_job[matched_choice[codes]]
        self._choice = np.zeros(len(self.candidates), dtype=np.int64)  # 1-based, 0: none
        self._choice[codes] = matched_choice[codes] - e.start[codes] + 1
        self._matches: dict[C, J] = dict(
            zip(
                map(self.candidates.__getitem__, codes.tolist()),
                map(self.jobs.__getitem__, self._job_of[codes].tolist()),
                strict=True,
            )
        )

    # --- The mapping -----------------------------------------------------------------------

    def __getitem__(self, candidate: C) -> J:
        return self._matches[candidate]

    def __iter__(self) -> Iterator[C]:
        return iter(self._matches)

    def __len__(self) -> int:
        return len(self._matches)

    def __repr__(self) -> str:
        return f"<Matching: {len(self):,} of {len(self.candidates):,} candidates matched>"

    # --- Looking up ------------------------------------------------------------------------

    def _code(self, candidate: C) -> int:
        at = bisect_left(self.candidates, candidate)
        if at == len(self.candidates) or self.candidates[at] != candidate:
            raise KeyError(candidate)
        return at

    def _job_code(self, job: J) -> int | None:
        try:
            at = bisect_left(self.jobs, job)
        except TypeError:  # an id of another kind is not one of ours
            return None
        return at if at < len(self.jobs) and self.jobs[at] == job else None

    def _job_id(self, code: int) -> J:
        m = len(self.jobs)
        return self.jobs[code] if code < m else self._unknown_jobs[code - m]

    def _name(self, job: J) -> str:
        return self._job_names.get(job, str(job))

    def choice(self, candidate: C) -> int | None:
        """The place of the candidate's job order in their list (1 = first choice), None if
        they are unmatched. KeyError for someone who is not a candidate."""
        return int(self._choice[self._code(candidate)]) or None

    def filled(self, job: J) -> tuple[C, ...]:
        """The candidates matched to a job order, best first by its ranking. KeyError for a
        job order not in ``capacities``."""
        code = self._job_code(job)
        if code is None:
            raise KeyError(job)
        block = self._slots[self._offset[code] : self._offset[code] + self._e.room[code]]
        held = self._e.position_candidate[block[block >= 0]].tolist()
        return tuple(self.candidates[c] for c in held)

    # --- Reasons ---------------------------------------------------------------------------

    def reason(self, candidate: C) -> Reason[C, J]:
        """The candidate's result, with why not each job order they listed higher than their
        match (every one they listed, when unmatched). KeyError for someone who is not a
        candidate."""
        e, code = self._e, self._code(candidate)
        start, length, choice = int(e.start[code]), int(e.length[code]), int(self._choice[code])
        above = np.arange(start, start + (choice - 1 if choice else length), dtype=np.int64)
        jobs = e.choice_job[above].tolist()
        not_matched = tuple(
            JobReason(job=self._job_id(j), choice=i + 1, why=_REASONS[why], slots=self._cap(j))
            for i, (j, why) in enumerate(zip(jobs, e.reasons(above).tolist(), strict=True))
        )
        unmatched = None
        if not choice:
            unmatched = Unmatched.NO_CHOICES
            if length:
                listed = np.arange(start, start + length, dtype=np.int64)
                any_filled = bool((e.reasons(listed) == _FILLED).any())
                unmatched = Unmatched.OUTRANKED if any_filled else Unmatched.NO_ACCEPTABLE
        return Reason(
            candidate=candidate,
            job=self.jobs[int(self._job_of[code])] if choice else None,
            choice=choice or None,
            listed=length,
            not_matched=not_matched,
            unmatched=unmatched,
        )

    def _cap(self, code: int) -> int:
        return int(self._e.cap[code]) if code < len(self.jobs) else 0

    def why_not(self, candidate: C, job: J) -> JobReason[J] | None:
        """Why the candidate is not matched to ``job``, any job order at all; None when they
        are matched to it. KeyError for someone who is not a candidate."""
        e, code = self._e, self._code(candidate)
        start, choice = int(e.start[code]), int(self._choice[code])
        job_code = self._job_code(job)
        slots = 0 if job_code is None else self._cap(job_code)
        for place, listed in enumerate(e.choice_job[start : start + e.length[code]].tolist(), 1):
            if self._job_id(listed) != job:
                continue
            if place == choice:
                return None
            if choice and place > choice:
                return JobReason(job=job, choice=place, why=Why.BELOW_MATCH, slots=slots)
            why = int(e.reasons(np.array([start + place - 1]))[0])
            return JobReason(job=job, choice=place, why=_REASONS[why], slots=slots)
        return JobReason(job=job, choice=None, why=Why.NOT_CHOSEN, slots=slots)

    # --- Explanations ----------------------------------------------------------------------

    def explain(self, candidate: C, language: Language = "id") -> str:
        """One line saying why, in Indonesian ("id") or English ("en"). KeyError for
        someone who is not a candidate."""
        words = sentences(language)
        result = self.reason(candidate)
        if result.listed == 0:
            return words["no_choices"]
        text = ""
        if result.job is not None:
            text = _head(words, language, self._name(result.job), result.choice or 0)
        for item in result.not_matched:
            why = _REASONS.index(item.why)
            name = self._name(item.job)
            text += _piece(words, language, name, item.choice or 0, why, item.slots, not text)
        return text

    def explain_job(self, candidate: C, job: J, language: Language = "id") -> str:
        """One line saying why the candidate is or is not matched to ``job``, any job order
        at all. KeyError for someone who is not a candidate."""
        words = sentences(language)
        item = self.why_not(candidate, job)
        name = self._name(job)
        if item is None:
            return _head(words, language, name, self.choice(candidate) or 0)
        if item.why in _REASONS:
            why = _REASONS.index(item.why)
            return _piece(words, language, name, item.choice or 0, why, item.slots, True)
        reason = words[item.why.value]
        if item.why == Why.BELOW_MATCH:
            reason = reason.format(match=self._name(self[candidate]))
        if item.choice is None:
            return words["unlisted"].format(job=name, why=reason)
        return words["first"].format(job=name, choice=ordinal(item.choice, language), why=reason)

    def explanations(self, language: Language = "id") -> list[str]:
        """Every candidate's ``explain`` text, in the order of ``candidates``, built column
        by column: each distinct sentence part is written once."""
        words, e = sentences(language), self._e
        m = len(self.jobs)
        names = [self._name(self._job_id(j)) for j in range(m + len(self._unknown_jobs))]
        caps = [*e.cap.tolist(), *repeat(0, len(self._unknown_jobs))]
        texts: Texts = np.full(len(self.candidates), words["no_choices"], dtype=object)
        choice = self._choice
        matched = np.flatnonzero(choice)
        top = int(choice.max(initial=0)) + 1
        texts[matched] = _distinct(
            self._job_of[matched] * top + choice[matched],
            lambda key: _head(words, language, names[key // top], key % top),
        )
        count = np.where(choice > 0, choice - 1, e.length)  # the choices to give a reason for
        explained = np.flatnonzero(count)
        if not explained.size:
            return texts.tolist()  # type: ignore[no-any-return]
        per = count[explained]
        choices = _ranges(e.start[explained], per)
        place = choices - np.repeat(e.start[explained], per) + 1
        first = (place == 1) & np.repeat(choice[explained] == 0, per)
        span = int(place.max()) + 1
        keys = ((e.choice_job[choices] * span + place) * len(_REASONS) + e.reasons(choices)) * 2
        keys += first

        def piece(key: int) -> str:
            rest, why = divmod(key >> 1, len(_REASONS))
            job, at = divmod(rest, span)
            return _piece(words, language, names[job], at, why, caps[job], bool(key & 1))

        joined: Texts = np.add.reduceat(_distinct(keys, piece), _starts(per))
        after_head = choice[explained] > 0
        joined[after_head] = texts[explained[after_head]] + joined[after_head]
        texts[explained] = joined
        return texts.tolist()  # type: ignore[no-any-return]

    def stored_reasons(self) -> list[str]:
        """Every candidate's ``reason`` in short, as JSON text, in the order of
        ``candidates``: ``[job order, why, slots]`` for each job order they listed above their
        match (every one they listed, when unmatched), in their order; ``[]`` for one matched
        to their first choice or who listed none. With the match and its place in their list
        (``columns()``), ``explain_stored`` says exactly what ``explain`` says. Job order ids
        must be numbers or text (JSON). Built column by column, like ``explanations``."""
        e = self._e
        ids = [*self.jobs, *self._unknown_jobs]
        caps = [*e.cap.tolist(), *repeat(0, len(self._unknown_jobs))]
        texts: Texts = np.full(len(self.candidates), "[]", dtype=object)
        choice = self._choice
        count = np.where(choice > 0, choice - 1, e.length)
        listed = np.flatnonzero(count)
        if not listed.size:
            return texts.tolist()  # type: ignore[no-any-return]
        per = count[listed]
        choices = _ranges(e.start[listed], per)
        first = np.zeros(choices.size, dtype=np.int64)
        first[_starts(per)] = 1
        keys = (e.choice_job[choices] * len(_REASONS) + e.reasons(choices)) * 2 + first

        def piece(key: int) -> str:
            job, why = divmod(key >> 1, len(_REASONS))
            text = json.dumps([ids[job], _REASONS[why].value, caps[job]], separators=(",", ":"))
            return text if key & 1 else "," + text

        joined: Texts = np.add.reduceat(_distinct(keys, piece), _starts(per))
        texts[listed] = "[" + joined + "]"
        return texts.tolist()  # type: ignore[no-any-return]

    def columns(self) -> dict[str, list[Any]]:
        """Each candidate's job order and its place in their list (``choice``, 1 = first),
        None for both when unmatched, as lists in the order of ``candidates``: for writing a
        whole run at once."""
        job_ids: Texts = np.empty(len(self.jobs) + 1, dtype=object)
        job_ids[:-1] = self.jobs
        choices: Texts = self._choice.astype(object)
        choices[self._choice == 0] = None
        return {
            "candidate": list(self.candidates),
            "job": job_ids[self._job_of].tolist(),
            "choice": choices.tolist(),
        }

    # --- Counts ----------------------------------------------------------------------------

    def statistics(self) -> MatchStatistics:
        """Counts over the whole matching."""
        e, n, m = self._e, len(self.candidates), len(self.jobs)
        choice = self._choice
        by_choice = np.bincount(choice, minlength=2)
        unmatched = choice == 0
        no_choices = unmatched & (e.length == 0)
        with_slots = e.choice_position >= 0
        with_slots[with_slots] = e.cap[e.choice_job[with_slots]] > 0
        outranked = unmatched & (np.bincount(e.owner[with_slots], minlength=n) > 0)
        held = self._slots >= 0
        per_job = np.bincount(np.repeat(np.arange(m), e.room)[held], minlength=m)
        return MatchStatistics(
            candidates=n,
            matched=n - int(np.count_nonzero(unmatched)),
            unmatched=int(np.count_nonzero(unmatched)),
            at_first_choice=int(by_choice[1]),
            by_choice=MappingProxyType(
                {place: int(k) for place, k in enumerate(by_choice.tolist()) if place and k}
            ),
            unmatched_by_reason=MappingProxyType(
                {
                    Unmatched.NO_CHOICES: int(np.count_nonzero(no_choices)),
                    Unmatched.NO_ACCEPTABLE: int(
                        np.count_nonzero(unmatched & ~no_choices & ~outranked)
                    ),
                    Unmatched.OUTRANKED: int(np.count_nonzero(outranked)),
                }
            ),
            job_orders=m,
            job_orders_full=int(np.count_nonzero((per_job == e.cap) & (e.cap > 0))),
            slots=int(e.cap.sum()),
            slots_filled=int(np.count_nonzero(held)),
        )
