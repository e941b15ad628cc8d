"""Sessions of the timetable, refused when the trainer or the room is already taken, and the
roll call of a session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from magang.accounts.models import User
from magang.core.services import audit_record

from ..access import require_manage
from ..models import (
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentState,
    Module,
    Session,
    TrainingClass,
)


class SessionClash(ValidationError):
    """The trainer or the room is taken at that time; ``clashes`` are the other sessions."""

    def __init__(self, clashes: list[tuple[str, Session]]) -> None:
        self.clashes = clashes
        super().__init__(
            [
                _("%(what)s is taken at that time: %(session)s, %(start)s until %(end)s")
                % {
                    "what": what,
                    "session": f"{other.training_class.name} · {other.module.name_en}",
                    "start": formats.date_format(
                        timezone.localtime(other.starts_at), "SHORT_DATETIME_FORMAT"
                    ),
                    "end": formats.time_format(timezone.localtime(other.ends_at), "TIME_FORMAT"),
                }
                for what, other in clashes
            ],
            code="clash",
        )


def _clashes(
    *, centre_id: int, trainer: User, room: str, starts_at: dt.datetime, ends_at: dt.datetime,
    exclude: int | None,
) -> list[tuple[str, Session]]:  # fmt: skip
    overlapping = Session.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    found = overlapping.filter(
        Q(trainer=trainer) | Q(room__iexact=room, training_class__cohort__centre_id=centre_id)
    ).select_related("training_class", "module", "trainer")
    clashes = []
    for other in found.order_by("starts_at"):
        if other.trainer_id == trainer.pk:
            clashes.append((_("Trainer %(name)s") % {"name": trainer}, other))
        if other.room.lower() == room.lower():
            clashes.append((_("Room %(room)s") % {"room": other.room}, other))
    return clashes


@transaction.atomic
def session_save(
    *,
    training_class: TrainingClass,
    module: Module,
    trainer: User,
    room: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    by: User | None,
    session: Session | None = None,
) -> Session:
    """Create a session (or change ``session``), refused with the clash shown when the same
    trainer, or the same room of the centre, is busy at an overlapping time."""
    cohort = training_class.cohort
    require_manage(by, cohort)
    room = room.strip()
    if not room:
        raise ValidationError(_("Give the room."))
    if ends_at <= starts_at:
        raise ValidationError(_("A session ends after it starts."))
    if module.curriculum_id != cohort.curriculum_id:
        raise ValidationError(_("That module is not in this cohort's curriculum."))
    # Serialise timetable writes of the centre so two clashing sessions cannot both pass.
    type(cohort).objects.select_for_update().filter(centre_id=cohort.centre_id).first()
    clashes = _clashes(
        centre_id=cohort.centre_id, trainer=trainer, room=room, starts_at=starts_at,
        ends_at=ends_at, exclude=session.pk if session else None,
    )  # fmt: skip
    if clashes:
        raise SessionClash(clashes)
    if session is None:
        session = Session(training_class=training_class)
    session.module, session.trainer, session.room = module, trainer, room
    session.starts_at, session.ends_at = starts_at, ends_at
    session.save()
    audit_record(
        actor=by, action="training.session_save", obj=session,
        changes={"start": starts_at.isoformat(), "room": room, "trainer": trainer.pk},
    )  # fmt: skip
    return session


Mark = tuple[str, str]  # (status, reason)


@transaction.atomic
def roll_call_save(
    *, session: Session, marks: Mapping[int, Mark], by: User | None
) -> dict[str, int]:
    """The session's roll call: everyone active in the class is present unless ``marks``
    (enrolment id -> (status, reason)) says otherwise. Saved whole, in one transaction;
    returns the count per status."""
    require_manage(by, session.training_class.cohort)
    trainees = list(
        Enrolment.objects.filter(
            training_class_id=session.training_class_id, state=EnrolmentState.ACTIVE
        )
        .order_by()  # only ids: no joins for the model's ordering
        .values_list("pk", flat=True)
    )
    unknown = sorted(set(marks) - set(trainees))
    if unknown:
        raise ValidationError(
            _("These trainees are not in this class: %(ids)s.") % {"ids": unknown}
        )
    problems = []
    for status, reason in marks.values():
        if status not in AttendanceStatus.values:
            problems.append(_("'%(status)s' is not an attendance status.") % {"status": status})
        elif status == AttendanceStatus.EXCUSED and not reason.strip():
            problems.append(_("An excused absence needs a reason."))
    if problems:
        raise ValidationError(sorted(set(problems)))
    now = timezone.now()
    existing = {a.enrolment_id: a for a in Attendance.objects.filter(session=session)}
    new, changed = [], []
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    for pk in trainees:
        status, reason = marks.get(pk, (AttendanceStatus.PRESENT, ""))
        reason = reason.strip()[:200]
        counts[status] += 1
        row = existing.get(pk)
        if row is None:
            new.append(
                Attendance(session=session, enrolment_id=pk, status=status, reason=reason,
                           recorded_by=by, recorded_at=now)
            )  # fmt: skip
        elif (row.status, row.reason) != (status, reason):
            row.status, row.reason, row.recorded_by, row.recorded_at = status, reason, by, now
            changed.append(row)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["status", "reason", "recorded_by", "recorded_at"])
    Session.objects.filter(pk=session.pk).update(roll_taken_at=now)
    audit_record(actor=by, action="training.roll_call", obj=session, changes=counts)
    return counts
