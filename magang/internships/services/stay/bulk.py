"""Many stays at once (partner batches): ``stay_changes_bulk`` applies transfers, early
returns, missing, completions and temporary returns home with the one-by-one checks, in a
fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, DateField, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import Organisation, User
from magang.recruitment.journey import InvalidTransition, Status
from magang.recruitment.models import JourneyEvent
from magang.reference.models import Prefecture

from ...models import (
    DutyStatus,
    EarlyReturnReason,
    EndReason,
    HomeLeave,
    HostPlacement,
    Internship,
    MonitoringDuty,
    Source,
    StayEvent,
    StayEventKind,
    StayRules,
)
from .helpers import _check_day, _early_return_check, _transfer_check


def refused(outcome: Sequence[object]) -> set[int]:
    return {i for i, o in enumerate(outcome) if isinstance(o, ValidationError)}


BULK_KINDS = ("transfer", "early_return", "missing", "completed", "home_leave")


@dataclass(frozen=True)
class StayChange:
    """One change for ``stay_changes_bulk``: ``kind`` is one of ``BULK_KINDS``; ``on`` is the
    effective day (the day of leaving for a temporary return home)."""

    internship: Internship
    kind: str
    on: dt.date
    reason: str = ""
    note: str = ""
    to_company: Organisation | None = None
    returned_on: dt.date | None = None


_ENDS = {
    "early_return": (Status.EARLY_RETURN, EndReason.EARLY_RETURN, StayEventKind.EARLY_RETURN),
    "missing": (Status.MISSING, EndReason.MISSING, StayEventKind.MISSING),
    "completed": (Status.COMPLETED, EndReason.COMPLETED, StayEventKind.COMPLETED),
}


def _bulk_check(
    change: StayChange,
    internship: Internship,
    placement: HostPlacement | None,
    settings: StayRules,
) -> tuple[Status | None, str]:
    """The checks of the one-by-one service for ``change`` (the same functions, in the same
    order), without writing; returns the journey move it needs (status, reason)."""
    on = change.on
    if change.kind == "transfer":
        company = change.to_company
        assert company is not None  # noqa: S101 - the caller refuses a transfer without one
        _transfer_check(
            internship,
            company,
            reason=change.reason,
            on=on,
            placement=placement,
            settings=lambda: settings,
        )
        return Status.IN_JAPAN, _("Transfer to %(company)s") % {"company": company}
    if change.kind == "home_leave":
        _check_day(internship, on, label=_("The temporary return"))
        if change.returned_on is not None and change.returned_on <= on:
            raise ValidationError(_("The return to Japan must be after leaving."))
        return None, ""
    if change.kind == "early_return":
        _early_return_check(change.reason)
        _check_day(internship, on, label=_("The date"))
        label = EarlyReturnReason(change.reason).label
        return Status.EARLY_RETURN, _("Early return: %(reason)s") % {"reason": label}
    if change.kind == "missing":
        _check_day(internship, on, label=_("The date"))
        return Status.MISSING, _("Host company notified that training can no longer continue")
    if change.kind == "completed":
        _check_day(internship, on, label=_("The date"))
        return Status.COMPLETED, _("Internship completed")
    raise ValidationError(_("Unknown action: %(action)s") % {"action": change.kind})


@transaction.atomic
def stay_changes_bulk(
    *, changes: Sequence[StayChange], by: User | None, source: str = Source.WEB
) -> list[Internship | ValidationError]:
    """Transfers, early returns, missing, completions and temporary returns home for many
    interns (each at most once) with the same checks, messages and rows as the one-by-one
    services (``internship_transfer``, ``internship_early_return``, ``internship_missing``,
    ``internship_complete``, ``home_leave_record``), in a number of queries that does not
    grow with the number of changes: everything is read in a few queries, checked in Python
    and written in bulk. Returns, per change in order, the changed internship or the error
    that refused it (a refused change writes nothing)."""
    from magang.core.models import AuditEntry
    from magang.recruitment.services import AdvanceMove, applications_advance_bulk

    if not changes:
        return []
    ids = [c.internship.pk for c in changes]
    if len(set(ids)) != len(ids):
        raise ValueError("stay_changes_bulk takes each internship at most once.")
    locked = {
        i.pk: i
        for i in Internship.objects.select_for_update(of=("self",))
        .select_related("application__round__programme", "host_company", "prefecture")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    transfers = [c.internship.pk for c in changes if c.kind == "transfer"]
    placements = {
        p.internship_id: p
        for p in HostPlacement.objects.filter(internship_id__in=transfers, ended_on__isnull=True)
    }
    programmes = {locked[pk].application.round.programme_id for pk in transfers if pk in locked}
    settings_of = {s.programme_id: s for s in StayRules.objects.filter(programme_id__in=programmes)}
    leaves_wanted = [(c.internship.pk, c.on) for c in changes if c.kind == "home_leave"]
    leaves = {
        (h.internship_id, h.left_on): h
        for h in HomeLeave.objects.filter(
            internship_id__in=[pk for pk, _day in leaves_wanted],
            left_on__in={day for _pk, day in leaves_wanted},
        )
    }

    outcome: list[Internship | ValidationError] = []
    moves: list[tuple[int, AdvanceMove]] = []
    for index, change in enumerate(changes):
        found = locked.get(change.internship.pk)
        if found is None:  # deleted since the caller read it
            outcome.append(ValidationError(_("This internship no longer exists.")))
            continue
        internship = found
        placement = placements.get(internship.pk)
        if placement is None and change.kind == "transfer" and internship.host_company_id:
            placement = HostPlacement(  # as _open_placement: the first one, saved below
                internship=internship,
                host_company_id=internship.host_company_id,
                prefecture_id=internship.prefecture_id,
                started_on=internship.arrived_on or internship.departed_on,
            )
            placements[internship.pk] = placement
        programme = internship.application.round.programme
        settings = settings_of.get(programme.pk) or StayRules(programme=programme)
        try:
            to, journey_reason = _bulk_check(change, internship, placement, settings)
        except ValidationError as exc:
            outcome.append(exc)
            continue
        outcome.append(internship)
        if to is not None:
            moves.append(
                (
                    index,
                    AdvanceMove(internship.application_id, to, journey_reason, change.on),
                )
            )
    advanced = applications_advance_bulk(moves=[m for _i, m in moves], by=by)
    journey: dict[int, JourneyEvent] = {}
    for (index, _move), result in zip(moves, advanced, strict=True):
        if isinstance(result, InvalidTransition):
            outcome[index] = ValidationError(
                _("Not possible while the intern's status is '%(status)s'.")
                % {"status": result.current.value}
            )
        else:
            journey[index] = result

    now = timezone.now()
    bad = refused(outcome)
    moving = {
        c.to_company.prefecture_id
        for i, c in enumerate(changes)
        if c.to_company is not None and c.to_company.prefecture_id and i not in bad
    }
    prefectures = Prefecture.objects.in_bulk(moving) if moving else {}
    updated: dict[str, list[Internship]] = {"transfer": [], "end": []}
    close: list[HostPlacement] = []
    create: list[HostPlacement] = []
    ended_on: dict[int, dt.date] = {}
    new_leaves: list[HomeLeave] = []
    old_leaves: list[HomeLeave] = []
    events: list[StayEvent] = []
    audits: list[AuditEntry] = []

    def audit(internship: Internship, action: str, changes: dict[str, Any], note: str) -> None:
        audits.append(
            AuditEntry(
                actor_id=by.pk if by is not None else None,
                action=action,
                object_type=internship._meta.label_lower,
                object_id=str(internship.pk),
                object_repr=str(internship)[:200],
                changes=changes,
                reason=note,
            )
        )

    for index, change in enumerate(changes):
        done = outcome[index]
        if not isinstance(done, Internship):
            continue
        internship = done
        on, event = change.on, journey.get(index)
        if change.kind == "home_leave":
            leave = leaves.get((internship.pk, on))
            if leave is None:
                new_leaves.append(
                    HomeLeave(internship=internship, left_on=on, returned_on=change.returned_on)
                )
            else:
                leave.returned_on, leave.updated_at = change.returned_on, now
                old_leaves.append(leave)
            audit(
                internship,
                "internships.home_leave",
                {"left_on": str(on), "returned_on": str(change.returned_on)},
                "",
            )
            continue
        internship.application.status = event.to_status if event else internship.application.status
        if change.kind == "transfer":
            company = change.to_company
            assert company is not None  # noqa: S101
            current = placements.get(internship.pk)
            if current is not None:
                current.ended_on = max(on, current.started_on)
                current.end_reason = change.reason
                (create if current.pk is None else close).append(current)
            create.append(
                HostPlacement(
                    internship=internship,
                    host_company=company,
                    prefecture_id=company.prefecture_id or internship.prefecture_id,
                    started_on=on,
                )
            )
            old = internship.host_company_id
            internship.host_company = company
            if company.prefecture_id:
                internship.prefecture = prefectures[company.prefecture_id]
            internship.updated_at = now
            updated["transfer"].append(internship)
            kind = StayEventKind.TRANSFER
            audit(
                internship,
                "internships.transfer",
                {"from": old, "to": company.pk, "reason": change.reason},
                change.note,
            )
        else:
            to, end_reason, kind = _ENDS[change.kind]
            internship.ended_on = on
            internship.end_reason = end_reason
            if to == Status.EARLY_RETURN:
                internship.early_return_reason = change.reason
            internship.updated_at = now
            updated["end"].append(internship)
            ended_on[internship.pk] = on
            audit(
                internship,
                f"internships.{kind}",
                {"on": str(on), "reason": change.reason},
                change.note,
            )
        events.append(
            StayEvent(
                internship=internship,
                kind=kind,
                effective_on=on,
                reason=change.reason,
                note=change.note,
                host_company=change.to_company if change.kind == "transfer" else None,
                journey_event=event,
                actor=by,
                source=source,
            )
        )

    if updated["end"]:
        Internship.objects.bulk_update(
            updated["end"], ["ended_on", "end_reason", "early_return_reason", "updated_at"]
        )
        HostPlacement.objects.filter(internship_id__in=ended_on, ended_on__isnull=True).update(
            ended_on=Greatest(
                Case(
                    *(When(internship_id=pk, then=Value(day)) for pk, day in ended_on.items()),
                    output_field=DateField(),
                ),
                F("started_on"),
            )
        )
        MonitoringDuty.objects.filter(internship_id__in=ended_on, status=DutyStatus.OPEN).update(
            status=DutyStatus.CANCELLED
        )
    if updated["transfer"]:
        if close:
            HostPlacement.objects.bulk_update(close, ["ended_on", "end_reason"])
        HostPlacement.objects.bulk_create(create)
        Internship.objects.bulk_update(
            updated["transfer"], ["host_company", "prefecture", "updated_at"]
        )
        moved = [i.pk for i in updated["transfer"]]
        MonitoringDuty.objects.filter(internship_id__in=moved, status=DutyStatus.OPEN).update(
            host_company_id=Subquery(
                Internship.objects.filter(pk=OuterRef("internship_id")).values("host_company_id")
            )
        )
    if old_leaves:
        HomeLeave.objects.bulk_update(old_leaves, ["returned_on", "updated_at"])
    if new_leaves:
        HomeLeave.objects.bulk_create(new_leaves)
    if events:
        StayEvent.objects.bulk_create(events)
    if audits:
        AuditEntry.objects.bulk_create(audits)
    return outcome
