"""The stay in Japan: the internship, its placements with host companies, stages, exams,
temporary returns home and the timeline of status events."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from magang.accounts.models import Organisation, User
from magang.core.models import TimeStampedModel
from magang.recruitment.models import Application, JourneyEvent
from magang.reference.models import Prefecture, Trade

from .programme import ExamType, Stage


class EndReason(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    EARLY_RETURN = "early_return", _("Early return")
    MISSING = "missing", _("Missing")


class EarlyReturnReason(models.TextChoices):
    HEALTH = "health", _("Health")
    FAMILY = "family", _("Family")
    COMPANY_CLOSURE = "company_closure", _("Company closure")
    MISCONDUCT = "misconduct", _("Misconduct")
    OWN_WISH = "own_wish", _("Own wish")
    OTHER = "other", _("Other")


class TransferReason(models.TextChoices):
    COMPANY_CLOSURE = "company_closure", _("Company closure or bankruptcy")
    HOST_MISCONDUCT = "host_misconduct", _("Misconduct of the host company")
    PROTECTION = "protection", _("Protection of the intern")
    NEXT_STAGE = "next_stage", _("New host company for the next stage")
    OWN_WISH = "own_wish", _("Intern's own wish")
    OTHER = "other", _("Other")


class Source(models.TextChoices):
    WEB = "web", _("Web page")
    API = "api", _("Partner API")
    IMPORT = "import", _("Import")
    DEMO = "demo", _("Demo data")


class Internship(TimeStampedModel):
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="internship",
    )
    supervising_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("supervising organisation"),
        on_delete=models.PROTECT,
        related_name="supervised_internships",
    )
    host_company = models.ForeignKey(
        Organisation,
        verbose_name=_("host company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_internships",
    )
    prefecture = models.ForeignKey(
        Prefecture, verbose_name=_("prefecture"), on_delete=models.PROTECT
    )
    trade = models.ForeignKey(Trade, verbose_name=_("trade"), on_delete=models.PROTECT)
    departed_on = models.DateField(_("departed on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    collective_training_centre = models.CharField(
        _("collective training centre"), max_length=120, blank=True
    )
    collective_training_until = models.DateField(
        _("collective training until"), null=True, blank=True
    )
    stage = models.ForeignKey(
        Stage,
        verbose_name=_("stage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="internships",
    )
    stage_started_on = models.DateField(_("stage started on"), null=True, blank=True)
    early_return_reason = models.CharField(
        _("early return reason"), max_length=20, choices=EarlyReturnReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        ordering = ["-departed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("departed_on")),
                name="internship_ends_after_departure",
                violation_error_message=_("An internship cannot end before departure."),
            ),
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(end_reason=""))
                | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="internship_end_has_reason",
                violation_error_message=_(
                    "An ended internship needs an end reason, and only then."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["departed_on", "ended_on"], name="internship_period_idx"),
            models.Index(
                fields=["supervising_organisation", "departed_on"], name="internship_supervisor_idx"
            ),
            models.Index(fields=["host_company", "departed_on"], name="internship_host_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.application} @ {self.prefecture}"


class HostPlacement(models.Model):
    """One host company an intern trained at, from a date until a date: the history that a
    transfer extends. ``Internship.host_company`` is the open placement's company."""

    internship = models.ForeignKey(
        Internship,
        verbose_name=_("internship"),
        on_delete=models.CASCADE,
        related_name="placements",
    )
    host_company = models.ForeignKey(
        Organisation, verbose_name=_("host company"), on_delete=models.PROTECT, related_name="+"
    )
    prefecture = models.ForeignKey(
        Prefecture, verbose_name=_("prefecture"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason it ended"), max_length=20, choices=TransferReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("host placement")
        verbose_name_plural = _("host placements")
        ordering = ["internship", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["internship"],
                condition=Q(ended_on__isnull=True),
                name="host_placement_one_open",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="host_placement_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.host_company} {self.started_on}"


class ExamResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    ABSENT = "absent", _("Absent")


class Exam(TimeStampedModel):
    """An exam an intern sat (or missed) on a date, and its result."""

    internship = models.ForeignKey(
        Internship, verbose_name=_("internship"), on_delete=models.CASCADE, related_name="exams"
    )
    exam_type = models.ForeignKey(
        ExamType, verbose_name=_("exam"), on_delete=models.PROTECT, related_name="+"
    )
    taken_on = models.DateField(_("date"))
    result = models.CharField(_("result"), max_length=10, choices=ExamResult.choices)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default="web")

    class Meta:
        verbose_name = _("exam")
        verbose_name_plural = _("exams")
        ordering = ["internship", "taken_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["internship", "exam_type", "taken_on"], name="exam_once_a_day"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0), name="exam_score_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exam_type} {self.taken_on}: {self.result}"


class HomeLeave(TimeStampedModel):
    """A temporary return home during the stay (TITP stage 3 needs one of at least a month)."""

    internship = models.ForeignKey(
        Internship,
        verbose_name=_("internship"),
        on_delete=models.CASCADE,
        related_name="home_leaves",
    )
    left_on = models.DateField(_("left Japan on"))
    returned_on = models.DateField(_("back in Japan on"), null=True, blank=True)

    class Meta:
        verbose_name = _("temporary return home")
        verbose_name_plural = _("temporary returns home")
        ordering = ["internship", "left_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gt=models.F("left_on")),
                name="home_leave_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.left_on} - {self.returned_on or '...'}"


class StayEventKind(models.TextChoices):
    ARRIVAL = "arrival", _("Arrival")
    STAGE = "stage", _("Next stage")
    TRANSFER = "transfer", _("Transfer")
    EARLY_RETURN = "early_return", _("Early return")
    MISSING = "missing", _("Missing")
    FOUND = "found", _("Found again")
    COMPLETED = "completed", _("Completed")


class StayEvent(models.Model):
    """The stay's timeline: each status event with its details (the journey event holds the
    status change itself)."""

    internship = models.ForeignKey(
        Internship, verbose_name=_("internship"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=StayEventKind.choices)
    effective_on = models.DateField(_("effective on"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    stage = models.ForeignKey(
        Stage,
        verbose_name=_("stage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    host_company = models.ForeignKey(
        Organisation,
        verbose_name=_("host company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    journey_event = models.ForeignKey(
        JourneyEvent,
        verbose_name=_("journey event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default="web")

    class Meta:
        verbose_name = _("stay event")
        verbose_name_plural = _("stay events")
        ordering = ["internship", "effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on}"
