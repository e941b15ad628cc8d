"""What a programme teaches: a curriculum of modules, and the rules that decide readiness and
raise alerts. Next year's curriculum is a copy, not code."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from magang.core.models import TimeStampedModel
from magang.recruitment.models import Programme


class Category(models.TextChoices):
    JAPANESE = "japanese", _("Japanese language")
    CULTURE = "culture", _("Culture and manners")
    DISCIPLINE = "discipline", _("Discipline and physical")
    TECHNICAL = "technical", _("Technical")
    SAFETY = "safety", _("Occupational safety")


def default_readiness_rules() -> dict[str, object]:
    return {
        "min_attendance": 0.9,
        "japanese_min_score": None,
        "all_modules_passed": True,
        "max_demerit_points": 20,
        "medical_required": True,
    }


def default_alert_rules() -> dict[str, object]:
    return {
        "consecutive_absences": 2,
        "min_attendance": 0.9,
        "max_demerit_points": 10,
        "module_below_pass_mark": True,
    }


class Curriculum(TimeStampedModel):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    readiness_rules = models.JSONField(_("readiness rules"), default=default_readiness_rules)
    alert_rules = models.JSONField(_("at-risk alert rules"), default=default_alert_rules)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("curriculum")
        verbose_name_plural = _("curricula")
        ordering = ["-year", "code"]

    def __str__(self) -> str:
        return self.name


class Module(models.Model):
    curriculum = models.ForeignKey(
        Curriculum, verbose_name=_("curriculum"), on_delete=models.CASCADE, related_name="modules"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    key = models.SlugField(_("key"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    planned_hours = models.PositiveSmallIntegerField(_("planned hours"))
    pass_mark = models.DecimalField(_("pass mark"), max_digits=5, decimal_places=2, default=60)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["curriculum", "order"]
        constraints = [
            models.UniqueConstraint(fields=["curriculum", "key"], name="module_key_unique"),
            models.UniqueConstraint(fields=["curriculum", "order"], name="module_order_unique"),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="module_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0, pass_mark__lte=100, weight__gte=0),
                name="module_pass_mark_and_weight",
            ),
        ]

    def __str__(self) -> str:
        return self.name_en
