"""The shared steps of the stay's writes: locking the internship, moving its journey,
checking a day, writing a stay event, opening and closing placements, and the rule checks
that the one-by-one moves and the partner-batch path both run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import Organisation, User
from magang.recruitment.journey import InvalidTransition, Status
from magang.recruitment.models import JourneyEvent
from magang.recruitment.services import application_advance

from ... import stages as rules
from ...models import (
    EarlyReturnReason,
    HostPlacement,
    Internship,
    Stage,
    StayEvent,
    StayEventKind,
    StayRules,
    TransferReason,
)


def _lock(internship: Internship) -> Internship:
    return (
        Internship.objects.select_for_update(of=("self",))
        .select_related("application__round__programme", "stage", "trade", "host_company")
        .get(pk=internship.pk)
    )


def _advance(
    internship: Internship, to: Status, *, by: User | None, reason: str, on: dt.date
) -> JourneyEvent:
    try:
        return application_advance(
            application=internship.application, to=to, by=by, reason=reason, effective_on=on
        )
    except InvalidTransition as exc:
        raise ValidationError(
            _("Not possible while the intern's status is '%(status)s'.")
            % {"status": exc.current.value}
        ) from exc


def _check_day(internship: Internship, on: dt.date, *, label: str) -> None:
    if on < internship.departed_on:
        raise ValidationError(
            _("%(what)s cannot be before departure (%(day)s).")
            % {"what": label, "day": internship.departed_on}
        )
    if on > timezone.localdate() + dt.timedelta(days=1):
        raise ValidationError(_("%(what)s cannot be in the future.") % {"what": label})


def _event(
    internship: Internship,
    kind: StayEventKind,
    *,
    on: dt.date,
    by: User | None,
    source: str,
    journey: JourneyEvent | None = None,
    reason: str = "",
    note: str = "",
    stage: Stage | None = None,
    host_company: Organisation | None = None,
) -> StayEvent:
    return StayEvent.objects.create(
        internship=internship,
        kind=kind,
        effective_on=on,
        reason=reason,
        note=note,
        stage=stage,
        host_company=host_company,
        journey_event=journey,
        actor=by,
        source=source,
    )


def _open_placement(internship: Internship) -> HostPlacement | None:
    placement = HostPlacement.objects.filter(internship=internship, ended_on__isnull=True).first()
    if placement is None and internship.host_company_id is not None:
        placement = HostPlacement.objects.create(
            internship=internship,
            host_company_id=internship.host_company_id,
            prefecture_id=internship.prefecture_id,
            started_on=internship.arrived_on or internship.departed_on,
        )
    return placement


def _close_placement(
    internship: Internship, on: dt.date, reason: str = "", placement: HostPlacement | None = None
) -> None:
    placement = placement or _open_placement(internship)
    if placement is not None:
        placement.ended_on = max(on, placement.started_on)
        placement.end_reason = reason
        placement.save(update_fields=["ended_on", "end_reason"])


def _transfer_check(
    internship: Internship,
    company: Organisation,
    *,
    reason: str,
    on: dt.date,
    placement: HostPlacement | None,
    settings: Callable[[], StayRules],
) -> None:
    """Whether the intern may move to ``company`` on ``on``: the rules of a transfer, one by
    one or in a batch. ``settings`` is asked for only when the rules need the programme's."""
    if reason not in TransferReason.values:
        raise ValidationError(_("Choose a reason for the transfer."))
    if company.kind != Organisation.Kind.HOST_COMPANY or not company.is_active:
        raise ValidationError(_("The new company must be an active host company."))
    if company.pk == internship.host_company_id:
        raise ValidationError(_("The intern is already at this company."))
    _check_day(internship, on, label=_("The transfer"))
    if reason == TransferReason.OWN_WISH:
        after = settings().own_wish_transfer_after_months
        start = internship.arrived_on or internship.departed_on
        if after is None:
            raise ValidationError(_("This programme allows no transfer at the intern's own wish."))
        if on < rules.add_months(start, after):
            raise ValidationError(
                _("A transfer at the intern's own wish is allowed from %(day)s.")
                % {"day": rules.add_months(start, after)}
            )
    if placement is not None and on < placement.started_on:
        raise ValidationError(
            _("The transfer cannot be before the current placement began (%(day)s).")
            % {"day": placement.started_on}
        )


def _early_return_check(reason: str) -> None:
    if reason not in EarlyReturnReason.values:
        raise ValidationError(_("Choose a reason for the early return."))
