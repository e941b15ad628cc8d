"""Training API: merits and demerits, and dormitory beds."""

# No "from __future__ import annotations": Ninja reads the endpoint signatures at import, and
# @paginate re-reads them from its own module, where string annotations do not resolve.
import datetime as dt
from typing import Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict

from magang.accounts.api_auth import api_auth

from ..models import BedAssignment, DisciplineKind, DisciplineRecord
from ..selectors import discipline as discipline_selectors
from ..selectors.dormitory import access_bed
from ..services import bed_assign, bed_release, discipline_record
from .common import ErrorOut, cohort_for, enrolment_for, refusals, staff

router = Router(tags=["training"], auth=api_auth)


class DisciplineOut(Schema):
    id: int
    enrolment_id: int
    registration_number: str
    full_name: str
    kind: DisciplineKind
    points: int
    occurred_on: dt.date
    description: str
    recorded_by: str | None
    recorded_at: dt.datetime

    @staticmethod
    def resolve_registration_number(obj: DisciplineRecord) -> str:
        return obj.enrolment.application.registration_number

    @staticmethod
    def resolve_full_name(obj: DisciplineRecord) -> str:
        return obj.enrolment.application.candidate.full_name

    @staticmethod
    def resolve_recorded_by(obj: DisciplineRecord) -> str | None:
        return str(obj.recorded_by) if obj.recorded_by else None


class DisciplineFilters(Schema):
    class_id: int | None = None


class DisciplineIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["merit", "demerit"]
    points: int = Field(ge=1, le=100)
    occurred_on: dt.date
    description: str = Field(min_length=1, max_length=4000)


class BedIn(Schema):
    model_config = ConfigDict(extra="forbid")
    bed_id: int


class BedOut(Schema):
    enrolment_id: int
    bed_id: int
    building: str
    room: str
    bed: str
    from_date: dt.date


class ReleasedOut(Schema):
    released: int


def bed_out(assignment: BedAssignment) -> BedOut:
    bed = assignment.bed
    return BedOut(
        enrolment_id=assignment.enrolment_id,
        bed_id=bed.pk,
        building=bed.room.building.name,
        room=bed.room.name,
        bed=bed.label,
        from_date=assignment.from_date,
    )


@router.get(
    "/cohorts/{cohort_id}/discipline",
    response={200: list[DisciplineOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="A cohort's (or one class's) merits and demerits, newest first",
)
@paginate(PageNumberPagination, page_size=100)
def discipline_list(
    request: HttpRequest, cohort_id: int, filters: Query[DisciplineFilters]
) -> QuerySet[DisciplineRecord]:
    cohort = cohort_for(staff(request), cohort_id)
    training_class = None
    if filters.class_id is not None:
        training_class = cohort.classes.filter(pk=filters.class_id).first()
        if training_class is None:
            raise Http404("No such class in this cohort.")
    return discipline_selectors.discipline_records(cohort=cohort, training_class=training_class)


@router.post(
    "/enrolments/{enrolment_id}/discipline",
    response={201: DisciplineOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record a merit or a demerit",
)
def discipline_create(
    request: HttpRequest, enrolment_id: int, payload: DisciplineIn
) -> Status[DisciplineRecord]:
    user = staff(request)
    enrolment = enrolment_for(user, enrolment_id, write=True)
    with refusals():
        record = discipline_record(
            enrolment=enrolment,
            kind=payload.kind,
            points=payload.points,
            occurred_on=payload.occurred_on,
            description=payload.description,
            by=user,
        )
    return Status(201, record)


@router.post(
    "/enrolments/{enrolment_id}/bed",
    response={201: BedOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Give a trainee a bed (their previous one is released)",
)
def bed_give(request: HttpRequest, enrolment_id: int, payload: BedIn) -> Status[BedOut]:
    user = staff(request)
    enrolment = enrolment_for(user, enrolment_id, write=True)
    with refusals():
        bed = access_bed(user=user, pk=payload.bed_id, write=True)
        assignment = bed_assign(bed=bed, enrolment=enrolment, by=user)
    return Status(201, bed_out(assignment))


@router.delete(
    "/enrolments/{enrolment_id}/bed",
    response={200: ReleasedOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Release a trainee's bed",
)
def bed_take_back(request: HttpRequest, enrolment_id: int) -> ReleasedOut:
    user = staff(request)
    enrolment = enrolment_for(user, enrolment_id, write=True)
    with refusals():
        released = bed_release(enrolment=enrolment, by=user)
    return ReleasedOut(released=released)
