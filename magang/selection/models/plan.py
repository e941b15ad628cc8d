"""How a round selects: its plan (quota units, reserves, seat redistribution, tie-breaks),
its stages in order, and the seats of each quota unit."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from magang.core.models import TimeStampedModel
from magang.recruitment.models import RecruitmentRound

from .. import ranking


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province of the candidate")
    SITE = "site", _("Selection site")


class Redistribution(models.TextChoices):
    NONE = "none", _("Unused seats stay empty")
    PROPORTIONAL = "proportional", _("Unused seats go to other units in proportion")
    NATIONAL_POOL = "national_pool", _("Unused seats go to the best remaining nationally")


class StageKind(models.TextChoices):
    GATE = "gate", _("Pass or fail")
    SCORE = "score", _("Score")
    MEASURE = "measure", _("Measurements")


class RecordedBy(models.TextChoices):
    SITE = "site", _("Selection site")
    CENTRAL = "central", _("Central team")


class SelectionPlan(TimeStampedModel):
    """How a round selects: its quota units, reserves, seat redistribution and tie-breaks.

    The stages and quotas hang off it; next year's plan is a copy (``plan_copy``).
    """

    round = models.OneToOneField(
        RecruitmentRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="selection_plan",
    )
    unit_kind = models.CharField(
        _("quota unit"), max_length=20, choices=UnitKind.choices, default=UnitKind.PROVINCE
    )
    reserves_per_unit = models.PositiveSmallIntegerField(_("reserves per unit"), default=0)
    redistribution = models.CharField(
        _("unused seats"), max_length=20, choices=Redistribution.choices, default="none"
    )
    tie_break_stages = models.JSONField(
        _("tie-break stages"),
        default=list,
        blank=True,
        help_text=_("Keys of score stages compared, in order, when totals are equal."),
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("selection plan")
        verbose_name_plural = _("selection plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_kind__in=UnitKind.values), name="plan_unit_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(redistribution__in=Redistribution.values),
                name="plan_redistribution_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round}"

    def ranking_rules(self) -> ranking.RankingRules:
        return ranking.RankingRules(
            tie_break_stages=tuple(self.tie_break_stages),
            reserves_per_unit=self.reserves_per_unit,
            redistribution=self.redistribution,  # type: ignore[arg-type]
        )

    def ranking_plan(self) -> ranking.StagePlan:
        return ranking.StagePlan(tuple(stage.ranking_stage() for stage in self.stages.all()))


class Stage(TimeStampedModel):
    """One stage of a round's selection, in plan order."""

    plan = models.ForeignKey(
        SelectionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="stages"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    key = models.SlugField(_("key"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_id = models.CharField(_("name (Indonesian)"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=StageKind.choices)
    eliminating = models.BooleanField(_("failing eliminates"), default=True)
    recorded_by = models.CharField(
        _("recorded by"), max_length=10, choices=RecordedBy.choices, default=RecordedBy.SITE
    )
    is_medical = models.BooleanField(
        _("medical"),
        default=False,
        help_text=_(
            "Health data is specific personal data: only the central team and the candidate "
            "see the detail; everyone else sees pass or fail."
        ),
    )
    min_score = models.DecimalField(
        _("lowest score"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    max_score = models.DecimalField(
        _("highest score"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    pass_mark = models.DecimalField(
        _("pass mark"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=3, default=0)
    measures = models.JSONField(
        _("measurements"),
        default=list,
        blank=True,
        help_text=_(
            'For measurement stages: [{"key", "name_en", "name_id", "better": "lower" or '
            '"higher", "unit", "limits": {"M": ..., "F": ...}}].'
        ),
    )

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="stage_key_unique"),
            models.UniqueConstraint(fields=["plan", "order"], name="stage_order_unique"),
            models.CheckConstraint(condition=Q(kind__in=StageKind.values), name="stage_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind="score")
                | Q(
                    min_score__isnull=False,
                    max_score__isnull=False,
                    min_score__lt=models.F("max_score"),
                ),
                name="stage_score_range",
                violation_error_message=_(
                    "A score stage needs a range with its lowest below its highest."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name_en

    def ranking_stage(self) -> ranking.Stage:
        """This stage as the ranking module reads it (raises ``ranking.InvalidInput``, also
        for a weight or pass mark on a stage that is not a score)."""
        measures = tuple(
            ranking.Measure(
                key=m["key"],
                name_en=m.get("name_en", m["key"]),
                name_id=m.get("name_id", m["key"]),
                better=m["better"],
                limits=m["limits"],
                unit=m.get("unit", ""),
            )
            for m in (self.measures or [])
        )
        score = self.kind == StageKind.SCORE
        return ranking.Stage(
            key=self.key,
            name_en=self.name_en,
            name_id=self.name_id,
            kind=self.kind,  # type: ignore[arg-type]
            eliminating=self.eliminating,
            min_score=float(self.min_score or 0) if score else 0.0,
            max_score=float(self.max_score if self.max_score is not None else 100)
            if score
            else 100.0,
            pass_mark=None if self.pass_mark is None else float(self.pass_mark),
            weight=float(self.weight or 0),
            measures=measures,
        )


class Quota(models.Model):
    """Seats of one quota unit: a province code or a selection site id, by the plan's kind."""

    plan = models.ForeignKey(
        SelectionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="quotas"
    )
    unit_key = models.CharField(_("unit"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    seats = models.PositiveIntegerField(_("seats"))

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["plan", "unit_key"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit_key"], name="quota_unit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.seats}"
