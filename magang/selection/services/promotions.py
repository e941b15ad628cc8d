"""Reserve promotion: when a selected person leaves (withdraws, fails the medical check-up,
gets no passport), the next reserve of the same quota unit takes the seat."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import Role, User
from magang.accounts.scopes import scope_for
from magang.core.services import audit_record
from magang.recruitment.journey import Status
from magang.recruitment.models import Application
from magang.recruitment.services import application_advance

from ..models import Placement, RankingRun, ReservePromotion, RunState

LEAVING = (Status.WITHDRAWN, Status.NOT_SELECTED)


@transaction.atomic
def seat_vacate(
    *, application: Application, to: Status | str, reason: str, by: User | None
) -> ReservePromotion:
    """Move a selected application out (withdrawn, or not selected after a failed medical
    check-up or no passport) and promote the unit's next reserve, if any is left.

    The promoted person is told by the journey service's notification. Returns the record of
    the promotion (``promoted`` is None when no reserve was left).
    """
    if by is not None and not scope_for(by).has_role(Role.CENTRAL_TEAM):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Say why the seat is left."))
    target = Status(to)
    if target not in LEAVING:
        raise ValidationError(_("A selected person leaves as withdrawn or not selected."))
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != Status.SELECTED:
        raise ValidationError(_("Only a selected application can leave its seat."))
    run = RankingRun.objects.filter(plan__round_id=locked.round_id, state=RunState.FINAL).first()
    if run is None:
        raise ValidationError(_("This round has no final ranking."))
    seat = Placement.objects.filter(run=run, application_id=locked.pk).first()
    if seat is None:
        raise ValidationError(_("This application was not ranked in the final run."))
    application_advance(application=locked, to=target, by=by, reason=reason.strip())
    # Reserves who already moved on (promoted, withdrawn) are skipped; the lock keeps two
    # vacated seats from promoting the same person.
    waiting = Application.objects.select_for_update().filter(
        pk__in=Placement.objects.filter(run=run, unit_key=seat.unit_key, outcome="reserve").values(
            "application_id"
        ),
        status=Status.RESERVE,
    )
    numbers = dict(
        Placement.objects.filter(run=run, application__in=waiting).values_list(
            "application_id", "reserve_number"
        )
    )
    promoted = None
    if numbers:
        first = min(numbers, key=lambda pk: numbers[pk] or 0)
        promoted = waiting.get(pk=first)
        application_advance(
            application=promoted,
            to=Status.SELECTED,
            by=by,
            reason=_("Promoted from reserve %(number)s: a seat of %(unit)s was left (%(why)s).")
            % {"number": numbers[first], "unit": _unit_name(run, seat.unit_key), "why": reason},
        )
    promotion = ReservePromotion.objects.create(
        run=run,
        vacated=locked,
        promoted=promoted,
        unit_key=seat.unit_key,
        reason=reason.strip(),
        by=by,
        at=timezone.now(),
    )
    audit_record(
        actor=by,
        action="selection.reserve_promote",
        obj=promotion,
        changes={
            "vacated": locked.registration_number,
            "promoted": promoted.registration_number if promoted else None,
            "unit": seat.unit_key,
        },
        reason=reason.strip(),
    )
    application.status = locked.status
    return promotion


def _unit_name(run: RankingRun, key: str) -> str:
    return next((unit["name"] for unit in run.units if unit["key"] == key), key)
