"""Matching candidates to job orders: the candidate-optimal stable matching, with a reason for
every candidate's result in Indonesian and English.

Pure: numpy and the standard library, no Django. The service loads a run's preferences and
the companies' rankings, calls ``stable_match`` and writes back what the ``Matching`` says.
The rules:

1. ``candidate_prefs`` maps every candidate to the job orders they chose, best first;
   ``job_prefs`` maps job orders to the candidates they rank, best first; ``capacities``
   maps every job order of the run to its slots. Ids are whole numbers or text, all of one
   kind per side so that they can be put in order.
2. A candidate and a job order are acceptable to each other when each lists the other and
   the job order is in ``capacities``. A job order that a candidate lists but that is not in
   ``capacities`` is simply not acceptable to them (its list in ``job_prefs``, if any, is
   ignored), and neither is one in ``capacities`` without a list in ``job_prefs``; ids a job
   order lists that are not keys of ``candidate_prefs`` are ignored. Refused with
   ``InvalidInput``, which lists every problem found: an id listed twice in one list, slots
   that are not a whole number of at least 0, a list of preferences that is not a list (text
   is not), ids of one side that cannot be put in order.
3. The result is stable: everyone matched is matched to a job order acceptable to them, no
   job order has more candidates than slots, and no candidate and job order acceptable to
   each other would both rather be matched together: either the candidate has a job order
   they ranked higher, or the job order's slots all went to candidates it ranked higher.
4. Of the stable results it is the one every candidate likes best (candidate-optimal), the
   one candidate-proposing deferred acceptance with capacities finds. It is unique, so it
   does not depend on the order of anything in the inputs.

How: ids become dense codes (each side in id order) and each candidate's choices become
positions in the job orders' lists, found with one sort. Deferred acceptance then runs in
rounds over numpy arrays: every free candidate proposes to their next acceptable job order
with slots; each job order that received proposals keeps the best of what it held and what
it received, up to its slots, and rejects the rest. When few candidates are still free, the
rest of the proposals are made one at a time in plain Python. No recursion anywhere.
Explanations are built when asked for: for one candidate (``explain``) or for all of them at
once (``explanations``, column by column, much faster than one by one).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import chain, repeat
from types import MappingProxyType
from typing import Any, Generic, Literal, Protocol, TypeAlias, TypeVar

import numpy as np
from numpy.typing import NDArray

from magang.selection.ranking_explain import int_text

__all__ = [
    "LANGUAGES",
    "SENTENCES",
    "InvalidInput",
    "JobReason",
    "Language",
    "MatchStatistics",
    "Matching",
    "Reason",
    "Unmatched",
    "Why",
    "ordinal",
    "stable_match",
]


class _Id(Hashable, Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


C = TypeVar("C", bound=_Id)
J = TypeVar("J", bound=_Id)
Ints: TypeAlias = NDArray[np.int64]
Texts: TypeAlias = NDArray[np.object_]
Language: TypeAlias = Literal["id", "en"]

# With fewer free candidates than this, deferred acceptance goes on one proposal at a time:
# a numpy round costs about as much for a handful of proposals as for thousands.
SEQUENTIAL_BELOW = 256
_SHOWN_PROBLEMS = 10
_MOST_SLOTS = 2**31 - 1


class InvalidInput(ValueError):
    """Inputs that cannot be matched; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        more = len(self.problems) - _SHOWN_PROBLEMS
        shown = " ".join(self.problems[:_SHOWN_PROBLEMS])
        super().__init__(f"Cannot match: {shown}" + (f" ({more:,} more)" if more > 0 else ""))


class Why(StrEnum):
    """Why a candidate is not matched to one job order."""

    FILLED = "filled"  # its slots all went to candidates it ranked higher
    NOT_LISTED = "not_listed"  # it did not list the candidate
    NO_SLOTS = "no_slots"  # it has 0 slots
    NOT_OPEN = "not_open"  # it is not in ``capacities``: not part of this matching
    NOT_CHOSEN = "not_chosen"  # the candidate did not list it
    BELOW_MATCH = "below_match"  # the candidate listed it below their match


class Unmatched(StrEnum):
    """Why a candidate has no job order at all."""

    NO_CHOICES = "no_choices"  # they listed none
    NO_ACCEPTABLE = "no_acceptable"  # none they listed is open, has slots and listed them
    OUTRANKED = "outranked"  # each acceptable one with slots filled them with higher-ranked


# The reasons for a choice above the match (any choice, when unmatched), by code.
_REASONS = (Why.FILLED, Why.NOT_LISTED, Why.NO_SLOTS, Why.NOT_OPEN)
_FILLED, _NOT_LISTED, _NO_SLOTS, _NOT_OPEN = range(len(_REASONS))


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


LANGUAGES: tuple[Language, ...] = ("id", "en")
# Field names in braces are filled by ``explain`` and ``explanations`` alike.
SENTENCES: Mapping[Language, Mapping[str, str]] = {
    "en": {
        "matched": "Matched to {job}, your {choice} choice",
        "first": "Not matched to {job}, your {choice} choice: {why}",
        "next": "; not matched to {job}, your {choice} choice: {why}",
        "unlisted": "Not matched to {job}: {why}",
        "no_choices": "Not matched: you listed no job orders",
        "filled": "its {slots} slots went to candidates it ranked higher",
        "filled_one": "its only slot went to a candidate it ranked higher",
        "not_listed": "it did not list you",
        "no_slots": "it has no slots",
        "not_open": "it is not part of this matching",
        "not_chosen": "you did not list it",
        "below_match": "you ranked it below {match}, your match",
    },
    "id": {
        "matched": "Ditempatkan di {job}, pilihan {choice} Anda",
        "first": "Tidak ditempatkan di {job}, pilihan {choice} Anda: {why}",
        "next": "; tidak ditempatkan di {job}, pilihan {choice} Anda: {why}",
        "unlisted": "Tidak ditempatkan di {job}: {why}",
        "no_choices": "Tidak ditempatkan: Anda tidak memilih job order apa pun",
        "filled": "semua {slots} slotnya terisi oleh kandidat yang diperingkat lebih tinggi",
        "filled_one": "satu-satunya slotnya terisi oleh kandidat yang diperingkat lebih tinggi",
        "not_listed": "job order ini tidak mencantumkan Anda",
        "no_slots": "job order ini tidak memiliki slot",
        "not_open": "job order ini tidak termasuk dalam pencocokan ini",
        "not_chosen": "Anda tidak memilihnya",
        "below_match": "Anda menempatkannya di bawah {match}, tempat Anda ditempatkan",
    },
}


def sentences(language: str) -> Mapping[str, str]:
    """The sentences of a language; ValueError for any other than "id" and "en"."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be 'id' or 'en', not {language!r}.")
    return SENTENCES[language]  # type: ignore[index]


def ordinal(place: int, language: Language) -> str:
    """A place in a list as the sentences say it: 1 -> "1st" / "pertama", 2 -> "2nd" /
    "ke-2", 1001 -> "1,001st" / "ke-1.001"."""
    if language != "en":
        return "pertama" if place == 1 else f"ke-{int_text(place, False)}"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(place % 10, "th")
    return int_text(place, True) + ("th" if place % 100 in (11, 12, 13) else suffix)


def stable_match(
    candidate_prefs: Mapping[C, Sequence[J]],
    job_prefs: Mapping[J, Sequence[C]],
    capacities: Mapping[J, int],
    *,
    job_names: Mapping[J, str] | None = None,
) -> Matching[C, J]:
    """The candidate-optimal stable matching, by the rules in this module's docstring.

    ``job_names`` gives the names explanations use for job orders (the id as text
    otherwise). Raises ``InvalidInput`` listing every problem with the inputs.
    """
    problems: list[str] = []
    cand_keys, cand_lists = _lists(candidate_prefs, "Candidate", "job orders", problems)
    job_keys, job_lists = _lists(job_prefs, "Job order", "candidates", problems)
    problems += _capacity_problems(capacities)
    candidates = _Ids(cand_keys, "Candidate", problems)
    jobs = _Ids(list(capacities), "Job order", problems)
    if problems:
        raise InvalidInput(problems)
    n, m = len(candidates.ids), len(jobs.ids)
    cap = np.zeros(m, dtype=np.int64)
    cap[jobs.code_of_row] = np.fromiter(capacities.values(), dtype=np.int64, count=m)

    # Candidates' lists flattened in candidate order, as job order codes (m and up: not in
    # capacities); job orders' lists flattened in input order, as candidate codes (n and up:
    # not a candidate). A position in the latter is a job order's ranking of a candidate.
    lengths = _lengths(cand_lists)
    c_job, unknown_jobs = jobs.encode(cand_lists, lengths, problems, "Candidate", cand_keys)
    j_len = _lengths(job_lists)
    j_cand, unknown_cands = candidates.encode(job_lists, j_len, problems, "Job order", job_keys)
    j_code, _ = jobs.encode([job_keys], np.array([len(job_keys)]), problems, "", [""])
    if problems:
        raise InvalidInput(problems)
    order = candidates.row_of_code
    c_job = c_job[_ranges(_starts(lengths)[order], lengths[order])]
    length = lengths[order]
    owner = np.repeat(np.arange(n, dtype=np.int64), length)
    j_row = np.repeat(np.arange(len(job_keys), dtype=np.int64), j_len)
    span_c, span_j = n + len(unknown_cands), m + len(unknown_jobs)

    for code, job_code in _repeats(owner * span_j + c_job, span_j):
        job = jobs.decode(job_code, unknown_jobs)
        problems.append(
            f"Candidate {candidates.ids[code]!r} lists job order {job!r} more than once."
        )
    j_sorted, j_position = _sort_with_positions(j_row * span_c + j_cand)
    for row, cand_code in _repeats(j_sorted, span_c, presorted=True):
        cand = candidates.decode(cand_code, unknown_cands)
        problems.append(f"Job order {job_keys[row]!r} lists candidate {cand!r} more than once.")
    if problems:
        raise InvalidInput(problems)

    # Each choice's position in the job order's list; -1 when not acceptable.
    row_of_job = np.full(span_j, -1, dtype=np.int64)
    listing = np.flatnonzero(j_code < m)
    row_of_job[j_code[listing]] = listing
    c_position = np.full(c_job.size, -1, dtype=np.int64)
    asked = np.flatnonzero(row_of_job[c_job] >= 0)
    if asked.size and j_sorted.size:
        wanted, at_choice = _sort_with_positions(row_of_job[c_job[asked]] * span_c + owner[asked])
        at = np.minimum(np.searchsorted(j_sorted, wanted), j_sorted.size - 1)
        found = j_sorted[at] == wanted
        c_position[asked[at_choice[found]]] = j_position[at[found]]

    encoded = _Encoded(
        cap=cap,
        room=np.minimum(cap, n),
        start=_starts(length),
        length=length,
        owner=owner,
        choice_job=c_job,
        choice_position=c_position,
        position_job=np.minimum(j_code, m)[j_row],
        position_candidate=j_cand,
    )
    return Matching(
        candidates=candidates.ids,
        jobs=jobs.ids,
        unknown_jobs=tuple(unknown_jobs),
        job_names=dict(job_names or {}),
        encoded=encoded,
    )


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


class Matching(Mapping[C, J]):
    """What ``stable_match`` returns: a read-only mapping of each matched candidate to their
    job order (``dict(matching)`` gives it whole; unmatched candidates are absent), with the
    reason for everyone's result (``reason``, ``why_not``, ``explain``, ``explain_job``),
    each job order's candidates (``filled``) and the counts (``statistics``).

    ``candidates`` holds every candidate in id order and ``jobs`` every job order of
    ``capacities``. To store a whole run, ``columns()`` and ``explanations(language)`` give
    one entry per candidate in the order of ``candidates``.
    """

    def __init__(
        self,
        *,
        candidates: Sequence[C],
        jobs: Sequence[J],
        unknown_jobs: tuple[J, ...],
        job_names: Mapping[J, str],
        encoded: _Encoded,
    ) -> None:
        self.candidates: tuple[C, ...] = tuple(candidates)
        self.jobs: tuple[J, ...] = tuple(jobs)
        self._unknown_jobs = unknown_jobs
        self._job_names = job_names
        self._e = e = encoded
        self._offset = _starts(e.room)  # each job order's first slot
        self._slots, matched_choice = _deferred_acceptance(e)
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


# --- Deferred acceptance ------------------------------------------------------------------


def _deferred_acceptance(e: _Encoded) -> tuple[Ints, Ints]:
    """Candidate-proposing deferred acceptance with capacities. Returns every job order's
    slots (``cap`` of them each, job orders in code order), holding the positions of its
    candidates in its list best first, -1 when empty; and the choice each candidate is
    matched by, -1 if none."""
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
    while free.size and free.size >= SEQUENTIAL_BELOW:
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


# --- Sentences ----------------------------------------------------------------------------


def _head(words: Mapping[str, str], language: Language, name: str, place: int) -> str:
    return words["matched"].format(job=name, choice=ordinal(place, language))


def _piece(
    words: Mapping[str, str],
    language: Language,
    name: str,
    place: int,
    why: int,
    slots: int,
    first: bool,
) -> str:
    """Why not one job order: a sentence of its own when ``first``, else its continuation."""
    if why == _FILLED:
        if slots == 1:
            reason = words["filled_one"]
        else:
            reason = words["filled"].format(slots=int_text(slots, language == "en"))
    else:
        reason = words[_REASONS[why].value]
    sentence = words["first" if first else "next"]
    return sentence.format(job=name, choice=ordinal(place, language), why=reason)


def _distinct(keys: Ints, text: Callable[[int], str]) -> Texts:
    """``text(key)`` for each of ``keys``, called once per distinct key."""
    distinct, where = np.unique(keys, return_inverse=True)
    table: Texts = np.empty(distinct.size, dtype=object)
    table[:] = [text(key) for key in distinct.tolist()]
    return table[where]
