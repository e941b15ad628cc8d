"""From a match to the aeroplane: each intern's documents, and departure batches."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from magang.core.fields import BlindIndexField, EncryptedCharField
from magang.core.models import TimeStampedModel
from magang.recruitment.models import Application

from .orders import JobOrder


class DepartureFile(TimeStampedModel):
    """One matched intern's departure documents, with numbers and dates."""

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.CASCADE,
        related_name="departure_file",
    )  # fmt: skip
    job_order = models.ForeignKey(
        JobOrder, verbose_name=_("job order"), on_delete=models.PROTECT, related_name="+"
    )
    passport_index = BlindIndexField(_("passport number index"))
    passport_number = EncryptedCharField(
        _("passport number"), max_length=20, blank=True, purpose="passport",
        index_field="passport_index",
    )  # fmt: skip
    passport_pages = models.PositiveSmallIntegerField(_("passport pages"), null=True, blank=True)
    passport_expires_on = models.DateField(_("passport expires on"), null=True, blank=True)
    training_plan_number = models.CharField(
        _("training plan certification number (OTIT)"), max_length=40, blank=True
    )
    training_plan_certified_on = models.DateField(
        _("training plan certified on"), null=True, blank=True
    )
    coe_number = models.CharField(_("certificate of eligibility number"), max_length=40, blank=True)
    coe_issued_on = models.DateField(
        _("certificate of eligibility issued on"), null=True, blank=True
    )
    visa_number = models.CharField(_("visa number"), max_length=40, blank=True)
    visa_issued_on = models.DateField(_("visa issued on"), null=True, blank=True)
    medical_checked_on = models.DateField(_("pre-departure medical on"), null=True, blank=True)
    medical_passed = models.BooleanField(_("pre-departure medical passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("departure file")
        verbose_name_plural = _("departure files")
        constraints = [
            models.UniqueConstraint(
                fields=["passport_index"],
                condition=~Q(passport_index=""),
                name="passport_index_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}"


class DepartureBatch(TimeStampedModel):
    departs_on = models.DateField(_("departure date"))
    flight = models.CharField(_("flight"), max_length=20)
    airport = models.CharField(_("airport"), max_length=60, default="Soekarno-Hatta (CGK)")
    arrives_at = models.CharField(_("arrival airport"), max_length=60, blank=True)
    departed_at = models.DateTimeField(_("recorded as departed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("departure batch")
        verbose_name_plural = _("departure batches")
        ordering = ["-departs_on", "flight"]

    def __str__(self) -> str:
        return f"{self.departs_on} {self.flight}"


class BatchMember(models.Model):
    batch = models.ForeignKey(
        DepartureBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="members"
    )
    departure_file = models.OneToOneField(
        DepartureFile,
        verbose_name=_("intern"),
        on_delete=models.PROTECT,
        related_name="batch_member",
    )

    class Meta:
        verbose_name = _("batch member")
        verbose_name_plural = _("batch members")

    def __str__(self) -> str:
        return f"{self.batch}: {self.departure_file}"
