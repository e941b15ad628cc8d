"""The stay in Japan. For now: where and when each intern went, and how the stay ended.

Issue-sized growth (TITP stages, exams, transfers, incidents, alumni) hangs off ``Internship``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from magang.accounts.models import Organisation
from magang.core.models import TimeStampedModel
from magang.recruitment.models import Application
from magang.reference.models import Prefecture, Trade


class EndReason(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    EARLY_RETURN = "early_return", _("Early return")
    MISSING = "missing", _("Missing")


class Internship(TimeStampedModel):
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="internship",
    )
    supervising_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("supervising organisation"),
        on_delete=models.PROTECT,
        related_name="supervised_internships",
    )
    host_company = models.ForeignKey(
        Organisation,
        verbose_name=_("host company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_internships",
    )
    prefecture = models.ForeignKey(
        Prefecture, verbose_name=_("prefecture"), on_delete=models.PROTECT
    )
    trade = models.ForeignKey(Trade, verbose_name=_("trade"), on_delete=models.PROTECT)
    departed_on = models.DateField(_("departed on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        ordering = ["-departed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("departed_on")),
                name="internship_ends_after_departure",
                violation_error_message=_("An internship cannot end before departure."),
            ),
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(end_reason=""))
                | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="internship_end_has_reason",
                violation_error_message=_(
                    "An ended internship needs an end reason, and only then."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["departed_on", "ended_on"], name="internship_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.application} @ {self.prefecture}"
