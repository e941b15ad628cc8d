"""Setting up a centre's dormitory: buildings, their rooms (each for one sex) and beds.
Who sleeps where is ``bed_assign`` and ``bed_release`` in ``records``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from magang.accounts.models import Organisation, Role, User
from magang.accounts.scopes import scope_for
from magang.core.services import audit_record
from magang.recruitment.models import Sex

from ..models import Bed, Building, DormRoom

MAX_BEDS_AT_ONCE = 50


def _require_centre_staff(by: User | None, centre_id: int) -> None:
    if by is not None and centre_id not in scope_for(by).organisations(Role.TRAINING_STAFF):
        raise PermissionDenied


def _name(value: str, max_length: int) -> str:
    name = value.strip()
    if not name:
        raise ValidationError(_("Give the name."))
    if len(name) > max_length:
        raise ValidationError(_("A name has at most %(count)s characters.") % {"count": max_length})
    return name


@transaction.atomic
def building_create(*, centre: Organisation, name: str, by: User | None) -> Building:
    _require_centre_staff(by, centre.pk)
    if centre.kind != Organisation.Kind.TRAINING_CENTRE:
        raise ValidationError(_("Only a training centre has dormitories."))
    name = _name(name, 60)
    if Building.objects.filter(centre=centre, name__iexact=name).exists():
        raise ValidationError(_("There is already a building called %(name)s.") % {"name": name})
    building = Building.objects.create(centre=centre, name=name)
    audit_record(actor=by, action="training.building_create", obj=building)
    return building


@transaction.atomic
def room_create(*, building: Building, name: str, sex: str, by: User | None) -> DormRoom:
    """A room of a building, for men or for women."""
    _require_centre_staff(by, building.centre_id)
    name = _name(name, 30)
    if sex not in Sex.values:
        raise ValidationError(_("Say whether the room is for men or for women."))
    if DormRoom.objects.filter(building=building, name__iexact=name).exists():
        raise ValidationError(
            _("%(building)s already has a room %(name)s.") % {"building": building, "name": name}
        )
    room = DormRoom.objects.create(building=building, name=name, sex=sex)
    audit_record(actor=by, action="training.room_create", obj=room, changes={"sex": sex})
    return room


@transaction.atomic
def beds_add(*, room: DormRoom, count: int, by: User | None) -> list[Bed]:
    """Add ``count`` beds to a room, numbered on from the highest number it has."""
    _require_centre_staff(by, room.building.centre_id)
    if not 1 <= count <= MAX_BEDS_AT_ONCE:
        raise ValidationError(
            _("Add between 1 and %(max)s beds at a time.") % {"max": MAX_BEDS_AT_ONCE}
        )
    labels = set(Bed.objects.select_for_update().filter(room=room).values_list("label", flat=True))
    numbers = [int(label) for label in labels if label.isdigit()]
    start = max(numbers, default=0) + 1
    new = [str(n) for n in range(start, start + count * 2) if str(n) not in labels][:count]
    beds = Bed.objects.bulk_create(Bed(room=room, label=label) for label in new)
    audit_record(actor=by, action="training.beds_add", obj=room, changes={"beds": len(beds)})
    return beds
