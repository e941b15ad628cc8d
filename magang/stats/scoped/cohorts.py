"""Training outcomes: enrolments by state for the latest cohorts the user may read."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from magang.accounts.models import Role
from magang.accounts.scopes import scope_for
from magang.training.models import Cohort, EnrolmentState

from ..models import CohortCount
from .panels import MINISTRY_ROLES


@dataclass(frozen=True)
class CohortRow:
    cohort: Cohort
    counts: dict[str, int]

    @property
    def enrolled(self) -> int:
        return sum(self.counts.values())

    def count(self, state: str) -> int:
        return self.counts.get(state, 0)

    @property
    def by_state(self) -> list[int]:
        return [self.counts.get(state.value, 0) for state in EnrolmentState]


def cohort_counts(cohort_ids: list[int]) -> list[tuple[int, str, int]]:
    rows = CohortCount.objects.filter(cohort_id__in=cohort_ids)
    return list(rows.values_list("cohort_id", "state", "count"))


def cohort_outcomes(*, user: Any, limit: int = 60) -> list[CohortRow]:
    """The latest ``limit`` cohorts the user may read, with enrolments by state."""
    scope = scope_for(user)
    cohorts = Cohort.objects.select_related("centre").order_by("-starts_on", "code")
    if not scope.has_role(*MINISTRY_ROLES):
        cohorts = cohorts.filter(centre_id__in=scope.organisations(Role.TRAINING_STAFF))
    shown = list(cohorts[:limit])
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for cohort_id, state, n in cohort_counts([c.pk for c in shown]):
        counts[cohort_id][state] = n
    return [CohortRow(c, counts[c.pk]) for c in shown]


COHORT_STATES = tuple(EnrolmentState)
