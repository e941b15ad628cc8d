"""Ranking runs and what follows them: each run's placements, reserve promotions after
publication, and candidates' objections to a decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from magang.core.models import TimeStampedModel
from magang.recruitment.models import Application

from .plan import SelectionPlan


class RunState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed for approval")
    FINAL = "final", _("Final")
    SUPERSEDED = "superseded", _("Superseded")


class RankingRun(models.Model):
    """One ranking of a round, with the digests that let anyone reproduce it. A run is a draft
    until a central-team member proposes it and a *different* one approves it (final)."""

    plan = models.ForeignKey(
        SelectionPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="runs"
    )
    number = models.PositiveIntegerField(_("run number"))
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=RunState.choices, default=RunState.DRAFT
    )
    rules_version = models.CharField(_("rules version"), max_length=40)
    input_digest = models.CharField(_("input digest"), max_length=64)
    result_digest = models.CharField(_("result digest"), max_length=64)
    allow_incomplete = models.BooleanField(_("missing results counted as failing"), default=False)
    counts = models.JSONField(_("counts"), default=dict)
    units = models.JSONField(_("units"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("run at"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_digest = models.CharField(
        _("SHA-256 of the published list"), max_length=64, blank=True
    )

    class Meta:
        verbose_name = _("ranking run")
        verbose_name_plural = _("ranking runs")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="run_number_unique"),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(state="final"), name="one_final_run_per_plan"
            ),
            models.CheckConstraint(condition=Q(state__in=RunState.values), name="run_state_valid"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("proposed_by")),
                name="run_two_person_approval",
                violation_error_message=_("The person who proposed a run cannot approve it."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.round} #{self.number}"


class Outcome(models.TextChoices):
    SELECTED = "selected", _("Selected")
    RESERVE = "reserve", _("Reserve")
    NOT_SELECTED = "not_selected", _("Not selected")
    ELIMINATED = "eliminated", _("Eliminated")


class Placement(models.Model):
    """What one run decided for one application, with its explanation in both languages."""

    run = models.ForeignKey(
        RankingRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="placements"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="+"
    )
    unit_key = models.CharField(_("unit"), max_length=20)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    eliminated_at = models.CharField(_("eliminated at"), max_length=40, blank=True)
    total = models.FloatField(_("total"), null=True, blank=True)
    rank_in_unit = models.PositiveIntegerField(_("rank in unit"), null=True, blank=True)
    reserve_number = models.PositiveIntegerField(_("reserve number"), null=True, blank=True)
    explanation_id = models.TextField(_("explanation (Indonesian)"))
    explanation_en = models.TextField(_("explanation (English)"))

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(fields=["run", "application"], name="placement_once_per_run"),
        ]
        indexes = [
            models.Index(fields=["application"], name="placement_application_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.application_id}: {self.outcome}"


class ReservePromotion(models.Model):
    """A reserve moved up because a selected person of the same unit left."""

    run = models.ForeignKey(
        RankingRun, verbose_name=_("run"), on_delete=models.PROTECT, related_name="promotions"
    )
    vacated = models.ForeignKey(
        Application, verbose_name=_("seat left by"), on_delete=models.PROTECT, related_name="+"
    )
    promoted = models.ForeignKey(
        Application,
        verbose_name=_("promoted"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit_key = models.CharField(_("unit"), max_length=20)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("reserve promotion")
        verbose_name_plural = _("reserve promotions")
        ordering = ["run", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "vacated"], name="promotion_once_per_seat"),
        ]

    def __str__(self) -> str:
        return f"{self.vacated_id} -> {self.promoted_id}"


class ObjectionState(models.TextChoices):
    OPEN = "open", _("Awaiting review")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(TimeStampedModel):
    """A candidate's objection to an automated selection decision (UU PDP), reviewed by a
    person whose decision and reason the candidate sees."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="objections",
    )
    run = models.ForeignKey(
        RankingRun, verbose_name=_("run"), null=True, blank=True, on_delete=models.PROTECT
    )
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=10, choices=ObjectionState.choices, default=ObjectionState.OPEN
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    decision = models.TextField(_("decision and reason"), blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(state="open"), name="one_open_objection"
            ),
            models.CheckConstraint(
                condition=Q(state="open") | (Q(reviewed_by__isnull=False) & ~Q(decision="")),
                name="objection_reviewed_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} ({self.state})"
