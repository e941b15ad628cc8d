"""Assessments of a module in a cohort and the scores trainees got."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .cohorts import Cohort, Enrolment
from .curriculum import Module


class AssessmentKind(models.TextChoices):
    WRITTEN = "written", _("Written test")
    ORAL = "oral", _("Oral test")
    PRACTICAL = "practical", _("Practical test")
    MOCK_JLPT = "mock_jlpt", _("Mock JLPT")
    JFT_BASIC = "jft_basic", _("JFT-Basic")


class Assessment(models.Model):
    """A scored test of one module in one cohort, on a 0..max scale, weighted within its
    module (a module's average is the weighted mean of its assessments on 0..100)."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="assessments"
    )
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.PROTECT, related_name="assessments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AssessmentKind.choices)
    name = models.CharField(_("name"), max_length=120)
    held_on = models.DateField(_("held on"))
    max_score = models.DecimalField(_("highest score"), max_digits=6, decimal_places=2, default=100)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["cohort", "held_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "name"], name="assessment_name_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=AssessmentKind.values), name="assessment_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(max_score__gt=0, weight__gte=0), name="assessment_scale_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="scores"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("trainee"), on_delete=models.CASCADE, related_name="scores"
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    version = models.PositiveIntegerField(_("version"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "enrolment"], name="score_once"),
            models.CheckConstraint(condition=Q(score__gte=0), name="score_not_negative"),
        ]
        indexes = [models.Index(fields=["enrolment"], name="score_trainee_idx")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.assessment_id}: {self.score}"
