"""A job order's shortlist, and what partners and host companies see of each candidate on
it: registration number, name (and katakana), age, sex, height, Japanese level and the
weighted training total. Never health data, contacts, the NIK or discipline records: the
card is built field by field, so nothing else can slip through."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from magang.recruitment.models import Application
from magang.training import readiness
from magang.training.models import Cohort, Enrolment
from magang.training.services.readiness import cohort_readiness

from ..eligibility import LEVEL_NAMES, age_on
from ..models import Candidacy, InterviewResult, JobOrder


@dataclass(frozen=True)
class CandidateCard:
    application_id: int
    registration_number: str
    full_name: str
    name_katakana: str
    age: int
    sex: str  # M or F
    height_cm: int | None
    japanese_level: str  # N5, N4, A2 or empty
    training_total: float | None  # the weighted total of the latest enrolment, 0..100

    @property
    def japanese_level_name(self) -> str:
        return LEVEL_NAMES.get(self.japanese_level, "")


@dataclass(frozen=True)
class ShortlistRow:
    candidacy: Candidacy
    card: CandidateCard

    @property
    def passed(self) -> bool:
        return self.candidacy.result == InterviewResult.PASSED


def _japanese_levels(ids: list[int]) -> dict[int, str]:
    """Each application's certified level, from its latest enrolment that has one."""
    levels: dict[int, str] = {}
    for application_id, level in (
        Enrolment.objects.filter(application_id__in=ids)
        .exclude(japanese_level="")
        .order_by("application_id", "-enrolled_on", "-pk")
        .values_list("application_id", "japanese_level")
    ):
        levels.setdefault(application_id, level)
    return levels


def _training_totals(ids: list[int]) -> dict[int, float | None]:
    """The weighted total (``cohort_readiness``) of each application's latest enrolment: a
    few queries per cohort, whatever the number of people."""
    latest: dict[int, tuple[int, int]] = {}
    for application_id, enrolment_id, cohort_id in (
        Enrolment.objects.filter(application_id__in=ids)
        .order_by("application_id", "-enrolled_on", "-pk")
        .values_list("application_id", "pk", "cohort_id")
    ):
        latest.setdefault(application_id, (enrolment_id, cohort_id))
    by_cohort: dict[int, list[int]] = defaultdict(list)
    for enrolment_id, cohort_id in latest.values():
        by_cohort[cohort_id].append(enrolment_id)
    totals: dict[int, float | None] = {}
    for cohort in Cohort.objects.filter(pk__in=by_cohort).select_related("curriculum"):
        try:
            verdicts = cohort_readiness(cohort=cohort, enrolment_ids=by_cohort[cohort.pk])
        except (readiness.InvalidRules, readiness.InvalidInput):
            continue  # a curriculum whose rules do not read: no total rather than an error
        totals.update((pk, v.weighted_total) for pk, v in verdicts.items())
    return {application_id: totals.get(pk) for application_id, (pk, _c) in latest.items()}


def candidate_cards(
    applications: Iterable[Application], *, today: dt.date
) -> dict[int, CandidateCard]:
    """The cards of ``applications`` (their candidate selected with them), by id."""
    people = list(applications)
    ids = [a.pk for a in people]
    levels = _japanese_levels(ids)
    totals = _training_totals(ids)
    return {
        a.pk: CandidateCard(
            application_id=a.pk,
            registration_number=a.registration_number,
            full_name=a.candidate.full_name,
            name_katakana=a.candidate.name_katakana,
            age=age_on(a.candidate.birth_date, today),
            sex=a.candidate.sex,
            height_cm=a.height_cm,
            japanese_level=levels.get(a.pk, ""),
            training_total=totals.get(a.pk),
        )
        for a in people
    }


def shortlist_rows(*, order: JobOrder, today: dt.date) -> list[ShortlistRow]:
    """The order's shortlist: the company's ranking first, then by registration number."""
    candidacies = list(
        Candidacy.objects.filter(job_order=order)
        .select_related("application__candidate")
        .order_by()
    )
    # Unranked people last, on SQLite (NULLs first) as on PostgreSQL (NULLs last).
    candidacies.sort(
        key=lambda c: (
            c.company_rank is None,
            c.company_rank or 0,
            c.application.registration_number,
        )
    )
    cards = candidate_cards((c.application for c in candidacies), today=today)
    return [ShortlistRow(c, cards[c.application_id]) for c in candidacies]
