"""Writes for cooperation agreements: save (create or change), terminate, and their PDF
documents. Each runs in one transaction, checks its rules first, and writes an audit row.

Only the central team and administrators write (``by=None`` is the system itself: the demo,
imports). A terminated agreement is history and is no longer changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from magang.accounts.models import Organisation, User
from magang.core.services import audit_record
from magang.recruitment.services.documents import PDF, max_upload_bytes, sniff
from magang.reference.models import Prefecture, Province, Trade

from .access import may_edit
from .models import (
    JAPANESE_PARTY_KINDS,
    Agreement,
    AgreementDocument,
    AgreementKind,
    AgreementStatus,
)

# Statuses a save may set; termination has its own service (it needs a date and a reason).
SAVE_STATUSES = (AgreementStatus.DRAFT, AgreementStatus.SIGNED)


@dataclass(frozen=True)
class AgreementData:
    title: str
    kind: str
    status: str = AgreementStatus.DRAFT
    reference: str = ""
    indonesian_province: Province | None = None
    indonesian_signatory: str = ""
    prefecture: Prefecture | None = None
    organisations: Sequence[Organisation] = field(default_factory=tuple)
    japanese_signatory: str = ""
    signed_on: dt.date | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    trades: Sequence[Trade] = field(default_factory=tuple)
    intern_quota: int | None = None
    scope: str = ""
    is_public: bool = False


def _require_editor(by: User | None) -> None:
    if by is not None and not may_edit(by):
        raise PermissionDenied


def _check(data: AgreementData, *, before: Agreement | None) -> None:
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not data.title.strip():
        refuse("title", _("Give the agreement a title."))
    if data.kind not in AgreementKind.values:
        refuse("kind", _("Choose the kind of agreement."))
    if data.status not in SAVE_STATUSES:
        refuse("status", _("An agreement is saved as a draft or as signed."))
    if before is not None and before.status == AgreementStatus.TERMINATED:
        refuse("status", _("A terminated agreement is kept as it was and cannot be changed."))
    if (
        before is not None
        and before.status == AgreementStatus.SIGNED
        and data.status == AgreementStatus.DRAFT
    ):
        refuse("status", _("A signed agreement cannot go back to draft; terminate it instead."))
    if data.prefecture is None and not data.organisations:
        refuse(
            "prefecture",
            _("Name the Japanese party: a prefecture, one or more organisations, or both."),
        )
    wrong = [o.name for o in data.organisations if o.kind not in JAPANESE_PARTY_KINDS]
    if wrong:
        refuse(
            "organisations",
            _(
                "Only supervising organisations and host companies can be Japanese parties, "
                "not %(names)s."
            )
            % {"names": ", ".join(sorted(wrong))},
        )
    if data.status == AgreementStatus.SIGNED:
        if data.signed_on is None:
            refuse("signed_on", _("A signed agreement needs the date it was signed."))
        elif data.signed_on > timezone.localdate():
            refuse("signed_on", _("The signing date cannot be in the future."))
        if data.valid_from is None:
            refuse("valid_from", _("A signed agreement needs the date it takes effect."))
    if data.valid_from and data.valid_until and data.valid_until < data.valid_from:
        refuse(
            "valid_until",
            _("The agreement cannot end (%(until)s) before it starts (%(start)s).")
            % {"until": data.valid_until.isoformat(), "start": data.valid_from.isoformat()},
        )
    if data.is_public and data.status == AgreementStatus.DRAFT:
        refuse("is_public", _("A draft cannot be listed publicly; sign it first."))
    if data.intern_quota is not None and data.intern_quota < 0:
        refuse("intern_quota", _("The number of interns cannot be negative."))
    if errors:
        raise ValidationError(errors)


def _snapshot(agreement: Agreement) -> dict[str, Any]:
    return {
        "title": agreement.title,
        "kind": agreement.kind,
        "status": agreement.status,
        "reference": agreement.reference,
        "indonesian_province": agreement.indonesian_province_id,
        "prefecture": agreement.prefecture_id,
        "organisations": sorted(agreement.organisations.values_list("pk", flat=True)),
        "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else None,
        "valid_from": agreement.valid_from.isoformat() if agreement.valid_from else None,
        "valid_until": agreement.valid_until.isoformat() if agreement.valid_until else None,
        "trades": sorted(agreement.trades.values_list("code", flat=True)),
        "intern_quota": agreement.intern_quota,
        "is_public": agreement.is_public,
    }


@transaction.atomic
def agreement_save(
    *, agreement: Agreement | None = None, data: AgreementData, by: User | None
) -> Agreement:
    """Create an agreement (``agreement=None``) or change one; returns the saved row."""
    _require_editor(by)
    locked = (
        None if agreement is None else Agreement.objects.select_for_update().get(pk=agreement.pk)
    )
    _check(data, before=locked)
    before = _snapshot(locked) if locked is not None else {}
    target = locked or Agreement()
    target.title = data.title.strip()
    target.kind = data.kind
    target.status = data.status
    target.reference = data.reference.strip()
    target.indonesian_province = data.indonesian_province
    target.indonesian_signatory = data.indonesian_signatory.strip()
    target.prefecture = data.prefecture
    target.japanese_signatory = data.japanese_signatory.strip()
    target.signed_on = data.signed_on
    target.valid_from = data.valid_from
    target.valid_until = data.valid_until
    target.intern_quota = data.intern_quota
    target.scope = data.scope.strip()
    target.is_public = data.is_public
    target.full_clean()
    target.save()
    target.organisations.set(data.organisations)
    target.trades.set(data.trades)
    after = _snapshot(target)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    audit_record(
        actor=by,
        action="partnerships.agreement_create"
        if locked is None
        else "partnerships.agreement_change",
        obj=target,
        changes=changes,
    )
    return target


@transaction.atomic
def agreement_terminate(
    *, agreement: Agreement, on: dt.date, reason: str, by: User | None
) -> Agreement:
    """End a signed agreement early, with the date and the reason."""
    _require_editor(by)
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    reason = reason.strip()
    if locked.status != AgreementStatus.SIGNED:
        raise ValidationError(_("Only a signed agreement can be terminated."))
    if not reason:
        raise ValidationError({"reason": [_("Say why the agreement ends.")]})
    if locked.signed_on is not None and on < locked.signed_on:
        raise ValidationError(
            {
                "on": [
                    _("An agreement cannot end (%(on)s) before it was signed (%(signed)s).")
                    % {"on": on.isoformat(), "signed": locked.signed_on.isoformat()}
                ]
            }
        )
    locked.status = AgreementStatus.TERMINATED
    locked.terminated_on = on
    locked.termination_reason = reason
    locked.full_clean()
    locked.save()
    audit_record(
        actor=by,
        action="partnerships.agreement_terminate",
        obj=locked,
        changes={"status": [AgreementStatus.SIGNED, locked.status], "on": on.isoformat()},
        reason=reason,
    )
    return locked


def read_pdf(upload: IO[bytes], *, size: int | None) -> bytes:
    """The upload's bytes if it is a complete PDF within the size limit; otherwise a
    ``ValidationError`` saying what is wrong. The type is decided by content, never by name."""
    limit = max_upload_bytes()
    megabytes = round(limit / 1024 / 1024, 1)
    if size is not None and size > limit:
        raise ValidationError(_("The file is larger than %(limit)s MB.") % {"limit": megabytes})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("The file is larger than %(limit)s MB.") % {"limit": megabytes})
    if not data:
        raise ValidationError(_("The file is empty."))
    if sniff(data[:16]) != PDF:
        raise ValidationError(_("Upload a PDF. This file is not one, whatever its name says."))
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("The PDF is incomplete or damaged."))
    return data


@transaction.atomic
def agreement_document_add(
    *, agreement: Agreement, title: str, upload: IO[bytes], size: int | None, by: User | None
) -> AgreementDocument:
    """Store a PDF (the signed text, an annex, a translation) with an agreement."""
    _require_editor(by)
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    title = title.strip()
    if not title:
        raise ValidationError({"title": [_("Say what the document is.")]})
    data = read_pdf(upload, size=size)
    document = AgreementDocument(
        agreement=locked,
        title=title,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=by,
    )
    document.file.save("document.pdf", ContentFile(data), save=False)
    name, storage = document.file.name, document.file.storage
    try:
        document.full_clean()
        document.save()
        audit_record(
            actor=by,
            action="partnerships.document_add",
            obj=locked,
            changes={"document": document.pk, "title": title, "size": len(data),
                     "sha256": document.sha256},
        )  # fmt: skip
    except Exception:
        # Nothing was recorded, so nothing is kept on disk either.
        storage.delete(name)
        raise
    return document


@transaction.atomic
def agreement_document_remove(*, document: AgreementDocument, reason: str, by: User | None) -> None:
    """Remove a document that was uploaded by mistake; the file goes after the commit."""
    _require_editor(by)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the document is removed.")]})
    locked = AgreementDocument.objects.select_for_update().get(pk=document.pk)
    agreement = locked.agreement
    name, storage = locked.file.name, locked.file.storage
    audit_record(
        actor=by,
        action="partnerships.document_remove",
        obj=agreement,
        changes={"document": locked.pk, "title": locked.title, "sha256": locked.sha256},
        reason=reason,
    )
    locked.delete()
    transaction.on_commit(lambda: storage.delete(name))
