"""Cohorts (angkatan) at a training centre, their classes, and who is enrolled where."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from magang.accounts.models import Organisation
from magang.core.models import TimeStampedModel
from magang.recruitment.models import Application, RecruitmentRound

from .curriculum import Curriculum


class TrainingStage(models.TextChoices):
    REGIONAL = "regional", _("Stage I (regional)")
    CENTRAL = "central", _("Stage II (central, BBPVP Bekasi)")


class Cohort(TimeStampedModel):
    centre = models.ForeignKey(
        Organisation,
        verbose_name=_("training centre"),
        on_delete=models.PROTECT,
        related_name="cohorts",
        limit_choices_to={"kind": Organisation.Kind.TRAINING_CENTRE},
    )
    round = models.ForeignKey(
        RecruitmentRound,
        verbose_name=_("round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    curriculum = models.ForeignKey(
        Curriculum, verbose_name=_("curriculum"), on_delete=models.PROTECT, related_name="cohorts"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    stage = models.CharField(_("stage"), max_length=10, choices=TrainingStage.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveIntegerField(_("capacity"))

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="cohort_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=TrainingStage.values), name="cohort_stage_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TrainingClass(models.Model):
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="classes"
    )
    name = models.CharField(_("name"), max_length=60)
    homeroom_trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("homeroom trainer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="homeroom_classes",
    )

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["cohort", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "name"], name="class_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} · {self.name}"


class EnrolmentState(models.TextChoices):
    ACTIVE = "active", _("In training")
    COMPLETED = "completed", _("Stage completed")
    GRADUATED = "graduated", _("Graduated")
    DROPPED_OUT = "dropped_out", _("Dropped out")


class Enrolment(TimeStampedModel):
    """One application in one cohort. An application has at most one active enrolment."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT, related_name="enrolments"
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("class"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=EnrolmentState.choices, default=EnrolmentState.ACTIVE
    )
    enrolled_on = models.DateField(_("enrolled on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason"), blank=True)
    medical_passed = models.BooleanField(
        _("medical check passed"),
        null=True,
        blank=True,
        help_text=_("Only whether it passed; the clinic's findings are not kept here."),
    )
    medical_checked_on = models.DateField(_("medical check on"), null=True, blank=True)
    japanese_level = models.CharField(
        _("Japanese level reached"),
        max_length=2,
        blank=True,
        default="",
        choices=[
            ("", _("Not yet certified")),
            ("N5", "JLPT N5"),
            ("N4", "JLPT N4"),
            ("A2", "JFT-Basic A2"),
        ],
        help_text=_(
            "The level certified by a JLPT or JFT-Basic result; job orders may ask for it."
        ),
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["cohort", "application__registration_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "application"], name="enrolment_once_per_cohort"
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state="active"),
                name="one_active_enrolment",
                violation_error_message=_("This person is already in training elsewhere."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=EnrolmentState.values), name="enrolment_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(state="active", ended_on__isnull=True)
                | (~Q(state="active") & Q(ended_on__isnull=False)),
                name="enrolment_ended_when_not_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} @ {self.cohort}"
