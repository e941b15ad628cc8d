"""Reads about ranking runs: what changed from the previous run and why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..models import Placement, RankingRun, StageResultChange


@dataclass(frozen=True)
class ResultCorrection:
    stage: str
    by: str
    at: dt.datetime
    reason: str
    masked: bool


@dataclass(frozen=True)
class StatusChange:
    """One application whose outcome differs from the previous run, and the corrections to
    its results recorded between the two runs (the why)."""

    application_id: int
    registration_number: str
    before: str
    after: str
    explanation_before: str
    explanation_after: str
    corrections: tuple[ResultCorrection, ...]


def run_changes(run: RankingRun, *, language: str = "id", limit: int = 500) -> list[StatusChange]:
    """Applications whose outcome changed since ``run.previous`` (newly ranked ones count as
    changed from "—"), at most ``limit``, by registration number. Correction values are not
    shown here; medical ones are marked masked."""
    if run.previous_id is None:
        return []
    field = "explanation_en" if language == "en" else "explanation_id"
    before = {
        pk: (outcome, text)
        for pk, outcome, text in Placement.objects.filter(run_id=run.previous_id).values_list(
            "application_id", "outcome", field
        )
    }
    changed: list[tuple[str, int, str, str, str, str]] = []
    for pk, number, outcome, text in (
        Placement.objects.filter(run=run)
        .values_list("application_id", "application__registration_number", "outcome", field)
        .iterator(chunk_size=10_000)
    ):
        old_outcome, old_text = before.get(pk, ("", ""))
        if old_outcome != outcome:
            changed.append((number, pk, old_outcome, outcome, old_text, text))
    changed.sort()
    changed = changed[:limit]
    previous_at = RankingRun.objects.get(pk=run.previous_id).created_at
    corrections: dict[int, list[ResultCorrection]] = {}
    for change in StageResultChange.objects.filter(
        result__application_id__in=[c[1] for c in changed],
        changed_at__gt=previous_at,
        changed_at__lte=run.created_at,
    ).select_related("result__stage", "changed_by"):
        stage = change.result.stage
        corrections.setdefault(change.result.application_id, []).append(
            ResultCorrection(
                stage=stage.name_en if language == "en" else stage.name_id,
                by=str(change.changed_by or ""),
                at=change.changed_at,
                reason=change.reason,
                masked=stage.is_medical,
            )
        )
    return [
        StatusChange(
            application_id=pk,
            registration_number=number,
            before=old,
            after=new,
            explanation_before=old_text,
            explanation_after=new_text,
            corrections=tuple(corrections.get(pk, ())),
        )
        for number, pk, old, new, old_text, new_text in changed
    ]
