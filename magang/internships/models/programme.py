"""Programme rules for the stay, as data: stages, exams, monitoring duties, and the
organisations' "excellent" standing. TITP's three stages and the 2027 Employment for Skill
Development programme are rows of these tables, never code."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from magang.accounts.models import Organisation
from magang.core.models import TimeStampedModel
from magang.recruitment.models import Programme


class StayRules(TimeStampedModel):
    """How a programme's stay is run: collective training and monitoring duties."""

    programme = models.OneToOneField(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="stay_rules"
    )
    collective_training_days = models.PositiveSmallIntegerField(
        _("collective training after arrival (days)"), default=30
    )
    visit_every_months = models.PositiveSmallIntegerField(
        _("monitoring visit every (months)"), default=1
    )
    visits_for_months = models.PositiveSmallIntegerField(
        _("monitoring visits during the first (months)"), default=12
    )
    audit_every_months = models.PositiveSmallIntegerField(_("audit every (months)"), default=3)
    overdue_after_days = models.PositiveSmallIntegerField(
        _("a duty is overdue this many days after it falls due"), default=7
    )
    own_wish_transfer_after_months = models.PositiveSmallIntegerField(
        _("transfer at the intern's own wish allowed after (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: never at the intern's own wish (TITP)."),
    )

    class Meta:
        verbose_name = _("stay rules")
        verbose_name_plural = _("stay rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(visit_every_months__gte=1) & Q(audit_every_months__gte=1),
                name="stay_rules_intervals_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.programme)


class ExamType(models.Model):
    """A skills or language exam an intern may take (TITP basic grade, grade 3, grade 2...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_ja = models.CharField(_("name (Japanese)"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("exam type")
        verbose_name_plural = _("exam types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    """One stage of a programme and what it takes to enter it from the previous one."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="stages"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_ja = models.CharField(_("name (Japanese)"), max_length=120, blank=True)
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"))
    required_exams: models.ManyToManyField[ExamType, Any] = models.ManyToManyField(
        ExamType,
        verbose_name=_("exams passed to enter"),
        blank=True,
        related_name="opens_stages",
    )
    requires_eligible_trade = models.BooleanField(
        _("only for trades allowed this stage"), default=False
    )
    min_home_leave_days = models.PositiveSmallIntegerField(
        _("temporary return home of at least (days) before entering"), default=0
    )
    requires_excellent_organisations = models.BooleanField(
        _("supervising organisation and host company must both be excellent"), default=False
    )
    early_entry_days = models.PositiveSmallIntegerField(
        _("may start this many days before the previous stage's planned end"), default=0
    )

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="stage_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="stage_number_positive"),
            models.CheckConstraint(
                condition=Q(duration_months__gte=1), name="stage_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExcellentStanding(TimeStampedModel):
    """An organisation rated "excellent" (優良) from a date, possibly until a date."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="excellent_standings",
    )
    granted_on = models.DateField(_("granted on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("excellent standing")
        verbose_name_plural = _("excellent standings")
        ordering = ["organisation", "-granted_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("granted_on")),
                name="excellent_standing_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.granted_on})"
