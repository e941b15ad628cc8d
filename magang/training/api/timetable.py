"""Training API: a class's sessions (a clash with the trainer's or the room's other sessions
answers 409 with the clashes) and the roll call of a session."""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import.
import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from magang.accounts.api_auth import api_auth
from magang.accounts.models import Role, User

from ..models import Module, Session
from ..services import SessionClash, roll_call_save, session_save
from .common import ClashOut, ErrorOut, class_for, refusals, session_for, staff

router = Router(tags=["training"], auth=api_auth)


class SessionOut(Schema):
    id: int
    class_id: int
    module_id: int
    module_key: str
    module_name_en: str
    module_name_id: str
    trainer_id: int
    trainer: str
    room: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    roll_taken_at: dt.datetime | None


def session_out(session: Session) -> SessionOut:
    return SessionOut(
        id=session.pk,
        class_id=session.training_class_id,
        module_id=session.module_id,
        module_key=session.module.key,
        module_name_en=session.module.name_en,
        module_name_id=session.module.name_id,
        trainer_id=session.trainer_id,
        trainer=str(session.trainer),
        room=session.room,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        roll_taken_at=session.roll_taken_at,
    )


class SessionFilters(Schema):
    starts_from: dt.date | None = Field(None, description="First day (default: 7 days ago).")
    starts_until: dt.date | None = Field(None, description="Last day (default: 28 days on).")


class SessionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    module_id: int
    trainer_id: int = Field(description="A member of the training staff of the centre.")
    room: str = Field(min_length=1, max_length=60)
    starts_at: dt.datetime = Field(description="Without a zone it is read as Asia/Jakarta.")
    ends_at: dt.datetime


class MarkIn(Schema):
    model_config = ConfigDict(extra="forbid")
    enrolment_id: int
    status: Literal["present", "late", "excused", "absent"]
    reason: str = Field("", max_length=200, description="Needed when excused.")


class RollCallIn(Schema):
    model_config = ConfigDict(extra="forbid")
    marks: list[MarkIn] = Field(
        default_factory=list,
        description="Only the exceptions: everyone else in the class is present.",
    )


class RollCallOut(Schema):
    present: int
    late: int
    excused: int
    absent: int


def _aware(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@router.get(
    "/classes/{class_id}/sessions",
    response={200: list[SessionOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="A class's sessions in a span of days (at most 120)",
)
def session_list(
    request: HttpRequest, class_id: int, filters: Query[SessionFilters]
) -> list[SessionOut]:
    training_class = class_for(staff(request), class_id)
    today = timezone.localdate()
    first = filters.starts_from or today - dt.timedelta(days=7)
    last = filters.starts_until or today + dt.timedelta(days=28)
    if last < first or (last - first).days > 120:
        raise HttpError(422, _("Ask for at most 120 days, the first before the last."))
    zone = timezone.get_current_timezone()
    sessions = (
        Session.objects.filter(
            training_class=training_class,
            starts_at__gte=dt.datetime.combine(first, dt.time.min, tzinfo=zone),
            starts_at__lt=dt.datetime.combine(
                last + dt.timedelta(days=1), dt.time.min, tzinfo=zone
            ),
        )
        .select_related("module", "trainer")
        .order_by("starts_at", "pk")
    )
    return [session_out(s) for s in sessions]


@router.post(
    "/classes/{class_id}/sessions",
    response={
        201: SessionOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ClashOut,
        422: ErrorOut,
    },
    summary="Add a session; refused with the clashes when the trainer or the room is taken",
)
def session_create(
    request: HttpRequest, class_id: int, payload: SessionIn
) -> Status[SessionOut] | Status[ClashOut]:
    user = staff(request)
    training_class = class_for(user, class_id, write=True)
    cohort = training_class.cohort
    module = Module.objects.filter(pk=payload.module_id, curriculum_id=cohort.curriculum_id).first()
    if module is None:
        raise HttpError(422, _("That module is not in this cohort's curriculum."))
    trainer = User.objects.filter(
        pk=payload.trainer_id,
        is_active=True,
        memberships__organisation_id=cohort.centre_id,
        memberships__role=Role.TRAINING_STAFF,
        memberships__is_active=True,
    ).first()
    if trainer is None:
        raise HttpError(422, _("The trainer must be training staff of this centre."))
    with refusals():
        try:
            session = session_save(
                training_class=training_class,
                module=module,
                trainer=trainer,
                room=payload.room,
                starts_at=_aware(payload.starts_at),
                ends_at=_aware(payload.ends_at),
                by=user,
            )
        except SessionClash as exc:
            return Status(409, ClashOut(detail=" ".join(exc.messages), clashes=exc.messages))
    return Status(201, session_out(session))


@router.post(
    "/sessions/{session_id}/roll-call",
    response={200: RollCallOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Save a session's roll call whole: everyone present but the marks given",
)
def roll_call(request: HttpRequest, session_id: int, payload: RollCallIn) -> RollCallOut:
    user = staff(request)
    session = session_for(user, session_id, write=True)
    marks = {m.enrolment_id: (m.status, m.reason) for m in payload.marks}
    if len(marks) != len(payload.marks):
        raise HttpError(422, _("Each trainee appears once."))
    with refusals():
        counts = roll_call_save(session=session, marks=marks, by=user)
    return RollCallOut(**counts)
