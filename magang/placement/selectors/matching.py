"""Match results as people read them: each result's explanation said from the facts its run
stored (``Match.reasons``), in Indonesian and English, with the same words as the pure
``Matching.explain``. Job orders are named as the run named them: "reference (host company)".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language

from ..matching_explain import Language, explain_change, explain_stored
from ..models import JobOrder, Match


def job_order_name(order: JobOrder) -> str:
    """How a match run's explanations name a job order."""
    return f"{order.reference} ({order.host_company})"


def reader_language() -> Language:
    """The active language as the explanations have it: Indonesian on Indonesian pages,
    English otherwise."""
    return "id" if (get_language() or "id").startswith("id") else "en"


@dataclass(frozen=True)
class ExplainedMatch:
    """A result with its explanation in both languages."""

    match: Match
    explanation_id: str
    explanation_en: str

    def explanation(self, language: Language) -> str:
        return self.explanation_en if language == "en" else self.explanation_id


def match_explained(matches: Iterable[Match]) -> list[ExplainedMatch]:
    """The results given (load them with ``job_order__host_company``) with their
    explanations; one query for the names of the other job orders they mention."""
    matches = list(matches)
    reasons = [json.loads(m.reasons) for m in matches]
    named: dict[int, JobOrder] = {
        m.job_order.pk: m.job_order for m in matches if m.job_order is not None
    }
    mentioned = {
        reason[0] for listed in reasons if isinstance(listed, list) for reason in listed
    } - set(named)
    if mentioned:
        named.update(
            JobOrder.objects.select_related("host_company").in_bulk(
                [pk for pk in mentioned if isinstance(pk, int)]
            )
        )
    names = {pk: job_order_name(order) for pk, order in named.items()}
    return [
        ExplainedMatch(
            match, _explain(match, listed, names, "id"), _explain(match, listed, names, "en")
        )
        for match, listed in zip(matches, reasons, strict=True)
    ]


def _explain(match: Match, reasons: Any, names: dict[int, str], language: Language) -> str:
    if match.change_reason:
        target = match.job_order.reference if match.job_order is not None else None
        return explain_change(target, match.change_reason, language)
    if isinstance(reasons, dict):  # a result stored with its texts, before reasons were
        return str(reasons[language])
    return explain_stored(
        reasons,
        match=names[match.job_order_id] if match.job_order_id is not None else None,
        choice=match.preference_rank,
        names=names,
        language=language,
    )
