"""Job orders from Japanese host companies, sent through their supervising organisation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from magang.accounts.models import Organisation
from magang.core.models import TimeStampedModel
from magang.recruitment.models import RecruitmentRound
from magang.reference.models import Prefecture, Trade


class HostTrade(models.Model):
    """A trade a host company trains in (a company may have several)."""

    host_company = models.ForeignKey(
        Organisation,
        verbose_name=_("host company"),
        on_delete=models.CASCADE,
        related_name="host_trades",
        limit_choices_to={"kind": Organisation.Kind.HOST_COMPANY},
    )
    trade = models.ForeignKey(Trade, verbose_name=_("trade"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("host company trade")
        verbose_name_plural = _("host company trades")
        constraints = [
            models.UniqueConstraint(fields=["host_company", "trade"], name="host_trade_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.host_company}: {self.trade}"


class SexRequirement(models.TextChoices):
    ANY = "", _("Any")
    MEN = "M", _("Men")
    WOMEN = "F", _("Women")


class JapaneseLevel(models.TextChoices):
    NONE = "", _("No requirement")
    N5 = "N5", _("JLPT N5")
    N4 = "N4", _("JLPT N4")
    A2 = "A2", _("JFT-Basic A2")


class JobOrderState(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Matched")
    CANCELLED = "cancelled", _("Cancelled")


class JobOrder(TimeStampedModel):
    host_company = models.ForeignKey(
        Organisation,
        verbose_name=_("host company"),
        on_delete=models.PROTECT,
        related_name="job_orders",
        limit_choices_to={"kind": Organisation.Kind.HOST_COMPANY},
    )
    supervising_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("supervising organisation"),
        on_delete=models.PROTECT,
        related_name="supervised_job_orders",
        limit_choices_to={"kind": Organisation.Kind.SUPERVISING_ORGANISATION},
    )
    round = models.ForeignKey(
        RecruitmentRound,
        verbose_name=_("round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    trade = models.ForeignKey(Trade, verbose_name=_("trade"), on_delete=models.PROTECT)
    prefecture = models.ForeignKey(
        Prefecture, verbose_name=_("prefecture"), on_delete=models.PROTECT
    )
    slots = models.PositiveSmallIntegerField(_("interns wanted"))
    sex = models.CharField(
        _("sex"), max_length=1, choices=SexRequirement.choices, blank=True, default=""
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    min_height_cm = models.PositiveSmallIntegerField(
        _("minimum height (cm)"), null=True, blank=True
    )
    japanese_level = models.CharField(
        _("Japanese level"), max_length=2, choices=JapaneseLevel.choices, blank=True, default=""
    )
    interview_on = models.DateField(_("interview date"), null=True, blank=True)
    planned_start = models.DateField(_("planned start in Japan"))
    notes = models.TextField(_("notes"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=JobOrderState.choices, default=JobOrderState.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("job order")
        verbose_name_plural = _("job orders")
        ordering = ["-planned_start", "reference"]
        constraints = [
            models.CheckConstraint(condition=Q(slots__gt=0), name="job_order_has_slots"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=F("min_age")),
                name="job_order_age_range",
            ),
            models.CheckConstraint(
                condition=Q(state__in=JobOrderState.values), name="job_order_state_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["host_company", "planned_start"], name="job_order_host_idx")
        ]

    def __str__(self) -> str:
        return self.reference
