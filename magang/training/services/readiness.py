"""Readiness and at-risk alerts for a cohort: a fixed handful of grouped queries load what
the pure rules in ``readiness`` and ``alerts.py`` read, whatever the cohort's size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum

from .. import alerts, readiness
from ..models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    DisciplineKind,
    DisciplineRecord,
    Enrolment,
    Score,
)

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


def module_infos(cohort: Cohort) -> list[readiness.ModuleInfo]:
    return [
        readiness.ModuleInfo(
            key=m.key,
            name_en=m.name_en,
            name_id=m.name_id,
            category=m.category,
            pass_mark=float(m.pass_mark),
            weight=float(m.weight),
        )
        for m in cohort.curriculum.modules.all()
    ]


def _enrolments(cohort: Cohort, ids: Iterable[int] | None) -> list[tuple[int, bool | None]]:
    enrolments = Enrolment.objects.filter(cohort=cohort)
    if ids is not None:
        enrolments = enrolments.filter(pk__in=list(ids))
    return list(enrolments.order_by("pk").values_list("pk", "medical_passed"))


def module_averages(cohort: Cohort, ids: list[int]) -> dict[int, dict[str, float]]:
    """Per trainee and module: the weighted mean of the scored assessments on 0..100."""
    scaled = ExpressionWrapper(
        F("score") * 100 / F("assessment__max_score") * F("assessment__weight"),
        output_field=DecimalField(max_digits=12, decimal_places=4),
    )
    rows = (
        Score.objects.filter(enrolment_id__in=ids, assessment__cohort=cohort)
        .values("enrolment_id", "assessment__module__key")
        .annotate(points=Sum(scaled), weights=Sum("assessment__weight"))
    )
    averages: dict[int, dict[str, float]] = defaultdict(dict)
    for row in rows:
        if row["weights"]:
            averages[row["enrolment_id"]][row["assessment__module__key"]] = float(
                row["points"] / row["weights"]
            )
    return averages


def _discipline(ids: list[int]) -> dict[int, dict[str, int]]:
    totals: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        DisciplineRecord.objects.filter(enrolment_id__in=ids)
        .values("enrolment_id", "kind")
        .annotate(points=Sum("points"))
    ):
        totals[row["enrolment_id"]][row["kind"]] = int(row["points"])
    return totals


def cohort_readiness(
    *, cohort: Cohort, enrolment_ids: Iterable[int] | None = None
) -> dict[int, readiness.Verdict]:
    """Every (or the given) trainee's verdict under the curriculum's readiness rules."""
    enrolments = _enrolments(cohort, enrolment_ids)
    ids = [pk for pk, _medical in enrolments]
    attendance = {
        row["enrolment_id"]: row
        for row in Attendance.objects.filter(enrolment_id__in=ids)
        .values("enrolment_id")
        .annotate(
            held=Count("id"),
            attended=Count("id", filter=Q(status__in=ATTENDED)),
            excused=Count("id", filter=Q(status=AttendanceStatus.EXCUSED)),
        )
    }
    averages = module_averages(cohort, ids)
    discipline = _discipline(ids)
    modules = module_infos(cohort)
    records = [
        readiness.TraineeRecord(
            enrolment_id=pk,
            sessions_held=attendance.get(pk, {}).get("held", 0),
            sessions_attended=attendance.get(pk, {}).get("attended", 0),
            sessions_excused=attendance.get(pk, {}).get("excused", 0),
            module_averages={m.key: averages.get(pk, {}).get(m.key) for m in modules},
            demerit_points=discipline.get(pk, {}).get(DisciplineKind.DEMERIT, 0),
            merit_points=discipline.get(pk, {}).get(DisciplineKind.MERIT, 0),
            medical_passed=medical,
        )
        for pk, medical in enrolments
    ]
    rules = readiness.ReadinessRules.from_dict(cohort.curriculum.readiness_rules)
    return readiness.evaluate(records, modules, rules)


def cohort_alerts(
    *, cohort: Cohort, enrolment_ids: Iterable[int] | None = None
) -> dict[int, tuple[alerts.Alert, ...]]:
    """The alerts that fire for every (or the given) trainee, with the rule behind each."""
    ids = [pk for pk, _medical in _enrolments(cohort, enrolment_ids)]
    sequences: dict[int, list[str]] = defaultdict(list)
    for enrolment_id, status in (
        Attendance.objects.filter(enrolment_id__in=ids)
        .order_by("enrolment_id", "session__starts_at", "session_id")
        .values_list("enrolment_id", "status")
    ):
        sequences[enrolment_id].append(status)
    averages = module_averages(cohort, ids)
    discipline = _discipline(ids)
    modules = module_infos(cohort)
    activities = [
        alerts.TraineeActivity(
            enrolment_id=pk,
            attendance=tuple(sequences.get(pk, ())),
            module_averages={m.key: averages.get(pk, {}).get(m.key) for m in modules},
            demerit_points=discipline.get(pk, {}).get(DisciplineKind.DEMERIT, 0),
            merit_points=discipline.get(pk, {}).get(DisciplineKind.MERIT, 0),
        )
        for pk in ids
    ]
    rules = alerts.AlertRules.from_dict(cohort.curriculum.alert_rules)
    return alerts.alerts_for(activities, modules, rules)
