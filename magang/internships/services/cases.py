"""Incidents and grievances: filing, the timeline (notes, assignments, status changes),
target times and escalation, resolution and the intern's confirmation or reopening.

Every function runs in one transaction and writes its audit row; who may do what is checked
against ``cases_access`` so a page, the API and a command refuse the same people.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import Membership, Role, User
from magang.accounts.scopes import scope_for
from magang.core.services import audit_record
from magang.recruitment.services.documents import SUFFIX, read_checked

from ..cases_access import CASE_MANAGER_NATIONWIDE, CaseLens, lens_for
from ..models import (
    OPEN_CASE_STATUSES,
    Audience,
    Case,
    CaseAttachment,
    CaseCategory,
    CaseEvent,
    CaseKind,
    CaseSeverity,
    CaseStatus,
    CaseTarget,
    FiledAs,
    Internship,
)

logger = logging.getLogger(__name__)

# Used when the table has no row for a severity (the table is the configuration).
DEFAULT_TARGET_HOURS = {
    CaseSeverity.CRITICAL: 24,
    CaseSeverity.HIGH: 72,
    CaseSeverity.MEDIUM: 168,
    CaseSeverity.LOW: 336,
}
MAX_ATTACHMENTS_PER_CASE = 10


@dataclass(frozen=True)
class Upload:
    """A file as a page or the API received it."""

    file: IO[bytes]
    size: int | None


def target_hours(severity: str) -> int:
    row = CaseTarget.objects.filter(severity=severity).first()
    if row is not None:
        return row.resolve_within_hours
    return DEFAULT_TARGET_HOURS[CaseSeverity(severity)]


def _lens(case: Case, by: User) -> CaseLens:
    lens = lens_for(scope_for(by), case)
    if lens is None:
        raise PermissionDenied
    return lens


def _event(case: Case, by: User | None, kind: str, **fields: Any) -> CaseEvent:
    return CaseEvent.objects.create(case=case, actor=by, kind=kind, at=timezone.now(), **fields)


def _locked(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related(
            "internship__application__candidate",
            "internship__application__site",
            "internship__supervising_organisation",
        )
        .get(pk=case.pk)
    )


def filer_role(*, internship: Internship, by: User) -> str:
    """As whom ``by`` files a case about this internship; PermissionDenied when they may not."""
    scope = scope_for(by)
    application = internship.application
    if application.candidate.user_id is not None and application.candidate.user_id == by.pk:
        return FiledAs.INTERN
    if scope.has_role(*CASE_MANAGER_NATIONWIDE) or (
        application.site.organisation_id in scope.organisations(Role.REGIONAL_OFFICER)
    ):
        return FiledAs.OFFICER
    if internship.supervising_organisation_id in scope.organisations(Role.PARTNER):
        return FiledAs.PARTNER
    raise PermissionDenied


def _choice(value: str, choices: Any, label: str, errors: dict[str, list[str]]) -> None:
    if value not in choices.values:
        errors.setdefault(label, []).append(_("Choose one of the options."))


@transaction.atomic
def case_file(
    *,
    internship: Internship,
    by: User,
    kind: str,
    category: str,
    severity: str,
    description: str,
    health_details: str = "",
    occurred_on: dt.date | None = None,
    about_host_company: bool = False,
    share_with_partner: bool = False,
    uploads: Iterable[Upload] = (),
) -> Case:
    """File an incident or grievance about an internship, as its intern, an officer of its
    site (or the central team), or its supervising organisation. A partner's case is shared
    with the partner by nature; otherwise the intern (or the officer filing for them) chooses."""
    filed_as = filer_role(internship=internship, by=by)
    errors: dict[str, list[str]] = {}
    _choice(kind, CaseKind, "kind", errors)
    _choice(category, CaseCategory, "category", errors)
    _choice(severity, CaseSeverity, "severity", errors)
    description = description.strip()
    if not description:
        errors.setdefault("description", []).append(_("Describe what happened."))
    today = timezone.localdate()
    if occurred_on is not None and occurred_on > today:
        errors.setdefault("occurred_on", []).append(_("The date cannot be in the future."))
    contents: list[tuple[bytes, str]] = []
    uploads = list(uploads)
    if len(uploads) > MAX_ATTACHMENTS_PER_CASE:
        errors.setdefault("attachments", []).append(
            _("At most %(n)s files per case.") % {"n": MAX_ATTACHMENTS_PER_CASE}
        )
    else:
        for upload in uploads:
            try:
                contents.append(checked(upload))
            except ValidationError as exc:
                errors.setdefault("attachments", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    if filed_as == FiledAs.PARTNER:
        share_with_partner = True
    now = timezone.now()
    case = Case(
        internship=internship,
        kind=kind,
        category=category,
        severity=severity,
        description=description,
        health_details=health_details.strip(),
        occurred_on=occurred_on,
        host_company_id=internship.host_company_id,
        about_host_company=about_host_company,
        share_with_partner=share_with_partner,
        filed_as=filed_as,
        filed_by=by,
        filed_at=now,
        due_at=now + dt.timedelta(hours=target_hours(severity)),
    )
    case.full_clean()
    case.save()
    _event(case, by, CaseEvent.Kind.FILED, to_status=CaseStatus.OPEN)
    for content in contents:
        _attach(case, content, by, Audience.EVERYONE)
    audit_record(
        actor=by,
        action="internships.case_file",
        obj=case,
        changes={
            "kind": kind,
            "category": category,
            "severity": severity,
            "filed_as": filed_as,
            "share_with_partner": share_with_partner,
            "attachments": len(contents),
        },
    )
    return case


def checked(upload: Upload) -> tuple[bytes, str]:
    """The upload's content and type, checked like a registration document (by content,
    images re-encoded without their metadata). Done before anything is written."""
    return read_checked(upload.file, size=upload.size)


def _attach(
    case: Case, content: tuple[bytes, str], by: User | None, audience: str
) -> CaseAttachment:
    data, content_type = content
    attachment = CaseAttachment(
        case=case,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        audience=audience,
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    attachment.file.save(f"attachment{SUFFIX[content_type]}", ContentFile(data), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def case_attach(
    *, case: Case, upload: Upload, by: User, audience: str = Audience.EVERYONE
) -> CaseAttachment:
    """Add a photo or PDF (checked by content) to a case the user may write on."""
    locked = _locked(case)
    lens = _lens(locked, by)
    if not lens.may_attach:
        raise PermissionDenied
    content = checked(upload)
    if audience not in lens.audiences:
        raise ValidationError(_("Only ministry officers may keep a file for officers only."))
    if locked.attachments.count() >= MAX_ATTACHMENTS_PER_CASE:
        raise ValidationError(_("At most %(n)s files per case.") % {"n": MAX_ATTACHMENTS_PER_CASE})
    attachment = _attach(locked, content, by, audience)
    _event(locked, by, CaseEvent.Kind.ATTACHMENT, audience=audience)
    audit_record(
        actor=by,
        action="internships.case_attach",
        obj=locked,
        changes={"sha256": attachment.sha256, "size": attachment.size, "audience": audience},
    )
    return attachment


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


@transaction.atomic
def cases_escalate(*, now: dt.datetime | None = None, notify: bool = True) -> int:
    """Mark every open case past its target time as escalated (once), add the escalation to
    its timeline and e-mail its officer and the central team after the commit. Returns how
    many were escalated. Run by ``manage.py escalate_cases`` (cron or the task queue)."""
    now = now or timezone.now()
    overdue = list(
        Case.objects.select_for_update(skip_locked=True)
        .filter(status__in=OPEN_CASE_STATUSES, due_at__lt=now, escalated_at__isnull=True)
        .order_by("due_at")
        .values_list("pk", flat=True)
    )
    if not overdue:
        return 0
    Case.objects.filter(pk__in=overdue).update(escalated_at=now, updated_at=now)
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=pk, kind=CaseEvent.Kind.ESCALATED, at=now, audience=Audience.OFFICIALS)
        for pk in overdue
    )
    for pk in overdue:
        audit_record(
            actor=None,
            action="internships.case_escalate",
            obj=Case(pk=pk),
            changes={"escalated_at": now.isoformat()},
        )
    if notify:
        transaction.on_commit(partial(notify_escalations, case_ids=overdue))
    return len(overdue)


def notify_escalations(*, case_ids: list[int]) -> None:
    """E-mail the assigned officer (or, without one, the central team) about overdue cases.
    Sent after the commit; a mail outage does not undo the escalation, the page shows it."""
    central = list(
        User.objects.filter(
            memberships__role=Role.CENTRAL_TEAM,
            memberships__is_active=True,
            is_active=True,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    cases = Case.objects.filter(pk__in=case_ids).select_related("assigned_to")
    for case in cases:
        to = [case.assigned_to.email] if case.assigned_to and case.assigned_to.email else []
        recipients = sorted(set(to + central))
        if not recipients:
            continue
        subject = _("Case #%(id)s is past its target time") % {"id": case.pk}
        body = _(
            "Case #%(id)s (%(category)s, %(severity)s) was due on %(due)s and is still open."
        ) % {
            "id": case.pk,
            "category": case.get_category_display(),
            "severity": case.get_severity_display(),
            "due": timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M"),
        }
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except OSError:
            logger.exception("Could not e-mail the escalation of case %s", case.pk)
