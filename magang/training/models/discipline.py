"""Merits and demerits: points, a date, what happened, and who recorded it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .cohorts import Enrolment


class DisciplineKind(models.TextChoices):
    MERIT = "merit", _("Merit")
    DEMERIT = "demerit", _("Demerit")


class DisciplineRecord(models.Model):
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="discipline_records",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=DisciplineKind.choices)
    points = models.PositiveSmallIntegerField(_("points"))
    occurred_on = models.DateField(_("date"))
    description = models.TextField(_("what happened"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("discipline record")
        verbose_name_plural = _("discipline records")
        ordering = ["enrolment", "-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DisciplineKind.values), name="discipline_kind_valid"
            ),
            models.CheckConstraint(condition=Q(points__gt=0), name="discipline_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.kind} {self.points}"
