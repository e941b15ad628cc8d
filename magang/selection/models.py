"""Selection of one round: its stage plan and quotas, the results people record, the ranking
runs that turn them into selected / reserve / not selected, and what follows publication.

The rules themselves live in ``ranking.py`` (pure); these tables hold their inputs and what
each run decided, so any run can be explained and reproduced later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from magang.core.models import TimeStampedModel
from magang.recruitment.models import Application, RecruitmentRound

from . import ranking


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
