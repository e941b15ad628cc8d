"""Documents: upload (checked by content, images re-encoded), review, and verification."""

from __future__ import annotations

import hashlib
import io
import warnings
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from magang.core.services import audit_record

from ..journey import Status
from ..models import Application, Document, DocumentsState, DocumentType
from .registration import application_eligibility, documents_state, verdict_as_dict

if TYPE_CHECKING:
    from magang.accounts.models import User

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
SUFFIX = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
# A phone photo of a document needs no more than this; larger is a decompression bomb.
MAX_PIXELS = 40_000_000


def max_upload_bytes() -> int:
    return int(getattr(settings, "MAGANG_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))


def sniff(head: bytes) -> str | None:
    """The content type by the file's first bytes, never by its name."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def _reencode(data: bytes, content_type: str) -> bytes:
    """Decode and encode again: drops EXIF (location, device) and anything hidden after."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            # Between one and two times the limit Pillow only warns; the check below refuses.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
        with opened as image:
            # The header says how big it is: refuse a pixel bomb before decoding a pixel.
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("The image is too large."))
            image.load()
            out = io.BytesIO()
            if content_type == JPEG:
                image.convert("RGB").save(out, format="JPEG", quality=88, optimize=True)
            else:
                keep = (
                    image
                    if image.mode in ("RGB", "RGBA", "L", "LA", "P")
                    else image.convert("RGBA")
                )
                keep.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except Image.DecompressionBombError as exc:
        raise ValidationError(_("The image is too large.")) from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise ValidationError(_("The image could not be read: %(error)s") % {"error": exc}) from exc


def read_checked(upload: IO[bytes], *, size: int | None = None) -> tuple[bytes, str]:
    """Read an upload within the size limit and return (content, content type)."""
    limit = max_upload_bytes()
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "limit": round(limit / 1024 / 1024, 1)}
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": round(limit / 1024 / 1024, 1)}
        )
    if not data:
        raise ValidationError(_("The file is empty."))
    content_type = sniff(data[:16])
    if content_type is None:
        raise ValidationError(
            _("Upload a PDF, JPEG or PNG file. This file is none of them, whatever its name says.")
        )
    if content_type == PDF:
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("The PDF is incomplete or damaged."))
        return data, content_type
    return _reencode(data, content_type), content_type


@transaction.atomic
def document_upload(
    *,
    application: Application,
    document_type: DocumentType,
    upload: IO[bytes],
    size: int | None,
    by: User | None,
) -> Document:
    """Store (or replace) one document of an application. The old file is removed."""
    if application.status not in (Status.REGISTERED, Status.ELIGIBLE):
        raise ValidationError(_("Documents can no longer be changed for this application."))
    data, content_type = read_checked(upload, size=size)
    existing = (
        Document.objects.select_for_update()
        .filter(application=application, document_type=document_type)
        .first()
    )
    if existing is not None and existing.status == Document.Status.ACCEPTED:
        raise ValidationError(_("This document has already been accepted."))
    old_name = existing.file.name if existing else None
    document = existing or Document(application=application, document_type=document_type)
    document.content_type = content_type
    document.size = len(data)
    document.sha256 = hashlib.sha256(data).hexdigest()
    document.status = Document.Status.PENDING
    document.rejection_reason = ""
    document.reviewed_by = None
    document.reviewed_at = None
    document.uploaded_by = by
    document.file.save(f"upload{SUFFIX[content_type]}", ContentFile(data), save=False)
    document.save()
    if old_name:
        storage = document.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    _refresh_state(application)
    audit_record(
        actor=by,
        action="document.upload",
        obj=document,
        changes={"type": document_type.code, "size": len(data), "sha256": document.sha256},
    )
    return document


@transaction.atomic
def document_review(*, document: Document, accept: bool, reason: str = "", by: User) -> Document:
    """Accept or reject a document. A rejection needs a reason the candidate will read."""
    locked = Document.objects.select_for_update().get(pk=document.pk)
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError({"reason": [_("Say why the document is rejected.")]})
    before = locked.status
    locked.status = Document.Status.ACCEPTED if accept else Document.Status.REJECTED
    locked.rejection_reason = "" if accept else reason
    locked.reviewed_by = by
    locked.reviewed_at = timezone.now()
    locked.full_clean()
    locked.save()
    _refresh_state(locked.application)
    audit_record(
        actor=by,
        action="document.review",
        obj=locked,
        changes={"status": [before, locked.status]},
        reason=reason,
    )
    return locked


def _refresh_state(application: Application) -> None:
    state = documents_state(application)
    Application.objects.filter(pk=application.pk).update(documents_state=state)
    application.documents_state = state


@transaction.atomic
def application_verify(*, application: Application, by: User, note: str = "") -> Application:
    """After every required document is accepted, an officer confirms the eligibility check.

    The rule set proposes; the officer decides (a person reviews every automated outcome).
    The application moves to eligible or ineligible with every failed rule as the reason.
    """
    from . import application_advance

    locked = (
        Application.objects.select_for_update()
        .select_related("site__round", "candidate")
        .get(pk=application.pk)
    )
    if documents_state(locked) != DocumentsState.VERIFIED:
        raise ValidationError(_("Every required document must be accepted first."))
    verdict = application_eligibility(application=locked)
    locked.eligibility = verdict_as_dict(verdict)
    locked.save(update_fields=["eligibility", "updated_at"])
    if verdict is None or verdict.eligible:
        target, reason = Status.ELIGIBLE, note or _("Documents verified; all rules met.")
    else:
        target = Status.INELIGIBLE
        reason = "; ".join(f.message_id for f in verdict.failures)
        if note:
            reason = f"{reason} ({note})"
    application_advance(application=locked, to=target, by=by, reason=reason)
    application.status = locked.status
    application.eligibility = locked.eligibility
    return locked
