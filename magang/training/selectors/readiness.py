"""Readiness and at-risk alerts as people read them: one class's checklist, one trainee's,
and the alerts of a homeroom trainer's classes. A fixed number of queries per cohort,
whatever its size; texts in the reader's language (Indonesian by default, English for
English and Japanese readers)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import get_language

from .. import alerts, readiness
from ..access import cohort_scope, may_manage
from ..models import Cohort, Enrolment, EnrolmentState, TrainingClass
from ..services.readiness import cohort_alerts, cohort_readiness


def in_language(english: str, indonesian: str, language: str | None = None) -> str:
    """Indonesian for Indonesian readers, English for everyone else (Japanese too)."""
    language = language if language is not None else get_language()
    return indonesian if (language or "id").startswith("id") and indonesian else english


# --- Access -------------------------------------------------------------------------------


def access_class(*, user: Any, pk: int, write: bool = False) -> TrainingClass:
    """The class, or 404 when its cohort is not one the user may read; 403 when the user
    may read it but not change it (as ``access_cohort``)."""
    training_class = (
        TrainingClass.objects.filter(pk=pk, cohort__in=cohort_scope(user=user))
        .select_related("cohort__centre", "cohort__curriculum", "homeroom_trainer")
        .first()
    )
    if training_class is None:
        raise Http404("No such class.")
    if write and not may_manage(user, training_class.cohort):
        raise PermissionDenied
    return training_class


def access_enrolment(*, user: Any, pk: int, write: bool = False) -> Enrolment:
    """A trainee's enrolment as staff see it: 404 outside the user's cohorts, 403 when the
    user may read but not change it."""
    enrolment = (
        Enrolment.objects.filter(pk=pk, cohort__in=cohort_scope(user=user))
        .select_related(
            "cohort__centre", "cohort__curriculum", "training_class", "application__candidate"
        )
        .first()
    )
    if enrolment is None:
        raise Http404("No such trainee.")
    if write and not may_manage(user, enrolment.cohort):
        raise PermissionDenied
    return enrolment


def trainees_of_class(training_class: TrainingClass) -> QuerySet[Enrolment]:
    """Everyone ever in the class, those in training first, then by name."""
    return (
        Enrolment.objects.filter(training_class=training_class)
        .select_related("application__candidate")
        .annotate(
            ended=Case(
                When(state=EnrolmentState.ACTIVE, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("ended", "application__candidate__full_name", "pk")
    )


# --- Readiness ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReasonLine:
    rule: str
    passed: bool
    text: str


@dataclass(frozen=True)
class TraineeReadiness:
    enrolment: Enrolment
    ready: bool
    reasons: tuple[ReasonLine, ...]
    attendance_rate: float | None
    weighted_total: float | None

    @property
    def failures(self) -> tuple[ReasonLine, ...]:
        return tuple(r for r in self.reasons if not r.passed)

    @property
    def active(self) -> bool:
        return self.enrolment.state == EnrolmentState.ACTIVE


@dataclass
class ClassReadiness:
    training_class: TrainingClass
    rows: list[TraineeReadiness] = field(default_factory=list)
    problems: tuple[str, ...] = ()

    @property
    def active_count(self) -> int:
        return sum(1 for row in self.rows if row.active)

    @property
    def ready_count(self) -> int:
        return sum(1 for row in self.rows if row.active and row.ready)


def reason_lines(verdict: readiness.Verdict, language: str | None = None) -> tuple[ReasonLine, ...]:
    return tuple(
        ReasonLine(rule=r.rule, passed=r.passed, text=in_language(r.text_en, r.text_id, language))
        for r in verdict.reasons
    )


def _row(enrolment: Enrolment, verdict: readiness.Verdict) -> TraineeReadiness:
    return TraineeReadiness(
        enrolment=enrolment,
        ready=verdict.ready,
        reasons=reason_lines(verdict),
        attendance_rate=verdict.attendance_rate,
        weighted_total=verdict.weighted_total,
    )


def verdicts(cohort: Cohort, enrolments: list[Enrolment]) -> dict[int, readiness.Verdict]:
    """The readiness verdict of each enrolment (all of one cohort), in a fixed handful of
    queries; raises ``readiness.InvalidRules`` when the curriculum's rules cannot be read."""
    if not enrolments:
        return {}
    return cohort_readiness(cohort=cohort, enrolment_ids=[e.pk for e in enrolments])


def class_readiness(*, training_class: TrainingClass) -> ClassReadiness:
    """Every trainee of the class with each readiness rule, passed or not."""
    enrolments = list(trainees_of_class(training_class))
    result = ClassReadiness(training_class=training_class)
    try:
        found = verdicts(training_class.cohort, enrolments)
    except readiness.InvalidRules as exc:
        result.problems = exc.problems
        return result
    result.rows = [_row(e, found[e.pk]) for e in enrolments if e.pk in found]
    return result


def trainee_readiness(*, enrolment: Enrolment) -> TraineeReadiness | None:
    """One trainee's checklist; None when the curriculum's rules cannot be read."""
    try:
        found = verdicts(enrolment.cohort, [enrolment])
    except readiness.InvalidRules:
        return None
    return _row(enrolment, found[enrolment.pk])


# --- At-risk alerts -----------------------------------------------------------------------


@dataclass(frozen=True)
class AlertLine:
    rule: str
    text: str
    severity: str


@dataclass(frozen=True)
class TraineeAlerts:
    enrolment: Enrolment
    alerts: tuple[AlertLine, ...]


@dataclass
class ClassAlerts:
    training_class: TrainingClass
    trainees: list[TraineeAlerts] = field(default_factory=list)
    active_count: int = 0
    problems: tuple[str, ...] = ()


def _alert_lines(found: tuple[alerts.Alert, ...]) -> tuple[AlertLine, ...]:
    return tuple(
        AlertLine(rule=a.rule, text=in_language(a.text_en, a.text_id), severity=a.severity)
        for a in found
    )


def _alerts_by_class(classes: list[TrainingClass]) -> list[ClassAlerts]:
    """The trainees in training with at least one alert, per class: one query for the
    trainees, then a fixed handful per cohort (never per trainee)."""
    result = {c.pk: ClassAlerts(training_class=c) for c in classes}
    by_cohort: dict[int, list[Enrolment]] = defaultdict(list)
    cohorts = {c.cohort_id: c.cohort for c in classes}
    for enrolment in (
        Enrolment.objects.filter(training_class__in=classes, state=EnrolmentState.ACTIVE)
        .select_related("application__candidate")
        .order_by("application__candidate__full_name", "pk")
    ):
        if enrolment.training_class_id in result:  # always: filtered on the classes
            by_cohort[enrolment.cohort_id].append(enrolment)
            result[enrolment.training_class_id].active_count += 1
    for cohort_id, enrolments in by_cohort.items():
        try:
            found = cohort_alerts(
                cohort=cohorts[cohort_id], enrolment_ids=[e.pk for e in enrolments]
            )
        except readiness.InvalidRules as exc:
            for c in classes:
                if c.cohort_id == cohort_id:
                    result[c.pk].problems = exc.problems
            continue
        for enrolment in enrolments:
            fired = found.get(enrolment.pk, ())
            if fired and enrolment.training_class_id in result:
                result[enrolment.training_class_id].trainees.append(
                    TraineeAlerts(enrolment=enrolment, alerts=_alert_lines(fired))
                )
    return [result[c.pk] for c in classes]


def class_alerts(*, training_class: TrainingClass) -> ClassAlerts:
    return _alerts_by_class([training_class])[0]


def homeroom_alerts(*, user: Any) -> list[ClassAlerts]:
    """The alerts of the classes the user is homeroom trainer of, in cohorts still running
    (with trainees in training) that the user may read."""
    classes = list(
        TrainingClass.objects.filter(
            Exists(
                Enrolment.objects.filter(training_class=OuterRef("pk"), state=EnrolmentState.ACTIVE)
            ),
            homeroom_trainer_id=user.pk,
            cohort__in=cohort_scope(user=user),
        )
        .select_related("cohort__curriculum")
        .order_by("cohort__starts_on", "cohort__code", "name")
    )
    return _alerts_by_class(classes) if classes else []
