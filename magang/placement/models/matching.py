"""Preferences, shortlists, interviews and company rankings, and the match runs built on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from magang.recruitment.models import Application

from .orders import JobOrder


class Preference(models.Model):
    """A candidate's ranking of a job order they are eligible for (1 = first choice)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE,
        related_name="job_preferences",
    )  # fmt: skip
    job_order = models.ForeignKey(
        JobOrder, verbose_name=_("job order"), on_delete=models.CASCADE, related_name="preferences"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        ordering = ["application", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="preference_rank_once"),
            models.UniqueConstraint(
                fields=["application", "job_order"], name="preference_order_once"
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="preference_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.rank}: {self.job_order_id}"


class InterviewResult(models.TextChoices):
    PENDING = "", _("Not yet")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Not passed")
    ABSENT = "absent", _("Absent")


class Candidacy(models.Model):
    """One candidate on one job order's shortlist: the interview and the company's ranking."""

    job_order = models.ForeignKey(
        JobOrder, verbose_name=_("job order"), on_delete=models.CASCADE, related_name="candidacies"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE,
        related_name="candidacies",
    )  # fmt: skip
    interviewed_on = models.DateField(_("interview date"), null=True, blank=True)
    interviewer = models.CharField(_("interviewer"), max_length=120, blank=True)
    result = models.CharField(
        _("result"), max_length=8, choices=InterviewResult.choices, blank=True, default=""
    )
    notes = models.TextField(_("notes"), blank=True)
    company_rank = models.PositiveSmallIntegerField(_("company's rank"), null=True, blank=True)

    class Meta:
        verbose_name = _("shortlisted candidate")
        verbose_name_plural = _("shortlist")
        ordering = ["job_order", "company_rank", "application"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_order", "application"], name="candidacy_once_per_order"
            ),
            models.UniqueConstraint(
                fields=["job_order", "company_rank"],
                condition=Q(company_rank__isnull=False),
                name="company_rank_once",
            ),
            models.CheckConstraint(
                condition=Q(company_rank__isnull=True) | Q(result="passed"),
                name="ranked_only_if_passed",
                violation_error_message=_("A company ranks only people who passed its interview."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_order} · {self.application_id}"


class MatchState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")
    SUPERSEDED = "superseded", _("Superseded")


class MatchRun(models.Model):
    """One matching of a set of job orders with the candidates who ranked them."""

    job_orders = models.ManyToManyField(JobOrder, verbose_name=_("job orders"), related_name="+")
    state = models.CharField(
        _("state"), max_length=12, choices=MatchState.choices, default=MatchState.DRAFT
    )
    input_digest = models.CharField(_("input digest"), max_length=64)
    statistics = models.JSONField(_("statistics"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("run by"), null=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("run at"))
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("finalised by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=MatchState.values), name="match_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.state})"


class Match(models.Model):
    """What a run decided for one candidate: a job order or none, why, and any manual change.

    ``reasons`` keeps the facts of the explanation, not its text (a run writes one row per
    candidate): for each job order the candidate listed above their match (every one, when
    unmatched), in their order, ``[job order id, why, slots]``, as JSON text
    (``Matching.stored_reasons``; text, not ``jsonb``, which takes twice the room).
    ``selectors.matching`` says them in the reader's language when they are shown."""

    # Indexes: the unique (application, run) serves a candidate's results and the
    # application's foreign key; (run, job_order) a run's results; the job order's and the
    # changer's foreign keys are indexed only where set (most rows have neither).
    run = models.ForeignKey(
        MatchRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="matches",
        db_index=False,
    )  # fmt: skip
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="+",
        db_index=False,
    )  # fmt: skip
    job_order = models.ForeignKey(
        JobOrder, verbose_name=_("job order"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="matches", db_index=False,
    )  # fmt: skip
    preference_rank = models.PositiveSmallIntegerField(_("choice"), null=True, blank=True)
    reasons = models.TextField(_("reasons (JSON)"), default="[]")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", db_index=False,
    )  # fmt: skip
    change_reason = models.TextField(_("reason for the manual change"), blank=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(fields=["application", "run"], name="match_once_per_run"),
            models.CheckConstraint(
                condition=Q(changed_by__isnull=True) | ~Q(change_reason=""),
                name="manual_change_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["run", "job_order"], name="match_run_order_idx"),
            models.Index(
                fields=["job_order"], condition=Q(job_order__isnull=False), name="match_order_idx"
            ),
            models.Index(
                fields=["changed_by"],
                condition=Q(changed_by__isnull=False),
                name="match_changed_by_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} -> {self.job_order_id}"
