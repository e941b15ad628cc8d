"""Reads about discipline: a cohort's (or one class's) merits and demerits, and each
trainee's points. The cohort comes from ``access_cohort``, so the scope is already the
user's."""

from __future__ import annotations

from django.db.models import F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from ..models import (
    Cohort,
    DisciplineKind,
    DisciplineRecord,
    Enrolment,
    EnrolmentState,
    TrainingClass,
)


def discipline_records(
    *, cohort: Cohort, training_class: TrainingClass | None = None
) -> QuerySet[DisciplineRecord]:
    """Newest first."""
    records = DisciplineRecord.objects.filter(enrolment__cohort=cohort)
    if training_class is not None:
        records = records.filter(enrolment__training_class=training_class)
    return records.select_related(
        "enrolment__application__candidate", "enrolment__training_class", "recorded_by"
    ).order_by("-occurred_on", "-id")


def with_points(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Each enrolment with ``merit_points``, ``demerit_points`` and ``net_points`` (demerit
    minus merit, as the readiness and alert rules count them)."""
    zero = Value(0, output_field=IntegerField())
    return enrolments.annotate(
        merit_points=Coalesce(
            Sum(
                "discipline_records__points",
                filter=Q(discipline_records__kind=DisciplineKind.MERIT),
            ),
            zero,
        ),
        demerit_points=Coalesce(
            Sum(
                "discipline_records__points",
                filter=Q(discipline_records__kind=DisciplineKind.DEMERIT),
            ),
            zero,
        ),
    ).annotate(net_points=F("demerit_points") - F("merit_points"))


def discipline_totals(
    *, cohort: Cohort, training_class: TrainingClass | None = None
) -> QuerySet[Enrolment]:
    """The trainees in training (and anyone else with a record), most net demerits first."""
    enrolments = Enrolment.objects.filter(cohort=cohort).filter(
        Q(state=EnrolmentState.ACTIVE) | Q(discipline_records__isnull=False)
    )
    if training_class is not None:
        enrolments = enrolments.filter(training_class=training_class)
    ids = enrolments.values("pk")
    return (
        with_points(Enrolment.objects.filter(pk__in=ids))
        .select_related("application__candidate", "training_class")
        .order_by("-net_points", "application__candidate__full_name", "pk")
    )


def recordable_trainees(
    *, cohort: Cohort, training_class: TrainingClass | None = None
) -> QuerySet[Enrolment]:
    """Who a merit or demerit may be recorded for: the trainees in training."""
    enrolments = Enrolment.objects.filter(cohort=cohort, state=EnrolmentState.ACTIVE)
    if training_class is not None:
        enrolments = enrolments.filter(training_class=training_class)
    return enrolments.select_related("application__candidate", "training_class").order_by(
        "application__candidate__full_name", "pk"
    )
