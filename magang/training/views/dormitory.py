"""Dormitory pages: a centre's buildings, rooms and beds with who sleeps where; giving a
trainee a bed and releasing it; setting up buildings, rooms and beds. Training staff of the
centre act; the central team, leadership and administrators read."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from magang.accounts.models import Organisation, User
from magang.accounts.permissions import role_required
from magang.recruitment.models import Sex

from ..access import READER_ROLES
from ..models import Building
from ..selectors import dormitory as selectors
from ..selectors.readiness import access_enrolment
from ..services import bed_assign, bed_release
from ..services.dormitory import MAX_BEDS_AT_ONCE, beds_add, building_create, room_create


class UserRequest(HttpRequest):
    user: User


def number(raw: str | None) -> int | None:
    """A positive whole number from a form field, or None."""
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 9 else None


def _centre_url(centre_id: int, building_id: int | None = None) -> str:
    url = reverse("training:dorm_centre", args=[centre_id])
    return f"{url}?building={building_id}" if building_id else url


@role_required(*READER_ROLES)
@require_GET
def dorm_index(request: UserRequest) -> HttpResponse:
    centres = list(selectors.centre_scope(user=request.user).order_by("name"))
    if len(centres) == 1:
        return redirect("training:dorm_centre", centre_id=centres[0].pk)
    return render(request, "training/dorm_index.html", {"centres": centres})


def _render_centre(
    request: UserRequest,
    centre: Organisation,
    building_id: int | None,
    errors: list[str] | None = None,
) -> HttpResponse:
    lines = selectors.buildings(centre=centre)
    chosen: Building | None = next(
        (line.building for line in lines if line.building.pk == building_id),
        lines[0].building if lines else None,
    )
    manages = selectors.may_manage_centre(request.user, centre.pk)
    return render(
        request,
        "training/dorm_centre.html",
        {
            "centre": centre,
            "buildings": lines,
            "building": chosen,
            "rooms": selectors.rooms(building=chosen) if chosen else [],
            "free_beds": list(selectors.free_beds(building=chosen)) if chosen and manages else [],
            "unbedded": list(selectors.unbedded_trainees(centre=centre)),
            "manages": manages,
            "sexes": Sex.choices,
            "max_beds": MAX_BEDS_AT_ONCE,
            "errors": errors or [],
            "post": request.POST,
        },
        status=400 if errors else 200,
    )


@role_required(*READER_ROLES)
@require_GET
def dorm_centre(request: UserRequest, centre_id: int) -> HttpResponse:
    centre = selectors.access_centre(user=request.user, pk=centre_id)
    return _render_centre(request, centre, number(request.GET.get("building")))


@role_required(*READER_ROLES)
@require_POST
def dorm_building_create(request: UserRequest, centre_id: int) -> HttpResponse:
    centre = selectors.access_centre(user=request.user, pk=centre_id, write=True)
    try:
        building = building_create(
            centre=centre, name=request.POST.get("name", ""), by=request.user
        )
    except ValidationError as exc:
        return _render_centre(request, centre, None, exc.messages)
    messages.success(request, _("Building %(name)s was added.") % {"name": building.name})
    return redirect(_centre_url(centre.pk, building.pk))


@role_required(*READER_ROLES)
@require_POST
def dorm_room_create(request: UserRequest, building_id: int) -> HttpResponse:
    building = selectors.access_building(user=request.user, pk=building_id, write=True)
    try:
        room = room_create(
            building=building,
            name=request.POST.get("name", ""),
            sex=request.POST.get("sex", ""),
            by=request.user,
        )
    except ValidationError as exc:
        return _render_centre(request, building.centre, building.pk, exc.messages)
    messages.success(request, _("Room %(room)s was added.") % {"room": room})
    return redirect(_centre_url(building.centre_id, building.pk))


@role_required(*READER_ROLES)
@require_POST
def dorm_beds_add(request: UserRequest, room_id: int) -> HttpResponse:
    room = selectors.access_room(user=request.user, pk=room_id, write=True)
    try:
        beds = beds_add(room=room, count=number(request.POST.get("count")) or 0, by=request.user)
    except ValidationError as exc:
        return _render_centre(request, room.building.centre, room.building_id, exc.messages)
    messages.success(
        request, _("%(count)s beds were added to %(room)s.") % {"count": len(beds), "room": room}
    )
    return redirect(_centre_url(room.building.centre_id, room.building_id))


@role_required(*READER_ROLES)
@require_http_methods(["POST"])
def dorm_bed_assign(request: UserRequest, centre_id: int) -> HttpResponse:
    centre = selectors.access_centre(user=request.user, pk=centre_id, write=True)
    bed_id, enrolment_id = number(request.POST.get("bed")), number(request.POST.get("enrolment"))
    building_id = number(request.POST.get("building"))
    if bed_id is None or enrolment_id is None:
        return _render_centre(request, centre, building_id, [_("Choose a trainee and a free bed.")])
    bed = selectors.access_bed(user=request.user, pk=bed_id, write=True)
    if bed.room.building.centre_id != centre.pk:
        raise Http404("No such bed.")
    enrolment = access_enrolment(user=request.user, pk=enrolment_id, write=True)
    try:
        bed_assign(bed=bed, enrolment=enrolment, by=request.user)
    except ValidationError as exc:
        return _render_centre(request, centre, bed.room.building_id, exc.messages)
    messages.success(
        request,
        _("%(name)s sleeps in %(bed)s now.")
        % {"name": enrolment.application.candidate.full_name, "bed": bed},
    )
    return redirect(_centre_url(centre.pk, bed.room.building_id))


@role_required(*READER_ROLES)
@require_POST
def dorm_bed_release(request: UserRequest, enrolment_id: int) -> HttpResponse:
    enrolment = access_enrolment(user=request.user, pk=enrolment_id, write=True)
    assignment = selectors.current_bed(enrolment=enrolment)
    bed_release(enrolment=enrolment, by=request.user)
    messages.success(
        request,
        _("%(name)s no longer has a bed.") % {"name": enrolment.application.candidate.full_name},
    )
    building_id = assignment.bed.room.building_id if assignment else None
    return redirect(_centre_url(enrolment.cohort.centre_id, building_id))


urlpatterns: list[URLPattern] = [
    path("dormitory/", dorm_index, name="dorm_index"),
    path("dormitory/<int:centre_id>/", dorm_centre, name="dorm_centre"),
    path(
        "dormitory/<int:centre_id>/buildings/new/",
        dorm_building_create,
        name="dorm_building_create",
    ),
    path(
        "dormitory/buildings/<int:building_id>/rooms/new/",
        dorm_room_create,
        name="dorm_room_create",
    ),
    path("dormitory/rooms/<int:room_id>/beds/new/", dorm_beds_add, name="dorm_beds_add"),
    path("dormitory/<int:centre_id>/assign/", dorm_bed_assign, name="dorm_bed_assign"),
    path(
        "dormitory/trainees/<int:enrolment_id>/release/",
        dorm_bed_release,
        name="dorm_bed_release",
    ),
]
