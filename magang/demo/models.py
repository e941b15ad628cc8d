"""The marker that the demo programme history exists in this database."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DemoBuild(models.Model):
    """One build of the demo data: its seed, version, size and how long it took."""

    seed = models.PositiveIntegerField(_("seed"))
    version = models.CharField(_("version"), max_length=40, db_index=True)
    scale = models.FloatField(_("scale"), default=1.0)
    built_at = models.DateTimeField(_("built at"), default=timezone.now)
    seconds = models.FloatField(_("seconds taken"))
    counts = models.JSONField(_("row counts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("demo build")
        verbose_name_plural = _("demo builds")
        ordering = ["-built_at"]

    def __str__(self) -> str:
        return f"demo {self.version} (seed {self.seed}) {self.built_at:%Y-%m-%d %H:%M}"
