"""Cooperation agreements between Indonesia and Japanese prefectures or organisations, and
their signed documents.

The Indonesian side is Kemnaker (national) or a province; the Japanese side a prefecture,
organisations (a supervising organisation, a host company), or both. An agreement's stored
``status`` is what people decided (draft, signed, terminated); whether a signed agreement
is in force on a day follows from its dates (``state_on``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from magang.accounts.models import Organisation
from magang.core.models import TimeStampedModel
from magang.recruitment.models.registration import get_private_storage
from magang.reference.models import Prefecture, Province, Trade


class AgreementKind(models.TextChoices):
    MOC = "moc", _("Memorandum of Cooperation (MoC)")
    MOU = "mou", _("Memorandum of Understanding (MoU)")
    LOI = "loi", _("Letter of Intent (LoI)")
    AGREEMENT = "agreement", _("Cooperation agreement")
    OTHER = "other", _("Other")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    TERMINATED = "terminated", _("Terminated")


class AgreementState(models.TextChoices):
    """What an agreement is on a given day, derived from its status and dates."""

    DRAFT = "draft", _("Draft")
    NOT_YET_IN_FORCE = "pending", _("Signed, not yet in force")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


# Organisations that may be a Japanese party to an agreement.
JAPANESE_PARTY_KINDS = (
    Organisation.Kind.SUPERVISING_ORGANISATION,
    Organisation.Kind.HOST_COMPANY,
)


class Agreement(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=AgreementKind.choices)
    reference = models.CharField(
        _("reference number"), max_length=80, blank=True, help_text=_("The document's number.")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
        db_index=True,
    )
    indonesian_province = models.ForeignKey(
        Province,
        verbose_name=_("Indonesian province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
        help_text=_("Empty when the Indonesian party is the Ministry of Manpower (Kemnaker)."),
    )
    indonesian_signatory = models.CharField(_("Indonesian signatory"), max_length=200, blank=True)
    prefecture = models.ForeignKey(
        Prefecture,
        verbose_name=_("Japanese prefecture"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("Japanese organisations"),
        blank=True,
        related_name="agreements",
    )
    japanese_signatory = models.CharField(_("Japanese signatory"), max_length=200, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty when open-ended.")
    )
    trades = models.ManyToManyField(
        Trade, verbose_name=_("trades"), blank=True, related_name="agreements"
    )
    intern_quota = models.PositiveIntegerField(
        _("interns a year"),
        null=True,
        blank=True,
        help_text=_("How many interns a year the agreement aims at, if it says."),
    )
    scope = models.TextField(_("scope"), blank=True)
    is_public = models.BooleanField(
        _("listed publicly"),
        default=False,
        help_text=_("Title, kind, parties and dates appear on the public partnerships page."),
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for termination"), blank=True)

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-signed_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=AgreementStatus.DRAFT)
                | Q(signed_on__isnull=False, valid_from__isnull=False),
                name="agreement_signed_has_dates",
                violation_error_message=_("A signed agreement needs its signing and start dates."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="agreement_valid_until_after_from",
                violation_error_message=_("An agreement cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=(Q(status=AgreementStatus.TERMINATED) & Q(terminated_on__isnull=False))
                | (~Q(status=AgreementStatus.TERMINATED) & Q(terminated_on__isnull=True)),
                name="agreement_terminated_has_date",
                violation_error_message=_(
                    "A terminated agreement has a termination date, and only then."
                ),
            ),
            models.CheckConstraint(
                condition=Q(is_public=False) | ~Q(status=AgreementStatus.DRAFT),
                name="agreement_draft_not_public",
                violation_error_message=_("A draft cannot be listed publicly."),
            ),
        ]
        indexes = [
            models.Index(fields=["prefecture", "status"], name="agreement_prefecture_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def indonesian_party(self) -> str:
        if self.indonesian_province is None:
            return str(_("Ministry of Manpower (Kemnaker)"))
        return str(_("Province of %(name)s") % {"name": self.indonesian_province.name})

    def state_on(self, day: dt.date) -> AgreementState:
        if self.status == AgreementStatus.DRAFT:
            return AgreementState.DRAFT
        if self.status == AgreementStatus.TERMINATED:
            return AgreementState.TERMINATED
        if self.valid_from is not None and day < self.valid_from:
            return AgreementState.NOT_YET_IN_FORCE
        if self.valid_until is not None and day > self.valid_until:
            return AgreementState.EXPIRED
        return AgreementState.IN_FORCE


def agreement_document_path(instance: AgreementDocument, filename: str) -> str:
    # The uploaded name is never part of the path: it may carry tricks.
    return f"agreements/{instance.agreement_id}/{uuid.uuid4().hex}.pdf"


class AgreementDocument(TimeStampedModel):
    """A signed text, annex or translation of an agreement: a PDF in private storage."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), storage=get_private_storage, upload_to=agreement_document_path, max_length=200
    )
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")
        ordering = ["agreement", "created_at"]

    def __str__(self) -> str:
        return self.title


# --- Prefecture figures, derived ---------------------------------------------------------
# Rewritten as a whole by ``figures.prefecture_counts_refresh`` (the statistics refresh calls
# it every few minutes), so that a prefecture page reads a few indexed rows of its own
# prefecture instead of counting its internships. Deleting them loses nothing.


class PrefectureCountsRefresh(models.Model):
    """When the prefecture counts were taken: they hold for ``day``. ``token`` names these
    counts in the cache of figures read from them."""

    token = models.UUIDField(_("token"), default=uuid.uuid4, editable=False)
    day = models.DateField(_("figures for"))
    data_as_of = models.DateTimeField(_("figures as of"))

    class Meta:
        verbose_name = _("prefecture figures refresh")
        verbose_name_plural = _("prefecture figures refreshes")

    def __str__(self) -> str:
        return f"{self.day} ({self.data_as_of:%H:%M})"


class PrefectureStayCount(models.Model):
    """Internships in one prefecture by the year they departed and, for stays that had
    ended by the day of the counts, the year and the way they ended."""

    prefecture_id = models.IntegerField()
    departed_year = models.PositiveSmallIntegerField()
    ended_year = models.PositiveSmallIntegerField(null=True)
    end_reason = models.CharField(max_length=20, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["prefecture_id"], name="partner_stay_pref_idx")]

    def __str__(self) -> str:
        return f"{self.prefecture_id} {self.departed_year}: {self.count}"


class PrefecturePlacementCount(models.Model):
    """Internships in one prefecture by trade and host company: all that departed by the
    day of the counts, and those still there that day."""

    prefecture_id = models.IntegerField()
    trade_id = models.IntegerField()
    host_company_id = models.IntegerField(null=True)
    departed = models.PositiveIntegerField()
    in_japan = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["prefecture_id"], name="partner_place_pref_idx")]

    def __str__(self) -> str:
        return f"{self.prefecture_id} {self.trade_id} {self.host_company_id}: {self.departed}"


class PrefectureCaseCount(models.Model):
    """Incidents and grievances about internships in one prefecture, filed by the day of
    the counts, by category: all and those still open."""

    prefecture_id = models.IntegerField()
    category = models.CharField(max_length=20)
    total = models.PositiveIntegerField()
    open = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["prefecture_id"], name="partner_case_pref_idx")]

    def __str__(self) -> str:
        return f"{self.prefecture_id} {self.category}: {self.total}"
