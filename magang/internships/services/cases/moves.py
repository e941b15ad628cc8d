"""The status moves of a case: started, resolved, confirmed by the intern, reopened or closed
without confirmation, each one transaction with its timeline event and audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import User
from magang.core.services import audit_record

from ...models import OPEN_CASE_STATUSES, Audience, Case, CaseEvent, CaseStatus
from .helpers import _event, _lens, _locked, target_hours


@transaction.atomic
def case_start(*, case: Case, by: User) -> Case:
    """Mark an open case as being worked on."""
    return _move(case, by, CaseStatus.IN_PROGRESS, allowed=(CaseStatus.OPEN,), who="manager")


def _move(
    case: Case,
    by: User,
    to: str,
    *,
    allowed: tuple[str, ...],
    who: str,
    text: str = "",
    audience: str = Audience.EVERYONE,
    apply: Any = None,
) -> Case:
    locked = _locked(case)
    lens = _lens(locked, by)
    may = {
        "manager": lens.may_manage,
        "intern": lens.is_intern,
        "either": lens.may_manage or lens.is_intern,
    }[who]
    if not may:
        raise PermissionDenied
    if locked.status not in allowed:
        raise ValidationError(
            _("The case is %(status)s; this is not possible now.")
            % {"status": locked.get_status_display()}
        )
    before = locked.status
    locked.status = to
    if apply is not None:
        apply(locked)
    locked.full_clean()
    locked.save()
    _event(
        locked,
        by,
        CaseEvent.Kind.STATUS,
        from_status=before,
        to_status=to,
        text=text,
        audience=audience,
    )
    audit_record(
        actor=by,
        action=f"internships.case_{to}",
        obj=locked,
        changes={"status": [before, to]},
        reason=text,
    )
    return locked


@transaction.atomic
def case_resolve(*, case: Case, by: User, resolution: str) -> Case:
    """Record how the case was resolved; the intern then confirms or reopens it."""
    resolution = resolution.strip()
    if not resolution:
        raise ValidationError({"resolution": [_("Say how the case was resolved.")]})

    def apply(c: Case) -> None:
        c.resolution = resolution
        c.resolved_at = timezone.now()

    return _move(
        case,
        by,
        CaseStatus.RESOLVED,
        allowed=OPEN_CASE_STATUSES,
        who="manager",
        text=resolution,
        apply=apply,
    )


@transaction.atomic
def case_confirm(*, case: Case, by: User) -> Case:
    """The intern confirms the resolution: the case closes."""

    def apply(c: Case) -> None:
        c.closed_at = timezone.now()
        c.confirmed_by_intern = True

    return _move(
        case,
        by,
        CaseStatus.CLOSED,
        allowed=(CaseStatus.RESOLVED,),
        who="intern",
        apply=apply,
        text=_("The intern confirmed the resolution."),
    )


@transaction.atomic
def case_reopen(*, case: Case, by: User, reason: str) -> Case:
    """The intern (or an officer) reopens a resolved or closed case, saying why; a new target
    time starts and an earlier escalation is cleared."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the case is not resolved.")]})

    def apply(c: Case) -> None:
        now = timezone.now()
        c.closed_at = None
        c.confirmed_by_intern = False
        c.resolved_at = None
        c.resolution = ""
        c.escalated_at = None
        c.reopen_count += 1
        c.due_at = max(now, c.filed_at) + dt.timedelta(hours=target_hours(c.severity))

    return _move(
        case,
        by,
        CaseStatus.IN_PROGRESS,
        allowed=(CaseStatus.RESOLVED, CaseStatus.CLOSED),
        who="either",
        text=reason,
        apply=apply,
    )


@transaction.atomic
def case_close(*, case: Case, by: User, reason: str) -> Case:
    """An officer closes a resolved case without the intern's confirmation (the intern could
    not be reached, or left the programme), saying why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the case is closed without confirmation.")]})

    def apply(c: Case) -> None:
        c.closed_at = timezone.now()

    return _move(
        case,
        by,
        CaseStatus.CLOSED,
        allowed=(CaseStatus.RESOLVED,),
        who="manager",
        text=reason,
        apply=apply,
    )
