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

# This module holds the rules above and ``stable_match``, which applies them. The rest lives
# beside it and is re-exported here, so callers import only ``matching``: matching_solve.py
# (checking and encoding the inputs, deferred acceptance), matching_result.py (``Matching``
# and the reasons and counts it gives) and matching_explain.py (``Why``, ``Unmatched`` and
# the sentences of the explanations).
from collections.abc import Mapping, Sequence

import numpy as np

from .matching_explain import LANGUAGES, SENTENCES, Language, Unmatched, Why, ordinal
from .matching_explain import sentences as sentences
from .matching_result import C, J, JobReason, Matching, MatchStatistics, Reason
from .matching_solve import (
    InvalidInput,
    _capacity_problems,
    _Encoded,
    _Ids,
    _lengths,
    _lists,
    _ranges,
    _repeats,
    _sort_with_positions,
    _starts,
)

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

# With fewer free candidates than this, deferred acceptance goes on one proposal at a time:
# a numpy round costs about as much for a handful of proposals as for thousands.
# ``stable_match`` reads it here at each call and hands it down, so tests can change it here.
SEQUENTIAL_BELOW = 256


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
        sequential_below=SEQUENTIAL_BELOW,
    )
