"""Working on a case: notes on the timeline, assignment to an officer, a new severity and
the intern's choice to share the case with the supervising organisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import Membership, Role, User
from magang.accounts.scopes import scope_for
from magang.core.services import audit_record

from ...models import Audience, Case, CaseEvent, CaseSeverity, CaseStatus, FiledAs
from .helpers import _event, _lens, _locked, target_hours


@transaction.atomic
def case_note_add(
    *, case: Case, by: User, text: str, audience: str = Audience.EVERYONE
) -> CaseEvent:
    """A note on the timeline. Officials may keep a note for officials only."""
    locked = _locked(case)
    lens = _lens(locked, by)
    if not lens.may_note:
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write the note.")]})
    if audience not in lens.audiences:
        raise ValidationError(_("Only ministry officers may keep a note for officers only."))
    event = _event(locked, by, CaseEvent.Kind.NOTE, text=text, audience=audience)
    audit_record(
        actor=by, action="internships.case_note", obj=locked, changes={"audience": audience}
    )
    return event


def may_be_assigned(case: Case, user: User) -> bool:
    """An assignee is a central-team member or a regional officer of the intern's site."""
    scope = scope_for(user)
    return scope.has_role(Role.CENTRAL_TEAM) or (
        case.internship.application.site.organisation_id
        in scope.organisations(Role.REGIONAL_OFFICER)
    )


def assignable_officers(case: Case) -> list[User]:
    site_org = case.internship.application.site.organisation_id
    user_ids = (
        Membership.objects.filter(is_active=True, organisation__is_active=True)
        .filter(Q(role=Role.CENTRAL_TEAM) | Q(role=Role.REGIONAL_OFFICER, organisation_id=site_org))
        .values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("username"))


@transaction.atomic
def case_assign(*, case: Case, assignee: User, by: User) -> Case:
    """Give the case to an officer (someone who may manage it)."""
    locked = _locked(case)
    if not _lens(locked, by).may_manage:
        raise PermissionDenied
    if not assignee.is_active or not may_be_assigned(locked, assignee):
        raise ValidationError(
            _("Assign the case to a central-team member or an officer of the intern's site.")
        )
    before = locked.assigned_to_id
    locked.assigned_to = assignee
    changes: dict[str, Any] = {"assigned_to": [before, assignee.pk]}
    if locked.status == CaseStatus.OPEN:
        locked.status = CaseStatus.IN_PROGRESS
        changes["status"] = [CaseStatus.OPEN, CaseStatus.IN_PROGRESS]
    locked.full_clean()
    locked.save()
    _event(locked, by, CaseEvent.Kind.ASSIGNED, assignee=assignee, audience=Audience.EVERYONE)
    audit_record(actor=by, action="internships.case_assign", obj=locked, changes=changes)
    return locked


@transaction.atomic
def case_change_severity(*, case: Case, by: User, severity: str, reason: str) -> Case:
    """Change the severity: the target time is counted again from the filing."""
    if severity not in CaseSeverity.values:
        raise ValidationError({"severity": [_("Choose one of the options.")]})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the severity changes.")]})
    locked = _locked(case)
    if not _lens(locked, by).may_manage:
        raise PermissionDenied
    before = locked.severity
    if before == severity:
        return locked
    locked.severity = severity
    locked.due_at = locked.filed_at + dt.timedelta(hours=target_hours(severity))
    if locked.due_at > timezone.now():
        locked.escalated_at = None
    locked.full_clean()
    locked.save()
    _event(locked, by, CaseEvent.Kind.SEVERITY, text=f"{before} → {severity}: {reason}")
    audit_record(
        actor=by,
        action="internships.case_severity",
        obj=locked,
        changes={"severity": [before, severity]},
        reason=reason,
    )
    return locked


@transaction.atomic
def case_set_sharing(*, case: Case, by: User, share: bool) -> Case:
    """The intern decides whether the supervising organisation may see the case. A case the
    partner filed itself stays shared."""
    locked = _locked(case)
    if not _lens(locked, by).is_intern:
        raise PermissionDenied
    if locked.filed_as == FiledAs.PARTNER and not share:
        raise ValidationError(_("The supervising organisation filed this case; it stays shared."))
    if locked.share_with_partner == share:
        return locked
    locked.share_with_partner = share
    locked.save(update_fields=["share_with_partner", "updated_at"])
    _event(
        locked,
        by,
        CaseEvent.Kind.SHARING,
        audience=Audience.OFFICIALS,
        text="shared" if share else "not shared",
    )
    audit_record(
        actor=by,
        action="internships.case_sharing",
        obj=locked,
        changes={"share_with_partner": [not share, share]},
    )
    return locked
