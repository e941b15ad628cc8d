"""Incidents and grievances during the stay: who filed what about which internship, who may
see it, its timeline, the target time by severity, escalation, resolution and the intern's
confirmation.

Who sees a case is decided in ``selectors/cases.py``; the fields here carry what that decision
needs: ``share_with_partner`` (the intern's choice), ``about_host_company`` (never shown to
that company) and ``health_details`` (never shown to partners or host companies).
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from magang.accounts.models import Organisation
from magang.core.models import TimeStampedModel
from magang.recruitment.models.registration import get_private_storage

from .stay import Internship


class CaseKind(models.TextChoices):
    INCIDENT = "incident", _("Incident")
    GRIEVANCE = "grievance", _("Grievance")


class CaseCategory(models.TextChoices):
    WAGES = "wages", _("Wages")
    WORKING_HOURS = "working_hours", _("Working hours")
    HARASSMENT = "harassment", _("Harassment")
    ACCIDENT = "accident", _("Accident")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    DEBT_OR_FEES = "debt_or_fees", _("Debt or fees")
    OTHER = "other", _("Other")


class CaseSeverity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical (life, safety or freedom at risk)")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved, awaiting the intern's confirmation")
    CLOSED = "closed", _("Closed")


OPEN_CASE_STATUSES = (CaseStatus.OPEN, CaseStatus.IN_PROGRESS)


class FiledAs(models.TextChoices):
    INTERN = "intern", _("The intern")
    OFFICER = "officer", _("An officer")
    PARTNER = "partner", _("The supervising organisation")


class Audience(models.TextChoices):
    """Who reads a note or an attachment among those who may read the case."""

    EVERYONE = "everyone", _("Everyone who may see the case")
    OFFICIALS = "officials", _("Ministry officers only")


class CaseTarget(models.Model):
    """How long a case of one severity may stay unresolved before it is escalated. Data,
    edited by administrators; one row per severity."""

    severity = models.CharField(
        _("severity"), max_length=10, choices=CaseSeverity.choices, unique=True
    )
    resolve_within_hours = models.PositiveIntegerField(_("resolve within (hours)"))

    class Meta:
        verbose_name = _("case target time")
        verbose_name_plural = _("case target times")
        ordering = ["resolve_within_hours"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolve_within_hours__gt=0), name="case_target_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.severity}: {self.resolve_within_hours} h"


class Case(TimeStampedModel):
    """One incident or grievance about one internship."""

    internship = models.ForeignKey(
        Internship, verbose_name=_("internship"), on_delete=models.PROTECT, related_name="cases"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CaseKind.choices)
    category = models.CharField(_("category"), max_length=20, choices=CaseCategory.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=CaseSeverity.choices)
    description = models.TextField(_("what happened"))
    health_details = models.TextField(
        _("health details"),
        blank=True,
        help_text=_("Injuries, illness, treatment. Never shown to partners or host companies."),
    )
    occurred_on = models.DateField(_("occurred on"), null=True, blank=True)
    host_company = models.ForeignKey(
        Organisation,
        verbose_name=_("host company at the time"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    about_host_company = models.BooleanField(
        _("about the host company"),
        default=False,
        help_text=_("A case about the host company is never shown to that company."),
    )
    share_with_partner = models.BooleanField(
        _("the supervising organisation may see it"), default=False
    )
    filed_as = models.CharField(_("filed by"), max_length=10, choices=FiledAs.choices)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by (account)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"))
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    due_at = models.DateTimeField(_("to be resolved by"))
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    confirmed_by_intern = models.BooleanField(_("confirmed by the intern"), default=False)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CaseKind.values), name="case_kind_valid"),
            models.CheckConstraint(
                condition=Q(category__in=CaseCategory.values), name="case_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(severity__in=CaseSeverity.values), name="case_severity_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="case_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(filed_as__in=FiledAs.values), name="case_filed_as_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress"])
                | (Q(resolved_at__isnull=False) & ~Q(resolution="")),
                name="case_resolved_has_resolution",
                violation_error_message=_("A resolved case needs its resolution."),
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="case_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gt=models.F("filed_at")), name="case_due_after_filing"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="case_status_due_idx"),
            models.Index(fields=["internship", "status"], name="case_internship_status_idx"),
            models.Index(fields=["category", "filed_at"], name="case_category_filed_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CASE_STATUSES


class CaseEvent(models.Model):
    """One line of a case's timeline: filing, a note, a status change, an assignment, a
    change of severity or sharing, an escalation."""

    class Kind(models.TextChoices):
        FILED = "filed", _("Filed")
        NOTE = "note", _("Note")
        STATUS = "status", _("Status changed")
        ASSIGNED = "assigned", _("Assigned")
        SEVERITY = "severity", _("Severity changed")
        SHARING = "sharing", _("Sharing changed")
        ESCALATED = "escalated", _("Escalated")
        ATTACHMENT = "attachment", _("Attachment added")

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("text"), blank=True)
    audience = models.CharField(
        _("who may read it"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="case_event_audience_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"


def attachment_path(instance: CaseAttachment, filename: str) -> str:
    # The uploaded name never reaches the path: it may hold personal data or tricks.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"cases/{instance.case_id}/{uuid.uuid4().hex}{suffix}"


class CaseAttachment(models.Model):
    """A photo or PDF for a case, checked by content, kept in private storage and streamed
    only by ``case_attachment_file`` to someone who may read it."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("file"), storage=get_private_storage, upload_to=attachment_path, max_length=200
    )
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    audience = models.CharField(
        _("who may read it"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")
        ordering = ["case", "uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="case_attachment_audience_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.sha256[:12]}"
