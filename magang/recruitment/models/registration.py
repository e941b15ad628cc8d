"""Registration records around an application: documents, consent, drafts and imports."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from magang.core.fields import EncryptedJSONField
from magang.core.models import TimeStampedModel

from .spine import Application, Candidate, RecruitmentRound, SelectionSite


class _NoUrlStorage(FileSystemStorage):
    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; stream them through a scoped view.")


class PrivateStorage(LazyObject):
    """Uploaded personal documents: under MEDIA_ROOT, outside the web root, no public URL.

    Files are only ever streamed by a view that checks the reader's scope.
    """

    def _setup(self) -> None:
        self._wrapped = _NoUrlStorage(location=settings.MEDIA_ROOT)


private_storage: Any = PrivateStorage()


def get_private_storage() -> Any:
    """For ``FileField(storage=...)``: a callable keeps migrations free of settings."""
    return private_storage


def document_path(instance: Document, filename: str) -> str:
    # Never keep the uploaded name in the path: it may hold personal data or tricks.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"documents/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class DocumentType(models.Model):
    """A kind of document a round may require (KTP, KK, AK1, SKCK, photo...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_ja = models.CharField(_("name (Japanese)"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    is_photo = models.BooleanField(_("is a photograph"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name_en

    def name_for(self, language: str | None) -> str:
        if language and language.startswith("ja"):
            return self.name_ja
        if language and language.startswith("en"):
            return self.name_en
        return self.name_id


class Document(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    document_type = models.ForeignKey(
        DocumentType,
        verbose_name=_("document type"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(
        _("file"), storage=get_private_storage, upload_to=document_path, max_length=200
    )
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["application", "document_type__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "document_type"], name="document_one_per_type"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="document_rejection_has_reason",
                violation_error_message=_("A rejected document needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.document_type}"


class Consent(models.Model):
    """A candidate's consent to processing: purpose, the notice's version, when."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=60)
    notice_version = models.CharField(_("notice version"), max_length=20)
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.purpose} v{self.notice_version}"


class RegistrationDraft(TimeStampedModel):
    """A registration in progress, saved after every step so it can be resumed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="registration_drafts",
    )
    site = models.ForeignKey(
        SelectionSite, verbose_name=_("selection site"), on_delete=models.CASCADE, related_name="+"
    )
    # Sealed: the answers hold a NIK before any candidate exists.
    data = EncryptedJSONField(_("answers so far"), purpose="draft", default=dict, blank=True)
    step = models.CharField(_("current step"), max_length=20, default="identity")
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("registration draft")
        verbose_name_plural = _("registration drafts")
        constraints = [
            models.UniqueConstraint(fields=["user", "site"], name="draft_one_per_user_site"),
        ]

    def __str__(self) -> str:
        return f"draft {self.user_id} @ {self.site_id} ({self.step})"


class ImportBatch(TimeStampedModel):
    """One committed spreadsheet import. The file's hash makes re-uploads harmless."""

    round = models.ForeignKey(
        RecruitmentRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(
        SelectionSite,
        verbose_name=_("selection site"),
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    created = models.PositiveIntegerField(_("applications created"))
    unchanged = models.PositiveIntegerField(_("rows already present"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["site", "sha256"], name="import_once_per_site"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows} rows)"
