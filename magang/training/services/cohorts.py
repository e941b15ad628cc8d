"""Curricula, cohorts, enrolment, classes, and the end of training (graduation, drop-out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import Membership, Role, User
from magang.core.services import audit_record
from magang.recruitment.journey import Status
from magang.recruitment.models import Application, Programme
from magang.recruitment.services import application_advance

from ..access import require_manage
from ..models import (
    Cohort,
    Curriculum,
    Enrolment,
    EnrolmentState,
    Module,
    TrainingClass,
)

ENROLLABLE = (Status.SELECTED, Status.IN_TRAINING)


@transaction.atomic
def curriculum_copy(
    *, source: Curriculum, code: str, name: str, year: int, by: User | None,
    programme: Programme | None = None,
) -> Curriculum:  # fmt: skip
    """Next year's curriculum: the same modules and rules, to edit; the source is unchanged."""
    copy = Curriculum.objects.create(
        programme=programme or source.programme,
        code=code,
        name=name,
        year=year,
        readiness_rules=dict(source.readiness_rules),
        alert_rules=dict(source.alert_rules),
        copied_from=source,
    )
    Module.objects.bulk_create(
        Module(
            curriculum=copy,
            order=m.order,
            key=m.key,
            name_en=m.name_en,
            name_id=m.name_id,
            category=m.category,
            planned_hours=m.planned_hours,
            pass_mark=m.pass_mark,
            weight=m.weight,
        )
        for m in source.modules.all()
    )
    audit_record(
        actor=by, action="training.curriculum_copy", obj=copy, changes={"from": source.code}
    )
    return copy


@transaction.atomic
def cohort_enrol(
    *,
    cohort: Cohort,
    applications: Sequence[Application],
    by: User | None,
    training_class: TrainingClass | None = None,
    on: dt.date | None = None,
) -> list[Enrolment]:
    """Enrol applications in bulk, all or none. Selected applications move to in_training
    through the journey service; those already in training (after Stage I) need no move but
    must not be in another cohort now. The cohort's capacity is never exceeded."""
    require_manage(by, cohort)
    if training_class is not None and training_class.cohort_id != cohort.pk:
        raise ValidationError(_("That class belongs to another cohort."))
    ids = sorted({a.pk for a in applications})
    locked = list(Application.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    problems = [
        _("%(number)s is %(status)s, not selected or in training.")
        % {"number": a.registration_number, "status": a.get_status_display()}
        for a in locked
        if a.status not in ENROLLABLE
    ]
    busy = set(
        Enrolment.objects.filter(application_id__in=ids, state=EnrolmentState.ACTIVE).values_list(
            "application__registration_number", flat=True
        )
    )
    problems += [_("%(number)s is already in training.") % {"number": n} for n in sorted(busy)]
    taken = Enrolment.objects.filter(cohort=cohort, state=EnrolmentState.ACTIVE).count()
    if taken + len(locked) > cohort.capacity:
        problems.append(
            _("The cohort holds %(capacity)s and has %(taken)s; %(asked)s more do not fit.")
            % {"capacity": cohort.capacity, "taken": taken, "asked": len(locked)}
        )
    if problems:
        raise ValidationError(problems)
    day = on or timezone.localdate()
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(cohort=cohort, application=a, training_class=training_class, enrolled_on=day)
        for a in locked
    )
    for application in locked:
        if application.status == Status.SELECTED:
            application_advance(
                application=application,
                to=Status.IN_TRAINING,
                by=by,
                reason=_("Enrolled in %(cohort)s") % {"cohort": cohort.name},
                effective_on=day,
            )
    audit_record(
        actor=by, action="training.enrol", obj=cohort, changes={"applications": len(locked)}
    )
    return enrolments


@transaction.atomic
def class_create(
    *, cohort: Cohort, name: str, by: User | None, homeroom_trainer: User | None = None
) -> TrainingClass:
    """A new class of the cohort (its name unique in the cohort); the homeroom trainer, if
    any, is training staff of the cohort's centre."""
    require_manage(by, cohort)
    if homeroom_trainer is not None and not Membership.objects.filter(
        user=homeroom_trainer, organisation_id=cohort.centre_id, role=Role.TRAINING_STAFF,
        is_active=True,
    ).exists():  # fmt: skip
        raise ValidationError(_("The homeroom trainer must be training staff of this centre."))
    klass = TrainingClass(cohort=cohort, name=name.strip(), homeroom_trainer=homeroom_trainer)
    klass.full_clean()
    klass.save()
    audit_record(actor=by, action="training.class_create", obj=klass, changes={"name": klass.name})
    return klass


@transaction.atomic
def class_assign(
    *, training_class: TrainingClass, enrolments: Iterable[Enrolment], by: User | None
) -> int:
    """Put active trainees of the class's cohort into the class."""
    require_manage(by, training_class.cohort)
    ids = [e.pk for e in enrolments]
    moved = Enrolment.objects.filter(
        pk__in=ids, cohort_id=training_class.cohort_id, state=EnrolmentState.ACTIVE
    ).update(training_class=training_class)
    if moved != len(ids):
        raise ValidationError(_("Only active trainees of this cohort can join its classes."))
    audit_record(
        actor=by, action="training.class_assign", obj=training_class, changes={"trainees": moved}
    )
    return moved


def _end(enrolment: Enrolment, state: str, reason: str, on: dt.date | None) -> Enrolment:
    locked = (
        Enrolment.objects.select_for_update().select_related("application").get(pk=enrolment.pk)
    )
    if locked.state != EnrolmentState.ACTIVE:
        raise ValidationError(_("This trainee's training has already ended."))
    if not reason.strip():
        raise ValidationError(_("Give the reason."))
    locked.state, locked.ended_on, locked.end_reason = state, on or timezone.localdate(), reason
    locked.save(update_fields=["state", "ended_on", "end_reason", "updated_at"])
    return locked


@transaction.atomic
def enrolment_complete_stage(
    *, enrolment: Enrolment, by: User | None, reason: str, on: dt.date | None = None
) -> Enrolment:
    """Stage I is done: the trainee stays in training, free to enrol in a Stage II cohort."""
    require_manage(by, enrolment.cohort)
    ended = _end(enrolment, EnrolmentState.COMPLETED, reason, on)
    audit_record(actor=by, action="training.stage_complete", obj=ended, reason=reason)
    return ended


@transaction.atomic
def enrolment_graduate(
    *, enrolment: Enrolment, by: User | None, reason: str, on: dt.date | None = None
) -> Enrolment:
    """Graduate a trainee who meets every readiness rule (refused with the failing rules
    otherwise); the journey moves to graduated."""
    from .readiness import cohort_readiness  # readiness reads what this module writes

    require_manage(by, enrolment.cohort)
    verdict = cohort_readiness(cohort=enrolment.cohort, enrolment_ids=[enrolment.pk])[enrolment.pk]
    if not verdict.ready:
        failing = [r.text_en for r in verdict.reasons if not r.passed]
        raise ValidationError(
            [ValidationError(m, code="not_ready") for m in [_("Not ready to graduate:"), *failing]]
        )
    ended = _end(enrolment, EnrolmentState.GRADUATED, reason, on)
    application_advance(
        application=ended.application, to=Status.GRADUATED, by=by, reason=reason,
        effective_on=ended.ended_on,
    )  # fmt: skip
    audit_record(actor=by, action="training.graduate", obj=ended, reason=reason)
    return ended


@transaction.atomic
def enrolment_drop_out(
    *, enrolment: Enrolment, by: User | None, reason: str, on: dt.date | None = None
) -> Enrolment:
    """A trainee who misses the standard is sent home: the journey moves to dropped out."""
    require_manage(by, enrolment.cohort)
    ended = _end(enrolment, EnrolmentState.DROPPED_OUT, reason, on)
    application_advance(
        application=ended.application, to=Status.DROPPED_OUT, by=by, reason=reason,
        effective_on=ended.ended_on,
    )  # fmt: skip
    audit_record(actor=by, action="training.drop_out", obj=ended, reason=reason)
    return ended
