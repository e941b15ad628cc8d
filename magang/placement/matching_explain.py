"""Why, in one line: the reasons a candidate is not matched (``Why``, ``Unmatched``) and the
sentences that say them, in Indonesian ("id") or English ("en"). Part of ``matching`` (which
re-exports what is public); pure: numpy and the standard library, no Django.

Every sentence is written once, in ``SENTENCES``. ``Matching.explain`` fills them for one
candidate and ``Matching.explanations`` for every candidate at once, both with ``_head`` (the
match) and ``_piece`` (why not one job order); ``_distinct`` writes each distinct part once.
A stored run keeps only the facts (``Matching.stored_reasons``) and ``explain_stored`` says
them in the same words when they are read; ``explain_change`` says a committee's change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray

from magang.selection.ranking_explain import int_text

if TYPE_CHECKING:
    from .matching_solve import Ints

Texts: TypeAlias = NDArray[np.object_]
Language: TypeAlias = Literal["id", "en"]


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
        "changed": "Changed by the committee to {job}: {reason}",
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
        "changed": "Diubah oleh komite ke {job}: {reason}",
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


# --- Stored reasons -----------------------------------------------------------------------


def explain_stored(
    reasons: Sequence[Sequence[Any]],
    *,
    match: str | None,
    choice: int | None,
    names: Mapping[Any, str],
    language: Language = "id",
) -> str:
    """``Matching.explain``'s line for a candidate, from what a run stores for them:
    ``reasons`` (``Matching.stored_reasons``, parsed: ``[job order, why, slots]`` for each
    job order they listed above their match, every one when unmatched, in their order), the
    name of the job order they are matched to (``match``, None when unmatched) and its place
    in their list (``choice``). ``names`` gives job orders' names by id (the id as text
    otherwise). ValueError for an unknown language or reason."""
    words = sentences(language)
    lang: Language = "en" if language == "en" else "id"
    if match is None and not reasons:
        return words["no_choices"]
    text = "" if match is None else _head(words, lang, match, choice or 0)
    for place, (job, why, slots) in enumerate(reasons, 1):
        code = _REASONS.index(Why(why))
        name = names.get(job, str(job))
        text += _piece(words, lang, name, place, code, int(slots), not text)
    return text


def explain_change(target: str | None, reason: str, language: Language = "id") -> str:
    """The line for a result the committee changed by hand: to job order ``target`` (None:
    to no job order), and why."""
    return sentences(language)["changed"].format(job=target or "-", reason=reason)
