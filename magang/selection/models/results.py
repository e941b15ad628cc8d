"""The results people record at each stage, and every change made to one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from magang.core.models import TimeStampedModel
from magang.recruitment.models import Application

from .plan import Stage


class StageResult(TimeStampedModel):
    """What one application achieved at one stage. ``passed`` is derived from the value by the
    stage's rule when it is recorded; ``version`` grows with every change, so an edit made
    from a stale copy is refused."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="stage_results",
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="results"
    )
    passed = models.BooleanField(_("passed"))
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    measurements = models.JSONField(_("measurements"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("stage result")
        verbose_name_plural = _("stage results")
        constraints = [
            models.UniqueConstraint(fields=["application", "stage"], name="result_once_per_stage"),
        ]
        indexes = [models.Index(fields=["stage", "passed"], name="result_stage_passed_idx")]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.stage_id}"


class StageResultChange(models.Model):
    """One change to a recorded result: who, when, the old and new values, and why."""

    result = models.ForeignKey(
        StageResult, verbose_name=_("result"), on_delete=models.CASCADE, related_name="changes"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"))
    old = models.JSONField(_("old value"))
    new = models.JSONField(_("new value"))
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("result change")
        verbose_name_plural = _("result changes")
        ordering = ["result", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.result_id} @ {self.changed_at:%Y-%m-%d %H:%M}"
