"""Scores, dormitory beds and discipline records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import User
from magang.core.services import audit_record

from ..access import require_manage
from ..models import (
    Assessment,
    Bed,
    BedAssignment,
    Cohort,
    DisciplineKind,
    DisciplineRecord,
    Enrolment,
    EnrolmentState,
    Module,
    Score,
)


def score_parse(assessment: Assessment, raw: object) -> Decimal:
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    try:
        score = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(_("'%(text)s' is not a number.") % {"text": text}) from exc
    highest = Decimal(str(assessment.max_score))
    if not score.is_finite() or not 0 <= score <= highest:
        raise ValidationError(
            _("A score lies between 0 and %(max)s.") % {"max": format(highest.normalize(), "f")}
        )
    if score != score.quantize(Decimal("0.01")):
        raise ValidationError(_("A score has at most two decimals."))
    return score


@transaction.atomic
def assessment_create(
    *, cohort: Cohort, module: Module, kind: str, name: str, held_on: dt.date,
    by: User | None, max_score: Decimal = Decimal(100), weight: Decimal = Decimal(1),
) -> Assessment:  # fmt: skip
    """A new assessment of one module of the cohort's curriculum (its name unique in the
    cohort)."""
    require_manage(by, cohort)
    if module.curriculum_id != cohort.curriculum_id:
        raise ValidationError(_("That module is not in this cohort's curriculum."))
    assessment = Assessment(
        cohort=cohort, module=module, kind=kind, name=name.strip(), held_on=held_on,
        max_score=max_score, weight=weight,
    )  # fmt: skip
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=by, action="training.assessment_create", obj=assessment,
        changes={"module": module.key, "max_score": str(max_score), "weight": str(weight)},
    )  # fmt: skip
    return assessment


@transaction.atomic
def scores_save(
    *,
    assessment: Assessment,
    scores: Mapping[int, object],
    by: User | None,
    versions: Mapping[int, int] | None = None,
) -> int:
    """Record scores (enrolment id -> value; an empty value is skipped), all or none. With
    ``versions`` (the versions the editor saw; 0 for none) a score someone else changed
    meanwhile is refused. Returns how many changed."""
    require_manage(by, assessment.cohort)
    members = set(
        Enrolment.objects.filter(cohort_id=assessment.cohort_id)
        .order_by()  # only ids: no joins for the model's ordering
        .values_list("pk", flat=True)
    )
    problems: list[str] = []
    parsed: dict[int, Decimal] = {}
    for pk, raw in scores.items():
        if pk not in members:
            problems.append(_("Trainee %(id)s is not in this cohort.") % {"id": pk})
        elif str(raw if raw is not None else "").strip():
            try:
                parsed[pk] = score_parse(assessment, raw)
            except ValidationError as exc:
                problems.extend(f"#{pk}: {m}" for m in exc.messages)
    existing = {
        s.enrolment_id: s
        for s in Score.objects.select_for_update().filter(
            assessment=assessment, enrolment_id__in=parsed
        )
    }
    for pk in parsed:
        seen = (versions or {}).get(pk)
        current = existing[pk].version if pk in existing else 0
        if seen is not None and seen != current:
            problems.append(
                _("#%(id)s was changed meanwhile to %(score)s; reload and check.")
                % {"id": pk, "score": existing[pk].score if pk in existing else "-"}
            )
    if problems:
        raise ValidationError(problems)
    now, new, changed = timezone.now(), [], []
    for pk, score in parsed.items():
        row = existing.get(pk)
        if row is None:
            new.append(Score(assessment=assessment, enrolment_id=pk, score=score,
                             recorded_by=by, recorded_at=now))  # fmt: skip
        elif row.score != score:
            row.score, row.version, row.recorded_by, row.recorded_at = (
                score,
                row.version + 1,
                by,
                now,
            )
            changed.append(row)
    Score.objects.bulk_create(new)
    Score.objects.bulk_update(changed, ["score", "version", "recorded_by", "recorded_at"])
    if new or changed:
        audit_record(
            actor=by, action="training.scores_save", obj=assessment,
            changes={"new": len(new), "changed": len(changed)},
        )  # fmt: skip
    return len(new) + len(changed)


@transaction.atomic
def bed_assign(
    *, bed: Bed, enrolment: Enrolment, by: User | None, on: dt.date | None = None
) -> BedAssignment:
    """Give an active trainee a bed of their centre (their previous bed is released). The
    database refuses a taken bed and a room of the other sex; both come back as a clear
    ValidationError."""
    require_manage(by, enrolment.cohort)
    if bed.room.building.centre_id != enrolment.cohort.centre_id:
        raise ValidationError(_("That bed is in another centre."))
    if enrolment.state != EnrolmentState.ACTIVE:
        raise ValidationError(_("Only trainees in training get a bed."))
    day = on or timezone.localdate()
    if bed.room.sex != enrolment.application.candidate.sex:
        raise ValidationError(_("Room %(room)s is for the other sex.") % {"room": bed.room})
    BedAssignment.objects.filter(enrolment=enrolment, to_date__isnull=True).update(to_date=day)
    try:
        with transaction.atomic():
            assignment = BedAssignment.objects.create(bed=bed, enrolment=enrolment, from_date=day)
    except IntegrityError as exc:
        message = str(exc)
        if "bed_room_sex" in message:
            raise ValidationError(
                _("Room %(room)s is for the other sex.") % {"room": bed.room}
            ) from exc
        raise ValidationError(_("Bed %(bed)s is taken.") % {"bed": bed}) from exc
    audit_record(actor=by, action="training.bed_assign", obj=assignment, changes={"bed": str(bed)})
    return assignment


@transaction.atomic
def bed_release(*, enrolment: Enrolment, by: User | None, on: dt.date | None = None) -> int:
    require_manage(by, enrolment.cohort)
    released = BedAssignment.objects.filter(enrolment=enrolment, to_date__isnull=True).update(
        to_date=on or timezone.localdate()
    )
    if released:
        audit_record(actor=by, action="training.bed_release", obj=enrolment)
    return released


@transaction.atomic
def discipline_record(
    *,
    enrolment: Enrolment,
    kind: str,
    points: int,
    occurred_on: dt.date,
    description: str,
    by: User | None,
) -> DisciplineRecord:
    require_manage(by, enrolment.cohort)
    problems = []
    if kind not in DisciplineKind.values:
        problems.append(_("Choose merit or demerit."))
    if not 1 <= points <= 100:
        problems.append(_("Points lie between 1 and 100."))
    if not description.strip():
        problems.append(_("Describe what happened."))
    if occurred_on > timezone.localdate():
        problems.append(_("The date cannot be in the future."))
    if problems:
        raise ValidationError(problems)
    record = DisciplineRecord.objects.create(
        enrolment=enrolment, kind=kind, points=points, occurred_on=occurred_on,
        description=description.strip(), recorded_by=by, recorded_at=timezone.now(),
    )  # fmt: skip
    audit_record(
        actor=by, action="training.discipline", obj=record, changes={"kind": kind, "points": points}
    )
    return record
