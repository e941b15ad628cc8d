"""The journey moves of one internship: arrival, transfer, early return, missing, found again
and completion, each one transaction with its stay event and audit row."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from magang.accounts.models import Organisation, User
from magang.core.services import audit_record
from magang.recruitment.journey import Status

from ...models import (
    EarlyReturnReason,
    EndReason,
    HostPlacement,
    Internship,
    Source,
    Stage,
    StayEventKind,
)
from .. import monitoring
from ..monitoring import stay_rules
from .helpers import (
    _advance,
    _check_day,
    _close_placement,
    _early_return_check,
    _event,
    _lock,
    _open_placement,
    _transfer_check,
)


@transaction.atomic
def internship_arrive(
    *,
    internship: Internship,
    arrived_on: dt.date,
    centre: str = "",
    by: User | None,
    source: str = Source.WEB,
) -> Internship:
    """The intern has landed: departed -> in Japan, the first stage of their programme
    starts, collective training is dated and the first monitoring duties are scheduled."""
    internship = _lock(internship)
    _check_day(internship, arrived_on, label=_("Arrival"))
    programme = internship.application.round.programme
    first = Stage.objects.filter(programme=programme).order_by("number").first()
    if first is None:
        raise ValidationError(
            _("The programme %(programme)s has no stages recorded.") % {"programme": programme}
        )
    journey = _advance(
        internship, Status.IN_JAPAN, by=by, reason=_("Arrived in Japan"), on=arrived_on
    )
    settings = stay_rules(programme)
    internship.arrived_on = arrived_on
    internship.collective_training_centre = centre
    internship.collective_training_until = arrived_on + dt.timedelta(
        days=settings.collective_training_days
    )
    internship.stage = first
    internship.stage_started_on = arrived_on
    internship.save(
        update_fields=[
            "arrived_on",
            "collective_training_centre",
            "collective_training_until",
            "stage",
            "stage_started_on",
            "updated_at",
        ]
    )
    _open_placement(internship)
    _event(
        internship,
        StayEventKind.ARRIVAL,
        on=arrived_on,
        by=by,
        source=source,
        journey=journey,
        stage=first,
    )
    monitoring.duties_schedule(internship=internship, rules=settings, after=None)
    audit_record(
        actor=by,
        action="internships.arrive",
        obj=internship,
        changes={"arrived_on": str(arrived_on), "stage": first.code},
    )
    return internship


@transaction.atomic
def internship_transfer(
    *,
    internship: Internship,
    to_company: Organisation,
    on: dt.date,
    reason: str,
    note: str = "",
    by: User | None,
    source: str = Source.WEB,
) -> Internship:
    """Move the intern to another host company (in Japan -> in Japan), keeping the old
    placement in the history."""
    internship = _lock(internship)
    current = _open_placement(internship)
    _transfer_check(
        internship,
        to_company,
        reason=reason,
        on=on,
        placement=current,
        settings=lambda: stay_rules(internship.application.round.programme),
    )
    journey = _advance(
        internship,
        Status.IN_JAPAN,
        by=by,
        on=on,
        reason=_("Transfer to %(company)s") % {"company": to_company},
    )
    _close_placement(internship, on, reason, current)
    HostPlacement.objects.create(
        internship=internship,
        host_company=to_company,
        prefecture_id=to_company.prefecture_id or internship.prefecture_id,
        started_on=on,
    )
    old = internship.host_company_id
    internship.host_company = to_company
    internship.prefecture_id = to_company.prefecture_id or internship.prefecture_id
    internship.save(update_fields=["host_company", "prefecture", "updated_at"])
    monitoring.duties_move(internship=internship)
    _event(
        internship,
        StayEventKind.TRANSFER,
        on=on,
        by=by,
        source=source,
        journey=journey,
        reason=reason,
        note=note,
        host_company=to_company,
    )
    audit_record(
        actor=by,
        action="internships.transfer",
        obj=internship,
        changes={"from": old, "to": to_company.pk, "reason": reason},
        reason=note,
    )
    return internship


def _end(
    internship: Internship,
    *,
    to: Status,
    end_reason: EndReason,
    kind: StayEventKind,
    on: dt.date,
    by: User | None,
    source: str,
    reason: str = "",
    note: str = "",
    journey_reason: str,
) -> Internship:
    _check_day(internship, on, label=_("The date"))
    journey = _advance(internship, to, by=by, reason=journey_reason, on=on)
    internship.ended_on = on
    internship.end_reason = end_reason
    if to == Status.EARLY_RETURN:
        internship.early_return_reason = reason
    # No full_clean(): it costs a query per foreign key and constraint, and partner batches
    # end hundreds of stays at once. The date is checked above; the database enforces the rest.
    internship.save(update_fields=["ended_on", "end_reason", "early_return_reason", "updated_at"])
    HostPlacement.objects.filter(internship=internship, ended_on__isnull=True).update(
        ended_on=Greatest(Value(on), F("started_on"))
    )
    monitoring.duties_cancel(internship=internship)
    _event(internship, kind, on=on, by=by, source=source, journey=journey, reason=reason, note=note)
    audit_record(
        actor=by,
        action=f"internships.{kind}",
        obj=internship,
        changes={"on": str(on), "reason": reason},
        reason=note,
    )
    return internship


@transaction.atomic
def internship_early_return(
    *,
    internship: Internship,
    on: dt.date,
    reason: str,
    note: str = "",
    by: User | None,
    source: str = Source.WEB,
) -> Internship:
    internship = _lock(internship)
    _early_return_check(reason)
    return _end(
        internship,
        to=Status.EARLY_RETURN,
        end_reason=EndReason.EARLY_RETURN,
        kind=StayEventKind.EARLY_RETURN,
        on=on,
        by=by,
        source=source,
        reason=reason,
        note=note,
        journey_reason=_("Early return: %(reason)s") % {"reason": EarlyReturnReason(reason).label},
    )


@transaction.atomic
def internship_missing(
    *,
    internship: Internship,
    on: dt.date,
    note: str = "",
    by: User | None,
    source: str = Source.WEB,
) -> Internship:
    """The host company's notification that training can no longer continue: the intern is
    missing from ``on``; monitoring stops until they are found."""
    internship = _lock(internship)
    return _end(
        internship,
        to=Status.MISSING,
        end_reason=EndReason.MISSING,
        kind=StayEventKind.MISSING,
        on=on,
        by=by,
        source=source,
        note=note,
        journey_reason=_("Host company notified that training can no longer continue"),
    )


@transaction.atomic
def internship_found(
    *,
    internship: Internship,
    on: dt.date,
    note: str = "",
    by: User | None,
    source: str = Source.WEB,
) -> Internship:
    """A missing intern is found again and resumes training at their host company."""
    internship = _lock(internship)
    if internship.ended_on is not None and on < internship.ended_on:
        raise ValidationError(
            _("Found again cannot be before going missing (%(day)s).")
            % {"day": internship.ended_on}
        )
    _check_day(internship, on, label=_("The date"))
    journey = _advance(internship, Status.IN_JAPAN, by=by, reason=_("Found again"), on=on)
    internship.ended_on = None
    internship.end_reason = ""
    internship.save(update_fields=["ended_on", "end_reason", "updated_at"])
    if internship.host_company_id is not None:
        HostPlacement.objects.create(
            internship=internship,
            host_company_id=internship.host_company_id,
            prefecture_id=internship.prefecture_id,
            started_on=on,
        )
    monitoring.duties_schedule(
        internship=internship, rules=stay_rules(internship.application.round.programme), after=on
    )
    _event(internship, StayEventKind.FOUND, on=on, by=by, source=source, journey=journey, note=note)
    audit_record(
        actor=by, action="internships.found", obj=internship, changes={"on": str(on)}, reason=note
    )
    return internship


@transaction.atomic
def internship_complete(
    *,
    internship: Internship,
    on: dt.date,
    note: str = "",
    by: User | None,
    source: str = Source.WEB,
) -> Internship:
    internship = _lock(internship)
    return _end(
        internship,
        to=Status.COMPLETED,
        end_reason=EndReason.COMPLETED,
        kind=StayEventKind.COMPLETED,
        on=on,
        by=by,
        source=source,
        note=note,
        journey_reason=_("Internship completed"),
    )
