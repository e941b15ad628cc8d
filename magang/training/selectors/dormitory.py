"""Reads about a centre's dormitory: its buildings with their occupancy, the rooms and beds
of one building with who sleeps where, and the trainees in training without a bed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from magang.accounts.models import Organisation, Role
from magang.accounts.scopes import scope_for

from ..models import Bed, BedAssignment, Building, DormRoom, Enrolment, EnrolmentState


def centre_scope(*, user: Any) -> QuerySet[Organisation]:
    """Training centres whose dormitories the user may read: their own as training staff;
    every centre for the central team, leadership and administrators."""
    scope = scope_for(user)
    centres = Organisation.objects.filter(kind=Organisation.Kind.TRAINING_CENTRE)
    if scope.is_nationwide:
        return centres
    return centres.filter(pk__in=scope.organisations(Role.TRAINING_STAFF))


def may_manage_centre(user: Any, centre_id: int) -> bool:
    return centre_id in scope_for(user).organisations(Role.TRAINING_STAFF)


def access_centre(*, user: Any, pk: int, write: bool = False) -> Organisation:
    """The centre, or 404 when the user may not read it; 403 when they may read but not
    change it (as ``access_cohort``)."""
    centre = centre_scope(user=user).filter(pk=pk).first()
    if centre is None:
        raise Http404("No such training centre.")
    if write and not may_manage_centre(user, centre.pk):
        raise PermissionDenied
    return centre


def access_building(*, user: Any, pk: int, write: bool = False) -> Building:
    building = (
        Building.objects.filter(pk=pk, centre__in=centre_scope(user=user))
        .select_related("centre")
        .first()
    )
    if building is None:
        raise Http404("No such building.")
    if write and not may_manage_centre(user, building.centre_id):
        raise PermissionDenied
    return building


def access_room(*, user: Any, pk: int, write: bool = False) -> DormRoom:
    room = (
        DormRoom.objects.filter(pk=pk, building__centre__in=centre_scope(user=user))
        .select_related("building__centre")
        .first()
    )
    if room is None:
        raise Http404("No such room.")
    if write and not may_manage_centre(user, room.building.centre_id):
        raise PermissionDenied
    return room


def access_bed(*, user: Any, pk: int, write: bool = False) -> Bed:
    bed = (
        Bed.objects.filter(pk=pk, room__building__centre__in=centre_scope(user=user))
        .select_related("room__building__centre")
        .first()
    )
    if bed is None:
        raise Http404("No such bed.")
    if write and not may_manage_centre(user, bed.room.building.centre_id):
        raise PermissionDenied
    return bed


@dataclass(frozen=True)
class BuildingLine:
    building: Building
    rooms: int
    beds: int
    occupied: int

    @property
    def free(self) -> int:
        return self.beds - self.occupied


def buildings(*, centre: Organisation) -> list[BuildingLine]:
    """The centre's buildings with counts of rooms, beds and occupied beds (one query)."""
    rows = (
        Building.objects.filter(centre=centre)
        .annotate(
            room_count=Count("rooms", distinct=True),
            bed_count=Count("rooms__beds", distinct=True),
            occupied_count=Count(
                "rooms__beds__assignments",
                filter=Q(rooms__beds__assignments__to_date__isnull=True),
                distinct=True,
            ),
        )
        .order_by("name")
    )
    return [
        BuildingLine(building=b, rooms=b.room_count, beds=b.bed_count, occupied=b.occupied_count)
        for b in rows
    ]


@dataclass(frozen=True)
class BedLine:
    bed: Bed
    assignment: BedAssignment | None

    @property
    def occupant(self) -> Enrolment | None:
        return self.assignment.enrolment if self.assignment else None


@dataclass(frozen=True)
class RoomLine:
    room: DormRoom
    beds: tuple[BedLine, ...]

    @property
    def occupied(self) -> int:
        return sum(1 for line in self.beds if line.assignment is not None)


def current_assignments() -> QuerySet[BedAssignment]:
    return BedAssignment.objects.filter(to_date__isnull=True).select_related(
        "enrolment__application__candidate", "enrolment__cohort"
    )


def rooms(*, building: Building) -> list[RoomLine]:
    """The building's rooms, each bed with whoever sleeps there now (three queries)."""
    result = []
    for room in DormRoom.objects.filter(building=building).prefetch_related(
        Prefetch(
            "beds",
            queryset=Bed.objects.order_by("label").prefetch_related(
                Prefetch("assignments", queryset=current_assignments(), to_attr="current")
            ),
        )
    ):
        beds = tuple(
            BedLine(bed=bed, assignment=next(iter(getattr(bed, "current", [])), None))
            for bed in room.beds.all()
        )
        result.append(RoomLine(room=room, beds=beds))
    return result


def free_beds(*, building: Building) -> QuerySet[Bed]:
    return (
        Bed.objects.filter(room__building=building)
        .exclude(Exists(BedAssignment.objects.filter(bed=OuterRef("pk"), to_date__isnull=True)))
        .select_related("room")
        .order_by("room__name", "label")
    )


def unbedded_trainees(*, centre: Organisation) -> QuerySet[Enrolment]:
    """Trainees in training at the centre who have no bed now."""
    return (
        Enrolment.objects.filter(cohort__centre=centre, state=EnrolmentState.ACTIVE)
        .exclude(
            Exists(BedAssignment.objects.filter(enrolment=OuterRef("pk"), to_date__isnull=True))
        )
        .select_related("application__candidate", "cohort", "training_class")
        .order_by("cohort__code", "application__candidate__full_name", "pk")
    )


def current_bed(*, enrolment: Enrolment) -> BedAssignment | None:
    return (
        BedAssignment.objects.filter(enrolment=enrolment, to_date__isnull=True)
        .select_related("bed__room__building")
        .first()
    )
