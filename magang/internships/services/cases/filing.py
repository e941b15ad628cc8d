"""Filing an incident or grievance, and the photos and PDFs attached to a case (checked by
content before anything is written)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import Role, User
from magang.accounts.scopes import scope_for
from magang.core.services import audit_record
from magang.recruitment.services.documents import SUFFIX, read_checked

from ...cases_access import CASE_MANAGER_NATIONWIDE
from ...models import (
    Audience,
    Case,
    CaseAttachment,
    CaseCategory,
    CaseEvent,
    CaseKind,
    CaseSeverity,
    CaseStatus,
    FiledAs,
    Internship,
)
from .helpers import _event, _lens, _locked, target_hours

MAX_ATTACHMENTS_PER_CASE = 10


@dataclass(frozen=True)
class Upload:
    """A file as a page or the API received it."""

    file: IO[bytes]
    size: int | None


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
