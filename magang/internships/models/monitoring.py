"""Monitoring duties of the supervising organisation: a visit every month in the first year
and an audit every three months (the intervals are the programme's ``StayRules``)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from magang.accounts.models import Organisation, User

from .stay import Internship, Source


class DutyKind(models.TextChoices):
    VISIT = "visit", _("Monitoring visit")
    AUDIT = "audit", _("Audit")


class DutyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class MonitoringDuty(models.Model):
    """One scheduled visit or audit for one intern. Only the next duty of each kind is open;
    recording it schedules the following one. The supervising organisation and host company
    are copied here so the overdue list reads one table through one partial index."""

    internship = models.ForeignKey(
        Internship, verbose_name=_("internship"), on_delete=models.CASCADE, related_name="duties"
    )
    supervising_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("supervising organisation"),
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
    kind = models.CharField(_("kind"), max_length=10, choices=DutyKind.choices)
    sequence = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due on"))
    overdue_from = models.DateField(
        _("overdue from"), help_text=_("Due date plus the programme's days of grace.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DutyStatus.choices, default=DutyStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("findings"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default="web")

    class Meta:
        verbose_name = _("monitoring duty")
        verbose_name_plural = _("monitoring duties")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["internship", "kind", "sequence"], name="duty_sequence_unique"
            ),
            models.UniqueConstraint(
                fields=["internship", "kind"],
                condition=Q(status="open"),
                name="duty_one_open_per_kind",
            ),
            models.CheckConstraint(
                condition=(Q(status="done") & Q(done_on__isnull=False))
                | (~Q(status="done") & Q(done_on__isnull=True)),
                name="duty_done_has_date",
            ),
        ]
        indexes = [
            models.Index(
                fields=["supervising_organisation", "overdue_from"],
                condition=Q(status="open"),
                name="duty_open_supervisor_idx",
            ),
            models.Index(
                fields=["overdue_from"], condition=Q(status="open"), name="duty_open_due_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.sequence} {self.due_on}"
